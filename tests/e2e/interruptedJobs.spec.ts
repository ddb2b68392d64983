/**
 * Journey: a data analyst fingerprints a large extract, and the browser is closed while it runs.
 * At the next start the header says the job did not finish and that nothing of it was kept, with a
 * link back to its screen; Dismiss forgets it, also after a reload right away (the note goes once its
 * removal is kept, even when another tab's writes to the journal make it wait). Then a CSV validation is
 * running when every browser process is killed (SIGKILL: no unload handlers, no orderly close);
 * at the next start the header says that validation did not finish, and the saved work is all there.
 *
 * Determinism: the app's real hash worker's chunk reads are held (hashWorkerGate.ts), so the job is
 * running when the browser closes; a validation waits for its file's fingerprint from that same
 * worker, so it too is still running when the browser is killed; nothing races. The kill comes the
 * moment the validation's work has begun (the worker holds its first chunk read), with no wait for
 * the browser to write anything out: a job's work starts only once its record is committed to
 * disk, so a run killed at its very start is still reported. (Kept in web storage, as it used to
 * be, the record reached disk about a second later, and a run killed this early was forgotten.)
 * Then a journal an earlier version left in web storage is moved and reported the same way, and
 * "Close and wipe" removes the journal's database with everything else. Nothing on the page says
 * when a start has read the journal: before saying a note is absent, a spec waits for the note of a
 * run it left in the journal as a crash would.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_JOURNAL_DB_NAME, type JournalEntry } from '../../src/storage/jobJournalStore.ts';
import {
  axeViolations,
  killProfileProcesses,
  launchPersistent,
  openApp,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { hashGate, installHashGate, readHeld, startHashWorker } from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
const NAME = 'extract-32mb.bin';
const WAIT = { timeout: 60_000 };

let profile: string;
let dir: string;
let file: string;
let context: BrowserContext;
let app: Watched;

const CSV_NAME = 'patients-24mb.csv';

const unfinished = (app: Watched) =>
  app.page.getByRole('banner').getByRole('region', { name: 'Jobs that did not finish' });

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
  profile = mkdtempSync(join(tmpdir(), 'preflight-interrupted-profile-'));
  dir = mkdtempSync(join(tmpdir(), 'preflight-interrupted-'));
  file = join(dir, NAME);
  const csv = openSync(join(dir, CSV_NAME), 'w');
  writeSync(csv, 'patient_id,family_name,birth_date\n');
  const rows: string[] = [];
  for (let i = 1; i <= 10_000; i++)
    rows.push(`${i},Family ${i % 97},1990-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const chunk = Buffer.from(`${rows.join('\n')}\n`);
  for (let n = 0; n < Math.ceil((24 * MIB) / chunk.length); n++) writeSync(csv, chunk);
  closeSync(csv);
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(MIB, 3);
  for (let n = 0; n < 32; n++) writeSync(fd, block);
  closeSync(fd);
  context = await launchPersistent(profile);
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('a job the browser never let finish', () => {
  it('is said at the next start, with a way back to its screen, until dismissed', async () => {
    const worker = await startHashWorker(app.page, dir);
    await installHashGate(worker);
    await hashGate(worker, { action: 'hold' });
    await app.page.getByLabel('File to fingerprint').setInputFiles(file);
    await app.page
      .getByRole('banner')
      .getByRole('progressbar', { name: `Fingerprint of ${NAME}`, exact: true })
      .waitFor(WAIT);
    // nothing said about a run that is still going
    expect(await unfinished(app).count()).toBe(0);
    await context.close();

    context = await launchPersistent(profile);
    app = await openApp(context, '#/workflows');
    const note = unfinished(app).getByRole('listitem');
    await note.waitFor(WAIT);
    await expect(note.textContent()).resolves.toMatch(
      new RegExp(
        `^Fingerprint of ${NAME.replaceAll('.', '\\.')} did not finish: it was still running( at \\d+ %)? when Preflight stopped \\(last seen .+\\)\\. Nothing of it was kept: run it again\\.`,
      ),
    );
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
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });

  it('a validation killed with the browser is said at the next start, and the saved work is kept', async () => {
    await app.page.close();
    app = await openApp(context, '#/migration');
    const { page } = app;
    // saved work that must survive the kill
    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename project' });
    await rename.getByLabel('Project name').fill('Kept through a kill');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await waitForSaved(page);

    const worker = await startHashWorker(page, dir);
    await installHashGate(worker);
    await hashGate(worker, { action: 'hold' });
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(join(dir, CSV_NAME));
    await page.getByRole('button', { name: /^Validate the/ }).click();
    // the validation's work has begun: it asked the hash worker for its file's fingerprint
    await readHeld(worker);
    expect(killProfileProcesses(profile)).toBeGreaterThan(0);
    await context.close().catch(() => {});

    context = await launchPersistent(profile);
    app = await openApp(context, '#/workflows');
    const notes = unfinished(app).getByRole('listitem');
    await notes.first().waitFor(WAIT);
    // this validation only: the fingerprint dismissed before stays dismissed
    await expect(notes.allTextContents()).resolves.toEqual([
      expect.stringMatching(
        new RegExp(
          `^Validation of ${CSV_NAME.replaceAll('.', '\\.')} did not finish: it was still running( at \\d+ %)? when Preflight stopped \\(last seen .+\\)\\. Nothing of it was kept: run it again\\.`,
        ),
      ),
    ]);
    await expect(notes.getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).resolves.toBe(
      '#/migration',
    );
    // nothing else lost: the renamed project is the one open
    await expect(
      app.page
        .getByLabel('Project', { exact: true })
        .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? ''),
    ).resolves.toBe('Kept through a kill');
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });

  it('a journal an earlier version kept in web storage is moved and reported, and "Close and wipe" removes it', async () => {
    const { page } = app;
    const legacy = {
      session: 'an-earlier-version',
      job: 'job-1',
      label: 'Validation',
      subject: 'lab-results.csv',
      href: '#/migration',
      startedAt: '2026-11-20T08:00:00.000Z',
      updatedAt: '2026-11-20T08:03:00.000Z',
      percent: 30,
    };
    await page.evaluate(
      (entries) => localStorage.setItem('preflight.jobJournal', entries),
      JSON.stringify([legacy]),
    );
    await page.reload();
    const notes = unfinished(app).getByRole('listitem');
    await notes.nth(1).waitFor(WAIT);
    // the oldest first: the moved entry, then the validation killed before (not dismissed)
    await expect(notes.allTextContents()).resolves.toEqual([
      expect.stringMatching(
        /^Validation of lab-results\.csv did not finish: it was still running at 30 % when Preflight stopped \(last seen .+\)\. Nothing of it was kept: run it again\./,
      ),
      expect.stringMatching(new RegExp(`^Validation of ${CSV_NAME.replaceAll('.', '\\.')} did not finish`)),
    ]);
    // moved, not copied
    expect(await page.evaluate(() => localStorage.getItem('preflight.jobJournal'))).toBeNull();
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain(
      'preflight-jobs',
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
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
