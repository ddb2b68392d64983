/**
 * Column profiles: completeness, distinct count, top values, min/max and the kinds of
 * values found — e.g. "birth_date: 3 date formats: ISO 61 %, MM/DD/YYYY 30 %, DD.MM.YYYY 9 %".
 *
 * Constraints:
 * - Memory per column is bounded whatever the rows: at most {@link MAX_TRACKED_VALUES} exact value
 *   counts, a set of 64-bit fingerprints of at most {@link MAX_EXACT_DISTINCT} values (2 MiB at
 *   most), and a HyperLogLog sketch of 2^{@link HLL_BITS} registers.
 * - Distinct count: exact while a column has at most {@link MAX_EXACT_DISTINCT} distinct values
 *   (counted by value up to {@link MAX_TRACKED_VALUES}, then by 64-bit fingerprint: two values
 *   share one with a chance below one in a billion at that size); beyond, the HyperLogLog
 *   estimate, whose standard error is 1.04 / √4096 ≈ 1.6 % (`distinctExact` says which), kept
 *   between the values counted and the filled cells — never more values than cells.
 * - Min/max are compared by value: numbers as numbers, dates (of any layout the profile tells,
 *   padded or not) as dates; other texts in code-unit order.
 * - Top values: once a column holds more distinct values than are tracked (the cell of the
 *   {@link MAX_TRACKED_VALUES} + 1st value "overflows" it), nothing more is counted by value: new
 *   values are not added, and the tracked values' counts stop at the cells before that one (a
 *   cell then costs no lookup among the tracked values). Past the overflow a listed count is a
 *   minimum and a more frequent value may be missing; `topExact` is then false, and the report
 *   and the screen say so. A high-cardinality column's top values are rarely meaningful anyway
 *   (names, ids).
 */

import { detach } from './detach.ts';
import { DistinctSet } from './distinctSet.ts';

/** Exact value counts kept per column. */
export const MAX_TRACKED_VALUES = 1000;
/** Distinct values counted exactly per column (by fingerprint past {@link MAX_TRACKED_VALUES}). */
export const MAX_EXACT_DISTINCT = 100_000;
/** HyperLogLog register index bits (4096 registers). */
const HLL_BITS = 12;
export const HLL_REGISTERS = 1 << HLL_BITS;

/** Top values listed in a profile. */
const TOP_VALUES = 10;

/** Value kinds the profiler tells apart (public: report `profiles[].kinds` keys). */
export const VALUE_KINDS = [
  'integer',
  'decimal',
  'boolean',
  'date:YYYY-MM-DD',
  'date:MM/DD/YYYY',
  'date:DD/MM/YYYY',
  'date:DD.MM.YYYY',
  'date:YYYYMMDD',
  'date:M/D/YYYY',
  'date:D/M/YYYY',
  'datetime:ISO',
  'email',
  'text',
] as const;

export type ValueKind = (typeof VALUE_KINDS)[number];

const isDigit = (c: number) => c >= 48 && c <= 57;

function digits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Whether `text` is `lower` (lower-case ASCII letters, same length) in any letter case. */
function asciiLowerEquals(text: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(i) | 32) !== lower.charCodeAt(i)) return false;
  return true;
}

/** The number written by two ASCII digits at `at` (the caller checked they are digits). */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

const DECIMAL = /^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a code unit is ECMAScript white space or a line terminator (what `\s` matches). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * /^[^\s@]+@[^\s@]+\.[^\s@]+$/ without a regular expression call (an e-mail column runs it on every
 * cell): one "@", not first; a "." two or more after it and before the end; no white space.
 */
