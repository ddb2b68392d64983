/**
 * Compact hash sets of record keys for the cross-row and cross-file checks (duplicate keys, orphan
 * references, the same identifier with conflicting demographics). Memory per key is a few typed
 * array slots — never a JS object or string per row (issue 8: "compact hash sets").
 *
 * Constraints:
 * - Keys are identified by a 64-bit hash (two independent 32-bit FNV-1a variants over the UTF-16
 *   code units). Two different keys collide with probability ≈ n² / 2⁶⁵: for 10 million keys about
 *   3 · 10⁻⁶, so a reported duplicate is a real duplicate in practice; the report says "by hash".
 * - Memory (issue 8: RSS flat whatever the file): entries are stored densely, in the order they were
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
 * - Sets of consecutive parts (a split run's ranges) merge into what one pass finds: the same
 *   counts and the same listing, rows, counts and conflicting columns of each listed key included
 *   ({@link mergeKeyParts}); where a part repeats more keys than it lists, the few listed keys it
 *   kept only one record of are read again from its range (readListedRepeats.ts).
 * - Memory still grows with the keys (≈ 50 bytes each): where a store is available (the CLI's
 *   temporary files), keySpill.ts checks duplicates with flat memory and the same results; these
 *   in-memory sets remain for lookups (references) and the browser.
 */

import { detach } from './detach.ts';
import type { SpilledKeys } from './keySpill.ts';

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
   * per entry: {@link REPEATED}, {@link CONFLICTING} and the {@link COLUMN_DIFFERS} bits, set for
   * keys beyond the listed groups so each is counted once in `duplicateKeys` and `conflictingKeys`
   * however often it repeats, and a merge knows which columns conflict without a listed group
   */
  flags: Uint8Array;
}

/** Entry flag: the key was found again and counted in `duplicateKeys` (keys beyond the listed groups). */
const REPEATED = 1;
/** Entry flag: the key's records' demographics differ and it is counted in `conflictingKeys`. */
const CONFLICTING = 2;
/**
 * Entry flag of demographic column `k` (bit `COLUMN_DIFFERS << k`, {@link MAX_DEMOGRAPHICS} bits
 * fit the byte): a record of the key differs from its first in that column. Set with
 * {@link CONFLICTING}, so a merge can carry an unlisted key's conflict into the group or entry of
 * an earlier part's record of the key, and count it once (issue 8: 83 conflicting keys instead of 93).
 */
const COLUMN_DIFFERS = 4;

/** The plain, transferable state of a key set (workers send it to be merged). */
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
  /**
   * set while the keys wait in a spill store to be checked (keySpill.ts `checkSpilledKeys`); a
   * state with `capacity` 0 has no index and cannot answer `has`
   */
  spilled?: SpilledKeys;
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

/** What a merged part's index is replaced with (see {@link mergeKeySets}). */
const RELEASED_INDEX = new Uint32Array(0);

/** What a merged part's chunk is replaced with once read (see {@link mergeKeySets}). */
const RELEASED_CHUNK: KeyChunk = {
  hashA: new Uint32Array(0),
  hashB: new Uint32Array(0),
  rows: new Uint32Array(0),
  offsets: new Float64Array(0),
  demographics: new Uint32Array(0),
  flags: new Uint8Array(0),
};

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
  // a programming error: a spilled set, or a part taken over by a merge, has no index to look in
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

/** The row of an entry. */
function rowOf(state: KeySetState, entry: number): number {
  return (state.chunks[entry >>> CHUNK_SHIFT] as KeyChunk).rows[entry & CHUNK_MASK] as number;
}

