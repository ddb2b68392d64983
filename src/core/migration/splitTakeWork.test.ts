/**
 * More ranges than threads, taken in turn (splitMerge.ts `workTakingTargets`, the runner's
 * `takeWork`): equal ranges, 2 per thread, a lane runs one range at a time and takes
 * the next when done, and whatever the lanes' speeds, the other thread's pre-scan or the guesses,
 * the merged result equals one pass over the whole input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import { createMemoryKeySpill } from './keySpill.ts';
import { compilePlan } from './plan/compilePlan.ts';
import {
  countRangeQuotes,
  createParallelRunner,
  guessRanges,
  type PreScanHelper,
  RANGES_PER_THREAD,
  type Range,
  splitRanges,
  workTakingTargets,
} from './splitMerge.ts';
import { comparable, SPLIT_CONTRACT, splitCsvText } from './testing/splitRuns.ts';
import { type ValidateCsvOptions, validateCsv } from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('workTakingTargets: where the ranges of a work-taking split aim', () => {
  it.each([
    { size: 1000, threads: 1, expected: [] },
    { size: 0, threads: 2, expected: [] },
    { size: 1_000_000, threads: 2, expected: [250000, 500000, 750000] },
    { size: 1001, threads: 3, expected: [166, 333, 500, 667, 834] },
    // a tiny input: fewer ranges, none empty
    { size: 3, threads: 2, expected: [1, 2] },
  ])('$size bytes, $threads threads', ({ size, threads, expected }) => {
    expect(workTakingTargets(size, threads)).toEqual(expected);
  });

  it('aims at increasing offsets inside the input: 2 equal shares per thread (rounding aside)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 2, max: 64 }), (size, threads) => {
        const targets = workTakingTargets(size, threads);
        const cuts = [0, ...targets, size];
        const shares = cuts.slice(1).map((cut, j) => cut - (cuts[j] as number));
        for (const [j, target] of targets.entries())
          expect(target > (j === 0 ? 0 : (targets[j - 1] as number)) && target < size).toBe(true);
        for (const share of shares) expect(share).toBeGreaterThan(0);
        expect(shares.length).toBeLessThanOrEqual(RANGES_PER_THREAD * threads);
        if (size >= RANGES_PER_THREAD * threads) {
          expect(shares.length).toBe(RANGES_PER_THREAD * threads);
          const even = size / shares.length;
          for (const share of shares) expect(Math.abs(share - even)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Generated CSV texts, up to 40 rows (the kit's, shared with the other split tests). */
const csvText = splitCsvText(40);

type Behaviour = 'answers' | 'not begun' | 'fails' | 'none';

/** The other thread's pre-scan: answers, has not begun it when this thread asks, fails, or cannot take it. */
function preScanHelper(bytes: Uint8Array, behaviour: Behaviour): PreScanHelper {
  return (_source, plan, layout) =>
    behaviour === 'none'
      ? undefined
      : {
          ranges:
            behaviour === 'fails'
              ? Promise.reject(new Error('the worker stopped'))
              : splitRanges(memorySource('t.csv', bytes).read, bytes.length, plan, layout),
          cancel: () => behaviour === 'not begun',
        };
}

/** What the lanes did: ranges each validated, and whether one ever ran two at once. */
interface LaneLog {
  byLane: Map<number, Range[]>;
  overlapped: boolean;
}

/**
 * A range runner as the CLI's: lane 0 reads through the caller's source (one reused buffer), the
 * other lanes through sources of their own, counting quotes when asked (`quotesTo`); `gate` may
 * hold a lane's range back.
 */
