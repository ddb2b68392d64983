/**
 * Key sets whose memory does not grow with the number of keys (issue 8: "peak memory ≤ 300 MB
 * whatever the file size"): a hash-partitioned duplicate check. While the rows stream by, each key
 * is written as a fixed-size record (its two 32-bit hashes, row, byte offset and demographic
 * hashes) to one of {@link SPILL_PARTITIONS} partitions chosen by its hash, in blocks, to a
 * {@link KeySpillStore} (the CLI: a temporary file; the engine never touches files itself). Once
 * the input (every range of it) is read, the partitions are read back one at a time: a key and all
 * its repeats are in the same partition, in row order, so each partition is checked on its own
 * with a small table, and the results add up to exactly what one in-memory pass
 * ({@link createKeySet}) reports — same counts, same listed groups (the first
 * {@link MAX_DUPLICATE_GROUPS} keys in the order their first repeat is met), same rows, same
 * conflicting columns in the same order.
 *
 * Constraints:
 * - Memory: the partitions' write buffers ({@link SPILL_PARTITIONS} × {@link SPILL_BLOCK_RECORDS}
 *   records, ≈ 2.4 MB with four demographics) while reading, one partition at a time while
 *   checking (1/256 of the keys), and a block list (two numbers per block of 256 keys).
 * - No membership test: a spilled set cannot answer `has`. Key sets that references look into
 *   stay in memory ({@link createKeySet}); the caller decides (validateCsv).
 * - The key text of a listed group is read back from the file at its first record's offset
 *   (`keyAt`): at most {@link MAX_DUPLICATE_GROUPS} reads per key set.
 * - Parts (ranges validated by workers) spill to their own stores; the check reads the parts'
 *   partitions in file order with their rows re-based, so a key repeated across ranges is found
 *   like any other repeat (no text re-read beyond the listed groups).
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

/** Partitions of a spilled key set (a power of two; chosen by the top bits of the first hash). */
export const SPILL_PARTITIONS = 256;
const PARTITION_SHIFT = 24; // 32 - log2(SPILL_PARTITIONS)
/** Records buffered per partition before they are written as one block. */
export const SPILL_BLOCK_RECORDS = 256;

/** 32-bit words per record before the demographics: hashA, hashB, row, offset (low, high). */
const FIXED_WORDS = 5;
const TWO_32 = 2 ** 32;

/**
 * Where a key set's records go (the CLI writes a temporary file; a browser could keep them in
 * memory or OPFS). Blocks are appended; a reader may be another thread, which opens the store by
 * its {@link KeySpillStore.id} ({@link KeySpill.open}).
 */
export interface KeySpillStore {
  /** names the store for {@link KeySpill.open} (plain data: it travels between threads) */
  readonly id: string;
  /** Appends a block at the end; returns its position (bytes before it). */
  append(bytes: Uint8Array): number;
  /**
   * Reads `into.byteLength` bytes at `position` into `into` (a block). The caller reuses one
   * buffer: a new buffer per block would leave ~the whole spill in dead, off-heap buffers until
   * the next full GC (measured: +60 MB at the end of a 4M-key check).
   */
  read(position: number, into: Uint8Array): void | Promise<void>;
  /** Ends writing (the records stay readable). */
  close(): void;
  /** Deletes the records (the store is not used afterwards). */
  dispose(): void | Promise<void>;
}

/** Makes and opens spill stores. */
export interface KeySpill {
  /** A new, empty store for one key set (one per key column per input or range). */
  create(): KeySpillStore;
  /** Opens a store made by {@link KeySpill.create}, possibly in another thread, by its id. */
  open(id: string): KeySpillStore;
}

/** What a spilled key set leaves in its {@link KeySetState} until it is checked (plain, cloneable data). */
export interface SpilledKeys {
  /** the store's id */
  store: string;
  /** 32-bit words per record */
  words: number;
  /** records written */
  records: number;
  /** per partition: its blocks as [position, bytes] pairs, in order */
  blocks: number[][];
}

