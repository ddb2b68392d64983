import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKeySet,
  createKeySetMerger,
  createListedRepeatCollector,
  demographicHash,
  KEY_CHUNK_ENTRIES,
  keyHashA,
  keySetFromState,
  MAX_DUPLICATE_GROUPS,
  MAX_ROWS_PER_DUPLICATE,
  mergeKeyParts,
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

  it('merge parts into exactly the listing of one pass — rows, counts, columns in order — reading a part again for the keys it lists short, for any keys and any split', async () => {
    let readAgain = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: MAX_DUPLICATE_GROUPS - 100, max: MAX_DUPLICATE_GROUPS + 300 }),
        fc.integer({ min: 5, max: 40 }),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 0, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 2 ** 16 }), { nil: undefined }),
        fc.boolean(),
        async (seed, early, many, sprinkle, cutAt, earlyCut, ahead) => {
          // rows from a seeded generator (a shrunk array of thousands of keys would say no more than the seed):
          // `early` keys met from the start, then about MAX_DUPLICATE_GROUPS other keys each met 2 to 3
          // times with early keys sprinkled among their third records — so a later part often repeats
          // more keys than it lists, some of them held by an earlier part (the case read again)
          let r = seed;
          const random = () => {
            r = (Math.imul(r, 1103515245) + 12345) >>> 0;
            return r / 2 ** 32;
          };
          const keys: string[] = [];
          for (let i = 0; i < early * 2; i++) keys.push(`e${Math.floor(random() * early)}`);
          const later = Array.from(
            { length: Math.floor((2.25 + random()) * many) },
            (_, i) => `m${i % many}`,
          );
          for (const [i, key] of later.entries()) {
            keys.push(key);
            // among the third records: after every other key's second (the part's listed groups)
            if (i >= 2 * many && random() < sprinkle / 100) keys.push(`e${Math.floor(random() * early)}`);
          }
          const n = keys.length;
          // three demographic columns, each differing now and then (so conflicts are found in any order)
          const demos = keys.map(() => ['a', 'b', 'c'].map((v) => (random() < 0.15 ? `${v}2` : v)));
          const fill = (from: number, to: number) => {
            const set = createKeySet(3);
            for (let i = from; i < to; i++) set.add(keys[i] as string, i + 1, i * 10, demos[i]);
            return set.state();
          };
          const one = fill(0, n);
          // cuts anywhere, and maybe one among the early keys' records (where the case is likeliest)
          const at = [...cutAt.map((c) => 1 + Math.floor(c * (n - 2)))];
          if (earlyCut !== undefined || at.length === 0) at.push(early + ((earlyCut ?? 0) % early));
          const cuts = [...new Set(at)].sort((x, y) => x - y);
          const bounds = [0, ...cuts, n];
          const parts = bounds.slice(1).map((end, j) => fill(bounds[j] as number, end));
          // the part's range read again: its records in row order (rows numbered from the part's start)
          const readPart = async (j: number, wanted: Parameters<typeof createListedRepeatCollector>[0]) => {
            readAgain += wanted.hashA.length;
            const collector = createListedRepeatCollector(wanted);
            for (let i = bounds[j] as number; i < (bounds[j + 1] as number); i++)
              collector.add(keys[i] as string, i + 1 - (bounds[j] as number), demos[i] as string[]);
            return collector.result();
          };
          let merger: ReturnType<typeof createKeySetMerger> | undefined;
          if (ahead) {
            merger = createKeySetMerger(3, n);
            merger.add(parts[0] as (typeof parts)[number]);
          }
          const [merged] = await mergeKeyParts({
            parts: parts.length,
            sets: 1,
            part: (j) => parts[j] as (typeof parts)[number],
            rowBases: bounds,
            mergers: [merger],
            readAgain: async (j, wanted) => Promise.all(wanted.map((w) => readPart(j, w.wanted))),
          });
          const { state, unresolved } = merged as NonNullable<typeof merged>;
          for (const group of state.duplicates) {
            if (group.key !== '') continue;
            const hit = unresolved.find((u) => u.firstRow === group.rows[0]);
            group.key = keys[(hit?.firstRow ?? 0) - 1] ?? '?';
          }
          // one pass lists its groups as it opens them; a merge and a whole input's result, by first row
          const byFirstRow = [...one.duplicates].sort(
            (x, y) => (x.rows[0] as number) - (y.rows[0] as number),
          );
          expect(state.duplicates).toEqual(byFirstRow);
          const counts = (k: typeof state) => [k.duplicateKeys, k.duplicateRecords, k.conflictingKeys];
          expect(counts(state)).toEqual(counts(one));
        },
      ),
      { numRuns: 30 },
    );
    // the case was met (keys a later part repeats beyond its own listed groups, listed from an earlier part)
    expect(readAgain).toBeGreaterThan(0);
  });

  describe('complete a short-listed key from its part read again', () => {
    // part 2 (from row 2) holds x first, then more repeated keys than it lists, then x twice more:
    // x is listed (part 1 held it) but part 2's key set kept only its first record of it
    const many = Array.from({ length: MAX_DUPLICATE_GROUPS }, (_, i) => `m${i}`);
    const second = ['x', ...many, ...many, 'x', 'x'];
    const xAgain = [2 + 2 * MAX_DUPLICATE_GROUPS + 1, 2 + 2 * MAX_DUPLICATE_GROUPS + 2];
    /** the key set of records `keys`, rows from `from` on */
    const filled = (keys: string[], from: number) => {
      const set = createKeySet();
      keys.forEach((key, i) => {
        set.add(key, from + i, (from + i) * 10);
      });
      return set.state();
    };
    const cases = [
      {
        description: 'as one pass lists it, from the rows read again',
        found: { counts: [3], rows: [[1, 2 * MAX_DUPLICATE_GROUPS + 2, 2 * MAX_DUPLICATE_GROUPS + 3]] },
        expected: { count: 4, rows: [1, 2, ...xAgain] },
      },
      {
        description:
          'as merged when its first record there is not where it was (the file changed under the run)',
        found: { counts: [3], rows: [[5, 6, 7]] },
        expected: { count: 2, rows: [1, 2] },
      },
      {
        description: 'as merged when the range no longer holds it',
        found: { counts: [0], rows: [[]] },
        expected: { count: 2, rows: [1, 2] },
      },
    ];
    for (const { description, found, expected } of cases)
      it(description, () => {
        const merger = createKeySetMerger(0, 10_000);
        merger.add(filled(['x'], 1));
        expect(merger.listedRepeats()).toBeUndefined();
        merger.add(filled(second, 2));
        expect(merger.listedRepeats()?.hashA.length).toBe(1);
        merger.completeListing({ ...found, conflicting: [[]] }, 1);
        const { state } = merger.finish();
        const x = state.duplicates.find((g) => g.rows[0] === 1);
        expect(x && { count: x.count, rows: x.rows }).toEqual(expected);
        // the totals never depended on the rows read again
        expect([state.duplicateKeys, state.duplicateRecords]).toEqual([
          MAX_DUPLICATE_GROUPS + 1,
          MAX_DUPLICATE_GROUPS + 3,
        ]);
      });

    // a caller that asked which keys to read again and went on without completing them would list
    // them short with nothing to show for it: the merger refuses at the call that skips or misuses it
    const x = {
      counts: [3],
      rows: [[1, 2 * MAX_DUPLICATE_GROUPS + 2, 2 * MAX_DUPLICATE_GROUPS + 3]],
      conflicting: [[]],
    };
    type Merger = ReturnType<typeof createKeySetMerger>;
    const misuses: { description: string; misuse: (merger: Merger) => unknown; error: RegExp }[] = [
      {
        description: 'the next part added without completeListing',
        misuse: (merger) => {
          merger.listedRepeats();
          merger.add(createKeySet().state());
        },
        error: /KeySetMerger\.add\(\) was called before completeListing\(\): part 2's keys/,
      },
      {
        description: 'finish without completeListing',
        misuse: (merger) => {
          merger.listedRepeats();
          return merger.finish();
        },
        error: /KeySetMerger\.finish\(\) was called before completeListing\(\): part 2's keys/,
      },
      {
        description: 'completeListing without listedRepeats',
        misuse: (merger) => merger.completeListing(x, 1),
        error: /completeListing\(\) was called with no keys to complete/,
      },
      {
        description: 'completeListing twice',
        misuse: (merger) => {
          merger.listedRepeats();
          merger.completeListing(x, 1);
          merger.completeListing(x, 1);
        },
        error: /completeListing\(\) was called with no keys to complete/,
      },
      {
        description: 'completeListing with the records of another number of keys',
        misuse: (merger) => {
          merger.listedRepeats();
          merger.completeListing({ counts: [3, 1], rows: [...x.rows, [4]], conflicting: [[], []] }, 1);
        },
        error: /was given 2 keys' records for the 1 keys listedRepeats\(\) named/,
      },
    ];
    for (const { description, misuse, error } of misuses)
      it(`refuse ${description}`, () => {
        const merger = createKeySetMerger(0, 10_000);
        merger.add(filled(['x'], 1));
        merger.add(filled(second, 2));
        expect(() => misuse(merger)).toThrow(error);
      });

    it('merge without reading again when no key is asked for (mergeKeySets: its listing limit)', () => {
      const merger = createKeySetMerger(0, 10_000);
      merger.add(filled(['x'], 1));
      merger.add(filled(second, 2));
      const { state } = merger.finish();
      expect(state.duplicates.find((g) => g.rows[0] === 1)?.rows).toEqual([1, 2]);
    });
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
