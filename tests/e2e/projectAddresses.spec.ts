/**
 * Journey: a clinic lead works in two projects, "Riverside" and "Northside", that hold the same
 * workflows (one began as a copy of the other). Every address names its project: an address copied
 * from a Northside workflow while Riverside is open opens Northside's workflow, after Riverside's
 * pending edit is saved; Back returns to Riverside; the project chooser moves the address too; a
 * reload keeps the project; an address of a project this browser does not hold says so and changes
 * nothing; addresses made before projects were named in them still open in the open project.
 * Accessible (axe) at 1440 and 390 px; nothing printed to the console.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  baseUrl,
  launchBrowser,
  openApp,
  placeHash,
  type Watched,
  waitForSaved,
} from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let work: string;

const INTAKE_FUTURE = 'Patient intake — future (new EHR)';
/** A well-formed project id no browser here holds. */
const ELSEWHERE = '0f1e2d3c-4b5a-4697-8877-665544332211';

const projectSelect = (page: Page) => page.getByLabel('Project', { exact: true });
const selectedProject = (page: Page) =>
  projectSelect(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
const projectNames = (page: Page) =>
  projectSelect(page).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text).sort());
/** The project id the address names; undefined when it names none. */
const addressedProject = (page: Page) =>
  /^#\/project\/([^/]+)/.exec(new URL(page.url()).hash)?.[1] ?? undefined;

async function renameProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await projectSelect(page).locator('option', { hasText: name }).waitFor({ state: 'attached' });
}

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function expectEditorOf(page: Page, project: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: INTAKE_FUTURE }).waitFor();
  await expect.poll(() => selectedProject(page)).toBe(project);
  await expect.poll(() => page.title()).toBe(`${INTAKE_FUTURE} · Workflows · ${project} · Preflight`);
}

