/**
 * Journey: a data analyst fingerprints a 1 GB extract in a Web Worker, watches progress,
 * cancels midway, then hashes it again to the end; the digest matches Node's own SHA-256.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const GIB = 1024 * 1024 * 1024;
const BLOCK = 16 * 1024 * 1024;

let browser: Browser;
let app: Watched;
let dir: string;
let bigFile: string;
let expected: string;

/** 1 GiB of varied bytes (a repeated pattern with the block number folded in, so no two blocks match). */
function writeBigFile(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(BLOCK);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) & 0xff;
  for (let n = 0; n < GIB / BLOCK; n++) {
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hash-'));
  bigFile = join(dir, 'extract-1gb.bin');
  writeBigFile(bigFile);
  expected = await nodeSha256(bigFile);
  browser = await launchBrowser();
  app = await openApp(await browser.newContext(), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fingerprinting a 1 GB file in a worker', () => {
  it('shows progress, cancels midway, then hashes to the end', async () => {
    const { page } = app;
    const input = page.getByLabel('File to fingerprint');
    const progress = page.getByRole('progressbar', { name: 'Fingerprinting extract-1gb.bin' });

    await input.setInputFiles(bigFile);
    await progress.waitFor();
    await page.waitForFunction(() => {
      const bar = document.querySelector('progress');
      return bar !== null && bar.value >= 10;
    });
    const midway = await progress.evaluate((el) => (el as HTMLProgressElement).value);
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(100);
    await expect(page.getByText(/ of 1\.1 GB at .+\/s/).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/^Cancelled at \d+ %/).waitFor();
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);

    await input.setInputFiles([]);
    await input.setInputFiles(bigFile);
    const digest = page.getByTestId('sha256');
    await digest.waitFor({ timeout: 150_000 });
    expect(await digest.textContent()).toBe(expected);
    await expect(page.getByText(/1,073,741,824 bytes/).isVisible()).resolves.toBe(true);
  });

  it('says which file could not be read, and where, when it disappears mid-read', async () => {
    const { page } = app;
    const doomed = join(dir, 'moved-away.bin');
    writeBigFile(doomed);
    await page.getByLabel('File to fingerprint').setInputFiles(doomed);
    await page.getByRole('progressbar', { name: 'Fingerprinting moved-away.bin' }).waitFor();
    rmSync(doomed);
    const alert = page.getByRole('alert').filter({ hasText: 'moved-away.bin' });
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/Could not read moved-away\.bin, byte \d+ \((NotFoundError|NotReadableError)\)/);
    expect(text).toMatch(/choose it again/);
    await expect(page.getByTestId('sha256').count()).resolves.toBe(0);
  });

  it('stays accessible with an error on screen', async () => {
    expect(await axeViolations(app.page)).toEqual([]);
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
