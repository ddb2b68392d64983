/**
 * Journey: before planning on today's prescription-refill workflow of the demo, an analyst checks
 * its capacity model against a log of the clinic (tests/fixtures/logs/prescription-refill-queued.csv,
 * played from that workflow with its own staff). From the process's Go-live capacity tab, which
 * says the model is not checked yet, they follow the link to the check, pick and map the log, and
 * run it: the verdict says the model reproduces the log. After a reload the result is still there,
 * on the check and on the Capacity tab. They then add a person to a role in the editor: the kept
 * result is said to be out of date, also after a reload. The check is a job of the app: they
 * run it again for the changed workflow and go to Sign-off while it runs; the header shows it with
 * progress and Cancel, says when it finished, and leads back to the check, where the new result is
 * kept (current again), also after a reload. A check still running when the page is reloaded is
 * named in the header as one that did not finish. Accessible (axe) at 1440 px; nothing
 * printed to the console.
 *
 * Determinism: the check hashes its log in the app's hash worker beside the replay, and the job ends
 * only when both have; the test holds that worker's reads (hashWorkerGate.ts, through the DevTools
 * protocol), so the check is still running while the user moves; nothing races.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/formats/workflow.ts';
import { scaled } from '../waits.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { hashGate, installHashGate, readHeld, startHashWorker } from './hashWorkerGate.ts';

const LOG = fileURLToPath(new URL('../fixtures/logs/prescription-refill-queued.csv', import.meta.url));
const CURRENT = JSON.parse(
  readFileSync(new URL('../../samples/workflows/prescription-refill.current.json', import.meta.url), 'utf8'),
) as Workflow;
/** Where screenshots go when E2E_SCREENSHOTS names a folder (to look at the screens by eye). */
const SHOTS = process.env.E2E_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let dir: string;

/** What the header calls the check of the log. */
const JOB = 'Capacity model check of prescription-refill-queued.csv';
const WAIT = { timeout: scaled(60_000) };
const banner = (page: Page) => page.getByRole('banner');

const modelCheck = (page: Page): Locator =>
  page.getByRole('region', { name: "Check a workflow's capacity model against a log" });
const lastCheck = (page: Page): Locator =>
  modelCheck(page).getByRole('region', { name: `Last check of ${CURRENT.name}` });
const standing = (page: Page): Locator =>
  page.getByRole('region', { name: `Is the model of ${CURRENT.name} trusted?` });

/**
 * axe on the screen as it is (1440 px: the screens' fit at 390 px is layout.spec.ts's), with a
 * screenshot of `locator` when asked.
 */
async function accessible(page: Page, name: string, locator: Locator): Promise<void> {
  await expect(axeViolations(page)).resolves.toEqual([]);
  if (SHOTS) await locator.screenshot({ path: path.join(SHOTS, `${name}-1440.png`) });
}

/** Picks the clinic's log in the check and maps its columns. */
async function pickAndMapLog(region: Locator): Promise<void> {
  await region.getByLabel('Event log file (CSV, XES or OCEL 2.0, gzipped or not)').setInputFiles(LOG);
  await region.getByText(/prescription-refill-queued\.csv \(.*CSV\): 6 columns found/).waitFor();
  await region.getByLabel('Activity (what was done)').selectOption('activity');
  await region.getByLabel(/with a column marking each row as a start or a completion/).check();
  await region.getByLabel('Time', { exact: true }).selectOption('timestamp');
  await region.getByLabel('Start or completion marker').selectOption('lifecycle');
  await region.getByLabel('Who did it (person or role, optional)').selectOption('resource');
  await region.getByLabel('Role or team (optional)').selectOption('role');
}

async function goTo(page: Page, workspace: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: workspace }).click();
  await page.getByRole('heading', { level: 2, name: workspace }).waitFor();
}

/**
 * Starts the app's hash worker from Migration, holds its reads, then starts the check of the log
 * from its page: the check runs until the gate opens. Returns the held worker.
 */
