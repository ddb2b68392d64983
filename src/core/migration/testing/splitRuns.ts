/**
 * Test kit of the split-and-merge tests (splitMerge.test.ts: ranges at the pre-scan's split
 * points, splitGuess.test.ts: ranges at guessed boundaries): the contract both validate with and
 * the view of a result both compare, so "equals one pass over the whole input" means the same
 * thing in each. Test-only: imported by *.test.ts files, never by the app, the CLI or workers.
 */
import { summarizeProfile } from '../columnProfile.ts';
import { groupPositions } from '../issueRows.ts';
import type { CsvValidationResult } from '../validateCsv.ts';

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
