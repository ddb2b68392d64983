/**
 * One browser per spec file for the FHIR specs (journeyFhir, fhirServer, fhirHostile): launched
 * once, a fresh context per test, so no test inherits another's storage or page. The specs that
 * talk to a FHIR server also start it and serve the shared FHIR build (fhirApp.ts, fhirBuild.ts),
 * the browser reaching the build's one allowed origin at the server's real port.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { launchBrowser, openApp, type Watched } from './browser.ts';
import { type FhirServerApp, type StartedFhirServer, startFhirServerApp } from './fhirApp.ts';

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
export interface FhirServerBrowser<S extends StartedFhirServer> extends FhirBrowser, FhirServerApp<S> {}

/** {@link startFhirServerApp}, with the means to open the served app in a fresh context. */
export async function fhirServerBrowser<S extends StartedFhirServer>(
  startServer: (options: { origin: string; corsOrigins: (origin: string) => boolean }) => Promise<S>,
): Promise<FhirServerBrowser<S>> {
  const started = await startFhirServerApp(startServer);
  return {
    ...started,
    open: async (hash = '#/migration', options = { viewport: { width: 1440, height: 900 } }) =>
      openApp(
        await started.browser.newContext({ acceptDownloads: true, ...options }),
        hash,
        started.app.base,
      ),
  };
}
