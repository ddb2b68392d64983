/**
 * Journey: an analyst discovers today's workflow from a clinic's event log (generated here by a
 * seeded clinic with queues: two front-desk staff and two nurses, named in the log) and checks the
 * model against the log in the event-log worker before planning on it: the verdict says it
 * reproduces the log, and the Vitals row shows the recorded and simulated waits. Accessible (axe);
 * nothing printed to the console. A log the model does not reproduce (one nurse on duty, three on
 * the rota) is proven in src/core/workflow/eventlog/backTest.test.ts; the verdict's words per
 * result and a new discovery clearing the verdict in BackTestPanel.test.tsx.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playQueuedLog, QUEUED_CLINIC, queuedCsv } from '../../src/core/workflow/eventlog/index.ts';
import { scaled } from '../waits.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Where screenshots go when E2E_SCREENSHOTS names a folder (to look at the screens by eye). */
const SHOTS = process.env.E2E_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
const dir = mkdtempSync(path.join(tmpdir(), 'preflight-e2e-backtest-'));

const discover = (page: Page): Locator =>
  page.getByRole('region', { name: "Discover today's workflow from an event log" });

async function discoverLog(page: Page, file: string): Promise<Locator> {
  const region = discover(page);
  await region.getByLabel('Event log file (CSV, XES or OCEL 2.0, gzipped or not)').setInputFiles(file);
  await region
    .getByText(new RegExp(`${path.basename(file).replace('.', '\\.')} \\(.*CSV\\): 6 columns found`))
    .waitFor();
  await region.getByLabel('Activity (what was done)').selectOption('activity');
  await region.getByLabel(/with a column marking each row as a start or a completion/).check();
  await region.getByLabel('Time', { exact: true }).selectOption('timestamp');
  await region.getByLabel('Start or completion marker').selectOption('lifecycle');
  await region.getByLabel('Who did it (person or role, optional)').selectOption('resource');
  await region.getByLabel('Role or team (optional)').selectOption('role');
  await region.getByRole('button', { name: 'Discover the workflow' }).click();
  const result = region.getByRole('region', { name: 'Discovered workflow' });
  await result.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: scaled(60_000) });
  return result;
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/workflows/logs/discover');
});

afterAll(async () => {
  await browser?.close();
});

describe('checking a discovered workflow against its log', () => {
  it('says the model reproduces a log of the clinic it describes, with a row per step', async () => {
    const { page } = app;
    const file = path.join(dir, 'clinic.csv');
    writeFileSync(file, queuedCsv(playQueuedLog(QUEUED_CLINIC, { seed: 4, days: 10 })));
    const result = await discoverLog(page, file);
    const check = result.getByRole('region', { name: 'Does the model match this log?' });
    await check.getByRole('button', { name: 'Check the model against this log' }).click();
    const verdict = check.getByTestId('back-test-verdict');
    await verdict.waitFor({ timeout: scaled(60_000) });
    await expect(verdict.textContent()).resolves.toMatch(
      /^The model reproduces this log: at each of the 2 checked steps the simulated waits match/,
    );
    const table = check.getByRole('region', { name: 'Model against the log, per step' });
    const vitals = table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Vitals' }) });
    const cells = await vitals.locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d+(\.\d)? min$/); // recorded average
    expect(cells[2]).toMatch(/^\d+(\.\d)? min$/); // simulated average
    expect(cells[3]).toMatch(/^\d+(\.\d)? min to \d+(\.\d)? min$/);
    expect(cells[5]).toBe('Matches');
    // the first step of a case has no recorded wait: nothing is compared there
    const checkIn = table
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: 'Check in' }) });
    await expect(checkIn.locator('td').allTextContents()).resolves.toEqual([
      '—',
      '—',
      '—',
      '—',
      '—',
      'Not checked: too few waits in the log',
    ]);
    await expect(axeViolations(page)).resolves.toEqual([]);
    if (SHOTS) await check.screenshot({ path: path.join(SHOTS, 'back-test-1440.png') });
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
