/**
 * Journey: a data lead names projects and imports project files on a phone-sized screen. Names
 * follow one rule everywhere (trimmed, not blank, at most 120 characters) and a broken name is
 * refused with its reason, never cut or ignored; the longest name never widens the page; projects
 * with the same name are told apart; notices can be dismissed and never show a stale name; and a
 * large project file is read and checked in a worker while the page shows its progress.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../src/core/project/changes.ts';
import type { Dataset, Project } from '../../src/formats/project.ts';
import { createProjectFile } from '../../src/formats/project.ts';
import { MAX_PROJECT_NAME_LENGTH } from '../../src/formats/projectName.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

const PHONE = { width: 390, height: 844 };
const NOW = '2026-11-02T09:00:00.000Z';
/**
 * Large enough that reading and checking take a while (a large extract, scaled down to keep the
 * spec quick).
 */
const LARGE_FILE_BYTES = 24 * 1000 * 1000;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let work: string;

const select = (page: Page) => page.getByLabel('Project', { exact: true });
const optionTexts = (page: Page) =>
  select(page).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

/** Writes a project file (correctly hashed) into the work folder and returns its path. */
function writeProjectFile(fileName: string, project: Project): string {
  const path = join(work, fileName);
  writeFileSync(path, JSON.stringify(createProjectFile(project, { now: NOW, appVersion: '0.1.0' })));
  return path;
}

/** An empty project whose name may break the rule (createProject would refuse it, as the app does). */
function projectNamed(name: string): Project {
  const project = createProject({ name: 'placeholder', now: NOW });
  return { ...project, meta: { ...project.meta, name } };
}

/** A valid project of about `bytes`: extracts described with many columns (a project holds no rows). */
function largeProject(bytes: number): Project {
  const project = createProject({ name: 'Large clinic', now: NOW });
  const columnsPerDataset = 50_000;
  const datasets: Dataset[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const columns = Array.from({ length: columnsPerDataset }, (_, j) => `legacy_column_${i}_${j}`);
    size += columns.reduce((sum, c) => sum + c.length + 3, 0);
    datasets.push({
      id: `extract-${i}`,
      name: `extract-${i}.csv`,
      kind: 'csv',
      bytes: 1,
      columns,
      origin: { type: 'file' },
    });
  }
  return { ...project, datasets };
}

