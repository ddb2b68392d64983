/**
 * Journey: a data team checks a patient extract large enough for its key sets to go to the browser's
 * private storage (OPFS, workers/opfsKeySpill.ts) instead of memory, and gets the report it gets
 * with the key sets in memory, byte for byte: the same counts and the same listed duplicate groups
 * (rows, conflicting columns); nothing printed, no CSP violation, nothing left in OPFS afterwards.
 *
 * Key records stay in memory up to a bound (16 MiB per GiB of `navigator.deviceMemory`, at most
 * 64 MiB) and go to OPFS past it: the spilling page is told of 0.25 GiB, a 4 MiB bound, which the
 * file's 190,000 keys with four demographic columns (6.8 MB of records) go past.
 *
 * Two pages of the same app, each with one validator worker (the page told of 2 cores: the pool
 * has hardwareConcurrency − 1 workers), which validates the file whole: one with OPFS, whose worker
 * is watched writing the key files, and one without (`navigator.storage.getDirectory` removed
 * before the app starts, as in a browser without it), whose key sets stay in memory.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_SPILL_MIN_BYTES } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { STORE_MARKER_FILE } from '../../src/storage/storeMarker.ts';
import { KEY_SPILL_FOLDER } from '../../workers/opfsKeySpill.ts';
import { scaled } from '../waits.ts';
import { downloadedFile, launchBrowser, openApp, type Watched } from './browser.ts';

const ROWS = 190_000;
/** MRNs seen twice: more duplicate groups than a report lists (1,000). */
const REPEATED = 3_000;

let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-key-spill-'));
  file = join(dir, 'patients.csv');
  const unique = ROWS - REPEATED;
  const lines = ['mrn,last_name,first_name,birth_date,sex,note'];
  for (let i = 0; i < ROWS; i++) {
    const id = (i * 7919) % unique;
    // every 7th row's name differs: some repeated MRNs have conflicting demographics
    const last = i % 7 === 0 ? `Other${i % 13}` : `Last${id % 997}`;
    lines.push(
      `M${id},${last},First${id % 313},19${String(id % 90).padStart(2, '0')}-0${(id % 9) + 1}-1${id % 9},${id % 2 ? 'F' : 'M'},note ${'x'.repeat(40 + (i % 17))}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  browser = await launchBrowser();
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A page of the app told of `cores` cores; without OPFS when `opfs` is false. */
async function appWith(cores: number, opfs: boolean): Promise<Watched> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
  });
  // script texts: a function here would be wrapped in tsx's `__name(…)`, which the page lacks
  await context.addInitScript({
    content: `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${cores} });
      Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.25 });`,
  });
  if (!opfs) await context.addInitScript({ content: 'delete StorageManager.prototype.getDirectory;' });
  return openApp(context, '#/migration');
}

/** Chooses the file and waits for its card (the sniff has run in the validator worker). */
async function choose(page: Page): Promise<void> {
  await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(file);
  const card = page.getByRole('group', { name: /^patients\.csv/ });
  await card.waitFor();
  await expect(card.getByLabel(/^Key column/).inputValue()).resolves.toBe('mrn');
}

/**
 * The page's one validator worker, from now on counting the bytes it writes through OPFS sync
 * access handles (what only the key spill writes) in `self.__keyFileBytes`.
 */
async function watchKeyFileWrites(page: Page): Promise<Worker> {
  const validators = page.workers().filter((w) => w.url().includes('validate.worker'));
  expect(validators).toHaveLength(1);
  const worker = validators[0] as Worker;
  await worker.evaluate(`{
    const write = FileSystemSyncAccessHandle.prototype.write;
    self.__keyFileBytes = 0;
    FileSystemSyncAccessHandle.prototype.write = function (buffer, options) {
      const n = write.call(this, buffer, options);
      self.__keyFileBytes += n;
      return n;
    };
  }`);
  return worker;
}

/** Validates the chosen file with the proposed key, and returns the exported JSON report. */
async function validate(page: Page): Promise<Report> {
  await page.getByRole('button', { name: /^Validate the/ }).click();
  await page.getByRole('region', { name: 'Validation result' }).waitFor({ timeout: scaled(300_000) });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  return JSON.parse(readFileSync(await downloadedFile(await downloading), 'utf8')) as Report;
}

/** Every entry of the page's OPFS, as paths (folders end with "/"). */
function opfsPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    type Folder = FileSystemDirectoryHandle & {
      entries(): AsyncIterable<[string, FileSystemDirectoryHandle | FileSystemFileHandle]>;
    };
    const out: string[] = [];
    const walk = async (folder: Folder, prefix: string): Promise<void> => {
      for await (const [name, handle] of folder.entries()) {
        if (handle.kind === 'file') out.push(prefix + name);
        else {
          out.push(`${prefix + name}/`);
          await walk(handle as Folder, `${prefix + name}/`);
        }
      }
    };
    await walk((await navigator.storage.getDirectory()) as Folder, '');
    return out;
  });
}

/** The report without what differs between any two runs (timings), as JSON. */
/** The report without what differs between two pages by nature: times, and each project's own check-set ids. */
function stable(report: Report): string {
  const { generatedAt: _generatedAt, timings: _timings, ...rest } = report;
  const inputs = rest.inputs.map(({ dataset: _dataset, ...input }) => input);
  return JSON.stringify({ ...rest, inputs }, null, 2);
}

describe('Migration: a large extract whose key sets go to private storage', () => {
  it(
    'gives the in-memory report, prints nothing and leaves nothing in OPFS',
    async () => {
      expect(readFileSync(file).byteLength).toBeGreaterThan(KEY_SPILL_MIN_BYTES);
      const spilled = await appWith(2, true);
      await choose(spilled.page);
      const worker = await watchKeyFileWrites(spilled.page);
      const spilledReport = await validate(spilled.page);
      // the worker wrote the key files, past the 4 MiB bound: every record, 36 bytes each
      expect(await worker.evaluate('self.__keyFileBytes')).toBe(ROWS * 36);
      // the run's folder is emptied; beside it only the store marker's copy (storeMarker.ts), once
      // a write of the marker in flight has swapped its new copy in (its `.crswap` file goes then)
      await expect
        .poll(async () => (await opfsPaths(spilled.page)).sort())
        .toEqual([`${KEY_SPILL_FOLDER}/`, STORE_MARKER_FILE]);
      expect(spilled.console).toEqual([]);
      expect(spilled.cspViolations).toEqual([]);
      await spilled.page.context().close();

      const inMemory = await appWith(2, false);
      await choose(inMemory.page);
      const inMemoryReport = await validate(inMemory.page);
      expect(inMemory.console).toEqual([]);
      expect(inMemory.cspViolations).toEqual([]);
      await inMemory.page.context().close();

      expect(spilledReport.summary.records).toBe(ROWS);
      const mrn = spilledReport.crossFile.duplicateTotals?.find((d) => d.column === 'mrn');
      expect(mrn).toMatchObject({ keys: REPEATED });
      expect(spilledReport.crossFile.duplicateKeys.filter((d) => d.column === 'mrn')).toHaveLength(1000);
      expect(stable(spilledReport)).toBe(stable(inMemoryReport));
      // the fingerprint the validator worker hashed from the bytes of its pass is the file's SHA-256
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      expect([spilledReport.inputs[0]?.sha256, inMemoryReport.inputs[0]?.sha256]).toEqual([sha256, sha256]);
    },
    scaled(600_000),
  );
});
