/**
 * Journey: a data analyst fingerprints a 160 MiB extract (ten of the worker's reads) in a Web Worker and, while it runs, looks at
 * Readiness: the header shows the job with its progress, and back in Migration the same job runs on
 * and ends with the digest Node computes. They run it again, cancel it from the header, choose the
 * same file again, switch project (which cancels and says so), and see a vanished file reported.
 *
 * Determinism: the test holds the app's real hash worker between chunk reads (through the DevTools
 * protocol; nothing in the app is reachable by users), so "mid-job" is a fact the test sets up, not
 * a race against the machine's speed. Each held read lasts at least {@link MIN_HOLD_MS}, so every
 * released chunk produces a progress report (the throttle emits at most every 100 ms).
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from '../waits.ts';
import { axeViolations, launchOwnBrowser, openApp, type Watched } from './browser.ts';
import { type GateAction, hashGate, installHashGate, startHashWorker } from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
/**
 * Ten of the worker's reads: each held read is a whole step of ten per cent, and the job is still
 * running after the five the first test lets through. A bigger file proves nothing more and costs
 * the browser and Node seconds of hashing.
 */
const BIG_BYTES = 160 * MIB;
/** The hash worker's read size (HASH_WORKER_CHUNK_BYTES): progress moves in these steps while held. */
const CHUNK = 16 * MIB;
const BLOCK = 16 * MIB;
/** A held read never completes sooner than this, so the progress throttle (100 ms) reports each chunk. */
const MIN_HOLD_MS = 150;
/**
 * How long a poll waits for released reads to show as progress: a hang guard, not a timing claim.
 * Each released read is a 16 MiB read plus its hash; on a loaded 2-core machine a few of them take
 * seconds, past expect.poll's default of one second.
 */
const PROGRESS_WAIT = { timeout: scaled(60_000) };

let browser: Browser;
let app: Watched;
let dir: string;
let bigFile: string;
let expected: string;
let worker: Worker;

