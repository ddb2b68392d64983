/**
 * A CSV mapped to an R4 resource type, validated on the Migration screen of the production build,
 * in the app's own validator worker under its own CSP: the FHIR modules (digest, the Patient
 * structure module, FHIRPath.js) are imported by the worker only when a mapping needs them, as
 * chunks of their own, with no policy violation and no console message; a record the mapping
 * cannot make is reported at its row, its source column and the place in the record.
 *
 * The demo's documented counts of the mapped run and the table of mapped findings are the worker
 * API's (workers/validateMapped.test.ts, in Node); this proves what only the browser shows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

/** The demo's first rows: row 166 has an empty last name, a name the mapping cannot make. */
const ROWS = 200;
const MAPPING = 'Legacy patients.csv to FHIR R4 Patient';
const MAPPING_LABEL = 'Also check the records made by the mapping';
/** The FHIR modules' chunks, as the build names them. */
const FHIR_MODULE = /^(digest|Patient|fhirPathEngine|mappedRows)-/;

let browser: Browser;
let app: Watched;
let dir: string;
let extract: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-mapped-'));
  const bytes = readFileSync(resolve(import.meta.dirname, '../../samples/legacy/patients.csv'));
  let end = 0;
  for (let line = 0; line <= ROWS; line += 1) end = bytes.indexOf(0x0a, end) + 1;
  extract = join(dir, 'patients.csv');
  writeFileSync(extract, bytes.subarray(0, end));
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page) => page.getByRole('group', { name: /^patients\.csv/ });
const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });

/** The scripts the app's validator worker has loaded, by file name. */
async function validatorScripts(page: Page): Promise<string[]> {
  const worker = page.workers().find((w) => /\/validate\.worker[-.]/.test(w.url()));
  if (!worker) throw new Error('the validator worker is not running');
  return worker.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name.slice(entry.name.lastIndexOf('/') + 1)),
  );
}

describe('validator worker: CSV mapped to FHIR Patient, in Chromium', () => {
  it('loads no FHIR module before a mapping needs one', async () => {
    const { page } = app;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(extract);
    await expect(
      card(page)
        .getByLabel(MAPPING_LABEL)
        .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text),
    ).resolves.toBe('No mapping');
    await page.getByRole('button', { name: 'Validate the file' }).click();
    await result(page)
      .getByTestId('score-records')
      .filter({ hasText: String(ROWS) })
      .waitFor();
    expect((await validatorScripts(page)).filter((name) => FHIR_MODULE.test(name))).toEqual([]);
  });

  it('loads them in the worker for a mapping, and reports a record it cannot make at its row, column and place', async () => {
    const { page } = app;
    await card(page).getByLabel(MAPPING_LABEL).selectOption({ label: MAPPING });
    await page.getByRole('button', { name: 'Validate the file' }).click();
    // the mapped finding: the empty last name of row 166 makes no Patient.name[0].family
    await result(page)
      .locator('tr')
      .filter({ hasText: 'Row 166' })
      .filter({ hasText: 'last_name' })
      .filter({ hasText: 'Patient.name[0].family' })
      .first()
      .waitFor({ state: 'attached' });
    const fhirModules = (await validatorScripts(page)).filter((name) => FHIR_MODULE.test(name));
    expect(fhirModules.map((name) => name.replace(/-.*$/, '')).sort()).toEqual([
      'Patient',
      'digest',
      'fhirPathEngine',
    ]);
  });

  it('printed nothing and broke no policy, in the page or its workers', () => {
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
