/**
 * Journey: a data analyst opens the demo clinic, chooses the legacy patient extract, imports the
 * mapping of it to the new EHR's patient import record (samples/targets) in the mapping editor and
 * uploads that target JSON Schema there, validates the extract with the mapping (no column
 * contract: only the mapped records are checked), sees the mapped-record findings — the schema's
 * own (`target.*`, grouped by record path, traced to the source column) and the mapping's
 * transform failures (`mapping.*`) — and drills into one: its examples, only its rows, one row,
 * whose source cell is marked with the field of the new record it fails. Validated again
 * with the column contract too, a row breaking both has its cell marked for both.
 * The schema is compiled in the validator worker only: no CSP violation anywhere, no console output.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples');
const MAPPING_NAME = "Legacy patients.csv to the new EHR's patient import record";
/** the header of the sample extract (cells are listed in its order) */
const HEADER = (readFileSync(join(SAMPLES, 'legacy/patients.csv'), 'utf8').split(/\r?\n/, 1)[0] ?? '').split(
  ',',
);
/** the first row whose ZIP code the target schema refuses (samples/README.md) */
const ZIP_ROW = 195;

let browser: Browser;
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
});

/** The marked cells of a listed row: the column each is in and what it says (before its value). */
async function markedCells(list: Locator, row: number): Promise<{ column: string; says: string }[]> {
  const cells = list.locator(`.failing-row[data-row="${row}"] .cell`);
  await cells.first().waitFor();
  return cells.evaluateAll(
    (els, header) =>
      els.flatMap((el, c) =>
        el.classList.contains('cell-bad')
          ? [{ column: header[c] ?? '', says: el.querySelector('.visually-hidden')?.textContent ?? '' }]
          : [],
      ),
    HEADER,
  );
}

/** Whether `cell` is wholly inside the scrollable list's box (not scrolled away sideways). */
async function cellInView(list: Locator, cell: Locator): Promise<boolean> {
  const [box, at] = await Promise.all([list.boundingBox(), cell.boundingBox()]);
  return !!box && !!at && at.x >= box.x && at.x + at.width <= box.x + box.width;
}

/** An issue of the report, by its rule and where it is. */
function issue(result: Locator, page: Page, rule: string, where: string): Locator {
  return result
    .locator('.issue')
    .filter({ has: page.locator('code', { hasText: new RegExp(`^${rule.replaceAll('.', '\\.')}$`) }) })
    .filter({
      has: page.locator('summary strong', { hasText: new RegExp(`^${where.replaceAll('.', '\\.')}$`) }),
    });
}

