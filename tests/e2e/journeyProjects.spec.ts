/**
 * Journey: the shell every role works in — projects, their names and addresses, the workspace tabs,
 * keyboard focus and the header's job notes — walked in real Chromium with the app's real workers,
 * on a desktop and on a phone, each part at one width. One browser for the file; each desktop part
 * starts in a fresh context (a new user's browser), and the two phone parts walk one phone, the
 * second in the project the first made. Each screen state passed through that no other spec
 * checks is checked with axe once, on the part that changed where the page around it is another
 * spec's (the demo's workspaces at both widths are layout.spec's); nothing may be printed to the
 * console or break the Content-Security-Policy.
 *
 * What one component does on its own (a dialog's name rule, the chooser's labels, a refused file's
 * message, the tabs' keys, a job note's states) is proved in the component tests beside it
 * (src/app/projects, src/app/jobs, src/app/common); this walks the path where the parts meet.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../src/core/project/changes.ts';
import type { Dataset, Project } from '../../src/formats/project.ts';
import { createProjectFile } from '../../src/formats/project.ts';
import { MAX_PROJECT_NAME_LENGTH } from '../../src/formats/projectName.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  axeViolations,
  baseUrl,
  launchBrowser,
  openApp,
  placeHash,
  projectSelect,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { hashGate, installHashGate, startHashWorker } from './hashWorkerGate.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
const NOW = '2026-11-02T09:00:00.000Z';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const WAIT = { timeout: scaled(60_000) };
const INTAKE_FUTURE = 'Patient intake — future (new EHR)';
/** A well-formed project id no browser here holds. */
const ELSEWHERE = '0f1e2d3c-4b5a-4697-8877-665544332211';
/** Two of the project-file worker's 4 MiB reads: the page shows reading, then checking. */
const IMPORT_BYTES = 4.5 * 1000 * 1000;
/**
 * One of the hash worker's reads: the job runs while its reads are held (hashWorkerGate.ts), the
 * first one included, so a file of any size is a job in progress until the gate opens. A small one
 * spares sending megabytes to the browser for each run.
 */
const FINGERPRINT_BYTES = 1024;
const FINGERPRINT = 'extract.bin';

let browser: Browser;
let work: string;
/** every app opened, to check at the end of each part that none printed or broke the policy */
let opened: Watched[] = [];
const contexts: BrowserContext[] = [];

async function newApp(viewport: { width: number; height: number }, hash = ''): Promise<Watched> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  const app = await openApp(context, hash);
  opened.push(app);
  await waitForSaved(app.page);
  return app;
}

/** The phone's app: both phone parts walk one user's 390-px browser, one after the other. */
let phone: Watched | undefined;

/** The phone's app, opened at the Migration workspace by the first phone part. */
async function phoneApp(): Promise<Watched> {
  if (!phone) {
    const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
    phone = await openApp(context, '#/migration');
    await waitForSaved(phone.page);
  }
  opened.push(phone);
  return phone;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'preflight-journey-projects-'));
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const app of opened) {
    expect(app.console, 'console').toEqual([]);
    expect(app.cspViolations, 'CSP').toEqual([]);
  }
  opened = [];
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await phone?.page.context().close();
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** axe on the whole page, or on a region of it whose page around passed axe elsewhere. */
async function expectAxeClean(scope: Page | Locator, where: string): Promise<void> {
  const violations = 'goto' in scope ? await axeViolations(scope) : await axeRegionViolations(scope);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const workspaceTabs = (page: Page) => page.getByRole('navigation', { name: 'Workspaces' });

/** The four workspace tabs fit on one row at `width`. */
async function expectTabsOnOneRow(page: Page, width: number): Promise<void> {
  const tops = await workspaceTabs(page)
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(tops).toHaveLength(4);
  expect(new Set(tops).size, `tab rows at ${width} px: ${tops.join(', ')}`).toBe(1);
}

async function goTo(page: Page, workspace: string): Promise<void> {
  await workspaceTabs(page).getByRole('link', { name: workspace }).click();
  await page.getByRole('heading', { level: 2, name: workspace }).waitFor();
}

const selectedProject = (page: Page) =>
  projectSelect(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
const projectNames = (page: Page) =>
  projectSelect(page).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text).sort());
