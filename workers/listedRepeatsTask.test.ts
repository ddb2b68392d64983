/**
 * The key listing's read of a range again (core readListedRepeats.ts) runs in a validator worker in
 * the browser, never on the page (workers/listedRepeatsTask.ts): through the page's pool
 * (validateClient.ts `validateInPool`, fake workers in this thread), every pass over rows is
 * counted as the page's or a worker's (workers/testing/parsingThread.ts), and the page's must stay
 * at none while the split run still lists what one pass lists. Then the worker's answers (found,
 * problem) and how the run ends on a problem or a cancel.
 */
import { describe, expect, it, vi } from 'vitest';
import { isJobCancelled } from '../src/core/jobs/errors.ts';
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import { demographicHash, keyHashes } from '../src/core/migration/keySet.ts';
import {
  CASES,
  csvText,
  DEMOGRAPHICS,
  otherName,
  otherSex,
  person,
  readAgainRows,
} from '../src/core/migration/testing/keyMergeCases.ts';
import type { ListedRepeatsTask } from './listedRepeatsTask.ts';
import { createWorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';
import { asWorker, parses, resetParses } from './testing/parsingThread.ts';
import { createValidateApi, type ValidateRequest, type ValidateWorkerApi } from './validateApi.ts';
import { validateInPool } from './validateClient.ts';
import { runValidation } from './validateRun.ts';

// every pass over rows (the engine's validateCsv) is counted by the thread it runs in
vi.mock('../src/core/migration/validateCsv.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/core/migration/validateCsv.ts')>();
  const { recordParse } = await import('./testing/parsingThread.ts');
  return {
    ...original,
    validateCsv: (...args: Parameters<typeof original.validateCsv>) => {
      recordParse();
      return original.validateCsv(...args);
    },
  };
});

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' };
const KEY = { column: 'mrn', demographics: DEMOGRAPHICS };

function request(file: Blob): ValidateRequest {
  return {
    toolVersion: '0',
    links: [],
    inputs: [{ file, name: 'patients.csv', layout: LAYOUT, keys: [KEY] }],
  };
}

/** A pool of `size` fake validator workers whose API calls run as a worker's, counted by method. */
function pool(size: number, api: () => ValidateWorkerApi = createValidateApi) {
  const calls = new Map<string, number>();
  const workers = createWorkerPool<ValidateWorkerApi>({
    name: 'validate',
    size,
    create: () => new FakeWorker(asWorker(api(), calls)),
  });
  return { workers, calls };
}

/** Over 4 MiB: the pool splits it in two near the middle, inside the U run (kit `readAgainRows`). */
const bigRows = readAgainRows(100_000, 60_000);

