/**
 * The one production build that the specs where the app talks to a FHIR server share (journeyFhir,
 * fhirServer, signoffSend). It allows exactly one FHIR origin in its CSP's
 * connect-src (header and meta tag), {@link FHIR_TEST_ORIGIN}, a loopback origin nothing listens
 * on: each spec starts its own FHIR server on a free port and its browser maps that origin onto the
 * server's port (fhirApp.ts). The build's origin is fixed before any server exists, so one build
 * serves every spec, and no port has to be reserved early and bound minutes later.
 *
 * Built by the first spec that needs it in a run, from the sources as they are then; the e2e global
 * setup removes it before and after the run, so no later run serves an old build.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

/** The FHIR origin the shared build allows; the specs' browsers reach their server through it. */
export const FHIR_TEST_ORIGIN = 'http://127.0.0.1:4891';

/** Where the shared build is (git-ignored). */
export const FHIR_BUILD_DIR = path.resolve(import.meta.dirname, '.artifacts', 'dist-fhir-app');

/**
 * Runs `work` with the environment of a build or preview that allows {@link FHIR_TEST_ORIGIN}
 * (vite.config.ts reads it when loaded), restoring the environment afterwards whatever happens.
 */
export async function allowingFhirTestOrigin<T>(work: () => Promise<T>): Promise<T> {
  const before = { origins: process.env.PREFLIGHT_FHIR_ORIGINS, nodeEnv: process.env.NODE_ENV };
  process.env.PREFLIGHT_FHIR_ORIGINS = FHIR_TEST_ORIGIN;
  // vitest sets NODE_ENV=test, which would give React's development build; users get production
  process.env.NODE_ENV = 'production';
  try {
    return await work();
  } finally {
    if (before.origins === undefined) delete process.env.PREFLIGHT_FHIR_ORIGINS;
    else process.env.PREFLIGHT_FHIR_ORIGINS = before.origins;
    process.env.NODE_ENV = before.nodeEnv;
  }
}

/**
 * The shared build's folder, built now if this run has none yet. It is built into a folder of its
 * own and renamed into place when complete, so a build that fails or is cut short is never served,
 * and a spec that finds the place taken by another's build of the same sources uses that one.
 */
export async function fhirBuild(): Promise<string> {
  if (existsSync(path.join(FHIR_BUILD_DIR, 'index.html'))) return FHIR_BUILD_DIR;
  mkdirSync(path.dirname(FHIR_BUILD_DIR), { recursive: true });
  const building = mkdtempSync(`${FHIR_BUILD_DIR}-building-`);
  try {
    await allowingFhirTestOrigin(() =>
      build({ logLevel: 'warn', mode: 'production', build: { outDir: building, emptyOutDir: true } }),
    );
    try {
      renameSync(building, FHIR_BUILD_DIR);
    } catch (error) {
      // two specs running side by side may both build; the one renamed first serves them both
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
