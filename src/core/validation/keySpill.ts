/**
 * Key sets whose memory does not grow with the number of keys: a hash-partitioned duplicate
 * check. While the rows stream by, each key is written as a fixed-size record (its two 32-bit
 * hashes, row, byte offset and demographic hashes) to one of {@link SPILL_PARTITIONS} partitions
 * chosen by its hash, in blocks, to a {@link KeySpillStore} (the CLI: a temporary file; the browser:
 * an OPFS file; the engine never touches files itself). Once the input is read, the partitions are
 * read back one at a time: a key and all its repeats are in the same partition, in row order, so
 * each partition is checked on its own with a small table, and the results add up to exactly what
 * one in-memory pass ({@link createKeySet}) reports — same counts, same listed groups (the first
 * {@link MAX_DUPLICATE_GROUPS} keys in the order their first repeat is met), same rows, same
 * conflicting columns in the same order.
 *
 * Records stay in memory first: a pass's spilling key sets hold their blocks in memory until they
 * add up to {@link KeySpill.memoryBytes} (default {@link KEY_SPILL_MEMORY_BYTES}, shared by the
 * pass's key sets); only a key set whose blocks go past it creates its store, writes what it held
 * there and appends on. Ordinary files never write a store (in the browser a store's every write
 * and read is a round trip to the browser process); memory stays bounded whatever the file's size.
 *
 * Constraints:
 * - Memory: up to {@link KeySpill.memoryBytes} of held blocks per pass; the partitions' write
 *   buffers ({@link SPILL_PARTITIONS} × {@link SPILL_BLOCK_RECORDS} records, ≈ 2.4 MB with four
 *   demographics; a spill may ask for larger blocks, {@link KeySpill.blockRecords}) while reading,
 *   one partition at a time while checking (1/256 of the keys), and a block list (two numbers per
 *   block of 256 keys).
 * - No membership test: a spilled set cannot answer `has`. Key sets that references look into
 *   stay in memory ({@link createKeySet}); the caller decides (validateCsv).
 * - The key text of a listed group is read back from the file at its first record's offset
 *   (`keyAt`): at most {@link MAX_DUPLICATE_GROUPS} reads per key set.
 */

import { detach } from './detach.ts';
import {
  type DuplicateGroup,
  demographicHash,
  type KeySetState,
  keyHashPair,
  keyHashPairB,
  MAX_DEMOGRAPHICS,
  MAX_DUPLICATE_GROUPS,
  MAX_ROWS_PER_DUPLICATE,
} from './keySet.ts';

/**
 * Bytes of key records a pass holds in memory before its key sets write them to stores: ≈ 1.8
 * million keys with four demographic columns (36 bytes each), ≈ 3.3 million without.
 */
export const KEY_SPILL_MEMORY_BYTES = 64 * 1024 * 1024;

/** Partitions of a spilled key set (a power of two; chosen by the top bits of the first hash). */
const SPILL_PARTITIONS = 256;
const PARTITION_SHIFT = 24; // 32 - log2(SPILL_PARTITIONS)
/** Records buffered per partition before they are written as one block. */
export const SPILL_BLOCK_RECORDS = 256;

/** 32-bit words per record before the demographics: hashA, hashB, row, offset (low, high). */
const FIXED_WORDS = 5;
const TWO_32 = 2 ** 32;

/**
 * Where a key set's records go (the CLI: a temporary file; the browser: an OPFS file). Blocks are
 * appended while the input is read, then read back by the same pass.
 */
export interface KeySpillStore {
  /** Appends a block at the end; returns its position (bytes before it). */
  append(bytes: Uint8Array): number;
  /**
   * Reads `into.byteLength` bytes at `position` into `into` (a block). The caller reuses one
   * buffer: a new buffer per block would leave about the whole spill in dead, off-heap buffers
   * until the next full collection.
   */
  read(position: number, into: Uint8Array): void | Promise<void>;
  /** Ends writing (the records stay readable). */
  close(): void;
  /** Deletes the records (the store is not used afterwards). */
  dispose(): void | Promise<void>;
}

/** Makes spill stores: one per spilling key set. */
export interface KeySpill {
  create(): KeySpillStore;
  /**
   * Records a partition gathers before they are written as one block (default
   * {@link SPILL_BLOCK_RECORDS}). Each block is one read when its partition is checked: a store
   * whose every read is a round trip to another process (the browser's OPFS) asks for larger
   * blocks — fewer reads, at the cost of a larger write buffer ({@link SPILL_PARTITIONS} blocks).
   */
  readonly blockRecords?: number;
  /**
   * Bytes of records the key sets of one pass hold in memory, together, before a key set creates
   * its store (default {@link KEY_SPILL_MEMORY_BYTES}; 0: every block goes to a store).
   */
  readonly memoryBytes?: number;
}

