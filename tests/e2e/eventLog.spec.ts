/**
 * Journey: a clinic analyst reads a hospital's event log (the eventdataR "patients" log: a start and
 * a complete row per activity, marked in `registration_type`), checks the proposed columns, narrows
 * the paths, gives the people roles and adopts the result as a current workflow that survives a
 * reload. After go-live, a log played from the demo's planned intake with planted drift (skipped
 * steps, a spreadsheet workaround, check-out entered twice) is checked against the plan: the drift
 * report names each planted count, highlights the drifting steps and saves as JSON. Accessible
 * (axe) throughout; nothing printed to the console; no CSP violation in the page or its workers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playedCsv, playWorkflow } from '../../src/core/workflow/eventlog/testing/playWorkflow.ts';
import type { Workflow } from '../../src/formats/workflow.ts';
import { externalFixture } from '../fixtures/external.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { DISCOVER_LOG_HASH, discoverRegion, EVENT_LOG_FILE_LABEL } from './eventLogPage.ts';
import { zoomOutToSeeAll } from './workflowCanvas.ts';

const PATIENTS = externalFixture('eventdataR-patients', 'patients.csv');
/** A complete-only XES log written for the tests, with one event that has no time. */
const COMPLETE_ONLY = fileURLToPath(new URL('../fixtures/logs/clinic-complete-only.xes', import.meta.url));
const FUTURE = JSON.parse(
  readFileSync(new URL('../../samples/workflows/patient-intake.future.json', import.meta.url), 'utf8'),
) as Workflow;
const PLANTED = {
  skip: { 'scan-consent': 60, 'vitals-device': 40 },
  insert: { 'Spreadsheet update': 50 },
  repeat: { checkout: 30 },
};
/** Where screenshots go when E2E_SCREENSHOTS names a folder (to look at the screens by eye). */
const SHOTS = process.env.E2E_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
const earlierConsole: string[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'preflight-e2e-eventlog-'));

const discover = discoverRegion;
const check = (page: Page): Locator => page.getByRole('region', { name: 'Check a log after go-live' });

async function shoot(page: Page, name: string, locator: Locator): Promise<void> {
  if (!SHOTS) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 1000 });
    await locator.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  app = await openApp(context, DISCOVER_LOG_HASH);
});

afterAll(async () => {
  await browser?.close();
});