async function startHeldCheck(page: Page): Promise<Worker> {
  await goTo(page, 'Migration');
  const worker = await startHashWorker(page, dir);
  await installHashGate(worker);
  await hashGate(worker, { action: 'hold' });
  await page.goto(`${page.url().split('#')[0]}#/workflows/logs/model/${CURRENT.id}`);
  const region = modelCheck(page);
  await region.waitFor();
  await pickAndMapLog(region);
  await region.getByRole('button', { name: 'Check the model against this log' }).click();
  await banner(page).getByRole('progressbar', { name: JOB, exact: true }).waitFor(WAIT);
  await readHeld(worker);
  return worker;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'preflight-model-'));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/workflows/process/prescription-refill/capacity');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("checking today's workflow's capacity model against a clinic log", () => {
  it('runs the check on the workflow chosen from its Capacity tab and says the model reproduces the log', async () => {
    const { page } = app;
    await expect(standing(page).getByTestId('model-standing').textContent()).resolves.toMatch(
      /^Not checked yet/,
    );
    await standing(page)
      .getByRole('link', { name: `Check the capacity model of ${CURRENT.name} against a log` })
      .click();
    const region = modelCheck(page);
    await region.waitFor();
    await expect(
      page.getByRole('tab', { name: 'Check the capacity model' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await expect(region.getByLabel('Workflow to check').inputValue()).resolves.toBe(CURRENT.id);

    await pickAndMapLog(region);
    await region.getByRole('button', { name: 'Check the model against this log' }).click();

    const verdict = lastCheck(page).getByTestId('back-test-verdict');
    await verdict.waitFor({ timeout: scaled(60_000) });
    await expect(verdict.textContent()).resolves.toMatch(
      /^The model reproduces this log: at each of the 8 checked steps the simulated waits match/,
    );
    const row = lastCheck(page)
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: 'Call the patient back' }) });
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d+(\.\d)? min$/);
    expect(cells[3]).toMatch(/^\d+(\.\d)? min to \d+(\.\d)? min$/);
    expect(cells[5]).toBe('Matches');
    await expect(lastCheck(page).textContent()).resolves.toContain('Kept in the project');
    await accessible(page, 'model-check', region);
  });

  it('shows the kept result after a reload, on the check and on the Capacity tab', async () => {
    const { page } = app;
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    const kept = lastCheck(page);
    await kept.waitFor();
    await expect(kept.textContent()).resolves.toMatch(
      /prescription-refill-queued\.csv, checked .*: [\d,]+ cases replayed 20 times\./,
    );
    await expect(kept.getByTestId('back-test-verdict').textContent()).resolves.toMatch(
      /^The model reproduces this log/,
    );
    await expect(kept.getByRole('note').count()).resolves.toBe(0);

    await page.goto(`${page.url().split('#')[0]}#/workflows/process/prescription-refill/capacity`);
    await expect(standing(page).getByTestId('model-standing').textContent()).resolves.toMatch(
      /^Last checked against prescription-refill-queued\.csv on .*: the model reproduced the log's waits\.$/,
    );
    await accessible(page, 'model-standing', standing(page));
  });

  it('says the kept result is out of date once the workflow changed, also after a reload', async () => {
    const { page } = app;
    const base = page.url().split('#')[0];
    await page.goto(`${base}#/workflows/workflow/${CURRENT.id}`);
    // with nothing selected the workflow's settings are folded to one line until asked for
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('button', { name: 'Workflow settings' })
      .click();
    const arrivals = page
      .getByRole('complementary', { name: 'Inspector' })
      .getByLabel('Arrivals per hour at peak');
    await arrivals.fill(String(CURRENT.arrivalsPerHour + 2));
    await arrivals.press('Tab');
    await waitForSaved(page);

    await page.goto(`${base}#/workflows/process/prescription-refill/capacity`);
    await expect
      .poll(() => standing(page).getByTestId('model-standing').textContent())
      .toMatch(/the model reproduced the log's waits\. Out of date: the workflow has changed since\.$/);

    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await page.goto(`${base}#/workflows/logs/model/${CURRENT.id}`);
    const note = lastCheck(page).getByRole('note');
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain(
      `Out of date: ${CURRENT.name} has changed since this check`,
    );
    // the figures stay readable, as what the workflow was checked as; the verdict speaks of then
    const verdict = await lastCheck(page).getByTestId('back-test-verdict').textContent();
    expect(verdict).toMatch(/^The model as it was then reproduced this log/);
    expect(verdict).toContain("Check again before planning on today's capacity figures.");
    expect(verdict).not.toContain('can be planned on');
    await accessible(page, 'model-check-stale', lastCheck(page));
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });

  it('runs on as a job of the app while the user is in another workspace, and keeps its result', async () => {
    const { page } = app;
    const worker = await startHeldCheck(page);
    await goTo(page, 'Sign-off');
    const running = banner(page).getByRole('region', { name: 'Running jobs' });
    await running.getByRole('progressbar', { name: JOB, exact: true }).waitFor();
    // the log read whole, the header says what the check does now instead of "100 % · about 0 s left"
    await running.getByText(/^Replaying the cases through the workflow… · all [\d.]+ KB read$/).waitFor(WAIT);
    await expect(
      running
        .getByRole('button', { name: 'Cancel capacity model check of prescription-refill-queued.csv' })
        .isVisible(),
    ).resolves.toBe(true);
    await accessible(page, 'model-check-job-running', running);

    await hashGate(worker, { action: 'open' });
    const note = banner(page).getByRole('region', { name: 'Finished jobs' }).getByRole('listitem');
    await note.getByText(`${JOB} finished.`).waitFor(WAIT);
    await accessible(page, 'model-check-job-finished', note);
    await note.getByRole('link', { name: 'Go to Workflows' }).click();

    // checked again as the workflow is now: the kept result is current again, no longer out of date
    const kept = lastCheck(page);
    await kept.getByText(/^Kept in the project/).waitFor();
    await expect(kept.getByRole('note').count()).resolves.toBe(0);
    await expect(kept.getByTestId('back-test-verdict').textContent()).resolves.toMatch(
      /^The model reproduces this log/,
    );
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await lastCheck(page)
      .getByText(/^Kept in the project/)
      .waitFor();
    await expect(lastCheck(page).getByRole('note').count()).resolves.toBe(0);
    // a current kept result, as the first check left it: axe ran on that state there
  });

  it('is named in the header as unfinished when the page is reloaded while it runs', async () => {
    const { page } = app;
    await startHeldCheck(page);
    await page.reload();
    const unfinished = banner(page).getByRole('region', { name: 'Jobs that did not finish' });
    await unfinished.getByText(`${JOB} did not finish: it was still running`).waitFor(WAIT);
    await expect(unfinished.getByRole('link', { name: 'Go to Workflows' }).isVisible()).resolves.toBe(true);
    await accessible(page, 'model-check-job-unfinished', unfinished);
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
