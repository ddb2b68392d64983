/**
 * Journey: a data team drops files built to exhaust memory — an extract with a 5 MB cell, one whose
 * header holds a 10 MB column name, and an NDJSON export with a 17 MB text value in one resource.
 * In real Chromium the validator workers refuse each at its place (file, row and column; line and
 * column) with what to do, never showing the text, and the FHIR run checks the other resources.
 * A column name over the bound is never offered as a key, and the file's card says why.
 * CSP, console and axe are watched, at 1440 and 390 px.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('does not offer a column name over the bound as the key, and says why on the card', async () => {
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
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await file.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-long-name-card-1440.png') });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await why.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) {
        await why.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, 'hostile-long-name-card-390.png') });
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });

  it.each([
    {
      file: 'long-cell.csv',
      said: 'long-cell.csv: the cell in column 2 of row 2 (from byte 16) is longer than 4,194,304 characters.',
    },
    {
      file: 'long-name.csv',
      said: 'long-name.csv: the name of column 2 in the header is longer than 4,096 characters.',
    },
  ])('refuses $file at its row and column, with what to do', async ({ file, said }) => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles(join(dir, file));
    await card(page, file).waitFor();
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const alert = page.getByRole('alert').filter({ hasText: said });
    await alert.waitFor({ timeout: 60_000 });
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
  });

  it('refuses the resource with a 17 MB text at its line and column, and checks the others', async () => {
    const { page } = app;
    await removeAll(page);
    await filesInput(page).setInputFiles(join(dir, 'long-text.ndjson'));
    const fhir = page.getByRole('region', { name: 'FHIR files' });
    await fhir.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const result = fhir.getByRole('region', { name: 'Validation result' });
    await result.getByTestId('score-records').waitFor({ timeout: 60_000 });
    expect(await result.getByTestId('score-records').textContent()).toBe('3');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('1');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('The text starting at line 2, column 72 is longer than 16,777,216 characters');
    expect(text).not.toContain('xxxx');
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await result.getByText('longer than 16,777,216 characters').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-ndjson-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const result = page
      .getByRole('region', { name: 'FHIR files' })
      .getByRole('region', { name: 'Validation result' });
    await result.getByTestId('score-records').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await result.getByText('longer than 16,777,216 characters').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'hostile-ndjson-390.png') });
    }
  });
});
