/**
 * Compact hash sets of record keys for the cross-row and cross-file checks (duplicate keys, orphan
 * references, the same identifier with conflicting demographics). Memory per key is a few typed
 * array slots — never a JS object or string per row (issue 8: "compact hash sets").
 *
 * Constraints:
 * - Keys are identified by a 64-bit hash (two independent 32-bit FNV-1a variants over the UTF-16
 *   code units). Two different keys collide with probability ≈ n² / 2⁶⁵: for 10 million keys about
 *   3 · 10⁻⁶, so a reported duplicate is a real duplicate in practice; the report says "by hash".
 * - Open addressing with linear probing at load ≤ 0.5; the table doubles as it fills.
 * - Each entry keeps the first row holding the key, its byte offset (to re-read it), and up to
 *   {@link MAX_DEMOGRAPHICS} 32-bit hashes of demographic cells (name, birth date, sex) so a
 *   repeated key can be told apart as "same person twice" or "different people, one identifier".
 * - Key TEXT is kept only for keys found more than once, and only for the first
 *   {@link MAX_DUPLICATE_GROUPS} of them (reports show the first ones).
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

/** The plain, transferable state of a key set (workers send it to be merged). */
export interface KeySetState {
  capacity: number;
  size: number;
  hashA: Uint32Array;
  hashB: Uint32Array;
  rows: Uint32Array;
  offsets: Float64Array;
  demographics: Uint32Array;
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
    hashA: new Uint32Array(capacity),
    hashB: new Uint32Array(capacity),
    rows: new Uint32Array(capacity),
    offsets: new Float64Array(capacity),
    demographics: new Uint32Array(capacity * demographicCount),
    demographicCount,
    duplicates: [],
    duplicateRecords: 0,
    duplicateKeys: 0,
    conflictingKeys: 0,
  };
}

/** The slot of (a, b), or the empty slot where it would go. */
function slotOf(state: KeySetState, a: number, b: number): number {
  const mask = state.capacity - 1;
  let slot = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
  for (;;) {
    const existing = state.hashA[slot] as number;
    if (existing === 0 || (existing === a && state.hashB[slot] === b)) return slot;
    slot = (slot + 1) & mask;
  }
}

