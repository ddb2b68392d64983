/**
 * Journey of the workflow analyst, end to end in Chromium with the app's real workers: from the
 * list of processes to the planned intake's findings, each leading to its step; a go-live
 * simulation in its worker; today's intake drawn on in the editor (a role and a step from the side
 * forms, the step's attributes in the inspector, a step added after another from the keyboard, the
 * keyboard map's undo, redo, lane move, copy and paste, flow walking and select-all, a step dragged
 * to another lane and a flow drawn between handles with the pointer, the whole arranged by the
 * layout worker), kept over a reload with the simulation's settings, downloaded as JSON the format
 * accepts, and left with focus back where it was opened; a log with problems told by row, then
 * today's workflow discovered from a hospital's event log, read as a process map and adopted;
 * a go-live log checked against the plan, its drift drawn on the planned workflow, whose findings
 * take the keyboard to their steps on the diagram; the check kept in the project (a new tab, an
 * exported file imported elsewhere, out of date after an edit); and the printable document of the
 * process. Axe is clean on each screen state passed through (once; the ones layout.spec checks at
 * both widths are left to it); nothing is printed to the console and no
 * Content-Security-Policy directive is broken, the workers' included.
 *
 * One browser and one context for the journey: it is one user's session, each step starting where
 * the one before left the app. The rules of each form, panel and dialog on the way are proved by
 * the component tests beside them (src/app/workflows/**\/*.test.tsx); this proves the parts meet.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playedCsv, playWorkflow } from '../../src/core/workflow/eventlog/index.ts';
import { loadWorkflow, type Workflow } from '../../src/formats/workflow.ts';
import { externalFixture } from '../fixtures/external.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  axeViolations,
  baseUrl,
  launchBrowser,
  openApp,
  placeHash,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { DISCOVER_LOG_HASH, discoverRegion, EVENT_LOG_FILE_LABEL, processMapOf } from './eventLogPage.ts';
import { editorTool, zoomOutToSeeAll } from './workflowCanvas.ts';

const TODAY = 'Patient intake — current (paper clipboard)';
const PATIENTS = externalFixture('eventdataR-patients', 'patients.csv');
const FUTURE = JSON.parse(
  readFileSync(new URL('../../samples/workflows/patient-intake.future.json', import.meta.url), 'utf8'),
) as Workflow;
/** Drift planted in the go-live log: steps skipped, a workaround, check-out entered twice. */
const PLANTED = {
  skip: { 'scan-consent': 60, 'vitals-device': 40 },
  insert: { 'Spreadsheet update': 50 },
  repeat: { checkout: 30 },
};

