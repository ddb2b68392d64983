/**
 * The one production build that the specs where the app talks to a FHIR server share (journeyFhir,
 * fhirServer, signoffSend). It allows exactly one FHIR origin in its CSP's
 * connect-src (header and meta tag), {@link FHIR_TEST_ORIGIN}, a loopback origin nothing listens
 * on: each spec starts its own FHIR server on a free port and its browser maps that origin onto the
 * server's port (fhirApp.ts). The build's origin is fixed before any server exists, so one build
 * serves every spec, and no port has to be reserved early and bound minutes later.
 *
 * Made by the first spec that needs it in a run from the run's own build (dist/): a build allowing
 * an origin differs from one allowing none only in index.html's CSP meta tag (vite.config.ts; the
 * app reads its allowed origins from that tag), so the scripts are copied and the tag is written
 * for the origin, instead of bundling the app a second time. The e2e global setup removes it
 * before and after the run, so no later run serves an old build.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { metaContentSecurityPolicyFor } from '../../src/core/http/securityHeaders.ts';

/** The FHIR origin the shared build allows; the specs' browsers reach their server through it. */
export const FHIR_TEST_ORIGIN = 'http://127.0.0.1:4891';

/** Where the shared build is (git-ignored). */
export const FHIR_BUILD_DIR = path.resolve(import.meta.dirname, '.artifacts', 'dist-fhir-app');

/**
 * Runs `work` with the environment of a preview that allows {@link FHIR_TEST_ORIGIN} (vite.config.ts
 * reads it when loaded, for the CSP header), restoring the environment afterwards whatever happens.
 */
export async function allowingFhirTestOrigin<T>(work: () => Promise<T>): Promise<T> {
  const before = process.env.PREFLIGHT_FHIR_ORIGINS;
  process.env.PREFLIGHT_FHIR_ORIGINS = FHIR_TEST_ORIGIN;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.PREFLIGHT_FHIR_ORIGINS;
    else process.env.PREFLIGHT_FHIR_ORIGINS = before;
  }
}

/** The run's production build (`npm run test:e2e` makes it first; the global setup checks it). */
const APP_BUILD_DIR = path.resolve(import.meta.dirname, '..', '..', 'dist');

/** The CSP meta tag's attribute as Vite writes it into index.html for `fhirOrigins`. */
function metaAttribute(fhirOrigins: readonly string[]): string {
  return `content="${metaContentSecurityPolicyFor(fhirOrigins).replaceAll("'", '&#39;')}"`;
}

/**
 * The shared build's folder, made now if this run has none yet. It is made in a folder of its own
 * and renamed into place when complete, so a copy that fails or is cut short is never served, and
 * a spec that finds the place taken by another's copy of the same build uses that one.
 */
export async function fhirBuild(): Promise<string> {
  if (existsSync(path.join(FHIR_BUILD_DIR, 'index.html'))) return FHIR_BUILD_DIR;
  mkdirSync(path.dirname(FHIR_BUILD_DIR), { recursive: true });
  const building = mkdtempSync(`${FHIR_BUILD_DIR}-building-`);
  try {
    cpSync(APP_BUILD_DIR, building, { recursive: true });
    const indexHtml = path.join(building, 'index.html');
    const page = readFileSync(indexHtml, 'utf8');
    const [before, ...after] = page.split(metaAttribute([]));
    if (after.length !== 1) {
      throw new Error(
        `${APP_BUILD_DIR}/index.html does not carry the CSP meta tag of a build allowing no FHIR server once: build it again without PREFLIGHT_FHIR_ORIGINS (npm run test:e2e)`,
      );
    }
    writeFileSync(indexHtml, `${before}${metaAttribute([FHIR_TEST_ORIGIN])}${after[0]}`);
    try {
      renameSync(building, FHIR_BUILD_DIR);
    } catch (error) {
      // two specs running side by side may both make it; the one renamed first serves them both
      if (!existsSync(path.join(FHIR_BUILD_DIR, 'index.html'))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return FHIR_BUILD_DIR;
}

/** Removes the shared build (the e2e global setup, before and after a run). */
export function removeFhirBuild(): void {
  rmSync(FHIR_BUILD_DIR, { recursive: true, force: true });
}