describe('the page’s split run reads a range again for listed keys in a worker, not on the page', () => {
  const file = new Blob([csvText(bigRows)]);

  it('lists what one pass lists, and every pass over rows runs in a validator worker', async () => {
    expect(file.size).toBeGreaterThan(4 * 1024 * 1024);
    const one = pool(1);
    const two = pool(2);
    const whole = await validateInPool(one.workers, request(file));
    resetParses();
    const split = await validateInPool(two.workers, request(file));
    if (!whole.ok || !split.ok) throw new Error('expected reports');
    expect(split.report.crossFile).toEqual(whole.report.crossFile);
    expect(split.report.crossFile.duplicateTotals?.[0]).toMatchObject({ keys: 2100, conflictingKeys: 25 });
    // two ranges and the second one's read again: each by a worker, none by the page
    expect(parses).toEqual({ page: 0, worker: 3 });
    expect(two.calls.get('readListedRepeats')).toBe(1);
    one.workers.destroy();
    two.workers.destroy();
  });

  it('sends the worker each key set’s columns and wanted hashes only, never the set’s state', async () => {
    const sent: ListedRepeatsTask[] = [];
    const two = pool(2, () => {
      const api = createValidateApi();
      return {
        ...api,
        readListedRepeats: (id, task, onProgress) => {
          sent.push(task);
          return api.readListedRepeats(id, task, onProgress);
        },
      };
    });
    const split = await validateInPool(two.workers, request(file));
    expect(split.ok).toBe(true);
    expect(sent).toHaveLength(1);
    // the page's key set state (chunks, listed key texts: record content) stays on the page
    for (const { key } of sent[0]?.keys ?? [])
      expect(Object.keys(key).sort()).toEqual(['column', 'demographics']);
    expect(sent[0]?.keys.map((k) => k.key)).toEqual([KEY]);
    two.workers.destroy();
  });

  it.each([
    // reads of 256 KiB: the range read again is several reads, the cancel lands between two
    { reads: '256 KiB', chunkBytes: 256 * 1024 },
    // the browser's 4 MiB reads: the range (≈ 2.5 MiB) is one read, the cancel lands between two
    // of its decode slices (validateCsv.ts)
    { reads: '4 MiB', chunkBytes: undefined },
  ])(
    'cancelling while a range is read again ($reads reads) cancels the run, and the pool takes the next',
    async ({ chunkBytes }) => {
      const controller = new AbortController();
      // the worker's own answer: the pool rejects a cancelled job whatever the worker does, so the
      // read itself must be seen to stop on the cancel (not run to its end)
      let workerOutcome: Promise<string> | undefined;
      const two = pool(2, () => {
        const api = createValidateApi();
        return {
          ...api,
          readListedRepeats: (...args: Parameters<typeof api.readListedRepeats>) => {
            controller.abort();
            const read = api.readListedRepeats(...args);
            workerOutcome = read.then(
              () => 'finished',
              (e: unknown) => (isJobCancelled(e) ? 'cancelled' : 'failed'),
            );
            return read;
          },
        };
      });
      const chunked = chunkBytes ? { ...request(file), chunkBytes } : request(file);
      const error = await validateInPool(two.workers, chunked, { signal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isJobCancelled(error)).toBe(true);
      expect(await workerOutcome).toBe('cancelled');
      const next = await validateInPool(
        two.workers,
        request(new Blob(['mrn,name,birth_date,sex\nA1,x,y,F\n'])),
      );
      expect(next.ok).toBe(true);
      two.workers.destroy();
    },
  );
});

/** A file that can no longer be read (moved or deleted since it was chosen), of `size` bytes. */
function goneFile(size: number): Blob {
  const gone = () => Promise.reject(new DOMException('The file was moved.', 'NotFoundError'));
  return { size, slice: () => ({ arrayBuffer: gone }) } as unknown as Blob;
}

describe('the worker’s answer for a range read again', () => {
  // A1 three times: the same person, then another sex, then another name
  const rows = [person('A1', 1), person('B2', 2), otherSex(person('A1', 1)), otherName(person('A1', 1))];
  const file = new Blob([csvText(rows)]);
  const first = person('A1', 1);
  const wanted = {
    hashA: Uint32Array.of(keyHashes('A1')[0]),
    hashB: Uint32Array.of(keyHashes('A1')[1]),
    demographicCount: 3,
    demographics: Uint32Array.from([first.name, first.birthDate, first.sex].map(demographicHash)),
  };
  const task: ListedRepeatsTask = {
    file,
    name: 'patients.csv',
    layout: LAYOUT,
    keys: [{ key: KEY, wanted }],
  };
  const cases = [
    {
      description: 'the key’s count, rows and the columns differing from its first record',
      task,
      expected: { ok: true, found: [{ counts: [3], rows: [[1, 3, 4]], conflicting: [[2, 0]] }] },
    },
    {
      description: 'a file that cannot be read any more: a problem naming the file, with what to do',
      task: { ...task, file: goneFile(file.size) },
      expected: {
        ok: false,
        problem: expect.objectContaining({
          file: 'patients.csv',
          message: 'Preflight could not read patients.csv, byte 0.',
          advice: expect.stringMatching(/Choose it again/),
        }),
      },
    },
    {
      description: 'a key column the file lacks: a problem naming the column',
      task: { ...task, keys: [{ key: { column: 'nope', demographics: [] }, wanted }] },
      expected: {
        ok: false,
        problem: expect.objectContaining({ message: 'patients.csv has no column "nope" (chosen as a key).' }),
      },
    },
  ];
  for (const { description, task: given, expected } of cases)
    it(description, async () => {
      const progress: number[] = [];
      const outcome = await createValidateApi().readListedRepeats('job', given, (p) =>
        progress.push(p.bytes),
      );
      expect(outcome).toEqual(expected);
      if (outcome.ok) expect(progress.at(-1)).toBe(file.size);
    });

  it('a problem while a range is read again ends the run with it (as a part’s problem)', async () => {
    const theCase = CASES.find((c) => c.readAgain > 0) as (typeof CASES)[number];
    const api = createValidateApi();
    let n = 0;
    const outcome = await runValidation(request(new Blob([csvText(theCase.rows)])), {
      parts: theCase.parts,
      minSplitBytes: 1,
      runPart: (part, onProgress) => api.validatePart(`part-${n++}`, part, onProgress),
      readRepeats: (read) =>
        api.readListedRepeats('again', { ...read, file: goneFile(read.file.size) }, () => {}),
    });
    expect(outcome).toEqual({
      ok: false,
      problem: expect.objectContaining({
        file: 'patients.csv',
        message: expect.stringMatching(/could not read/),
      }),
    });
  });
});
