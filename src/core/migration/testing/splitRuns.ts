/**
 * Test kit of the split-and-merge tests (splitMerge.test.ts: ranges at the pre-scan's split
 * points, splitGuess.test.ts: ranges at guessed boundaries, splitTakeWork.test.ts: ranges taken in
 * turn): the contract both validate with, the view of a result both compare, so "equals one pass
 * over the whole input" means the same thing in each, and the generated CSV texts the guessed and
 * taken ranges are split in ({@link splitCsvText}). Test-only: imported by *.test.ts files, never
 * by the app, the CLI or workers.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { summarizeProfile } from '../columnProfile.ts';
import { groupPositions } from '../issueRows.ts';
import { rangeListedRepeats } from '../readListedRepeats.ts';
import { mergeResults, splitRanges, startKeyMerges } from '../splitMerge.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  readRecordAt,
  type ValidateCsvOptions,
  validateCsv,
} from '../validateCsv.ts';

/** Cells with line breaks of every kind inside quotes (long ones, so split points fall inside them). */
const splitCellText = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.constantFrom('K1', 'K2', 'a,b', 'say "hi"', 'Zoë', '2024-01-02', 'x,', '"', ''),
  fc
    .tuple(fc.constantFrom('\n', '\r\n', '\r'), fc.integer({ min: 1, max: 6 }), fc.string({ maxLength: 4 }))
    .map(([newline, n, text]) => `moved${newline}${`${text}${newline}`.repeat(n)}on file`),
);

/**
 * A well-formed CSV text (written by papaparse): header a,b,c, 2 to `maxRows` rows of 3 cells with
 * LF, CRLF or CR records, and cells holding quoted line breaks of every kind (long ones, so split
 * points fall inside them), quotes, delimiters and multi-byte characters.
 */
export function splitCsvText(maxRows: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(fc.tuple(splitCellText, splitCellText, splitCellText), { minLength: 2, maxLength: maxRows }),
      fc.constantFrom('\r\n', '\n', '\r'),
    )
    .map(([rows, newline]) => `${Papa.unparse([['a', 'b', 'c'], ...rows], { newline })}${newline}`);
}

/** A contract for the generated a,b,c tables: a required key-like `a`, a short `b`, any `c`. */
export const SPLIT_CONTRACT = {
  type: 'object',
  required: ['a'],
  properties: { a: { type: 'string', pattern: '^K' }, b: { maxLength: 3 }, c: {} },
};

/**
 * Everything a merged result must share with one pass over the whole input: counts, issues, line
 * endings, column profiles, key sets, the failing-row index and each issue's failing rows (the
 * drill-down's filter), as plain data for `toEqual`.
 */
export function comparable(result: CsvValidationResult) {
  return {
    records: result.records,
    valid: result.valid,
    invalid: result.invalid,
    errors: result.errors,
    warnings: result.warnings,
    issues: result.issues,
    lineEndings: result.lineEndings,
    profiles: result.profiles.map((p) => summarizeProfile(p)),
    keys: result.keys.map((k) => ({ column: k.column, size: k.state.size, duplicates: k.state.duplicates })),
    failingRows: [...result.failingRows.rows.subarray(0, result.failingRows.count)],
    failingOffsets: [...result.failingRows.offsets.subarray(0, result.failingRows.count)],
    // each issue's failing rows (the drill-down's filter), as row numbers
    issueRows: result.issueRows.groups.map((g) => [
      g.rule,
      g.location,
      [...groupPositions(g)].map((p) => result.failingRows.rows[p]),
    ]),
  };
}

/** A merged result and the records each of its parts held (the rows where each part begins). */
export interface SplitRun {
  merged: CsvValidationResult;
  /** records per part, in file order */
  partRecords: number[];
}

/**
 * Validates `source` in `parts` byte ranges at the pre-scan's split points (each range its own
 * pass, as a worker runs it) and merges them as the app and the CLI do — the first range's key
 * sets merged ahead ({@link startKeyMerges}), a key repeated across ranges re-read by offset. With
 * `options.keySpill` the key sets spill and are checked together (keySpill.ts).
 */
export async function validateInParts(
  source: CsvSource,
  options: ValidateCsvOptions,
  parts: number,
): Promise<SplitRun> {
  const ranges = await splitRanges(source.read, source.size, parts, options.layout);
  const header = (await readRecordAt(source, options.layout, 0)) ?? [];
  const results: CsvValidationResult[] = [];
  for (const [j, range] of ranges.entries())
    results.push(
      await validateCsv(source, { ...options, range: { ...range, header: j === 0 ? [] : header } }),
    );
  const partRecords = results.map((r) => r.records);
  const first = ranges[0] as { start: number; end: number };
  // one range is the whole input: nothing to merge ahead (mergeResults returns it as it is)
  const keyMerges =
    results.length > 1
      ? startKeyMerges(results[0] as CsvValidationResult, source.size / Math.max(1, first.end))
      : undefined;
  const merged = await mergeResults(
    results,
    async (column, offset) => {
      const fields = await readRecordAt(source, options.layout, offset);
      return fields?.[header.indexOf(column)] ?? '';
    },
    options.keySpill,
    keyMerges,
    undefined,
    rangeListedRepeats(source, { layout: options.layout }, ranges, header),
  );
  return { merged, partRecords };
}
