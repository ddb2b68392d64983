/**
 * The browser's OPFS key spill (opfsKeySpill.ts) against a fake OPFS with Chromium's locking rules
 * (testing/fakeOpfs.ts), through a whole run as the page does it (validateRun.ts with the worker API
 * called directly): a spilled run's report is the report of one in-memory pass, byte for byte
 * (timings aside); nothing is left in OPFS afterwards; OPFS that is missing
 * or fills up mid-run gives the in-memory report, never a lost result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvLayout } from '../src/core/csv/index.ts';
import {
  KEY_SPILL_MEMORY_BYTES,
  type KeySpec,
  MAX_DUPLICATE_GROUPS,
  SPILL_BLOCK_RECORDS,
} from '../src/core/validation/index.ts';
import type { Report } from '../src/formats/report.ts';
import {
  KEY_SPILL_FOLDER,
  KeySpillFailed,
  keyMemoryBytesFor,
  OPFS_BLOCK_RECORDS,
  openFileKeySpill,
  removeStaleKeySpill,
  type SpillDirectory,
  startRunKeySpill,
} from './opfsKeySpill.ts';
import { createFakeLocks, createFakeOpfs, type FakeOpfs } from './testing/fakeOpfs.ts';
import {
  createValidateApi,
  type FileOutcome,
  type ValidateOutcome,
  type ValidateRequest,
} from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const LAYOUT: CsvLayout = {
  encoding: 'utf-8',
  delimiter: ',',
  quote: '"',
  lineEnding: '\n',
  header: true,
} as CsvLayout;

/**
 * A patient extract with 3 rows per `id` (`rows / 3` duplicate groups: at 9,000 rows more than a report lists), a
 * few conflicting names, and a `city` column with 40 values (groups with more rows than listed).
 */
function patients(rows: number): Blob {
  const lines = ['id,name,dob,city'];
  for (let i = 0; i < rows; i++) {
    const id = (i * 7919) % Math.floor(rows / 3);
    const name = i % 97 === 0 ? `Other${i}` : `Name${id}`;
    lines.push(`P${id},${name},19${String(id % 90).padStart(2, '0')}-01-02,City${i % 40}`);
  }
  return new Blob([`${lines.join('\n')}\n`]);
}

/** Sizes of the spill's batched I/O (defaults: opfsKeySpill.ts's). */
interface SpillSizes {
  /** bytes a worker gathers before writing */
  writeBufferBytes?: number;
  /** key-record bytes a file's pass holds in memory before writing (default here 0: every block written) */
  memoryBytes?: number;
}

/**
 * A run of `request`, up to `filesAtOnce` files at once; with `opfs`, key sets spill to it (from
 * 0 bytes on, and from their first block unless `sizes` gives a memory bound).
 */
async function run(
  request: ValidateRequest,
  filesAtOnce: number,
  opfs?: FakeOpfs,
  locks = createFakeLocks(),
  seen: FileOutcome[] = [],
  sizes: SpillSizes = {},
): Promise<ValidateOutcome> {
  let n = 0;
  let ids = 0;
  const api = createValidateApi({
    keySpillRoot: async () => {
      if (!opfs) throw new KeySpillFailed('no origin private file system');
      return opfs.root;
    },
    newId: () => `file${ids++}`,
    ...(sizes.writeBufferBytes ? { keySpillWriteBufferBytes: sizes.writeBufferBytes } : {}),
  });
  return runValidation(request, {
    filesAtOnce,
    ...(opfs
      ? {
          keySpill: {
            minBytes: 0,
            memoryBytes: sizes.memoryBytes ?? 0,
            start: () => startRunKeySpill(opfs.root, { run: `run${n}`, locks }),
          },
        }
      : {}),
    runFile: async (task, onProgress, signal) => {
      const id = `job-${n++}`;
      // as the pool does: a file of an attempt given up is cancelled
      signal?.addEventListener('abort', () => api.cancel(id));
      const outcome = await api.validateFile(id, task, onProgress);
      seen.push(outcome);
      return outcome;
    },
  });
}

/**
 * The in-memory run of `request` (no spill), made once per request and `filesAtOnce` for the file:
 * the report every spilled run must give. Its text holds no timings, so a run made again would
 * give the same text; the 9,000-row extract was validated nine times for it.
 */