/** What is left of a pass's {@link KeySpill.memoryBytes}, shared by its spilling key sets. */
export interface KeyMemoryBudget {
  left: number;
}

/** Where a spilled key set's records are: per partition, its blocks as [position, bytes] pairs. */
interface SpilledKeys {
  /** 32-bit words per record */
  words: number;
  blocks: number[][];
}

/** A key set that spills: it collects, {@link checkSpilledKeys} checks. */
export interface SpillingKeySet {
  add(key: string, row: number, offset: number, demographics?: readonly string[]): void;
  readonly demographicCount: number;
  /** Writes what is buffered and ends writing; the blocks to check (once: later calls give the same). */
  finish(): SpilledKeys;
  readonly store: KeySpillStore;
}

/** A state with no keys and no index (capacity 0: `has` cannot be asked of it). */
function unindexedState(demographicCount: number): KeySetState {
  return {
    capacity: 0,
    size: 0,
    index: new Uint32Array(0),
    chunks: [],
    demographicCount,
    duplicates: [],
    duplicateRecords: 0,
    duplicateKeys: 0,
    conflictingKeys: 0,
  };
}

/**
 * A store that holds blocks in memory while `budget` allows, and past it creates the real store
 * (`create`), writes the held blocks to it in order and appends there. A new store's positions are
 * its bytes before each block, so the held blocks keep the positions they were given.
 */
function heldFirst(create: () => KeySpillStore, budget: KeyMemoryBudget): KeySpillStore {
  const held = new Map<number, Uint8Array>();
  let heldBytes = 0;
  let size = 0;
  let real: KeySpillStore | undefined;
  const release = () => {
    held.clear();
    budget.left += heldBytes;
    heldBytes = 0;
  };
  return {
    append(bytes) {
      if (!real && bytes.byteLength <= budget.left) {
        const position = size;
        held.set(position, bytes.slice());
        heldBytes += bytes.byteLength;
        budget.left -= bytes.byteLength;
        size += bytes.byteLength;
        return position;
      }
      if (!real) {
        const store = create();
        real = store;
        for (const [position, block] of held) {
          if (store.append(block) !== position) throw new Error('a new key store did not start empty');
        }
        release();
      }
      const position = real.append(bytes);
      size = position + bytes.byteLength;
      return position;
    },
    read(position, into) {
      if (real) return real.read(position, into);
      const block = held.get(position);
      // the check reads whole blocks at the positions append gave
      if (!block || block.byteLength !== into.byteLength)
        throw new Error('a key block read out of its bounds');
      into.set(block);
    },
    close() {
      real?.close();
    },
    dispose() {
      release();
      return real?.dispose();
    },
  };
}

/**
 * Creates a key set that writes its keys to `store` in blocks of `blockRecords` records (see the
 * file header and {@link KeySpill.blockRecords}). Given a function and a budget, it holds its blocks
 * in memory while the budget allows and creates its store only past it.
 */