/** The byte offset of an entry. */
function offsetOf(state: KeySetState, entry: number): number {
  return (state.chunks[entry >>> CHUNK_SHIFT] as KeyChunk).offsets[entry & CHUNK_MASK] as number;
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

/**
 * Records a repeat of the key in `slot`. `key` is the key's text when known (a key set filled
 * row by row knows it; a merge of two sets does not, and leaves the text for the caller to re-read).
 */
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
    // a key counted as an unlisted repeat (REPEATED: in a merged part beyond its cap) stays unlisted
    if (state.duplicates.length >= MAX_DUPLICATE_GROUPS || ((chunk.flags[i] as number) & REPEATED) !== 0) {
      // beyond the listed groups: counted, each key once (its entry's flags), never listed
      const flags = chunk.flags[i] as number;
      if ((flags & REPEATED) === 0) state.duplicateKeys++;
      chunk.flags[i] = flags | REPEATED;
      if (differing.length > 0) markConflicting(state, entry, differing);
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
 * Records that the key of `entry` conflicts in `columns` (demographic indexes): added to its listed
 * group, or to its entry's flags when it is not listed, and the key counted in `conflictingKeys`
 * the first time either way.
 */
function markConflicting(state: KeySetState, entry: number, columns: readonly number[]): void {
  if (columns.length === 0) return;
  const chunk = state.chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
  const i = entry & CHUNK_MASK;
  const group = groupIndex(state).get(chunk.rows[i] as number);
  if (group) {
    const before = group.conflicting.length;
    for (const k of columns) if (!group.conflicting.includes(k)) group.conflicting.push(k);
    if (before === 0) state.conflictingKeys++;
    return;
  }
  let flags = chunk.flags[i] as number;
  if ((flags & CONFLICTING) === 0) state.conflictingKeys++;
  flags |= CONFLICTING;
  for (const k of columns) flags |= COLUMN_DIFFERS << k;
  chunk.flags[i] = flags;
}

/** The demographic columns an entry's flags mark as conflicting (see {@link COLUMN_DIFFERS}), in column order. */
function conflictingColumns(flags: number, demographicCount: number): number[] {
  const columns: number[] = [];
  for (let k = 0; k < demographicCount; k++) if ((flags & (COLUMN_DIFFERS << k)) !== 0) columns.push(k);
  return columns;
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

/** A key found in a later part that an earlier part already held: its text is re-read from `offset`. */
export interface UnresolvedDuplicate {
  /** byte offset of the later record (in its input) */
  offset: number;
  row: number;
  /** the first record's row and offset */
  firstRow: number;
  firstOffset: number;
}

/**
 * Merges key sets of consecutive parts of one input (in file order) into one. Duplicates within a
 * part keep their text; a key first seen in one part and again in a later one is a new duplicate
 * whose text is not known here: it is returned in `unresolved` (with both offsets) and grouped
 * under an empty key until the caller fills it in by re-reading the record.
 *
 * The listed groups are the ones a single pass would list: a pass lists the first
 * {@link MAX_DUPLICATE_GROUPS} keys in the order their first repeat is met, so each part's events
 * are replayed in row order — a key's first record in the part (a repeat when an earlier part
 * held it) and the part's own repeats (its groups, at their second row).
 *
 * Memory: the merge takes over the parts' storage — the first part's chunks become the result's,
 * a later part's chunks are released as they are read — so the parts' states must not be used
 * afterwards. The counts (repeated keys, repeated records, conflicting keys) are those of one
 * pass for any split: each key is counted once, from its listed group or, beyond the listed
 * groups (the part's or the merged set's), from its entry's flags, which also say which columns
 * conflict — so a key's conflicts found in any part reach its group or entry in the merged set.
 * Limit of this function alone: a part lists its own first {@link MAX_DUPLICATE_GROUPS} groups
 * only, so once a part has more, a listed key an earlier part held may be listed with only that
 * part's first record of it (fewer rows and a lower count than one pass lists; its conflicting
 * columns are the right ones, those first found by that part in column order). {@link mergeKeyParts}
 * lifts it by reading such a part's range again for those keys (splitMerge.ts does); the spilled
 * check (keySpill.ts) has no such limit.
 */
export function mergeKeySets(parts: readonly KeySetState[]): {
  state: KeySetState;
  unresolved: UnresolvedDuplicate[];
} {
  const merger = createKeySetMerger(
    parts[0]?.demographicCount ?? 0,
    parts.reduce((n, p) => n + p.size, 0),
  );
  for (const part of parts) merger.add(part);
  return merger.finish();
}

/**
 * {@link mergeKeySets} fed one part at a time, in file order: a part is merged while later ones
 * are still being validated (splitMerge.ts). `expectedTotal` (keys in all parts) sizes the index
 * once; more keys than that grow it. Same result as {@link mergeKeySets}, same ownership of the parts.
 */
export function createKeySetMerger(demographicCount: number, expectedTotal: number): KeySetMerger {
  const d = demographicCount;
  let capacity = INITIAL_CAPACITY;
  while (expectedTotal * 2 > capacity) capacity *= 2;
  const merged = emptyState(d, capacity);
  const unresolved: UnresolvedDuplicate[] = [];
  let parts = 0;
  /** the last part's keys listed short until their rows are read again (see {@link KeySetMerger.listedRepeats}) */
  let pending: PendingRepeat[] = [];
  /** the part (1-based) whose keys listedRepeats() named and completeListing has not completed, or 0 */
  let awaiting = 0;
  /** a caller that asked which keys to read again and went on without them would list them short unseen */
  const refuseIncomplete = (call: string) => {
    if (awaiting > 0)
      throw new Error(
        `KeySetMerger.${call}() was called before completeListing(): part ${awaiting}'s keys named by listedRepeats() would stay listed short. Read the part's range again for them and call completeListing() first.`,
      );
  };
  function add(part: KeySetState): void {
    refuseIncomplete('add');
    pending = [];
    // the first part's entries are the merged set's first entries, in the same order: its chunks
    // are taken over, not copied (later parts append after its last entry, which it never reads)
    const adopted = parts++ === 0;
    if (adopted) merged.chunks = [...part.chunks];
    // a part's index is not read here: let it go at once (4 to 8 bytes per key of every part)
    part.index = RELEASED_INDEX;
    part.capacity = 0;
    const partGroups = new Map(part.duplicates.map((g) => [g.rows[0] as number, g]));
    /** the part's groups of keys an earlier part held: their rows joined the merged group at once */
    const joined = new Set<DuplicateGroup>();
    const groups = [...part.duplicates].sort((x, y) => (x.rows[1] as number) - (y.rows[1] as number));
    /** the merged entry of each of the part's groups of keys new to the merged set */
    const entryOfGroup = new Map<DuplicateGroup, number>();
    // the part's groups by first row, walked beside its entries (in row order too): a compare per
    // entry, not a map lookup per key
    const byFirstRow = [...part.duplicates].sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number));
    let f = 0;
    let g = 0;
    const openGroup = (own: DuplicateGroup) => {
      if (joined.has(own)) return;
      merged.duplicateKeys++;
      merged.duplicateRecords += own.count - 1;
      if (merged.duplicates.length < MAX_DUPLICATE_GROUPS) {
        if (own.conflicting.length > 0) merged.conflictingKeys++;
        merged.duplicates.push({ ...own, rows: [...own.rows], conflicting: [...own.conflicting] });
        return;
      }
      // beyond the merged set's listed groups: its entry says it was counted (a later part's
      // repeat of the key must not count it again) and which columns conflict
      const entry = entryOfGroup.get(own) as number;
      const ec = merged.chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
      ec.flags[entry & CHUNK_MASK] = (ec.flags[entry & CHUNK_MASK] as number) | REPEATED;
      markConflicting(merged, entry, own.conflicting);
    };
    // a part's entries are in row order (the order they were added)
    for (let entry = 0; entry < part.size; entry++) {
      const chunk = part.chunks[entry >>> CHUNK_SHIFT] as KeyChunk;
      const i = entry & CHUNK_MASK;
      // a later part's chunk is let go once read: the merge's peak memory stays one chunk above the result
      if (!adopted && (i === CHUNK_MASK || entry === part.size - 1))
        part.chunks[entry >>> CHUNK_SHIFT] = RELEASED_CHUNK;
      const row = chunk.rows[i] as number;
      // the part's own repeats met before this record
      while (g < groups.length && ((groups[g] as DuplicateGroup).rows[1] as number) < row)
        openGroup(groups[g++] as DuplicateGroup);
      const a = chunk.hashA[i] as number;
      const b = chunk.hashB[i] as number;
      const slot = slotOf(merged, a, b);
      const first = entryOfSlot(merged, slot);
      const demo = chunk.demographics.subarray(i * d, i * d + d);
      /** the key repeats within the part beyond its listed groups (counted here, not in a group) */
      const flags = chunk.flags[i] as number;
      if (first !== NOT_FOUND) {
        const firstRow = rowOf(merged, first);
        unresolved.push({
          offset: chunk.offsets[i] as number,
          row,
          firstRow,
          firstOffset: offsetOf(merged, first),
        });
        /** the part repeats the key beyond its own listed groups: only this record of it is here */
        const unlisted = (flags & REPEATED) !== 0;
        const conflictingBefore = unlisted ? (groupIndex(merged).get(firstRow)?.conflicting.length ?? 0) : 0;
        recordDuplicate(merged, first, '', row, demo);
        // the part's own repeats of this key are repeats of the merged first record
        const own = partGroups.get(row);
        if (own) {
          joined.add(own);
          for (const repeat of own.rows.slice(1)) recordDuplicate(merged, first, '', repeat, undefined);
          // repeats beyond the rows a group lists are counted
          const beyondRows = own.count - own.rows.length;
          merged.duplicateRecords += beyondRows;
          const group = groupIndex(merged).get(rowOf(merged, first));
          if (group) group.count += beyondRows;
          // the part's repeats that differ from its first record there differ from the merged
          // first record in the same columns, or the part's first record already did: listed
          // group or not, the key conflicts in the union (counted once)
          markConflicting(merged, first, own.conflicting);
        } else if ((flags & CONFLICTING) !== 0) {
          // the part's unlisted repeats of the key differ from its first record there (same reasoning)
          markConflicting(merged, first, conflictingColumns(flags, d));
        }
        // listed by the merged set: its other records in the part are read again (listedRepeats)
        const group = unlisted ? groupIndex(merged).get(firstRow) : undefined;
        if (group) pending.push({ a, b, entry: first, group, row, conflictingBefore });
        continue;
      }
      while (f < byFirstRow.length && ((byFirstRow[f] as DuplicateGroup).rows[0] as number) < row) f++;
      if (f < byFirstRow.length && (byFirstRow[f] as DuplicateGroup).rows[0] === row)
        entryOfGroup.set(byFirstRow[f] as DuplicateGroup, adopted ? entry : merged.size);
      // a key new to the merged set that repeats within the part beyond its listed groups
      if ((flags & REPEATED) !== 0) {
        merged.duplicateKeys++;
        if ((flags & CONFLICTING) !== 0) merged.conflictingKeys++;
      }
      if (adopted) {
        merged.index[slot] = entry + 1;
        merged.size++;
        // more keys than expected (see above)
        if (merged.size * 2 > merged.capacity) growIndex(merged);
      } else append(merged, slot, a, b, row, chunk.offsets[i] as number, demo, chunk.flags[i] as number);
    }
    while (g < groups.length) openGroup(groups[g++] as DuplicateGroup);
    // repeats of keys whose groups the part did not list (beyond its cap): counted only
    const listed = part.duplicates.reduce((sum, group) => sum + group.count - 1, 0);
    merged.duplicateRecords += part.duplicateRecords - listed;
  }
  return {
    add,
    listedRepeats() {
      if (pending.length === 0) return undefined;
      awaiting = parts;
      const n = pending.length;
      const wanted: ListedRepeats = {
        hashA: new Uint32Array(n),
        hashB: new Uint32Array(n),
        demographicCount: d,
        demographics: new Uint32Array(n * d),
      };
      pending.forEach((p, k) => {
        wanted.hashA[k] = p.a;
        wanted.hashB[k] = p.b;
        const chunk = merged.chunks[p.entry >>> CHUNK_SHIFT] as KeyChunk;
        const i = p.entry & CHUNK_MASK;
        wanted.demographics.set(chunk.demographics.subarray(i * d, i * d + d), k * d);
      });
      return wanted;
    },
    completeListing(found, rowBase) {
      if (awaiting === 0)
        throw new Error(
          'KeySetMerger.completeListing() was called with no keys to complete: call it once after listedRepeats() named keys, with what the range holds of them.',
        );
      if (found.counts.length !== pending.length)
        throw new Error(
          `KeySetMerger.completeListing() was given ${found.counts.length} keys' records for the ${pending.length} keys listedRepeats() named: give them in its order.`,
        );
      awaiting = 0;
      pending.forEach((p, k) => {
        const count = found.counts[k] ?? 0;
        const rows = (found.rows[k] ?? []).map((r) => r + rowBase);
        // the range does not read as it did (the file changed under the run): left as merged
        if (count < 1 || rows[0] !== p.row) return;
        const group = p.group;
        // the record at p.row is counted and listed already; the part's other records are not
        group.count += count - 1;
        for (const r of rows.slice(1)) if (group.rows.length < MAX_ROWS_PER_DUPLICATE) group.rows.push(r);
        // the columns this part added (from its flags: in column order) in the order one pass
        // finds them; the set was exact already (mergeKeySets), and so is conflictingKeys
        const added = group.conflicting.slice(p.conflictingBefore);
        const order = (found.conflicting[k] ?? []).filter((c) => added.includes(c));
        for (const c of added) if (!order.includes(c)) order.push(c);
        group.conflicting.splice(p.conflictingBefore, added.length, ...order);
      });
      pending = [];
    },
    finish() {
      refuseIncomplete('finish');
      pending = [];
      merged.duplicates.sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number));
      return { state: merged, unresolved };
    },
  };
}

