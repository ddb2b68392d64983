/**
 * Journey: a data manager validates an extract whose "clinic" column holds more than 1,000
 * different values, one of them repeated all through the file. The column's card lists its most
 * frequent values as counted up to the row where the column passed 1,000 different values: each
 * count reads "at least", and a sentence says why, so a partial count is never read as the
 * column's. A column with few values keeps its plain counts. Axe at 1440 and 390 px.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const ROWS = 3000;

let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-top-partial-e2e-'));
  // "clinic": "Main" in every other row, a different clinic in the others (1,500 of them);
  // "sex": F or M, alternating in pairs
  const lines = ['visit_id,clinic,sex'];
  for (let i = 1; i <= ROWS; i++)
    lines.push(`V${i},${i % 2 === 0 ? 'Main' : `Clinic ${i}`},${i % 4 < 2 ? 'F' : 'M'}`);
  writeFileSync(join(dir, 'visits.csv'), `${lines.join('\r\n')}\r\n`);
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Migration: top values of a column with many different values', () => {
  it('marks partial counts "at least" and says why; full counts stay plain', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, 'visits.csv'));
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 30_000 });
    await result.getByText('Columns of visits.csv (3)').click();
    const card = (column: string) =>
      result.locator('li.profile').filter({ has: page.getByRole('heading', { name: column, exact: true }) });
    const clinic = card('clinic');
    const main = clinic.locator('.top-values li').filter({ hasText: 'Main' });
    // "Main" holds 1,500 cells, but the profile keeps 1,000 values ("Main" and 999 clinics): only
    // the cells before the next clinic (row 1,999) are counted
    expect(((await main.textContent()) ?? '').replace(/\s+/g, ' ').trim()).toBe('Main at least 999 (33 %)');
    expect(await clinic.textContent()).toContain(
      'Counted only up to the row where the column passed 1,000 different values: each count is a minimum, and a value that first appears after that row is not listed.',
    );
    const sex = card('sex');
    expect(await sex.locator('.top-values li').allTextContents()).toEqual([
      expect.stringMatching(/F\s*1,500 \(50 %\)$/),
      expect.stringMatching(/M\s*1,500 \(50 %\)$/),
    ]);
    expect(await sex.textContent()).not.toContain('at least');
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await clinic.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'top-partial-1440.png') });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await clinic.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'top-partial-390.png') });
    }
  });
});
