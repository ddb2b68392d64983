/**
 * A key set merge fed one part at a time (keySet.ts `createKeySetMerger`, which splitMerge.ts feeds
 * the first range's keys while later ranges still run) equals `mergeKeySets` over the same
 * parts, whatever the expected total it was sized for (too few keys expected: its index grows).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeySet, createKeySetMerger, keySetFromState, mergeKeySets } from './keySet.ts';

/** Keys with repeats within and across parts, and demographics that differ on some repeats. */
function fill(keys: readonly string[], from: number, to: number) {
  const set = createKeySet(1);
  for (let i = from; i < to; i++) set.add(keys[i] as string, i + 1, i * 10, [i % 5 === 0 ? 'Ann' : 'Bo']);
  return set.state();
}

describe('a key set merge fed one part at a time', () => {
  it('equals mergeKeySets for any cuts and any expected total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2500 }), { minLength: 2, maxLength: 3000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 2999 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (ids, rawCuts, scale) => {
          const keys = ids.map((id) => `k${id}`);
          const cuts = rawCuts.filter((c) => c < keys.length).sort((x, y) => x - y);
          const bounds = [0, ...cuts, keys.length];
          const parts = () => bounds.slice(1).map((end, j) => fill(keys, bounds[j] as number, end));
          const all = mergeKeySets(parts());
          const fed = parts();
          const merger = createKeySetMerger(1, Math.floor(keys.length * scale));
          for (const part of fed) merger.add(part);
          const one = merger.finish();
          // the same entries, groups and counts (the index's size may differ: it was sized apart)
          const entries = (k: typeof all.state) =>
            Array.from({ length: k.size }, (_, e) => {
              const chunk = k.chunks[e >>> 16] as (typeof k.chunks)[number];
              const i = e & 0xffff;
              return [chunk.hashA[i], chunk.hashB[i], chunk.rows[i], chunk.offsets[i], chunk.flags[i]];
            });
          expect(entries(one.state)).toEqual(entries(all.state));
          const rest = (k: typeof all.state) => [
            k.duplicates,
            k.duplicateKeys,
            k.duplicateRecords,
            k.conflictingKeys,
          ];
          expect(rest(one.state)).toEqual(rest(all.state));
          expect(one.unresolved).toEqual(all.unresolved);
          const lookup = keySetFromState(one.state);
          for (const key of keys) expect(lookup.has(key)).toBe(true);
          expect(lookup.has('absent')).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('grows its index when the first part alone holds more keys than it was sized for', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i % 4000}`);
    const merger = createKeySetMerger(1, 0);
    merger.add(fill(keys, 0, 3000));
    merger.add(fill(keys, 3000, keys.length));
    const { state } = merger.finish();
    expect(state.size).toBe(4000);
    expect(state.capacity).toBeGreaterThanOrEqual(2 * state.size);
    expect(state.duplicateRecords).toBe(1000);
    const lookup = keySetFromState(state);
    expect(keys.every((key) => lookup.has(key))).toBe(true);
  });
});