/** A key of the last merged part listed short until its rows are read again. */
interface PendingRepeat {
  a: number;
  b: number;
  /** the key's entry in the merged set (its first record overall) */
  entry: number;
  /** its listed group in the merged set */
  group: DuplicateGroup;
  /** the part's first record of the key (re-based), the one the part's state holds */
  row: number;
  /** the group's conflicting columns before the part was merged */
  conflictingBefore: number;
}

/**
 * A merge of key sets fed one part at a time, in file order ({@link createKeySetMerger}). Between
 * two parts, {@link KeySetMerger.listedRepeats} names the keys the merged set lists that the
 * part just added repeats beyond its own {@link MAX_DUPLICATE_GROUPS} listed groups: the part
 * kept only its first record of each, so they are listed short (fewer rows, a lower count) until
 * their rows are read again from the part's range ({@link createListedRepeatCollector}) and given
 * to {@link KeySetMerger.completeListing} — then the listing is exactly one pass's.
 */
export interface KeySetMerger {
  /** Merges the next part (see {@link mergeKeySets} for the ownership of the part). */
  add(part: KeySetState): void;
  /**
   * The keys to read again from the part last added (at most {@link MAX_DUPLICATE_GROUPS}), or
   * undefined when none is listed short. Once it named keys, {@link KeySetMerger.completeListing}
   * must follow before the next `add` or `finish`, which throw otherwise (a caller that never asks
   * keeps {@link mergeKeySets}' listing limit).
   */
  listedRepeats(): ListedRepeats | undefined;
  /**
   * Completes the listing of {@link KeySetMerger.listedRepeats}'s keys with what the part's range
   * holds of them (`found`: rows numbered within the range, `rowBase` the records before it).
   * Call before the next {@link KeySetMerger.add}: the groups' rows are appended in row order.
   * Throws when listedRepeats() named no keys since the part was added (or they were completed
   * already), or when `found` holds another number of keys than it named.
   */
  completeListing(found: ListedRepeatRows, rowBase: number): void;
  /** The merged set (the groups sorted by first row) and the repeats whose key text is unknown. */
  finish(): { state: KeySetState; unresolved: UnresolvedDuplicate[] };
}

