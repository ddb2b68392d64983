import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeySet, type KeySetState, MAX_DUPLICATE_GROUPS } from './keySet.ts';
import {
  checkSpilledKeys,
  checkSpilledPartitions,
  claimPiece,
  createMemoryKeySpill,
  createSpillingKeySet,
  type KeySpill,
  PIECE_THERE,
  SPILL_BLOCK_RECORDS,
  SPILL_PARTITIONS_PER_PIECE,
  SPILL_PIECES,
  type SpilledPartitionsHelper,
} from './keySpill.ts';

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

/** Spills the rows in consecutive parts cut at `cuts` (rows numbered from 1 in each part) and checks them. */
async function spilled(
  rows: readonly Row[],
  d: number,
  cuts: number[],
  spill: KeySpill,
  helper?: SpilledPartitionsHelper,
): Promise<KeySetState> {
  const bounds = [0, ...cuts, rows.length];
  const parts = bounds.slice(1).map((end, j) => {
    const from = bounds[j] as number;
    const set = createSpillingKeySet(d, spill.create());
    for (let i = from; i < end; i++) {
      const [key, demo] = rows[i] as Row;
      set.add(key, i - from + 1, i * 100, demo);
    }
    return { state: set.state(), rowBase: from };
  });
  // the key text is read back at the first record's offset
  return checkSpilledKeys(parts, spill, async (offset) => (rows[offset / 100] as Row)[0], helper);
}

/** An in-memory key spill (`spill`, over `memory`) that records each store's id as it is disposed. */
function disposalsRecorded(): {
  spill: KeySpill;
  disposed: string[];
  memory: ReturnType<typeof createMemoryKeySpill>;
} {
  const disposed: string[] = [];
  const memory = createMemoryKeySpill();
  const spill: KeySpill = {
    create: memory.create,
    open: (id) => {
      const store = memory.open(id);
      const dispose = () => {
        disposed.push(id);
        return store.dispose();
      };
      return { ...store, dispose };
    },
  };
  return { spill, disposed, memory };
}

describe('spilled key sets', () => {
  it('report exactly what one in-memory pass reports, for any keys, demographics and split into parts', async () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'ä', '😀', 'long key 1', 'long key 2', '10000001'),
      fc.array(fc.constantFrom('Kim', ' kim ', 'Lee', '1980-01-02', 'F', ''), { minLength: 2, maxLength: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 400 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 3 }),
        async (rows, cuts) => {
          const at = cuts.filter((c) => c < rows.length).sort((x, y) => x - y);
          const spill = createMemoryKeySpill();
          expect(reported(await spilled(rows, 2, at, spill))).toEqual(reported(inMemory(rows, 2)));
        },
      ),
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
    for (const cuts of [[], [1], [1500], [700, 2900]])
      expect(reported(await spilled(rows, 2, cuts, createMemoryKeySpill()))).toEqual(reported(one));
  });

  it('keep every key across many blocks of every partition, and leave no store behind', async () => {
    // enough keys for several blocks per partition; every 7th key repeated much later
    const n = 4 * 256 * SPILL_BLOCK_RECORDS + 321;
    const rows: Row[] = Array.from({ length: n }, (_, i) => [
      `K${i % 7 === 0 && i >= n / 2 ? i - Math.floor(n / 2) : i}`,
      [i % 2 === 0 ? 'a' : 'b'],
    ]);
    const { spill, disposed, memory } = disposalsRecorded();
    const state = await spilled(rows, 1, [n / 3, n - 5].map(Math.floor), spill);
    expect(reported(state)).toEqual(reported(inMemory(rows, 1)));
    expect(disposed).toHaveLength(3);
    expect(() => memory.open(disposed[0] as string)).toThrow();
  });

  it('cannot be looked up (a programming error, not a wrong answer)', async () => {
    const spill = createMemoryKeySpill();
    const set = createSpillingKeySet(0, spill.create());
    set.add('x', 1, 0);
    const state = await checkSpilledKeys([{ state: set.state(), rowBase: 0 }], spill, async () => 'x');
    const { keySetFromState } = await import('./keySet.ts');
    expect(() => keySetFromState(state).has('x')).toThrow(/no index/);
  });
});

/** A helper as the CLI's idle worker is one: it checks the pieces it is asked on its own (here, later). */
/**
 * A helper thread stand-in: takes pieces from the claim table as the worker would
 * (core `checkClaimedPieces`), interleaving with this thread at each read; `behave(n)` says what it
 * does with the n-th piece it takes: check it, or fail (a worker that died with that piece taken).
 * `start`: 'now', 'late' (after this thread has taken every piece) or 'busy' (no helper free).
 * `asked` lists the pieces it took.
 */
function sharing(
  spill: KeySpill,
  behave: (piece: number) => 'check' | 'fail',
  start: 'now' | 'late' | 'busy' = 'now',
) {
  const asked: number[] = [];
  const helper: SpilledPartitionsHelper = (parts, claims) => {
    if (start === 'busy') return undefined;
    const run = async () => {
      if (start === 'late') await new Promise((resolve) => setTimeout(resolve, 5));
      const checked = [];
      for (
        let piece = claimPiece(claims, PIECE_THERE);
        piece !== undefined;
        piece = claimPiece(claims, PIECE_THERE)
      ) {
        const n = asked.length;
        asked.push(piece);
        if (behave(n) === 'fail') throw new Error('the worker stopped');
        const from = piece * SPILL_PARTITIONS_PER_PIECE;
        checked.push(await checkSpilledPartitions(parts, spill, from, from + SPILL_PARTITIONS_PER_PIECE));
      }
      return checked;
    };
    return run();
  };
  return { helper, asked };
}

