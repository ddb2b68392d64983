/**
 * Journey: a data analyst connects the Migration workspace to the new EHR's FHIR server (the local
 * test server with the demo clinic's patients), sees what it offers, pulls its patients, reconciles
 * them with the demo patients.csv, and gets a clear message for a server outside the allowlist and
 * for a stopped one — never a silent network error, never a CSP violation.
 *
 * Self-contained: the FHIR server starts first on a free port, then the app is built with that
 * origin allowed in its CSP into this spec's own folder and served (fhirApp.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from '../fhirServer/demoServer.ts';
import { DEMO_PATIENTS_CSV } from '../fhirServer/seed.ts';
import { axeViolations, type Watched } from './browser.ts';
import {
  connectFhirServer as connect,
  connectLocalFhirServer,
  type FhirAppSession,
  type ServedApp,
  startFhirAppSession,
} from './fhirApp.ts';

let session: FhirAppSession<DemoFhirServer> | undefined;
let fhir: DemoFhirServer;
let app: ServedApp;
let watched: Watched;

beforeAll(async () => {
  session = await startFhirAppSession(startDemoFhirServer, { outDir: 'tests/e2e/.artifacts/dist-fhir' });
  ({ fhir, app, watched } = session);
  await watched.page.getByRole('link', { name: 'Migration' }).click();
  await watched.page.getByRole('region', { name: 'FHIR server' }).waitFor();
}, 180_000);

afterAll(() => session?.close());

describe('FHIR server panel', () => {
  it('allows exactly the test server in the CSP', async () => {
    const csp = (await fetch(app.url)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${fhir.origin};`);
    const meta = await watched.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toContain(`connect-src 'self' ${fhir.origin};`);
  });

  it('connects and shows what the server offers', async () => {
    const { page } = watched;
    await connectLocalFhirServer(page, fhir.baseUrl);
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