export function createSpillingKeySet(
  demographicCount: number,
  target: KeySpillStore | (() => KeySpillStore),
  blockRecords = SPILL_BLOCK_RECORDS,
  budget?: KeyMemoryBudget,
): SpillingKeySet {
  if (demographicCount > MAX_DEMOGRAPHICS)
    throw new RangeError(`at most ${MAX_DEMOGRAPHICS} demographic columns`);
  if (!Number.isInteger(blockRecords) || blockRecords < 1)
    throw new RangeError('a spill block holds a whole number of records, at least one');
  const store = typeof target !== 'function' ? target : budget ? heldFirst(target, budget) : lazily(target);
  const words = FIXED_WORDS + demographicCount;
  const blockWords = blockRecords * words;
  const buffer = new Uint32Array(SPILL_PARTITIONS * blockWords);
  const filled = new Uint32Array(SPILL_PARTITIONS);
  const blocks: number[][] = Array.from({ length: SPILL_PARTITIONS }, () => []);
  const bytes = new Uint8Array(buffer.buffer);
  let done: SpilledKeys | undefined;
  const flush = (p: number) => {
    const n = filled[p] as number;
    if (n === 0) return;
    const start = p * blockWords * 4;
    const length = n * words * 4;
    const position = store.append(bytes.subarray(start, start + length));
    (blocks[p] as number[]).push(position, length);
    filled[p] = 0;
  };
  return {
    demographicCount,
    store,
    add(key, row, offset, demographics) {
      // both hashes in one pass over the key (keySet.ts)
      const a = keyHashPair(key);
      const b = keyHashPairB();
      const p = a >>> PARTITION_SHIFT;
      const n = filled[p] as number;
      let at = p * blockWords + n * words;
      buffer[at++] = a;
      buffer[at++] = b;
      buffer[at++] = row;
      buffer[at++] = offset % TWO_32;
      buffer[at++] = Math.floor(offset / TWO_32);
      for (let k = 0; k < demographicCount; k++) buffer[at++] = demographicHash(demographics?.[k]);
      filled[p] = n + 1;
      if (n + 1 === blockRecords) flush(p);
    },
    finish() {
      if (!done) {
        for (let p = 0; p < SPILL_PARTITIONS; p++) flush(p);
        store.close();
        done = { words, blocks };
      }
      return done;
    },
  };
}

/** A store created at its first append. */
function lazily(create: () => KeySpillStore): KeySpillStore {
  return heldFirst(create, { left: 0 });
}

/** A repeated key while its partition is checked. */
interface Group {
  firstOffset: number;
  count: number;
  rows: number[];
  conflicting: number[];
  /** any repeat's demographics differ from the first record's */
  conflicts: boolean;
}

/** Reads the key text of the record at a byte offset (a listed group's key). */
type SpilledKeyAt = ((offset: number) => Promise<string>) & {
  /** told every offset it will be asked for before the first (to group its reads), when it wants to be */
  plan?: (offsets: readonly number[]) => void;
};

/** The {@link MAX_DUPLICATE_GROUPS} groups whose first repeat comes first (rows are unique: no ties). */
function firstRepeatsFirst<T extends { rows: number[] }>(groups: T[]): T[] {
  groups.sort((x, y) => (x.rows[1] as number) - (y.rows[1] as number));
  return groups.slice(0, MAX_DUPLICATE_GROUPS);
}

/**
 * Checks a spilled key set once its input is read, partition by partition, and returns the state
 * one in-memory pass would have (without an index): counts, and the first
 * {@link MAX_DUPLICATE_GROUPS} repeated keys by their first repeat, listed in row order, their key
 * text read with `keyAt` (`readsAtOnce` reads in flight: more than 1 only for a source whose reads
 * may overlap, `CsvSource.concurrentReads`). The store is disposed of.
 */