describe('Validating an extract through a mapping to a target JSON Schema', () => {
  it('imports the mapping and uploads its target schema in the mapping editor', async () => {
    const { page } = app;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles([join(SAMPLES, 'legacy/patients.csv')]);
    const card = page.getByRole('group', { name: /^patients\.csv/ });
    await card.waitFor();
    await page.getByText(/^Map patients\.csv to the new system/).click();
    await page
      .getByLabel('Import a mapping file')
      .setInputFiles(join(SAMPLES, 'targets/patients-to-target-patient.json'));
    await expect
      .poll(() => page.getByLabel('Mapping', { exact: true }).inputValue())
      .toBe('patients-to-target-patient');
    await expect(page.getByLabel('Target', { exact: true }).inputValue()).resolves.toBe('schema');
    // the schema the mapping names is not in the project yet
    await page
      .getByLabel('Schema', { exact: true })
      .locator('option', { hasText: 'not in this project' })
      .waitFor({ state: 'attached' });
    await page
      .getByLabel('Upload a target schema (JSON Schema or Table Schema)')
      .setInputFiles(join(SAMPLES, 'targets/target-patient.schema.json'));
    await expect
      .poll(() => page.getByLabel('Schema', { exact: true }).inputValue())
      .toBe('target:target-patient.schema.json');
    // the mapping still names the schema as the CLI finds it (a file next to the mapping)
    expect(await page.getByLabel('Mapping (JSON, preflight.mapping/v1)').inputValue()).toContain(
      '"schema": "target-patient.schema.json"',
    );
    await expect.poll(() => page.getByTestId('unmapped-required').textContent()).toBe('none');
    await expect
      .poll(() => page.getByTestId('mapping-preview').locator('.preview-record').first().textContent())
      .toContain('"legacyId": "P000001"');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('validates with the mapping and shows the mapped records’ findings, traced to their columns', async () => {
    const { page } = app;
    const card = page.getByRole('group', { name: /^patients\.csv/ });
    await card.getByLabel('Column contract').selectOption('');
    await card.getByLabel('Also check the records made by the mapping').selectOption({ label: MAPPING_NAME });
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('file-invalid').textContent()).resolves.toBe('96');
    // the schema's findings by record path, the mapping's transform failures at their column
    for (const [rule, where, count] of [
      ['target.pattern', 'phone', 45],
      ['target.pattern', 'address.postalCode', 14],
      ['target.required', 'allergies', 8],
      ['target.format', 'email', 6],
      ['mapping.codeMap', 'sex', 7],
      ['mapping.date', 'birth_date', 1],
    ] as const) {
      const found = issue(result, page, rule, where);
      await expect(found.getByTestId('issue-count').textContent(), `${rule} @ ${where}`).resolves.toBe(
        `${count} time${count === 1 ? '' : 's'}`,
      );
    }
    expect(await axeViolations(page)).toEqual([]);
  });

  it('drills into one finding: its examples name the source column, then only its rows, then one row', async () => {
    const { page } = app;
    const result = page.getByRole('region', { name: 'Validation result' });
    const postal = issue(result, page, 'target.pattern', 'address.postalCode');
    await postal.locator('summary').click();
    const examples = postal.getByRole('table', { name: 'Examples' });
    const first = examples.getByRole('row').nth(1);
    await expect(first.getByRole('cell').nth(2).textContent()).resolves.toBe('postal_code');
    await expect(first.getByRole('cell').nth(3).textContent()).resolves.toBe('address.postalCode');
    const firstRow = Number((await first.getByRole('cell').nth(1).textContent())?.replace(/\D/g, ''));
    expect(firstRow).toBe(195);
    await postal.getByRole('button', { name: 'List only the rows with this problem' }).click();
    await page.locator('.failing-filter').getByText('Showing only the 14 rows with').waitFor();
    const list = page.getByRole('region', { name: 'Failing rows of patients.csv, scrollable' });
    await expect
      .poll(async () => Number(await list.getByRole('listitem').first().getAttribute('data-row')))
      .toBe(195);
    await first.getByRole('button', { name: 'Row 195' }).click();
    await list.locator('.failing-row-target[data-row="195"]').waitFor();
    // the cell the data lead corrects: the ZIP code the mapping puts at address.postalCode
    expect(await markedCells(list, ZIP_ROW)).toEqual([
      {
        column: 'postal_code',
        says: 'problem in postal_code: it does not make a valid address.postalCode in the new record: ',
      },
    ]);
    // the list scrolled sideways to it (the 14th of 18 cells)
    await expect
      .poll(() => cellInView(list, list.locator(`.failing-row[data-row="${ZIP_ROW}"] .cell-bad`)))
      .toBe(true);
    await expect(
      list.locator(`.failing-row[data-row="${ZIP_ROW}"] .cell-bad`).getAttribute('title'),
    ).resolves.toBe('problem in postal_code: it does not make a valid address.postalCode in the new record');
    await expect(result.locator('.failing-rows').textContent()).resolves.toContain(
      'or that do not make a valid field of the new record through the mapping, are marked',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });

  it('marks the cells of every failing row: a transform failure at its column, through the whole list', async () => {
    const { page } = app;
    const result = page.getByRole('region', { name: 'Validation result' });
    await page.locator('.failing-filter').getByRole('button', { name: 'Show every failing row' }).click();
    const list = page.getByRole('region', { name: 'Failing rows of patients.csv, scrollable' });
    // the impossible date of row 1,431 (mapping.date, grouped at birth_date): chosen from its example
    const date = issue(result, page, 'mapping.date', 'birth_date');
    await date.locator('summary').click();
    await date.getByRole('table', { name: 'Examples' }).getByRole('button', { name: 'Row 1,431' }).click();
    await list.locator('.failing-row-target[data-row="1431"]').waitFor();
    expect(await markedCells(list, 1431)).toEqual([
      {
        column: 'birth_date',
        says: 'problem in birth_date: it does not make a valid birthDate in the new record: ',
      },
    ]);
    // every row listed in view has a marked cell: each of the 96 fails through the mapping only
    const listed = await list.locator('.failing-row').evaluateAll((els) =>
      els.map((el) => ({
        row: el.getAttribute('data-row'),
        marked: el.querySelectorAll('.cell-bad').length,
      })),
    );
    expect(listed.length).toBeGreaterThan(5);
    for (const { row, marked } of listed) expect(marked, `row ${row}`).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('with the column contract too, marks a cell that breaks both for both', async () => {
    const { page } = app;
    const card = page.getByRole('group', { name: /^patients\.csv/ });
    await card.getByLabel('Column contract').selectOption('contract:patients');
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    // 238 rows break the contract or the mapping (samples/README.md)
    await expect
      .poll(() => result.getByTestId('file-invalid').textContent(), { timeout: 120_000 })
      .toBe('238');
    const postal = issue(result, page, 'target.pattern', 'address.postalCode');
    await postal.locator('summary').click();
    await postal
      .getByRole('table', { name: 'Examples' })
      .getByRole('button', { name: `Row ${ZIP_ROW}` })
      .click();
    const list = page.getByRole('region', { name: 'Failing rows of patients.csv, scrollable' });
    await list.locator(`.failing-row-target[data-row="${ZIP_ROW}"]`).waitFor();
    expect(await markedCells(list, ZIP_ROW)).toEqual([
      {
        column: 'postal_code',
        says: 'problem in postal_code: it breaks the column contract, and it does not make a valid address.postalCode in the new record: ',
      },
    ]);
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
