/**
 * Journey: a data team checks an export in which one resource is nested thousands of levels deep
 * (an extension holding itself 5,000 times) and another puts a list inside a list, next to a
 * second file. In real Chromium, the validator worker reports the deep resource as one fatal issue
 * on its line, the list in a list as the wrong JSON type, and validates everything else — the
 * other file included — instead of failing the whole run. CSP, console and axe are watched, at
 * 1440 and 390 px.
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

const OPEN = '{"url":"http://example.org/x","extension":[';
const DEEP = `{"resourceType":"Patient","id":"deep","extension":[${OPEN.repeat(5000)}{"url":"http://example.org/x","valueString":"v"}${']}'.repeat(5000)}]}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-hostile-e2e-'));
  const lines = [
    JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }),
    DEEP,
    JSON.stringify({ resourceType: 'Patient', id: 'p3', name: [[{ family: 'Nested' }]] }),
    JSON.stringify({ resourceType: 'Patient', id: 'p4', gender: 'male' }),
  ];
  writeFileSync(join(dir, 'hostile.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ resourceType: 'Patient', id: 'o1', gender: 'X' }));
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fhirSection = (page: Page) => page.getByRole('region', { name: 'FHIR files' });
const result = (page: Page) => fhirSection(page).getByRole('region', { name: 'Validation result' });

describe('FHIR: hostile nesting', () => {
  it('reports the deep resource on its line and validates the rest of the run, the other file too', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles([join(dir, 'hostile.ndjson'), join(dir, 'other.json')]);
    await fhirSection(page).getByRole('button', { name: 'Validate 2 FHIR files' }).click();
    await result(page).getByTestId('score-records').waitFor({ timeout: 60_000 });
    expect(await result(page).getByTestId('score-records').textContent()).toBe('5');
    expect(await result(page).getByTestId('score-invalid').textContent()).toBe('3');
    const text = (await result(page).textContent()) ?? '';
    expect(text).toContain('nested more than 500 levels deep');
    expect(text).toContain('Patient.extension');
    expect(text).toContain('never a list (FHIR JSON has no lists inside lists)');
    expect(text).not.toMatch(/internal error|RangeError/);
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await result(page).getByText('nested more than 500 levels deep').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'fhir-hostile-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await result(page).getByTestId('score-records').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await result(page).getByText('nested more than 500 levels deep').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'fhir-hostile-390.png') });
    }
  });
});
