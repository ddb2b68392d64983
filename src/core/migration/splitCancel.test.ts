/**
 * A split run that stops early (splitMerge.ts `createParallelRunner` with `countsQuotes`): a cancel
 * or a failed range used to leave the split unconfirmed (a failed range counts no quotes), and the
 * runner then pre-scanned the input up to its last boundary before telling the caller. Here: a
 * cancel reads nothing more, a failed range whose start is confirmed is told without a pre-scan,
 * one after an unconfirmed boundary still waits for the pre-scan (its error may be the split's
 * artefact), the pre-scan stops at its next chunk once cancelled, and a non-ASCII quote is not
 * split at all.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import type { CsvLayout } from './csvLayout.ts';
import {
  canSplit,
  countRangeQuotes,
  createParallelRunner,
  type RangeRunner,
  SPLIT_SCAN_CHUNK_BYTES,
  splitRanges,
} from './splitMerge.ts';
import { type CsvSource, type ValidateCsvOptions, validateCsv } from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' };

/** A well-formed extract of about `bytes` bytes, every record with a quoted cell. */
function extract(bytes: number): Uint8Array {
  const lines = ['id,name,note'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `K${i},"Name, ${i % 977}",note ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return encode(`${lines.join('\n')}\n`);
}

/** The runner's source, counting the bytes read once `mark()` was called. */
function countedSource(bytes: Uint8Array): CsvSource & { after(): number; mark(): void } {
  const inner = memorySource('t.csv', bytes);
  let marked = false;
  let after = 0;
  return {
    ...inner,
    read: (offset, length) => {
      if (marked) after += Math.min(length, bytes.length - offset);
      return inner.read(offset, length);
    },
    after: () => after,
    mark: () => {
      marked = true;
    },
  };
}

/** Validates a range on a source of its own (a worker's), counting its quotes as the browser's parts do. */
function rangeRunner(bytes: Uint8Array, fail?: (range: { start: number }) => unknown): RangeRunner {
  return async (_source, o, _lane, quotesTo) => {
    const start = o.range?.start ?? 0;
    const failure = fail?.({ start });
    if (failure !== undefined) throw failure;
    const own = memorySource('t.csv', bytes);
    if (quotesTo === undefined || !o.range) return validateCsv(own, o);
    const counter = countRangeQuotes(own.read, o.range.start, quotesTo, o.layout);
    const result = await validateCsv({ ...own, read: counter.read }, o);
    return Object.assign(result, { rangeQuotes: counter.count() });
  };
}

const runnerOptions = { readsWhileRunning: true, countsQuotes: true };

describe('a split run that stops early does not pre-scan the input', () => {
  const bytes = extract(3 * SPLIT_SCAN_CHUNK_BYTES);

  it.each([2, 4])(
    'cancelled during its ranges (%i parts): rejects as cancelled, reads no byte after',
    async (parts) => {
      const source = countedSource(bytes);
      const controller = new AbortController();
      const runner = createParallelRunner(
        parts,
        async (_source, o) => {
          // each range sees the cancel (the first one causes it) and stops, as a worker's part does
          if (!controller.signal.aborted) {
            source.mark();
            controller.abort();
          }
          expect(o.signal?.aborted).toBe(true);
          throw new JobCancelledError();
        },
        0,
        runnerOptions,
      );
      await expect(runner(source, { layout: LAYOUT, signal: controller.signal })).rejects.toBeInstanceOf(
        JobCancelledError,
      );
      expect(source.after()).toBe(0);
    },
  );

  it('a range that failed, its start confirmed: its error is told at once, no byte read after', async () => {
    // the middle one of 3: the boundary after it is not confirmed (it counted nothing), the one
    // before it is (the first range's count); the last range's count confirms nothing anyway
    const source = countedSource(bytes);
    const problem = new Error('bad text in the second range');
    let failedStart = -1;
    const runner = createParallelRunner(
      3,
      rangeRunner(bytes, (range) => {
        if (range.start === 0 || range.start > bytes.length / 2) return undefined;
        failedStart = range.start;
        source.mark();
        return problem;
      }),
      0,
      runnerOptions,
    );
    await expect(runner(source, { layout: LAYOUT })).rejects.toBe(problem);
    expect(failedStart).toBeGreaterThan(0);
    expect(source.after()).toBe(0);
  });

  it('a range that failed after a boundary the counts do not confirm: the pre-scan decides, as before', async () => {
    // the first range's count is withheld (as a range that failed leaves it): the second range's
    // start is not confirmed, and its error may come from starting inside a quoted cell
    const source = countedSource(bytes);
    const problem = new Error('a record too long in the second range');
    const counted = rangeRunner(bytes);
    const runner = createParallelRunner(
      2,
      async (s, o, lane, quotesTo) => {
        if ((o.range?.start ?? 0) > 0) {
          source.mark();
          throw problem;
        }
        const result = await counted(s, o, lane, quotesTo);
        return Object.assign(result, { rangeQuotes: undefined });
      },
      0,
      runnerOptions,
    );
    await expect(runner(source, { layout: LAYOUT })).rejects.toBe(problem);
    // the pre-scan read the input up to the boundary, half of it
    expect(source.after()).toBeGreaterThanOrEqual(bytes.length / 2);
  });

  it('the same runner with nothing stopped: the counts confirm the split, same result as one pass', async () => {
    const source = countedSource(bytes);
    const options: ValidateCsvOptions = { layout: LAYOUT, keys: [{ column: 'id', demographics: [] }] };
    const split = await createParallelRunner(2, rangeRunner(bytes), 0, runnerOptions)(source, options);
    const whole = await validateCsv(memorySource('t.csv', bytes), options);
    expect(split.records).toBe(whole.records);
    expect(split.keys[0]?.state.size).toBe(whole.keys[0]?.state.size);
  });
});

describe('splitRanges: stops at its next chunk once cancelled', () => {
  it('reads one chunk, then rejects as cancelled', async () => {
    const bytes = extract(3 * SPLIT_SCAN_CHUNK_BYTES);
    const controller = new AbortController();
    const inner = memorySource('t.csv', bytes);
    let reads = 0;
    const read = async (offset: number, length: number) => {
      reads++;
      controller.abort();
      return inner.read(offset, length);
    };
    await expect(splitRanges(read, bytes.length, 4, LAYOUT, controller.signal)).rejects.toBeInstanceOf(
      JobCancelledError,
    );
    expect(reads).toBe(1);
  });
});

describe('canSplit: only an ASCII quote is one byte no other character holds', () => {
  it.each([
    { quote: '"', encoding: 'utf-8', split: true },
    { quote: "'", encoding: 'windows-1252', split: true },
    // « is U+00AB: in UTF-8 its code is a byte of ë (C3 AB), in Windows-1252 it is one byte
    { quote: '«', encoding: 'utf-8', split: false },
    { quote: '«', encoding: 'windows-1252', split: false },
    // „ is U+201E: byte 0x84 in Windows-1252, its code matches no byte
    { quote: '„', encoding: 'windows-1252', split: false },
    { quote: '"', encoding: 'utf-16le', split: false },
  ] as const)('quote $quote in $encoding: split $split', ({ quote, encoding, split }) => {
    expect(canSplit({ ...LAYOUT, quote, encoding })).toBe(split);
  });

  it('a UTF-8 file quoted with « runs as one range, as one pass reads it', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `K${i},«Zoë, ${i}»,x`);
    const bytes = encode(`id,name,note\n${rows.join('\n')}\n`);
    const layout: CsvLayout = { ...LAYOUT, quote: '«' };
    const ranges: unknown[] = [];
    const runner = createParallelRunner(
      2,
      async (source, o) => {
        ranges.push(o.range);
        return validateCsv(source, o);
      },
      0,
      runnerOptions,
    );
    await runner(memorySource('t.csv', bytes), { layout });
    expect(ranges).toEqual([undefined]);
  });
});
