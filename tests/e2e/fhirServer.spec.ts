/**
 * Journey: a data analyst connects the Migration workspace to the new EHR's FHIR server (the local
 * test server with the demo clinic's patients), sees what it offers, pulls its patients — through a
 * server that stops answering (the wait runs out) and a pull cancelled half way, keeping what was
 * read — validates and downloads what was pulled (each validation kept as a rehearsal), reconciles
 * the patients with the demo patients.csv and works through every patient that differs (filter,
 * pages, CSV and JSON exports), and gets a clear message for a server outside the allowlist and
 * for a stopped one — never a silent network error, never a CSP violation, never an identifier in
 * a URL.
 *
 * Self-contained: the FHIR server starts on a free port and the browser reaches it as the one
 * origin the shared FHIR build allows in its CSP (fhirApp.ts, fhirBuild.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCsvCell } from '../../src/core/csv/index.ts';
import { loadReconcileList } from '../../src/formats/reconcileList.ts';
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

const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let session: FhirAppSession<DemoFhirServer> | undefined;
let fhir: DemoFhirServer;
let app: ServedApp;
let watched: Watched;

/** Every request the server was asked, as it saw it (method, path, query). */
const requests: { method: string; path: string; search: string }[] = [];
/** While set, a request for a later page of a search waits for `release` (a stuck server). */
let hold: { reached: () => void; released: Promise<void> } | undefined;

/** Makes the server stop answering at the second page of the next pull, until released. */
function holdLaterPages(): { reached: Promise<void>; release: () => void } {
  let reached = () => {};
  let release = () => {};
  const reachedPromise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = () => {
      hold = undefined;
      resolve();
    };
  });
  hold = { reached, released };
  return { reached: reachedPromise, release };
}

const panel = (page: Page) => page.getByRole('region', { name: 'FHIR server' });
const downloaded = async (page: Page, click: () => Promise<void>): Promise<string> => {
  const downloading = page.waitForEvent('download');
  await click();
  return readFileSync((await (await downloading).path()) as string, 'utf8');
};