let riverside = '';
let northside = '';
let northsideWorkflow = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'preflight-addresses-'));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('addresses name their project', () => {
  it('an address gains the open project, by its id only', async () => {
    const { page } = app;
    await renameProject(page, 'Riverside');
    await waitForSaved(page);
    await expect.poll(() => addressedProject(page)).toBeDefined();
    riverside = addressedProject(page) ?? '';
    await expect(projectSelect(page).inputValue()).resolves.toBe(riverside);
    expect(placeHash(page)).toBe('#/workflows');
    // ids, never names: nothing of the project's words is in the address
    expect(page.url()).not.toContain('Riverside');
  });

  it('a second project (an import of the first) opens under its own address', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    await page.getByLabel('Import a project file').setInputFiles(file);
    await page.getByRole('status').filter({ hasText: 'Imported “Riverside (imported' }).waitFor();
    await renameProject(page, 'Northside');
    await waitForSaved(page);
    await expect.poll(() => addressedProject(page)).not.toBe(riverside);
    northside = addressedProject(page) ?? '';
    expect(northside).toBe(await projectSelect(page).inputValue());
    // Northside's copy of the intake workflow, opened by its link
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await page
      .getByRole('region', { name: 'Analysis of Patient intake' })
      .getByRole('link', {
        name: new RegExp(`^Open in editor\\s*: ${INTAKE_FUTURE.replace(/[()]/g, '\\$&')}$`),
      })
      .click();
    await expectEditorOf(page, 'Northside');
    await expect.poll(() => placeHash(page)).toMatch(/^#\/workflows\/workflow\//);
    northsideWorkflow = page.url();
    expect(addressedProject(page)).toBe(northside);
  });

  it('the project chooser moves the address, and Back returns to the project left', async () => {
    const { page } = app;
    await projectSelect(page).selectOption(riverside);
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => addressedProject(page)).toBe(riverside);
    // Riverside has the same workflow, but Northside's was not carried over: the list
    expect(placeHash(page)).toBe('#/workflows');
    expect(await selectedProject(page)).toBe('Riverside');
    await page.goBack();
    await expectEditorOf(page, 'Northside');
    expect(page.url()).toBe(northsideWorkflow);
    await page.goForward();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Riverside');
  });

  it("a Northside address opened in Riverside opens Northside's workflow, Riverside's edit kept; Back returns", async () => {
    const { page } = app;
    // an edit still pending in Riverside when the other project's address is opened
    await renameProject(page, 'Riverside clinic');
    await page.goto(northsideWorkflow);
    await expectEditorOf(page, 'Northside');
    expect(page.url()).toBe(northsideWorkflow);
    await waitForSaved(page);
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Riverside clinic');
    expect(addressedProject(page)).toBe(riverside);
    expect(await projectNames(page)).toEqual(['Northside', 'Riverside clinic']);
    await expectAxeClean(page, 'Riverside after Back');
  });

  it('a reload keeps the project the address names', async () => {
    const { page } = app;
    await page.goForward();
    await expectEditorOf(page, 'Northside');
    await page.reload();
    await expectEditorOf(page, 'Northside');
    expect(page.url()).toBe(northsideWorkflow);
    // Riverside's rename, made just before the switch, was stored
    expect(await projectNames(page)).toEqual(['Northside', 'Riverside clinic']);
  });

  it('an address of a project not in this browser says so, switches nothing and loses nothing', async () => {
    const { page } = app;
    const elsewhere = `${baseUrl()}#/project/${ELSEWHERE}/workflows/workflow/intake-future`;
    await page.goto(elsewhere);
    const message = page.getByRole('region', { name: 'This project is not in this browser' });
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain(ELSEWHERE);
    await expect(message.textContent()).resolves.toContain('made in another browser');
    await expect(message.getByRole('button', { name: 'Import the project file' }).count()).resolves.toBe(1);
    // the open project is still open and unchanged, and the address still names the other one
    expect(await selectedProject(page)).toBe('Northside');
    expect(await projectNames(page)).toEqual(['Northside', 'Riverside clinic']);
    expect(page.url()).toBe(elsewhere);
    await expect(page.getByRole('heading', { level: 2, name: INTAKE_FUTURE }).count()).resolves.toBe(0);
    await expectAxeClean(page, 'unknown project at 1440 px');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAxeClean(page, 'unknown project at 390 px');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await message.getByRole('link', { name: 'go back to “Northside”' }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    expect(addressedProject(page)).toBe(northside);
    await expectAxeClean(page, 'Northside at 390 px');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('an address of a project another tab created since opens it', async () => {
    const other = await context.newPage();
    await other.goto(`${baseUrl()}#/migration`);
    await other.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await waitForSaved(other);
    await other.getByRole('button', { name: 'New project' }).click();
    const dialog = other.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Project name').fill('Eastside');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await other.getByRole('status').filter({ hasText: 'Project “Eastside” created.' }).waitFor();
    await expect.poll(() => addressedProject(other)).toBe(await projectSelect(other).inputValue());
    const eastside = other.url();
    await other.close();
    const { page } = app;
    expect(await projectNames(page)).toEqual(['Northside', 'Riverside clinic']);
    await page.goto(eastside);
    await page.getByRole('heading', { level: 2, name: 'Migration' }).waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Eastside');
    expect(page.url()).toBe(eastside);
    await page.goBack();
    await expect.poll(() => selectedProject(page)).toBe('Northside');
  });

  it('addresses without a project part open in the open project', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows/process/patient-intake/findings`);
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expect.poll(() => addressedProject(page)).toBe(northside);
    expect(placeHash(page)).toBe('#/workflows/process/patient-intake/findings');
    expect(await selectedProject(page)).toBe('Northside');
  });

  it("the app's links keep the project, and a click on the place shown adds no history entry", async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    const entries = await page.evaluate(() => history.length);
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await expect(page.evaluate(() => history.length)).resolves.toBe(entries);
    // a link that names a place only: the address it leads to names the project, at once
    const hashes: string[] = [];
    await page.exposeFunction('__hashSeen', (hash: string) => hashes.push(hash));
    await page.evaluate(() =>
      window.addEventListener('hashchange', () =>
        (window as unknown as { __hashSeen: (h: string) => void }).__hashSeen(window.location.hash),
      ),
    );
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expect.poll(() => hashes.length).toBeGreaterThan(0);
    expect(hashes.every((hash) => hash.startsWith(`#/project/${northside}/`))).toBe(true);
    await expect(page.evaluate(() => history.length)).resolves.toBe(entries + 1);
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    expect(addressedProject(page)).toBe(northside);
  });

  it('after "Close and wipe", starting again opens the new demo clinic at the same place', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/project/${northside}/readiness/gates`);
    await page
      .getByRole('tablist', { name: 'Readiness' })
      .getByRole('tab', { name: 'Gates', exact: true, selected: true })
      .waitFor();
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await page
      .getByRole('tablist', { name: 'Readiness' })
      .getByRole('tab', { name: 'Gates', exact: true, selected: true })
      .waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Demo clinic');
    await expect.poll(() => addressedProject(page)).toBe(await projectSelect(page).inputValue());
    expect(placeHash(page)).toBe('#/readiness/gates');
    await expect(
      page.getByRole('region', { name: 'This project is not in this browser' }).count(),
    ).resolves.toBe(0);
    expect(app.console).toEqual([]);
  });
});
