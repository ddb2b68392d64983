/**
 * Journey: a data analyst fingerprints a large extract, and the browser is closed while it runs.
 * At the next start the header says the job did not finish and that nothing of it was kept, with a
 * link back to its screen; Dismiss forgets it, also after a reload. Then a CSV validation is
 * running when every browser process is killed (SIGKILL: no unload handlers, no orderly close);
 * at the next start the header says that validation did not finish, and the saved work is all there.
 *
 * Determinism: the app's real hash worker's chunk reads are held (hashWorkerGate.ts), so the job is
 * running when the browser closes; a validation waits for its file's fingerprint from that same
 * worker, so it too is still running when the browser is killed; nothing races. The kill waits
 * until the browser has written the running validation to its profile on disk: web storage
 * reaches disk in batches, about a second after the write here, so a run killed within that first
 * second is not recorded (a known gap of keeping the journal in web storage).
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
import { hashGate, installHashGate, startHashWorker } from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
const NAME = 'extract-32mb.bin';
const WAIT = { timeout: 60_000 };

let profile: string;
let dir: string;
let file: string;
let context: BrowserContext;
let app: Watched;

const CSV_NAME = 'patients-24mb.csv';

/** True when the browser has written `text` to the profile's web storage files on disk. */
function inWebStorageOnDisk(profile: string, text: string): boolean {
  const dir = join(profile, 'Default', 'Local Storage', 'leveldb');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return false; // not created yet
  }
  // Chromium keeps a value as Latin-1 or UTF-16LE bytes
  const needles = [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')];
  return names.some((name) => {
    try {
      const bytes = readFileSync(join(dir, name));
      return needles.some((needle) => bytes.includes(needle));
    } catch {
      return false; // compacted away meanwhile
    }
  });
}

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
    await page
      .getByRole('banner')
      .getByRole('progressbar', { name: `Validation of ${CSV_NAME}`, exact: true })
      .waitFor(WAIT);
    await expect
      .poll(() => inWebStorageOnDisk(profile, CSV_NAME), { timeout: 30_000, interval: 100 })
      .toBe(true);
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
});
