/**
 * Journey: a data analyst opens the demo clinic's patient mapping in the mapping editor, changes a
 * transform (in a copy: the saved mapping stays as it is) and sees the live preview follow, breaks a pattern and sees the problem named at the
 * field and step (and undoes it), validates the extract, lists only the failing rows of one
 * problem and goes back to all of them, sees a FHIR message on a record of the copy traced to the
 * mapping field, transform and column that made it, and after a reload finds the edited copy saved in the
 * project and the demo's mapping unchanged. Every step runs under the page's real CSP, with axe-core and a watch on the console.
 */
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
});

const editorSummary = (page: Page) => page.locator('.mapping-editor > summary');
const field = (page: Page, target: string) =>
  page.locator('.mapping-field').filter({
    has: page.locator('summary strong', { hasText: new RegExp(`^${target.replace(/[[\].]/g, '\\$&')}$`) }),
  });
const DEMO_MAPPING = 'Legacy patients.csv to FHIR R4 Patient';
const COPY = `${DEMO_MAPPING} (copy)`;
const firstRecord = (page: Page) => page.getByTestId('mapping-preview').locator('.preview-record').first();

async function openEditor(page: Page): Promise<void> {
  await page.getByLabel('Extract files (CSV or TSV)').setInputFiles([join(SAMPLES, 'patients.csv')]);
  await page.getByRole('group', { name: /^patients\.csv/ }).waitFor();
  await editorSummary(page).click();
  await page.getByTestId('mapping-preview').waitFor();
}

async function openField(page: Page, target: string) {
  const details = field(page, target);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details;
}

