/**
 * Set-up shared by the specs where the app talks to a FHIR server (journeyFhir, fhirServer,
 * signoffSend): the test server starts on a free port, answering as the fixed
 * origin the shared FHIR build allows in its CSP (fhirBuild.ts); the app is served from that build
 * with its security headers, and the browser is told to reach that origin at the server's real
 * port. The CSP, the app's allowlist and every URL the app sees name the fixed origin only, so the
 * shared build and other specs are untouched and nothing is rebuilt per spec.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { preview } from 'vite';
import { launchBrowser, openApp, type Watched } from './browser.ts';
import { allowingFhirTestOrigin, FHIR_TEST_ORIGIN, fhirBuild } from './fhirBuild.ts';

/** The test server's CORS rule: the app served on the loopback address, on whatever port it got. */
export function fromServedApp(origin: string): boolean {
  return origin.startsWith('http://127.0.0.1:');
}

/** The app served from the shared FHIR build on a free port. */
export interface ServedApp {
  /** the app's address, as the preview server gives it (ends with "/") */
  url: string;
  /** the same without the trailing "/", to append a "#/route" to (browser.ts openApp) */
  base: string;
  /** stops serving */
  close(): Promise<void>;
}

/**
 * Serves the shared build that allows {@link FHIR_TEST_ORIGIN} (built first if this run has none
 * yet) on a free loopback port, with the headers `npm start` gives it for that origin.
 */
export async function serveFhirApp(): Promise<ServedApp> {
  const outDir = await fhirBuild();
  const app = await allowingFhirTestOrigin(() =>
    preview({
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    }),
  );
  const url = app.resolvedUrls?.local[0];
  if (!url) {
    await app.close();
    throw new Error(`the app built into ${outDir} is served at no local address`);
  }
  return { url, base: url.replace(/\/$/, ''), close: () => app.close() };
}

/**
 * The browser flag that sends connections for `origin` (as the page names it: CSP, fetch, CORS)
 * to `listening` instead, both `http://127.0.0.1:<port>`.
 */
export function reachAt(origin: string, listening: string): string {
  return `--host-resolver-rules=MAP ${new URL(origin).host} ${new URL(listening).host}`;
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
  /** the origin it answers as: {@link FHIR_TEST_ORIGIN} */
  origin: string;
  /** where it really listens */
  listening: string;
  close(): Promise<void>;
}

/** A spec's FHIR server, the app served allowing it, and a watched browser page on the app. */
export interface FhirAppSession<S extends StartedFhirServer> extends FhirServerApp<S> {
  context: BrowserContext;
  watched: Watched;
}

/** A FHIR test server, the shared FHIR build served allowing it, and one browser reaching it. */
export interface FhirServerApp<S extends StartedFhirServer> {
  fhir: S;
  app: ServedApp;
  browser: Browser;
  /** closes the browser, stops serving the app and stops the server */
  close(): Promise<void>;
}

/**
 * Starts the server (`startServer`, answering as {@link FHIR_TEST_ORIGIN}, CORS open to the served
 * app), serves the shared FHIR build and launches the browser reaching that origin at the
 * server's port. What started is closed again when a later step fails.
 */
export async function startFhirServerApp<S extends StartedFhirServer>(
  startServer: (options: { origin: string; corsOrigins: (origin: string) => boolean }) => Promise<S>,
): Promise<FhirServerApp<S>> {
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
    return { fhir, app, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The set-up of a spec where the app talks to a FHIR server: {@link startFhirServerApp}, then runs
 * `prepare` on a context of the browser (e.g. taking WebAuthn away) and opens `route`. What
 * started is closed again when a later step fails.
 */
export async function startFhirAppSession<S extends StartedFhirServer>(
  startServer: (options: { origin: string; corsOrigins: (origin: string) => boolean }) => Promise<S>,
  options: { route?: string; prepare?: (context: BrowserContext) => Promise<unknown> } = {},
): Promise<FhirAppSession<S>> {
  const started = await startFhirServerApp(startServer);
  try {
    const context = await started.browser.newContext();
    await options.prepare?.(context);
    const watched = await openApp(context, options.route ?? '', started.app.base);
    return { ...started, context, watched };
  } catch (error) {
    await started.close();
    throw error;
  }
}
