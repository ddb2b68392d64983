/**
 * Journey: the browser discards Preflight's database behind its back (as it does with a damaged
 * or over-quota profile). The next start says so in plain words, seeds no demo over the loss, and
 * goes on only with the user's choice: the last exported file, or the demo. "Close and wipe" then
 * leaves nothing: no database, no files in the private file system, no caches, nothing in web
 * storage but the marker saying it was wiped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  baseUrl,
  launchBrowser,
  openApp,
  projectSelect,
  VIEWPORTS,
  type Watched,
  waitForOpenProject,
  waitForSaved,
} from './browser.ts';

const MARKER_KEY = 'preflight.storeMarker';
const LOSS = "Preflight's stored projects are gone: the browser discarded its database";

let browser: Browser;
let context: BrowserContext;
let work: string;
let app: Watched;
const earlierConsole: string[] = [];

const projectNames = (page: Page) =>
  projectSelect(page).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text).sort());

/** Projects stored in the app's database, read behind the app's back (0 when there is no database). */
const storedProjectCount = (page: Page) =>
  page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'preflight')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('preflight');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction('projects').objectStore('projects').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => reject(count.error);
      };
    });
  });

/** Closes the app, deletes its IndexedDB data only (what a browser discarding the database does), reopens it. */
async function discardDatabaseAndReopen(): Promise<void> {
  earlierConsole.push(...app.console);
  await app.page.close();
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send('Storage.clearDataForOrigin', {
    origin: new URL(baseUrl()).origin,
    storageTypes: 'indexeddb',
  });
  await cdp.detach();
  await blank.close();
  app = await openApp(context);
}

/** Everything the origin holds outside IndexedDB's records, as seen from the page. */
const leftovers = (page: Page) =>
  page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const opfs: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const [name, handle] of (
        dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
      ).entries()) {
        opfs.push(`${prefix}${name}`);
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
      }
    };
    await walk(root, '');
    return {
      opfs: opfs.sort(),
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      marker: localStorage.getItem('preflight.storeMarker'),
    };
  });

/** What a crashed validation run and other site data leave behind. */
const plantLeftovers = (page: Page) =>
  page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const spill = await root.getDirectoryHandle('preflight-key-spill', { create: true });
    const run = await spill.getDirectoryHandle('crashed-run', { create: true });
    const file = await run.getFileHandle('keys-0.bin', { create: true });
    const writable = await file.createWritable();
    await writable.write('MRN-CANARY-0001');
    await writable.close();
    await (await caches.open('preflight-left')).put('/left', new Response('MRN-CANARY-0001'));
    localStorage.setItem('left', 'MRN-CANARY-0001');
    sessionStorage.setItem('left', 'MRN-CANARY-0001');
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'preflight-files-'));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORTS[0], acceptDownloads: true });
  app = await openApp(context);
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

describe('storage safety journey', () => {
  let exported = '';

  it('records the stored projects outside the database as they are saved', async () => {
    const { page } = app;
    await waitForSaved(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    exported = join(work, download.suggestedFilename());
    await download.saveAs(exported);
    const marker = JSON.parse(
      (await page.evaluate((key) => localStorage.getItem(key), MARKER_KEY)) ?? 'null',
    );
    expect(marker.state).toBe('active');
    expect(Object.keys(marker.projects)).toHaveLength(1);
  });

  it('a discarded database is reported in plain words, and no demo is seeded over it', async () => {
    await discardDatabaseAndReopen();
    const { page } = app;
    await page.getByRole('alert').filter({ hasText: LOSS }).waitFor();
    expect(await page.getByRole('heading', { name: 'Your stored projects are gone' }).isVisible()).toBe(true);
    expect(await projectSelect(page).count()).toBe(0);
    expect(await storedProjectCount(page)).toBe(0);
  });

  it('the message passes axe at 1440 and 390 px', async () => {
    const { page } = app;
    for (const { name, width, height } of VIEWPORTS) {
      await page.setViewportSize({ width, height });
      await page.getByRole('button', { name: 'Start the demo clinic' }).waitFor();
      expect(await axeViolations(page), name).toEqual([]);
      await page.screenshot({ path: join(tmpdir(), `preflight-storage-lost-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS[0]);
  });

  it('importing the last exported file continues with it', async () => {
    const { page } = app;
    await page.getByLabel('Import a project file').setInputFiles(exported);
    await page.getByRole('status').filter({ hasText: 'Imported “Demo clinic”' }).waitFor();
    expect(await projectNames(page)).toEqual(['Demo clinic']);
    expect(await storedProjectCount(page)).toBe(1);
  });

  it('after another loss, the demo starts only when the user chooses it', async () => {
    await discardDatabaseAndReopen();
    const { page } = app;
    await page.getByRole('alert').filter({ hasText: LOSS }).waitFor();
    expect(await storedProjectCount(page)).toBe(0);
    await page.getByRole('button', { name: 'Start the demo clinic' }).click();
    await waitForOpenProject(page);
    expect(await projectNames(page)).toEqual(['Demo clinic']);
    await waitForSaved(page);
    // the marker follows the new database from now on: a reload is an ordinary start
    earlierConsole.push(...app.console);
    await page.reload();
    await waitForOpenProject(page);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it("a crashed run's key-spill folder is removed at start", async () => {
    const { page } = app;
    await plantLeftovers(page);
    await page.reload();
    await waitForOpenProject(page);
    // the folder stays (the live runs' home), emptied; beside it the store marker's file copy
    await expect
      .poll(async () => (await leftovers(page)).opfs)
      .toEqual(['preflight-key-spill', 'preflight-store-marker.json']);
  });

  it('"Close and wipe" leaves no database, files, caches or web storage but the wiped marker', async () => {
    const { page } = app;
    await plantLeftovers(page);
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    const left = await leftovers(page);
    expect({ ...left, marker: JSON.parse(left.marker ?? 'null')?.state }).toEqual({
      opfs: [],
      databases: [],
      caches: [],
      local: [MARKER_KEY],
      session: [],
      marker: 'wiped',
    });
    // and the next start is a first visit, not a loss
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await waitForOpenProject(page);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('printed nothing to the console', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
  });
});
