/**
 * Journey: a clinic's data lead checks the demo extracts on a phone (390 px wide) and on a desktop
 * (1440 px). The problems list says in words that a cell is not written in the agreed layout (the
 * regular expression and the contract's own description are in the details, for whoever needs
 * them), and every failing row names the columns to correct right after its row number, in view
 * without scrolling sideways, though the marked cell itself may be the 14th of 18. Accessible
 * (axe) at both widths; nothing printed to the console.
 */
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;

const result = (page: Page): Locator => page.getByRole('region', { name: 'Validation result' });

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  app = await openApp(context, '#/migration');
  const { page } = app;
  const extracts = page.getByLabel('Extract files (CSV or TSV)');
  await extracts.waitFor();
  await extracts.setInputFiles([join(SAMPLES, 'patients.csv'), join(SAMPLES, 'encounters.csv')]);
  await page.getByRole('group', { name: /^encounters\.csv/ }).waitFor();
  await page.getByRole('button', { name: /^Validate the/ }).click();
  await result(page).waitFor({ timeout: 120_000 });
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  { width: 390, height: 844 },
  { width: 1440, height: 1000 },
])('Migration report at $width px', ({ width, height }) => {
  it('says a pattern problem in words, with the pattern and the agreed layout in its details', async () => {
    const { page } = app;
    await page.setViewportSize({ width, height });
    const problem = result(page)
      .locator('li.issue')
      // the column by the contract's title, its name in brackets
      .filter({
        hasText: /Date of birth \(birth_date\) in patients\.csv: is not written in the agreed layout/,
      });
    await expect(problem.count()).resolves.toBe(1);
    // no regular expression on any summary line
    const summaries = await result(page).locator('li.issue summary').allTextContents();
    expect(summaries.length).toBeGreaterThan(10);
    for (const summary of summaries) expect(summary).not.toMatch(/pattern|\^\\d|\$ —/);
    await problem.locator('summary').click();
    await expect(problem.getByText(/^The agreed layout says: ISO 8601 calendar date/).count()).resolves.toBe(
      1,
    );
    await expect(problem.locator('code', { hasText: '^\\d{4}-\\d{2}-\\d{2}$' }).count()).resolves.toBe(1);
    await problem.locator('summary').click();
  });

  it('names the columns to correct at the start of every failing row, in view', async () => {
    const { page } = app;
    await page.setViewportSize({ width, height });
    const list = page.getByRole('region', { name: /^Failing rows of patients\.csv/ });
    await list.locator('.failing-row .cell').first().waitFor();
    await list.scrollIntoViewIfNeeded();
    const rows = await list.locator('.failing-row').evaluateAll((els) =>
      els.flatMap((row) => {
        if (!row.querySelector('.cell')) return []; // not read yet
        const viewport = row.closest('.failing-viewport') as HTMLElement;
        const view = viewport.getBoundingClientRect();
        const named = row.querySelector<HTMLElement>('.failing-row-columns');
        const box = named?.getBoundingClientRect();
        return [
          {
            row: row.getAttribute('data-row'),
            named: named?.textContent ?? '',
            marked: [...row.querySelectorAll<HTMLElement>('.cell-bad')].map((c) =>
              c.title.replace(/^problem in /, '').replace(/:.*$/, ''),
            ),
            // its start at least, in the list's view without scrolling sideways
            inView: box ? box.left >= view.left - 1 && box.left + 40 <= view.right : false,
          },
        ];
      }),
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.named, `row ${r.row}`).toBe(r.marked.join(', '));
      expect(r.inView, `row ${r.row}'s columns in view`).toBe(true);
    }
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS)
      await page.screenshot({ path: join(SHOTS, `migration-failing-rows-${width}.png`), fullPage: true });
  });
});

describe('Migration report on a phone', () => {
  it('prints nothing to the console', () => {
    expect(app.console).toEqual([]);
  });
});
