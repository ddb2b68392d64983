/**
 * Journey: a data lead checks a Synthea-shaped patients extract keyed on `Id`. The columns compared
 * between records sharing the key are found by name (`LAST`, `FIRST`, `BIRTHDATE`, `GENDER`); she
 * narrows them to the birth date, checks the file, and the choice is kept with the project: after a
 * reload a new drop of the file is compared the same way, and `preflight validate --project` on the
 * exported project finds the same conflicting records. Selected by role and label; axe at 1440 and
 * 390 px.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import type { Report } from '../../src/formats/report.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;
let dir: string;
let extract = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-demographics-'));
  // a1 comes back with another birth date and sex; b2 with another sex only
  extract = join(dir, 'synthea-patients.csv');
  writeFileSync(
    extract,
    [
      'Id,BIRTHDATE,DEATHDATE,FIRST,LAST,GENDER,CITY',
      'a1,1980-02-03,,Ana,Reyes,F,Boston',
      'b2,1975-06-07,,Ben,Okafor,M,Salem',
      'a1,1981-02-03,,Ana,Reyes,M,Boston',
      'b2,1975-06-07,,Ben,Okafor,F,Salem',
      '',
    ].join('\n'),
  );
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page): Locator => page.getByRole('group', { name: /^synthea-patients\.csv/ });
const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });
const compared = (page: Page) => card(page).locator('.extract-demographics > summary');

/** What the screen says of the records that share an identifier but differ. */
async function conflicts(page: Page): Promise<string[]> {
  await result(page).getByRole('heading', { name: 'Across records and files' }).waitFor();
  return result(page).getByTestId('conflicts').allTextContents();
}

describe('Migration: the columns compared for a repeated key are chosen and kept', () => {
  it('finds Synthea’s name, birth date and sex columns by name', async () => {
    const { page } = app;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(extract);
    await card(page).waitFor();
    await card(page).getByLabel('Key column (must be unique)').selectOption('Id');
    expect(await compared(page).textContent()).toBe(
      'Compared for a repeated key: LAST, FIRST, BIRTHDATE, GENDER (found by name)',
    );
  });

  it('narrowed to the birth date, only the record whose birth date differs conflicts', async () => {
    const { page } = app;
    await compared(page).click();
    const choice = card(page).getByRole('group', {
      name: 'Columns compared between records with the same Id',
    });
    for (const column of ['LAST', 'FIRST', 'GENDER'])
      await choice.getByLabel(column, { exact: true }).uncheck();
    expect(await compared(page).textContent()).toBe('Compared for a repeated key: BIRTHDATE (chosen)');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await card(page).screenshot({ path: join(SHOTS, 'demographics-1440.png') });
    await page.getByRole('button', { name: 'Validate the file' }).click();
    await result(page).getByRole('button', { name: 'Saved in the project' }).waitFor({ timeout: 120_000 });
    // with GENDER compared too, b2 would conflict as well
    expect(await conflicts(page)).toEqual([
      expect.stringContaining(
        'One identifier, different people: in synthea-patients.csv, 1 value of Id belong to records that differ in BIRTHDATE.',
      ),
    ]);
  });

  it('after a reload, a new drop of the file is compared as chosen, and so is the CLI run', async () => {
    const { page } = app;
    await waitForSaved(page);
    await page.reload();
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(extract);
    await card(page).waitFor();
    await expect(compared(page).textContent()).resolves.toBe(
      'Compared for a repeated key: BIRTHDATE (chosen)',
    );
    // the project file carries the choice; the command line compares the same columns
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    await download.saveAs(join(dir, 'project.json'));
    const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as {
      project: { datasets: { key?: string; demographics?: string[] }[] };
    };
    expect(project.project.datasets.filter((d) => d.key === 'Id').map((d) => d.demographics)).toEqual([
      ['BIRTHDATE'],
    ]);
    const cli = await runCli(
      ['validate', 'synthea-patients.csv', '--project', 'project.json', '--json'],
      dir,
    );
    const report = JSON.parse(cli.out) as Report;
    expect((report.crossFile.conflictingRecords ?? []).map((c) => c.columns)).toEqual([['BIRTHDATE']]);
  });

  it('fits a phone: no page-wide scroll, no accessibility violation', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 900 });
    await compared(page).click();
    await card(page)
      .getByRole('group', { name: 'Columns compared between records with the same Id' })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await card(page).screenshot({ path: join(SHOTS, 'demographics-390.png') });
    expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(app.cspViolations).toEqual([]);
  });
});