/** A key set that spills: it collects, {@link checkSpilledKeys} checks. */
export interface SpillingKeySet {
  add(key: string, row: number, offset: number, demographics?: readonly string[]): void;
  /** Writes what is buffered and returns the state to check (its `spilled` set, counts empty). */
  state(): KeySetState;
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

/** Creates a key set that writes its keys to `store` (see the file header). */
export function createSpillingKeySet(demographicCount: number, store: KeySpillStore): SpillingKeySet {
  if (demographicCount > MAX_DEMOGRAPHICS)
    throw new RangeError(`at most ${MAX_DEMOGRAPHICS} demographic columns`);
  const words = FIXED_WORDS + demographicCount;
  const blockWords = SPILL_BLOCK_RECORDS * words;
  const buffer = new Uint32Array(SPILL_PARTITIONS * blockWords);
  const filled = new Uint32Array(SPILL_PARTITIONS);
  const blocks: number[][] = Array.from({ length: SPILL_PARTITIONS }, () => []);
  const bytes = new Uint8Array(buffer.buffer);
  let records = 0;
  let done: KeySetState | undefined;
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
      records++;
      filled[p] = n + 1;
      if (n + 1 === SPILL_BLOCK_RECORDS) flush(p);
    },
    state() {
      if (!done) {
        for (let p = 0; p < SPILL_PARTITIONS; p++) flush(p);
        store.close();
        done = unindexedState(demographicCount);
        done.spilled = { store: store.id, words, records, blocks };
      }
      return done;
    },
  };
}

/** A spilled part of an input (a range), with the rows before it. */
export interface SpilledPart {
  state: KeySetState;
  /** added to the part's rows (rows before the part) */
  rowBase: number;
}

/** A repeated key while its partition is checked. */
interface Group {
  firstRow: number;
  firstOffset: number;
  count: number;
  rows: number[];
  conflicting: number[];
  /** any repeat's demographics differ from the first record's */
  conflicts: boolean;
}

/** Reads the key text of the record at a byte offset (a listed group's key). */
export type SpilledKeyAt = (offset: number) => Promise<string>;

/**
 * What checking some of the partitions found ({@link checkSpilledPartitions}): counts, and the
 * repeated keys that may be listed. Plain, cloneable data: a partition range may be checked on
 * another thread and its answer sent back.
 */
export interface SpilledPartitionsChecked {
  size: number;
  duplicateKeys: number;
  duplicateRecords: number;
  conflictingKeys: number;
  /**
   * the repeated keys one pass could list: at most {@link MAX_DUPLICATE_GROUPS}, those whose
   * first repeat comes first (`rows[1]`); the others cannot be among the whole input's listed ones
   */
  listed: { firstOffset: number; count: number; rows: number[]; conflicting: number[] }[];
}

/**
 * Checks partitions [`from`, `to`) of spilled parts (see {@link checkSpilledKeys}). The stores
 * are opened from `spill` and closed, not disposed of: other partitions may still be checked
 * elsewhere. Partitions are independent (a key and all its repeats are in one), so any split of
 * the 256 partitions, checked in any order on any threads, adds up to the same result
 * ({@link finishSpilledCheck}).
 */
export async function checkSpilledPartitions(
  parts: readonly SpilledPart[],
  spill: KeySpill,
  from: number,
  to: number,
): Promise<SpilledPartitionsChecked> {
  const stores = parts.map((p) => spill.open((p.state.spilled as SpilledKeys).store));
  try {
    return await checkPartitions(parts, stores, from, to);
  } finally {
    for (const store of stores) store.close();
  }
}