async function openDialog(page: Page, button: 'New project' | 'Rename') {
  await page.getByRole('button', { name: button, exact: true }).click();
  return page.getByRole('dialog', { name: button === 'Rename' ? 'Rename project' : 'New project' });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'preflight-names-'));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: PHONE });
  app = await openApp(context);
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('project names', () => {
  it('refuses a too-long name in place, stating the maximum, without cutting what was typed', async () => {
    const { page } = app;
    const dialog = await openDialog(page, 'New project');
    await expect(dialog.getByText(`Up to ${MAX_PROJECT_NAME_LENGTH} characters.`).isVisible()).resolves.toBe(
      true,
    );
    const tooLong = 'N'.repeat(MAX_PROJECT_NAME_LENGTH + 5);
    const field = dialog.getByLabel('Project name');
    await field.fill(tooLong);
    expect(await field.inputValue()).toBe(tooLong);
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: `at most ${MAX_PROJECT_NAME_LENGTH} characters` })
      .waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await optionTexts(page)).toEqual(['Demo clinic']);
  });

  it('refuses a spaces-only rename in place instead of silently doing nothing', async () => {
    const { page } = app;
    const dialog = await openDialog(page, 'Rename');
    await dialog.getByLabel('Project name').fill('    ');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'the name given is blank' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await optionTexts(page)).toEqual(['Demo clinic']);
  });

  it('refuses to import a 10,000-character or a blank name, saying what and where', async () => {
    const { page } = app;
    await page
      .getByLabel('Import a project file')
      .setInputFiles(writeProjectFile('huge-name.json', projectNamed('x'.repeat(10_000))));
    const alert = page.getByRole('alert').filter({ hasText: '“huge-name.json” was not imported' });
    await alert.waitFor();
    const message = (await alert.textContent()) ?? '';
    expect(message).toContain(`A project name can be at most ${MAX_PROJECT_NAME_LENGTH} characters long`);
    expect(message).toContain('/project/meta/name');
    expect(message).not.toContain('x'.repeat(200));
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();

    await page
      .getByLabel('Import a project file')
      .setInputFiles(writeProjectFile('blank-name.json', projectNamed('   ')));
    await page
      .getByRole('alert')
      .filter({ hasText: /“blank-name\.json” was not imported: A project needs a name/ })
      .waitFor();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    expect(await optionTexts(page)).toEqual(['Demo clinic']);
  });

  it('imports the longest allowed name without widening the page on any workspace', async () => {
    const { page } = app;
    const longest = `Northside ${'Family Practice '.repeat(10)}`
      .slice(0, MAX_PROJECT_NAME_LENGTH - 1)
      .concat('Z');
    expect(longest).toHaveLength(MAX_PROJECT_NAME_LENGTH);
    await page
      .getByLabel('Import a project file')
      .setInputFiles(writeProjectFile('longest.json', projectNamed(longest)));
    await page.getByRole('status').filter({ hasText: 'Imported “Northside' }).waitFor();
    await expect(select(page).getAttribute('title')).resolves.toBe(longest);
    const selectBox = await select(page).boundingBox();
    expect((selectBox?.x ?? 0) + (selectBox?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(
      PHONE.width,
    );
    for (const [hash, heading] of [
      ['#/workflows', 'Workflows'],
      ['#/migration', 'Migration'],
      ['#/signoff', 'Sign-off'],
      ['#/readiness', 'Readiness'],
      ['#/nonsense', 'This page does not exist'],
    ] as const) {
      await page.evaluate((h) => {
        window.location.hash = h;
      }, hash);
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      expect(await sidewaysScroll(page), heading).toBeLessThanOrEqual(0);
    }
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    // the success notice can be dismissed
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported' })
      .getByRole('button', { name: 'Dismiss', exact: true })
      .click();
    await expect(page.getByRole('status').filter({ hasText: 'Imported' }).count()).resolves.toBe(0);
  });

  it('tells two projects with the same name apart', async () => {
    const { page } = app;
    for (let i = 0; i < 2; i += 1) {
      const dialog = await openDialog(page, 'New project');
      await dialog.getByLabel('Project name').fill('  Clinic A  ');
      await dialog.getByRole('button', { name: 'Create project' }).click();
      await page.getByRole('status').filter({ hasText: 'Project “Clinic A” created.' }).waitFor();
    }
    // the second notice reads like the first: wait for the second project itself
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('option')].filter((o) => o.text.startsWith('Clinic A')).length === 2,
    );
    const clinics = (await optionTexts(page)).filter((t) => t.startsWith('Clinic A'));
    expect(clinics).toHaveLength(2);
    expect(new Set(clinics).size).toBe(2);
    for (const label of clinics) expect(label).toMatch(/^Clinic A · created \d{4}-\d\d-\d\d/);
  });

  it('a rename takes down the notice that named the old name', async () => {
    const { page } = app;
    const create = await openDialog(page, 'New project');
    await create.getByLabel('Project name').fill('Clinic B');
    await create.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('status').filter({ hasText: 'Project “Clinic B” created.' }).waitFor();
    const rename = await openDialog(page, 'Rename');
    await rename.getByLabel('Project name').fill('Clinic C');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await select(page).locator('option', { hasText: 'Clinic C' }).waitFor({ state: 'attached' });
    await expect(page.getByText('Clinic B', { exact: false }).count()).resolves.toBe(0);
    await waitForSaved(page);
  });
});

describe('importing a large project file', () => {
  it('reads and checks it in a worker, showing progress, then opens it', async () => {
    const { page } = app;
    const path = writeProjectFile('large.preflight.json', largeProject(LARGE_FILE_BYTES));
    await page.evaluate(() => {
      window.location.hash = '#/workflows';
    });
    // record what the import showed, whenever React rendered it (no timing involved)
    await page.evaluate(() => {
      const seen = { progress: false, reading: false, checking: false };
      (window as unknown as { __importSeen: typeof seen }).__importSeen = seen;
      new MutationObserver(() => {
        if (document.querySelector('progress[aria-label="Importing large.preflight.json"]'))
          seen.progress = true;
        const text = document.querySelector('.import-progress')?.textContent ?? '';
        if (text.includes('reading the file')) seen.reading = true;
        if (text.includes('checking the project')) seen.checking = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByLabel('Import a project file').setInputFiles(path);
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported “Large clinic”' })
      .waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { __importSeen: unknown }).__importSeen);
    expect(seen).toEqual({ progress: true, reading: true, checking: true });
    // the progress goes once the import's own state ends, a moment after the session's notice
    await page.locator('.import-progress').waitFor({ state: 'detached' });
    const selected = await select(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
    expect(selected).toBe('Large clinic');
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