function laneRunner(bytes: Uint8Array, log: LaneLog, gate?: (lane: number, range: Range) => Promise<void>) {
  const busy = new Set<number>();
  return async (
    source: Parameters<typeof validateCsv>[0],
    o: ValidateCsvOptions,
    lane?: number,
    quotesTo?: number,
  ) => {
    const l = lane ?? 0;
    const range = o.range ? { start: o.range.start, end: o.range.end } : { start: 0, end: bytes.length };
    if (busy.has(l)) log.overlapped = true;
    busy.add(l);
    try {
      await gate?.(l, range);
      const ranges = log.byLane.get(l) ?? [];
      ranges.push(range);
      log.byLane.set(l, ranges);
      const own = l === 0 ? source : memorySource('t.csv', bytes);
      if (quotesTo === undefined || !o.range) return await validateCsv(own, o);
      const counter = countRangeQuotes(own.read, o.range.start, quotesTo, o.layout);
      const result = await validateCsv({ ...own, read: counter.read }, o);
      return Object.assign(result, { rangeQuotes: counter.count() });
    } finally {
      busy.delete(l);
    }
  };
}

describe('countRangeQuotes: the quote bytes a range reads before a point', () => {
  const bytes = encode('a,"b""c",d\n"e",f\n');
  const layout = sniffCsvLayout(bytes);
  const read = memorySource('t.csv', bytes).read;
  // quotes at bytes 2, 4, 5, 7, 11 and 13 of 17
  it.each([
    { description: 'read in one chunk', start: 0, until: 12, reads: [[0, 17]], count: 5 },
    {
      description: 'read in small chunks',
      start: 0,
      until: 17,
      reads: [
        [0, 3],
        [3, 3],
        [6, 5],
        [11, 6],
      ],
      count: 6,
    },
    {
      description: 'from a range start, re-reading a byte before it',
      start: 4,
      until: 16,
      reads: [
        [3, 6],
        [9, 8],
      ],
      count: 5,
    },
    { description: 'an empty span', start: 5, until: 5, reads: [], count: 0 },
    {
      description: 'a read beyond a gap',
      start: 0,
      until: 17,
      reads: [
        [0, 3],
        [5, 12],
      ],
      count: undefined,
    },
    { description: 'not read up to the point', start: 0, until: 17, reads: [[0, 10]], count: undefined },
  ])('$description', async ({ start, until, reads, count }) => {
    const counter = countRangeQuotes(read, start, until, layout);
    for (const [offset, length] of reads) {
      // what the reader gets is what was read, unchanged
      const got = await counter.read(offset as number, length as number);
      expect([...got]).toEqual([
        ...bytes.subarray(offset as number, (offset as number) + (length as number)),
      ]);
    }
    expect(counter.count()).toBe(count);
  });
});

