/**
 * Journey: a clinician reviews the demo clinic's main plan, whose strata come from validation (the
 * flagged rows a census). On a clean record nothing is said about validation; on a flagged record
 * the screen says which checks of the column contract fail on its row — the column and the rule in
 * words — before the aligned fields, so she checks what was flagged. The record list marks flagged
 * records and filters by flag and by stratum. At 1440 and 390 px axe finds
 * nothing; no console output; no CSP violation.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';
import { DEMO_PATIENTS } from './signoffJourney.ts';

const PLAN = 'Patient demographics: clinician sample before go-live';
/** Set SHOT_DIR to keep screenshots of a flagged record (1440 and 390 px). */
const SHOT_DIR = process.env.SHOT_DIR;

let browser: Browser;
let app: Watched;

const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });
const record = (page: Page, n: number): Locator =>
  review(page).getByRole('region', { name: `Record ${n} of 396` });
const reasons = (scope: Locator): Locator =>
  scope.getByRole('region', { name: 'Why validation flagged this record' });

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/signoff');
});

afterAll(async () => {
  await browser?.close();
});

describe('the validation errors on a flagged record', () => {
  it('draws the plan stratified by validation and opens its first, clean record: nothing flagged', async () => {
    const { page } = app;
    await card(page).getByLabel('Data files').setInputFiles(DEMO_PATIENTS);
    await card(page).getByRole('button', { name: 'Lock the plan' }).click();
    await card(page).getByTestId('plan-hash').waitFor();
    const panel = review(page);
    await panel.getByLabel('Data files for the sample').setInputFiles(DEMO_PATIENTS);
    await panel.getByText('396 records drawn').waitFor();
    await panel.getByLabel('Printed name', { exact: true }).fill('Dana Reyes');
    await panel.getByLabel('Role', { exact: true }).fill('Registered nurse');
    await panel.getByLabel('Staff id', { exact: true }).fill('RN-204');
    await panel.getByLabel('Data file to review').setInputFiles(DEMO_PATIENTS);
    const first = record(page, 1);
    await first.getByRole('table', { name: /^Legacy and migrated record/ }).waitFor();
    await expect(first.getByText(/stratum clean/).count()).resolves.toBe(1);
    await expect(first.getByTestId('flagged-reasons').count()).resolves.toBe(0);
  });

  it('on a flagged record names each failing check and its column, before the fields', async () => {
    const { page } = app;
    // the list marks flagged records and filters by flag and stratum; the clean stratum's 146
    // records come first, so record 147 is the first flagged one
    const list = review(page).getByRole('navigation', { name: 'Records of the sample' });
    const listed = list.getByRole('list', { name: 'Sampled records' }).getByRole('button');
    await expect(listed.first().textContent()).resolves.not.toMatch(/flagged by validation/);
    await list.getByLabel('Flagged by validation only (250)').check();
    await expect(listed.count()).resolves.toBe(250);
    await expect(listed.first().textContent()).resolves.toMatch(/^147 .* · flagged by validation/);
    await list.getByLabel('Stratum').selectOption('clean');
    await list.getByText('No record matches what is chosen above.').waitFor();
    await list.getByLabel('Flagged by validation only (250)').uncheck();
    await expect(listed.count()).resolves.toBe(146);
    await list.getByLabel('Stratum').selectOption('flagged');
    await expect(listed.count()).resolves.toBe(250);
    await list.getByRole('button', { name: /^147 / }).click();
    const flagged = record(page, 147);
    await flagged.getByText(/stratum flagged/).waitFor();
    const why = reasons(flagged);
    await why.waitFor();
    // the demo's record 147 has a birth date written 12/17/2013: the contract's ISO date fails twice
    await expect(why.textContent()).resolves.toMatch(
      /^Why validation flagged this record2 errors on this row\. Check these fields first:/,
    );
    await expect(why.getByRole('listitem').allTextContents()).resolves.toEqual([
      'birth_date: The cell does not have the layout the contract agrees (its pattern). (contract.pattern)',
      expect.stringMatching(
        /^birth_date: The cell is not a valid value of its format .*\(contract\.format\)$/,
      ),
    ]);
    // it comes before the aligned fields
    const order = await flagged.evaluate((region) => {
      const why = region.querySelector('[data-testid="flagged-reasons"]');
      const table = region.querySelector('table');
      return why && table ? why.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
  });

  it.each([1440, 390])('at %i px axe finds nothing on a flagged record', async (width) => {
    const { page } = app;
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const why = review(page).getByTestId('flagged-reasons');
    await why.scrollIntoViewIfNeeded();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOT_DIR) {
      mkdirSync(SHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SHOT_DIR, `flagged-reasons-${width}.png`) });
    }
  });

  it('left nothing on the console and no CSP violation', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
