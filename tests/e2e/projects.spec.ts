/**
 * Safety proofs of the shell's storage, in one browser profile kept across restarts, as a clinic's
 * browser is: an edit made just before a reload or a closed tab is kept without asking; two tabs on
 * one project never lose each other's work; a job the browser never let finish (the tab closed, every
 * browser process killed) is said at the next start, and what the bar said was saved is all there;
 * "Close and wipe" takes the jobs' journal with everything else. Only a real browser can close, be
 * killed and restart, so these stay end to end; a browser is started again for each restart, by design.
 *
 * Determinism: the app's real workers' chunk reads are held (hashWorkerGate.ts): the hash worker's,
 * so a fingerprint is running when the browser closes; the validator worker's, so a validation is
 * still running when the browser is killed; nothing races. The kill comes the moment the
 * validation's work has begun (its job is in the journal and its worker holds a chunk read): a job's
 * work starts only once its record is committed to disk, so a run killed at its very start is still
 * reported.
 * Nothing on the page says when a start has read the journal: before saying a note is absent, a
 * spec waits for the note of a run it left in the journal as a crash would.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_JOURNAL_DB_NAME, type JournalEntry } from '../../src/storage/jobJournalStore.ts';
import { scaled } from '../waits.ts';
import {
  axeViolations,
  killProfileProcesses,
  launchPersistent,
  openApp,
  projectSelect,
  type Watched,
  waitForOpenProject,
  waitForSaved,
} from './browser.ts';
import {
  hashGate,
  installHashGate,
  journalHolds,
  readHeld,
  startHashWorker,
  startValidateWorker,
} from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
const NAME = 'extract-32mb.bin';
const CSV_NAME = 'patients-24mb.csv';
const WAIT = { timeout: scaled(60_000) };

let profile: string;
let dir: string;
let context: BrowserContext;
let app: Watched;
/** console output and CSP violations of pages closed or lost to a kill */
const earlierConsole: string[] = [];
const earlierCsp: string[] = [];

/** Keeps what a page printed before it goes away. */
function keep(watched: Watched): void {
  earlierConsole.push(...watched.console);
  earlierCsp.push(...watched.cspViolations);
}

const selectedProject = (page: Page) =>
  projectSelect(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');

async function renameProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await projectSelect(page).locator('option', { hasText: name }).waitFor({ state: 'attached' });
}

const unfinished = (app: Watched) =>
  app.page.getByRole('banner').getByRole('region', { name: 'Jobs that did not finish' });

const stillRunningWhenStopped = (label: string, subject: string) =>
  new RegExp(
    `^${label} of ${subject.replaceAll('.', '\\.')} did not finish: it was still running( at \\d+ %)? when Preflight stopped \\(last seen .+\\)\\. Nothing of it was kept: run it again\\.`,
  );

/**
 * A run of a session that is gone, as a crash leaves it in the journal. Nothing on the page says
 * when the journal has been read; once this entry's note is shown it has, so a note that is absent
 * then is absent for good.
 */
const CRASHED: JournalEntry = {
  session: 'a-crashed-session',
  job: 'job-1',
  label: 'Validation',
  subject: 'referrals.csv',
  href: '#/migration',
  startedAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:05:00.000Z',
  percent: 60,
};
const CRASHED_NOTE =
  /^Validation of referrals\.csv did not finish: it was still running at 60 % when Preflight stopped/;

/**
 * Holds the journal's store in a read-write transaction from another tab, as a job running there
 * does while its progress is written: this tab's writes to the journal wait until `release`.
 */
async function holdJournal(context: BrowserContext, page: Page): Promise<{ release(): Promise<void> }> {
  // any document of the app's origin will do; its script is one
  const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[src]')?.src);
  if (!script) throw new Error('the app page has no script of its own');
  const other = await context.newPage();
  await other.goto(script);
  await other.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('jobs', 'readwrite').objectStore('jobs');
          const tab = window as unknown as { released?: boolean };
          // each request asked from the last one's success keeps the transaction open
          const next = () => {
            if (!tab.released) store.count().onsuccess = next;
          };
          next();
          resolve();
        };
      }),
    JOB_JOURNAL_DB_NAME,
  );
  return {
    async release() {
      await other.evaluate(() => {
        (window as unknown as { released?: boolean }).released = true;
      });
      await other.close();
    },
  };
}

