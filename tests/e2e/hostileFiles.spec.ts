/**
 * Journey: a data team drops files built to exhaust memory — an extract with a 5 MB cell, one whose
 * header holds a 10 MB column name, and an NDJSON export with a 17 MB text value in one resource.
 * In real Chromium the validator workers refuse each at its place (file, row and column; line and
 * column) with what to do, never showing the text, and the FHIR run checks the other resources.
 * A column name over the bound is never offered as a key, nor kept with the project once the file
 * is refused, and the file's card says why. A file that is not text (a zero byte, a byte not UTF-8)
 * dropped with good ones is one problem on that file, and the others are checked and shown.
 * CSP, console and axe are watched (at 1440 px: the Migration screen at 390 px is layout.spec.ts's).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

let browser: Browser;
let app: Watched;
let dir: string;
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const LONG = 'x'.repeat(17 * 1024 * 1024);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-e2e-'));
  writeFileSync(join(dir, 'long-cell.csv'), `id,note\n1,short\n2,${'x'.repeat(5 * 1024 * 1024)}\n3,short\n`);
  writeFileSync(join(dir, 'long-name.csv'), `id,${'x'.repeat(10 * 1024 * 1024)}\n1,2\n`);
  const lines = [
    JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }),
    `{"resourceType":"Patient","id":"p2","text":{"status":"generated","div":"${LONG}"}}`,
    JSON.stringify({ resourceType: 'Patient', id: 'p3', gender: 'male' }),
  ];
  writeFileSync(join(dir, 'long-text.ndjson'), `${lines.join('\n')}\n`);
  // files that are not text beside good ones: a dump with a zero byte saved as .csv, a Latin-1
  // NDJSON export, and a PDF named .ndjson
  writeFileSync(
    join(dir, 'dump.csv'),
    // past the first KB the drop reads for the header: the check itself meets the zero byte
    Buffer.concat([Buffer.from(`id,name\n${'1,Ann\n'.repeat(500)}2,`), Buffer.from([0, 1, 2, 0x0a])]),
  );
  writeFileSync(join(dir, 'visits.csv'), 'visit_id,patient_id\nV1,1\nV2,2\nV3,3\n');
  writeFileSync(
    join(dir, 'latin1.ndjson'),
    Buffer.concat([
      Buffer.from(
        `${JSON.stringify({ resourceType: 'Patient', id: 'l1' })}\n{"resourceType":"Patient","id":"l2","name":[{"family":"Mu`,
      ),
      Buffer.from([0xf1]),
      Buffer.from('oz"}]}\n'),
    ]),
  );
  writeFileSync(
    join(dir, 'scan.ndjson'),
    Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0x00, 0x0a])]),
  );
  writeFileSync(
    join(dir, 'good.ndjson'),
    `${JSON.stringify({ resourceType: 'Patient', id: 'g1', gender: 'X' })}\n`,
  );
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const filesInput = (page: Page) => page.getByLabel('Extract files (CSV or TSV)');
const card = (page: Page, name: string) =>
  page.getByRole('group', { name: new RegExp(`^${name.replace('.', '\\.')}`) });

async function removeAll(page: Page): Promise<void> {
  // the screen first: right after a visit elsewhere it may not be drawn yet, and no button would
  // then read as no file
  await page.getByLabel('Extract files (CSV or TSV)').waitFor({ state: 'attached' });
  for (;;) {
    const remove = page.getByRole('button', { name: /^Remove .*\.(csv|ndjson)$/ });
    if ((await remove.count()) === 0) return;
    await remove.first().click();
  }
}

describe('Migration: files built to exhaust memory', () => {
  it('reports FHIR files that are not UTF-8 text as one problem each, and checks the other file', async () => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles([
      join(dir, 'latin1.ndjson'),
      join(dir, 'scan.ndjson'),
      join(dir, 'good.ndjson'),
    ]);
    const fhir = page.getByRole('region', { name: 'FHIR files' });
    await fhir.getByRole('button', { name: 'Validate 3 FHIR files' }).click();
    const result = fhir.getByRole('region', { name: 'Validation result' });
    await result.getByTestId('score-records').waitFor({ timeout: scaled(60_000) });
    // latin1.ndjson's bad byte is in its first chunk: the file is one record, as is scan.ndjson
    expect(await result.getByTestId('score-records').textContent()).toBe('3');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('3');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(
      'latin1.ndjson is not valid UTF-8 text: the byte at line 2, byte 94 cannot be read in that encoding',
    );
    expect(text).toContain('scan.ndjson is not a text file (a zero byte at byte 12, line 2)');
    // the good file was checked as usual
    expect(text).toContain('Patient.gender');
    expect(text).not.toMatch(/Mu.oz/);
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await result.getByText('is not a text file').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-not-text-fhir-1440.png') });
    }
  });

  it('refuses the resource with a 17 MB text at its line and column, and checks the others', async () => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles(join(dir, 'long-text.ndjson'));
    const fhir = page.getByRole('region', { name: 'FHIR files' });
    await fhir.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const result = fhir.getByRole('region', { name: 'Validation result' });
    await result.getByTestId('score-records').waitFor({ timeout: scaled(60_000) });
    expect(await result.getByTestId('score-records').textContent()).toBe('3');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('1');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('The text starting at line 2, column 72 is longer than 16,777,216 characters');
    expect(text).not.toContain('xxxx');
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    // the screen around the FHIR files passed axe with a result in the test above: their region
    expect(await axeRegionViolations(fhir)).toEqual([]);
    if (SHOTS) {
      await result.getByText('longer than 16,777,216 characters').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-ndjson-1440.png') });
    }
  });

  it('does not offer a column name over the bound as the key, says why on the card, and refuses it at its place', async () => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles(join(dir, 'long-name.csv'));
    const file = card(page, 'long-name.csv');
    await file.waitFor();
    const key = file.getByLabel('Key column (must be unique)');
    // the sniff read a cut copy of the 10 MB name: only "None" and "id" are offered
    expect(await key.locator('option').allTextContents()).toEqual(['None', 'id']);
    const why = file.getByText('Column 2 is not offered as the key');
    expect(await why.textContent()).toContain(
      'its name is longer than 4,096 characters, which no real column name is. Checking this file will stop at its first line',
    );
    // the list says which of its options it leaves out and why
    expect(await key.getAttribute('aria-describedby')).toBe(await why.getAttribute('id'));
    const cardText = (await file.textContent()) ?? '';
    expect(cardText).toContain('2 columns: id, column 2 (name too long to show)');
    expect(cardText).not.toContain('xxxx');
    // nor is it anywhere in the page, in a text or an attribute (a hidden list's option included)
    expect(await page.evaluate(() => document.documentElement.outerHTML.includes('x'.repeat(4097)))).toBe(
      false,
    );
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await file.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-long-name-card-1440.png') });
    }
    // the same file, dropped once: checking it stops at the name, with what to do
    await expectRefused(
      page,
      'long-name.csv',
      'long-name.csv: the name of column 2 in the header is longer than 4,096 characters.',
    );
    // nor once refused: the project keeps no check set of the file, so no list of columns shows it
    expect(await page.evaluate(() => document.documentElement.outerHTML.includes('x'.repeat(4097)))).toBe(
      false,
    );
  });

  it('refuses a 5 MB cell at its row and column, with what to do', async () => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles(join(dir, 'long-cell.csv'));
    await card(page, 'long-cell.csv').waitFor();
    await expectRefused(
      page,
      'long-cell.csv',
      'long-cell.csv: the cell in column 2 of row 2 (from byte 16) is longer than 4,194,304 characters.',
    );
  });

  /** Validates the file on screen and expects it refused with `said` and what to do, the value not shown. */
  async function expectRefused(page: Page, file: string, said: string): Promise<void> {
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const alert = page.getByRole('alert').filter({ hasText: said });
    await alert.waitFor({ timeout: scaled(60_000) });
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('What to do');
    expect(text).not.toContain('xxxx');
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await alert.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `hostile-${file}-1440.png`) });
    }
  }
});

