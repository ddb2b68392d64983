/**
 * Journey: a browser killed after a full-disk episode restarts on a nearly full disk. A clinic
 * lead's renamed project is saved; the disk under the profile (a small tmpfs, see smallDisk.ts)
 * fills, a save fails, space is freed and saving resumes; later the browser is SIGKILLed and
 * starts again while the disk is full. In this Chromium the browser then discards the database
 * (4 of 4 runs before the marker got its file copy), and localStorage — where the marker that
 * tells a loss from a first visit was kept — may not have reached the disk before the kill. The
 * app must open the saved project or say that it was lost (from the marker's copy in the origin
 * private file system), never seed the demo clinic over it silently, and keep saying so once
 * space returns.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_QUOTA_MESSAGE, SAVING_RESUMED_MESSAGE } from '../../src/app/projects/projectSession.ts';
import { DISK_FULL_MESSAGE } from '../../src/storage/db.ts';
import { killProfileProcesses, launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';
import { mountSmallDisk, projectShown, shoot } from './smallDisk.ts';

const disk = mountSmallDisk('48m');
const { skipReason, profile } = disk;
if (skipReason) console.warn(`full-disk restart journey skipped: ${skipReason}`);

const SAVED = 'Riverside clinic, saved before the disk filled';
const RENAMED = 'Riverside clinic, saved after space was freed';
let context: BrowserContext;
let app: Watched;

/** Renames the open project through the header's dialog. */
async function rename(app: Watched, name: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await dialog.waitFor({ state: 'detached' });
}

beforeAll(async () => {
  if (skipReason) return;
  context = await launchPersistent(profile);
  app = await openApp(context);
  await waitForSaved(app.page);
  await rename(app, SAVED);
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  disk.dispose();
});

describe.skipIf(skipReason !== null)('a restart on a full disk after a full-disk episode', () => {
  it('a save fails on the full disk and lands once space is freed', async () => {
    const { page } = app;
    disk.fill();
    await rename(app, RENAMED);
    await page.getByRole('alert').filter({ hasText: DISK_FULL_MESSAGE }).waitFor();
    disk.free();
    await page.getByRole('status').filter({ hasText: SAVING_RESUMED_MESSAGE }).waitFor();
    await waitForSaved(page);
  });

  it('killed and started again on the full disk, the app opens the project or says it was lost', async () => {
    expect(killProfileProcesses(profile)).toBeGreaterThan(0);
    await context.close().catch(() => {});
    disk.fill();
    context = await launchPersistent(profile);
    app = await openApp(context);
    await expectProjectOrLoss(app, true);
    await shoot(app.page, 'restart-full-disk');
    expect(app.console).toEqual([]);
  });

  it('once space returns, the project is there or the loss is still said: never a demo in its place', async () => {
    disk.free();
    await expectProjectOrLoss(app, false);
    await app.page.reload();
    await expectProjectOrLoss(app, false);
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/**
 * Waits until the app shows the saved project, or says that the stored projects are gone (the
 * browser discarded its database: the marker kept outside it says what was there), or — while
 * the disk is full — that the projects cannot be opened yet. Never the demo clinic in its place.
 */
async function expectProjectOrLoss(app: Watched, diskFull: boolean): Promise<void> {
  const { page } = app;
  const opened = page.getByLabel('Project', { exact: true });
  const lost = page.getByRole('heading', { name: 'Your stored projects are gone' });
  const cannotOpen = page.getByRole('alert').filter({ hasText: OPEN_QUOTA_MESSAGE });
  await (diskFull ? opened.or(lost).or(cannotOpen) : opened.or(lost)).first().waitFor();
  if (await opened.isVisible()) {
    await expect(projectShown(page)).resolves.toBe(RENAMED);
    await expect(
      opened.evaluate((el) => [...(el as HTMLSelectElement).options].map((option) => option.text)),
    ).resolves.toEqual([RENAMED]);
  } else if (await lost.isVisible()) {
    await page.getByText('One project was stored here', { exact: false }).waitFor();
  }
}
