/**
 * Journey: a data lead accepts an extension the clinic's target loads itself, but only for the
 * records of one week — the first 8 lines of a 12-line NDJSON export, more occurrences than the 5
 * examples a FHIR report lists. Until the file is checked again the acceptance cannot know where
 * each occurrence lies, and says so; checked again, the run counts the occurrences inside those
 * lines: 8 are accepted, the 4 outside still fail and are said, and the errors not accepted are
 * those 4. Selected by role and label; axe; console and CSP watched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const FILE = 'week-one.ndjson';
const URL = 'http://vendor.example/fhir/ext/preferred-pharmacy';
let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-waiver-rows-'));
  const lines = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      resourceType: 'Patient',
      id: `p${i + 1}`,
      extension: [{ url: URL, valueString: 'Main St' }],
    }),
  );
  writeFileSync(join(dir, FILE), `${lines.join('\n')}\n`);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fhirSection = (page: Page) => page.getByRole('region', { name: 'FHIR files' });
const result = (page: Page) => fhirSection(page).getByRole('region', { name: 'Validation result' });

describe('FHIR: a waiver limited to lines of an NDJSON export', () => {
  it('checks the export: 12 unknown extensions', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, FILE));
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    await result(page).getByTestId('score-errors').waitFor({ timeout: 60_000 });
    expect(await result(page).getByTestId('score-errors').textContent()).toBe('12');
  });

  it('accepted in lines 1-8, it says the file must be checked again to count them', async () => {
    const { page } = app;
    const report = result(page);
    await report
      .getByRole('button', { name: /^Accept this problem…/ })
      .first()
      .click();
    const form = report.getByRole('group', { name: /^Accept / });
    await form.getByLabel('Why it is accepted').fill('The target loads the vendor extensions of week one');
    await form.getByLabel('Owner (who answers for it)').fill('Dana Whitfield');
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByLabel('Only in rows (optional, e.g. 12, 40-45)').fill('1-8');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    const mark = report.getByTestId('waiver-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toMatch(/^Accepted only in rows 1-8, and not every occurrence is known/);
  });

  it('checked again: the 8 inside are accepted, the 4 outside still fail and are said', async () => {
    const { page } = app;
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const report = result(page);
    const marks = report.getByTestId('waiver-mark');
    await marks.nth(1).waitFor({ timeout: 60_000 });
    expect(await marks.allTextContents()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: The target loads the vendor extensions of week one',
      'Accepted only in rows 1-8: these 4 occurrences lie outside them and still fail the check.',
    ]);
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('4');
    expect(await axeViolations(page)).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(app.cspViolations).toEqual([]);
  });
});