const inMemoryRuns = new Map<ValidateRequest, Map<number, Promise<ValidateOutcome>>>();
function inMemoryRun(request: ValidateRequest, filesAtOnce: number): Promise<ValidateOutcome> {
  const runs = inMemoryRuns.get(request) ?? new Map<number, Promise<ValidateOutcome>>();
  inMemoryRuns.set(request, runs);
  const made = runs.get(filesAtOnce) ?? run(request, filesAtOnce);
  runs.set(filesAtOnce, made);
  return made;
}

/** The report as JSON without its timings (they differ between any two runs). */
function reportText(outcome: ValidateOutcome): string {
  if (!outcome.ok) throw new Error(outcome.problem.message);
  const { generatedAt: _generatedAt, timings: _timings, ...rest } = outcome.report as Report;
  return JSON.stringify(rest, null, 2);
}

/** A run of the generated extract of `rows` rows. */
const generatedRequest = (rows: number): ValidateRequest => ({
  inputs: [
    {
      file: patients(rows),
      name: 'patients.csv',
      layout: LAYOUT,
      keys: [{ column: 'id', demographics: ['name', 'dob'] }, { column: 'city' }],
    },
  ],
  links: [],
  toolVersion: '0.0.0-test',
  chunkBytes: 16 * 1024,
});
const ROWS = 9000;
const generated = generatedRequest(ROWS);
/**
 * For the fallbacks (no OPFS, a worker without it, under the threshold): whether the spill is
 * used or given up does not depend on the size, and 900 rows still span several 16 KiB chunks.
 */
const small = generatedRequest(900);

/**
 * The spilled run of the generated extract with `sizes`, made once per size for the file: a report
 * test and the write-count test read the same run (each run of the 9,000 rows costs about a second).
 */
const spilledRuns = new Map<
  string,
  Promise<{
    outcome: ValidateOutcome;
    opfs: FakeOpfs;
    locks: ReturnType<typeof createFakeLocks>;
    seen: FileOutcome[];
  }>
>();
function spilledRun(sizes: SpillSizes) {
  const key = JSON.stringify(sizes);
  const made =
    spilledRuns.get(key) ??
    (async () => {
      const opfs = createFakeOpfs();
      const locks = createFakeLocks();
      const seen: FileOutcome[] = [];
      const outcome = await run(generated, 1, opfs, locks, seen, sizes);
      return { outcome, opfs, locks, seen };
    })();
  spilledRuns.set(key, made);
  return made;
}

