/**
 * Journey: a data team checks a patient extract large enough for its key sets to go to the browser's
 * private storage (OPFS, workers/opfsKeySpill.ts) instead of memory, with 2 validator workers, and
 * gets the report it gets with the key sets in memory: the same counts and the same listed duplicate
 * groups (rows, conflicting columns) as one whole pass; nothing printed, no CSP violation, nothing
 * left in OPFS afterwards.
 *
 * Three pages of the same app: 2 workers with OPFS (the file split in 2 ranges, key sets spilled);
 * 2 workers without OPFS (today's in-memory path: the rest of the report must match byte for byte);
 * 1 worker without OPFS (one whole pass: the duplicate keys must match). "Without OPFS" is the page's
 * `navigator.storage.getDirectory` removed before the app starts (as in a browser without it); the
 * worker count is the page told of 3 or 2 cores (the pool has hardwareConcurrency − 1 workers).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_SPILL_MIN_BYTES } from '../../src/core/migration/validateInputs.ts';
import type { Report } from '../../src/formats/report.ts';
import { KEY_SPILL_FOLDER } from '../../workers/opfsKeySpill.ts';
import { launchBrowser, openApp, type Watched } from './browser.ts';

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
}, 120_000);

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
    content: `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${cores} });`,
  });
  await context.addInitScript({
    content: opfs
      ? // counts the page's reads of OPFS files (only the key spill's merge reads any)
        `{ const getFile = FileSystemFileHandle.prototype.getFile;
           window.__opfsReads = 0;
           FileSystemFileHandle.prototype.getFile = function () { window.__opfsReads++; return getFile.call(this); }; }`
      : 'delete StorageManager.prototype.getDirectory;',
  });
  return openApp(context, '#/migration');
}

/** Chooses the file, validates it with the proposed key, and returns the exported JSON report. */
async function validate(page: Page): Promise<Report> {
  await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(file);
  const card = page.getByRole('group', { name: /^patients\.csv/ });
  await card.waitFor();
  await expect(card.getByLabel(/^Key column/).inputValue()).resolves.toBe('mrn');
  await page.getByRole('button', { name: /^Validate the/ }).click();
  await page.getByRole('region', { name: 'Validation result' }).waitFor({ timeout: 300_000 });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  return JSON.parse(readFileSync((await (await downloading).path()) as string, 'utf8')) as Report;
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
function stable(report: Report, crossFile?: Report['crossFile']): string {
  const { generatedAt: _generatedAt, timings: _timings, ...rest } = report;
  return JSON.stringify(crossFile ? { ...rest, crossFile } : rest, null, 2);
}

describe('Migration: a large extract whose key sets go to private storage', () => {
  it('gives the in-memory report with 2 workers, prints nothing and leaves nothing in OPFS', async () => {
    expect(readFileSync(file).byteLength).toBeGreaterThan(KEY_SPILL_MIN_BYTES);
    const spilled = await appWith(3, true);
    const spilledReport = await validate(spilled.page);
    // the merge read the ranges' key files (one per range at least)
    expect(
      await spilled.page.evaluate(() => (window as unknown as { __opfsReads: number }).__opfsReads),
    ).toBeGreaterThanOrEqual(2);
    expect(await opfsPaths(spilled.page)).toEqual([`${KEY_SPILL_FOLDER}/`]);
    expect(spilled.console).toEqual([]);
    expect(spilled.cspViolations).toEqual([]);
    await spilled.page.context().close();

    const inMemory = await appWith(3, false);
    const inMemoryReport = await validate(inMemory.page);
    expect(inMemory.console).toEqual([]);
    await inMemory.page.context().close();
    const whole = await appWith(2, false);
    const wholeReport = await validate(whole.page);
    await whole.page.context().close();

    expect(spilledReport.summary.records).toBe(ROWS);
    const mrn = spilledReport.crossFile.duplicateTotals?.find((d) => d.column === 'mrn');
    expect(mrn).toMatchObject({ keys: REPEATED });
    expect(spilledReport.crossFile.duplicateKeys.filter((d) => d.column === 'mrn')).toHaveLength(1000);
    // duplicate keys as one whole pass lists them; the rest as the in-memory run in 2 ranges
    expect(stable(spilledReport)).toBe(stable(inMemoryReport, wholeReport.crossFile));
  }, 600_000);
});