/** Keys whose records a range is read again for ({@link KeySetMerger.listedRepeats}): plain data. */
export interface ListedRepeats {
  /** the keys' first hashes ({@link keyHashA}), one per key */
  hashA: Uint32Array;
  /** their second hashes ({@link keyHashB}) */
  hashB: Uint32Array;
  demographicCount: number;
  /** per key, `demographicCount` hashes of its first record overall (conflicts are found against it) */
  demographics: Uint32Array;
}

/** What a range holds of {@link ListedRepeats}' keys, by key (same order). */
export interface ListedRepeatRows {
  /** records of the key in the range */
  counts: number[];
  /** the key's first {@link MAX_ROWS_PER_DUPLICATE} rows in the range (numbered within it) */
  rows: number[][];
  /** demographic columns where a record differs from the key's first record overall, in the order found */
  conflicting: number[][];
}

/**
 * Collects, from a range's records in row order, what it holds of `wanted`'s keys (bounded memory:
 * a count, {@link MAX_ROWS_PER_DUPLICATE} rows and the columns per key, however often a key repeats).
 * `demographics` are the record's demographic cells in the key set's order.
 */
export function createListedRepeatCollector(wanted: ListedRepeats): {
  add(key: string, row: number, demographics: readonly string[]): void;
  result(): ListedRepeatRows;
} {
  const n = wanted.hashA.length;
  const d = wanted.demographicCount;
  // first hash → the keys with it (two keys rarely share it; both are checked by the second)
  const byHashA = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    const a = wanted.hashA[k] as number;
    const same = byHashA.get(a);
    if (same) same.push(k);
    else byHashA.set(a, [k]);
  }
  const found: ListedRepeatRows = {
    counts: new Array<number>(n).fill(0),
    rows: Array.from({ length: n }, () => []),
    conflicting: Array.from({ length: n }, () => []),
  };
  return {
    add(key, row, demographics) {
      const same = byHashA.get(keyHashPair(key));
      if (same === undefined) return;
      const b = keyHashPairB();
      const k = same.find((candidate) => wanted.hashB[candidate] === b);
      if (k === undefined) return;
      found.counts[k] = (found.counts[k] as number) + 1;
      const rows = found.rows[k] as number[];
      if (rows.length < MAX_ROWS_PER_DUPLICATE) rows.push(row);
      const columns = found.conflicting[k] as number[];
      for (let c = 0; c < d; c++)
        if (demographicHash(demographics[c] ?? '') !== wanted.demographics[k * d + c] && !columns.includes(c))
          columns.push(c);
    },
    result: () => found,
  };
}