beforeAll(async () => {
  session = await startFhirAppSession((options) =>
    startDemoFhirServer({
      ...options,
      beforeAnswer: (request) => {
        requests.push(request);
        if (hold && request.method === 'GET' && /[?&]_offset=[1-9]/.test(request.search)) {
          hold.reached();
          return hold.released;
        }
      },
    }),
  );
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

  it('keeps the records read when the server stops answering, and says to wait longer', async () => {
    const { page } = watched;
    const stuck = holdLaterPages();
    const wait = panel(page).getByLabel('Wait for each answer (seconds)');
    await wait.fill('2');
    await panel(page)
      .getByText(/Not a whole number from 5 to 600: 30 seconds are used until it is\./)
      .waitFor();
    await wait.fill('5');
    await expect(
      panel(page)
        .getByText(/Not a whole number/)
        .count(),
    ).resolves.toBe(0);
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await stuck.reached;
    const alert = panel(page).getByRole('alert');
    // the app's own 5-second wait runs out; the test waits for its message
    await alert
      .getByText(`${fhir.origin} did not answer in time while reading Patient records.`)
      .waitFor({ timeout: 30_000 });
    await alert
      .getByText(
        /raise “Wait for each answer” \(now 5 seconds\) and try again\. The 500 Patient records read before it stopped are kept below/,
      )
      .waitFor();
    await panel(page)
      .getByText(
        /^Patient from http:\/\/127\.0\.0\.1:\d+: stopped after 500 records of [\d,]+; the records read are kept\./,
      )
      .waitFor();
    stuck.release();
  });

  it('cancels a pull half way and keeps the records read', async () => {
    const { page } = watched;
    await panel(page).getByLabel('Wait for each answer (seconds)').fill('600');
    const stuck = holdLaterPages();
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await stuck.reached;
    await panel(page)
      .getByRole('status')
      .filter({ hasText: /^Read 500 of [\d,]+ Patient records…/ })
      .waitFor();
    await panel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    const alert = panel(page).getByRole('alert');
    await alert.getByText('Cancelled while reading Patient records.').waitFor();
    await alert.getByText(/The 500 Patient records read before it stopped are kept below/).waitFor();
    stuck.release();
  });

  it('validates the records kept from the stopped pull and keeps the run as a rehearsal', async () => {
    const { page } = watched;
    await panel(page).getByRole('button', { name: 'Validate pulled records' }).click();
    const result = panel(page).getByRole('region', { name: 'Validation result' });
    await expect
      .poll(() => result.getByTestId('score-records').textContent(), { timeout: 60_000 })
      .toBe('500');
    await result.getByRole('button', { name: 'Saved in the project' }).waitFor();
    const rehearsals = page.getByRole('region', { name: /^Rehearsals of Patient-127\.0\.0\.1-\d+\.ndjson/ });
    await rehearsals.getByText(/^One run so far/).waitFor();
  });

  it('pulls every patient, downloads them as NDJSON and validates them as the next rehearsal', async () => {
    const { page } = watched;
    const count = fhir.patients.length.toLocaleString('en-US');
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await panel(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read page by page.`)
      .waitFor({ timeout: 60_000 });
    const ndjson = await downloaded(page, () =>
      panel(page)
        .getByRole('button', { name: /^Download Patient-127\.0\.0\.1-\d+\.ndjson$/ })
        .click(),
    );
    const lines = ndjson.trimEnd().split('\n');
    expect(lines).toHaveLength(fhir.patients.length);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { resourceType: string }).resourceType))).toEqual(
      new Set(['Patient']),
    );
    await panel(page).getByRole('button', { name: 'Validate pulled records' }).click();
    const result = panel(page).getByRole('region', { name: 'Validation result' });
    await expect
      .poll(() => result.getByTestId('score-records').textContent(), { timeout: 60_000 })
      .toBe(count);
    const rehearsals = page.getByRole('region', { name: /^Rehearsals of Patient-127\.0\.0\.1-\d+\.ndjson/ });
    await rehearsals.getByRole('heading', { name: /— 2 runs$/ }).waitFor();
    await rehearsals.getByText(/^Latest run, .*, compared with the run of/).waitFor();
  });

  it('validates a pull with the checks chosen under FHIR files, and its report says which ran', async () => {
    const { page } = watched;
    // a FHIR file puts the "FHIR files" section, with its choices, on screen
    const dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-choices-'));
    const file = join(dir, 'one-patient.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }));
    await page.getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)').setInputFiles(file);
    const files = page.getByRole('region', { name: 'FHIR files' });
    await files.getByRole('checkbox', { name: /^Codes:/ }).uncheck();
    await files
      .getByRole('group', { name: 'Report unknown extensions' })
      .getByRole('radio', { name: 'As warnings: listed, but the resource still counts as valid' })
      .check();
    await panel(page)
      .getByText(
        'With the project’s FHIR checks (chosen under “FHIR files”, shown once a FHIR file is added): Checks switched off: Codes. Unknown extensions count as warnings.',
      )
      .waitFor();
    const result = panel(page).getByRole('region', { name: 'Validation result' });
    const options = result.getByTestId('fhir-run-options');
    // the last pull's run had every check, as the section's defaults were
    expect(await options.textContent()).toMatch(/^Every FHIR check ran\. .*counted as errors/);
    await panel(page).getByRole('button', { name: 'Validate pulled records' }).click();
    await expect
      .poll(() => options.textContent(), { timeout: 60_000 })
      .toBe(
        'Checks switched off: Codes. Unknown extensions (not defined in the FHIR specification) were counted as warnings: a resource with one still counts as valid.',
      );
    expect(await result.getByTestId('score-records').textContent()).toBe(
      fhir.patients.length.toLocaleString('en-US'),
    );
    // the file runs' own choices are untouched, and nothing was validated there
    expect(await files.getByRole('checkbox', { name: /^Codes:/ }).isChecked()).toBe(false);
    expect(await files.getByRole('region', { name: 'Validation result' }).count()).toBe(0);
  });

  it('reconciles the demo patients.csv and shows what differs', async () => {
    const { page } = watched;
    await panel(page).getByLabel('Legacy patients file').setInputFiles(DEMO_PATIENTS_CSV);
    await panel(page).getByRole('button', { name: 'Reconcile' }).click();
    const table = panel(page).getByRole('table', { name: /^Reconcile:/ });
    await table.waitFor({ timeout: 60_000 });
    const { manifest } = fhir;
    const cell = async (name: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
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

  it('lists every patient to look at, by problem and identifier', async () => {
    const { page } = watched;
    const { manifest } = fhir;
    const list = panel(page).getByRole('table', { name: /^Patients to look at/ });
    const identifiers = async () => list.getByRole('rowheader').allTextContents();
    await panel(page).getByLabel('Show').selectOption('missing-on-server');
    const missing = [...manifest.missing, ...manifest.notLoaded];
    expect((await identifiers()).sort()).toEqual([...missing].sort());
    await panel(page).getByLabel('Show').selectOption({ index: 0 });
    const mrn = manifest.birthDate[0] as string;
    await panel(page).getByLabel('Identifier contains').fill(mrn);
    await expect(identifiers()).resolves.toEqual([mrn]);
    const [problem, , , inFile, onServer] = await list.getByRole('cell').allTextContents();
    expect(problem).toBe('Birth date differs');
    // the seed moved this patient's birth date one day on
    const next = new Date(`${inFile}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    expect(onServer).toBe(next.toISOString().slice(0, 10));
    await panel(page).getByLabel('Identifier contains').fill('');
  });

  it('exports the list as CSV and JSON with every patient and the counts', async () => {
    const { page } = watched;
    const { manifest } = fhir;
    const csv = await downloaded(page, () =>
      panel(page).getByRole('button', { name: 'Export the list (CSV)' }).click(),
    );
    const rows = csv
      .trimEnd()
      .split('\r\n')
      .map((r) => r.split(','));
    expect(rows[0]).toEqual([
      'problem',
      'description',
      'identifier',
      'file_row',
      'server_id',
      'file_value',
      'server_value',
    ]);
    const byProblem = (problem: string) =>
      rows.filter((r) => r[0] === problem).map((r) => restoreCsvCell(r[2] ?? ''));
    expect(byProblem('missing-on-server').sort()).toEqual(
      [...manifest.missing, ...manifest.notLoaded].sort(),
    );
    expect(byProblem('extra-on-server').sort()).toEqual([...manifest.extra].sort());
    expect(byProblem('gender-differs').sort()).toEqual([...manifest.sex].sort());
    const exported = loadReconcileList(
      JSON.parse(
        await downloaded(page, () =>
          panel(page).getByRole('button', { name: 'Export the list (JSON)' }).click(),
        ),
      ),
    );
    // the file is what its schema and loader say
    if (!exported.ok) expect.fail(JSON.stringify(exported.problems));
    const json = exported.value;
    expect(json.format).toBe('preflight.reconcile-list/v1');
    expect(json.server).toBe(fhir.origin);
    expect(json.counts['name-differs']).toBe(manifest.name.length);
    expect(json.lines).toHaveLength(rows.length - 1);
    expect(rows.find((r) => r[0] === 'birthDate-differs')?.[5]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await panel(page).getByLabel('Hide the differing values in exports').check();
    const hidden = await downloaded(page, () =>
      panel(page).getByRole('button', { name: 'Export the list (CSV)' }).click(),
    );
    const hiddenRows = hidden.trimEnd().split('\r\n').slice(1);
    expect(hiddenRows).toHaveLength(rows.length - 1);
    expect(hiddenRows.every((r) => r.endsWith(',,'))).toBe(true);
    const hiddenLoaded = loadReconcileList(
      JSON.parse(
        await downloaded(page, () =>
          panel(page).getByRole('button', { name: 'Export the list (JSON)' }).click(),
        ),
      ),
    );
    if (!hiddenLoaded.ok) expect.fail(JSON.stringify(hiddenLoaded.problems));
    const hiddenJson = hiddenLoaded.value;
    expect(hiddenJson.valuesHidden).toBe(true);
    expect(hiddenJson.lines.some((l) => l.file !== undefined || l.server !== undefined)).toBe(false);
  });

  it('pages through a long list: a file of the first rows leaves most patients only on the server', async () => {
    const { page } = watched;
    const dir = mkdtempSync(join(tmpdir(), 'preflight-reconcile-'));
    const first = join(dir, 'patients-first-rows.csv');
    writeFileSync(first, `${readFileSync(DEMO_PATIENTS_CSV, 'utf8').split('\n').slice(0, 61).join('\n')}\n`);
    await panel(page).getByLabel('Legacy patients file').setInputFiles(first);
    await panel(page).getByRole('button', { name: 'Reconcile' }).click();
    const list = panel(page).getByRole('table', { name: /^Patients to look at/ });
    await panel(page)
      .getByRole('table', { name: /patients-first-rows\.csv/ })
      .waitFor();
    const caption = /^Patients to look at: 1–50 of ([\d,]+)$/.exec(
      (await list.locator('caption').textContent()) ?? '',
    );
    const total = Number(caption?.[1]?.replaceAll(',', ''));
    expect(total).toBeGreaterThan(4_000);
    const pages = panel(page).getByRole('navigation', { name: 'Pages of patients to look at' });
    await pages.getByText(`Page 1 of ${Math.ceil(total / 50)}`).waitFor();
    const firstPage = await list.getByRole('rowheader').allTextContents();
    await pages.getByRole('button', { name: 'Next page' }).click();
    await pages.getByText(`Page 2 of ${Math.ceil(total / 50)}`).waitFor();
    await list
      .locator('caption')
      .getByText(/^Patients to look at: 51–100 of/)
      .waitFor();
    const secondPage = await list.getByRole('rowheader').allTextContents();
    expect(secondPage).toHaveLength(50);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
  });

  it('sends no identifier in any URL, and fits and passes axe at 1440 and 390 px', async () => {
    const { page } = watched;
    const mrns = fhir.patients.flatMap((p) => (p.identifier ?? []).map((i) => i.value ?? '')).filter(Boolean);
    const inUrls = requests.filter((r) => mrns.some((mrn) => r.search.includes(mrn) || r.path.includes(mrn)));
    expect(inUrls).toEqual([]);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) await panel(page).screenshot({ path: join(SHOTS, `fhir-server-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
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
