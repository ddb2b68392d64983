/**
 * Set-up shared by the specs where the app talks to a FHIR server (fhirServer, fhirWrite,
 * signoffSend): the test server starts first on a free port, then the app is built with that
 * origin in PREFLIGHT_FHIR_ORIGINS (the CSP's connect-src, header and meta tag) into the spec's own
 * folder and served, so the shared build and other specs are untouched.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, preview } from 'vite';
import { launchBrowser, openApp, type Watched } from './browser.ts';

/** The test server's CORS rule: the app served on the loopback address, on whatever port it got. */
export function fromServedApp(origin: string): boolean {
  return origin.startsWith('http://127.0.0.1:');
}

/** The app built for one spec and served on a free port. */
export interface ServedApp {
  /** the app's address, as the preview server gives it (ends with "/") */
  url: string;
  /** the same without the trailing "/", to append a "#/route" to (browser.ts openApp) */
  base: string;
  /** stops serving and removes the spec's build folder */
  close(): Promise<void>;
}

/**
 * Builds the app in production mode with `origin` allowed in its CSP into `outDir`, and serves it
 * on a free loopback port. The environment is restored before returning, whatever happens.
 */
export async function serveAppAllowing(origin: string, outDir: string): Promise<ServedApp> {
  const before = { origins: process.env.PREFLIGHT_FHIR_ORIGINS, nodeEnv: process.env.NODE_ENV };
  process.env.PREFLIGHT_FHIR_ORIGINS = origin;
  // vitest sets NODE_ENV=test, which would give React's development build; users get production
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true } });
    const app = await preview({
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    });
    const url = app.resolvedUrls?.local[0];
    if (!url) {
      await app.close();
      throw new Error(`the app built into ${outDir} is served at no local address`);
    }
    return {
      url,
      base: url.replace(/\/$/, ''),
      close: async () => {
        await app.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  } finally {
    if (before.origins === undefined) delete process.env.PREFLIGHT_FHIR_ORIGINS;
    else process.env.PREFLIGHT_FHIR_ORIGINS = before.origins;
    process.env.NODE_ENV = before.nodeEnv;
  }
}

/** Asks the Migration workspace's FHIR server panel (on screen) to connect to `address`. */
export async function connectFhirServer(page: Page, address: string): Promise<void> {
  const panel = page.getByRole('region', { name: 'FHIR server' });
  await panel.getByLabel('Server address').fill(address);
  await panel.getByRole('button', { name: 'Connect' }).click();
}

/** Connects the panel to the local test server at `address` and waits until it says so. */
export async function connectLocalFhirServer(page: Page, address: string): Promise<void> {
  await connectFhirServer(page, address);
  await page.getByText(/Connected to Preflight local FHIR server/).waitFor();
}

/** A FHIR test server as tests/fhirServer starts it (the plain one or the demo clinic's). */
export interface StartedFhirServer {
  origin: string;
  close(): Promise<void>;
}

/** A spec's FHIR server, the app served allowing it, and a watched browser page on the app. */
export interface FhirAppSession<S extends StartedFhirServer> {
  fhir: S;
  app: ServedApp;
  browser: Browser;
  context: BrowserContext;
  watched: Watched;
  /** closes the browser, stops serving the app and stops the server */
  close(): Promise<void>;
}

/**
 * The set-up of a spec where the app talks to a FHIR server: starts the server (`startServer`,
 * CORS open to the served app), builds and serves the app allowing its origin into `outDir`,
 * launches the browser, runs `prepare` on its context (e.g. taking WebAuthn away) and opens
 * `route`. What started is closed again when a later step fails.
 */
export async function startFhirAppSession<S extends StartedFhirServer>(
  startServer: (options: { corsOrigins: (origin: string) => boolean }) => Promise<S>,
  options: { outDir: string; route?: string; prepare?: (context: BrowserContext) => Promise<unknown> },
): Promise<FhirAppSession<S>> {
  const started: { fhir?: S; app?: ServedApp; browser?: Browser } = {};
  const close = async () => {
    await started.browser?.close();
    await started.app?.close();
    await started.fhir?.close();
  };
  try {
    const fhir = await startServer({ corsOrigins: fromServedApp });
    started.fhir = fhir;
    const app = await serveAppAllowing(fhir.origin, options.outDir);
    started.app = app;
    const browser = await launchBrowser();
    started.browser = browser;
    const context = await browser.newContext();
    await options.prepare?.(context);
    const watched = await openApp(context, options.route ?? '', app.base);
    return { fhir, app, browser, context, watched, close };
  } catch (error) {
    await close();
    throw error;
  }
}
