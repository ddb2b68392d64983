/**
 * Journey: a data analyst connects the Migration workspace to the new EHR's FHIR server (the local
 * test server with the demo clinic's patients), sees what it offers, pulls its patients, reconciles
 * them with the demo patients.csv, and gets a clear message for a server outside the allowlist and
 * for a stopped one — never a silent network error, never a CSP violation.
 *
 * Self-contained: the FHIR server starts first on a free port, then this spec builds the app with
 * that origin in PREFLIGHT_FHIR_ORIGINS (the CSP's connect-src, header and meta tag) into its own
 * folder and serves it, so the shared build and other specs are untouched.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from '../fhirServer/demoServer.ts';
import { DEMO_PATIENTS_CSV } from '../fhirServer/seed.ts';
import { axeViolations, launchBrowser, type Watched } from './browser.ts';

const OUT_DIR = 'tests/e2e/.artifacts/dist-fhir';

let fhir: DemoFhirServer;
let app: PreviewServer;
let appUrl: string;
let browser: Browser;
let context: BrowserContext;
let watched: Watched;

async function open(): Promise<Watched> {
  const page = await context.newPage();
  const w: Watched = { page, console: [], cspViolations: [] };
  page.on('console', (msg) => w.console.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => w.console.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => w.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      );
    });
  });
  await page.goto(appUrl);
  await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
  return w;
}

async function connect(page: Page, address: string): Promise<void> {
  const panel = page.getByRole('region', { name: 'FHIR server' });
  await panel.getByLabel('Server address').fill(address);
  await panel.getByRole('button', { name: 'Connect' }).click();
}

beforeAll(async () => {
  fhir = await startDemoFhirServer({ corsOrigins: (origin) => origin.startsWith('http://127.0.0.1:') });
  const before = { origins: process.env.PREFLIGHT_FHIR_ORIGINS, nodeEnv: process.env.NODE_ENV };
  process.env.PREFLIGHT_FHIR_ORIGINS = fhir.origin;
  // vitest sets NODE_ENV=test, which would give React's development build; users get production
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production', build: { outDir: OUT_DIR, emptyOutDir: true } });
    app = await preview({
      logLevel: 'warn',
      build: { outDir: OUT_DIR },
      preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    });
  } finally {
    if (before.origins === undefined) delete process.env.PREFLIGHT_FHIR_ORIGINS;
    else process.env.PREFLIGHT_FHIR_ORIGINS = before.origins;
    process.env.NODE_ENV = before.nodeEnv;
  }
  appUrl = app.resolvedUrls?.local[0] as string;
  browser = await launchBrowser();
  context = await browser.newContext();
  watched = await open();
  await watched.page.getByRole('link', { name: 'Migration' }).click();
  await watched.page.getByRole('region', { name: 'FHIR server' }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fhir?.close();
  rmSync(OUT_DIR, { recursive: true, force: true });
});

describe('FHIR server panel', () => {
  it('allows exactly the test server in the CSP', async () => {
    const csp = (await fetch(appUrl)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${fhir.origin};`);
    const meta = await watched.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toContain(`connect-src 'self' ${fhir.origin};`);
  });

  it('connects and shows what the server offers', async () => {
    const { page } = watched;
    await connect(page, fhir.baseUrl);
    await page.getByText(/Connected to Preflight local FHIR server/).waitFor();
    await expect(page.getByText(/no bulk export/).isVisible()).resolves.toBe(true);
  });

  it('pulls every patient with progress', async () => {
    const { page } = watched;
    await page.getByRole('button', { name: 'Pull patients' }).click();
    await page
      .getByText(
        `Read ${fhir.patients.length.toLocaleString('en-US')} patients. The server does not offer bulk export ($export), so the records were read page by page.`,
      )
      .waitFor();
  });

  it('reconciles the demo patients.csv and shows what differs', async () => {
    const { page } = watched;
    await page.getByLabel('Legacy patients file').setInputFiles(DEMO_PATIENTS_CSV);
    await page.getByRole('button', { name: 'Reconcile' }).click();
    const table = page.getByRole('table', { name: /Reconcile:/ });
    await table.waitFor({ timeout: 60_000 });
    const { manifest } = fhir;
    const cell = async (name: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name }) })
        .getByRole('cell')
        .textContent();
    await expect(cell('Missing on the server')).resolves.toBe(
      String(manifest.missing.length + manifest.notLoaded.length),
    );
    await expect(cell('On the server but not in the file')).resolves.toBe(String(manifest.extra.length));
    await expect(cell('Birth date differs')).resolves.toBe(String(manifest.birthDate.length));
    await expect(cell('Sex differs')).resolves.toBe(String(manifest.sex.length));
    await expect(cell('Name differs')).resolves.toBe(String(manifest.name.length));
  });

  it('says how to allow a server outside the allowlist, without touching the network', async () => {
    const { page } = watched;
    await connect(page, 'https://fhir.example.org/r4');
    const alert = page.getByRole('alert');
    await alert.getByText(/not allowed to contact https:\/\/fhir\.example\.org/).waitFor();
    await expect(
      alert.getByText(/PREFLIGHT_FHIR_ORIGINS=https:\/\/fhir\.example\.org npm start/).isVisible(),
    ).resolves.toBe(true);
    expect(watched.cspViolations).toEqual([]);
  });

  it('says a stopped server cannot be reached and what to check', async () => {
    const { page } = watched;
    // a server on the allowlist that has stopped: the demo server, closed
    await fhir.close();
    await connect(page, fhir.baseUrl);
    await page.getByRole('alert').getByText(`Could not reach ${fhir.origin}`).waitFor();
    await expect(
      page
        .getByRole('alert')
        .getByText(/running/)
        .isVisible(),
    ).resolves.toBe(true);
  });

  it('is accessible, with no CSP violation and nothing in the console', async () => {
    expect(await axeViolations(watched.page)).toEqual([]);
    expect(watched.cspViolations).toEqual([]);
    // the browser itself logs the refused connection to the stopped server; nothing else may appear
    expect(watched.console.filter((line) => !line.includes('net::ERR_CONNECTION_REFUSED'))).toEqual([]);
  });
});
