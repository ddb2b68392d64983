/**
 * Journeys on bad input. A data manager checks an extract against a Frictionless Table Schema whose dates are
 * written `%m/%d/%Y`. In real Chromium the bad dates (13/45/1990, 29 February of a common year)
 * and the impossible time are errors whose message names the layout, and what the Table Schema
 * asks that this run does not check (a day-of-year layout, a foreign key into a file not checked)
 * is listed under "Not checked" beside the result and in the CSV and printable exports. Then a binary file named .csv is "not a text
 * file" with its byte offset and line, not an encoding problem; and a Table Schema's missing
 * values ("NA", "-") are empty cells, not wrong values, and its numbers with a decimal comma
 * ("1.234,50") are read as numbers. CSP, console and axe are watched,
 * at 1440 and 390 px. Fixture: tests/fixtures/table-schema.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/table-schema');

let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-tableschema-e2e-'));
  // a database dump saved with a .csv name: lines of text, then binary bytes (no file signature
  // the screen knows, as a PDF's or a spreadsheet's, so it reaches validation)
  writeFileSync(
    join(dir, 'dump.csv'),
    Buffer.from('patient_id,name\nP1,Ann\nP2,\x00\x00\x07\x10\x00\n', 'latin1'),
  );
  // amounts written as a European system writes them: decimal comma, point between thousands
  writeFileSync(join(dir, 'invoices.csv'), 'invoice_id,amount\r\nI1,"1.234,50"\r\nI2,"12,5"\r\nI3,12.5x\r\n');
  writeFileSync(
    join(dir, 'invoices.schema.json'),
    JSON.stringify({
      fields: [
        { name: 'invoice_id', constraints: { required: true } },
        { name: 'amount', type: 'number', decimalChar: ',', groupChar: '.', constraints: { maximum: 2000 } },
      ],
    }),
  );
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Migration: a Table Schema with date layouts', () => {
  it('fails the dates that do not fit and lists what is not checked', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(FIXTURES, 'visits.csv'));
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(join(FIXTURES, 'visits.schema.json'));
    const file = page.getByRole('group', { name: /^visits\.csv/ });
    await expect
      .poll(() => file.getByLabel('Column contract').locator('option:checked').textContent())
      .toBe('visits.schema.json');
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.getByTestId('score-errors').textContent()).toBe('3');
    expect(await result.textContent()).toContain('must be written as %m/%d/%Y, e.g. 01/31/2024');
    const note = result.getByRole('note').filter({ hasText: 'Not checked' });
    const items = await note.getByRole('listitem').allTextContents();
    // visit_id, the primary key, is the file's key on the screen: its repeats are checked
    expect(items).toEqual([
      'the date format of "admitted" is not checked: it uses the directive %j',
      'the foreign key patient_id → patients.patient_id: link the files by it to check it',
    ]);
    // the CSV and the printable page a user hands on list the same, in the same words
    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        result.getByRole('button', { name: button }).click(),
      ]);
      return readFileSync((await download.path()) as string, 'utf8');
    };
    const csv = Papa.parse<Record<string, string>>(await exported('Export CSV'), {
      header: true,
      skipEmptyLines: true,
    }).data.filter((row) => row.section === 'not checked');
    expect(csv.map((row) => [row.file, row.message])).toEqual(items.map((what) => ['visits.csv', what]));
    const html = await exported('Export printable page');
    expect(html).toContain(
      `<h3>Not checked</h3><p>The contract asks for more than this run checked:</p><ul class="not-checked">${items
        .map((what) => `<li>${what.replace(/"/g, '&quot;')}</li>`)
        .join('')}</ul>`,
    );
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await note.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'not-checked-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const note = page.getByRole('note').filter({ hasText: 'Not checked' });
    await note.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await note.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'not-checked-390.png') });
    }
  });
});

describe('Migration: a binary file named .csv, of no kind the screen recognises', () => {
  it('is "not a text file", with the byte offset and the line, not an encoding problem', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.getByRole('button', { name: 'Remove visits.csv' }).click();
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, 'dump.csv'));
    // told as the file is read for its layout, before any validation
    const alert = page.getByText(/^dump\.csv is not a text file/);
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('dump.csv is not a text file: it holds a zero byte at offset 26 (line 3)');
    expect(text).toContain('Export the data as CSV');
    expect(await page.getByRole('group', { name: /^dump\.csv/ }).count()).toBe(0);
    expect(text).not.toContain('encoding');
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await alert.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'binary-390.png') });
    }
  });
});

describe('Migration: a Table Schema with missing values', () => {
  it('reads "NA", "-" and "n/a" as empty cells, not as wrong values', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(FIXTURES, 'readings.csv'));
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(join(FIXTURES, 'readings.schema.json'));
    const file = page.getByRole('group', { name: /^readings\.csv/ });
    await expect
      .poll(() => file.getByLabel('Column contract').locator('option:checked').textContent())
      .toBe('readings.schema.json');
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect.poll(() => result.getByTestId('file-readings.csv').count(), { timeout: 30_000 }).toBe(1);
    // a systolic of "NA" or "-" is no type error; a reading_id of "NA" is a required one missing
    expect(await result.getByTestId('score-errors').textContent()).toBe('3');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('reading_id in readings.csv: is required but empty — 1 time');
    expect(text).toContain('systolic in readings.csv: must be a whole number — 1 time');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('Migration: a Table Schema whose numbers have a decimal comma', () => {
  it('reads "1.234,50" as a number, and fails only what is no number', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.getByRole('button', { name: 'Remove readings.csv' }).click();
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, 'invoices.csv'));
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(join(dir, 'invoices.schema.json'));
    const file = page.getByRole('group', { name: /^invoices\.csv/ });
    await expect
      .poll(() => file.getByLabel('Column contract').locator('option:checked').textContent())
      .toBe('invoices.schema.json');
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect.poll(() => result.getByTestId('file-invoices.csv').count(), { timeout: 30_000 }).toBe(1);
    expect(await result.getByTestId('score-errors').textContent()).toBe('1');
    expect(await result.textContent()).toContain('amount in invoices.csv: must be a number — 1 time');
    // read with its characters, so not listed as not checked
    expect(await result.getByRole('note').filter({ hasText: 'Not checked' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
