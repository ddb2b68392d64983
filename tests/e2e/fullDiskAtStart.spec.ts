/**
 * Journey: Preflight starts on a disk that is already full. A clinic lead's renamed project is
 * saved; the disk under the browser's profile (a small tmpfs, see smallDisk.ts) then fills, a
 * write fails and the browser closes its storage, and Preflight starts in a new tab: the browser
 * refuses to open the database ("Internal error opening backing store"). (A browser started afresh
 * on the full disk opens its existing database read-only without complaint; the refusal comes while
 * its storage is failing, which the first tab keeps it doing.) The app must say the disk is full —
 * not a generic error, not a hint about private windows — create nothing (no demo clinic over the
 * stored project) and raise no page error. Once space is freed, the project opens without a reload.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_QUOTA_MESSAGE } from '../../src/app/projects/projectSession.ts';
import { DISK_FULL_MESSAGE } from '../../src/storage/db.ts';
import { axeViolations, launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';
import { mountSmallDisk, projectShown, shoot } from './smallDisk.ts';

const disk = mountSmallDisk('48m');
const { skipReason, profile } = disk;
if (skipReason) console.warn(`full-disk-at-start journey skipped: ${skipReason}`);

const SAVED = 'Riverside clinic, saved before the disk filled';
const RENAMED = 'Riverside clinic, renamed on the full disk';
let context: BrowserContext;
let app: Watched;

/** The names the project menu offers. */
const projectsOffered = (app: Watched) =>
  app.page
    .getByLabel('Project', { exact: true })
    .evaluate((el) => [...(el as HTMLSelectElement).options].map((option) => option.text));

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
  // the first visit stores the demo clinic; the lead renames it and closes the browser
  const first = await launchPersistent(profile);
  const setup = await openApp(first);
  await waitForSaved(setup.page);
  await rename(setup, SAVED);
  await waitForSaved(setup.page);
  await first.close();
  context = await launchPersistent(profile);
  app = await openApp(context);
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  disk.dispose();
});

describe.skipIf(skipReason !== null)('starting on a full disk', () => {
  let second: Watched;

  it('says the disk is full, creates nothing and raises no page error', async () => {
    const { page } = app;
    await expect(projectShown(page)).resolves.toBe(SAVED);
    disk.fill();
    // a write on the full disk fails and the browser closes its storage
    await rename(app, RENAMED);
    await page.getByRole('alert').filter({ hasText: DISK_FULL_MESSAGE }).waitFor();
    // Preflight starts in another tab on the full disk: the browser cannot open the database
    second = await openApp(context);
    await second.page.getByRole('alert').filter({ hasText: OPEN_QUOTA_MESSAGE }).waitFor();
    // nothing was opened or created: the header offers no project
    expect(await second.page.getByLabel('Project', { exact: true }).count()).toBe(0);
    expect(await second.page.getByText('Private windows', { exact: false }).count()).toBe(0);
    await shoot(second.page, 'open-disk-full');
    for (const width of [1440, 390]) {
      await second.page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(second.page)).toEqual([]);
    }
    // dismissed, the message leaves the plain statement that Preflight keeps trying
    await second.page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    await second.page
      .getByText('Preflight keeps trying to open your stored projects', { exact: false })
      .waitFor();
    expect(await second.page.getByText('Private windows', { exact: false }).count()).toBe(0);
    expect(second.console).toEqual([]);
    expect(app.console).toEqual([]);
  });

  it('opens the stored project once space is freed, without a reload, and seeds no demo', async () => {
    disk.free();
    await second.page.getByLabel('Project', { exact: true }).waitFor();
    // the first tab saves its rename meanwhile: either name is the one stored project
    expect([SAVED, RENAMED]).toContain(await projectShown(second.page));
    await expect(projectsOffered(second)).resolves.toHaveLength(1);
    expect(await second.page.getByRole('alert').count()).toBe(0);
    await waitForSaved(app.page);
    expect(second.console).toEqual([]);
    expect(app.console).toEqual([]);
    expect(second.cspViolations).toEqual([]);
  });
});