describe('the listed keys’ texts read several at once (a source whose reads may overlap)', () => {
  // three times the cap of repeated keys: 1,000 listed, each text read back once
  const rows: Row[] = Array.from({ length: 3 * MAX_DUPLICATE_GROUPS }, (_, i) => [
    `k${(i * 7919) % 1300}`,
    [i % 5 === 0 ? 'Ann' : 'Bo', 'x'],
  ]);

  /** Spilled parts of `rows` cut at 1,500, checked with `keyAt` and `readsAtOnce`. */
  function check(keyAt: (offset: number) => Promise<string>, readsAtOnce: number) {
    const spill = createMemoryKeySpill();
    const parts = [0, 1500].map((from, j) => {
      const set = createSpillingKeySet(2, spill.create());
      for (let i = from; i < (j === 0 ? 1500 : rows.length); i++) {
        const [key, demo] = rows[i] as Row;
        set.add(key, i - from + 1, i * 100, demo);
      }
      return { state: set.state(), rowBase: from };
    });
    return checkSpilledKeys(parts, spill, keyAt, undefined, readsAtOnce);
  }

  /** A reader whose answers come back out of order (each after 0-6 turns), counting reads in flight. */
  function overlapping(failAt?: number) {
    const seen = { inFlight: 0, most: 0, reads: 0 };
    const keyAt = async (offset: number) => {
      const n = ++seen.reads;
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        for (let t = 0; t < (offset * 31) % 7; t++) await new Promise((resolve) => setTimeout(resolve, 0));
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
    const serial = await check(one.keyAt, 1);
    expect(one.seen.most).toBe(1);
    const many = overlapping();
    const overlapped = await check(many.keyAt, 16);
    expect(many.seen.most).toBe(16);
    expect(many.seen.reads).toBe(MAX_DUPLICATE_GROUPS);
    expect(reported(overlapped)).toEqual(reported(serial));
    expect(reported(overlapped)).toEqual(reported(inMemory(rows, 2)));
  });

  it('stop at a failed read with its error, once no other read is in flight', async () => {
    const failing = overlapping(40);
    const error = await check(failing.keyAt, 16).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the file was moved');
    expect(failing.seen.inFlight).toBe(0);
    // the lanes stop: only the reads already started when it failed, not the other 960
    expect(failing.seen.reads).toBeLessThan(40 + 16);
  });
});

describe('spilled key sets checked by two threads', () => {
  // three times the cap of repeated keys, in two parts: the listed keys come from many pieces
  const rows: Row[] = Array.from({ length: 3 * MAX_DUPLICATE_GROUPS }, (_, i) => [
    `k${(i * 7919) % 1300}`,
    [i % 5 === 0 ? 'Ann' : 'Bo', 'x'],
  ]);
  const cases: {
    description: string;
    behave: (piece: number) => 'check' | 'fail';
    start?: 'now' | 'late' | 'busy';
    /** pieces the helper takes at least (it never takes all: this thread takes pieces too) */
    atLeast: number;
  }[] = [
    { description: 'a helper that checks what it takes', behave: () => 'check', atLeast: 2 },
    {
      description: 'a helper free only once this thread took every piece',
      behave: () => 'check',
      start: 'late',
      atLeast: 0,
    },
    {
      description: 'a helper failing on its second piece',
      behave: (n) => (n === 0 ? 'check' : 'fail'),
      atLeast: 2,
    },
    { description: 'a helper failing on its first piece', behave: () => 'fail', atLeast: 1 },
    { description: 'a helper never free', behave: () => 'check', start: 'busy', atLeast: 0 },
  ];
  it.each(cases)('report what one pass reports with $description', async ({ behave, start, atLeast }) => {
    const { spill, disposed } = disposalsRecorded();
    const { helper, asked } = sharing(spill, behave, start);
    const state = await spilled(rows, 2, [1500], spill, helper);
    expect(reported(state)).toEqual(reported(inMemory(rows, 2)));
    expect(asked.length).toBeGreaterThanOrEqual(atLeast);
    expect(asked.length).toBeLessThan(SPILL_PIECES);
    // (a piece checked by both threads would count its duplicates twice: the equality above)
    // the stores are disposed of once, after both threads are done
    expect(disposed).toHaveLength(2);
  });

  it('report what one pass reports for any keys and split, a helper taking some pieces', async () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'ä', '😀', 'long key 1', 'long key 2', '10000001'),
      fc.array(fc.constantFrom('Kim', ' kim ', 'Lee', ''), { minLength: 1, maxLength: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 300 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 299 }), { maxLength: 2 }),
        fc.array(fc.constantFrom('check' as const, 'fail' as const), { minLength: 16 }),
        fc.constantFrom('now' as const, 'late' as const, 'busy' as const),
        async (rows, cuts, behaviour, start) => {
          const at = cuts.filter((c) => c < rows.length).sort((x, y) => x - y);
          const spill = createMemoryKeySpill();
          const { helper } = sharing(spill, (n) => behaviour[n] ?? 'check', start);
          expect(reported(await spilled(rows, 1, at, spill, helper))).toEqual(reported(inMemory(rows, 1)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