describe('ranges taken in turn', () => {
  it('merge to one pass for any split, thread count, pre-scan helper and spilled or in-memory keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        fc.constantFrom<Behaviour>('answers', 'not begun', 'fails', 'none'),
        fc.boolean(),
        async (text, threads, readsWhileRunning, behaviour, spill) => {
          const bytes = encode(text);
          const layout = sniffCsvLayout(bytes);
          const options: ValidateCsvOptions = {
            layout,
            plan: compilePlan(SPLIT_CONTRACT),
            keys: [{ column: 'a', demographics: ['b'] }],
            chunkBytes: 16,
          };
          const whole = await validateCsv(memorySource('t.csv', bytes), options);
          const log: LaneLog = { byLane: new Map(), overlapped: false };
          const result = await createParallelRunner(threads, laneRunner(bytes, log), 0, {
            takeWork: true,
            readsWhileRunning,
            preScanHelper: preScanHelper(bytes, behaviour),
          })(
            memorySource('t.csv', bytes),
            spill ? { ...options, keySpill: createMemoryKeySpill() } : options,
          );
          expect(comparable(result)).toEqual(comparable(whole));
          expect(log.overlapped).toBe(false);
          expect([...log.byLane.keys()].every((lane) => lane >= 0 && lane < threads)).toBe(true);
          // every range of the pre-scan's split was validated (the merge used those)
          const split = await splitRanges(
            memorySource('t.csv', bytes).read,
            bytes.length,
            workTakingTargets(bytes.length, threads),
            layout,
          );
          const validated = [...log.byLane.values()].flat();
          if (split.length > 1) for (const range of split) expect(validated).toContainEqual(range);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("confirm the split from the ranges' quote counts as the pre-scan would, for any text (stray quotes too)", async () => {
    // a stray quote inside an unquoted cell turns the quote parity: the guess is wrong there
    const anyText = fc
      .tuple(csvText, fc.nat(), fc.boolean())
      .map(([text, at, stray]) =>
        stray ? `${text.slice(0, at % text.length)}"${text.slice(at % text.length)}` : text,
      );
    await fc.assert(
      fc.asyncProperty(anyText, fc.integer({ min: 2, max: 4 }), async (text, threads) => {
        const bytes = encode(text);
        const layout = sniffCsvLayout(bytes);
        const options: ValidateCsvOptions = {
          layout,
          plan: compilePlan(SPLIT_CONTRACT),
          keys: [{ column: 'a', demographics: ['b'] }],
          chunkBytes: 16,
        };
        const runs = [];
        for (const countsQuotes of [false, true]) {
          const log: LaneLog = { byLane: new Map(), overlapped: false };
          // a text whose stray quote breaks the header fails (the key column is missing): alike in both
          const result = await createParallelRunner(threads, laneRunner(bytes, log), 0, {
            takeWork: true,
            countsQuotes,
          })(memorySource('t.csv', bytes), options).then(comparable, (error: unknown) => String(error));
          runs.push({ result, validated: [...log.byLane.values()].flat() });
        }
        const [scanned, counted] = runs as [(typeof runs)[0], (typeof runs)[0]];
        expect(counted.result).toEqual(scanned.result);
        // the merge used the pre-scan's ranges: each was validated (a wrong guess is caught). A run
        // that failed in a range whose start the counts confirm (a stray quote breaking the header)
        // ends with that error at once, without a pre-scan: the same error, compared above
        if (typeof counted.result === 'string') return;
        const split = await splitRanges(
          memorySource('t.csv', bytes).read,
          bytes.length,
          workTakingTargets(bytes.length, threads),
          layout,
        );
        if (split.length > 1) for (const range of split) expect(counted.validated).toContainEqual(range);
      }),
      { numRuns: 300 },
    );
  });

  it('a stray quote that misleads the guess: the counts do not confirm it, the pre-scan splits, same result', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => (i === 10 ? `${i},O"Brien,` : `K${i},n${i},`));
    const bytes = encode(`a,b,c\n${rows.join('\n')}\n`);
    const layout = sniffCsvLayout(bytes);
    const options: ValidateCsvOptions = { layout, keys: [{ column: 'a', demographics: [] }] };
    const targets = workTakingTargets(bytes.length, 2);
    const read = memorySource('t.csv', bytes).read;
    const split = await splitRanges(read, bytes.length, targets, layout);
    const guessed = await guessRanges(read, bytes.length, targets, layout);
    expect(guessed).not.toEqual(split);
    const log: LaneLog = { byLane: new Map(), overlapped: false };
    const result = await createParallelRunner(2, laneRunner(bytes, log), 0, {
      takeWork: true,
      countsQuotes: true,
    })(memorySource('t.csv', bytes), options);
    const validated = [...log.byLane.values()].flat();
    for (const range of split) expect(validated).toContainEqual(range);
    expect(validated.length).toBeGreaterThan(guessed.length);
    const whole = await validateCsv(memorySource('t.csv', bytes), options);
    expect(comparable(result)).toEqual(comparable(whole));
  });

  it('let a thread that is done take the next range: a held-up lane runs one range, the other the rest', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => `K${i % 450},"line\nbreak ${i}",${i}`);
    const bytes = encode(`a,b,c\n${rows.join('\n')}\n`);
    const options: ValidateCsvOptions = {
      layout: sniffCsvLayout(bytes),
      plan: compilePlan(SPLIT_CONTRACT),
      keys: [{ column: 'a', demographics: ['b'] }],
    };
    const whole = await validateCsv(memorySource('t.csv', bytes), options);
    const split = await splitRanges(
      memorySource('t.csv', bytes).read,
      bytes.length,
      workTakingTargets(bytes.length, 2),
      options.layout,
    );
    expect(split.length).toBe(4);
    // lane 1's first range waits until lane 0 has validated every other range
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log: LaneLog = { byLane: new Map(), overlapped: false };
    const gate = async (lane: number) => {
      if (lane === 1) await held;
      else if ((log.byLane.get(0)?.length ?? 0) === split.length - 2) release();
    };
    const result = await createParallelRunner(2, laneRunner(bytes, log, gate), 0, {
      takeWork: true,
      preScanHelper: preScanHelper(bytes, 'answers'),
    })(memorySource('t.csv', bytes), options);
    expect(comparable(result)).toEqual(comparable(whole));
    expect(log.byLane.get(1)).toEqual([split[1]]);
    expect(log.byLane.get(0)).toEqual(split.filter((_, j) => j !== 1));
    expect(comparable(result).keys[0]?.duplicates.length).toBeGreaterThan(0);
  });
  it('end with the error of a range whose runner throws before it returns a promise, once every lane has ended', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `K${i},v${i}`);
    const bytes = encode(`a,b\n${rows.join('\n')}\n`);
    const layout = sniffCsvLayout(bytes);
    const running = new Set<number>();
    const runner = createParallelRunner(
      2,
      (source, rangeOptions) => {
        const start = rangeOptions.range?.start ?? 0;
        if (start > 0) throw new Error('this lane cannot start');
        running.add(start);
        // the first range still runs when the other lane fails (a worker busy with it)
        return new Promise((resolve) => setTimeout(resolve, 20))
          .then(() => validateCsv(source, rangeOptions))
          .finally(() => running.delete(start));
      },
      0,
      { takeWork: true },
    );
    const error = await runner(memorySource('t.csv', bytes), { layout }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('this lane cannot start');
    expect(running.size).toBe(0);
  });
});

