/**
 * Journey: a data analyst fingerprints a large extract, and the browser is closed while it runs.
 * At the next start the header says the job did not finish and that nothing of it was kept, with a
 * link back to its screen; Dismiss forgets it, also after a reload. Then a CSV validation is
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
 * "Close and wipe" removes the journal's database with everything else.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    await note.getByRole('button', { name: /^Dismiss/ }).click();
    await unfinished(app).waitFor({ state: 'detached' });
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    // the workspace is drawn, and the header still has nothing to say
    await app.page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await unfinished(app).count()).toBe(0);
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
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await unfinished(app).count()).toBe(0);
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