// a page of its own: a CSV result beside the FHIR result of the journey above would be two
// regions of one name on one screen
describe('Migration: an extract that is not text beside a good one', () => {
  let own: Watched;
  beforeAll(async () => {
    own = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
  });

  it('reports an extract that is not text as one problem on it, and checks the other extract', async () => {
    const { page } = own;
    await filesInput(page).setInputFiles([join(dir, 'dump.csv'), join(dir, 'visits.csv')]);
    await card(page, 'visits.csv').waitFor();
    await page.getByRole('button', { name: 'Validate the 2 files' }).click();
    const result = page.getByRole('region', { name: 'Validation result' }).first();
    await expect
      .poll(() => result.getByTestId('score-records').textContent(), { timeout: scaled(60_000) })
      .toBe('3');
    expect(await result.getByTestId('file-visits.csv').locator('td').first().textContent()).toBe('3');
    // none checked, and how far it was read before the bytes that are not text
    expect(await result.getByTestId('file-dump.csv').locator('td').first().textContent()).toBe(
      'Stopped at line 502, byte 3,010 (a fatal problem): 500 records read before it, none checked',
    );
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(
      'dump.csv is not a text file (a zero byte at byte 3,010, line 502): check that it is the right file',
    );
    expect(await result.getByTestId('run-outcome').textContent()).toBe(
      '1 of 2 files failed. dump.csv is not text (or not in its encoding) and could not be read: see the problem on it.',
    );
    expect(text).not.toContain('Ann');
    expect(own.cspViolations).toEqual([]);
    expect(own.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await result.getByTestId('run-outcome').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-not-text-csv-1440.png') });
    }
  });
});