function isEmailLike(text: string): boolean {
  const at = text.indexOf('@');
  if (at < 1 || text.indexOf('@', at + 1) >= 0) return false;
  const dot = text.indexOf('.', at + 2);
  if (dot < 0 || dot > text.length - 2) return false;
  for (let i = 0; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return false;
  return true;
}
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

const KIND = Object.fromEntries(VALUE_KINDS.map((k, i) => [k, i])) as Record<ValueKind, number>;
const KIND_INTEGER = KIND.integer;
const KIND_DECIMAL = KIND.decimal;

/** The kind of a non-empty cell (cheap character tests first: this runs on every cell). */
export function valueKind(text: string): ValueKind {
  return VALUE_KINDS[kindIndexOf(text)] as ValueKind;
}

/** {@link valueKind} as an index into {@link VALUE_KINDS} (no per-cell map lookup in the profiler). */
function kindIndexOf(text: string): number {
  const n = text.length;
  const first = text.charCodeAt(0);
  if (isDigit(first) || first === 45 || first === 43 || first === 46) {
    if (n === 10) {
      const a = text.charCodeAt(2);
      const b = text.charCodeAt(4);
      if (
        b === 45 &&
        text.charCodeAt(7) === 45 &&
        digits(text, 0, 4) &&
        digits(text, 5, 7) &&
        digits(text, 8, 10)
      )
        return KIND['date:YYYY-MM-DD'];
      if (
        a === 47 &&
        text.charCodeAt(5) === 47 &&
        digits(text, 0, 2) &&
        digits(text, 3, 5) &&
        digits(text, 6, 10)
      )
        return twoDigits(text, 0) > 12 ? KIND['date:DD/MM/YYYY'] : KIND['date:MM/DD/YYYY'];
      if (
        a === 46 &&
        text.charCodeAt(5) === 46 &&
        digits(text, 0, 2) &&
        digits(text, 3, 5) &&
        digits(text, 6, 10)
      )
        return KIND['date:DD.MM.YYYY'];
    }
    if ((n === 8 || n === 9) && isDigit(first)) {
      const slashDate = unpaddedSlashDate(text, n);
      if (slashDate >= 0) return slashDate;
    }
    const signed = first === 45 || first === 43;
    if (signed ? n > 1 && digits(text, 1, n) : unsignedDigits(text, n)) {
      // the digits' own codes, not two `startsWith` calls per 8-digit cell (MRNs, YYYYMMDD dates)
      if (n === 8 && !signed) {
        const century = twoDigits(text, 0);
        if (century === 19 || century === 20) {
          const month = twoDigits(text, 4);
          const day = twoDigits(text, 6);
          if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return KIND['date:YYYYMMDD'];
        }
      }
      return KIND.integer;
    }
    // cheap necessary conditions before each regex: a decimal without a sign has a "." as its first
    // character that is not a digit (where unsignedDigits stopped: no search of the text), a
    // signed one a "." somewhere; an ISO date-time a "-" at 4 and 7 (phone numbers, SSNs,
    // addresses and the like fail them)
    if ((signed ? text.includes('.') : text.charCodeAt(digitsStop) === 46) && DECIMAL.test(text))
      return KIND.decimal;
    if (n > 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && ISO_DATETIME.test(text))
      return KIND['datetime:ISO'];
  }
  // "true"/"false" in any case: no other character lower-cases to one of these ASCII letters
  if (n === 4 || n === 5) {
    if (n === 4 ? asciiLowerEquals(text, 'true') : asciiLowerEquals(text, 'false')) return KIND.boolean;
  }
  if (isEmailLike(text)) return KIND.email;
  return KIND.text;
}

/**
 * A slash date with a one-digit month or day ("1/5/1990", "12/5/1990", "1/15/1990": spreadsheet
 * output), as an index into {@link VALUE_KINDS}: M/D/YYYY, or D/M/YYYY when the first part cannot
 * be a month; -1 when `text` (8 or 9 code units) is not one.
 */
function unpaddedSlashDate(text: string, n: number): number {
  const a = text.charCodeAt(1) === 47 ? 1 : text.charCodeAt(2) === 47 ? 2 : -1;
  if (a < 0 || !digits(text, 0, a)) return -1;
  const b = n - 5;
  if (text.charCodeAt(b) !== 47 || b - a - 1 < 1 || b - a - 1 > 2) return -1;
  if (!digits(text, a + 1, b) || !digits(text, b + 1, n)) return -1;
  const first = Number(text.slice(0, a));
  const second = Number(text.slice(a + 1, b));
  if (first < 1 || second < 1 || first > 31 || second > 31) return -1;
  if (first <= 12) return KIND['date:M/D/YYYY'];
  return second <= 12 ? KIND['date:D/M/YYYY'] : -1;
}

/**
 * The date a cell of date kind `k` writes, as one number that orders dates (year × 10,000 +
 * month × 100 + day); NaN for a kind that is not a date.
 */
export function dateValue(text: string, k: number): number {
  const part = (from: number, to: number) => Number(text.slice(from, to));
  switch (VALUE_KINDS[k]) {
    case 'date:YYYY-MM-DD':
      return part(0, 4) * 10_000 + part(5, 7) * 100 + part(8, 10);
    case 'date:YYYYMMDD':
      return part(0, 8);
    case 'date:MM/DD/YYYY':
      return part(6, 10) * 10_000 + part(0, 2) * 100 + part(3, 5);
    case 'date:DD/MM/YYYY':
    case 'date:DD.MM.YYYY':
      return part(6, 10) * 10_000 + part(3, 5) * 100 + part(0, 2);
    case 'date:M/D/YYYY':
    case 'date:D/M/YYYY': {
      const [x, y, year] = text.split('/').map(Number) as [number, number, number];
      const monthFirst = VALUE_KINDS[k] === 'date:M/D/YYYY';
      return year * 10_000 + (monthFirst ? x : y) * 100 + (monthFirst ? y : x);
    }
    default:
      return Number.NaN;
  }
}

/** Whether kind index `k` is a date kind (`date:…`). */
function isDateKind(k: number): boolean {
  return (VALUE_KINDS[k] as string).startsWith('date:');
}

/** Digits whose number is exact in a double (below 2^53), read without `Number`. */
const EXACT_DIGITS = 15;

/**
 * The text {@link unsignedDigits} last read (at most {@link EXACT_DIGITS} digits) and their number:
 * an integer cell's number is then not read again by {@link integerOf} (MRNs, postcodes: a
 * second pass over every cell of such a column). Cleared once used, and when any profile's state
 * is read at the end of a run, so no cell is held after it.
 */
let digitsText: string | undefined;
let digitsNumber = 0;
/** Where the last {@link unsignedDigits} that returned false met its first code unit not a digit. */
let digitsStop = 0;

/** Whether a text of `n` > 0 code units is digits only; their number is kept for {@link integerOf}. */
function unsignedDigits(text: string, n: number): boolean {
  let number = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    // (d >>> 0) > 9 also rejects code units below "0"
    if (d >>> 0 > 9) {
      digitsStop = i;
      return false;
    }
    number = number * 10 + d;
  }
  if (n <= EXACT_DIGITS) {
    digitsText = text;
    digitsNumber = number;
  }
  return true;
}

