/**
 * Record content stays on the machine: a canary value is planted in a CSV extract, a FHIR NDJSON
 * export and an event log, each journey is run on them (validate the CSV, validate the FHIR
 * export, discover a workflow from the log), and the canary must appear in no request the
 * browser makes (URL or body, page and workers), no console line and no uncaught error of the
 * page or its workers. The tripwire proves itself first: the same watch catches the canary when
 * the test itself logs it and sends it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, type Watched } from './browser.ts';

/** A value no file, page or library holds by chance. */
const CANARY = `PFCANARY${Math.random().toString(36).slice(2, 10).toUpperCase()}`;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let dir: string;
/** everything the tripwire saw: request URLs and bodies, console lines, uncaught errors */
const seen: string[] = [];

function watch(context: BrowserContext, page: Page): void {
  context.on('request', (request) => seen.push(`request ${request.url()} ${request.postData() ?? ''}`));
  page.on('console', (message) => seen.push(`console ${message.text()}`));
  page.on('pageerror', (error) => seen.push(`pageerror ${error.message} ${error.stack ?? ''}`));
  page.on('worker', (worker) => {
    worker.on('console', (message) => seen.push(`worker console ${message.text()}`));
  });
}

const caught = () => seen.filter((line) => line.includes(CANARY));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-canary-'));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  app = await openApp(context, '#/migration');
  watch(context, app.page);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a canary in the records never leaves the page', () => {
  it('is caught by the tripwire when the test itself logs and sends it', async () => {
    await app.page.evaluate(async (canary) => {
      console.log(`tripwire ${canary}`);
      await fetch(`/tripwire?value=${canary}`).catch(() => undefined);
    }, CANARY);
    await expect.poll(() => caught().length).toBeGreaterThanOrEqual(2);
    expect(caught().some((line) => line.startsWith('console'))).toBe(true);
    expect(caught().some((line) => line.startsWith('request'))).toBe(true);
    seen.length = 0;
  });

  it('validates a CSV holding it, shows it in the column profile, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary-patients.csv');
    // the most common family name, so the column profile lists it among its top values
    const rows = ['patient_id,family_name,birth_date'];
    for (let i = 1; i <= 6; i++)
      rows.push(`${i},${i % 3 === 0 ? 'Reyes' : CANARY},${i === 5 ? CANARY : '1990-01-31'}`);
    writeFileSync(file, `${rows.join('\r\n')}\r\n`);
    await page.getByLabel(/^Extract files \(CSV or TSV\)/).setInputFiles(file);
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe('6');
    await result.getByText('Columns of canary-patients.csv').click();
    // the value went through the engine: the column profile shows it
    await result.getByText(CANARY).first().waitFor();
    expect(caught()).toEqual([]);
  });

  it('validates an NDJSON export holding it, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary.ndjson');
    const patient = (id: string, family: string, gender: string) =>
      JSON.stringify({ resourceType: 'Patient', id, name: [{ family }], gender });
    // the second one breaks a required binding with the canary as its value: it shows as an example
    writeFileSync(file, `${patient('p1', CANARY, 'female')}\n${patient('p2', 'Reyes', CANARY)}\n`);
    await page.getByLabel(/FHIR files \(JSON, NDJSON\)$/).setInputFiles(file);
    await page.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const result = page
      .getByRole('region', { name: 'FHIR files' })
      .getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe('2');
    expect(await page.content()).toContain(CANARY);
    expect(caught()).toEqual([]);
  });

  it('discovers a workflow from an event log holding it, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary-log.csv');
    const rows = ['case,activity,time,who'];
    for (let c = 1; c <= 6; c++) {
      rows.push(`C${c},Check in,2026-03-0${c}T08:00:00Z,${CANARY}`);
      rows.push(`C${c},Triage,2026-03-0${c}T08:20:00Z,Nurse ${c}`);
    }
    writeFileSync(file, `${rows.join('\n')}\n`);
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Workflows/ })
      .click();
    await page.getByRole('link', { name: 'Event logs: what really happens' }).click();
    const region = page.getByRole('region', { name: "Discover today's workflow from an event log" });
    await region.getByLabel('Event log file (CSV or XES)').setInputFiles(file);
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: 60_000 });
    expect(await page.content()).toContain(CANARY);
    expect(caught()).toEqual([]);
    // the journeys ran: the watch saw the app's own requests and workers at work
    expect(seen.some((line) => line.startsWith('request'))).toBe(true);
  });
});