/** The project id the address names; undefined when it names none. */
const addressedProject = (page: Page) => /^#\/project\/([^/]+)/.exec(new URL(page.url()).hash)?.[1];
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
/** What has keyboard focus: its tag, and its label or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'the page itself';
    const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
    return `${el.tagName.toLowerCase()}: ${label ?? el.textContent}`;
  });

async function createNamed(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Project “${name}” created.` })
    .waitFor();
}

async function renameProject(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await projectSelect(page).locator('option', { hasText: name }).waitFor({ state: 'attached' });
}

/**
 * A page of the intake process in `project`: its heading, the project chosen, and the tab's title
 * (`place` is what the title names before the workspace).
 */
async function expectIntakePage(page: Page, project: string, heading: string, place: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
  await expect.poll(() => selectedProject(page)).toBe(project);
  await expect.poll(() => page.title()).toBe(`${place} · Workflows · ${project} · Preflight`);
}

/** The analysis page of the intake process, in `project`. */
const expectIntakeOf = (page: Page, project: string) =>
  expectIntakePage(page, project, 'Patient intake', 'Map · Patient intake');

/** The editor of the planned intake, in `project`. */
const expectEditorOf = (page: Page, project: string) =>
  expectIntakePage(page, project, INTAKE_FUTURE, INTAKE_FUTURE);

/**
 * The first `rows` records of a demo extract, under its own name in the work folder: a focus
 * journey needs a validation run and a result with failing rows, not the demo's 5,000 patients.
 */
function demoExtract(name: string, rows: number): string {
  const bytes = readFileSync(resolve(SAMPLES, name));
  let end = 0;
  for (let line = 0; line <= rows; line += 1) end = bytes.indexOf(0x0a, end) + 1;
  const path = join(work, name);
  writeFileSync(path, bytes.subarray(0, end));
  return path;
}

/** Writes a project file (correctly hashed) into the work folder and returns its path. */
function writeProjectFile(fileName: string, project: Project): string {
  const path = join(work, fileName);
  writeFileSync(path, JSON.stringify(createProjectFile(project, { now: NOW, appVersion: '0.1.0' })));
  return path;
}