/**
 * A quote kept as text in an unquoted cell (`O"Brien`: one pass reads it as text, with no issue)
 * turns the quote parity that the split and its confirmation count: a later cut can land inside a
 * quoted cell with a line break. The range before that cut then ends inside a quoted cell, and the
 * runner validates the input again as one range — the report is one pass's.
 */
describe('a split of a file with a quote kept as text in an unquoted cell', () => {
  /** 400 records whose second cell is quoted over two lines, but for record `strayAt`'s `O"Brien`. */
  function strayQuoteFile(strayAt: number | undefined): Uint8Array {
    const rows = Array.from({ length: 400 }, (_, i) =>
      i === strayAt ? `K${i},O"Brien,x` : `K${i},"line\nbreak ${i}",${i}`,
    );
    return encode(`a,b,c\n${rows.join('\n')}\n`);
  }
  const cases = [2, 3, 4].flatMap((parts) =>
    [false, true].flatMap((countsQuotes) =>
      [10, 390, undefined].map((strayAt) => ({ parts, countsQuotes, strayAt })),
    ),
  );
  it.each(cases)(
    '$parts parts, quotes counted by the ranges: $countsQuotes, stray quote in record $strayAt: one pass’s report',
    async ({ parts, countsQuotes, strayAt }) => {
      const bytes = strayQuoteFile(strayAt);
      const layout = sniffCsvLayout(bytes);
      const options: ValidateCsvOptions = { layout, keys: [{ column: 'a', demographics: [] }] };
      const whole = await validateCsv(memorySource('t.csv', bytes), options);
      expect(whole.records).toBe(400);
      expect(whole.issues).toEqual([]);
      const log: LaneLog = { byLane: new Map(), overlapped: false };
      const runner = createParallelRunner(parts, laneRunner(bytes, log), 0, { countsQuotes });
      const split = await runner(memorySource('t.csv', bytes), options);
      expect(comparable(split)).toEqual(comparable(whole));
    },
  );
});