async function checkPartitions(
  parts: readonly SpilledPart[],
  stores: readonly KeySpillStore[],
  from: number,
  to: number,
): Promise<SpilledPartitionsChecked> {
  const d = parts[0]?.state.demographicCount ?? 0;
  const words = FIXED_WORDS + d;
  const result: SpilledPartitionsChecked = {
    size: 0,
    duplicateKeys: 0,
    duplicateRecords: 0,
    conflictingKeys: 0,
    listed: [],
  };
  let listed: Group[] = [];
  /** the first repeat's row of the last listed group once the list is full (later ones are not listed) */
  let cutoff = Number.POSITIVE_INFINITY;
  let table = new Uint32Array(0);
  /** one partition's records (reused: grown, never shrunk) */
  let buffer = new Uint32Array(0);
  for (let p = from; p < to; p++) {
    // the partition's records of every part, in file order, rows re-based
    let total = 0;
    for (const part of parts) {
      const list = (part.state.spilled as SpilledKeys).blocks[p] as number[];
      for (let i = 1; i < list.length; i += 2) total += (list[i] as number) / 4;
    }
    if (total === 0) continue;
    if (buffer.length < total) buffer = new Uint32Array(Math.max(total, buffer.length * 2));
    const records = buffer;
    const bytes = new Uint8Array(buffer.buffer);
    let filled = 0;
    for (const [j, part] of parts.entries()) {
      const list = (part.state.spilled as SpilledKeys).blocks[p] as number[];
      for (let i = 0; i < list.length; i += 2) {
        const length = list[i + 1] as number;
        await (stores[j] as KeySpillStore).read(
          list[i] as number,
          bytes.subarray(filled * 4, filled * 4 + length),
        );
        const from = filled;
        filled += length / 4;
        if (part.rowBase !== 0)
          for (let at = from + 2; at < filled; at += words)
            records[at] = (records[at] as number) + part.rowBase;
      }
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
        const firstRow = records[first + 2] as number;
        group = {
          firstRow,
          firstOffset: (records[first + 3] as number) + (records[first + 4] as number) * TWO_32,
          count: 1,
          rows: [firstRow],
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
  result.listed = listed.map(({ firstOffset, count, rows, conflicting }) => ({
    firstOffset,
    count,
    rows,
    conflicting,
  }));
  return result;
}

/** The {@link MAX_DUPLICATE_GROUPS} groups whose first repeat comes first (rows are unique: no ties). */
function firstRepeatsFirst<T extends { rows: number[] }>(groups: T[]): T[] {
  groups.sort((x, y) => (x.rows[1] as number) - (y.rows[1] as number));
  return groups.slice(0, MAX_DUPLICATE_GROUPS);
}

/**
 * Adds up checked partition ranges that together cover every partition once (in any order) into
 * the state one pass would have: counts summed, the first {@link MAX_DUPLICATE_GROUPS} repeated
 * keys by their first repeat listed in row order, their key text read with `keyAt`
 * (`readsAtOnce` reads in flight: more than 1 only for a source whose reads may overlap,
 * `CsvSource.concurrentReads`).
 */
export async function finishSpilledCheck(
  demographicCount: number,
  checked: readonly SpilledPartitionsChecked[],
  keyAt: SpilledKeyAt,
  readsAtOnce = 1,
): Promise<KeySetState> {
  const result = unindexedState(demographicCount);
  for (const piece of checked) {
    result.size += piece.size;
    result.duplicateKeys += piece.duplicateKeys;
    result.duplicateRecords += piece.duplicateRecords;
    result.conflictingKeys += piece.conflictingKeys;
  }
  const listed = firstRepeatsFirst(checked.flatMap((piece) => piece.listed));
  listed.sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number));
  const keys = await readKeys(
    listed.map((group) => group.firstOffset),
    keyAt,
    readsAtOnce,
  );
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
  let next = 0;
  const lane = async () => {
    while (next < offsets.length) {
      const i = next++;
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
 * Which thread took each piece of a shared check ({@link checkSpilledKeys}): one 32-bit slot per
 * piece of {@link SPILL_PARTITIONS_PER_PIECE} partitions, over a `SharedArrayBuffer` both threads
 * see. A slot is taken with one atomic compare-and-exchange, so a piece is checked exactly once,
 * and who took it stays known if the other thread fails. Made only when a helper is given (the
 * CLI): a `SharedArrayBuffer` exists in Node, and in a browser only when the page is
 * cross-origin isolated.
 */
export type PieceClaims = Int32Array;

/** Piece claim slot values ({@link PieceClaims}). */
export const PIECE_FREE = 0;
/** Taken by the thread that runs {@link checkSpilledKeys}. */
export const PIECE_HERE = 1;
/** Taken by a helper thread ({@link checkClaimedPieces}). */
export const PIECE_THERE = 2;

/**
 * Partitions per piece of work when a helper shares the check: small enough that the two threads
 * end close together (a piece of a 1M-key check is ≈ 25 ms), large enough that each piece's
 * setting up (its buffers, a table) costs little.
 */
export const SPILL_PARTITIONS_PER_PIECE = 16;

/** Pieces of a shared check: {@link SPILL_PARTITIONS} / {@link SPILL_PARTITIONS_PER_PIECE}. */
export const SPILL_PIECES = SPILL_PARTITIONS / SPILL_PARTITIONS_PER_PIECE;

/** A fresh claim table, every piece free (shared memory: it can be posted to a worker). */
export function createPieceClaims(): PieceClaims {
  return new Int32Array(new SharedArrayBuffer(SPILL_PIECES * Int32Array.BYTES_PER_ELEMENT));
}

/** Takes the next free piece for `who`; its index, or undefined when every piece is taken. */
export function claimPiece(
  claims: PieceClaims,
  who: typeof PIECE_HERE | typeof PIECE_THERE,
): number | undefined {
  for (let piece = 0; piece < claims.length; piece++)
    if (Atomics.compareExchange(claims, piece, PIECE_FREE, who) === PIECE_FREE) return piece;
  return undefined;
}

/** Partitions [from, to) of a piece. */
function pieceRange(piece: number): { from: number; to: number } {
  const from = piece * SPILL_PARTITIONS_PER_PIECE;
  return { from, to: Math.min(from + SPILL_PARTITIONS_PER_PIECE, SPILL_PARTITIONS) };
}

/**
 * What a helper thread runs ({@link SpilledPartitionsHelper}): takes free pieces of `claims` as
 * {@link PIECE_THERE} and checks them ({@link checkSpilledPartitions}) until none is left;
 * `onPiece` is told each piece's partitions as it starts (a timeline). The stores are opened from
 * `spill` and closed, not disposed of.
 */
export async function checkClaimedPieces(
  parts: readonly SpilledPart[],
  spill: KeySpill,
  claims: PieceClaims,
  onPiece?: (from: number, to: number) => void,
): Promise<SpilledPartitionsChecked[]> {
  const stores = parts.map((p) => spill.open((p.state.spilled as SpilledKeys).store));
  try {
    const checked: SpilledPartitionsChecked[] = [];
    for (
      let piece = claimPiece(claims, PIECE_THERE);
      piece !== undefined;
      piece = claimPiece(claims, PIECE_THERE)
    ) {
      const { from, to } = pieceRange(piece);
      onPiece?.(from, to);
      checked.push(await checkPartitions(parts, stores, from, to));
    }
    return checked;
  } finally {
    for (const store of stores) store.close();
  }
}

/**
 * Another thread that checks pieces of spilled parts beside this one (the CLI: an idle range
 * worker): given the parts and a claim table, it takes pieces itself ({@link checkClaimedPieces})
 * and answers what it checked once none is left; undefined when no thread is free now (this
 * thread checks every piece). A rejection leaves the pieces it took to this thread.
 */
export type SpilledPartitionsHelper = (
  parts: readonly SpilledPart[],
  claims: PieceClaims,
) => Promise<SpilledPartitionsChecked[]> | undefined;

/**
 * Checks spilled key sets — one, or the consecutive parts of one input in file order — and returns
 * the state one in-memory pass over the whole input would have (without an index). The stores are
 * disposed of.
 *
 * With a `helper`, the partitions are shared: this thread and the helper each take the next free
 * piece of {@link SPILL_PARTITIONS_PER_PIECE} partitions from a shared claim table until none are
 * left (a slow or busy helper simply takes fewer). No message per piece: handing out pieces by
 * messages left the helper idle while this thread checked a piece before it read the helper's
 * answer (20-40 ms per piece on a loaded machine, issue 8). A helper that fails has its pieces
 * checked here. The result is the same either way: partitions are independent and
 * {@link finishSpilledCheck} adds them up in any order. `readsAtOnce`: see
 * {@link finishSpilledCheck}.
 */
export async function checkSpilledKeys(
  parts: readonly SpilledPart[],
  spill: KeySpill,
  keyAt: SpilledKeyAt,
  helper?: SpilledPartitionsHelper,
  readsAtOnce = 1,
): Promise<KeySetState> {
  const d = parts[0]?.state.demographicCount ?? 0;
  const stores = parts.map((p) => spill.open((p.state.spilled as SpilledKeys).store));
  try {
    if (!helper)
      return await finishSpilledCheck(
        d,
        [await checkPartitions(parts, stores, 0, SPILL_PARTITIONS)],
        keyAt,
        readsAtOnce,
      );
    const claims = createPieceClaims();
    // the helper's failure is handled from the start: its pieces are then checked here
    const there = helper(parts, claims)?.catch(() => undefined);
    const checked: SpilledPartitionsChecked[] = [];
    const check = async (piece: number) => {
      const { from, to } = pieceRange(piece);
      checked.push(await checkPartitions(parts, stores, from, to));
    };
    for (
      let piece = claimPiece(claims, PIECE_HERE);
      piece !== undefined;
      piece = claimPiece(claims, PIECE_HERE)
    )
      await check(piece);
    const theirs = there === undefined ? [] : await there;
    if (theirs === undefined) {
      for (let piece = 0; piece < claims.length; piece++)
        if (Atomics.load(claims, piece) === PIECE_THERE) await check(piece);
    } else checked.push(...theirs);
    return await finishSpilledCheck(d, checked, keyAt, readsAtOnce);
  } finally {
    for (const store of stores) await store.dispose();
  }
}

/** An in-memory {@link KeySpill} (tests; a browser without OPFS would gain nothing from it). */
export function createMemoryKeySpill(): KeySpill {
  const stores = new Map<string, Uint8Array[]>();
  let next = 0;
  const open = (id: string): KeySpillStore => {
    const blocks = stores.get(id);
    if (!blocks) throw new Error(`no key spill store ${id}`);
    return {
      id,
      append(bytes) {
        const position = blocks.reduce((n, b) => n + b.byteLength, 0);
        blocks.push(bytes.slice());
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
        stores.delete(id);
      },
    };
  };
  return {
    create() {
      const id = `memory-${next++}`;
      stores.set(id, []);
      return open(id);
    },
    open,
  };
}