let browser: Browser;
let context: BrowserContext;
let app: Watched;
/** what the pages printed before a reload (a reload starts a new page's record) */
const earlierConsole: string[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'preflight-e2e-analyst-'));

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** axe inside `region` only: for a later state where the page around it passed whole already. */
async function expectAxeRegionClean(region: Locator, where: string): Promise<void> {
  const violations = await axeRegionViolations(region);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Reloads the page, keeping what it printed so far for the last check. */
async function reload(page: Page): Promise<void> {
  earlierConsole.push(...app.console);
  app.console.length = 0;
  await page.reload();
  await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
}

const analysis = (page: Page): Locator => page.getByRole('region', { name: 'Analysis of Patient intake' });

/** The "Open in editor" link of a workflow (its accessible name ends with the workflow's). */
const openInEditor = (name: string) =>
  new RegExp(`^Open in editor\\s*: ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** A step on the canvas by its name; what the finding marks add to a name may follow it. */
const stepNode = (page: Page, name: RegExp) =>
  page.getByRole('group', { name: new RegExp(name.source.replace(/\$$/, '(?:; findings: [^;]*)?$')) });

const announced = (page: Page, text: string) =>
  page.locator('.wf-message[role="status"]').filter({ hasText: text }).waitFor();

describe('the workflow analyst', () => {
  it('goes from the list of processes to the planned intake’s findings, and from a finding to its step', async () => {
    const { page } = app;
    // the list, the Findings tab and a simulation's result pass axe at both widths in layout.spec
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    expect(placeHash(page)).toBe('#/workflows/process/patient-intake/map');
    await analysis(page).getByRole('tab', { name: 'Findings' }).click();
    expect(placeHash(page)).toBe('#/workflows/process/patient-intake/findings');
    await analysis(page)
      .getByRole('heading', { level: 4, name: /^What Preflight found in Patient intake — future/ })
      .waitFor();
    await analysis(page)
      .getByRole('button', { name: /^Show the step in Patient intake — future \(new EHR\): Check out/ })
      .first()
      .click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('(shown for the chosen finding)');
    // Back goes to the list, where the user came from
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
  });

  it('runs the go-live simulation in its worker and keeps the clinic’s numbers', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await analysis(page).getByRole('tab', { name: 'Go-live capacity' }).click();
    const region = analysis(page);
    await region.getByLabel('Staff speed in week 1 (share of normal, 0–1)').fill('0.35');
    await region.getByLabel('Simulation runs per period').fill('2');
    await region.getByRole('button', { name: 'Run the simulation' }).click();
    const result = region.getByRole('region', { name: 'Simulation result' });
    await result.waitFor({ timeout: scaled(60_000) });
    await expect(result.locator('.verdict').textContent()).resolves.toMatch(
      /book at most \d+ % of normal appointments/,
    );
    // two runs cannot pin a figure down: the screen says which figures are uncertain
    await result.getByRole('note', { name: 'Uncertain figures' }).waitFor();
    // kept in the project: read back after the editor's reload below
    await waitForSaved(page);
  });

  it('draws on today’s intake in the editor with the forms, the keyboard and the pointer', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows`);
    await page.getByRole('link', { name: openInEditor(TODAY) }).click();
    await page.getByRole('heading', { level: 2, name: TODAY }).waitFor();
    await page.getByRole('region', { name: 'Workflow diagram' }).waitFor();
    await stepNode(page, /^Start: Patient arrives/).waitFor();
    await expectAxeClean(page, 'the editor');

    const addLane = page.getByRole('form', { name: 'Add a lane' });
    await addLane.getByRole('textbox', { name: 'Role name' }).fill('Triage nurse');
    await addLane.getByRole('textbox', { name: 'Staff on shift' }).fill('2');
    await addLane.getByRole('button', { name: 'Add lane' }).click();
    await announced(page, 'Added lane “Triage nurse”.');
    await page.getByRole('button', { name: /^Triage nurse\s*, 2 on shift$/ }).waitFor();

    const addStep = page.getByRole('form', { name: 'Add a step' });
    await addStep.getByRole('radio', { name: 'Task' }).check();
    await addStep.getByRole('combobox', { name: 'Lane' }).selectOption({ label: 'Triage nurse' });
    await addStep.getByRole('textbox', { name: 'Step label' }).fill('Call patient back');
    await addStep.getByRole('button', { name: 'Add step' }).click();
    await announced(page, 'Added task “Call patient back” to Triage nurse.');

    // the new step is selected: its attributes, in the inspector
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('heading', { level: 3, name: 'Task: Call patient back' }).waitFor();
    await inspector.getByLabel('Medium (how the step is done)').selectOption({ label: 'Phone' });
    await inspector.getByLabel('Touch time (minutes)').fill('4');
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();

    // from the keyboard: a step after the focused one ("A"), connected from it
    await stepNode(page, /^Task: Call patient back/).focus();
    await page.keyboard.press('a');
    const append = page.getByRole('dialog', { name: 'Add a step after “Call patient back”' });
    await append.waitFor();
    // the editor passed axe whole as it opened: here the dialog it opened
    await expectAxeRegionClean(append, 'the "Add a step after" dialog');
    await append.getByRole('textbox', { name: 'Step label' }).fill('Note the callback');
    await page.keyboard.press('Enter');
    await append.waitFor({ state: 'detached' });
    await announced(page, 'Added task “Note the callback” to Triage nurse after “Call patient back”.');
    await page
      .getByRole('group', { name: 'Flow from Call patient back to Note the callback', exact: true })
      .waitFor({ state: 'attached' });

    // the keyboard map: undo and redo, a step to the lane above, copy and paste
    const callBack = stepNode(page, /^Task: Call patient back/);
    await callBack.focus();
    await page.keyboard.press('Control+Z');
    await expect.poll(() => stepNode(page, /^Task: Note the callback/).count()).toBe(0);
    await callBack.focus();
    await page.keyboard.press('Control+Shift+Z');
    await stepNode(page, /^Task: Note the callback/).waitFor();
    await callBack.focus();
    await page.keyboard.press('Shift+ArrowUp');
    await stepNode(page, /^Task: Call patient back, Billing, by phone$/).waitFor();
    await page.keyboard.press('Control+Z');
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();
    await callBack.focus();
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    const copies = page.getByRole('group', { name: /^Task: Call patient back, Triage nurse/ });
    await expect.poll(() => copies.count()).toBe(2);
    await page.keyboard.press('Control+Z');
    await expect.poll(() => copies.count()).toBe(1);
    // Alt and the arrows walk the flows: back from the added step to the one it follows
    await stepNode(page, /^Task: Note the callback/).focus();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toMatch(/^Task: Call patient back, /);
    // Control+A selects every step, not the page's text
    await page.keyboard.press('Control+A');
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('heading', { level: 3, name: /^\d+ items selected$/ })
      .waitFor();
    await expect(page.evaluate(() => document.getSelection()?.toString() ?? '')).resolves.toBe('');
    // the steps coloured by touch time, with its key in the legend
    await (await editorTool(page, 'Heat colouring', 'combobox')).selectOption('touch');
    await page.getByRole('heading', { level: 4, name: 'Touch time per step' }).waitFor();
    expect(await page.locator('.wf-step.wf-heat-4').count()).toBeGreaterThan(0);
    await (await editorTool(page, 'Heat colouring', 'combobox')).selectOption('off');

    // with the pointer: a step dragged into another lane, and Undo puts it back
    await zoomOutToSeeAll(page);
    const node = stepNode(page, /^Task: Call patient back/);
    const box = await node.boundingBox();
    const billing = await page.getByRole('button', { name: /^Billing\s*, 1 on shift$/ }).boundingBox();
    if (!box || !billing) throw new Error('step or lane not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const targetY = billing.y + billing.height / 2;
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(
        box.x + box.width / 2 + i * 4,
        box.y + box.height / 2 + ((targetY - box.y - box.height / 2) * i) / 8,
      );
    }
    await page.mouse.up();
    await stepNode(page, /^Task: Call patient back, Billing, by phone$/).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();
    // and a flow drawn from one step's handle to another's
    const a = await stepNode(page, /^Task: Call patient back/)
      .locator('.react-flow__handle-right')
      .boundingBox();
    const b = await stepNode(page, /^Task: Key charges from the superbill/)
      .locator('.react-flow__handle-left')
      .boundingBox();
    if (!a || !b) throw new Error('handles not on screen');
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(
        a.x + ((b.x - a.x) * i) / 8 + a.width / 2,
        a.y + ((b.y - a.y) * i) / 8 + a.height / 2,
      );
    }
    await page.mouse.up();
    await page
      .getByRole('group', {
        name: 'Flow from Call patient back to Key charges from the superbill into practice management',
      })
      .waitFor();

    // the layout worker arranges the whole workflow, each step kept in its lane
    await page.getByRole('button', { name: 'Arrange automatically' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: /^Arranged the workflow: moved \d+ steps, each kept in its lane\. Undo puts them back\.$/,
      })
      .waitFor({ timeout: scaled(60_000) });
    // the editor passed axe when it opened; arranged, it holds the same parts in other places
  });

  it('finds the drawing and the clinic’s numbers after a reload, and downloads the drawing as JSON the format accepts', async () => {
    const { page } = app;
    await waitForSaved(page);
    await reload(page);
    await page.getByRole('heading', { level: 2, name: TODAY }).waitFor();
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByLabel('Touch time (minutes)').inputValue()).resolves.toBe('4');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      editorTool(page, 'Download JSON').then((tool) => tool.click()),
    ]);
    const file = path.join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    const loaded = loadWorkflow(JSON.parse(readFileSync(file, 'utf8')));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const step = loaded.value.steps.find((s) => s.label === 'Call patient back');
    expect(step).toMatchObject({ kind: 'task', medium: 'phone', touchMin: 4 });
    expect(loaded.value.lanes.find((l) => l.id === step?.lane)).toMatchObject({
      name: 'Triage nurse',
      staff: 2,
    });
    expect(
      loaded.value.flows.some(
        (f) =>
          f.from === step?.id && loaded.value.steps.find((s) => s.id === f.to)?.label === 'Note the callback',
      ),
    ).toBe(true);
    // "Back to workflows" returns to the list, focus on the workflow's "Open in editor"
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-open-workflow')))
      .toBe('patient-intake-current');
    // the simulation's settings came back with the reload too
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await analysis(page).getByRole('tab', { name: 'Go-live capacity' }).click();
    await expect(
      analysis(page).getByLabel('Staff speed in week 1 (share of normal, 0–1)').inputValue(),
    ).resolves.toBe('0.35');
  });

  it('discovers today’s workflow from an event log, reads its process map, and adopts it', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}${DISCOVER_LOG_HASH}`);
    const region = discoverRegion(page);
    // a log with problems first: told by row, without its values, and what to do
    const bad = path.join(scratch, 'front-desk.csv');
    writeFileSync(
      bad,
      [
        'visit,activity,when,status',
        'V1,Check in,02/03/2026 08:00,start',
        'V1,Check in,02/03/2026 08:05,complete',
        'V1,Triage,02/03/2026 08:10,start',
        'V1,Triage,SECRET-CELL,complete',
        'V2,Check in,03/03/2026 09:05,complete',
        'V2,Triage,03/03/2026 09:10,start',
        'V2,Triage,03/03/2026 09:20,complete',
        '',
      ].join('\n'),
    );
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(bad);
    await region.getByText(/could be day\/month or month\/day/).waitFor();
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    const problems = region.getByRole('region', { name: 'What Preflight found while reading the log' });
    await problems.waitFor({ timeout: scaled(60_000) });
    await expect(problems.textContent()).resolves.toContain(
      'Choose Day/month/year or Month/day/year as the time format above.',
    );
    await region.getByLabel('Time format').selectOption('dmy');
    await region.getByRole('button', { name: 'Discover again' }).click();
    await problems.getByText(/The time in these rows is empty/).waitFor({ timeout: scaled(60_000) });
    const told = (await problems.textContent()) ?? '';
    expect(told).toContain(
      "Must be fixed (1 row: 4): The time in these rows is empty or not in the log's time format.",
    );
    // a completion with no start (row 5) is one activity done at that moment, as PM4Py and Disco read it
    expect(told).not.toContain('completion with no earlier start');
    expect(told).toContain('Note (1 row: 3): These rows mark a start that never completes');
    expect(await region.textContent()).not.toContain('SECRET');
    await problems.getByLabel('Leave out the rows with problems and use the rest').check();
    await region.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: scaled(60_000) });
    await expect(
      region.getByRole('region', { name: 'Discovered steps' }).locator('tbody tr').count(),
    ).resolves.toBe(2);
    await region.getByText(/^1 completion has no start before it: /).waitFor();

    // then the hospital's log
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(PATIENTS);
    await region.getByText(/patients\.csv \(.*CSV\): 6 columns found/).waitFor();
    await expect(
      region.getByLabel('Case id (one patient visit, order or referral)').inputValue(),
    ).resolves.toBe('patient');
    await region.getByLabel('Activity (what was done)').selectOption('handling');
    await region.getByLabel(/with a column marking each row as a start or a completion/).check();
    await region.getByLabel('Time', { exact: true }).selectOption('time');
    await region.getByLabel('Start or completion marker').selectOption('registration_type');
    await region.getByLabel('Who did it (person or role, optional)').selectOption('employee');
    await expectAxeClean(page, 'the event log form');
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    const result = region.getByRole('region', { name: 'Discovered workflow' });
    await result.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: scaled(60_000) });
    await expect(result.textContent()).resolves.toContain('Read 5,442 rows: 500 cases, 7 kinds of activity');

    // the process map is the result's first view
    await expect(
      region.getByRole('tab', { name: 'Process map' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await processMapOf(page)
      .locator('svg')
      .waitFor({ timeout: scaled(60_000) });
    // the page passed axe whole with the form: here the region the result came into
    await expectAxeRegionClean(region, 'the process map');

    for (const person of ['r1', 'r2']) await region.getByLabel(`Role of ${person}`).fill('Front desk');
    await region.getByRole('button', { name: 'Apply the roles' }).click();
    await region.getByText(/lanes? from who did the work: .*Front desk/).waitFor({ timeout: scaled(60_000) });
    const adopt = page.getByRole('form', { name: 'Use as the current workflow' });
    await adopt.getByLabel('Name').fill('Hospital patients today (from the log)');
    await adopt.getByLabel('Process').fill('hospital-patients');
    await adopt.getByRole('button', { name: 'Use as the current workflow' }).click();
    await adopt
      .getByRole('status')
      .filter({ hasText: 'is now the current workflow of hospital-patients' })
      .waitFor();
    await waitForSaved(page);
    await page.goto(`${baseUrl()}#/workflows`);
    await page.getByRole('link', { name: 'Hospital patients', exact: true }).click();
    await page
      .getByRole('region', { name: 'Analysis of Hospital patients' })
      .getByRole('heading', { name: 'Hospital patients today (from the log)', exact: true })
      .waitFor();
  });

  it('checks a go-live log against the plan, and sees the drift drawn on the planned workflow', async () => {
    const { page } = app;
    const played = playWorkflow(FUTURE, { seed: 22, cases: 200, deviations: PLANTED });
    const logFile = path.join(scratch, 'go-live-week-12.csv');
    writeFileSync(logFile, playedCsv(played.events));
    await page.goto(`${baseUrl()}#/workflows/logs/check`);
    const region = page.getByRole('region', { name: 'Check a log after go-live' });
    await region.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(logFile);
    await region.getByText(/go-live-week-12\.csv .*5 columns found/).waitFor();
    await region.getByRole('button', { name: 'Check the log' }).click();
    const report = region.getByRole('region', { name: 'Drift report' });
    const summary = report.locator('.drift-summary');
    await summary.waitFor({ timeout: scaled(60_000) });
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('“Scan signed consent back into the EHR media tab” in 60 cases');
    expect(text).toContain('“Spreadsheet update” (50 times)');
    expect(text).toContain('“Check out: collect copay, book follow-up (12 screens)” in 30 cases');
    await expectAxeClean(page, 'the drift report');

    await report.getByRole('button', { name: 'Show on the canvas' }).click();
    const canvas = page.getByRole('region', { name: 'Workflow diagram' });
    await canvas
      .getByRole('group', {
        name: /^Task: Scan signed consent back into the EHR media tab.*from the go-live log: Skipped in 30 % of cases \(60 cases\)/,
      })
      .waitFor();
    const toggle = await editorTool(page, 'Drift from the go-live log');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await expectAxeClean(page, 'the drift on the diagram');
  });

  it('goes from a finding of the planned workflow to its steps on the diagram, with the keyboard', async () => {
    const { page } = app;
    const findings = page.getByRole('region', { name: 'Findings on this workflow' });
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        const node = active?.closest<HTMLElement>('.react-flow__node-step');
        return {
          text: (node ?? active)?.textContent ?? '',
          inDiagram: Boolean(active?.closest('.wf-canvas')),
          selected: Boolean(node?.classList.contains('selected')),
        };
      });
    // one step: focus lands on it, selected and in view, and Tab goes on from it
    await findings.getByRole('button', { name: /^Show the step in .*: Review charges/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('.react-flow__node-step') !== null);
    const onStep = await focused();
    expect(onStep).toMatchObject({ inDiagram: true, selected: true });
    expect(onStep.text).toContain('Review charges');
    // the editor passed axe whole with the drift drawn: here the diagram with the focus on a step
    await expectAxeRegionClean(
      page.getByRole('region', { name: 'Workflow diagram' }),
      'the editor with focus on a step',
    );
    await page.keyboard.press('Tab');
    expect((await focused()).inDiagram).toBe(true);
    // several steps: all selected, focus on the first
    const more = findings.getByRole('button', { name: /^Show \d+ more/ });
    while ((await more.count()) > 0) await more.first().click();
    const several = findings.getByRole('button', { name: /^Show the \d+ steps in / }).first();
    const count = Number(((await several.textContent()) ?? '').match(/^Show the (\d+) steps/)?.[1]);
    expect(count).toBeGreaterThan(1);
    await several.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('.react-flow__node-step') !== null);
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Workflow diagram' })
          .locator('.react-flow__node-step.selected')
          .count(),
      )
      .toBe(count);
    expect((await focused()).selected).toBe(true);
  });

  it('keeps the check in the project: a new tab has it, an export carries it, an edit dates it', async () => {
    // a new tab shares no sessionStorage with the first: only the project can bring the check back
    const tab = await openApp(context, '#/workflows/logs/check');
    const region = tab.page.getByRole('region', { name: 'Check a log after go-live' });
    await region.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    const kept = region.getByRole('region', { name: `Last check of ${FUTURE.name}` });
    await kept.waitFor();
    const keptText = (await kept.textContent()) ?? '';
    expect(keptText).toMatch(/go-live-week-12\.csv, checked .*: 20 of 200 cases followed the plan exactly\./);
    expect(keptText).toContain('Kept in the project');

    // the project file carries it, with what the overlay needs and nothing of the log's cases
    const [download] = await Promise.all([
      tab.page.waitForEvent('download'),
      tab.page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const exported = path.join(scratch, download.suggestedFilename());
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(file.project.workflowChecks.map((c: { id: string; log: string }) => [c.id, c.log])).toEqual([
      [FUTURE.id, 'go-live-week-12.csv'],
    ]);
    expect(file.project.workflowChecks[0].result.skipped).toMatchObject(PLANTED.skip);
    expect(JSON.stringify(file.project.workflowChecks)).not.toMatch(/case-\d|"case"/);

    // an edit of the planned workflow: the kept marks are shown as out of date
    await kept.getByRole('button', { name: /^Show the last check on the canvas/ }).click();
    await (await editorTool(tab.page, 'Drift from the go-live log')).waitFor();
    // the toolbar's "More actions" list, opened to find the drift, is closed as a person would
    const more = tab.page
      .getByRole('toolbar', { name: 'Editor' })
      .getByRole('button', { name: 'More actions' });
    if ((await more.getAttribute('aria-expanded')) === 'true') await more.click();
    // with nothing selected the workflow's settings are folded to one line until asked for
    await tab.page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('button', { name: 'Workflow settings' })
      .click();
    const arrivals = tab.page
      .getByRole('complementary', { name: 'Inspector' })
      .getByLabel('Arrivals per hour at peak');
    await arrivals.fill(String(FUTURE.arrivalsPerHour + 2));
    await arrivals.press('Tab');
    // the drift's button says so once the edit is saved (a click elsewhere closed "More actions")
    await expect
      .poll(async () => (await editorTool(tab.page, 'Drift from the go-live log (out of date)')).count())
      .toBe(1);
    await expect(
      tab.page.getByRole('region', { name: 'Legend' }).getByRole('note').textContent(),
    ).resolves.toContain('Out of date: the workflow has changed since this check');
    await expectAxeClean(tab.page, 'the out-of-date drift');
    await waitForSaved(tab.page);
    earlierConsole.push(...tab.console);
    expect(tab.cspViolations).toEqual([]);
    await tab.page.close();

    // another computer (a fresh browser profile) imports the file: the check comes with the project
    const other = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const elsewhere = await openApp(other, '#/workflows/logs/check');
      await elsewhere.page.getByLabel('Import a project file').setInputFiles(exported);
      await elsewhere.page
        .getByRole('status')
        .filter({ hasText: /^Imported/ })
        .waitFor();
      const there = elsewhere.page.getByRole('region', { name: 'Check a log after go-live' });
      await there.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
      const imported = there.getByRole('region', { name: `Last check of ${FUTURE.name}` });
      await expect(imported.textContent()).resolves.toContain('20 of 200 cases followed the plan exactly');
      expect(elsewhere.console).toEqual([]);
      expect(elsewhere.cspViolations).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('opens the printable document of the process, and goes back to the process', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows/process/patient-intake/map`);
    await page.getByRole('link', { name: 'Printable document of Patient intake' }).click();
    const doc = page.getByRole('article', { name: 'Process document: Patient intake' });
    await doc.waitFor();
    expect(placeHash(page)).toBe('#/workflows/document/patient-intake');
    await expectAxeClean(page, 'the printable document');
    // the document keeps its address over a reload
    await reload(page);
    await doc.waitFor();
    await doc.getByRole('link', { name: 'Back to the process' }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
  });

  it('printed nothing to the console and broke no CSP rule, in the page or its workers', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
