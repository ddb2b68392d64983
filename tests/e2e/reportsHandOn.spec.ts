/**
 * Journey: a data lead checks the demo extracts and hands the result on — the screen and every
 * export cite each file's SHA-256 (the same as `sha256sum`), "Export every failing row" writes
 * every failing row of both files (263, though the report keeps 20 examples per problem) as CSV
 * and NDJSON, each line's value the cell of its row in the file, and the printable page opens
 * with its one-page summary. Selected by role and label; axe at 1440 and 390 px; console and CSP
 * watched.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCsvCell } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

const FILES = [
  { name: 'patients.csv', encoding: 'utf-8', delimiter: ',', invalid: 238 },
  { name: 'encounters.csv', encoding: 'windows-1252', delimiter: ';', invalid: 25 },
];

const sha256 = (name: string) =>
  createHash('sha256')
    .update(readFileSync(join(SAMPLES, name)))
    .digest('hex');

/** The records of a CSV file, parsed whole here in the test ([0] is the header). */
function recordsOf(name: string, encoding: string, delimiter: string): string[][] {
  const text = new TextDecoder(encoding).decode(readFileSync(join(SAMPLES, name)));
  return Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true }).data as string[][];
}

let browser: Browser;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
});

const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });

async function download(page: Page, button: string): Promise<string> {
  const downloading = page.waitForEvent('download');
  await result(page).getByRole('button', { name: button, exact: true }).click();
  const file = await downloading;
  return readFileSync((await file.path()) as string, 'utf8');
}

describe('Migration: a report a data lead can hand on', () => {
  it('validates the demo extracts and shows each file’s SHA-256', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV)')
      .setInputFiles(FILES.map((f) => join(SAMPLES, f.name)));
    await page.getByRole('group', { name: /^encounters\.csv/ }).waitFor();
    await page.getByRole('button', { name: /^Validate the/ }).click();
    await result(page).waitFor({ timeout: 120_000 });
    for (const file of FILES) {
      const row = result(page).getByTestId(`file-${file.name}`);
      await expect(row.getByTestId('file-invalid').textContent()).resolves.toBe(String(file.invalid));
      await expect(row.getByTestId('file-sha256').textContent()).resolves.toBe(sha256(file.name));
    }
    // shares of records, never above 100 %
    const summaries = await result(page).locator('.issue summary').allTextContents();
    expect(summaries.some((s) => /of 5,000 records \(\d/.test(s))).toBe(true);
    for (const s of summaries)
      for (const m of s.matchAll(/\(([\d.]+) %\)/g)) expect(Number(m[1])).toBeLessThanOrEqual(100);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('exports every failing row as CSV, each line’s value the cell of its row in the file', async () => {
    const { page } = app;
    const text = await download(page, 'Export every failing row (CSV)');
    await result(page).getByTestId('failing-export-done').waitFor();
    const [head, ...lines] = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
    expect(head).toEqual(['file', 'row', 'column', 'rule', 'severity', 'message', 'value', 'acceptedBy']);
    for (const file of FILES) {
      const records = recordsOf(file.name, file.encoding, file.delimiter);
      const header = records[0] as string[];
      const own = lines.filter((l) => l[0] === file.name);
      // every failing row of the file, not the report's 20 examples per problem
      expect(new Set(own.map((l) => l[1])).size, file.name).toBe(file.invalid);
      for (const [, row, column, , , message, value] of own) {
        const index = header.indexOf(column as string);
        if (index >= 0) expect(restoreCsvCell(value as string)).toBe(records[Number(row)]?.[index] ?? '');
        expect(message).not.toBe('');
        // formula-injection safe
        expect('=+-@\t\r').not.toContain((value as string).charAt(0) || 'x');
      }
    }
  });

  it('exports the same lines as NDJSON', async () => {
    const { page } = app;
    const csv = Papa.parse<string[]>((await download(page, 'Export every failing row (CSV)')).trimEnd(), {
      newline: '\r\n',
    }).data.slice(1);
    const ndjson = (await download(page, 'Export every failing row (NDJSON)'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; row: number; message: string; value?: string });
    expect(ndjson).toHaveLength(csv.length);
    ndjson.forEach((line, i) => {
      expect([line.file, String(line.row), line.message]).toEqual([csv[i]?.[0], csv[i]?.[1], csv[i]?.[5]]);
      expect(line.value ?? '').toBe(restoreCsvCell(csv[i]?.[6] ?? ''));
    });
  });

  it('cites the fingerprints in the exported report and opens the printable page with its summary', async () => {
    const { page } = app;
    const report = JSON.parse(await download(page, 'Export JSON')) as Report;
    for (const file of FILES)
      expect(report.inputs.find((i) => i.name === file.name)?.sha256).toBe(sha256(file.name));
    const html = await download(page, 'Export printable page');
    const summary = html.slice(html.indexOf('<section class="summary-page"'), html.indexOf('</section>'));
    expect(summary).toContain('<h2 id="summary-heading">Summary</h2>');
    expect(summary).toContain('2 files, 17,000 records, checked against the contracts');
    for (const file of FILES) expect(summary).toContain(`<code>${sha256(file.name)}</code>`);
    expect(summary).toContain('<h3>Top problems</h3>');
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=/);
    // the page as printed: opened on its own, it passes axe too
    const printed = await page.context().newPage();
    await printed.setContent(html);
    if (SHOTS) {
      await printed.emulateMedia({ media: 'print' });
      await printed.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
      await printed.screenshot({ path: join(SHOTS, 'report-print-summary.png') });
    }
    expect(await axeViolations(printed)).toEqual([]);
    await printed.close();
  });

  it('stays usable on a phone, and nothing was printed', async () => {
    const { page } = app;
    if (SHOTS) await result(page).screenshot({ path: join(SHOTS, 'report-1440.png') });
    await page.setViewportSize({ width: 390, height: 900 });
    await result(page).getByRole('button', { name: 'Export every failing row (CSV)' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) {
      await result(page).screenshot({ path: join(SHOTS, 'report-390.png') });
      // the part a phone shows first: files with their fingerprints, and the export buttons
      await result(page).getByRole('heading', { name: 'Result' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'report-390-top.png') });
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
