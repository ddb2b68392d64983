/**
 * Journey: a data lead accepts the empty birth dates of the first 25 rows of a patients extract
 * (the walk-ins registered during the first week), in a file where 30 rows have one — more than
 * the 20 examples a report lists. Until the file is checked again the acceptance cannot know
 * where every occurrence lies, and says so; checked again, the pass counts the occurrences inside
 * those rows: the 25 are accepted, the 5 outside still fail and are said, and the run's verdict
 * counts them. Its rows changed after that check, the count of the old rows accepts nothing until
 * the file is checked again. The list of failing rows says of each row whether a waiver accepts it
 * or it still fails, and shows either side alone; "Export every failing row" names the waiver on
 * each accepted line. Selected by role and label; axe at 1440 and 390 px.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;
let dir: string;
const files = { extract: '', contract: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-waiver-rows-'));
  files.contract = join(dir, 'patients.contract.json');
  writeFileSync(
    files.contract,
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:clinic:patients',
      title: 'Patients contract',
      type: 'object',
      required: ['id', 'birth_date'],
      properties: { id: { type: 'string' }, birth_date: { type: 'string' } },
    }),
  );
  // 30 patients, every birth date empty
  files.extract = join(dir, 'walk-ins.csv');
  writeFileSync(
    files.extract,
    `id,birth_date\n${Array.from({ length: 30 }, (_, i) => `${i + 1},`).join('\n')}\n`,
  );
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });

async function validate(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Validate the file' }).click();
  await result(page).getByRole('button', { name: 'Saved in the project' }).waitFor({ timeout: 120_000 });
}

describe('Migration: a waiver limited to rows, on a problem with more occurrences than examples', () => {
  it('checks the extract: 30 empty birth dates', async () => {
    const { page } = app;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(files.extract);
    const card = page.getByRole('group', { name: /^walk-ins\.csv/ });
    await card.waitFor();
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(files.contract);
    if ((await card.getByLabel('Column contract').inputValue()) === '')
      await card.getByLabel('Column contract').selectOption({ label: 'Patients contract' });
    await validate(page);
    expect(await result(page).getByTestId('score-errors').textContent()).toBe('30');
  });

  it('accepted in rows 1-25, it says the file must be checked again to count them', async () => {
    const { page } = app;
    const report = result(page);
    await report.getByRole('button', { name: /^Accept this problem… birth_date: is required/ }).click();
    const form = report.getByRole('group', { name: /^Accept birth_date: is required/ });
    await form
      .getByLabel('Why it is accepted')
      .fill('Walk-ins of the first week were registered without one');
    await form.getByLabel('Owner (who answers for it)').fill('Dana Whitfield');
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByLabel('Only in rows (optional, e.g. 12, 40-45)').fill('1-25');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    const mark = report.getByTestId('waiver-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(
      'Accepted only in rows 1-25, and not every occurrence is known to be there: this problem still fails the check. Check the file again to count the occurrences in those rows.',
    );
  });

  it('checked again: the 25 inside are accepted, the 5 outside still fail and are said', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const report = result(page);
    // the new run's report: the problem in two, each with its mark
    const marks = report.getByTestId('waiver-mark');
    await marks.nth(1).waitFor({ timeout: 120_000 });
    await report.getByRole('button', { name: 'Saved in the project' }).waitFor();
    expect(await marks.allTextContents()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-ins of the first week were registered without one',
      'Accepted only in rows 1-25: these 5 occurrences lie outside them and still fail the check.',
    ]);
    const problems = await report.locator('.issue-list > li summary').allTextContents();
    expect(problems.filter((p) => p.includes('birth_date'))).toEqual([
      expect.stringMatching(/is required but empty — 25 times/),
      expect.stringMatching(/is required but empty — 5 times/),
    ]);
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('5');
    expect(await report.getByTestId('score-errors').textContent()).toBe('30');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await report.screenshot({ path: join(SHOTS, 'waiver-rows-1440.png') });
  });

  it('the failing rows say which are accepted and which still fail, and show either side', async () => {
    const { page } = app;
    const report = result(page);
    const marksOf = async (list: Locator) => {
      await list.locator('.failing-row [data-testid="row-waiver"]').first().waitFor();
      return list
        .locator('.failing-row')
        .evaluateAll((rows) =>
          rows.map((r) => [
            (r as HTMLElement).dataset.row,
            r.querySelector('[data-testid="row-waiver"]')?.textContent ?? '',
          ]),
        );
    };
    const every = await marksOf(
      report.getByRole('region', { name: 'Failing rows of walk-ins.csv, scrollable' }),
    );
    expect(every.slice(0, 3)).toEqual([
      ['1', 'Accepted (Dana Whitfield)'],
      ['2', 'Accepted (Dana Whitfield)'],
      ['3', 'Accepted (Dana Whitfield)'],
    ]);
    const show = report.getByLabel('Show');
    await show.selectOption({ label: 'Rows still failing in walk-ins.csv (5 rows)' });
    const still = await marksOf(
      report.getByRole('region', { name: 'Rows still failing in walk-ins.csv, scrollable' }),
    );
    expect(still).toEqual(['26', '27', '28', '29', '30'].map((row) => [row, 'Still failing']));
    await show.selectOption({ label: 'Rows accepted by a waiver in walk-ins.csv (25 rows)' });
    const accepted = report.getByRole('region', {
      name: 'Rows accepted by a waiver in walk-ins.csv, scrollable',
    });
    const listed = await marksOf(accepted);
    expect(listed[0]).toEqual(['1', 'Accepted (Dana Whitfield)']);
    expect(new Set(listed.map(([, mark]) => mark))).toEqual(new Set(['Accepted (Dana Whitfield)']));
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS)
      await report.locator('.failing-rows').screenshot({ path: join(SHOTS, 'waiver-rows-list-1440.png') });
    await show.selectOption({ label: 'Every failing row' });
  });

  it('the export of every failing row names the waiver on each accepted line, and re-reads', async () => {
    const { page } = app;
    const download = async (button: string) => {
      const downloading = page.waitForEvent('download');
      await result(page).getByRole('button', { name: button, exact: true }).click();
      return readFileSync((await (await downloading).path()) as string, 'utf8');
    };
    const [head, ...lines] = Papa.parse<string[]>(
      (await download('Export every failing row (CSV)')).trimEnd(),
      { newline: '\r\n' },
    ).data;
    expect(head).toEqual(['file', 'row', 'column', 'rule', 'severity', 'message', 'value', 'acceptedBy']);
    const waiverId = lines[0]?.[7] ?? '';
    expect(waiverId).not.toBe('');
    expect(lines.map((l) => [l[1], l[2], l[7]])).toEqual(
      Array.from({ length: 30 }, (_, i) => [String(i + 1), 'birth_date', i < 25 ? waiverId : '']),
    );
    const ndjson = (await download('Export every failing row (NDJSON)'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; acceptedBy?: string });
    expect(ndjson.map((l) => [l.row, l.acceptedBy])).toEqual(
      Array.from({ length: 30 }, (_, i) => [i + 1, i < 25 ? waiverId : undefined]),
    );
  });

  it('its rows narrowed to 1-10, the count of the old rows no longer accepts: check again', async () => {
    const { page } = app;
    const report = result(page);
    await report
      .getByRole('button', { name: /^Change the acceptance birth_date: is required/ })
      .first()
      .click();
    const form = report.getByRole('group', { name: /^Accept birth_date: is required/ });
    await form.getByLabel('Only in rows (optional, e.g. 12, 40-45)').fill('1-10');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    // the report is judged with the waiver as it is now: one problem again, not accepted
    const marks = report.getByTestId('waiver-mark');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="waiver-mark"]').length === 1,
      undefined,
      { timeout: 30_000 },
    );
    expect(await marks.allTextContents()).toEqual([
      'Accepted only in rows 1-10, and not every occurrence is known to be there: this problem still fails the check. Check the file again to count the occurrences in those rows.',
    ]);
    // nothing accepted: no line of accepted problems, the 30 errors all count
    expect(await report.getByTestId('waiver-summary').count()).toBe(0);
    expect(await report.getByTestId('score-errors').textContent()).toBe('30');
  });

  it('checked again: the 10 in the new rows are accepted, the 20 outside still fail', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const report = result(page);
    const marks = report.getByTestId('waiver-mark');
    await marks.nth(1).waitFor({ timeout: 120_000 });
    await report.getByRole('button', { name: 'Saved in the project' }).waitFor();
    expect(await marks.allTextContents()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-ins of the first week were registered without one',
      'Accepted only in rows 1-10: these 20 occurrences lie outside them and still fail the check.',
    ]);
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('20');
  });

  it('fits a phone: no page-wide scroll, no accessibility violation', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 900 });
    await result(page).getByTestId('errors-not-accepted').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await result(page).screenshot({ path: join(SHOTS, 'waiver-rows-390.png') });
    const show = result(page).getByLabel('Show');
    await show.selectOption({ label: 'Rows still failing in walk-ins.csv (20 rows)' });
    const still = result(page).getByRole('region', {
      name: 'Rows still failing in walk-ins.csv, scrollable',
    });
    await still.locator('[data-testid="row-waiver"]').first().waitFor();
    expect(await still.locator('[data-testid="row-waiver"]').first().textContent()).toBe('Still failing');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS)
      await result(page)
        .locator('.failing-rows')
        .screenshot({ path: join(SHOTS, 'waiver-rows-list-390.png') });
    expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(app.cspViolations).toEqual([]);
  });
});
