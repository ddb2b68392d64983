import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import type { CsvSource } from './csvSource.ts';
import { createKeySet, type KeySetState, MAX_DUPLICATE_GROUPS } from './keySet.ts';
import {
  checkSpilledKeys,
  createMemoryKeySpill,
  createSpillingKeySet,
  type KeyMemoryBudget,
  type KeySpill,
  SPILL_BLOCK_RECORDS,
} from './keySpill.ts';
import { detectLayout, validateInputs } from './validateInputs.ts';

/** A row of a test input: its key and demographic cells. */
type Row = [key: string, demographics: string[]];

/** What a key set reports (the part a report shows). */
function reported(state: KeySetState) {
  return {
    size: state.size,
    duplicateKeys: state.duplicateKeys,
    duplicateRecords: state.duplicateRecords,
    conflictingKeys: state.conflictingKeys,
    duplicates: [...state.duplicates].sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number)),
  };
}

/** One in-memory pass over every row (the reference the spilled check must equal). */
function inMemory(rows: readonly Row[], d: number): KeySetState {
  const set = createKeySet(d);
  rows.forEach(([key, demo], i) => {
    set.add(key, i + 1, i * 100, demo);
  });
  return set.state();
}

/** Spills the rows (numbered from 1, at offset 100 × index) and checks them. */
function spilled(
  rows: readonly Row[],
  d: number,
  spill: KeySpill = createMemoryKeySpill(),
  keyAt: (offset: number) => Promise<string> = async (offset) => (rows[offset / 100] as Row)[0],
  readsAtOnce?: number,
): Promise<KeySetState> {
  const set = createSpillingKeySet(d, spill.create());
  rows.forEach(([key, demo], i) => {
    set.add(key, i + 1, i * 100, demo);
  });
  // the key text is read back at the first record's offset
  return checkSpilledKeys(set, keyAt, readsAtOnce);
}

describe('spilled key sets', () => {
  it('report exactly what one in-memory pass reports, for any keys and demographics', async () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'ä', '😀', 'long key 1', 'long key 2', '10000001'),
      fc.array(fc.constantFrom('Kim', ' kim ', 'Lee', '1980-01-02', 'F', ''), { minLength: 2, maxLength: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 400 }), async (rows) => {
        expect(reported(await spilled(rows, 2))).toEqual(reported(inMemory(rows, 2)));
      }),
      { numRuns: 150 },
    );
  });

  it('list the first keys one pass lists beyond the listed-group cap, and count every other one', async () => {
    // three times the cap of repeated keys, met up to four times, every fifth record's demographics differing
    const rows: Row[] = Array.from({ length: 3 * MAX_DUPLICATE_GROUPS }, (_, i) => [
      `k${(i * 7919) % 1300}`,
      [i % 5 === 0 ? 'Ann' : 'Bo', 'x'],
    ]);
    const one = inMemory(rows, 2);
    expect(one.duplicates.length).toBe(MAX_DUPLICATE_GROUPS);
    expect(reported(await spilled(rows, 2))).toEqual(reported(one));
  });

  it('keep every key across many blocks of every partition, and leave no store behind', async () => {
    // enough keys for several blocks per partition; every 7th key repeated much later
    const n = 4 * 256 * SPILL_BLOCK_RECORDS + 321;
    const rows: Row[] = Array.from({ length: n }, (_, i) => [
      `K${i % 7 === 0 && i >= n / 2 ? i - Math.floor(n / 2) : i}`,
      [i % 2 === 0 ? 'a' : 'b'],
    ]);
    const spill = createMemoryKeySpill();
    const state = await spilled(rows, 1, spill);
    expect(reported(state)).toEqual(reported(inMemory(rows, 1)));
    expect(spill.stores).toBe(0);
  });

  it('dispose of the store when the check fails', async () => {
    const rows: Row[] = [
      ['a', []],
      ['a', []],
    ];
    const spill = createMemoryKeySpill();
    const failing = spilled(rows, 0, spill, async () => {
      throw new Error('the file was moved');
    });
    await expect(failing).rejects.toThrow('the file was moved');
    expect(spill.stores).toBe(0);
  });

  it('cannot be looked up (a programming error, not a wrong answer)', async () => {
    const state = await spilled([['x', []]], 0);
    const { keySetFromState } = await import('./keySet.ts');
    expect(() => keySetFromState(state).has('x')).toThrow(/no index/);
  });
});