/** `Number(text)` of an integer-kind text: unsigned short ones digit by digit (ids, codes, postcodes). */
function integerOf(text: string): number {
  if (text === digitsText) {
    // the same digits, summed in the same order as below: the same number
    digitsText = undefined;
    return digitsNumber;
  }
  const n = text.length;
  const first = text.charCodeAt(0);
  if (n > EXACT_DIGITS || first === 45 || first === 43) return Number(text);
  let number = 0;
  for (let i = 0; i < n; i++) number = number * 10 + text.charCodeAt(i) - 48;
  return number;
}

/**
 * FNV-1a with a murmur3 finaliser: one multiply per character, well mixed high bits for HyperLogLog.
 *
 * Why every cell of an overflowed column is hashed whole, and by this function: the distinct
 * counts of reports must not change, so the registers must get the same hashes; FNV-1a is a
 * chain of dependent multiplies (one per code unit, no two units at once), and the sketch needs
 * every value (a value seen before could only be skipped after a lookup that hashes it too). On
 * the bench extract (200,000 rows, 9 of 23 columns overflow) this loop and the register update
 * are about 6 % of a one-thread pass; an overflowed column's cell costs 75-145 ns in all
 * (ids, dates, postcodes) and an e-mail column's about 285 ns (26 code units read by the format
 * check and by the hash, mostly V8 sliced strings).
 */
function profileHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return finish(h);
}

/** murmur3's 32-bit finaliser. */
function finish(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A second hash of `text`, independent of {@link profileHash} (another seed and multiplier): with
 * it, a value's 64-bit fingerprint for the exact distinct count (distinctSet.ts).
 */
function secondHash(text: string): number {
  let h = 0x5bd1e995;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x2127599b);
  return finish(h);
}

/** HyperLogLog: register = top HLL_BITS bits of the hash, rank = leading zeros of the rest + 1. */
export function addToSketch(registers: Uint8Array, text: string): void {
  addHashToSketch(registers, profileHash(text));
}

