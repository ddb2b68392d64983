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
  mergeKeySets,
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
      { numRuns: 2000 },
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

  it('merge parts as if filled in one pass (a key in two parts is a duplicate without its text)', () => {
    const a = createKeySet();
    a.add('x', 1, 0);
    a.add('y', 2, 5);
    const b = createKeySet();
    b.add('x', 3, 10);
    b.add('z', 4, 15);
    b.add('z', 5, 20);
    const { state, unresolved } = mergeKeySets([a.state(), b.state()]);
    expect(state.duplicates.map((g) => [g.key, g.rows])).toEqual([
      ['', [1, 3]],
      ['z', [4, 5]],
    ]);
    expect(unresolved).toEqual([{ offset: 10, row: 3, firstRow: 1, firstOffset: 0 }]);
    const lookup = keySetFromState(state);
    expect(['x', 'y', 'z', 'w'].map((k) => lookup.has(k))).toEqual([true, true, true, false]);
  });

  it('merge parts into the keys one pass lists, even beyond the listed-group cap, for any split', () => {
    // more repeated keys than groups are listed, keys met up to four times, demographics that differ
    const keys = Array.from({ length: 6 * MAX_DUPLICATE_GROUPS }, (_, i) => `k${(i * 7919) % 2600}`);
    const demo = (i: number) => [i % 7 === 0 ? 'Ann' : 'Bo'];
    const fill = (from: number, to: number) => {
      const set = createKeySet(1);
      for (let i = from; i < to; i++) set.add(keys[i] as string, i + 1, i * 10, demo(i));
      return set.state();
    };
    const one = fill(0, keys.length);
    const textOf = new Map(keys.map((k, i) => [i + 1, k]));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: keys.length - 1 }), { minLength: 1, maxLength: 3 }),
        (cuts) => {
          const bounds = [0, ...cuts.sort((x, y) => x - y), keys.length];
          const parts = bounds.slice(1).map((end, j) => fill(bounds[j] as number, end));
          const { state, unresolved } = mergeKeySets(parts);
          for (const group of state.duplicates) {
            if (group.key !== '') continue;
            const hit = unresolved.find((u) => u.firstRow === group.rows[0]);
            group.key = textOf.get(hit?.firstRow ?? 0) ?? '?';
          }
          // the same keys, by the same first records (counts of a key repeated inside a later part
          // beyond that part's own cap are documented as short: keySet.ts mergeKeySets)
          const listed = (groups: typeof state.duplicates) => groups.map((g) => [g.key, g.rows[0]]);
          expect(listed(state.duplicates)).toEqual(listed(one.duplicates));
          // every repeated and conflicting key counted once, listed or not (a key repeated inside a
          // later part beyond its cap was counted twice, and such keys' conflicts not at all)
          const counts = (k: typeof state) => [k.duplicateKeys, k.duplicateRecords, k.conflictingKeys];
          expect(counts(state)).toEqual(counts(one));
        },
      ),
      { numRuns: 25 },
    );
    expect(one.duplicates.length).toBe(MAX_DUPLICATE_GROUPS);
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

  it('keep every key across storage chunks and index growths, alone and merged from parts', () => {
    // more keys than one chunk holds, every 7th key repeated once much later
    const n = 2 * KEY_CHUNK_ENTRIES + 1234;
    const keyOf = (i: number) => `K${i % 7 === 0 && i >= n / 2 ? i - Math.floor(n / 2) : i}`;
    const fill = (from: number, to: number) => {
      const set = createKeySet(1);
      for (let i = from; i < to; i++) set.add(keyOf(i), i + 1, i * 100, [i % 2 === 0 ? 'a' : 'b']);
      return set.state();
    };
    const one = fill(0, n);
    const distinct = new Set(Array.from({ length: n }, (_, i) => keyOf(i))).size;
    expect(one.size).toBe(distinct);
    expect(one.duplicateRecords).toBe(n - distinct);
    const { state } = mergeKeySets([fill(0, 40_000), fill(40_000, 100_000), fill(100_000, n)]);
    expect(state.size).toBe(distinct);
    expect(state.duplicateRecords).toBe(one.duplicateRecords);
    expect(state.conflictingKeys).toBe(one.conflictingKeys);
    expect(state.duplicates.map((g) => [g.rows, g.conflicting])).toEqual(
      one.duplicates.map((g) => [g.rows, g.conflicting]),
    );
    const lookup = keySetFromState(state);
    for (const i of [0, 1, KEY_CHUNK_ENTRIES - 1, KEY_CHUNK_ENTRIES, n - 1])
      expect(lookup.has(keyOf(i))).toBe(true);
    expect(lookup.has(`K${n}`)).toBe(false);
  });
});