/** `bytes` of varied data (a repeated pattern with the block number folded in, so no two blocks match). */
function writeBigFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(BLOCK);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) & 0xff;
  for (let n = 0; n < bytes / BLOCK; n++) {
    block.writeUInt32LE(n, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}

async function nodeSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: BLOCK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The percentage the app shows after `chunks` reads of a `bytes`-long file. */
const percentAfter = (chunks: number, bytes = BIG_BYTES) => Math.floor(((chunks * CHUNK) / bytes) * 100);

/** The hash worker's gate (hashWorkerGate.ts), on this file's worker. */
const gate = (command: GateAction) => hashGate(worker, command);

const cardProgress = (page: Page, name: string) =>
  page.getByRole('progressbar', { name: `Fingerprinting ${name}`, exact: true });
const headerProgress = (page: Page, name: string) =>
  page.getByRole('banner').getByRole('progressbar', { name: `Fingerprint of ${name}`, exact: true });
const barValue = (bar: ReturnType<Page['getByRole']>) =>
  bar.evaluate((el) => (el as HTMLProgressElement).value);

async function goTo(page: Page, workspace: 'Migration' | 'Readiness'): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: workspace }).click();
  await page.getByRole('heading', { level: 2, name: workspace }).waitFor();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hash-'));
  bigFile = join(dir, 'extract-160mb.bin');
  writeBigFile(bigFile, BIG_BYTES);
  expected = await nodeSha256(bigFile);
  // its own browser: the file must be read where it is, so removing it mid-read is seen
  browser = await launchOwnBrowser();
  app = await openApp(await browser.newContext(), '#/migration');
  worker = await startHashWorker(app.page, dir);
  expect(await app.page.getByTestId('sha256').textContent()).toBe(
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  await installHashGate(worker, MIN_HOLD_MS);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fingerprinting a 160 MiB file as a job of the app', () => {
  it('runs on while the user is in another workspace, shows in the header, and ends with the digest', async () => {
    const { page } = app;
    const input = page.getByLabel('File to fingerprint');
    await gate({ action: 'hold' });
    await input.setInputFiles(bigFile);
    // cleared at once, so choosing the same file again is a change
    expect(await input.inputValue()).toBe('');
    await gate({ action: 'release', reads: 3 });
    const card = cardProgress(page, 'extract-160mb.bin');
    await expect.poll(() => barValue(card), PROGRESS_WAIT).toBe(percentAfter(3));
    await page.getByText('extract-160mb.bin: 30 % — 50.3 MB of 167.8 MB at ').waitFor();

    await goTo(page, 'Readiness');
    const header = headerProgress(page, 'extract-160mb.bin');
    expect(await barValue(header)).toBe(percentAfter(3));
    await page.getByRole('banner').getByText('30 % · 50.3 MB of 167.8 MB').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // the job is not frozen while its screen is gone
    await gate({ action: 'release', reads: 2 });
    await expect.poll(() => barValue(header), PROGRESS_WAIT).toBe(percentAfter(5));

    await goTo(page, 'Migration');
    expect(await barValue(card)).toBe(percentAfter(5));
    expect(await axeViolations(page)).toEqual([]);

    await gate({ action: 'open' });
    const digest = page.getByTestId('sha256');
    await digest.waitFor({ timeout: scaled(120_000) });
    expect(await digest.textContent()).toBe(expected);
    await page.getByText(/extract-160mb\.bin: 167\.8 MB \(167,772,160 bytes\) in /).waitFor();
    await expect(header.count()).resolves.toBe(0);

    // the finished result is still there after another round trip
    await goTo(page, 'Readiness');
    await goTo(page, 'Migration');
    expect(await page.getByTestId('sha256').textContent()).toBe(expected);
  });

  it('runs the same file again, and cancels it from the header, saying who cancelled it', async () => {
    const { page } = app;
    await gate({ action: 'hold' });
    await page.getByRole('button', { name: 'Run again', exact: true }).click();
    await cardProgress(page, 'extract-160mb.bin').waitFor();
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);
    await gate({ action: 'release', reads: 1 });
    await expect
      .poll(() => barValue(headerProgress(page, 'extract-160mb.bin')), PROGRESS_WAIT)
      .toBe(percentAfter(1));

    await page.getByRole('button', { name: 'Cancel fingerprint of extract-160mb.bin', exact: true }).click();
    await page
      .getByText(
        'extract-160mb.bin: Cancelled: you pressed Cancel. It stopped at 10 % — 16.8 MB of 167.8 MB.',
      )
      .waitFor();
    // the worker sees the cancel at its next read
    await gate({ action: 'open' });
    await expect(headerProgress(page, 'extract-160mb.bin').count()).resolves.toBe(0);
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Run again', exact: true }).click();
    const digest = page.getByTestId('sha256');
    await digest.waitFor({ timeout: scaled(120_000) });
    expect(await digest.textContent()).toBe(expected);
  });

  it('starts again when the same file is chosen again, and a project switch cancels it and says so', async () => {
    const { page } = app;
    const input = page.getByLabel('File to fingerprint');
    await gate({ action: 'hold' });
    await input.setInputFiles(bigFile);
    expect(await input.inputValue()).toBe('');
    await cardProgress(page, 'extract-160mb.bin').waitFor();
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);
    await gate({ action: 'release', reads: 2 });
    await expect
      .poll(() => barValue(cardProgress(page, 'extract-160mb.bin')), PROGRESS_WAIT)
      .toBe(percentAfter(2));

    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByRole('textbox').fill('Elsewhere');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByText('extract-160mb.bin: Cancelled: you switched project. It stopped at 20 %').waitFor();
    await gate({ action: 'open' });
    await expect(headerProgress(page, 'extract-160mb.bin').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Run again', exact: true }).isVisible()).resolves.toBe(
      true,
    );
  });

  it('says which file could not be read, and where, when it disappears mid-read', async () => {
    const { page } = app;
    const doomed = join(dir, 'moved-away.bin');
    writeBigFile(doomed, 32 * MIB);
    await gate({ action: 'hold' });
    await page.getByLabel('File to fingerprint').setInputFiles(doomed);
    await gate({ action: 'release', reads: 1 });
    await expect
      .poll(() => barValue(cardProgress(page, 'moved-away.bin')), PROGRESS_WAIT)
      .toBe(percentAfter(1, 32 * MIB));
    rmSync(doomed);
    await gate({ action: 'open' });
    const alert = page.getByRole('alert').filter({ hasText: 'moved-away.bin' });
    await alert.waitFor({ timeout: scaled(60_000) });
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(
      /Could not read moved-away\.bin, byte 16777216 \((NotFoundError|NotReadableError)\)/,
    );
    expect(text).toMatch(/choose it again/);
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);
  });

  it('stays accessible with an error on screen', async () => {
    expect(await axeViolations(app.page)).toEqual([]);
  });

  it('printed nothing to the console and broke no CSP rule, in the page or its worker', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