function addHashToSketch(registers: Uint8Array, hash: number): void {
  const register = hash >>> (32 - HLL_BITS);
  const rank = Math.clz32((hash << HLL_BITS) | (1 << (HLL_BITS - 1))) + 1;
  if (rank > (registers[register] as number)) registers[register] = rank;
}

/** The mergeable state of one column's profile. */
export interface ProfileState {
  column: string;
  count: number;
  empty: number;
  /** count per {@link VALUE_KINDS} entry (an array: a counter per cell must not be a property lookup) */
  kindCounts: number[];
  /**
   * counts of the first {@link MAX_TRACKED_VALUES} distinct values: exact while the column has not
   * overflowed, else the counts of the cells before the overflow
   */
  values: Map<string, number>;
  overflowed: boolean;
  registers: Uint8Array;
  /** numeric min/max over cells that are numbers (integer or decimal) */
  numericMin: number;
  numericMax: number;
  numericCount: number;
  /** text min/max (code-unit order) over all non-empty cells */
  textMin: string | undefined;
  textMax: string | undefined;
  /** the cells with the least and greatest date (by value) among cells of a date kind */
  dateMin: string | undefined;
  dateMax: string | undefined;
  /**
   * distinct values counted exactly past the tracked ones (by fingerprint, up to
   * {@link MAX_EXACT_DISTINCT}); undefined while the column has not overflowed, or beyond that
   */
  exactDistinct: number | undefined;
  /**
   * an upper bound of the distinct values where neither an exact count nor the sketch holds them
   * (a sharded table's parts, each counted exactly, with values in several parts); reported as
   * not exact
   */
  distinctBound?: number;
}

/**
 * What a column's cells mean to someone else than the profile — the validation plan's verdict on
 * a cell (plan/runPlan.ts) — learnt once per distinct value along with its kind: a value met again
 * costs the profile and the plan one lookup together. Verdicts are small bit sets (below 2^20);
 * 0 means "fine".
 */
export interface CellVerdicts {
  /** the verdict of an empty cell */
  readonly empty: number;
  /** The verdict of a non-empty cell: a function of its text alone (it is cached per value). */
  of(text: string): number;
  /**
   * The kind of every non-empty cell whose verdict is 0, when the checks imply one (a `date`
   * format reads the YYYY-MM-DD layout): such a cell is not classified again.
   */
  readonly kind?: ValueKind | undefined;
}

/** Verdicts of a column nobody judges: every cell is fine. */
const NO_VERDICTS: CellVerdicts = { empty: 0, of: () => 0 };

/** A column profiler. */
export interface ColumnProfiler {
  /** Counts one cell; returns its verdict ({@link CellVerdicts}; 0 without verdicts). */
  add(text: string): number;
  /**
   * Counts `count` cells of one text at once, as `count` calls of {@link add} would, for an engine
   * that counts each distinct value itself: each text given once, in the order the rows first
   * hold it, gives the state the rows give. `tracked` of the cells come before the cell that
   * overflows the column (the first of the {@link MAX_TRACKED_VALUES} + 1st value): only those
   * count in a tracked value's count, as only those would.
   */
  addCounted(text: string, count: number, tracked?: number): void;
  readonly state: ProfileState;
}

const UNIT = 0x20000;

/**
 * The first three UTF-16 code units of a text as one number, ordered as the texts are (`<`): each
 * unit + 1 (0 when the text is shorter, since a prefix sorts first) in 17 bits, 51 bits in all —
 * exact in a double. Different heads order their texts; equal heads need a string compare.
 */
export function textHead(text: string): number {
  const n = text.length;
  const a = n > 0 ? text.charCodeAt(0) + 1 : 0;
  const b = n > 1 ? text.charCodeAt(1) + 1 : 0;
  const c = n > 2 ? text.charCodeAt(2) + 1 : 0;
  return (a * UNIT + b) * UNIT + c;
}

/**
 * Entries of a profiler's cache of tracked values: a power of two, grown with the values tracked
 * (at least {@link SLOT_CACHE_PER_VALUE} entries per value, so that few values collide) up to
 * {@link SLOT_CACHE_MAX_BITS}; small columns keep a small cache.
 */
const SLOT_CACHE_MIN_BITS = 6;
const SLOT_CACHE_MAX_BITS = 12;
const SLOT_CACHE_PER_VALUE = 4;
/** {@link Profiler}'s packing of what it learnt of a value: kind in the low 4 bits, then numeric-ness. */
const INFO_NUMERIC = 16;

