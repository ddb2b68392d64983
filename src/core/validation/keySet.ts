/**
 * Compact hash sets of record keys for the cross-row and cross-file checks (duplicate keys, orphan
 * references, the same identifier with conflicting demographics). Memory per key is a few typed
 * array slots — never a JS object or string per row.
 *
 * Constraints:
 * - Keys are identified by a 64-bit hash (two independent 32-bit FNV-1a variants over the UTF-16
 *   code units). Two different keys collide with probability ≈ n² / 2⁶⁵: for 10 million keys about
 *   3 · 10⁻⁶, so a reported duplicate is a real duplicate in practice; the report says "by hash".
 * - Memory: entries are stored densely, in the order they were
 *   added (row order), in fixed-size chunks of typed arrays — growing allocates one more chunk and
 *   never copies; 20 + 4 × demographics bytes per key (36 with four). The hash table is only an
 *   index of entry numbers (4 bytes a slot, open addressing with linear probing at load ≤ 0.5,
 *   doubled as it fills): 8 to 16 bytes per key. The table that held whole entries in its slots
 *   took 72 to 144 bytes per key and twice that while it doubled.
 * - Each entry keeps the first row holding the key, its byte offset (to re-read it), and up to
 *   {@link MAX_DEMOGRAPHICS} 32-bit hashes of demographic cells (name, birth date, sex) so a
 *   repeated key can be told apart as "same person twice" or "different people, one identifier".
 * - Key TEXT is kept only for keys found more than once, and only for the first
 *   {@link MAX_DUPLICATE_GROUPS} of them (reports show the first ones).
 * - Memory still grows with the keys (≈ 50 bytes each): above a size threshold keySpill.ts
 *   checks duplicates with flat memory and the same results; these in-memory sets remain for
 *   smaller inputs and for lookups (references).
 */

import { detach } from './detach.ts';

/** Demographic columns compared per key, at most. */
export const MAX_DEMOGRAPHICS = 4;
/** Duplicate keys whose text and rows are kept (the rest are counted). */
export const MAX_DUPLICATE_GROUPS = 1000;
/** Rows listed per duplicate key. */
export const MAX_ROWS_PER_DUPLICATE = 10;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** First 32 bits of a key's hash (FNV-1a over UTF-16 code units). Never 0 (0 marks an empty slot). */
export function keyHashA(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0 || 1;
}

/** Second, independent 32 bits (FNV-1a with another basis, each unit mixed twice, and a final avalanche). */
export function keyHashB(text: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h ^= c & 0xff;
    h = Math.imul(h, FNV_PRIME);
    h ^= c >>> 8;
    h = Math.imul(h, 0x5bd1e995);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** {@link keyHashB} of the text last given to {@link keyHashPair} (its second result, without an array per key). */
let pairB = 0;

/**
 * {@link keyHashA} of `text`, and its {@link keyHashB} left for {@link keyHashPairB}: both in one
 * pass over the text. Every key of every row is hashed both ways; the two multiply chains are
 * independent, so one loop runs them side by side (and reads each code unit once) where two
 * loops ran them one after the other. Same values as the two functions (tested).
 *
 * Constraint: read {@link keyHashPairB} right after this call, before any other `keyHashPair`
 * (the second result is a module variable, not an array per key).
 */
export function keyHashPair(text: string): number {
  let h = FNV_OFFSET;
  let g = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ c, FNV_PRIME);
    g = Math.imul(g ^ (c & 0xff), FNV_PRIME);
    g = Math.imul(g ^ (c >>> 8), 0x5bd1e995);
  }
  g ^= g >>> 13;
  g = Math.imul(g, 0xc2b2ae35);
  g ^= g >>> 16;
  pairB = g >>> 0;
  return h >>> 0 || 1;
}

/** The {@link keyHashB} of the text of the last {@link keyHashPair} call. */
export function keyHashPairB(): number {
  return pairB;
}

/** A duplicated key with the rows (first few) that hold it. */
export interface DuplicateGroup {
  key: string;
  /** records holding the key */
  count: number;
  /** 1-based data rows, in the order found (the first {@link MAX_ROWS_PER_DUPLICATE}) */
  rows: number[];
  /** demographic columns (by index in the set's `demographics`) whose values differ between the records */
  conflicting: number[];
}

