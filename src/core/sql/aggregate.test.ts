import { describe, expect, it } from 'vitest';
import { compilePlan } from '../contract/index.ts';
import {
  type AggregatePart,
  aggregatePlanSql,
  mergeAggregates,
  PROFILE_VALUES,
  SqlCompileError,
} from './index.ts';

/** A part with one check and one column: `rows` failing, `values` distinct, their first rows from `from`. */
function part(rows: number[], values: string[], from: number): AggregatePart {
  return {
    records: 1000,
    invalid: rows.length,
    blanks: 1,
    blankRows: [from],
    checks: [
      {
        failing: rows.length,
        rows: rows.slice(0, 3),
        cells: new Map(rows.slice(0, 3).map((r) => [r, `c${r}`])),
      },
    ],
    profiles: [
      {
        empty: 2,
        values: values.map((v, i) => [v, 2, from + i] as [string, number, number]),
        overflowed: values.length >= PROFILE_VALUES,
      },
    ],
  };
}

describe('merging the aggregates of the parts of a table', () => {
  it('adds counts, keeps the k least rows with their cells, and unites values by first row', () => {
    const merged = mergeAggregates([part([5, 9, 12, 40], ['a', 'b'], 10), part([1, 7], ['b', 'c'], 3)], 3);
    expect(merged.records).toBe(2000);
    expect(merged.invalid).toBe(6);
    expect(merged.blanks).toBe(2);
    expect(merged.blankRows).toEqual([3, 10]);
    expect(merged.checks[0]?.failing).toBe(6);
    expect(merged.checks[0]?.rows).toEqual([1, 5, 7]);
    expect([...(merged.checks[0]?.cells ?? [])]).toEqual([
      [1, 'c1'],
      [5, 'c5'],
      [7, 'c7'],
    ]);
    expect(merged.profiles[0]?.empty).toBe(4);
    expect(merged.profiles[0]?.values).toEqual([
      ['b', 4, 3],
      ['c', 2, 4],
      ['a', 2, 10],
    ]);
    expect(merged.profiles[0]?.overflowed).toBe(false);
  });

  it('says a column overflowed when the parts’ values together pass the tracked ones', () => {
    const values = (prefix: string) => Array.from({ length: 600 }, (_, i) => `${prefix}${i}`);
    const merged = mergeAggregates([part([], values('a'), 1), part([], values('b'), 5000)]);
    expect(merged.profiles[0]?.overflowed).toBe(true);
    expect(merged.profiles[0]?.values).toHaveLength(PROFILE_VALUES);
  });

  it('reads a partition by its qualified name, each part quoted apart', () => {
    const plan = compilePlan({ type: 'object', properties: { c: { type: 'integer' } } });
    const query = aggregatePlanSql({
      dialect: 'postgres',
      relation: ['shard "1"', 'p.1'],
      header: ['c'],
      plan,
    });
    expect(query.sql).toContain('FROM "shard ""1"""."p.1"');
    expect(query.sql).not.toContain('FROM "shard ""1"".p.1"');
  });

  it('is written for PostgreSQL only: another dialect is refused by name', () => {
    const plan = compilePlan({ type: 'object', properties: { c: { type: 'integer' } } });
    expect(() => aggregatePlanSql({ dialect: 'trino', relation: 't', header: ['c'], plan })).toThrow(
      SqlCompileError,
    );
  });
});