/** Writes `entry` into the journal's database (created as the app creates it) and waits for the commit. */
async function leaveInJournal(page: Page, entry: JournalEntry): Promise<void> {
  await page.evaluate(
    async ({ name, entry }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('jobs', { keyPath: ['session', 'job'] });
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction('jobs', 'readwrite', { durability: 'strict' });
      tx.objectStore('jobs').put(entry);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error);
      });
      db.close();
    },
    { name: JOB_JOURNAL_DB_NAME, entry },
  );
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-projects-profile-'));
  dir = mkdtempSync(join(tmpdir(), 'preflight-projects-'));
  const csv = openSync(join(dir, CSV_NAME), 'w');
  writeSync(csv, 'patient_id,family_name,birth_date\n');
  const rows: string[] = [];
  for (let i = 1; i <= 10_000; i++)
    rows.push(`${i},Family ${i % 97},1990-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const chunk = Buffer.from(`${rows.join('\n')}\n`);
  for (let n = 0; n < Math.ceil((24 * MIB) / chunk.length); n++) writeSync(csv, chunk);
  closeSync(csv);
  const fd = openSync(join(dir, NAME), 'w');
  const block = Buffer.alloc(MIB, 3);
  for (let n = 0; n < 32; n++) writeSync(fd, block);
  closeSync(fd);
  context = await launchPersistent(profile);
  app = await openApp(context);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('edits are kept', () => {
  it('keeps an edit made just before a reload or a closed tab (0, 50 and 150 ms after it), without asking', async () => {
    let page = app.page;
    const dialogs: string[] = [];
    const watchDialogs = (p: Page) =>
      p.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.accept();
      });
    watchDialogs(page);
    for (const leave of ['reload', 'close'] as const) {
      for (const delayMs of [0, 50, 150]) {
        const name = `Kept after ${leave} at ${delayMs} ms`;
        // well inside the autosave throttle (300 ms): only the page-hide rescue can keep it. The delay
        // is the case under test (how long after the edit the user leaves), not a wait for the app.
        await renameProject(page, name);
        if (delayMs > 0) await page.waitForTimeout(delayMs);
        if (leave === 'reload') {
          await page.reload();
        } else {
          // as a user closes a tab: unload handlers run, a beforeunload prompt would show
          await Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);
          keep(app);
          app = await openApp(context);
          page = app.page;
          watchDialogs(page);
        }
        await waitForOpenProject(page);
        expect(await selectedProject(page)).toBe(name);
      }
    }
    // nothing was at risk, so nobody was asked "Leave site?"
    expect(dialogs).toEqual([]);
    await renameProject(page, 'Northside FP');
    await waitForSaved(page);
  });

  it('two tabs on one project: the stale tab is told, and loses nothing of the other', async () => {
    const tabA = app.page;
    const tabB = await openApp(context);
    await waitForOpenProject(tabB.page);
    expect(await selectedProject(tabB.page)).toBe(await selectedProject(tabA));

    await renameProject(tabA, 'Edited in tab A');
    await waitForSaved(tabA);
    await renameProject(tabB.page, 'Edited in tab B');
    await tabB.page.locator('output.save-status').filter({ hasText: 'changed in another tab' }).waitFor();

    // tab B's change cannot be saved: leaving it now asks first
    const dialogs: string[] = [];
    tabB.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await tabB.page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    await waitForOpenProject(tabB.page);
    expect(await selectedProject(tabB.page)).toBe('Edited in tab A');
    keep(tabB);
    await tabB.page.close();
  });
});

describe('a job the browser never let finish', () => {
  it('is said at the next start, with a way back to its screen, until dismissed', async () => {
    await app.page.goto(`${new URL(app.page.url()).origin}/#/migration`);
    await app.page.getByRole('heading', { level: 2, name: 'Migration' }).waitFor();
    const worker = await startHashWorker(app.page, dir);
    await installHashGate(worker);
    await hashGate(worker, { action: 'hold' });
    await app.page.getByLabel('File to fingerprint').setInputFiles(join(dir, NAME));
    await app.page
      .getByRole('banner')
      .getByRole('progressbar', { name: `Fingerprint of ${NAME}`, exact: true })
      .waitFor(WAIT);
    // nothing said about a run that is still going
    expect(await unfinished(app).count()).toBe(0);
    keep(app);
    await context.close();

    context = await launchPersistent(profile);
    app = await openApp(context, '#/workflows');
    const note = unfinished(app).getByRole('listitem');
    await note.waitFor(WAIT);
    await expect(note.textContent()).resolves.toMatch(stillRunningWhenStopped('Fingerprint', NAME));
    await expect(note.getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).resolves.toBe(
      '#/migration',
    );
    expect(await axeViolations(app.page)).toEqual([]);
    // read at the next start only: the note to wait for after the reload
    await leaveInJournal(app.page, CRASHED);
    // another tab is writing the journal: this dismissal's removal waits its turn
    const otherTab = await holdJournal(context, app.page);
    try {
      await note.getByRole('button', { name: /^Dismiss/ }).click();
      // the click was handled (it moves focus to the workspace); the note stays until its removal is kept
      await app.page.locator('main:focus').waitFor();
      expect(await unfinished(app).getByRole('listitem').count()).toBe(1);
    } finally {
      await otherTab.release();
    }
    await unfinished(app).waitFor({ state: 'detached' });
    await app.page.reload();
    await unfinished(app).getByRole('listitem').first().waitFor(WAIT);
    // the journal was read: the crashed run is said, the dismissed fingerprint is not
    await expect(unfinished(app).getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringMatching(CRASHED_NOTE),
    ]);
    await unfinished(app)
      .getByRole('button', { name: /^Dismiss/ })
      .click();
    await unfinished(app).waitFor({ state: 'detached' });
  });

  it('a validation killed with the browser is said at the next start, and what the bar said was saved is kept', async () => {
    keep(app);
    await app.page.close();
    app = await openApp(context, '#/migration');
    const { page } = app;
    // "Saved" shows in the render after the rename's "Unsaved changes…": it means this change is in
    // IndexedDB, and a kill right then must not lose it
    await renameProject(page, 'Kept through a kill');
    await waitForSaved(page);

    const worker = await startValidateWorker(page, dir);
    await installHashGate(worker);
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(join(dir, CSV_NAME));
    // the worker has read the file's head (its layout and first rows): the next read is the run's
    const validate = page.getByRole('button', { name: /^Validate the/ });
    await expect.poll(() => validate.isEnabled()).toBe(true);
    await hashGate(worker, { action: 'hold' });
    await validate.click();
    // the validation's work has begun: the job journal holds it and its worker reads the file
    await readHeld(worker);
    await journalHolds(page, CSV_NAME, true);
    keep(app);
    // SIGKILL every Chromium process of this profile: no unload handlers, no orderly shutdown
    expect(killProfileProcesses(profile)).toBeGreaterThan(0);
    await context.close().catch(() => {});

    context = await launchPersistent(profile);
    app = await openApp(context, '#/workflows');
    const notes = unfinished(app).getByRole('listitem');
    await notes.first().waitFor(WAIT);
    // this validation only: the fingerprint dismissed before stays dismissed
    await expect(notes.allTextContents()).resolves.toEqual([
      expect.stringMatching(stillRunningWhenStopped('Validation', CSV_NAME)),
    ]);
    await expect(notes.getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).resolves.toBe(
      '#/migration',
    );
    await waitForOpenProject(app.page);
    expect(await selectedProject(app.page)).toBe('Kept through a kill');
  });

  it('"Close and wipe" removes the jobs\' journal with everything else', async () => {
    const { page } = app;
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain(
      JOB_JOURNAL_DB_NAME,
    );
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
    // a run a crash leaves after the wipe: its note says the new start read the journal
    await leaveInJournal(page, CRASHED);
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await unfinished(app).getByRole('listitem').first().waitFor(WAIT);
    // nothing of what was wiped comes back
    await expect(unfinished(app).getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringMatching(CRASHED_NOTE),
    ]);
    await waitForOpenProject(page);
    expect(await selectedProject(page)).toBe('Demo clinic');
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    const printed = [...earlierConsole, ...app.console].filter((line) => !line.startsWith('debug'));
    expect(printed).toEqual([]);
    expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
  });
});
