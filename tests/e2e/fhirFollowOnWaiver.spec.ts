/**
 * Journey: a data lead accepts a Questionnaire item without its type (the legacy forms never had
 * one). A message follows from it — que-1, the item is neither a group with items nor a question —
 * and accepting the item's missing type does not accept it: the screen says it still fails and the
 * errors not accepted count it. Selected by role and label; axe; console and CSP watched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const FILE = 'intake-form.json';
let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-follow-on-'));
  writeFileSync(
    join(dir, FILE),
    JSON.stringify({ resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1' }] }),
  );
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

describe('FHIR: a message that follows from an accepted problem', () => {
  it('checks the form: the item without its type, with que-1 folded under it', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, FILE));
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    await result(page).getByTestId('score-errors').waitFor({ timeout: 60_000 });
    expect(await result(page).getByTestId('score-errors').textContent()).toBe('2');
    expect(await result(page).getByTestId('issue-derived').textContent()).toBe(
      ' (and 1 more message follows from it)',
    );
  });

  it('accepted, the message that follows still fails and is counted', async () => {
    const { page } = app;
    const report = result(page);
    await report.getByRole('button', { name: /^Accept this problem…/ }).click();
    const form = report.getByRole('group', { name: /^Accept / });
    await form.getByLabel('Why it is accepted').fill('The legacy intake forms never had item types');
    await form.getByLabel('Owner (who answers for it)').fill('Dana Whitfield');
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    await report.getByTestId('waiver-mark').waitFor();
    expect(await report.getByTestId('issue-derived').textContent()).toBe(
      ' (and 1 more message follows from it, not accepted: it still fails)',
    );
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('1');
    await report.getByTestId('issue-derived').click();
    const list = report.getByRole('list', { name: /^Messages that follow from / });
    expect(await list.getByRole('listitem').textContent()).toMatch(/not accepted: it still fails the check$/);
    expect(await axeViolations(page)).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(app.cspViolations).toEqual([]);
  });
});
