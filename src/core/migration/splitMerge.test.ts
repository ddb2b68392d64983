/**
 * Streaming and splitting never change the answer (issue 8): for generated CSV (quotes, delimiters,
 * CRLF and LF inside quoted cells, non-ASCII text), any chunk size and any number of byte ranges,
 * the merged result equals one pass over the whole input, whose records equal papaparse's parse of
 * the whole string. And arbitrary bytes never crash or hang the engine: a result or a positioned error.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import { CsvRecordTooLongError } from './csvRecords.ts';
import { createMemoryKeySpill } from './keySpill.ts';
import { compilePlan } from './plan/compilePlan.ts';
import { createParallelRunner, mergeResults, splitRanges } from './splitMerge.ts';
import { CASES, DEMOGRAPHICS, csvText as keyCasesText } from './testing/keyMergeCases.ts';
import { comparable, SPLIT_CONTRACT } from './testing/splitRuns.ts';
import { TextDecodeError } from './textDecoding.ts';
import {
  type CsvSource,
  EmptyInputError,
  type KeySpec,
  readRecordAt,
  type ValidateCsvOptions,
  validateCsv,
  WHOLE_ROW,
} from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);

const cellText = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    '',
    'a,b',
    'say "hi"',
    'line\nbreak',
    'cr\r\nlf',
    'Zoë',
    'François',
    '😀',
    'K1',
    'K2',
    'K3',
    '2024-01-02',
    '12',
  ),
);

/** A CSV text: header a,b,c and rows of 3 cells, written by papaparse (so it is well-formed). */
const csvText = fc
  .tuple(
    fc.array(fc.tuple(cellText, cellText, cellText), { minLength: 1, maxLength: 40 }),
    fc.constantFrom('\r\n', '\n'),
  )
  .map(([rows, newline]) => `${Papa.unparse([['a', 'b', 'c'], ...rows], { newline })}${newline}`)
  .filter((text) => !text.includes('\r\n') || text.split('\r\n').length > 1);

