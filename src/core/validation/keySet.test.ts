import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKeySet,
  demographicHash,
  KEY_CHUNK_ENTRIES,
  keyHashA,
  keySetFromState,
  MAX_DUPLICATE_GROUPS,
  MAX_ROWS_PER_DUPLICATE,
  normalizeDemographic,
} from './keySet.ts';

describe('key sets', () => {
  it('hash a demographic cell exactly as its normalised text, for any text (the ASCII fast path included)', () => {
    const cell = fc.oneof(
      fc.string({
        unit: fc.constantFrom('a', 'Z', ' ', '\t', '\r', '\n', '\v', '\f', 'é', '\u00a0', 'İ', '1'),
      }),
      fc.string(),
    );
    fc.assert(
      fc.property(cell, (text) => {
        expect(demographicHash(text)).toBe(keyHashA(normalizeDemographic(text)));
      }),
      { numRuns: 200 },
    );
    expect(demographicHash(undefined)).toBe(0);
  });

  it('find every duplicate and its rows, like a Map of key → rows, for any keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'ä', '😀', '', 'long key 1', 'long key 2'), {
          maxLength: 300,
        }),
        (keys) => {
          const set = createKeySet();
          const reference = new Map<string, number[]>();
          keys.forEach((key, i) => {
            set.add(key, i + 1, i * 10);
            reference.set(key, [...(reference.get(key) ?? []), i + 1]);
          });
          const expected = [...reference]
            .filter(([, rows]) => rows.length > 1)
            .map(([key, rows]) => ({ key, count: rows.length, rows: rows.slice(0, MAX_ROWS_PER_DUPLICATE) }))
            .sort((a, b) => (a.rows[0] as number) - (b.rows[0] as number));
          const found = set
            .state()
            .duplicates.map(({ key, count, rows }) => ({ key, count, rows }))
            .sort((a, b) => (a.rows[0] as number) - (b.rows[0] as number));
          expect(found).toEqual(expected);
          expect(set.size).toBe(reference.size);
          for (const key of reference.keys()) expect(set.has(key)).toBe(true);
          expect(set.has('not there')).toBe(false);
        },
      ),
    );
  });

  it('tell the same person twice from different people sharing an identifier', () => {
    const set = createKeySet(3);
    set.add('10000001', 1, 0, ['Kim', 'Ann', '1980-01-02']);
    set.add('10000001', 2, 10, [' kim ', 'ANN', '1980-01-02']); // same person: case and spaces ignored
    set.add('10000002', 3, 20, ['Lee', 'Bo', '1990-05-06']);
    set.add('10000002', 4, 30, ['Lee', 'Bo', '1990-06-05']);
    const state = set.state();
    expect(state.conflictingKeys).toBe(1);
    expect(state.duplicates.map((g) => [g.key, g.conflicting])).toEqual([
      ['10000001', []],
      ['10000002', [2]],
    ]);
  });

  it('count every repeated key once beyond the listed groups, however often it repeats', () => {
    // MAX_DUPLICATE_GROUPS + 500 keys, each in 3 records; every fifth key's records differ in demographics
    const distinct = MAX_DUPLICATE_GROUPS + 500;
    const set = createKeySet(1);
    let row = 0;
    for (let copy = 0; copy < 3; copy++)
      for (let k = 0; k < distinct; k++) {
        row++;
        set.add(`m${k}`, row, row * 10, [k % 5 === 0 && copy === 2 ? 'Ann' : 'Bo']);
      }
    const state = set.state();
    expect(state.duplicates.length).toBe(MAX_DUPLICATE_GROUPS);
    expect(state.duplicateKeys).toBe(distinct);
    expect(state.duplicateRecords).toBe(2 * distinct);
    expect(state.conflictingKeys).toBe(distinct / 5);
  });

  it('keep every key across storage chunks and index growths', () => {
    // more keys than one chunk holds, every 7th key repeated once much later
    const n = 2 * KEY_CHUNK_ENTRIES + 1234;
    const keyOf = (i: number) => `K${i % 7 === 0 && i >= n / 2 ? i - Math.floor(n / 2) : i}`;
    const set = createKeySet(1);
    for (let i = 0; i < n; i++) set.add(keyOf(i), i + 1, i * 100, [i % 2 === 0 ? 'a' : 'b']);
    const state = set.state();
    const distinct = new Set(Array.from({ length: n }, (_, i) => keyOf(i))).size;
    expect(state.size).toBe(distinct);
    expect(state.duplicateRecords).toBe(n - distinct);
    const lookup = keySetFromState(state);
    for (const i of [0, 1, KEY_CHUNK_ENTRIES - 1, KEY_CHUNK_ENTRIES, n - 1])
      expect(lookup.has(keyOf(i))).toBe(true);
    expect(lookup.has(`K${n}`)).toBe(false);
  });
});