/** Creates the profiler of one column; `verdicts` judges its cells for the caller (e.g. the plan). */
export function createColumnProfiler(column: string, verdicts: CellVerdicts = NO_VERDICTS): ColumnProfiler {
  return new Profiler(column, verdicts);
}

/**
 * The index of a text in the tracked-value cache (`shift` = 32 − the cache's bits): its length and
 * four code units (first, middle and the last two — phone numbers and codes differ at their end),
 * mixed by one multiply (Fibonacci hashing), with no pass over the whole text.
 */
function slotCacheIndex(text: string, n: number, shift: number): number {
  let x = n * 31 + text.charCodeAt(0);
  x = x * 31 + text.charCodeAt(n >> 1);
  x = x * 31 + text.charCodeAt(n - 1);
  x = x * 31 + text.charCodeAt(n > 1 ? n - 2 : 0);
  return Math.imul(x, 0x9e3779b1) >>> shift;
}

/**
 * One column's profiler. A class, not a closure per column: `add` runs on every cell, and one
 * method shared by every column's instance stays monomorphic and inlinable in the row loop.
 *
 * (V8 inlines `addNew` into the optimized `add` and then does not inline that `add` into the row
 * loop — a callee's size counts its own inlined code — so every cell pays a call. Splitting `add`
 * into a small inlinable part and the rest showed no gain; tests/bench/RESULTS.md has the figures.)
 *
 * Until a column overflows, every distinct value has a slot with its count and what was learnt
 * from its first cell (kind, numeric or not, verdict): a repeated value costs one lookup and no
 * classification, no number parsing, no min/max comparison and no verdict (they cannot change for
 * a value already seen). After the overflow, each cell is classified and hashed into the sketch
 * with no cache of recent values: a repeat's string compare costs about what the short checks it
 * would skip cost (tests/bench/RESULTS.md).
 */
class Profiler implements ColumnProfiler {
  private readonly profile: ProfileState;
  private readonly slots = new Map<string, ValueSlot>();
  /**
   * A direct-mapped cache in front of `slots`, indexed by a few code units: a map lookup hashes
   * the whole (fresh) cell string in the engine, while a hit here costs one short string compare —
   * and a column with few values (sex, state, language) hits almost always
   */
  private cacheKeys: (string | undefined)[] = new Array<string | undefined>(1 << SLOT_CACHE_MIN_BITS).fill(
    undefined,
  );
  private cacheSlots: (ValueSlot | undefined)[] = new Array<ValueSlot | undefined>(
    1 << SLOT_CACHE_MIN_BITS,
  ).fill(undefined);
  private cacheShift = 32 - SLOT_CACHE_MIN_BITS;
  private readonly kindCounts: number[];
  private readonly registers: Uint8Array;
  private readonly verdicts: CellVerdicts;
  private readonly emptyVerdict: number;
  /** {@link CellVerdicts.kind} as an index into {@link VALUE_KINDS}, or -1 */
  private readonly impliedKind: number;
  private count = 0;
  private empty = 0;
  private overflowed = false;
  private numericCount = 0;
  private numericMin = Number.POSITIVE_INFINITY;
  private numericMax = Number.NEGATIVE_INFINITY;
  private textMin: string | undefined = undefined;
  private textMax: string | undefined = undefined;
  /** {@link textHead} of textMin/textMax: most cells are decided by it, without a string compare */
  private minHead = Number.POSITIVE_INFINITY;
  private maxHead = Number.NEGATIVE_INFINITY;
  /**
   * Per length (1 to {@link EXACT_DIGITS}), the least and greatest number written by a cell of
   * only that many digits (ids, MRNs, postcodes): such texts of one length are ordered as their
   * numbers, so their text min/max is rebuilt in `state` — no head or string compare per cell
   */
  private readonly digitsMin = new Float64Array(EXACT_DIGITS + 1).fill(Number.POSITIVE_INFINITY);
  private readonly digitsMax = new Float64Array(EXACT_DIGITS + 1).fill(Number.NEGATIVE_INFINITY);
  /** the least and greatest date value ({@link dateValue}) met, and their cells */
  private dateMin = Number.POSITIVE_INFINITY;
  private dateMax = Number.NEGATIVE_INFINITY;
  private dateMinText: string | undefined = undefined;
  private dateMaxText: string | undefined = undefined;
  /** the exact distinct count past the overflow; undefined before it, and past its limit */
  private distinctSet: DistinctSet | undefined = undefined;