function grow(state: KeySetState): KeySetState {
  const bigger = emptyState(state.demographicCount, state.capacity * 2);
  bigger.size = state.size;
  bigger.duplicates = state.duplicates;
  bigger.duplicateRecords = state.duplicateRecords;
  bigger.duplicateKeys = state.duplicateKeys;
  bigger.conflictingKeys = state.conflictingKeys;
  const d = state.demographicCount;
  for (let i = 0; i < state.capacity; i++) {
    const a = state.hashA[i] as number;
    if (a === 0) continue;
    const slot = slotOf(bigger, a, state.hashB[i] as number);
    bigger.hashA[slot] = a;
    bigger.hashB[slot] = state.hashB[i] as number;
    bigger.rows[slot] = state.rows[i] as number;
    bigger.offsets[slot] = state.offsets[i] as number;
    for (let k = 0; k < d; k++) bigger.demographics[slot * d + k] = state.demographics[i * d + k] as number;
  }
  return bigger;
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
  slot: number,
  key: string,
  row: number,
  demo: ArrayLike<number> | undefined,
): void {
  state.duplicateRecords++;
  const d = state.demographicCount;
  const differing: number[] = [];
  if (demo) {
    for (let k = 0; k < d; k++) if (state.demographics[slot * d + k] !== demo[k]) differing.push(k);
  }
  // groups are found by the first row of the key (kept in the slot)
  const firstRow = state.rows[slot] as number;
  const index = groupIndex(state);
  let group = index.get(firstRow);
  if (!group) {
    state.duplicateKeys++;
    if (state.duplicates.length >= MAX_DUPLICATE_GROUPS) {
      if (differing.length > 0) state.conflictingKeys++;
      return;
    }
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
  let state = emptyState(demographicCount);
  const demo = new Uint32Array(demographicCount);
  return {
    add(key, row, offset, demographics) {
      const a = keyHashA(key);
      const b = keyHashB(key);
      for (let k = 0; k < demographicCount; k++) demo[k] = demographicHash(demographics?.[k]);
      const slot = slotOf(state, a, b);
      if (state.hashA[slot] !== 0) {
        recordDuplicate(state, slot, key, row, demo);
        return false;
      }
      state.hashA[slot] = a;
      state.hashB[slot] = b;
      state.rows[slot] = row;
      state.offsets[slot] = offset;
      for (let k = 0; k < demographicCount; k++)
        state.demographics[slot * demographicCount + k] = demo[k] as number;
      state.size++;
      if (state.size * 2 > state.capacity) state = grow(state);
      return true;
    },
    has(key) {
      return state.hashA[slotOf(state, keyHashA(key), keyHashB(key))] !== 0;
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
 * held it) and the part's own repeats (its groups, at their second row). Limit: a part lists
 * its own first {@link MAX_DUPLICATE_GROUPS} groups only, so once a part has more, a key an earlier
 * part held may be listed with fewer of that part's repeats than one pass would count.
 */
export function mergeKeySets(parts: readonly KeySetState[]): {
  state: KeySetState;
  unresolved: UnresolvedDuplicate[];
} {
  const d = parts[0]?.demographicCount ?? 0;
  // sized once for every key (a doubling table would hold two copies while it grows)
  const total = parts.reduce((n, p) => n + p.size, 0);
  let capacity = INITIAL_CAPACITY;
  while (total * 2 > capacity) capacity *= 2;
  const merged = emptyState(d, capacity);
  const unresolved: UnresolvedDuplicate[] = [];
  for (const part of parts) {
    const partGroups = new Map(part.duplicates.map((g) => [g.rows[0] as number, g]));
    /** the part's groups of keys an earlier part held: their rows joined the merged group at once */
    const joined = new Set<DuplicateGroup>();
    const slots = new Uint32Array(part.size);
    let n = 0;
    for (let i = 0; i < part.capacity; i++) if (part.hashA[i] !== 0) slots[n++] = i;
    const byRow = slots.subarray(0, n).sort((x, y) => (part.rows[x] as number) - (part.rows[y] as number));
    const groups = [...part.duplicates].sort((x, y) => (x.rows[1] as number) - (y.rows[1] as number));
    let g = 0;
    const openGroup = (own: DuplicateGroup) => {
      if (joined.has(own)) return;
      merged.duplicateKeys++;
      merged.duplicateRecords += own.count - 1;
      if (own.conflicting.length > 0) merged.conflictingKeys++;
      if (merged.duplicates.length < MAX_DUPLICATE_GROUPS)
        merged.duplicates.push({ ...own, rows: [...own.rows], conflicting: [...own.conflicting] });
    };
    for (const i of byRow) {
      const row = part.rows[i] as number;
      // the part's own repeats met before this record
      while (g < groups.length && ((groups[g] as DuplicateGroup).rows[1] as number) < row)
        openGroup(groups[g++] as DuplicateGroup);
      const a = part.hashA[i] as number;
      const b = part.hashB[i] as number;
      const slot = slotOf(merged, a, b);
      const demo = part.demographics.subarray(i * d, i * d + d);
      if (merged.hashA[slot] !== 0) {
        unresolved.push({
          offset: part.offsets[i] as number,
          row,
          firstRow: merged.rows[slot] as number,
          firstOffset: merged.offsets[slot] as number,
        });
        recordDuplicate(merged, slot, '', row, demo);
        // the part's own repeats of this key are repeats of the merged first record
        const own = partGroups.get(row);
        if (own) {
          joined.add(own);
          for (const repeat of own.rows.slice(1)) recordDuplicate(merged, slot, '', repeat, undefined);
          // repeats beyond the rows a group lists are counted
          const unlisted = own.count - own.rows.length;
          merged.duplicateRecords += unlisted;
          const group = groupIndex(merged).get(merged.rows[slot] as number);
          if (group) {
            group.count += unlisted;
            const before = group.conflicting.length;
            for (const k of own.conflicting) if (!group.conflicting.includes(k)) group.conflicting.push(k);
            if (before === 0 && group.conflicting.length > 0) merged.conflictingKeys++;
          }
        }
        continue;
      }
      merged.hashA[slot] = a;
      merged.hashB[slot] = b;
      merged.rows[slot] = row;
      merged.offsets[slot] = part.offsets[i] as number;
      merged.demographics.set(demo, slot * d);
      merged.size++;
    }
    while (g < groups.length) openGroup(groups[g++] as DuplicateGroup);
    // repeats of keys whose groups the part did not list (beyond its cap): counted only
    const listed = part.duplicates.reduce((sum, group) => sum + group.count - 1, 0);
    merged.duplicateRecords += part.duplicateRecords - listed;
    merged.duplicateKeys += part.duplicateKeys - part.duplicates.length;
  }
  merged.duplicates.sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number));
  return { state: merged, unresolved };
}

/** The two 32-bit hashes of a key (kept instead of the text when a check must wait for the whole set). */
export function keyHashes(text: string): [number, number] {
  return [keyHashA(text), keyHashB(text)];
}

/** Whether `state` holds the key with these hashes. */
export function stateHas(state: KeySetState, a: number, b: number): boolean {
  return state.hashA[slotOf(state, a, b)] !== 0;
}

/** Wraps a state (e.g. a merged one) as a read-only lookup set. */
export function keySetFromState(state: KeySetState): Pick<KeySet, 'has' | 'size' | 'state'> {
  return {
    has(key) {
      return state.hashA[slotOf(state, keyHashA(key), keyHashB(key))] !== 0;
    },
    get size() {
      return state.size;
    },
    state: () => state,
  };
}