/** Entries of one chunk of a key set's dense storage (a power of two). */
export const KEY_CHUNK_ENTRIES = 1 << 16;
const CHUNK_SHIFT = 16;
const CHUNK_MASK = KEY_CHUNK_ENTRIES - 1;

/** One chunk of entries: entry `e` of the set is item `e % KEY_CHUNK_ENTRIES` of chunk `e / KEY_CHUNK_ENTRIES`. */
export interface KeyChunk {
  hashA: Uint32Array;
  hashB: Uint32Array;
  /** the first row holding the key */
  rows: Uint32Array;
  /** that row's byte offset */
  offsets: Float64Array;
  /** `demographicCount` hashes per entry */
  demographics: Uint32Array;
  /**
   * per entry: {@link REPEATED} and {@link CONFLICTING}, set for keys beyond the listed groups so
   * each is counted once in `duplicateKeys` and `conflictingKeys` however often it repeats
   */
  flags: Uint8Array;
}

/** Entry flag: the key was found again and counted in `duplicateKeys` (keys beyond the listed groups). */
const REPEATED = 1;
/** Entry flag: the key's records' demographics differ and it is counted in `conflictingKeys`. */
const CONFLICTING = 2;

/** The plain, transferable state of a key set (a worker sends it back with its result). */
export interface KeySetState {
  /** slots of `index` (a power of two) */
  capacity: number;
  /** keys held (entries in `chunks`) */
  size: number;
  /** open-addressing table of entry numbers + 1 (0: an empty slot) */
  index: Uint32Array;
  chunks: KeyChunk[];
  demographicCount: number;
  duplicates: DuplicateGroup[];
  /** records beyond the first of their key, all keys counted */
  duplicateRecords: number;
  /** distinct keys found more than once */
  duplicateKeys: number;
  /** distinct keys with conflicting demographics */
  conflictingKeys: number;
}

/** A set of record keys (one column of one input). */
export interface KeySet {
  /**
   * Adds a key seen at `row` (byte `offset`). Returns false when the key was already there (a
   * duplicate, recorded). `demographics` are the row's demographic cells, in a fixed order.
   */
  add(key: string, row: number, offset: number, demographics?: readonly string[]): boolean;
  /** Whether the set holds `key` (by hash). */
  has(key: string): boolean;
  readonly size: number;
  /** The state, for merging or sending to another thread. */
  state(): KeySetState;
}

const INITIAL_CAPACITY = 1024;

/** Hash of a demographic cell as compared ({@link normalizeDemographic}: trimmed, inner spaces folded, case ignored). */
export function demographicHash(text: string | undefined): number {
  if (text === undefined) return 0;
  // ASCII cells (almost all): normalise while hashing, without the three strings trim/replace/
  // toLowerCase allocate per cell. For ASCII, \s and trim() both mean space, \t \n \v \f \r.
  let h = FNV_OFFSET;
  let started = false;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 127) return unicodeDemographicHash(text);
    if (c === 32 || (c >= 9 && c <= 13)) {
      space = started;
      continue;
    }
    if (space) {
      h = Math.imul(h ^ 32, FNV_PRIME);
      space = false;
    }
    started = true;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h >>> 0 || 1;
}

/** Entries of the cache of non-ASCII demographic cells' hashes (a power of two). */
const DEMOGRAPHIC_CACHE_SIZE = 256;
const demographicCacheTexts: (string | undefined)[] = new Array<string | undefined>(
  DEMOGRAPHIC_CACHE_SIZE,
).fill(undefined);
const demographicCacheHashes = new Uint32Array(DEMOGRAPHIC_CACHE_SIZE);

/**
 * {@link demographicHash} of a cell with non-ASCII text: the full Unicode normalisation (three new
 * strings and a regex), remembered in a small direct-mapped cache — names repeat (García, José),
 * and the cache turns most of them into one string compare. Exact: a hit is the same text.
 */
function unicodeDemographicHash(text: string): number {
  const n = text.length;
  const at =
    (n * 7 + text.charCodeAt(0) * 31 + text.charCodeAt(n >> 1) * 3 + text.charCodeAt(n - 1)) &
    (DEMOGRAPHIC_CACHE_SIZE - 1);
  if (demographicCacheTexts[at] === text) return demographicCacheHashes[at] as number;
  const hash = keyHashA(normalizeDemographic(text));
  // detached: a cached cell must not keep its whole chunk of text alive
  demographicCacheTexts[at] = detach(text);
  demographicCacheHashes[at] = hash;
  return hash;
}

