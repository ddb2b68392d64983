/**
 * Journey: a data analyst works the Migration screen with the keyboard only. Removing a file's card
 * and running a validation never drop focus to the top of the page (the pressed button goes away or
 * is disabled): focus continues at the file picker, and at the result once the run ends. In Workflows,
 * opening and closing the editor keep focus on the editor's title and on the workflow's own link.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');

let browser: Browser;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 900 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
});

/** What has keyboard focus: its tag, and its label or text. */
const focused = (app: Watched) =>
  app.page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'the page itself';
    const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
    return `${el.tagName.toLowerCase()}: ${label ?? el.textContent}`;
  });

describe('keyboard focus on the Migration screen', () => {
  it('moves to the file picker when a file card is removed', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV)')
      .setInputFiles([resolve(SAMPLES, 'patients.csv'), resolve(SAMPLES, 'encounters.csv')]);
    await page.getByRole('group', { name: /^encounters\.csv/ }).waitFor();
    await page.getByRole('button', { name: 'Remove encounters.csv' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('group', { name: /^encounters\.csv/ }).count()).resolves.toBe(0);
    await expect(focused(app)).resolves.toBe(
      'input: Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)',
    );
  });

  it('follows the validation run to its result', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Validate the file' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Validation result' }).waitFor({ timeout: 120_000 });
    await expect.poll(() => focused(app)).toBe('h4: Result');
    // the next Tab continues inside the report
    await page.keyboard.press('Tab');
    await expect(
      page.evaluate(() => document.activeElement?.closest('[aria-label="Validation result"]') !== null),
    ).resolves.toBe(true);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});

describe('keyboard focus around the workflow editor', () => {
  it('lands on the editor title when it opens, and back on its "Open in editor" when it closes', async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    const openLink = page.getByRole('link', { name: /^Open in editor/ }).nth(1);
    const name = (await openLink.textContent())?.replace(/^Open in editor: /, '') ?? '';
    await openLink.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Back to workflows' }).waitFor();
    await expect.poll(() => focused(app)).toBe(`h2: ${name}`);
    await page.getByRole('button', { name: 'Back to workflows' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => focused(app)).toBe(`a: Open in editor: ${name}`);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