  constructor(column: string, verdicts: CellVerdicts) {
    this.profile = {
      column,
      count: 0,
      empty: 0,
      kindCounts: VALUE_KINDS.map(() => 0),
      values: new Map(),
      overflowed: false,
      registers: new Uint8Array(HLL_REGISTERS),
      numericMin: Number.POSITIVE_INFINITY,
      numericMax: Number.NEGATIVE_INFINITY,
      numericCount: 0,
      textMin: undefined,
      textMax: undefined,
      dateMin: undefined,
      dateMax: undefined,
      exactDistinct: undefined,
    };
    this.kindCounts = this.profile.kindCounts;
    this.registers = this.profile.registers;
    this.verdicts = verdicts;
    this.emptyVerdict = verdicts.empty;
    this.impliedKind = verdicts.kind === undefined ? -1 : KIND[verdicts.kind];
  }

  get state(): ProfileState {
    // a cell's text is not held past the profile it was read for (an 8-digit date-kind cell, say,
    // is read as digits but never as a number)
    digitsText = undefined;
    // the public state, with its exact counts rebuilt from the slots (in first-seen order); a
    // tracked value's cells after its first are counted by kind here, not cell by cell
    const state = this.profile;
    const values = new Map<string, number>();
    const kindCounts = this.kindCounts.slice();
    let numericCount = this.numericCount;
    for (const [value, slot] of this.slots) {
      values.set(value, slot.count);
      kindCounts[slot.kind] = (kindCounts[slot.kind] as number) + slot.count - 1;
      if (slot.numeric) numericCount += slot.count - 1;
    }
    state.values = values;
    state.kindCounts = kindCounts;
    state.count = this.count;
    state.empty = this.empty;
    state.overflowed = this.overflowed;
    state.numericCount = numericCount;
    state.numericMin = this.numericMin;
    state.numericMax = this.numericMax;
    let textMin = this.textMin;
    let textMax = this.textMax;
    for (let n = 1; n <= EXACT_DIGITS; n++) {
      const least = this.digitsMin[n] as number;
      if (least === Number.POSITIVE_INFINITY) continue;
      // the cells' own texts: n digits, leading zeros included
      const low = String(least).padStart(n, '0');
      const high = String(this.digitsMax[n] as number).padStart(n, '0');
      if (textMin === undefined || low < textMin) textMin = low;
      if (textMax === undefined || high > textMax) textMax = high;
    }
    state.textMin = textMin;
    state.textMax = textMax;
    state.dateMin = this.dateMinText;
    state.dateMax = this.dateMaxText;
    state.exactDistinct = this.distinctSet?.size;
    return state;
  }

  add(text: string): number {
    this.count++;
    if (text === '') {
      this.empty++;
      return this.emptyVerdict;
    }
    if (this.overflowed) return this.addUntracked(text);
    // the common case kept small (so the row loop can inline it): a value met before, in the cache
    const at = slotCacheIndex(text, text.length, this.cacheShift);
    if (this.cacheKeys[at] === text) {
      // its kind and numeric-ness are counted from the slot's count (`state`)
      const slot = this.cacheSlots[at] as ValueSlot;
      slot.count++;
      return slot.verdict;
    }
    const slot = this.slots.get(text);
    if (slot !== undefined) {
      this.cacheKeys[at] = slot.value;
      this.cacheSlots[at] = slot;
      slot.count++;
      return slot.verdict;
    }
    return this.addNew(text);
  }