const SAMPLES = path.resolve(import.meta.dirname, '../samples');
const blobOf = (file: string) => new Blob([readFileSync(path.join(SAMPLES, file))]);
/** A demo extract as the page sends it: its sniffed layout (encounters.csv is not UTF-8). */
async function demoInput(file: string, keys: KeySpec[]): Promise<ValidateRequest['inputs'][number]> {
  const blob = blobOf(`legacy/${file}`);
  const sniffed = await createValidateApi().sniff(blob, file);
  if (!sniffed.ok) throw new Error(sniffed.problem.message);
  const { detected: _detected, ...layout } = sniffed.layout;
  return { file: blob, name: file, layout, keys };
}
/** The demo extracts with a link: the referenced key set stays in memory, the others spill. */
const demo: ValidateRequest = {
  inputs: [
    await demoInput('patients.csv', [
      { column: 'mrn', demographics: ['last_name', 'first_name', 'birth_date', 'sex'] },
      { column: 'patient_id', referenced: true },
    ]),
    await demoInput('encounters.csv', [{ column: 'encounter_id' }]),
  ],
  links: [
    { input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
  ],
  toolVersion: '0.0.0-test',
  chunkBytes: 16 * 1024,
};

describe('OPFS key spill in a validation run', () => {
  it('the generated extract has more duplicate groups than a report lists (what makes the merge hard)', async () => {
    const outcome = await inMemoryRun(generated, 1);
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const id = outcome.report.crossFile.duplicateKeys.filter((d) => d.column === 'id');
    expect(id.length).toBe(MAX_DUPLICATE_GROUPS);
    expect(ROWS / 3).toBeGreaterThan(MAX_DUPLICATE_GROUPS);
  });

  it.each([
    { description: 'generated extract', request: generated, filesAtOnce: 1 },
    { description: 'demo extracts with a link, 2 files at once', request: demo, filesAtOnce: 2 },
  ])(
    '$description: the report of the in-memory run; OPFS empty afterwards',
    async ({ request, filesAtOnce }) => {
      const expected = reportText(await inMemoryRun(request, filesAtOnce));
      // the generated extract's run with the default sizes is the one the sizes' table reads too
      const {
        outcome: spilled,
        opfs,
        locks,
      } = request === generated
        ? await spilledRun({})
        : await (async () => {
            const opfs = createFakeOpfs();
            const locks = createFakeLocks();
            return { outcome: await run(request, filesAtOnce, opfs, locks), opfs, locks };
          })();
      expect(reportText(spilled)).toBe(expected);
      // the key files were used: a sync handle per key column and file
      expect(opfs.handlesOpened).toBeGreaterThanOrEqual(1);
      expect(opfs.handlesOpen).toBe(0);
      expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
      expect(locks.heldNames()).toEqual([]);
    },
  );

  // the sizes cut blocks, partitions and the engine's 16 KiB chunks anywhere: 1 byte, odd sizes
  // smaller and larger than a block of keys (256 records of 28 bytes here), the default
  it.each([
    { description: 'writes of 1 byte', sizes: { writeBufferBytes: 1 } },
    { description: 'writes of a few records', sizes: { writeBufferBytes: 97 } },
    { description: 'writes of more than a block', sizes: { writeBufferBytes: 7 * 1024 + 3 } },
    { description: 'the default', sizes: {} },
  ])('$description: the same report as one in-memory pass', async ({ sizes }) => {
    const { outcome: spilled, opfs, seen } = await spilledRun(sizes);
    expect(reportText(spilled)).toBe(reportText(await inMemoryRun(generated, 1)));
    // the spill was used, not given up for a run in memory (which gives the same report)
    expect(seen.map((o) => (o.ok ? 'ok' : 'failed'))).toEqual(['ok']);
    expect(opfs.writeRequests).toBeGreaterThan(0);
    expect(opfs.handlesOpen).toBe(0);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  // the generated extract's key records: 9,000 of 28 bytes (id, two demographics) and 9,000 of
  // 20 (city), 432 KB in all
  it('keeps the key records in memory up to the bound: no key file made, opened, written or read', async () => {
    const { outcome, opfs, seen } = await spilledRun({ memoryBytes: 1024 * 1024 });
    expect(reportText(outcome)).toBe(reportText(await inMemoryRun(generated, 1)));
    expect(seen.map((o) => (o.ok ? 'ok' : 'failed'))).toEqual(['ok']);
    expect([opfs.filesMade, opfs.handlesOpened, opfs.writeRequests, opfs.readRequests]).toEqual([0, 0, 0, 0]);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  it('past the bound writes the key set that crossed it, and reports as one in-memory pass', async () => {
    // the id key set (252 KB) goes past 200 KB and is written; the city one (180 KB) then fits
    const { outcome, opfs, seen } = await spilledRun({ memoryBytes: 200_000 });
    expect(reportText(outcome)).toBe(reportText(await inMemoryRun(generated, 1)));
    expect(seen.map((o) => (o.ok ? 'ok' : 'failed'))).toEqual(['ok']);
    expect(opfs.writtenBytes).toBe(9000 * 28);
    expect([opfs.filesMade, opfs.handlesOpened]).toEqual([1, 1]);
    expect(opfs.readRequests).toBeGreaterThan(0);
    expect(opfs.handlesOpen).toBe(0);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  it('workers write their key files in few large writes', async () => {
    // what a pass appends while its file opens is one write; then blocks are gathered
    const writes = async (writeBufferBytes?: number) => {
      const opfs = createFakeOpfs();
      const run = await startRunKeySpill(opfs.root, { run: 'r' });
      const opened = await openFileKeySpill(opfs.root, {
        run: 'r',
        count: 1,
        prefix: 'p',
        ...(writeBufferBytes ? { writeBufferBytes } : {}),
      });
      const store = opened.spill.create();
      const block = new Uint8Array(SPILL_BLOCK_RECORDS * 28);
      for (let i = 0; i < 10; i++) store.append(block);
      await store.read(0, block);
      const afterOpen = opfs.writeRequests;
      for (let i = 0; i < 300; i++) store.append(block);
      store.close();
      await opened.close();
      await run.remove();
      return { afterOpen, all: opfs.writeRequests };
    };
    // with a 1-byte buffer every block is a write of its own once the file is open
    const unbatched = await writes(1);
    expect(unbatched.all - unbatched.afterOpen).toBe(300);
    // the 10 blocks held while it opened: one write per full buffer
    expect((await writes(4 * SPILL_BLOCK_RECORDS * 28)).afterOpen).toBe(3);
    const batched = await writes();
    expect(batched.afterOpen).toBe(1);
    expect(batched.all).toBeLessThan(30);
  });

  it('storage full mid-run: the report of the in-memory run, nothing left behind', async () => {
    const expected = reportText(await inMemoryRun(generated, 2));
    const opfs = createFakeOpfs();
    // fails after a few blocks: some files' key sets are half written
    opfs.failWritesAfter = 20 * SPILL_BLOCK_RECORDS * 28;
    const seen: FileOutcome[] = [];
    const outcome = await run(generated, 2, opfs, createFakeLocks(), seen);
    expect(reportText(outcome)).toBe(expected);
    // the spill did fail: a file answered so, and the run was done again
    const failures = seen.flatMap((o) => (!o.ok && 'keySpillFailed' in o ? [o.keySpillFailed] : []));
    expect(failures).toContain('QuotaExceededError');
    expect(opfs.handlesOpen).toBe(0);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  it('no OPFS (old browser, storage turned off): the report of the in-memory run', async () => {
    const expected = reportText(await inMemoryRun(small, 2));
    let n = 0;
    const api = createValidateApi();
    const outcome = await runValidation(small, {
      filesAtOnce: 2,
      keySpill: { minBytes: 0, start: () => Promise.reject(new Error('SecurityError')) },
      runFile: (task, onProgress) => api.validateFile(`job-${n++}`, task, onProgress),
    });
    expect(reportText(outcome)).toBe(expected);
  });

  it('a worker without OPFS while the page has it: the run is done again in memory', async () => {
    const expected = reportText(await inMemoryRun(small, 2));
    const opfs = createFakeOpfs();
    let n = 0;
    // the worker's default root: none in Node
    const api = createValidateApi();
    const outcome = await runValidation(small, {
      filesAtOnce: 2,
      keySpill: { minBytes: 0, start: () => startRunKeySpill(opfs.root, { run: 'run' }) },
      runFile: (task, onProgress) => api.validateFile(`job-${n++}`, task, onProgress),
    });
    expect(reportText(outcome)).toBe(expected);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  it('inputs under the size threshold keep their key sets in memory (no OPFS touched)', async () => {
    const opfs = createFakeOpfs();
    let started = 0;
    let n = 0;
    const api = createValidateApi({ keySpillRoot: async () => opfs.root });
    await runValidation(small, {
      filesAtOnce: 2,
      keySpill: {
        minBytes: (small.inputs[0]?.file.size ?? 0) + 1,
        start: () => {
          started++;
          return startRunKeySpill(opfs.root, { run: 'run' });
        },
      },
      runFile: (task, onProgress) => api.validateFile(`job-${n++}`, task, onProgress),
    });
    expect(started).toBe(0);
    expect(opfs.paths()).toEqual([]);
  });
});

/** `file` whose reads past its first byte wait for `gate` (a pass held at its second read). */
function readsWaitingFor(file: Blob, gate: Promise<void>): Blob {
  return {
    size: file.size,
    slice: (start?: number, end?: number) => ({
      arrayBuffer: async () => {
        if ((start ?? 0) > 0) await gate;
        return file.slice(start, end).arrayBuffer();
      },
    }),
  } as Blob;
}

/** `root` whose folders call `cancel` once a file was made in them (before it is opened). */
function cancelOnFirstFile(root: SpillDirectory, cancel: () => void): SpillDirectory {
  return {
    getDirectoryHandle: async (name, options) =>
      cancelOnFirstFile(await root.getDirectoryHandle(name, options), cancel),
    async getFileHandle(name, options) {
      const file = await root.getFileHandle(name, options);
      cancel();
      return file;
    },
    removeEntry: (name, options) => root.removeEntry(name, options),
    keys: () => root.keys(),
  };
}

describe('OPFS key spill when a run is cancelled', () => {
  it('the run rejects as cancelled and its files and folder are removed once its files stop', async () => {
    const opfs = createFakeOpfs();
    const locks = createFakeLocks();
    let ids = 0;
    const controller = new AbortController();
    // cancelled once a file's key set has made its key file
    const api = createValidateApi({
      keySpillRoot: async () =>
        cancelOnFirstFile(opfs.root, () => {
          controller.abort();
          madeFile();
        }),
      newId: () => `p${ids++}`,
    });
    const files: Promise<unknown>[] = [];
    let n = 0;
    // a small file spills (at its pass's end) while a large one waits on its second read; the
    // first key file made cancels the run, and the large file's pass stops there
    let madeFile = () => {};
    const fileMade = new Promise<void>((resolve) => {
      madeFile = resolve;
    });
    type Input = ValidateRequest['inputs'][number];
    const [smallInput, largeInput] = [small.inputs[0] as Input, generated.inputs[0] as Input];
    const request: ValidateRequest = {
      ...generated,
      inputs: [
        { ...smallInput, name: 'small.csv' },
        { ...largeInput, name: 'large.csv', file: readsWaitingFor(largeInput.file, fileMade) },
      ],
    };
    const running = runValidation(request, {
      filesAtOnce: 2,
      signal: controller.signal,
      keySpill: {
        minBytes: 0,
        memoryBytes: 0,
        start: () => startRunKeySpill(opfs.root, { run: 'r', locks, retryRemoveMs: 0 }),
      },
      runFile: (task, onProgress) => {
        const id = `job-${n++}`;
        controller.signal.addEventListener('abort', () => api.cancel(id));
        const outcome = api.validateFile(id, task, onProgress);
        files.push(outcome.catch(() => {}));
        return outcome;
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'JobCancelledError' });
    await Promise.all(files);
    // the retry (0 ms here) after the files' workers let go of their key files
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(opfs.handlesOpened).toBeGreaterThan(0);
    expect(opfs.handlesOpen).toBe(0);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
    expect(locks.heldNames()).toEqual([]);
  });
});

describe('the key-record memory of a file’s pass in the browser', () => {
  it('is the core’s bound, less on a device that reports under 4 GiB', () => {
    const MiB = 1024 * 1024;
    expect([undefined, 8, 4, 2, 0.25, 0, Number.NaN].map(keyMemoryBytesFor)).toEqual([
      KEY_SPILL_MEMORY_BYTES,
      KEY_SPILL_MEMORY_BYTES,
      64 * MiB,
      32 * MiB,
      4 * MiB,
      KEY_SPILL_MEMORY_BYTES,
      KEY_SPILL_MEMORY_BYTES,
    ]);
  });
});

describe('OPFS key spill folders', () => {
  async function leftover(root: SpillDirectory, run: string): Promise<void> {
    const folder = await (
      await root.getDirectoryHandle(KEY_SPILL_FOLDER, { create: true })
    ).getDirectoryHandle(run, { create: true });
    await folder.getFileHandle('old-0.keys', { create: true });
  }

  it('a run removes folders a crashed tab left, not those of a run still going', async () => {
    const opfs = createFakeOpfs();
    const locks = createFakeLocks();
    await leftover(opfs.root, 'crashed');
    const live = await startRunKeySpill(opfs.root, { run: 'live', locks });
    const next = await startRunKeySpill(opfs.root, { run: 'next', locks });
    expect(opfs.paths().sort()).toEqual([
      `${KEY_SPILL_FOLDER}/`,
      `${KEY_SPILL_FOLDER}/live/`,
      `${KEY_SPILL_FOLDER}/next/`,
    ]);
    await live.remove();
    await next.remove();
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
    expect(locks.heldNames()).toEqual([]);
  });

  it('at app start, folders a crashed tab left are removed, not those of a run still going', async () => {
    const opfs = createFakeOpfs();
    const locks = createFakeLocks();
    await removeStaleKeySpill(opfs.root, locks);
    expect(opfs.paths()).toEqual([]);
    await leftover(opfs.root, 'crashed');
    const live = await startRunKeySpill(opfs.root, { run: 'live', locks });
    await leftover(opfs.root, 'crashed-too');
    await removeStaleKeySpill(opfs.root, locks);
    expect(opfs.paths().sort()).toEqual([`${KEY_SPILL_FOLDER}/`, `${KEY_SPILL_FOLDER}/live/`]);
    await removeStaleKeySpill(opfs.root, undefined);
    await live.remove();
  });

  it('without Web Locks other folders are left alone', async () => {
    const opfs = createFakeOpfs();
    await leftover(opfs.root, 'other');
    const run = await startRunKeySpill(opfs.root, { run: 'mine' });
    await run.remove();
    expect(opfs.paths().sort()).toEqual([
      `${KEY_SPILL_FOLDER}/`,
      `${KEY_SPILL_FOLDER}/other/`,
      `${KEY_SPILL_FOLDER}/other/old-0.keys`,
    ]);
  });

  it('a file’s spill opens a key file per store made, and once closed after its pass (finished, cancelled, failed) closes and removes them', async () => {
    const opfs = createFakeOpfs();
    const run = await startRunKeySpill(opfs.root, { run: 'r' });
    const opened = await openFileKeySpill(opfs.root, { run: 'r', count: 3, prefix: 'p' });
    expect(opfs.filesMade).toBe(0);
    const stores = [opened.spill.create(), opened.spill.create()];
    for (const store of stores) store.append(new Uint8Array(64));
    // a read waits for its file to be open
    await stores[0]?.read(0, new Uint8Array(64));
    await stores[1]?.read(0, new Uint8Array(64));
    expect([opfs.filesMade, opfs.handlesOpen]).toEqual([2, 2]);
    await opened.close();
    expect(opfs.handlesOpen).toBe(0);
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`, `${KEY_SPILL_FOLDER}/r/`]);
    await run.remove();
  });

  it('a file’s spill asks for blocks 4× the core’s: each is one read through the browser process when checked', async () => {
    const opfs = createFakeOpfs();
    const run = await startRunKeySpill(opfs.root, { run: 'r' });
    const opened = await openFileKeySpill(opfs.root, { run: 'r', count: 1, prefix: 'p' });
    expect(opened.spill.blockRecords).toBe(OPFS_BLOCK_RECORDS);
    expect(OPFS_BLOCK_RECORDS).toBe(4 * SPILL_BLOCK_RECORDS);
    await opened.close();
    await run.remove();
  });

  it("a file whose run's folder is gone (a run cancelled meanwhile) fails once it spills, and makes nothing", async () => {
    const opfs = createFakeOpfs();
    await opfs.root.getDirectoryHandle(KEY_SPILL_FOLDER, { create: true });
    const opened = await openFileKeySpill(opfs.root, { run: 'gone', count: 1, prefix: 'p' });
    const store = opened.spill.create();
    store.append(new Uint8Array(64));
    await expect(store.read(0, new Uint8Array(64))).rejects.toBeInstanceOf(KeySpillFailed);
    // and every later append fails the pass at once
    expect(() => store.append(new Uint8Array(64))).toThrow(KeySpillFailed);
    await opened.close();
    expect(opfs.paths()).toEqual([`${KEY_SPILL_FOLDER}/`]);
  });

  it('a file’s spill reads back what it appended once writing ended, whatever the write size (property; seed printed on failure)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // blocks of a few bytes to more than a write, in up to 3 key sets
        fc.array(fc.record({ set: fc.nat(2), size: fc.integer({ min: 1, max: 3000 }) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 4000 }),
        // appends up to here are held while the files open; the rest go to open files
        fc.nat(60),
        async (appends, writeBufferBytes, opensAfter) => {
          const opfs = createFakeOpfs();
          const run = await startRunKeySpill(opfs.root, { run: 'r' });
          const opened = await openFileKeySpill(opfs.root, {
            run: 'r',
            count: 3,
            prefix: 'p',
            writeBufferBytes,
          });
          const stores = [opened.spill.create(), opened.spill.create(), opened.spill.create()];
          const written: { set: number; at: number; bytes: Uint8Array }[] = [];
          let fill = 1;
          for (const [i, { set, size }] of appends.entries()) {
            // the worker's pass awaiting its next read: the files' opens complete
            if (i === opensAfter) await new Promise((resolve) => setImmediate(resolve));
            const bytes = Uint8Array.from({ length: size }, () => fill++ & 0xff);
            const at = (stores[set] as (typeof stores)[number]).append(bytes);
            written.push({ set, at, bytes });
          }
          for (const store of stores) store.close();
          // every block read back whole, in another order than written
          for (const { set, at, bytes } of [...written].reverse()) {
            const into = new Uint8Array(bytes.byteLength);
            await (stores[set] as (typeof stores)[number]).read(at, into);
            // compared as bytes: a deep equality walks up to 180 kB of elements per case
            if (!Buffer.from(into).equals(bytes)) expect(into).toEqual(bytes);
          }
          // every byte in the files once writing ended
          expect(opfs.storedBytes()).toBe(appends.reduce((n, a) => n + a.size, 0));
          await opened.close();
          await run.remove();
          expect(opfs.handlesOpen).toBe(0);
        },
      ),
      { numRuns: 120 },
    );
  });
});
