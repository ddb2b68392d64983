/**
 * The failing-rows lines' SQL text on what reaches it from a report: a row bound (`below`, from
 * the report's rows each issue covers) is written as a number literal, and one that is not a
 * finite number is refused rather than written into the statement.
 */
import { describe, expect, it } from 'vitest';
import { type FailingGroupsSql, type FailingLineText, failingLinesSql } from './failingLines.ts';

/** Groups whose flags come from a stand-in relation: only the lines' text is under test. */
const FOUND: FailingGroupsSql = { groups: [], sql: '', flagsOf: () => 'WITH flags AS (SELECT 1)' };

/** A group's line, its text after the cell changing at row `below`. */
function text(below: number): FailingLineText {
  return {
    beforeRow: '',
    beforeValue: ':',
    index: 0,
    value: 'csv',
    after: [{ below, text: ',first' }, { text: ',rest' }],
  };
}

describe('failingLinesSql: the row bounds of a line', () => {
  it('writes a finite bound as a number literal', () => {
    const sql = failingLinesSql(FOUND, 'visits', ['c'], [{ group: 0, text: text(1001) }]);
    expect(sql).toContain('WHEN "preflight_row" < 1001 THEN');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'refuses a bound of %s instead of writing it into the statement',
    (below) => {
      expect(() => failingLinesSql(FOUND, 'visits', ['c'], [{ group: 0, text: text(below) }])).toThrow(
        RangeError,
      );
    },
  );
});
