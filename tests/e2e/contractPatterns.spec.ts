/**
 * Journey: a data manager uploads a column contract whose code pattern, `^(a|aa)+$`, backtracks
 * catastrophically (before, one 49-character cell kept the validator busy until the watchdog
 * stopped it and blamed memory). In real Chromium the validator worker refuses the contract at
 * once, naming the column, the problem and what to do; no row is checked. CSP, console and axe are
 * watched, at 1440 and 390 px.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-patterns-e2e-'));
  writeFileSync(join(dir, 'codes.csv'), `result_id,code\nR1,${'a'.repeat(48)}!\n`);
  writeFileSync(
    join(dir, 'codes.contract.json'),
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { result_id: { type: 'string' }, code: { type: 'string', pattern: '^(a|aa)+$' } },
    }),
  );
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Migration: a contract pattern that backtracks catastrophically', () => {
  it('is refused at once with the column, the problem and what to do', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, 'codes.csv'));
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(join(dir, 'codes.contract.json'));
    const file = page.getByRole('group', { name: /^codes\.csv/ });
    await expect
      .poll(() => file.getByLabel('Column contract').locator('option:checked').textContent())
      .toBe('codes.contract.json');
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'cannot be used' });
    await problem.waitFor({ timeout: 30_000 });
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain('/properties/code/pattern');
    expect(text).toContain('the pattern of column "code" can match the same text in more than one way');
    expect(text).toContain('Rewrite it');
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await problem.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'pattern-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const problem = page.getByRole('alert').filter({ hasText: 'cannot be used' });
    await problem.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await problem.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'pattern-390.png') });
    }
  });
});