/** A valid project of about `bytes`: extracts described with many columns (a project holds no rows). */
function largeProject(name: string, bytes: number): Project {
  const project = createProject({ name, now: NOW });
  const datasets: Dataset[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const columns = Array.from({ length: 50_000 }, (_, j) => `legacy_column_${i}_${j}`);
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

describe('the shell, for every role', () => {
  it('a newcomer finds the demo clinic and moves between the workspaces by mouse and keyboard', async () => {
    // one width: each workspace of the demo at both widths, with axe, is layout.spec's; the tabs'
    // one row on a phone is checked in the phone parts below
    const { page } = await newApp(DESKTOP, '#/migration');
    const { width } = DESKTOP;
    expect(await selectedProject(page)).toBe('Demo clinic');
    await expectTabsOnOneRow(page, width);

    for (const workspace of ['Workflows', 'Sign-off', 'Readiness', 'Migration']) {
      // the user had scrolled down the screen they leave: the next one still opens at its top
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await goTo(page, workspace);
      // focus is in the workspace, yet the page did not scroll past the header to show it
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
      await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
      const tabs = await workspaceTabs(page).boundingBox();
      expect(tabs?.y ?? -1, `${workspace} at ${width} px`).toBeGreaterThanOrEqual(0);
      expect(await sidewaysScroll(page), `${workspace} at ${width} px`).toBeLessThanOrEqual(0);
    }

    // the demo's real content is in each workspace
    const extracts = page.getByRole('table', { name: 'Legacy extracts' });
    const encounters = extracts
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'encounters.csv' }) });
    await expect(encounters.getByText('windows-1252').isVisible()).resolves.toBe(true);
    await goTo(page, 'Workflows');
    await page.getByText('Planned', { exact: true }).first().waitFor();
    expect(await page.getByRole('article').count()).toBeGreaterThanOrEqual(2);
    await goTo(page, 'Readiness');
    await page.getByRole('listitem').filter({ hasText: 'Discovery' }).first().waitFor();

    // keyboard: the tab before Sign-off is Migration, and Enter marks it as the current page
    await goTo(page, 'Workflows');
    await workspaceTabs(page).getByRole('link', { name: 'Sign-off' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('nav a[aria-current="page"]', { hasText: 'Migration' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(placeHash(page)).toBe('#/migration');

    // "Skip to workspace" moves focus into the workspace without leaving it for another screen
    await goTo(page, 'Sign-off');
    await page.getByRole('link', { name: 'Skip to workspace' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(placeHash(page)).toBe('#/signoff');
    expect(await page.title()).toBe('Sign-off · Demo clinic · Preflight');
    await expect(page.getByRole('heading', { name: 'This page does not exist' }).count()).resolves.toBe(0);
  });

  it('a clinic lead works in two projects by their addresses, and starts again after "Close and wipe"', async () => {
    const app = await newApp(DESKTOP, '#/workflows');
    const { page } = app;
    // the address gains the open project, by its id only
    await renameProject(page, 'Riverside');
    await waitForSaved(page);
    await expect.poll(() => addressedProject(page)).toBeDefined();
    const riverside = addressedProject(page) ?? '';
    expect(placeHash(page)).toBe('#/workflows');
    expect(page.url()).not.toContain('Riverside');

    // a second project, imported from the first's exported file through the project-file worker
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Riverside.preflight.json');
    const exported = join(work, download.suggestedFilename());
    await download.saveAs(exported);
    await page.getByLabel('Import a project file').setInputFiles(exported);
    await page.getByRole('status').filter({ hasText: 'Imported “Riverside (imported' }).waitFor();
    await renameProject(page, 'Northside');
    await waitForSaved(page);
    await expect.poll(() => addressedProject(page)).not.toBe(riverside);
    const northside = addressedProject(page) ?? '';

    // Northside's copy of the intake workflow; opening and closing the editor keep keyboard focus
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    const open = page.getByRole('region', { name: 'Analysis of Patient intake' }).getByRole('link', {
      name: new RegExp(`^Open in editor\\s*: ${INTAKE_FUTURE.replace(/[()]/g, '\\$&')}$`),
    });
    await open.focus();
    await page.keyboard.press('Enter');
    await expectEditorOf(page, 'Northside');
    // focus on the editor's heading (the editor's own axe check is the analyst journey's)
    await expect.poll(() => focused(page)).toBe(`h2: ${INTAKE_FUTURE}`);
    expect(addressedProject(page)).toBe(northside);
    await page.getByRole('button', { name: 'Back to workflows' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expect.poll(() => focused(page)).toMatch(/^a: Open in editor\s*: Patient intake — future/);
    // the rest walks Northside's intake by its analysis page: the editor opened by its own address,
    // after a load, is diagramRoutesExport.spec's and flowRoutes.spec's
    const northsideIntake = page.url();
    expect(addressedProject(page)).toBe(northside);

    // the chooser moves the address; Back returns to the project left
    await projectSelect(page).selectOption(riverside);
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => addressedProject(page)).toBe(riverside);
    expect(await selectedProject(page)).toBe('Riverside');
    await page.goBack();
    await expectIntakeOf(page, 'Northside');
    await page.goForward();
    await expect.poll(() => selectedProject(page)).toBe('Riverside');

    // a Northside address opened while Riverside has an edit pending: Northside opens, the edit is kept
    await renameProject(page, 'Riverside clinic');
    await page.goto(northsideIntake);
    await expectIntakeOf(page, 'Northside');
    await waitForSaved(page);
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Riverside clinic');
    expect(await projectNames(page)).toEqual(['Northside', 'Riverside clinic']);

    // a reload keeps the project the address names
    await page.goForward();
    await expectIntakeOf(page, 'Northside');
    await page.reload();
    await expectIntakeOf(page, 'Northside');
    expect(page.url()).toBe(northsideIntake);

    // an address of a project not in this browser says so, switches nothing, loses nothing
    const elsewhere = `${baseUrl()}#/project/${ELSEWHERE}/workflows/workflow/intake-future`;
    await page.goto(elsewhere);
    const message = page.getByRole('region', { name: 'This project is not in this browser' });
    await message.waitFor();
    expect(await selectedProject(page)).toBe('Northside');
    expect(page.url()).toBe(elsewhere);
    // the message, in the place of a workspace (the header and tabs around it are layout.spec's)
    await expectAxeClean(message, 'unknown project');
    // the message fits a phone too (no other spec opens it)
    await page.setViewportSize(PHONE);
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await message.getByRole('link', { name: 'go back to “Northside”' }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    expect(addressedProject(page)).toBe(northside);
    await page.setViewportSize(DESKTOP);

    // an address of a project another tab created since opens it
    const other = await openApp(page.context(), '#/workflows');
    opened.push(other);
    await waitForSaved(other.page);
    await createNamed(other.page, 'Eastside');
    await expect.poll(() => addressedProject(other.page)).toBe(await projectSelect(other.page).inputValue());
    const eastside = other.page.url();
    await other.page.close();
    await page.goto(eastside);
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Eastside');
    // a new project holds none of the others' content
    await page.getByText('No workflows in this project yet.').waitFor();
    await page.goBack();
    await expect.poll(() => selectedProject(page)).toBe('Northside');

    // an address without a project part opens in the open project, and gains its id
    await page.goto(`${baseUrl()}#/workflows/process/patient-intake/findings`);
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expect.poll(() => addressedProject(page)).toBe(northside);
    expect(placeHash(page)).toBe('#/workflows/process/patient-intake/findings');

    // the app's links keep the project, and a click on the place shown adds no history entry
    await goTo(page, 'Workflows');
    const entries = await page.evaluate(() => history.length);
    await workspaceTabs(page).getByRole('link', { name: 'Workflows' }).click();
    await expect(page.evaluate(() => history.length)).resolves.toBe(entries);
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    expect(addressedProject(page)).toBe(northside);
    await expect(page.evaluate(() => history.length)).resolves.toBe(entries + 1);

    // after "Close and wipe", starting again opens the new demo clinic at the same place
    await page.goto(`${baseUrl()}#/project/${northside}/readiness/gates`);
    const gates = page
      .getByRole('tablist', { name: 'Readiness' })
      .getByRole('tab', { name: 'Gates', exact: true, selected: true });
    await gates.waitFor();
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    await expectAxeClean(page, 'after the wipe');
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await gates.waitFor();
    await expect.poll(() => selectedProject(page)).toBe('Demo clinic');
    await expect.poll(() => addressedProject(page)).toBe(await projectSelect(page).inputValue());
    expect(placeHash(page)).toBe('#/readiness/gates');
    expect(await projectNames(page)).toEqual(['Demo clinic']);
  });

  it('an analyst on a phone: focus follows the Migration screen, and a job that ends elsewhere leaves a note', async () => {
    const { page } = await phoneApp();
    // the real hash worker, its reads held when the test says (hashWorkerGate.ts): started first, as
    // a validation fingerprints its file in it too
    const file = join(work, FINGERPRINT);
    writeFileSync(file, Buffer.alloc(FINGERPRINT_BYTES, 7));
    const worker = await startHashWorker(page, work);
    await installHashGate(worker);

    // removing a file's card and running a validation never drop focus to the top of the page
    await page
      .getByLabel('Extract files (CSV or TSV)')
      .setInputFiles([demoExtract('patients.csv', 200), demoExtract('encounters.csv', 20)]);
    await page.getByRole('group', { name: /^encounters\.csv/ }).waitFor();
    await page.getByRole('button', { name: 'Remove encounters.csv' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('group', { name: /^encounters\.csv/ }).count()).resolves.toBe(0);
    await expect(focused(page)).resolves.toBe(
      'input: Extract files (CSV or TSV) or FHIR files (JSON, NDJSON), plain, compressed (.gz, .zst) or zipped (.zip)',
    );
    await page.getByRole('button', { name: 'Validate the file' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Validation result' }).waitFor({ timeout: scaled(120_000) });
    await expect.poll(() => focused(page)).toBe('h4: Result');
    await page.keyboard.press('Tab');
    await expect(
      page.evaluate(() => document.activeElement?.closest('[aria-label^="Validation result"]') !== null),
    ).resolves.toBe(true);
    // no axe on the result here: the Migration page with a result passes it whole on a phone in
    // migration.spec.ts, and the same scan of this one costs seconds of CPU

    // a fingerprint held in the hash worker is running when the user leaves
    const startHeld = async () => {
      await hashGate(worker, { action: 'hold' });
      await page.getByLabel('File to fingerprint').setInputFiles(file);
      await page
        .getByRole('banner')
        .getByRole('progressbar', { name: `Fingerprint of ${FINGERPRINT}`, exact: true })
        .waitFor(WAIT);
    };
    const notes = page.getByRole('banner').getByRole('region', { name: 'Finished jobs' });
    await startHeld();
    await goTo(page, 'Sign-off');
    await hashGate(worker, { action: 'open' });
    const note = notes.getByRole('listitem');
    await note.getByText(`Fingerprint of ${FINGERPRINT} finished.`).waitFor(WAIT);
    // the whole note is on a phone's screen: nothing cut off, Dismiss within reach
    const box = await note.getByRole('button', { name: /^Dismiss/ }).boundingBox();
    expect((box?.x ?? Number.POSITIVE_INFINITY) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    // the note (the Sign-off page under it passes axe on a phone in layout.spec.ts)
    await expectAxeClean(notes, 'a job note on a phone');
    await note.getByRole('link', { name: 'Go to Migration' }).click();
    await page.getByRole('heading', { level: 2, name: 'Migration' }).waitFor();
    await notes.waitFor({ state: 'detached' });
    await expect(page.getByTestId('sha256').isVisible()).resolves.toBe(true);

    // a note and a result belong to their project: opening another takes both away
    await startHeld();
    await goTo(page, 'Workflows');
    await hashGate(worker, { action: 'open' });
    await notes.getByText(`Fingerprint of ${FINGERPRINT} finished.`).waitFor(WAIT);
    await createNamed(page, 'Another clinic');
    await expect.poll(() => notes.count(), WAIT).toBe(0);
    await goTo(page, 'Migration');
    await expect.poll(() => page.getByTestId('sha256').count(), WAIT).toBe(0);
    await expect(page.getByText(FINGERPRINT).count()).resolves.toBe(0);
  });

  it('a data lead on a phone imports a project with the longest name and a large one, read in a worker', async () => {
    // the phone of the analyst's part above, in the project it made
    const { page } = await phoneApp();
    await expectTabsOnOneRow(page, PHONE.width);
    // the naming dialog, its rule stated, on a phone (its rules: Dialog.test.tsx, ProjectBar.test.tsx)
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByText(`Up to ${MAX_PROJECT_NAME_LENGTH} characters.`).waitFor();
    // the dialog (the demo's page under it passes axe on a phone in layout.spec.ts)
    await expectAxeClean(dialog, 'the New project dialog on a phone');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const longest = `Northside ${'Family Practice '.repeat(10)}`
      .slice(0, MAX_PROJECT_NAME_LENGTH - 1)
      .concat('Z');
    const project = createProject({ name: 'placeholder', now: NOW });
    // every import is read and checked in the project-file worker, started by the first
    const worker = page.waitForEvent('worker', (w) => /\/projectFile\.worker[-.]/.test(w.url()));
    await page
      .getByLabel('Import a project file')
      .setInputFiles(
        writeProjectFile('longest.json', { ...project, meta: { ...project.meta, name: longest } }),
      );
    await page.getByRole('status').filter({ hasText: 'Imported “Northside' }).waitFor();
    await expect(projectSelect(page).getAttribute('title')).resolves.toBe(longest);
    // the longest name widens no screen, the page that does not exist included
    const selectBox = await projectSelect(page).boundingBox();
    expect((selectBox?.x ?? 0) + (selectBox?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(
      PHONE.width,
    );
    for (const [hash, heading] of [
      ['#/workflows', 'Workflows'],
      ['#/signoff', 'Sign-off'],
      ['#/nonsense', 'This page does not exist'],
    ] as const) {
      await page.evaluate((h) => {
        window.location.hash = h;
      }, hash);
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      expect(await sidewaysScroll(page), heading).toBeLessThanOrEqual(0);
    }
    await expectAxeClean(page, 'page not found on a phone, longest name');

    // a large file is read and checked in the project-file worker while the page shows how far
    const path = writeProjectFile('large.preflight.json', largeProject('Large clinic', IMPORT_BYTES));
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
    await worker;
    await page.getByLabel('Import a project file').setInputFiles(path);
    await page.getByRole('status').filter({ hasText: 'Imported “Large clinic”' }).waitFor(WAIT);
    const seen = await page.evaluate(() => (window as unknown as { __importSeen: unknown }).__importSeen);
    expect(seen).toEqual({ progress: true, reading: true, checking: true });
    await page.locator('.import-progress').waitFor({ state: 'detached' });
    expect(await selectedProject(page)).toBe('Large clinic');
  });
});
