/**
 * Ranges start at guessed boundaries before the pre-scan ends (splitMerge.ts `guessRanges`,
 * `createParallelRunner`): whatever the guess, the merged result equals one pass over the whole
 * input — for quoted line breaks straddling the split points, LF, CRLF and CR-only records, and
 * malformed quotes that mislead the guess — and a well-formed file's guess is the pre-scan's split,
 * so no range is validated twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import { compilePlan } from './plan/compilePlan.ts';
import {
  createParallelRunner,
  guessRanges,
  type PreScanHelper,
  type Range,
  splitRanges,
} from './splitMerge.ts';
import { comparable, SPLIT_CONTRACT, splitCsvText } from './testing/splitRuns.ts';
import { type ValidateCsvOptions, validateCsv } from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** Generated CSV texts, up to 30 rows (the kit's, shared with the other split tests). */
const csvText = splitCsvText(30);

/** Runs the parallel runner, each range with its own reader; returns the result and the ranges validated. */
async function runParallel(
  bytes: Uint8Array,
  parts: number,
  options: ValidateCsvOptions,
  readsWhileRunning: boolean,
) {
  const validated: Range[] = [];
  const result = await createParallelRunner(
    parts,
    (_, o) => {
      validated.push(o.range ? { start: o.range.start, end: o.range.end } : { start: 0, end: bytes.length });
      return validateCsv(memorySource('t.csv', bytes), o);
    },
    0,
    { readsWhileRunning },
  )(memorySource('t.csv', bytes), options);
  return { result, validated };
}

describe('ranges started at guessed boundaries', () => {
  it('merge to one pass, for any split, line ending and quoted line breaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        async (text, parts, readsWhileRunning) => {
          const bytes = encode(text);
          const layout = sniffCsvLayout(bytes);
          const options: ValidateCsvOptions = {
            layout,
            plan: compilePlan(SPLIT_CONTRACT),
            keys: [{ column: 'a', demographics: ['b'] }],
            chunkBytes: 16,
          };
          const whole = await validateCsv(memorySource('t.csv', bytes), options);
          const { result, validated } = await runParallel(bytes, parts, options, readsWhileRunning);
          expect(comparable(result)).toEqual(comparable(whole));
          // every range of the pre-scan's split was validated (the merge used those)
          const split = await splitRanges(memorySource('t.csv', bytes).read, bytes.length, parts, layout);
          if (split.length > 1) for (const range of split) expect(validated).toContainEqual(range);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a well-formed file's guess is the pre-scan's split: each range validated once", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 2, max: 6 }), async (text, parts) => {
        const bytes = encode(text);
        const layout = sniffCsvLayout(bytes);
        const read = memorySource('t.csv', bytes).read;
        const guessed = await guessRanges(read, bytes.length, parts, layout);
        const split = await splitRanges(read, bytes.length, parts, layout);
        // a split point inside a quoted cell with no telling quote after it (a cell such as
        // "x," closing the file) cannot be guessed; every other one is
        const telling = /[^,\r\n"]"(,|\r|\n|$)|(^|,|\r|\n)"[^,\r\n"]/;
        const lastCut = split[split.length - 1]?.start ?? 0;
        if (telling.test(text.slice(lastCut))) expect(guessed).toEqual(split);
      }),
      { numRuns: 300 },
    );
  });

  const rows = (n: number, row: (i: number) => string, newline = '\n') =>
    `id,name,notes${newline}${Array.from({ length: n }, (_, i) => row(i)).join(newline)}${newline}`;
  it.each([
    {
      description: 'a split point inside a quoted CRLF (the bench file)',
      text: rows(400, (i) => `${i},n${i},"moved\r\nnew address on file"`, '\r\n'),
      parts: 2,
    },
    {
      description: 'split points inside quoted LFs, CR-only records',
      text: rows(300, (i) => `${i},"a\nb\nc\nd","x"`, '\r'),
      parts: 5,
    },
    { description: 'no quoted cell', text: rows(500, (i) => `${i},plain,`), parts: 3 },
    {
      description: 'one record longer than a share',
      text: rows(20, (i) => (i === 3 ? `${i},"${'long\n'.repeat(500)}end",` : `${i},p,`)),
      parts: 4,
    },
  ])('$description: guessed as the pre-scan splits, each range validated once', async ({ text, parts }) => {
    const bytes = encode(text);
    const layout = sniffCsvLayout(bytes);
    const read = memorySource('t.csv', bytes).read;
    const split = await splitRanges(read, bytes.length, parts, layout);
    expect(await guessRanges(read, bytes.length, parts, layout)).toEqual(split);
    const options: ValidateCsvOptions = { layout, keys: [{ column: 'id', demographics: [] }] };
    const { result, validated } = await runParallel(bytes, parts, options, false);
    expect(validated).toEqual(split);
    expect(comparable(result)).toEqual(comparable(await validateCsv(memorySource('t.csv', bytes), options)));
  });

  it('a stray quote that misleads the guess: the misjudged ranges are validated again, same result', async () => {
    // the stray quote before the split point turns the pre-scan's parity; the guess looks ahead only
    const text = rows(400, (i) => (i === 10 ? `${i},O"Brien,` : `${i},n${i},`));
    const bytes = encode(text);
    const layout = sniffCsvLayout(bytes);
    const read = memorySource('t.csv', bytes).read;
    const split = await splitRanges(read, bytes.length, 2, layout);
    const guessed = await guessRanges(read, bytes.length, 2, layout);
    expect(guessed).not.toEqual(split);
    const options: ValidateCsvOptions = { layout, keys: [{ column: 'id', demographics: [] }] };
    for (const readsWhileRunning of [false, true]) {
      const { result, validated } = await runParallel(bytes, 2, options, readsWhileRunning);
      expect(validated.length).toBeGreaterThan(guessed.length);
      expect(comparable(result)).toEqual(
        comparable(await validateCsv(memorySource('t.csv', bytes), options)),
      );
    }
  });
});