describe('Mapping editor', () => {
  it('opens the demo mapping as a form, with the preview and what is left to map', async () => {
    const { page } = app;
    await openEditor(page);
    expect(await page.locator('.mapping-field').count()).toBe(29);
    await expect(page.getByLabel('Target', { exact: true }).inputValue()).resolves.toBe('fhir');
    // the resource types come from the FHIR digest, loaded when a FHIR target is shown
    await page
      .getByLabel('Resource type')
      .locator('option', { hasText: /^Observation$/ })
      .waitFor({ state: 'attached' });
    await expect(page.getByLabel('Resource type').inputValue()).resolves.toBe('Patient');
    const unused = page.getByTestId('unused-columns');
    for (const column of ['insurance_member_id', 'allergies', 'last_visit'])
      await unused.getByRole('button', { name: `Map ${column}` }).waitFor();
    expect(await firstRecord(page).textContent()).toContain('"state": "MA"');
    if (SHOTS) await page.locator('.mapping-editor').screenshot({ path: join(SHOTS, 'mapping-1440.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('changes a transform and the preview follows; a bad pattern is named at its field and step, and undone', async () => {
    const { page } = app;
    const state = await openField(page, 'address[0].state');
    const step = state.getByRole('group', { name: 'Step 2: Change case' });
    await page.getByText(`This is the saved mapping “${DEMO_MAPPING}”: your changes go to a copy`).waitFor();
    await step.getByLabel('Convert to').selectOption('lower');
    await expect.poll(() => firstRecord(page).textContent()).toContain('"state": "ma"');
    // the first change made a copy, and the editor went on with it (the field stays open)
    await page
      .getByRole('status')
      .filter({ hasText: `Your changes are in “${COPY}”, a copy; “${DEMO_MAPPING}” is unchanged.` })
      .waitFor();
    await expect(page.getByLabel('Mapping', { exact: true }).inputValue()).resolves.not.toBe(
      'patients-to-fhir-patient',
    );
    expect(await step.getByLabel('Convert to').inputValue()).toBe('lower');
    // the change that made the copy is undone in the copy, and redone
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => step.getByLabel('Convert to').inputValue()).toBe('upper');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect.poll(() => step.getByLabel('Convert to').inputValue()).toBe('lower');

    const middle = await openField(page, 'name[0].given[1]');
    await middle.getByLabel('Pattern (regular expression)').fill('(');
    const problem = middle.locator('.field-problems li');
    await problem.waitFor();
    expect(await problem.textContent()).toBe(
      'Field name[0].given[1], step 2 (Find and replace (pattern)): not a valid regular expression',
    );
    await page.getByText('The preview waits until the problems above are fixed.').waitFor();
    if (SHOTS) await middle.screenshot({ path: join(SHOTS, 'field-problem-1440.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await problem.waitFor({ state: 'detached' });
    expect(await middle.getByLabel('Pattern (regular expression)').inputValue()).toBe('^[=+@-].*$');
    // the state change is still there: only the last edit was undone
    expect(await firstRecord(page).textContent()).toContain('"state": "ma"');

    // a target R4 Patient does not have (a typo) is named, from the FHIR digest; undo puts it back
    const birth = await openField(page, 'birthDate');
    await birth.getByLabel('Target field').fill('birthDat');
    await page.getByTestId('undeclared-targets').getByRole('button', { name: 'Open birthDat' }).waitFor();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByTestId('undeclared-targets').waitFor({ state: 'detached' });
    await field(page, 'birthDate').waitFor();

    // a field for an unused column is added and opened
    await page.getByTestId('unused-columns').getByRole('button', { name: 'Map last_visit' }).click();
    const added = field(page, 'last_visit');
    await expect.poll(() => added.getAttribute('open')).not.toBeNull();
    await added.getByRole('button', { name: 'Remove last_visit' }).click();
    await added.waitFor({ state: 'detached' });
    await waitForSaved(page);
  });

  it("starts a new mapping to the file's contract: its required fields are listed, and one click maps one", async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New mapping for patients.csv' }).click();
    await expect(page.getByLabel('Target', { exact: true }).inputValue()).resolves.toBe('schema');
    await expect(page.getByLabel('Schema', { exact: true }).inputValue()).resolves.toBe('contract:patients');
    const required = page.getByTestId('unmapped-required');
    await required.getByRole('button', { name: 'Map birth_date' }).waitFor();
    expect(await required.getByRole('button').count()).toBe(7);
    await required.getByRole('button', { name: 'Map birth_date' }).click();
    const added = field(page, 'birth_date');
    await expect.poll(() => added.getAttribute('open')).not.toBeNull();
    await added.getByLabel('Comes from').selectOption('column:birth_date');
    await expect.poll(() => required.getByRole('button').count()).toBe(6);
    expect(await firstRecord(page).textContent()).toContain('"birth_date": "2002-07-10"');
    expect(await axeViolations(page)).toEqual([]);
    // back to the edited copy of the demo mapping for the rest of the journey
    await page.getByLabel('Mapping', { exact: true }).selectOption({ label: COPY });
    await expect.poll(() => page.locator('.mapping-field').count()).toBe(29);
  });

  it('validates, then lists only the failing rows of one problem, and all of them again', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('file-invalid').textContent()).resolves.toBe('238');
    const issue = result.locator('.issue').first();
    await issue.locator('summary').click();
    const count = Number((await issue.getByTestId('issue-count').textContent())?.replace(/\D/g, ''));
    const firstExample = Number(
      (
        await issue.getByRole('table', { name: 'Examples' }).locator('tbody tr td').nth(1).textContent()
      )?.replace(/\D/g, ''),
    );
    await issue.getByRole('button', { name: 'List only the rows with this problem' }).click();
    const status = page.locator('.failing-filter');
    await status.waitFor();
    expect(await status.textContent()).toContain(
      `Showing only the ${count.toLocaleString('en-US')} rows with`,
    );
    const list = page.locator('.failing-list > li');
    await expect.poll(async () => Number(await list.first().getAttribute('data-row'))).toBe(firstExample);
    // every listed row has the problem: fewer rows than all failing ones (238)
    expect(
      await page.getByText(`${count.toLocaleString('en-US')} of the failing rows in patients.csv`).count(),
    ).toBe(1);
    if (SHOTS) await result.screenshot({ path: join(SHOTS, 'filtered-1440.png') });
    expect(await axeViolations(page)).toEqual([]);
    await status.getByRole('button', { name: 'Show every failing row' }).click();
    await page.getByText('238 failing rows in patients.csv').waitFor();
    await page.getByRole('heading', { name: 'Every failing row' }).waitFor();
  });

  it('validates the records made by the saved mapping, and lists the rows of one mapping problem', async () => {
    const { page } = app;
    await page
      .getByRole('group', { name: /^patients\.csv/ })
      .getByLabel('Also check the records made by the mapping')
      .selectOption({ label: 'Legacy patients.csv to FHIR R4 Patient' });
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    const issue = result
      .locator('.issue')
      .filter({ has: page.locator('code', { hasText: /^mapping\.required$/ }) })
      .first();
    await issue.waitFor({ timeout: 120_000 });
    await issue.locator('summary').click();
    const count = Number((await issue.getByTestId('issue-count').textContent())?.replace(/\D/g, ''));
    expect(count).toBeGreaterThan(0);
    await issue.getByRole('button', { name: 'List only the rows with this problem' }).click();
    await page.locator('.failing-filter').getByText(`Showing only the ${count} rows with`).waitFor();
    // the source cell of the empty required target is marked, naming the field of the new Patient
    // the column by the contract's title and its name in brackets ("Last name (last_name)")
    const shown = (await issue.locator('summary strong').first().textContent()) ?? '';
    const column = /\(([^()]+)\)$/.exec(shown)?.[1] ?? shown;
    const targets: Record<string, string> = {
      last_name: 'name[0].family',
      first_name: 'name[0].given[0]',
      birth_date: 'birthDate',
    };
    const target = targets[column];
    expect(target, column).toBeDefined();
    const list = result.getByRole('region', { name: 'Failing rows of patients.csv, scrollable' });
    const row = list.locator('.failing-row').first();
    await row.locator('.cell').first().waitFor();
    const marked = row.locator('.cell-bad').filter({ hasText: `problem in ${column}:` });
    await expect(marked.locator('.visually-hidden').textContent()).resolves.toMatch(
      new RegExp(
        `^problem in ${column}: (it breaks the column contract, and )?it does not make a valid Patient\\.${(target ?? '').replace(/[[\].]/g, '\\$&')} in the new record: $`,
      ),
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('traces a FHIR message on a mapped record to its mapping field, transform and column', async () => {
    const { page } = app;
    // in the copy, birth dates are copied without reading their layout: R4 refuses those not
    // written YYYY-MM-DD, and each message says which field, transform and column made them
    await page.getByLabel('Mapping', { exact: true }).selectOption({ label: COPY });
    const birth = await openField(page, 'birthDate');
    await birth.getByRole('button', { name: 'Remove step 2 of Field birthDate' }).click();
    await expect.poll(() => birth.getByRole('group', { name: /^Step 2:/ }).count()).toBe(0);
    await waitForSaved(page);
    await page
      .getByRole('group', { name: /^patients\.csv/ })
      .getByLabel('Also check the records made by the mapping')
      .selectOption({ label: COPY });
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    const issue = result
      .locator('.issue')
      .filter({ has: page.locator('code', { hasText: /^fhir-invalid-format$/ }) })
      .first();
    await issue.waitFor({ timeout: 120_000 });
    await issue.locator('summary').click();
    expect(await issue.locator('summary strong').first().textContent()).toBe('Patient.birthDate');
    await expect(issue.getByTestId('issue-trace').textContent()).resolves.toBe(
      'Where it comes from in the mapping: from column "birth_date" (mapping field birthDate; transform: trim spaces).',
    );
    // every example comes from the same field: said once, not again on each row
    const examples = issue.getByRole('table', { name: 'Examples' });
    await examples.getByRole('columnheader', { name: 'In the mapped record' }).waitFor();
    expect(await examples.getByRole('columnheader', { name: 'From the mapping' }).count()).toBe(0);
    if (SHOTS) await issue.screenshot({ path: join(SHOTS, 'traced-1440.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await issue.getByTestId('issue-trace').scrollIntoViewIfNeeded();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'traced-390.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('keeps the edited mapping after a reload, and on a phone it fits the width', async () => {
    const { page } = app;
    await waitForSaved(page);
    await page.reload();
    await page.setViewportSize({ width: 390, height: 900 });
    await openEditor(page);
    // the demo's mapping is as it was; the copy holds the change
    const original = await openField(page, 'address[0].state');
    await expect(original.getByLabel('Convert to').inputValue()).resolves.toBe('upper');
    await page.getByLabel('Mapping', { exact: true }).selectOption({ label: COPY });
    const state = await openField(page, 'address[0].state');
    await expect(state.getByLabel('Convert to').inputValue()).resolves.toBe('lower');
    expect(await firstRecord(page).textContent()).toContain('"state": "ma"');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) {
      await page.locator('.mapping-editor > summary').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'mapping-390.png') });
      await state.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'field-390.png') });
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
