/**
 * Journey: a data analyst starts a fingerprint in Migration and goes to another workspace while it
 * runs. When it ends there, the header keeps a note — "Fingerprint of … finished." with a link back
 * and Dismiss — instead of its progress bar just vanishing; the note goes once they return to
 * Migration (where the digest is shown) or dismiss it. A job that ends on its own screen leaves no note.
 *
 * Determinism: as in fingerprint.spec.ts (hashWorkerGate.ts), the test holds the app's real hash worker's chunk reads
 * (through the DevTools protocol), so the job is still running when the user leaves; nothing races.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';
import { hashGate, installHashGate, startHashWorker } from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
/** Three of the hash worker's 16 MiB reads. */
const FILE_BYTES = 48 * MIB;
const NAME = 'extract-48mb.bin';
const WAIT = { timeout: 60_000 };

let browser: Browser;
let app: Watched;
let dir: string;
let file: string;
let worker: Worker;

/** The hash worker's reads held (`hold`) or let through (`open`): hashWorkerGate.ts. */
const gate = (action: 'hold' | 'open') => hashGate(worker, { action });

async function goTo(page: Page, workspace: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: workspace }).click();
  await page.getByRole('heading', { level: 2, name: workspace }).waitFor();
}

const notes = (page: Page) => page.getByRole('banner').getByRole('region', { name: 'Finished jobs' });

/** Starts fingerprinting the file with the worker's reads held, so the job is running until `open`. */
async function startHeld(page: Page): Promise<void> {
  await gate('hold');
  await page.getByLabel('File to fingerprint').setInputFiles(file);
  await page
    .getByRole('banner')
    .getByRole('progressbar', { name: `Fingerprint of ${NAME}`, exact: true })
    .waitFor(WAIT);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-walk-'));
  file = join(dir, NAME);
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(MIB, 7);
  for (let n = 0; n < FILE_BYTES / MIB; n++) writeSync(fd, block);
  closeSync(fd);
  browser = await launchBrowser();
  app = await openApp(await browser.newContext({ viewport: { width: 390, height: 844 } }), '#/migration');
  worker = await startHashWorker(app.page, dir);
  await installHashGate(worker);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a job that ends while the user is in another workspace', () => {
  it('leaves a note in the header that leads back to its screen', async () => {
    const { page } = app;
    await startHeld(page);
    await goTo(page, 'Sign-off');
    await gate('open');
    const note = notes(page).getByRole('listitem');
    await note.getByText(`Fingerprint of ${NAME} finished.`).waitFor(WAIT);
    await expect(note.getByRole('link', { name: 'Go to Migration' }).isVisible()).resolves.toBe(true);
    // the whole note is on a phone's screen: nothing cut off, Dismiss within reach
    const box = await note.getByRole('button', { name: /^Dismiss/ }).boundingBox();
    expect((box?.x ?? Number.POSITIVE_INFINITY) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await note.getByRole('link', { name: 'Go to Migration' }).click();
    await page.getByRole('heading', { level: 2, name: 'Migration' }).waitFor();
    // the note goes in a render of its own after the screen changed (an effect of the new place)
    await notes(page).waitFor({ state: 'detached' });
    await expect(page.getByTestId('sha256').isVisible()).resolves.toBe(true);
  });

  it('Dismiss removes the note and keeps focus in the page', async () => {
    const { page } = app;
    await startHeld(page);
    await goTo(page, 'Readiness');
    await gate('open');
    const dismiss = notes(page).getByRole('button', { name: `Dismiss: Fingerprint of ${NAME} finished.` });
    await dismiss.waitFor(WAIT);
    await dismiss.focus();
    await page.keyboard.press('Enter');
    await expect(notes(page).count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  it('its note goes when the user opens another project (it was about this one)', async () => {
    const { page } = app;
    await goTo(page, 'Migration');
    await startHeld(page);
    await goTo(page, 'Workflows');
    await gate('open');
    await notes(page).getByText(`Fingerprint of ${NAME} finished.`).waitFor(WAIT);
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByRole('textbox').fill('Another clinic');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expect.poll(() => notes(page).count(), WAIT).toBe(0);
  });

  it('leaves no note when it ends on its own screen', async () => {
    const { page } = app;
    await goTo(page, 'Migration');
    await startHeld(page);
    await gate('open');
    await page
      .getByRole('banner')
      .getByRole('progressbar')
      .waitFor({ state: 'detached', ...WAIT });
    // the ending is announced by the same effect that would add a note: once it is, no note came
    await page
      .getByRole('banner')
      .getByRole('status')
      .getByText(`Fingerprint of ${NAME} finished.`)
      .waitFor({ state: 'attached', ...WAIT });
    await expect(notes(page).count()).resolves.toBe(0);
  });
});

describe('a finished job’s result belongs to its project', () => {
  it('is not shown once the user opens another project', async () => {
    const { page } = app;
    await goTo(page, 'Migration');
    await page.getByLabel('File to fingerprint').setInputFiles(join(dir, 'tiny.txt'));
    await page.getByTestId('sha256').waitFor(WAIT);
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByRole('textbox').fill('Third clinic');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await goTo(page, 'Migration');
    // the other project's digest (and any report, failing rows) stays with that project
    await expect.poll(() => page.getByTestId('sha256').count(), WAIT).toBe(0);
    await expect(page.getByText('tiny.txt').count()).resolves.toBe(0);
  });
});