describe('records held in memory up to a bound before any store', () => {
  /** `rows` into a key set holding up to `budget` in memory, in blocks of `blockRecords`, checked */
  function heldThenSpilled(
    rows: readonly Row[],
    d: number,
    spill: ReturnType<typeof createMemoryKeySpill>,
    budget: KeyMemoryBudget,
    blockRecords: number,
  ): Promise<KeySetState> {
    const set = createSpillingKeySet(d, () => spill.create(), blockRecords, budget);
    rows.forEach(([key, demo], i) => {
      set.add(key, i + 1, i * 100, demo);
    });
    return checkSpilledKeys(set, async (offset) => (rows[offset / 100] as Row)[0]);
  }

  // 2,000 keys, every 5th one met again later, one demographic: 24 bytes a record, 48,000 in all
  const rows: Row[] = Array.from({ length: 2000 }, (_, i) => [
    `K${i % 5 === 4 ? i - 3 : i}`,
    [i % 3 === 0 ? 'Ann' : 'Bo'],
  ]);
  const one = inMemory(rows, 1);

  it('create no store while the records fit, and give the memory back', async () => {
    const spill = createMemoryKeySpill();
    const budget = { left: 48_000 };
    expect(reported(await heldThenSpilled(rows, 1, spill, budget, 4))).toEqual(reported(one));
    expect(spill.created).toBe(0);
    expect(budget.left).toBe(48_000);
  });

  it('past the bound create the store, write what was held and go on there: the same report', async () => {
    const spill = createMemoryKeySpill();
    const budget = { left: 47_999 };
    expect(reported(await heldThenSpilled(rows, 1, spill, budget, 4))).toEqual(reported(one));
    expect([spill.created, spill.stores]).toEqual([1, 0]);
    expect(budget.left).toBe(47_999);
  });

  it('share one bound between the key sets of a pass: one past it spills, the next fits the freed memory', async () => {
    const spill = createMemoryKeySpill();
    const budget = { left: 30_000 };
    const first = createSpillingKeySet(1, () => spill.create(), 4, budget);
    const second = createSpillingKeySet(1, () => spill.create(), 4, budget);
    rows.forEach(([key, demo], i) => {
      first.add(key, i + 1, i * 100, demo);
      if (i < 1000) second.add(key, i + 1, i * 100, demo);
    });
    const keyAt = async (offset: number) => (rows[offset / 100] as Row)[0];
    // together 72,000 bytes; the first (48,000) goes past the bound and gives its memory back
    expect(reported(await checkSpilledKeys(first, keyAt))).toEqual(reported(one));
    expect(spill.created).toBe(1);
    expect(reported(await checkSpilledKeys(second, keyAt))).toEqual(
      reported(inMemory(rows.slice(0, 1000), 1)),
    );
    expect([spill.created, budget.left]).toEqual([1, 30_000]);
  });

  it('report what one in-memory pass reports, for any bound and block size', async () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'ä', '😀', 'k1', 'k2', 'k3', 'k4'),
      fc.array(fc.constantFrom('Kim', 'Lee', ''), { minLength: 1, maxLength: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 300 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 1, max: 8 }),
        async (rows, bound, blockRecords) => {
          const spill = createMemoryKeySpill();
          const budget = { left: bound };
          const state = await heldThenSpilled(rows, 1, spill, budget, blockRecords);
          expect(reported(state)).toEqual(reported(inMemory(rows, 1)));
          expect([spill.stores, budget.left]).toEqual([0, bound]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the listed keys’ texts read several at once (a source whose reads may overlap)', () => {
  // three times the cap of repeated keys: 1,000 listed, each text read back once
  const rows: Row[] = Array.from({ length: 3 * MAX_DUPLICATE_GROUPS }, (_, i) => [
    `k${(i * 7919) % 1300}`,
    [i % 5 === 0 ? 'Ann' : 'Bo', 'x'],
  ]);

  /** A reader whose answers come back out of order (each after 0-6 turns), counting reads in flight. */
  function overlapping(failAt?: number) {
    const seen = { inFlight: 0, most: 0, reads: 0 };
    const keyAt = async (offset: number) => {
      const n = ++seen.reads;
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        // turns of the event loop (setImmediate: a timer of 0 is held to 1 ms, 3 s for the serial run)
        for (let t = 0; t < (offset * 31) % 7; t++) await new Promise((resolve) => setImmediate(resolve));
        if (n === failAt) throw new Error('the file was moved');
        return (rows[offset / 100] as Row)[0];
      } finally {
        seen.inFlight--;
      }
    };
    return { keyAt, seen };
  }

  it('list the same keys in the same order as reads one at a time, at most that many in flight', async () => {
    const one = overlapping();
    const serial = await spilled(rows, 2, undefined, one.keyAt, 1);
    expect(one.seen.most).toBe(1);
    const many = overlapping();
    const overlapped = await spilled(rows, 2, undefined, many.keyAt, 16);
    expect(many.seen.most).toBe(16);
    expect(many.seen.reads).toBe(MAX_DUPLICATE_GROUPS);
    expect(reported(overlapped)).toEqual(reported(serial));
    expect(reported(overlapped)).toEqual(reported(inMemory(rows, 2)));
  });

  it('stop at a failed read with its error, once no other read is in flight', async () => {
    const failing = overlapping(40);
    const error = await spilled(rows, 2, undefined, failing.keyAt, 16).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the file was moved');
    expect(failing.seen.inFlight).toBe(0);
    // the lanes stop: only the reads already started when it failed, not the other 960
    expect(failing.seen.reads).toBeLessThan(40 + 16);
  });
});

describe('a spill that asks for its own block size', () => {
  /** a memory spill asking for blocks of `blockRecords`, counting the reads of its check */
  function countingSpill(blockRecords?: number) {
    const inner = createMemoryKeySpill();
    const counted = { reads: 0 };
    const spill: KeySpill = {
      ...(blockRecords === undefined ? {} : { blockRecords }),
      memoryBytes: 0,
      create() {
        const store = inner.create();
        return {
          ...store,
          read(position, into) {
            counted.reads++;
            return store.read(position, into);
          },
        };
      },
    };
    return { spill, counted };
  }

  // 3,000 keys (≈ 12 a partition), every 10th met again later
  const csv = `mrn\n${Array.from({ length: 3000 }, (_, i) => `M${i % 10 === 9 ? i - 9 : i}`).join('\n')}\n`;
  async function run(blockRecords?: number) {
    const bytes = new TextEncoder().encode(csv);
    const { detected: _, ...layout } = await detectLayout(memorySource('keys.csv', bytes), {});
    const fileReads = { count: 0 };
    // reads that may overlap, each with bytes of its own (a browser file's slices)
    const source: CsvSource = {
      name: 'keys.csv',
      size: bytes.length,
      read: async (offset, length) => {
        fileReads.count++;
        return bytes.slice(offset, offset + length);
      },
      concurrentReads: true,
    };
    const { spill, counted } = countingSpill(blockRecords);
    const [result] = await validateInputs([{ source, layout, keys: [{ column: 'mrn' }] }], [], {
      keySpill: spill,
      keySpillMinBytes: 0,
    });
    return { state: result?.keys[0]?.state, reads: counted.reads, fileReads: fileReads.count };
  }

  it('is written in blocks of that many records: one read per block when checked, the same keys found', async () => {
    const large = await run();
    const small = await run(2);
    // the default's blocks hold a partition's ≈ 12 keys: one read each; blocks of 2 keys take ≈ 6
    expect(large.reads).toBeLessThanOrEqual(256);
    expect(small.reads).toBeGreaterThan(4 * large.reads);
    expect(small.state?.duplicateKeys).toBe(300);
    expect(reported(small.state as KeySetState)).toEqual(reported(large.state as KeySetState));
  });

  it('reads the listed keys’ texts back in windows of nearby records, not one read each', async () => {
    const { state, fileReads } = await run();
    expect(state?.duplicates).toHaveLength(300);
    expect(state?.duplicates[0]?.key).toBe('M0');
    // the 23 KB file read once by the pass and once more for the 300 keys' records
    expect(fileReads).toBeLessThan(10);
  });

  it('refuses a block of no records', () => {
    expect(() => createSpillingKeySet(0, createMemoryKeySpill().create(), 0)).toThrow(RangeError);
  });
});