export async function checkSpilledKeys(
  set: SpillingKeySet,
  keyAt: SpilledKeyAt,
  readsAtOnce = 1,
): Promise<KeySetState> {
  const { store, demographicCount: d } = set;
  try {
    const { words, blocks } = set.finish();
    const result = unindexedState(d);
    let listed: Group[] = [];
    /** the first repeat's row of the last listed group once the list is full (later ones are not listed) */
    let cutoff = Number.POSITIVE_INFINITY;
    let table = new Uint32Array(0);
    /** one partition's records (reused: grown, never shrunk) */
    let records = new Uint32Array(0);
    for (const list of blocks) {
      let total = 0;
      for (let i = 1; i < list.length; i += 2) total += (list[i] as number) / 4;
      if (total === 0) continue;
      if (records.length < total) records = new Uint32Array(Math.max(total, records.length * 2));
      const bytes = new Uint8Array(records.buffer);
      let filled = 0;
      for (let i = 0; i < list.length; i += 2) {
        const length = list[i + 1] as number;
        await store.read(list[i] as number, bytes.subarray(filled, filled + length));
        filled += length;
      }
      const count = total / words;
      let capacity = 1024;
      while (count * 2 > capacity) capacity *= 2;
      if (table.length < capacity) table = new Uint32Array(capacity);
      else table.fill(0, 0, capacity);
      const mask = capacity - 1;
      /** repeated keys by the word index of their first record */
      const groups = new Map<number, Group>();
      for (let at = 0; at < total; at += words) {
        const a = records[at] as number;
        const b = records[at + 1] as number;
        let slot = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
        let first = -1;
        for (;;) {
          const held = table[slot] as number;
          if (held === 0) break;
          const f = (held - 1) * words;
          if (records[f] === a && records[f + 1] === b) {
            first = f;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (first < 0) {
          table[slot] = at / words + 1;
          result.size++;
          continue;
        }
        // a repeat: compared with the key's first record
        let group = groups.get(first);
        if (!group) {
          group = {
            firstOffset: (records[first + 3] as number) + (records[first + 4] as number) * TWO_32,
            count: 1,
            rows: [records[first + 2] as number],
            conflicting: [],
            conflicts: false,
          };
          groups.set(first, group);
        }
        group.count++;
        if (group.rows.length < MAX_ROWS_PER_DUPLICATE) group.rows.push(records[at + 2] as number);
        for (let k = 0; k < d; k++) {
          if (records[first + FIXED_WORDS + k] === records[at + FIXED_WORDS + k]) continue;
          group.conflicts = true;
          if (!group.conflicting.includes(k)) group.conflicting.push(k);
        }
      }
      for (const group of groups.values()) {
        result.duplicateKeys++;
        result.duplicateRecords += group.count - 1;
        if (group.conflicts) result.conflictingKeys++;
        if ((group.rows[1] as number) < cutoff) listed.push(group);
      }
      // the keys one pass lists: the first ones whose first repeat is met
      if (listed.length > MAX_DUPLICATE_GROUPS) {
        listed = firstRepeatsFirst(listed);
        cutoff = (listed[listed.length - 1] as Group).rows[1] as number;
      }
    }
    listed = firstRepeatsFirst(listed);
    listed.sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number));
    const offsets = listed.map((group) => group.firstOffset);
    keyAt.plan?.(offsets);
    const keys = await readKeys(offsets, keyAt, readsAtOnce);
    listed.forEach((group, i) => {
      const duplicate: DuplicateGroup = {
        key: keys[i] as string,
        count: group.count,
        rows: group.rows,
        conflicting: group.conflicting,
      };
      result.duplicates.push(duplicate);
    });
    return result;
  } finally {
    await store.dispose();
  }
}

/**
 * The key texts at `offsets`, in their order, with up to `readsAtOnce` reads in flight: a source
 * whose reads may overlap (a browser file: each read is its own slice, and a read is a message to
 * the browser process, so 1,000 keys read one after another wait 1,000 round trips) reads several
 * at once; one that reuses its buffer (the CLI's file reader) reads one at a time.
 */
async function readKeys(
  offsets: readonly number[],
  keyAt: SpilledKeyAt,
  readsAtOnce: number,
): Promise<string[]> {
  const keys: string[] = new Array<string>(offsets.length);
  // read in the file's order: a source read back by row (a Parquet file's) reads on from its last
  const order = Array.from(offsets.keys()).sort((x, y) => (offsets[x] as number) - (offsets[y] as number));
  let next = 0;
  const lane = async () => {
    while (next < offsets.length) {
      const i = order[next++] as number;
      try {
        keys[i] = detach(await keyAt(offsets[i] as number));
      } catch (error) {
        next = offsets.length; // the other lanes stop after their read in flight
        throw error;
      }
    }
  };
  const lanes = Math.max(1, Math.min(readsAtOnce, offsets.length));
  // every lane settled before this returns or throws: no read is left running
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return keys;
}

/**
 * An in-memory {@link KeySpill} (tests): its key sets write every block to a store, unless given
 * `memoryBytes` to hold first. `stores` counts the stores not disposed of, `created` all of them.
 */
export function createMemoryKeySpill(memoryBytes = 0): KeySpill & {
  readonly stores: number;
  readonly created: number;
} {
  let live = 0;
  let created = 0;
  return {
    memoryBytes,
    get stores() {
      return live;
    },
    get created() {
      return created;
    },
    create() {
      const blocks: Uint8Array[] = [];
      let size = 0;
      live++;
      created++;
      let disposed = false;
      return {
        append(bytes) {
          const position = size;
          blocks.push(bytes.slice());
          size += bytes.byteLength;
          return position;
        },
        read(position, out) {
          const length = out.byteLength;
          let at = 0;
          for (const block of blocks) {
            const end = at + block.byteLength;
            if (end > position && at < position + length) {
              const from = Math.max(position - at, 0);
              const to = Math.min(block.byteLength, position + length - at);
              out.set(block.subarray(from, to), at + from - position);
            }
            at = end;
          }
        },
        close() {},
        dispose() {
          if (disposed) return;
          disposed = true;
          blocks.length = 0;
          live--;
        },
      };
    },
  };
}
