/**
 * A page's split run that stops early (validateRun.ts with the core's quote counts): a part that
 * ends without a result counts no quotes, so the split is not confirmed, and the page used to
 * pre-scan the file up to its last split point before the cancel, or the part's problem, reached
 * the caller (a 64 MiB file: 40 MiB read after the cancel with 2 parts, 56 MiB with 4). Here the
 * page reads no byte of the file once the parts stop.
 */
import { expect, it } from 'vitest';
import { JobCancelledError } from '../src/core/jobs/errors.ts';
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import { startRunKeySpill } from './opfsKeySpill.ts';
import { createFakeOpfs } from './testing/fakeOpfs.ts';
import { createValidateApi, type ValidateRequest } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' };

/** ≈ `bytes` of rows with quoted cells (the split's confirmation counts their quotes). */
function extract(bytes: number): Uint8Array<ArrayBuffer> {
  const lines = ['id,name,note'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `K${i},"Name, ${i % 977}","note ${i}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The page's `File`: counts the bytes its slices cover once `mark()` was called. */
function counted(bytes: Uint8Array<ArrayBuffer>): { file: Blob; after: () => number; mark: () => void } {
  const file = new Blob([bytes]);
  let marked = false;
  let after = 0;
  const slice = file.slice.bind(file);
  file.slice = (start?: number, end?: number, type?: string) => {
    const piece = slice(start, end, type);
    if (marked) after += piece.size;
    return piece;
  };
  return {
    file,
    after: () => after,
    mark: () => {
      marked = true;
    },
  };
}

/** A page's run of `bytes` in `parts` parts (each part reads its own copy, as a worker does). */
function run(
  bytes: Uint8Array<ArrayBuffer>,
  parts: number,
  page: ReturnType<typeof counted>,
  onPartProgress: (bytes: number) => void,
  signal?: AbortSignal,
) {
  const own = new Blob([bytes]);
  const request: ValidateRequest = {
    inputs: [{ file: page.file, name: 'patients.csv', layout: LAYOUT, keys: [] }],
    links: [],
    toolVersion: '0.0.0-test',
    chunkBytes: 256 * 1024,
  };
  const api = createValidateApi();
  let n = 0;
  return runValidation(request, {
    parts,
    minSplitBytes: 1,
    ...(signal ? { signal } : {}),
    runPart: (part, onProgress, partSignal) => {
      const id = `job-${n++}`;
      partSignal?.addEventListener('abort', () => api.cancel(id));
      return api.validatePart(id, { ...part, file: own }, (p) => {
        onPartProgress(p.bytes);
        onProgress(p);
      });
    },
  });
}

const FILE = extract(16 * 1024 * 1024);

it.each([2, 4])(
  'cancelled after the first progress (%i parts): the page reads no byte after',
  async (parts) => {
    const page = counted(FILE);
    const controller = new AbortController();
    const error = await run(
      FILE,
      parts,
      page,
      (bytes) => {
        if (bytes > 0 && !controller.signal.aborted) {
          page.mark();
          controller.abort();
        }
      },
      controller.signal,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(page.after()).toBe(0);
    expect((error as Error).name).toBe(new JobCancelledError().name);
  },
);

it('bad UTF-8 in a part past the first split point: told at once, no pre-scan on the page', async () => {
  const bytes = FILE.slice();
  // a lone continuation byte in a cell of the second of 4 parts (its start is confirmed by the
  // first part's count; the parts after it count nothing the confirmation could use)
  const at = bytes.indexOf(0x4e, Math.floor(bytes.length * 0.3)); // an "N" of "Name"
  bytes[at] = 0x80;
  const page = counted(bytes);
  page.mark();
  const outcome = await run(bytes, 4, page, () => {});
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.problem.byteOffset).toBe(at);
  // what the page read: the guesses' windows (about 1 MiB a split point) and the header, not
  // also the file up to its last split point (12 MiB)
  expect(page.after()).toBeLessThan(5 * 1024 * 1024);
});

it('a part whose key files fail: the run is done again in memory without a pre-scan on the page first', async () => {
  const page = counted(FILE);
  const own = new Blob([FILE]);
  const opfs = createFakeOpfs();
  const api = createValidateApi();
  let n = 0;
  let beforeRetry = -1;
  const outcome = await runValidation(
    {
      inputs: [{ file: page.file, name: 'patients.csv', layout: LAYOUT, keys: [{ column: 'id' }] }],
      links: [],
      toolVersion: '0.0.0-test',
      chunkBytes: 256 * 1024,
    },
    {
      parts: 4,
      minSplitBytes: 1,
      keySpill: { minBytes: 0, start: () => startRunKeySpill(opfs.root, { run: 'run' }) },
      runPart: async (part, onProgress, signal) => {
        const id = `job-${n++}`;
        if (part.keySpillRun === undefined) {
          // the retry in memory: what the page read since the failure
          if (beforeRetry < 0) beforeRetry = page.after();
          return api.validatePart(id, { ...part, file: own }, onProgress);
        }
        // the spilling attempt: the second part's storage is full at once, the others are stopped
        if ((part.range?.start ?? 0) > 0 && (part.range?.start ?? 0) < FILE.length / 2) {
          page.mark();
          return { ok: false, keySpillFailed: 'QuotaExceededError' };
        }
        signal?.addEventListener('abort', () => api.cancel(id));
        const { keySpillRun: _run, keySpillMemoryBytes: _memory, ...inMemory } = part;
        return api.validatePart(id, { ...inMemory, file: own }, onProgress);
      },
    },
  );
  expect(outcome.ok).toBe(true);
  // the retry's own guesses (about 1 MiB a split point), not also the file up to its last split
  // point (12 MiB) before the retry began
  expect(beforeRetry).toBeGreaterThanOrEqual(0);
  expect(beforeRetry).toBeLessThan(5 * 1024 * 1024);
});
