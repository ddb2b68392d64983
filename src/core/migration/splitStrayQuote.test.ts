/**
 * A quote kept as text in an unquoted cell (`O"Brien`: one pass reads it as text, with no issue)
 * turns the quote parity that the split and its confirmation count: a later cut can land inside a
 * quoted cell with a line break. The range before that cut then ends inside a quoted cell, and the
 * runner validates the input again as one range (splitMerge.ts) — the report is one pass's.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import { countRangeQuotes, createParallelRunner } from './splitMerge.ts';
import { comparable } from './testing/splitRuns.ts';
import { type ValidateCsvOptions, validateCsv } from './validateCsv.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** 400 records whose second cell is quoted over two lines, but for record 10's `O"Brien`. */
function strayQuoteFile(strayAt: number | undefined): Uint8Array {
  const rows = Array.from({ length: 400 }, (_, i) =>
    i === strayAt ? `K${i},O"Brien,x` : `K${i},"line\nbreak ${i}",${i}`,
  );
  return encode(`a,b,c\n${rows.join('\n')}\n`);
}

describe('a split of a file with a quote kept as text in an unquoted cell', () => {
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
      const runner = createParallelRunner(
        parts,
        async (source, rangeOptions, lane, quotesTo) => {
          // other lanes read through a source of their own, as a worker does
          const own = (lane ?? 0) === 0 ? source : memorySource('t.csv', bytes);
          if (quotesTo === undefined || !rangeOptions.range) return validateCsv(own, rangeOptions);
          const counted = countRangeQuotes(own.read, rangeOptions.range.start, quotesTo, rangeOptions.layout);
          const result = await validateCsv({ ...own, read: counted.read }, rangeOptions);
          return Object.assign(result, { rangeQuotes: counted.count() });
        },
        0,
        { countsQuotes },
      );
      const split = await runner(memorySource('t.csv', bytes), options);
      expect(comparable(split)).toEqual(comparable(whole));
    },
  );
});