/** The reference normalisation of a demographic cell (any Unicode text). */
export function normalizeDemographic(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

function emptyState(demographicCount: number, capacity = INITIAL_CAPACITY): KeySetState {
  return {
    capacity,
    size: 0,
    index: new Uint32Array(capacity),
    chunks: [],
    demographicCount,
    duplicates: [],
    duplicateRecords: 0,
    duplicateKeys: 0,
    conflictingKeys: 0,
  };
}

function newChunk(demographicCount: number): KeyChunk {
  return {
    hashA: new Uint32Array(KEY_CHUNK_ENTRIES),
    hashB: new Uint32Array(KEY_CHUNK_ENTRIES),
    rows: new Uint32Array(KEY_CHUNK_ENTRIES),
    offsets: new Float64Array(KEY_CHUNK_ENTRIES),
    demographics: new Uint32Array(KEY_CHUNK_ENTRIES * demographicCount),
    flags: new Uint8Array(KEY_CHUNK_ENTRIES),
  };
}

const NOT_FOUND = -1;

/** The first slot of (a, b) in an index of `capacity` slots. */
function home(a: number, b: number, capacity: number): number {
  return (a ^ Math.imul(b, 0x27d4eb2d)) & (capacity - 1);
}

/**
 * The slot of (a, b) in the index: holding its entry, or the empty slot where it would go
 * ({@link entryOfSlot} tells which).
 */
function slotOf(state: KeySetState, a: number, b: number): number {
  const mask = state.capacity - 1;
  const index = state.index;
  const chunks = state.chunks;
  let slot = home(a, b, state.capacity);
  for (;;) {
    const held = index[slot] as number;
    if (held === 0) return slot;
    const entry = held - 1;
    const chunk = chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
    const i = entry & CHUNK_MASK;
    if (chunk.hashA[i] === a && chunk.hashB[i] === b) return slot;
    slot = (slot + 1) & mask;
  }
}

/** The entry in a slot, or {@link NOT_FOUND}. */
function entryOfSlot(state: KeySetState, slot: number): number {
  return (state.index[slot] as number) - 1;
}

/** The entry holding (a, b), or {@link NOT_FOUND}. */
function find(state: KeySetState, a: number, b: number): number {
  // a programming error: a spilled set's state has no index to look in
  if (state.capacity === 0) throw new Error('this key set has no index: it cannot be looked up');
  return entryOfSlot(state, slotOf(state, a, b));
}

/** Appends an entry (the caller checked the key is new) and indexes it in `slot`. */
function append(
  state: KeySetState,
  slot: number,
  a: number,
  b: number,
  row: number,
  offset: number,
  demo: ArrayLike<number>,
  flags = 0,
): void {
  const entry = state.size;
  const c = entry >>> CHUNK_SHIFT;
  if (c === state.chunks.length) state.chunks.push(newChunk(state.demographicCount));
  const chunk = state.chunks[c] as KeyChunk;
  const i = entry & CHUNK_MASK;
  chunk.hashA[i] = a;
  chunk.hashB[i] = b;
  chunk.rows[i] = row;
  chunk.offsets[i] = offset;
  chunk.flags[i] = flags;
  const d = state.demographicCount;
  for (let k = 0; k < d; k++) chunk.demographics[i * d + k] = demo[k] as number;
  state.index[slot] = entry + 1;
  state.size++;
  if (state.size * 2 > state.capacity) growIndex(state);
}

/** Doubles the index (the entries stay where they are). */
function growIndex(state: KeySetState): void {
  const capacity = state.capacity * 2;
  const index = new Uint32Array(capacity);
  const mask = capacity - 1;
  for (let entry = 0; entry < state.size; entry++) {
    const chunk = state.chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
    const i = entry & CHUNK_MASK;
    let slot = home(chunk.hashA[i] as number, chunk.hashB[i] as number, capacity);
    while (index[slot] !== 0) slot = (slot + 1) & mask;
    index[slot] = entry + 1;
  }
  state.index = index;
  state.capacity = capacity;
}

/** Duplicate groups by their first row, per state (an index beside the plain, cloneable state). */
const groupIndexes = new WeakMap<KeySetState, Map<number, DuplicateGroup>>();

function groupIndex(state: KeySetState): Map<number, DuplicateGroup> {
  let index = groupIndexes.get(state);
  if (!index || index.size !== state.duplicates.length) {
    index = new Map(state.duplicates.map((g) => [g.rows[0] as number, g]));
    groupIndexes.set(state, index);
  }
  return index;
}

/** Records a repeat of the key of `entry`; `key` is its text (kept for a listed group). */
function recordDuplicate(
  state: KeySetState,
  entry: number,
  key: string,
  row: number,
  demo: ArrayLike<number> | undefined,
): void {
  state.duplicateRecords++;
  const d = state.demographicCount;
  const chunk = state.chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
  const i = entry & CHUNK_MASK;
  const differing: number[] = [];
  if (demo) {
    for (let k = 0; k < d; k++) if (chunk.demographics[i * d + k] !== demo[k]) differing.push(k);
  }
  // groups are found by the first row of the key (kept in the entry)
  const firstRow = chunk.rows[i] as number;
  const index = groupIndex(state);
  let group = index.get(firstRow);
  if (!group) {
    if (state.duplicates.length >= MAX_DUPLICATE_GROUPS) {
      // beyond the listed groups: counted, each key once (its entry's flags), never listed
      const flags = chunk.flags[i] as number;
      if ((flags & REPEATED) === 0) state.duplicateKeys++;
      if (differing.length > 0 && (flags & CONFLICTING) === 0) state.conflictingKeys++;
      chunk.flags[i] = flags | REPEATED | (differing.length > 0 ? CONFLICTING : 0);
      return;
    }
    state.duplicateKeys++;
    group = { key: detach(key), count: 1, rows: [firstRow], conflicting: [] };
    state.duplicates.push(group);
    index.set(firstRow, group);
  }
  group.count++;
  if (group.rows.length < MAX_ROWS_PER_DUPLICATE) group.rows.push(row);
  const before = group.conflicting.length;
  for (const k of differing) if (!group.conflicting.includes(k)) group.conflicting.push(k);
  if (before === 0 && group.conflicting.length > 0) state.conflictingKeys++;
}

/**
 * Creates a key set.
 *
 * @param demographicCount how many demographic cells `add` receives per row (0 to {@link MAX_DEMOGRAPHICS})
 */
export function createKeySet(demographicCount = 0): KeySet {
  if (demographicCount > MAX_DEMOGRAPHICS)
    throw new RangeError(`at most ${MAX_DEMOGRAPHICS} demographic columns`);
  const state = emptyState(demographicCount);
  const demo = new Uint32Array(demographicCount);
  return {
    add(key, row, offset, demographics) {
      const a = keyHashPair(key);
      const b = keyHashPairB();
      for (let k = 0; k < demographicCount; k++) demo[k] = demographicHash(demographics?.[k]);
      const slot = slotOf(state, a, b);
      const entry = entryOfSlot(state, slot);
      if (entry !== NOT_FOUND) {
        recordDuplicate(state, entry, key, row, demo);
        return false;
      }
      append(state, slot, a, b, row, offset, demo);
      return true;
    },
    has(key) {
      const a = keyHashPair(key);
      return find(state, a, keyHashPairB()) !== NOT_FOUND;
    },
    get size() {
      return state.size;
    },
    state() {
      return state;
    },
  };
}

/** The two 32-bit hashes of a key (kept instead of the text when a check must wait for the whole set). */
export function keyHashes(text: string): [number, number] {
  const a = keyHashPair(text);
  return [a, keyHashPairB()];
}

/** Whether `state` holds the key with these hashes. */
export function stateHas(state: KeySetState, a: number, b: number): boolean {
  return find(state, a, b) !== NOT_FOUND;
}

/** Wraps a state (e.g. one a worker sent) as a read-only lookup set. */
export function keySetFromState(state: KeySetState): Pick<KeySet, 'has' | 'size' | 'state'> {
  return {
    has(key) {
      const a = keyHashPair(key);
      return find(state, a, keyHashPairB()) !== NOT_FOUND;
    },
    get size() {
      return state.size;
    },
    state: () => state,
  };
}