describe('event logs on the Workflows workspace', () => {
  it('says what is wrong with a log, by row and without its values, and what to do', async () => {
    const { page } = app;
    const region = discover(page);
    const bad = path.join(dir, 'front-desk.csv');
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
    await problems.waitFor({ timeout: 60_000 });
    await expect(problems.textContent()).resolves.toContain(
      'Choose Day/month/year or Month/day/year as the time format above.',
    );
    await region.getByLabel('Time format').selectOption('dmy');
    await region.getByRole('button', { name: 'Discover again' }).click();
    await problems.getByText(/The time in these rows is empty/).waitFor({ timeout: 60_000 });
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain(
      "Must be fixed (1 row: 4): The time in these rows is empty or not in the log's time format.",
    );
    expect(text).toContain('Must be fixed (1 row: 5): These rows mark a completion with no earlier start');
    expect(text).toContain('Note (1 row: 3): These rows mark a start that never completes');
    expect(await region.textContent()).not.toContain('SECRET');
    await problems.getByLabel('Leave out the rows with problems and use the rest').check();
    await region.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: 60_000 });
    await expect(
      region.getByRole('region', { name: 'Discovered steps' }).locator('tbody tr').count(),
    ).resolves.toBe(2);
  });

  it('reads the eventdataR log, proposes its columns, and discovers the measured workflow', async () => {
    const { page } = app;
    const region = discover(page);
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(PATIENTS);
    await region.getByText(/patients\.csv \(.*CSV\): 6 columns found/).waitFor();
    // the proposal, checked and set as an analyst would
    await expect(
      region.getByLabel('Case id (one patient visit, order or referral)').inputValue(),
    ).resolves.toBe('patient');
    await region.getByLabel('Activity (what was done)').selectOption('handling');
    await region.getByLabel(/with a column marking each row as a start or a completion/).check();
    await region.getByLabel('Time', { exact: true }).selectOption('time');
    await region.getByLabel('Start or completion marker').selectOption('registration_type');
    await region.getByLabel('Who did it (person or role, optional)').selectOption('employee');
    await expect(
      region
        .getByText(
          /Detected in "time": Year-month-day, e.g. 2024-03-01 14:30 \(ISO 8601\)\. The times carry their own time zone\./,
        )
        .isVisible(),
    ).resolves.toBe(true);

    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    const result = region.getByRole('region', { name: 'Discovered workflow' });
    await result.getByText(/^Read 5,442 rows/).waitFor({ timeout: 60_000 });
    await result.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: 60_000 });
    await expect(result.textContent()).resolves.toContain('Read 5,442 rows: 500 cases, 7 kinds of activity');
    await expect(result.getByText('Every case is kept: 500 cases').isVisible()).resolves.toBe(true);
    const steps = result.getByRole('region', { name: 'Discovered steps' }).locator('tbody tr');
    await expect(steps.count()).resolves.toBe(7);
    const registration = steps.filter({ has: page.getByRole('rowheader', { name: 'Registration' }) });
    await expect(registration.locator('td').nth(1).textContent()).resolves.toBe('500');
    await expect(registration.locator('td').nth(2).textContent()).resolves.toBe('500');
    await shoot(page, 'discover', region);
  });

  it('keeps only the most common paths when the slider moves, and gives people roles', async () => {
    const { page } = app;
    const region = discover(page);
    const after = region.getByLabel('Cases started on or after');
    await after.fill('2030-01-01');
    await region.getByText('The filters leave none of the 500 cases.').waitFor({ timeout: 60_000 });
    await expect(region.getByRole('form', { name: 'Use as the current workflow' }).count()).resolves.toBe(0);
    await after.fill('');
    await region.getByText('Every case is kept: 500 cases').waitFor({ timeout: 60_000 });
    await region.getByLabel(/Keep the most common paths/).fill('80');
    await region
      .getByText(/The filters keep \d+ of 500 cases and \d+ of \d+ paths\./)
      .waitFor({ timeout: 60_000 });
    const kept = Number(
      /keep (\d+) of 500/.exec((await region.getByText(/The filters keep/).textContent()) ?? '')?.[1],
    );
    expect(kept).toBeGreaterThanOrEqual(400);
    expect(kept).toBeLessThan(500);

    for (const person of ['r1', 'r2']) await region.getByLabel(`Role of ${person}`).fill('Front desk');
    await region.getByRole('button', { name: 'Apply the roles' }).click();
    await region.getByText(/lanes? from who did the work: .*Front desk/).waitFor({ timeout: 60_000 });
    await expect(region.getByText(/from who did the work: .*\br1\b/).count()).resolves.toBe(0);

    // the discovery belongs to the app, not the screen: it is still here after a visit elsewhere
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Migration' })
      .click();
    await page.getByRole('table', { name: 'Legacy extracts' }).waitFor();
    // Back returns to the event-log tool, where the user was
    await page.goBack();
    await region.getByText(/lanes? from who did the work: .*Front desk/).waitFor();
    await expect(region.getByLabel(/Keep the most common paths/).inputValue()).resolves.toBe('80');
  });

  it('adopts the discovered workflow as the current one of a new process, kept after a reload', async () => {
    const { page } = app;
    const adopt = page.getByRole('form', { name: 'Use as the current workflow' });
    await adopt.getByLabel('Name').fill('Hospital patients today (from the log)');
    await adopt.getByLabel('Process').fill('patient-intake');
    await expect(adopt.getByText(/already has a current workflow/).isVisible()).resolves.toBe(true);
    await expect(
      adopt.getByRole('button', { name: 'Use as the current workflow' }).isDisabled(),
    ).resolves.toBe(true);
    await adopt.getByLabel('Process').fill('hospital-patients');
    await adopt.getByRole('button', { name: 'Use as the current workflow' }).click();
    await adopt
      .getByRole('status')
      .filter({ hasText: 'is now the current workflow of hospital-patients' })
      .waitFor();
    await waitForSaved(page);

    earlierConsole.push(...app.console);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    // the new process is listed, and its page shows the workflow
    await page.getByRole('link', { name: 'All workflows' }).click();
    await page.getByRole('link', { name: 'Hospital patients', exact: true }).click();
    const process = page.getByRole('region', { name: 'Analysis of Hospital patients' });
    await process
      .getByRole('heading', { name: 'Hospital patients today (from the log)', exact: true })
      .waitFor();
    await expect(process.textContent()).resolves.toContain('Discovered from an event log (patients.csv)');
    // the lanes come from the role map
    await process.getByRole('rowheader', { name: 'Front desk' }).first().waitFor();
    // Back, twice, returns to the event-log tool
    await page.goBack();
    await page.goBack();
    await discover(page).waitFor();
  });

  it('reads an XES log with its standard attributes proposed, and filters cases by a kept one', async () => {
    const { page } = app;
    const region = discover(page);
    const event = (activity: string, transition: string, time: string, who: string) =>
      `<event><string key="concept:name" value="${activity}"/><string key="lifecycle:transition" value="${transition}"/><string key="org:resource" value="${who}"/><date key="time:timestamp" value="${time}"/></event>`;
    // the payer is the trace's (the case's) attribute, as XES logs carry case data
    const trace = (id: string, day: string, payer: string) =>
      `<trace><string key="concept:name" value="${id}"/><string key="payer" value="${payer}"/>${event('Check in', 'start', `${day}T08:00:00Z`, 'Ann')}${event('Check in', 'complete', `${day}T08:04:00Z`, 'Ann')}${event('Triage', 'start', `${day}T08:10:00Z`, 'Bo')}${event('Triage', 'complete', `${day}T08:20:00Z`, 'Bo')}</trace>`;
    const xes = path.join(dir, 'front-desk.xes');
    writeFileSync(
      xes,
      `<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0">${trace('0012', '2026-03-02', 'Public')}${trace('0013', '2026-03-03', 'Private')}${trace('NA', '2026-03-04', 'Public')}</log>`,
    );
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(xes);
    await region.getByText(/front-desk\.xes \(.*XES\): 5 attributes found/).waitFor();
    await expect(region.getByLabel('Start or completion marker').inputValue()).resolves.toBe(
      'lifecycle:transition',
    );
    const others = region.getByRole('group', { name: 'Other attributes to filter cases by (optional)' });
    await others.getByLabel('payer', { exact: true }).check();
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region
      .getByText('Read 12 events: 3 cases, 2 kinds of activity', { exact: false })
      .waitFor({ timeout: 60_000 });
    const steps = region.getByRole('region', { name: 'Discovered steps' }).locator('tbody tr');
    await expect(steps.count()).resolves.toBe(2);
    const triage = steps.filter({ has: page.getByRole('rowheader', { name: 'Triage' }) });
    await expect(triage.locator('td').nth(3).textContent()).resolves.toBe('10 min');

    // the kept trace attribute filters the cases: two of the three visits are paid publicly
    const byTeam = region.getByRole('group', { name: 'Cases by role, system or other column' });
    await byTeam.getByLabel('Filter cases by').selectOption('column:payer');
    const payer = byTeam.getByRole('group', { name: 'Column “payer”' });
    await payer.getByLabel('Public', { exact: true }).check();
    await region.getByText(/The filters keep 2 of 3 cases/).waitFor({ timeout: 60_000 });
    await payer.getByText('2 of 3 cases have the checked values of payer.').waitFor();
    await expect.poll(() => triage.locator('td').nth(1).textContent()).toBe('2');
    expect(await axeViolations(page)).toEqual([]);
    // the condition is removed, so the next log (without a payer) keeps its cases
    await payer.getByRole('button', { name: 'Remove the condition on column “payer”' }).click();
    await region.getByText(/Every case is kept: 3 cases/).waitFor({ timeout: 60_000 });
  });

  it('reads an XES log of completions only as atomic events, and says which event had no time', async () => {
    const { page } = app;
    const region = discover(page);
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(COMPLETE_ONLY);
    await region.getByText(/clinic-complete-only\.xes \(.*XES\): \d+ attributes found/).waitFor();
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region
      .getByText('Read 16 events: 4 cases, 4 kinds of activity', { exact: false })
      .waitFor({ timeout: 60_000 });
    await expect(
      region.getByText(/Every event in this log is a completion \(there are no start rows\)/).isVisible(),
    ).resolves.toBe(true);
    const problems = region.getByRole('region', { name: 'What Preflight found while reading the log' });
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('Note (1 event: 11): These events have no time');
    expect(text).not.toContain('Must be fixed');
    // positions only: neither the left-out activity nor a case id is shown
    expect(await region.textContent()).not.toMatch(/Lab order|V-10\d|__INVALID__/);
    const steps = region.getByRole('region', { name: 'Discovered steps' }).locator('tbody tr');
    await expect(steps.count()).resolves.toBe(4);
    const visit = steps.filter({ has: page.getByRole('rowheader', { name: 'Visit' }) });
    await expect(visit.locator('td').nth(1).textContent()).resolves.toBe('4');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 1000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await shoot(page, 'complete-only', region);
  });

  it('checks a post-go-live log against the planned intake: the drift report shows the planted counts', async () => {
    const { page } = app;
    const played = playWorkflow(FUTURE, { seed: 22, cases: 200, deviations: PLANTED });
    const logFile = path.join(dir, 'go-live-week-12.csv');
    // the new system logs rooming under its own name: matched to the planned step by hand below
    writeFileSync(logFile, playedCsv(played.events).replaceAll(',Room patient,', ',Rooming,'));

    await page.getByRole('tab', { name: 'Check after go-live' }).click();
    const region = check(page);
    await region.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    await region.getByLabel(EVENT_LOG_FILE_LABEL).setInputFiles(logFile);
    await region.getByText(/go-live-week-12\.csv .*5 columns found/).waitFor();
    await region.getByRole('button', { name: 'Check the log' }).click();
    const report = region.getByRole('region', { name: 'Drift report' });
    const summary = report.locator('.drift-summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect(summary.textContent()).resolves.toContain('“Room patient” in 200 cases');
    await expect(summary.textContent()).resolves.toContain('“Rooming” (200 times)');
    await report.getByText("Match the log's activities to planned steps").click();
    await report.getByLabel('Planned step for Rooming').selectOption({ label: 'Room patient' });
    await report.getByRole('button', { name: 'Check again with these matches' }).click();
    await summary.filter({ hasNotText: 'Rooming' }).waitFor({ timeout: 60_000 });
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('Of 200 cases in the log, 20 (10 %) followed the planned workflow exactly.');
    expect(text).toContain('“Scan signed consent back into the EHR media tab” in 60 cases');
    expect(text).toContain(
      '“Take vitals on the connected monitor (device interface to the EHR)” in 40 cases',
    );
    expect(text).toContain('“Spreadsheet update” (50 times)');
    expect(text).toContain('“Check out: collect copay, book follow-up (12 screens)” in 30 cases');

    const perStep = report.getByRole('region', { name: 'Drift per planned step' });
    const scan = perStep.getByRole('row', { name: /Scan signed consent back into the EHR media tab/ });
    await expect(scan.locator('td').first().textContent()).resolves.toBe('60');
    const extras = report.getByRole('region', { name: 'Activities the design does not explain' });
    const spreadsheet = extras.getByRole('row', { name: /Spreadsheet update/ });
    await expect(spreadsheet.locator('td').first().textContent()).resolves.toBe('50');
    await expect(spreadsheet.textContent()).resolves.toContain('Not in the design: a workaround');

    // the drift overlay on the planned workflow's step list, reached from the report
    const stepList = report.getByRole('region', { name: `Drift on the steps of ${FUTURE.name}` });
    await report.getByRole('button', { name: 'Show the drifting steps' }).click();
    await expect(stepList.locator('tr.step-highlighted th').allTextContents()).resolves.toEqual([
      'Scan signed consent back into the EHR media tab (drift seen in the log)',
      'Take vitals on the connected monitor (device interface to the EHR) (drift seen in the log)',
      'Check out: collect copay, book follow-up (12 screens) (drift seen in the log)',
    ]);
    await expect(page.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toContain(
      'Scan signed consent',
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'Save the report (JSON)' }).click(),
    ]);
    const saved = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    expect(saved.skipped).toEqual(played.planted.skipped);
    expect(saved.workarounds).toEqual(played.planted.workarounds);
    expect(saved.repeatedEntry).toEqual(played.planted.repeatedEntry);
    await shoot(page, 'check', region);
  });

  it('draws the drift on the planned workflow in the editor, hides it on request, and keeps it after a reload', async () => {
    const { page } = app;
    const report = check(page).getByRole('region', { name: 'Drift report' });
    await report.getByRole('button', { name: 'Show on the canvas' }).click();
    const canvas = page.getByRole('region', { name: 'Workflow diagram' });
    await canvas.waitFor();
    const toggle = page
      .getByRole('toolbar', { name: 'Editor' })
      .getByRole('button', { name: 'Drift from the go-live log' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');

    // a skipped step says so in words on the canvas, and to a screen reader in the step's name
    const scanName =
      /^Task: Scan signed consent back into the EHR media tab.*from the go-live log: Skipped in 30 % of cases \(60 cases\)/;
    const scan = canvas.getByRole('group', { name: scanName });
    await scan.waitFor();
    await expect(scan.textContent()).resolves.toContain('Skipped in 30 % of cases (60 cases)');
    await expect(
      canvas.getByRole('group', { name: /^Task: Check out.*Entered again in 30 cases/ }).count(),
    ).resolves.toBe(1);
    // the workaround: drawn beside the steps it followed, marked as not in the design
    const workarounds = canvas.locator('.react-flow__node-workaround');
    await expect(workarounds.count()).resolves.toBeGreaterThan(0);
    const spreadsheet = workarounds.filter({ hasText: 'Spreadsheet update' });
    await expect(spreadsheet.count()).resolves.toBeGreaterThan(0);
    await expect(spreadsheet.first().textContent()).resolves.toContain('Not in the design');
    const drawnTimes = (await spreadsheet.allTextContents()).map((t) => Number(/×(\d+)/.exec(t)?.[1]));
    expect(drawnTimes.every((n) => n > 0)).toBe(true);
    expect(drawnTimes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(PLANTED.insert['Spreadsheet update']);
    const legend = page.getByRole('region', { name: 'Legend' });
    await legend.getByRole('heading', { name: 'Drift from the go-live log' }).waitFor();
    await expect(legend.textContent()).resolves.toContain('From the check of go-live-week-12.csv: 200 cases');
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'drift-canvas', page.locator('.wf-canvas'));
    await shoot(page, 'drift-legend', page.locator('.wf-legend'));
    if (SHOTS) {
      // a close look: zoomed in at the skipped step (the wheel zooms around the pointer)
      await zoomOutToSeeAll(page);
      const box = await scan.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const before = await scan.boundingBox();
      for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -250);
      // the zoom is drawn once the step has grown
      await expect
        .poll(async () => ((await scan.boundingBox())?.width ?? 0) > (before?.width ?? 0) * 2)
        .toBe(true);
      await page.locator('.wf-canvas').screenshot({ path: path.join(SHOTS, 'drift-canvas-zoomed-1440.png') });
    }

    // off: the design alone, nothing of the check left on it
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await canvas
      .getByRole('group', { name: /^Task: Scan signed consent back into the EHR media tab/ })
      .waitFor();
    await expect(canvas.getByRole('group', { name: scanName }).count()).resolves.toBe(0);
    await expect(workarounds.count()).resolves.toBe(0);
    await expect(canvas.getByText('Skipped in').count()).resolves.toBe(0);
    await expect(legend.getByRole('heading', { name: 'Drift from the go-live log' }).count()).resolves.toBe(
      0,
    );

    // the check outlives a reload of the page (kept in the project), and the overlay comes back on request
    earlierConsole.push(...app.console);
    app.console.length = 0;
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await toggle.waitFor();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await toggle.click();
    await canvas.getByRole('group', { name: scanName }).waitFor();
    await expect(workarounds.filter({ hasText: 'Spreadsheet update' }).count()).resolves.toBeGreaterThan(0);
  });

  it('keeps the check in the project: a new tab has it, an export carries it, an edit makes it out of date', async () => {
    // a new tab shares no sessionStorage with the first: only the project can bring the check back
    const tab = await openApp(context, '#/workflows/logs/check');
    const region = check(tab.page);
    await region.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    const kept = region.getByRole('region', { name: `Last check of ${FUTURE.name}` });
    await kept.waitFor();
    const keptText = (await kept.textContent()) ?? '';
    expect(keptText).toMatch(/go-live-week-12\.csv, checked .*: 20 of 200 cases followed the plan exactly\./);
    expect(keptText).toContain('Kept in the project');
    expect(await axeViolations(tab.page)).toEqual([]);

    // the project file carries it, with what the overlay needs and nothing of the log's cases
    const [download] = await Promise.all([
      tab.page.waitForEvent('download'),
      tab.page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const exported = path.join(dir, download.suggestedFilename());
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(file.project.workflowChecks.map((c: { id: string; log: string }) => [c.id, c.log])).toEqual([
      [FUTURE.id, 'go-live-week-12.csv'],
    ]);
    expect(file.project.workflowChecks[0].result.skipped).toMatchObject(PLANTED.skip);
    expect(JSON.stringify(file.project.workflowChecks)).not.toMatch(/case-\d|"case"/);

    // an edit of the planned workflow: the kept marks are shown as out of date, also after a reload
    await kept.getByRole('button', { name: /^Show the last check on the canvas/ }).click();
    const toolbar = tab.page.getByRole('toolbar', { name: 'Editor' });
    await toolbar.getByRole('button', { name: 'Drift from the go-live log', exact: true }).waitFor();
    const arrivals = tab.page
      .getByRole('complementary', { name: 'Inspector' })
      .getByLabel('Arrivals per hour at peak');
    await arrivals.fill(String(FUTURE.arrivalsPerHour + 2));
    await arrivals.press('Tab');
    const stale = toolbar.getByRole('button', { name: 'Drift from the go-live log (out of date)' });
    await stale.waitFor();
    await expect(stale.getAttribute('aria-pressed')).resolves.toBe('true');
    const legend = tab.page.getByRole('region', { name: 'Legend' });
    await expect(legend.getByRole('note').textContent()).resolves.toContain(
      'Out of date: the workflow has changed since this check',
    );
    expect(await axeViolations(tab.page)).toEqual([]);
    await waitForSaved(tab.page);
    await tab.page.reload();
    await tab.page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    // after the reload the editor no longer knows where it was opened from: it returns to the list
    await tab.page.getByRole('button', { name: 'Back to workflows' }).click();
    await tab.page.getByRole('link', { name: 'Event logs: what really happens' }).click();
    await tab.page.getByRole('tab', { name: 'Check after go-live' }).click();
    await check(tab.page).getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    await expect(
      check(tab.page)
        .getByRole('region', { name: `Last check of ${FUTURE.name}` })
        .getByRole('note')
        .textContent(),
    ).resolves.toContain(`Out of date: ${FUTURE.name} has changed since this check`);
    earlierConsole.push(...tab.console);
    expect(tab.cspViolations).toEqual([]);
    await tab.page.close();

    // another computer (a fresh browser profile) imports the file: the check comes with the project
    const other = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const elsewhere = await openApp(other, '#/workflows/logs/check');
    await elsewhere.page.getByLabel('Import a project file').setInputFiles(exported);
    await elsewhere.page
      .getByRole('status')
      .filter({ hasText: /^Imported/ })
      .waitFor();
    const there = check(elsewhere.page);
    await there.getByLabel('Planned workflow to check against').selectOption(FUTURE.id);
    const imported = there.getByRole('region', { name: `Last check of ${FUTURE.name}` });
    await expect(imported.textContent()).resolves.toContain('20 of 200 cases followed the plan exactly');
    await imported.getByRole('button', { name: /^Show the last check on the canvas/ }).click();
    await elsewhere.page
      .getByRole('region', { name: 'Workflow diagram' })
      .getByRole('group', { name: /^Task: Scan signed consent.*Skipped in 30 % of cases \(60 cases\)/ })
      .waitFor();
    expect(elsewhere.console).toEqual([]);
    expect(elsewhere.cspViolations).toEqual([]);
    await other.close();
  });

  it('is accessible, prints nothing to the console and breaks no security policy', async () => {
    const { page } = app;
    expect(await axeViolations(page)).toEqual([]);
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