describe('the pre-scan run by another thread', () => {
  /** How the other thread behaves: answers, is still busy when this thread's range ends, fails, or cannot take it. */
  type Behaviour = 'answers' | 'not begun' | 'fails' | 'none';
  function helper(bytes: Uint8Array, behaviour: Behaviour, used: Behaviour[]): PreScanHelper {
    return (_source, parts, layout) => {
      if (behaviour === 'none') return undefined;
      return {
        ranges:
          behaviour === 'fails'
            ? Promise.reject(new Error('the worker stopped'))
            : splitRanges(memorySource('t.csv', bytes).read, bytes.length, parts, layout),
        cancel: () => {
          used.push(behaviour);
          return behaviour === 'not begun';
        },
      };
    };
  }

  it('merges to one pass whatever the other thread does', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom<Behaviour>('answers', 'not begun', 'fails', 'none'),
        async (text, parts, behaviour) => {
          const bytes = encode(text);
          const options: ValidateCsvOptions = {
            layout: sniffCsvLayout(bytes),
            plan: compilePlan(SPLIT_CONTRACT),
            keys: [{ column: 'a', demographics: ['b'] }],
            chunkBytes: 16,
          };
          const whole = await validateCsv(memorySource('t.csv', bytes), options);
          const used: Behaviour[] = [];
          const result = await createParallelRunner(
            parts,
            (_, o) => validateCsv(memorySource('t.csv', bytes), o),
            0,
            { preScanHelper: helper(bytes, behaviour, used) },
          )(memorySource('t.csv', bytes), options);
          expect(comparable(result)).toEqual(comparable(whole));
          // asked only once this thread's range is done, and only when the split was guessed
          expect(used.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('is asked when the ranges were guessed, and its answer is the split the merge uses', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `K${i},"line\nbreak ${i}",${i}`);
    const bytes = encode(`a,b,c\n${rows.join('\n')}\n`);
    const options: ValidateCsvOptions = {
      layout: sniffCsvLayout(bytes),
      plan: compilePlan(SPLIT_CONTRACT),
      keys: [{ column: 'a', demographics: ['b'] }],
    };
    const whole = await validateCsv(memorySource('t.csv', bytes), options);
    for (const behaviour of ['answers', 'not begun', 'fails'] as const) {
      const used: Behaviour[] = [];
      const result = await createParallelRunner(
        3,
        (_, o) => validateCsv(memorySource('t.csv', bytes), o),
        0,
        { preScanHelper: helper(bytes, behaviour, used) },
      )(memorySource('t.csv', bytes), options);
      expect(used).toEqual([behaviour]);
      expect(comparable(result)).toEqual(comparable(whole));
    }
  });
});
