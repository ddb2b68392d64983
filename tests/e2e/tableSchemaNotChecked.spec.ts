/**
 * Journey: a data manager checks an extract against a Frictionless Table Schema whose dates are
 * written `%m/%d/%Y`. In real Chromium the bad dates (13/45/1990, 29 February of a common year)
 * and the impossible time are errors whose message names the layout, and what the Table Schema
 * asks that this run does not check (a day-of-year layout, the key, a foreign key) is listed under
 * "Not checked" beside the result, and in the JSON report. CSP, console and axe are watched, at
 * 1440 and 390 px. Fixture: tests/fixtures/table-schema.
 */
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/table-schema');

let browser: Browser;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
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
