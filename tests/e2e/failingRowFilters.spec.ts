/**
 * Journey: after checking the demo extracts (samples/README.md: 12 repeated MRNs, 4 of them
 * different people, 37 encounters of patients not in the patient file), a data lead narrows the
 * failing-row list with "Show": to the rows with errors, to the rows with warnings (a third file
 * with a line ending of another kind), and to each finding across records and files — the list
 * then holds exactly those rows, found by reading the files again (nothing of them is kept but
 * their places), read as the list scrolls. Selected by role and label; axe, console and CSP watched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');

let browser: Browser;
let app: Watched;
let dir: string;
let visits: string;

/** Data rows (1 = first) of a CSV file, parsed whole here in the test. */
function rowsOf(file: string, encoding: string, delimiter: string): string[][] {
  const text = new TextDecoder(encoding).decode(readFileSync(file));
  return (Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true }).data as string[][]).slice(1);
}

const patients = rowsOf(join(SAMPLES, 'patients.csv'), 'utf-8', ',');
const encounters = rowsOf(join(SAMPLES, 'encounters.csv'), 'windows-1252', ';');
const patientIds = new Set(patients.map((r) => r[0]));
/** encounters whose patient_id is not in patients.csv, by data row */
const ORPHAN_ROWS = encounters.flatMap((r, i) => (r[1] !== '' && !patientIds.has(r[1]) ? [i + 1] : []));
/** rows of patients.csv whose mrn repeats */
const mrnCount = new Map<string, number>();
for (const r of patients) mrnCount.set(r[1] as string, (mrnCount.get(r[1] as string) ?? 0) + 1);
const REPEATED_ROWS = patients.flatMap((r, i) => ((mrnCount.get(r[1] as string) ?? 0) > 1 ? [i + 1] : []));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-row-filters-'));
  visits = join(dir, 'visits.csv');
  // CRLF throughout but one LF, read (as papaparse reads it) as text inside row 2: a warning on row 2
  writeFileSync(visits, 'visit_id,room\r\nV1,A\r\nV2,B\nV3\r\nV4,D\r\n');
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });
const show = (page: Page) => result(page).getByLabel('Show', { exact: true });

/** Chooses the "Show" option whose text starts with `label`, and waits for its list's first row. */
async function choose(page: Page, label: string): Promise<Locator> {
  const option = show(page).locator('option', { hasText: label });
  const text = (await option.textContent()) ?? '';
  await show(page).selectOption({ label: text });
  const list = result(page).getByRole('region', { name: `${label}, scrollable` });
  try {
    // a search reads the files again: as long as a validation, on a loaded machine
    await list.locator('.failing-row .cell').first().waitFor({ timeout: 120_000 });
  } catch (error) {
    // say what the list showed instead (the search's progress or its problem)
    const shown = await result(page).locator('.failing-rows').textContent();
    throw new Error(`no row listed for "${label}"; the list said: ${shown}`, { cause: error });
  }
  return list;
}

async function listedRows(list: Locator): Promise<number[]> {
  return (
    await list.locator('.failing-row').evaluateAll((els) => els.map((el) => el.getAttribute('data-row')))
  ).map(Number);
}

describe('Migration: the failing-row list narrowed with "Show"', () => {
  it('validates the demo extracts and a third file, and offers a choice per kind of row', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV)')
      .setInputFiles([join(SAMPLES, 'patients.csv'), join(SAMPLES, 'encounters.csv'), visits]);
    await page.getByRole('group', { name: /^visits\.csv/ }).waitFor();
    await page.getByRole('button', { name: /^Validate the/ }).click();
    await result(page).waitFor({ timeout: 120_000 });
    const options = await show(page).locator('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([
        'Every failing row',
        'Rows with errors in patients.csv (238 rows)',
        'Repeated keys in patients.csv, column mrn (24 rows)',
        'One identifier, different details: patients.csv, column mrn (8 rows)',
        'References to missing records: encounters.csv, column patient_id, not found in patients.csv (37 rows)',
        'Rows with warnings in visits.csv (1 warning)',
      ]),
    );
    expect(ORPHAN_ROWS).toHaveLength(37);
    expect(REPEATED_ROWS).toHaveLength(24);
  });

  it('lists every orphan encounter (the report keeps 20 examples), found by reading the files again', async () => {
    const { page } = app;
    const label =
      'References to missing records: encounters.csv, column patient_id, not found in patients.csv';
    const list = await choose(page, label);
    await result(page).getByRole('heading', { name: label }).waitFor();
    expect(await result(page).getByText(`37 rows: ${label}`).count()).toBe(1);
    expect(await listedRows(list)).toEqual(ORPHAN_ROWS.slice(0, (await listedRows(list)).length));
    // the last one, after scrolling to the end: read from the file as it comes into view
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await list
      .locator(`.failing-row[data-row="${ORPHAN_ROWS.at(-1)}"] .cell`)
      .first()
      .waitFor();
    const last = list.locator(`.failing-row[data-row="${ORPHAN_ROWS.at(-1)}"]`);
    expect(await last.locator('.cell').nth(1).textContent()).toBe(
      encounters[(ORPHAN_ROWS.at(-1) as number) - 1]?.[1],
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lists the rows of the repeated keys and of the identifiers with different details', async () => {
    const { page } = app;
    const repeated = await choose(page, 'Repeated keys in patients.csv, column mrn');
    expect(await listedRows(repeated)).toEqual(REPEATED_ROWS.slice(0, (await listedRows(repeated)).length));
    const conflicts = await choose(page, 'One identifier, different details: patients.csv, column mrn');
    const rows = await listedRows(conflicts);
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => REPEATED_ROWS.includes(row))).toBe(true);
  });

  it('lists the rows with errors, and the rows with warnings of another file', async () => {
    const { page } = app;
    const errors = await choose(page, 'Rows with errors in patients.csv');
    expect(await result(page).getByText('238 rows with errors in patients.csv').count()).toBe(1);
    expect((await listedRows(errors))[0]).toBeGreaterThan(0);
    const warnings = await choose(page, 'Rows with warnings in visits.csv');
    expect(await listedRows(warnings)).toEqual([2]);
    expect(await warnings.locator('.cell').allTextContents()).toEqual(['V2', 'B\nV3']);
    // back to every failing row of a file
    await show(page).selectOption({ label: 'Every failing row' });
    await result(page).getByRole('heading', { name: 'Every failing row' }).waitFor();
    await result(page)
      .getByRole('region', { name: /^Failing rows of / })
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
