/**
 * Journey: the disk under the browser's profile fills up while a clinic lead edits. A real full
 * disk — a small tmpfs mounted as the profile directory, because the DevTools quota override
 * does not change what Chromium's storage sees — is filled to the last byte, the project is
 * renamed, and the app must say that storage is full (no page error, no unhandled rejection).
 * Once space is freed, saving resumes without a reload and nothing typed is lost.
 * Mounting needs root: the journey is skipped, saying why, where that is not possible.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVING_RESUMED_MESSAGE } from '../../src/app/projects/projectSession.ts';
import { DISK_FULL_MESSAGE } from '../../src/storage/db.ts';
import { launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the messages for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

/** Keeps a screenshot of the page at 1440 and 390 px when {@link SHOTS} is set. */
async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
  }
}

/** The profile's disk: room for Chromium's profile and the demo project, little more. */
const DISK_SIZE = '48m';

const mountPoint = mkdtempSync(join(tmpdir(), 'preflight-fulldisk-'));
/** Why the journey cannot run here, or null when the small disk is mounted. */
const skipReason = ((): string | null => {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs profile needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_SIZE}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`;
  }
})();
if (skipReason) console.warn(`full-disk journey skipped: ${skipReason}`);

const profile = join(mountPoint, 'profile');
const filler = join(mountPoint, 'filler');
const RENAMED = 'Riverside clinic, renamed on a full disk';
let context: BrowserContext;

/** The name of the project the header shows as open. */
const projectShown = (page: Page) =>
  page
    .getByLabel('Project', { exact: true })
    .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
let app: Watched;

/** Writes `filler` until the disk has no byte left (ENOSPC). */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1 << 20, 0x61);
  try {
    for (;;) {
      let size = chunk.length;
      for (;;) {
        try {
          writeSync(fd, chunk, 0, size);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          if (size === 1) return;
          size = Math.max(1, size >> 4);
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  if (skipReason) return;
  context = await launchPersistent(profile);
  app = await openApp(context);
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  if (!skipReason) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)('a full disk while editing', () => {
  it('says the disk is full, keeps the change in the tab and raises no page error', async () => {
    const { page } = app;
    fillDisk();
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
    rmSync(filler);
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
