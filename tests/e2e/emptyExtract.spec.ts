/**
 * Journey: an export failed and left a 0-byte file. A data manager drops it with another extract
 * and validates both. The empty file is a warning of the whole file ("empty file: no header, no
 * rows"), not an error that stops the run ("has no header row: it is empty"): the other file's
 * results are all there, and the run's outcome says every file passed but names the empty one, so
 * the pass is not taken at face value. CSP, console and axe are watched, at 1440 and 390 px.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-empty-e2e-'));
  writeFileSync(join(dir, 'lab-results.csv'), '');
  // the other extract: three visits, one of them repeating another's id
  writeFileSync(join(dir, 'visits.csv'), 'visit_id,patient_id\r\nV1,P1\r\nV2,P2\r\nV1,P3\r\n');
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Migration: an empty extract beside another', () => {
  it('warns of the empty file, checks the other, and names the empty file in the outcome', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles([join(dir, 'lab-results.csv'), join(dir, 'visits.csv')]);
    await page
      .getByRole('group', { name: /^lab-results\.csv/ })
      .getByText('No column names read.')
      .waitFor();
    const visits = page.getByRole('group', { name: /^visits\.csv/ });
    await visits.getByLabel('Key column (must be unique)').selectOption('visit_id');
    await page.getByRole('button', { name: 'Validate the 2 files' }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 30_000 });

    // the run went on: the other file's records, its repeated key and its columns are there
    await expect.poll(() => result.getByTestId('score-records').textContent()).toBe('3');
    expect(await result.getByTestId('file-visits.csv').locator('td').first().textContent()).toBe('3');
    expect(await result.getByTestId('file-lab-results.csv').locator('td').first().textContent()).toBe('0');
    expect(await result.getByTestId('duplicate-keys').textContent()).toContain('visit_id');
    expect(await result.getByText('Columns of visits.csv (2)').count()).toBe(1);

    // the empty file: one warning of the whole file, no error that stopped the run
    expect(await result.getByTestId('score-warnings').textContent()).toBe('1');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(
      'whole file in lab-results.csv: empty file: no header, no rows (an empty extract usually means the export failed) — 1 time',
    );
    expect(await page.getByText('has no header row: it is empty').count()).toBe(0);

    // the outcome: the repeated key fails visits.csv; the empty file is named, not passed over
    expect(await result.getByTestId('run-outcome').textContent()).toBe(
      '1 of 2 files failed: no record has an error of its own, but the checks across records and files found problems. lab-results.csv has no records (empty, or only a header): an empty extract usually means the export failed, so check it before relying on this result.',
    );
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await result.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'empty-extract-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const outcome = page.getByTestId('run-outcome');
    await outcome.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await outcome.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'empty-extract-390.png') });
    }
  });
});