describe('streamed and split validation equal one pass', () => {
  it('records equal papaparse on the whole string, for any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 64 }), async (text, chunkBytes) => {
        const bytes = encode(text);
        const layout = sniffCsvLayout(bytes);
        const source = memorySource('t.csv', bytes);
        const whole = Papa.parse<string[]>(text, {
          newline: layout.lineEnding,
          skipEmptyLines: true,
        }).data.slice(1);
        const result = await validateCsv(source, { layout, chunkBytes });
        expect(result.records).toBe(whole.length);
        // every record re-read from its offset (failing rows here: all, by a contract nothing meets)
        const strict = await validateCsv(source, {
          layout,
          chunkBytes,
          plan: compilePlan({ type: 'object', required: ['zz'] }),
        });
        expect(strict.failingRows.count).toBe(whole.length);
        for (let i = 0; i < strict.failingRows.count; i++) {
          expect(await readRecordAt(source, layout, strict.failingRows.offsets[i] as number)).toEqual(
            whole[i],
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('split into any number of ranges and merged: the same result', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 3, max: 50 }),
        async (text, parts, chunkBytes) => {
          const bytes = encode(text);
          const layout = sniffCsvLayout(bytes);
          const source = memorySource('t.csv', bytes);
          const options: ValidateCsvOptions = {
            layout,
            plan: compilePlan(SPLIT_CONTRACT),
            keys: [{ column: 'a', demographics: ['b'] }],
            chunkBytes,
          };
          const whole = await validateCsv(source, options);
          const ranges = await splitRanges(source.read, source.size, parts, layout);
          expect(ranges[0]?.start).toBe(0);
          expect(ranges[ranges.length - 1]?.end).toBe(bytes.length);
          const header = (await readRecordAt(source, layout, 0)) ?? [];
          const results = [];
          for (const [j, range] of ranges.entries()) {
            results.push(
              await validateCsv(source, { ...options, range: { ...range, header: j === 0 ? [] : header } }),
            );
          }
          const merged = await mergeResults(results, async (column, offset) => {
            const fields = await readRecordAt(source, layout, offset);
            return fields?.[header.indexOf(column)] ?? '';
          });
          expect(comparable(merged)).toEqual(comparable(whole));
          // ranges run at once: each gets its own reader (the helper reuses one buffer per source, as the CLI does per file handle)
          const parallel = await createParallelRunner(
            parts,
            (_, o) => validateCsv(memorySource('t.csv', bytes), o),
            0,
          )(memorySource('t.csv', bytes), options);
          expect(comparable(parallel)).toEqual(comparable(whole));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('splitRanges: where ranges start', () => {
  const rows = (n: number, row: (i: number) => string) =>
    `id,name\n${Array.from({ length: n }, (_, i) => row(i)).join('\n')}\n`;
  it.each([
    { description: 'no quoted cell anywhere', text: rows(1000, (i) => `${i},plain`), parts: 4 },
    {
      description: 'a quoted header cell only',
      text: `"id"${rows(1000, (i) => `${i},plain`).slice(2)}`,
      parts: 3,
    },
    { description: 'quoted cells on every row', text: rows(1000, (i) => `${i},"q, ${i}"`), parts: 2 },
    {
      description: 'quoted cells in the first rows only',
      text: rows(1000, (i) => (i < 5 ? `${i},"q"` : `${i},p`)),
      parts: 4,
    },
  ])('$description: $parts ranges, each starting a record', async ({ text, parts }) => {
    const bytes = encode(text);
    const layout = sniffCsvLayout(bytes);
    const ranges = await splitRanges(memorySource('t.csv', bytes).read, bytes.length, parts, layout);
    expect(ranges.length).toBe(parts);
    for (const [j, range] of ranges.entries()) {
      expect(range.start).toBe(j === 0 ? 0 : (ranges[j - 1]?.end as number));
      if (j > 0) expect(bytes[range.start - 1]).toBe(0x0a);
    }
    expect(ranges[parts - 1]?.end).toBe(bytes.length);
  });
});

describe('arbitrary bytes', () => {
  it('give a result or a positioned error, never a crash or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        async (bytes, chunkBytes) => {
          const layout = sniffCsvLayout(bytes);
          try {
            const result = await validateCsv(memorySource('t.bin', bytes), {
              layout,
              chunkBytes,
              plan: compilePlan(SPLIT_CONTRACT),
              keys: [],
            });
            expect(result.valid + result.invalid).toBe(result.records);
          } catch (error) {
            if (error instanceof TextDecodeError) {
              expect(error.byteOffset).toBeGreaterThanOrEqual(0);
              expect(error.byteOffset).toBeLessThanOrEqual(bytes.length);
            } else if (!(error instanceof EmptyInputError || error instanceof CsvRecordTooLongError))
              throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * {@link memorySource} whose reads answer a turn of the event loop after they copy into its one
 * reused buffer: two reads in flight at once hand back each other's bytes.
 */
function lateSource(name: string, bytes: Uint8Array): CsvSource {
  const inner = memorySource(name, bytes);
  return {
    ...inner,
    read: async (offset, length) => {
      const bytesRead = await inner.read(offset, length);
      await new Promise((resolve) => setImmediate(resolve));
      return bytesRead;
    },
  };
}

describe('a spilled key set and one kept in memory, merged in the same run', () => {
  // the 9,000-row case whose second range repeats listed keys beyond its own listed groups: the
  // key set kept in memory (other inputs look into it) reads that range again while merging
  const theCase = CASES.find((c) => c.readAgain > 0) as (typeof CASES)[number];
  const bytes = encode(keyCasesText(theCase.rows));
  const layout = sniffCsvLayout(bytes);
  const inMemory: KeySpec = { column: 'mrn', demographics: DEMOGRAPHICS, referenced: true };
  const spilled: KeySpec = { column: WHOLE_ROW };
  it.each([
    { description: 'the one in memory first', keys: [inMemory, spilled] },
    { description: 'the spilled one first', keys: [spilled, inMemory] },
  ])(
    'list what one pass lists, $description, through a reader of one reused buffer (the merge never reads twice at once)',
    async ({ keys }) => {
      const one = await validateCsv(memorySource('patients.csv', bytes), { layout, keys });
      const keySpill = createMemoryKeySpill();
      const split = await createParallelRunner(
        2,
        (_, o) => validateCsv(memorySource('patients.csv', bytes), o),
        0,
      )(lateSource('patients.csv', bytes), { layout, keys, keySpill });
      const found = (r: typeof one) =>
        r.keys.map(({ state }) => ({
          keys: state.duplicateKeys,
          records: state.duplicateRecords,
          conflicting: state.conflictingKeys,
          duplicates: state.duplicates,
        }));
      expect(found(split)).toEqual(found(one));
      expect(one.keys[keys.indexOf(spilled)]?.state.duplicates.length).toBeGreaterThan(0);
    },
  );
});
