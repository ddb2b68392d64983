/**
 * One browser per spec file for the FHIR specs (journeyFhir, fhirServer, fhirHostile): launched
 * once, a fresh context per test, so no test inherits another's storage or page. The specs that
 * talk to a FHIR server also start it and serve the shared FHIR build (fhirApp.ts, fhirBuild.ts),
 * the browser reaching the build's one allowed origin at the server's real port.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { launchBrowser, openApp, type Watched } from './browser.ts';
import { fromServedApp, reachAt, type ServedApp, type StartedFhirServer, serveFhirApp } from './fhirApp.ts';
import { FHIR_TEST_ORIGIN } from './fhirBuild.ts';

/** A browser for the whole file, and the means to open the app in a fresh context. */
export interface FhirBrowser {
  browser: Browser;
  /** opens the app at `hash` in a new context of the file's browser */
  open(hash?: string, options?: BrowserContextOptions): Promise<Watched>;
  close(): Promise<void>;
}

/** The app as `npm start` serves it (the e2e global setup's server), in one browser. */
export async function fhirBrowser(): Promise<FhirBrowser> {
  const browser = await launchBrowser();
  return {
    browser,
    open: async (hash = '#/migration', options = { viewport: { width: 1440, height: 1000 } }) =>
      openApp(await browser.newContext(options), hash),
    close: () => browser.close(),
  };
}

/** A FHIR server, the shared FHIR build served allowing it, and one browser reaching it. */
export interface FhirServerBrowser<S extends StartedFhirServer> extends FhirBrowser {
  fhir: S;
  app: ServedApp;
}

/**
 * Starts the server (`startServer`, answering as the build's allowed origin, CORS open to the
 * served app), serves the shared FHIR build and launches the browser reaching that origin at the
 * server's port. What started is closed again when a later step fails.
 */
export async function fhirServerBrowser<S extends StartedFhirServer>(
  startServer: (options: { origin: string; corsOrigins: (origin: string) => boolean }) => Promise<S>,
): Promise<FhirServerBrowser<S>> {
  const started: { fhir?: S; app?: ServedApp; browser?: Browser } = {};
  const close = async () => {
    await started.browser?.close();
    await started.app?.close();
    await started.fhir?.close();
  };
  try {
    const fhir = await startServer({ origin: FHIR_TEST_ORIGIN, corsOrigins: fromServedApp });
    started.fhir = fhir;
    const app = await serveFhirApp();
    started.app = app;
    const browser = await launchBrowser([reachAt(fhir.origin, fhir.listening)]);
    started.browser = browser;
    return {
      fhir,
      app,
      browser,
      open: async (hash = '#/migration', options = { viewport: { width: 1440, height: 900 } }) =>
        openApp(await browser.newContext({ acceptDownloads: true, ...options }), hash, app.base),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