/**
 * Reads a part's range again, once, for the keys the merge of each of its key sets lists short
 * ({@link KeySetMerger.listedRepeats}; `set` numbers the key set): what the range holds of them,
 * in the order asked.
 */
export type ReadListedRepeats = (
  part: number,
  wanted: readonly { set: number; wanted: ListedRepeats }[],
) => Promise<ListedRepeatRows[]>;

/**
 * Merges the key sets of consecutive parts of one input (in file order), `sets` of them side by
 * side (one per key column), each as {@link mergeKeySets}, and lists what one pass lists whatever
 * the split: after each part, the keys its sets list short are read again from its range by
 * `readAgain` — one read of the range for all its key sets, only when such keys exist. Without
 * `readAgain`, the listing keeps {@link mergeKeySets}' limit. The results in set order.
 *
 * @param parts how many parts; `part(j, s)` gives part j's state of set s (called once each, in order)
 * @param rowBases records before each part (to number the rows read again)
 * @param mergers per set, a merge the first part was already added to (splitMerge.ts `startKeyMerges`)
 */
export async function mergeKeyParts(options: {
  parts: number;
  sets: number;
  part: (j: number, set: number) => KeySetState;
  rowBases: readonly number[];
  mergers?: readonly (KeySetMerger | undefined)[] | undefined;
  readAgain?: ReadListedRepeats | undefined;
}): Promise<{ state: KeySetState; unresolved: UnresolvedDuplicate[] }[]> {
  const { parts, part, rowBases, readAgain } = options;
  const merging = Array.from({ length: options.sets }, (_, set) => {
    const ahead = options.mergers?.[set];
    if (ahead) return { merger: ahead, from: 1, states: undefined };
    // every part first, to size the merged index once
    const states = Array.from({ length: parts }, (_, j) => part(j, set));
    const merger = createKeySetMerger(
      states[0]?.demographicCount ?? 0,
      states.reduce((n, state) => n + state.size, 0),
    );
    return { merger, from: 0, states };
  });
  for (let j = 0; j < parts; j++) {
    const asks: { set: number; wanted: ListedRepeats }[] = [];
    for (const [set, { merger, from, states }] of merging.entries()) {
      if (j < from) continue;
      merger.add(states ? (states[j] as KeySetState) : part(j, set));
      const wanted = readAgain ? merger.listedRepeats() : undefined;
      if (wanted) asks.push({ set, wanted });
    }
    if (!readAgain || asks.length === 0) continue;
    const found = await readAgain(j, asks);
    if (found.length !== asks.length)
      throw new Error(`part ${j} was read again for ${asks.length} key sets and gave ${found.length}`);
    for (const [k, { set }] of asks.entries())
      merging[set]?.merger.completeListing(found[k] as ListedRepeatRows, rowBases[j] ?? 0);
  }
  return merging.map(({ merger }) => merger.finish());
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

/** Wraps a state (e.g. a merged one) as a read-only lookup set. */
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
