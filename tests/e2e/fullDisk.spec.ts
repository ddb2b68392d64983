/**
 * Journey: the disk under the browser's profile fills up while a clinic lead edits. A real full
 * disk — a small tmpfs mounted as the profile directory, because the DevTools quota override
 * does not change what Chromium's storage sees — is filled to the last byte, the project is
 * renamed, and the app must say that storage is full (no page error, no unhandled rejection).
 * Once space is freed, saving resumes without a reload and nothing typed is lost.
 * Mounting needs root: the journey is skipped, saying why, where that is not possible.
 */
import { statfsSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVING_RESUMED_MESSAGE } from '../../src/app/projects/projectSession.ts';
import { DISK_FULL_MESSAGE } from '../../src/storage/db.ts';
import { launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';
import { mountSmallDisk, projectShown, shoot } from './smallDisk.ts';

/** The profile's disk: room for Chromium's profile and the demo project, little more. */
const DISK_SIZE = '48m';

const disk = mountSmallDisk(DISK_SIZE);
const { skipReason, mountPoint, profile } = disk;
if (skipReason) console.warn(`full-disk journey skipped: ${skipReason}`);

const RENAMED = 'Riverside clinic, renamed on a full disk';
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  if (skipReason) return;
  context = await launchPersistent(profile);
  app = await openApp(context);
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  disk.dispose();
});

describe.skipIf(skipReason !== null)('a full disk while editing', () => {
  it('says the disk is full, keeps the change in the tab and raises no page error', async () => {
    const { page } = app;
    disk.fill();
    expect(statfsSync(mountPoint).bavail).toBe(0);
    await page.getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Project name').fill(RENAMED);
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: DISK_FULL_MESSAGE }).waitFor();
    await page
      .locator('output.save-status')
      .filter({ hasText: /^Not saved/ })
      .waitFor();
    // the change stays on screen, in this tab
    await expect(projectShown(page)).resolves.toBe(RENAMED);
    await shoot(page, 'disk-full');
    expect(app.console).toEqual([]);
  });

  it('saves once space is freed, without a reload, and says so', async () => {
    const { page } = app;
    disk.free();
    await waitForSaved(page);
    await page.getByRole('status').filter({ hasText: SAVING_RESUMED_MESSAGE }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: DISK_FULL_MESSAGE }).count()).toBe(0);
    await shoot(page, 'saving-resumed');
    expect(app.console).toEqual([]);
  });

  it('lost nothing: after a reload the rename and the demo workflows are there', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await expect(projectShown(page)).resolves.toBe(RENAMED);
    await page.getByRole('link', { name: 'Workflows', exact: true }).click();
    await page.getByText('4 processes, 8 workflows in this project.', { exact: false }).waitFor();
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