  addCounted(text: string, count: number, tracked = count): void {
    if (count <= 0) return;
    const wasOverflowed = this.overflowed;
    this.add(text);
    let rest = count - 1;
    if (rest === 0) return;
    this.count += rest;
    if (text === '') {
      this.empty += rest;
      return;
    }
    const slot = wasOverflowed ? undefined : this.slots.get(text);
    if (slot !== undefined) {
      // tracked: its kind and numeric-ness are counted from the slot's count (`state`)
      const inSlot = Math.min(Math.max(tracked, 1), count) - 1;
      slot.count += inSlot;
      rest -= inSlot;
      if (rest === 0) return;
    }
    // not tracked (after the overflow): counted by kind and numeric-ness as each cell would be;
    // a repeated text changes neither min/max nor the distinct count
    const k = this.kindOf(text, this.verdicts.of(text));
    this.kindCounts[k] = (this.kindCounts[k] as number) + rest;
    if (k === KIND_INTEGER || k === KIND_DECIMAL) {
      const number = k === KIND_INTEGER ? integerOf(text) : Number(text);
      if (Number.isFinite(number)) this.numericCount += rest;
    }
  }

  /**
   * The kind of a cell not tracked, given its verdict: the one the verdicts imply when it is 0
   * (the checks read the same characters), else told from its text.
   */
  private kindOf(text: string, verdict: number): number {
    return verdict === 0 && this.impliedKind >= 0 ? this.impliedKind : kindIndexOf(text);
  }

  /**
   * A value not tracked (new, or the column overflowed) of kind `k`: counted by kind, compared
   * with min/max. Returns what was learnt, packed (kind | {@link INFO_NUMERIC}).
   */
  private learn(text: string, k: number): number {
    const kindCounts = this.kindCounts;
    kindCounts[k] = (kindCounts[k] as number) + 1;
    let info = k;
    if (isDateKind(k)) {
      const date = dateValue(text, k);
      if (date < this.dateMin) {
        this.dateMin = date;
        this.dateMinText = detach(text);
      }
      if (date > this.dateMax) {
        this.dateMax = date;
        this.dateMaxText = detach(text);
      }
    }
    if (k === KIND_INTEGER || k === KIND_DECIMAL) {
      const number = k === KIND_INTEGER ? integerOf(text) : Number(text);
      if (Number.isFinite(number)) {
        info |= INFO_NUMERIC;
        this.numericCount++;
        if (number < this.numericMin) this.numericMin = number;
        if (number > this.numericMax) this.numericMax = number;
        const n = text.length;
        if (k === KIND_INTEGER && n <= EXACT_DIGITS && isDigit(text.charCodeAt(0))) {
          // digits only: the text's min/max by number within its length (see digitsMin)
          if (number < (this.digitsMin[n] as number)) this.digitsMin[n] = number;
          if (number > (this.digitsMax[n] as number)) this.digitsMax[n] = number;
          return info;
        }
      }
    }
    // code-unit order, as `<` compares: different first three units decide alone
    const head = textHead(text);
    if (head >= this.maxHead && (head > this.maxHead || text > (this.textMax as string))) {
      this.textMax = detach(text);
      this.maxHead = head;
      // above the greatest text, so not below the least (ids and dates in order: one compare, not two)
      if (this.textMin !== undefined) return info;
    }
    if (head <= this.minHead && (head < this.minHead || text < (this.textMin as string))) {
      this.textMin = detach(text);
      this.minHead = head;
    }
    return info;
  }

  /** A value not tracked yet, while the column has not overflowed: tracked, or the overflow. */
  private addNew(text: string): number {
    const verdict = this.verdicts.of(text);
    const info = this.learn(text, this.kindOf(text, verdict));
    const tracked = this.slots.size;
    if (tracked < MAX_TRACKED_VALUES) {
      const value = detach(text);
      const kind = info & (INFO_NUMERIC - 1);
      this.slots.set(value, { value, count: 1, kind, numeric: (info & INFO_NUMERIC) !== 0, verdict });
      const size = this.cacheKeys.length;
      if ((tracked + 1) * SLOT_CACHE_PER_VALUE > size && size < 1 << SLOT_CACHE_MAX_BITS) {
        // a bigger cache, filled again as values are met (only while the column grows)
        this.cacheKeys = new Array<string | undefined>(size * 2).fill(undefined);
        this.cacheSlots = new Array<ValueSlot | undefined>(size * 2).fill(undefined);
        this.cacheShift--;
      }
      return verdict;
    }
    this.overflowed = true;
    this.distinctSet = new DistinctSet(MAX_EXACT_DISTINCT);
    for (const value of this.slots.keys()) this.sketch(value);
    this.sketch(text);
    return verdict;
  }

  /** A cell of a column that overflowed: counted by kind, compared with min/max, sketched. */
  private addUntracked(text: string): number {
    const verdict = this.verdicts.of(text);
    this.learn(text, this.kindOf(text, verdict));
    this.sketch(text);
    return verdict;
  }

  /** A value past the overflow: into the sketch, and into the exact count while it holds. */
  private sketch(text: string): void {
    const hash = profileHash(text);
    addHashToSketch(this.registers, hash);
    const set = this.distinctSet;
    if (set !== undefined && !set.add(hash, secondHash(text))) this.distinctSet = undefined;
  }
}

/** A tracked value: its count, and its kind, numeric-ness and verdict learnt from its first cell. */
interface ValueSlot {
  /** the value (detached from the chunk it was read from) */
  value: string;
  count: number;
  kind: number;
  numeric: boolean;
  verdict: number;
}

/** HyperLogLog estimate with the small-range (linear counting) correction. */
function hllEstimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (const r of registers) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}

/** A finished profile (the report's `profiles[]` entry without the input name). */
interface ColumnProfileSummary {
  column: string;
  count: number;
  empty: number;
  distinct: number;
  /** false: `distinct` is the HyperLogLog estimate (standard error ≈ 1.6 %) */
  distinctExact: boolean;
  kinds: Record<string, number>;
  top: { value: string; count: number }[];
  /** false: the column overflowed, so `top` counts only the cells before it (see the file header) */
  topExact: boolean;
  min?: string | number;
  max?: string | number;
}

/** The summary of a profile state. min/max are numeric when every filled cell is a number. */
export function summarizeProfile(state: ProfileState): ColumnProfileSummary {
  const filled = state.count - state.empty;
  const exact = !state.overflowed;
  const top = [...state.values]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_VALUES)
    .map(([value, count]) => ({ value, count }));
  const numeric = filled > 0 && state.numericCount === filled;
  const summary: ColumnProfileSummary = {
    column: state.column,
    count: state.count,
    empty: state.empty,
    distinct: exact
      ? state.values.size
      : (state.exactDistinct ??
        state.distinctBound ??
        Math.min(filled, Math.max(hllEstimate(state.registers), state.values.size))),
    distinctExact: exact || state.exactDistinct !== undefined,
    kinds: Object.fromEntries(
      VALUE_KINDS.flatMap((kind, k) => (state.kindCounts[k] ? [[kind, state.kindCounts[k]]] : [])),
    ),
    top,
    topExact: exact,
  };
  // every filled cell a date: the least and greatest by date, whatever their layouts
  const dates = VALUE_KINDS.reduce(
    (n, kind, k) => (kind.startsWith('date:') ? n + (state.kindCounts[k] ?? 0) : n),
    0,
  );
  const dated = filled > 0 && dates === filled && state.dateMin !== undefined;
  if (filled > 0) {
    summary.min = numeric ? state.numericMin : dated ? (state.dateMin as string) : (state.textMin as string);
    summary.max = numeric ? state.numericMax : dated ? (state.dateMax as string) : (state.textMax as string);
  }
  return summary;
}

const KIND_TITLES: Record<string, string> = {
  'date:YYYY-MM-DD': 'ISO',
  'date:MM/DD/YYYY': 'MM/DD/YYYY',
  'date:DD/MM/YYYY': 'DD/MM/YYYY',
  'date:DD.MM.YYYY': 'DD.MM.YYYY',
  'date:YYYYMMDD': 'YYYYMMDD',
  'date:M/D/YYYY': 'M/D/YYYY',
  'date:D/M/YYYY': 'D/M/YYYY',
};

/**
 * "birth_date: 3 date formats: ISO 61 %, MM/DD/YYYY 30 %, DD.MM.YYYY 9 %" when a column mixes date
 * formats; undefined otherwise. Percentages are of the column's date cells.
 */
export function describeMixedDates(
  column: string,
  kinds: Readonly<Record<string, number>>,
): string | undefined {
  const dates = Object.entries(kinds).filter(([kind]) => kind.startsWith('date:'));
  if (dates.length < 2) return undefined;
  const total = dates.reduce((n, [, c]) => n + c, 0);
  const parts = dates
    .sort((a, b) => b[1] - a[1])
    .map(([kind, c]) => `${KIND_TITLES[kind] ?? kind} ${Math.round((100 * c) / total)} %`);
  return `${column}: ${dates.length} date formats: ${parts.join(', ')}`;
}
