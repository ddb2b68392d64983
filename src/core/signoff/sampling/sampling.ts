/**
 * Hash-rank ("bottom-k") sampling of records for clinician sign-off (docs/product.md#sign-off): per stratum,
 * keep the n records whose sampling hash is smallest.
 *
 * CONTRACT — the sampling hash. Changing anything here changes every sample ever drawn (and
 * breaks every signed sign-off that cites one); it needs a new output format version.
 *
 *   hash(seed, stratum, key) = SHA-256( field(seed) ‖ field(stratum) ‖ field(key) )
 *   field(s)                 = u32be(byteLength(utf8(s))) ‖ utf8(s)
 *
 * - `seed` is the plan's `seed` string exactly as written (not parsed as a number), `stratum` the
 *   stratum id, `key` the record key exactly as it appears in the data (no trimming, no case or
 *   Unicode normalisation: " 42" and "42" are different records).
 * - Each field is its UTF-8 bytes preceded by their length as a 4-byte big-endian unsigned integer,
 *   so no two different (seed, stratum, key) triples share a message ("ab"+"c" ≠ "a"+"bc").
 * - Rank order: the 32 digest bytes compared as unsigned bytes (= lowercase hex compared as text),
 *   ascending; on equal digests (never seen in practice) the key, compared by Unicode code points.
 *
 * Why hashing: the sample is a pure function of (seed, stratum, key set) — the same in the browser
 * and the CLI, whatever the row order or file split — and it streams: each record is judged on
 * its own, so a bounded max-heap of n entries per stratum is all the memory it needs. With SHA-256
 * as a random oracle the n smallest hashes are a simple random sample without replacement.
 *
 * Duplicate keys. The unit sampled is the KEY: a key is drawn at most once per stratum, so the set
 * of keys drawn does not depend on which copy of a duplicated record comes first. Every copy of a
 * drawn key is found (a drawn key stays in the heap from its first copy on, and its copies hash
 * alike) and reported as a `duplicate-key` problem with the copies' locations; the sample lists
 * the first copy's location. Duplicates of keys NOT drawn are not looked for: that needs memory
 * proportional to the population and is the validation report's job (`crossFile.duplicateKeys`).
 * Reporting them here only when they happen to meet in the heap would make the output depend on
 * row order. The same key in two strata is two records (their hashes differ) and is not checked.
 */
import { Hash } from 'fast-sha256';
import { toHex } from '../../hash/index.ts';

/** Sample size of a census stratum: every record is reviewed. */
export const CENSUS = 'census';

/** How many records to draw from a stratum: a count n ≥ 0, or {@link CENSUS}. */
export type SampleSize = number | typeof CENSUS;

/** Where a record is in its source. Positions only, never values (they may be patient data). */
export interface RecordLocation {
  /** 1-based data row (the header is not counted) */
  row: number;
  /** the file (or other input) the row is in, when there are several */
  source?: string;
}

/** One record offered to the sampler. */
export interface SampleInput extends RecordLocation {
  /** the record key (e.g. an MRN); missing or blank keys are reported, never sampled */
  key: string | undefined;
  /** the stratum id; one not in `sizes` is reported, never sampled */
  stratum: string | undefined;
}

/** A drawn record. */
export interface SampledRecord extends RecordLocation {
  key: string;
  /** its sampling hash, lowercase hex: anyone can recompute it from the contract above */
  hash: string;
  /** locations of further copies of this key in the stratum (a `duplicate-key` problem) */
  duplicates?: RecordLocation[];
}

/** One stratum's sample. */
export interface StratumSample {
  id: string;
  /** the requested size */
  size: SampleSize;
  /** records seen in this stratum with a usable key (copies of a key each count) */
  population: number;
  /** min(n, distinct keys drawn) records, in rank order (smallest hash first) */
  records: SampledRecord[];
}

/** Problem codes of the sampler: a public contract (the CLI's JSON carries them); add, never rename. */
const SAMPLING_PROBLEM_CODES = {
  /** the key is missing, blank (only white space) or not well-formed Unicode */
  missingKey: 'missing-key',
  /** the stratum is missing or not one of the plan's strata */
  unknownStratum: 'unknown-stratum',
  /** a drawn key occurs more than once in its stratum */
  duplicateKey: 'duplicate-key',
} as const;

export type SamplingProblemCode = (typeof SAMPLING_PROBLEM_CODES)[keyof typeof SAMPLING_PROBLEM_CODES];

/** How many locations a problem lists; the count is always complete. */
export const MAX_PROBLEM_LOCATIONS = 10;

/** Records the sampler did not use, or that make its sample ambiguous. Counts and places, never values. */
export interface SamplingProblem {
  code: SamplingProblemCode;
  /** the stratum concerned (duplicate keys only) */
  stratum?: string;
  /** how many records */
  count: number;
  /** the first {@link MAX_PROBLEM_LOCATIONS} of them: in input order; duplicates grouped by drawn record, in rank order */
  locations: RecordLocation[];
}

/** The whole sample. */
export interface SampleResult {
  seed: string;
  /** in the order of `sizes` */
  strata: StratumSample[];
  problems: SamplingProblem[];
}

/** Options of {@link createSampler}. */
interface SamplerOptions {
  /** the plan's seed, as written */
  seed: string;
  /** stratum id → how many records to draw */
  sizes: Readonly<Record<string, SampleSize>>;
}

/** An incremental sampler: feed records one at a time in any order, then read the result. */
interface Sampler {
  add(record: SampleInput): void;
  /** The sample so far; may be called more than once (it does not end the sampler). */
  result(): SampleResult;
}

const LENGTH_BYTES = 4;
const encoder = new TextEncoder();
/** A lone UTF-16 surrogate: such text has no UTF-8 form, so it cannot enter the hash. */
const LONE_SURROGATE = /\p{Cs}/u;

function field(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(LENGTH_BYTES + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, LENGTH_BYTES);
  return out;
}

function checkText(what: string, text: string): void {
  if (LONE_SURROGATE.test(text)) throw new TypeError(`the ${what} is not well-formed Unicode text`);
}

/** `field(seed) ‖ field(stratum)`: the part of every message of one stratum that does not change. */
function stratumPrefix(seed: string, stratum: string): Uint8Array {
  checkText('seed', seed);
  checkText('stratum id', stratum);
  const a = field(seed);
  const b = field(stratum);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * One reused hasher and scratch buffer: fast-sha256's one-shot `hash()` allocates its state on
 * every call, which costs far more per record than reset + update (tests/bench/RESULTS.md).
 * Safe to share: JS runs one call at a time and nothing here awaits.
 */
const hasher = new Hash();
let scratch = new Uint8Array(256);

function digestWithPrefix(prefix: Uint8Array, key: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit
  const worst = LENGTH_BYTES + key.length * 3;
  if (scratch.length < worst) scratch = new Uint8Array(worst);
  const { written } = encoder.encodeInto(key, scratch.subarray(LENGTH_BYTES));
  new DataView(scratch.buffer).setUint32(0, written, false);
  hasher.reset();
  hasher.update(prefix);
  hasher.update(scratch.subarray(0, LENGTH_BYTES + written));
  return hasher.digest();
}

/**
 * The sampling hash of the contract above, as lowercase hex.
 *
 * @throws TypeError when a string is not well-formed Unicode (a lone surrogate has no UTF-8 form).
 */
export function samplingHash(seed: string, stratum: string, key: string): string {
  checkText('key', key);
  return toHex(digestWithPrefix(stratumPrefix(seed, stratum), key));
}

/** Orders strings by Unicode code points (UTF-16 `<` differs for characters above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx - cy;
  }
}

interface Entry extends RecordLocation {
  key: string;
  digest: Uint8Array;
  duplicates?: RecordLocation[];
  duplicateCount: number;
}

/** Rank order of the contract: digest bytes, then key by code points. */
function compareEntries(a: Entry, b: Entry): number {
  for (let i = 0; i < a.digest.length; i++) {
    const d = (a.digest[i] as number) - (b.digest[i] as number);
    if (d !== 0) return d;
  }
  return compareCodePoints(a.key, b.key);
}

/**
 * One stratum's reservoir: a max-heap of at most `capacity` entries (the worst-ranked on top, so a
 * better record replaces it in O(log n)), indexed by key to find copies of a held key.
 */
class StratumReservoir {
  readonly heap: Entry[] = [];
  readonly byKey = new Map<string, Entry>();
  population = 0;
  constructor(
    readonly prefix: Uint8Array,
    readonly capacity: number,
  ) {}

  offer(key: string, location: RecordLocation): void {
    this.population++;
    const held = this.byKey.get(key);
    if (held) {
      // a copy of a held key: same digest, so it would rank alike; record where it is
      held.duplicateCount++;
      if (held.duplicateCount <= MAX_PROBLEM_LOCATIONS) {
        held.duplicates ??= [];
        held.duplicates.push(location);
      }
      return;
    }
    if (this.capacity === 0) return;
    const entry: Entry = { ...location, key, digest: digestWithPrefix(this.prefix, key), duplicateCount: 0 };
    if (this.heap.length < this.capacity) {
      this.heap.push(entry);
      this.byKey.set(key, entry);
      this.siftUp(this.heap.length - 1);
      return;
    }
    const top = this.heap[0] as Entry;
    if (compareEntries(entry, top) >= 0) return;
    this.byKey.delete(top.key);
    this.heap[0] = entry;
    this.byKey.set(key, entry);
    this.siftDown(0);
  }

  sorted(): Entry[] {
    return [...this.heap].sort(compareEntries);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareEntries(heap[i] as Entry, heap[parent] as Entry) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compareEntries(heap[left] as Entry, heap[largest] as Entry) > 0)
        largest = left;
      if (right < heap.length && compareEntries(heap[right] as Entry, heap[largest] as Entry) > 0)
        largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest] as Entry, heap[i] as Entry];
      i = largest;
    }
  }
}

/** Counts records of one problem kind and keeps the first locations. */
class ProblemTally {
  count = 0;
  readonly locations: RecordLocation[] = [];
  note(location: RecordLocation): void {
    this.count++;
    if (this.locations.length < MAX_PROBLEM_LOCATIONS) this.locations.push(location);
  }
}

function locationOf(record: RecordLocation): RecordLocation {
  return record.source === undefined ? { row: record.row } : { row: record.row, source: record.source };
}

function usableKey(key: string | undefined): key is string {
  return typeof key === 'string' && key.trim() !== '' && !LONE_SURROGATE.test(key);
}

/**
 * Creates an incremental hash-rank sampler (see the file header for the contract). Memory is
 * O(n) per stratum (O(N) for a census stratum, which keeps every record), whatever the input size.
 *
 * @throws RangeError when a size is not an integer ≥ 0 or {@link CENSUS}.
 * @throws TypeError when the seed or a stratum id is not well-formed Unicode.
 */
export function createSampler(options: SamplerOptions): Sampler {
  const { seed } = options;
  const reservoirs = new Map<string, StratumReservoir>();
  for (const [id, size] of Object.entries(options.sizes)) {
    if (size !== CENSUS && !(Number.isSafeInteger(size) && size >= 0)) {
      throw new RangeError(`the sample size of a stratum must be an integer ≥ 0 or "${CENSUS}"`);
    }
    reservoirs.set(
      id,
      new StratumReservoir(stratumPrefix(seed, id), size === CENSUS ? Number.POSITIVE_INFINITY : size),
    );
  }
  const missingKey = new ProblemTally();
  const unknownStratum = new ProblemTally();

  return {
    add(record) {
      const reservoir = record.stratum === undefined ? undefined : reservoirs.get(record.stratum);
      if (!reservoir) {
        unknownStratum.note(locationOf(record));
        return;
      }
      if (!usableKey(record.key)) {
        missingKey.note(locationOf(record));
        return;
      }
      reservoir.offer(record.key, locationOf(record));
    },
    result() {
      const problems: SamplingProblem[] = [];
      if (missingKey.count > 0) {
        problems.push({
          code: SAMPLING_PROBLEM_CODES.missingKey,
          count: missingKey.count,
          locations: [...missingKey.locations],
        });
      }
      if (unknownStratum.count > 0) {
        problems.push({
          code: SAMPLING_PROBLEM_CODES.unknownStratum,
          count: unknownStratum.count,
          locations: [...unknownStratum.locations],
        });
      }
      const strata: StratumSample[] = [];
      for (const [id, reservoir] of reservoirs) {
        const entries = reservoir.sorted();
        const records = entries.map((entry): SampledRecord => {
          const record: SampledRecord = { ...locationOf(entry), key: entry.key, hash: toHex(entry.digest) };
          if (entry.duplicates) record.duplicates = entry.duplicates.map(locationOf);
          return record;
        });
        strata.push({ id, size: options.sizes[id] as SampleSize, population: reservoir.population, records });
        const copies = entries.reduce((sum, e) => sum + e.duplicateCount, 0);
        if (copies > 0) {
          problems.push({
            code: SAMPLING_PROBLEM_CODES.duplicateKey,
            stratum: id,
            count: copies,
            locations: entries.flatMap((e) => e.duplicates ?? []).slice(0, MAX_PROBLEM_LOCATIONS),
          });
        }
      }
      return { seed, strata, problems };
    },
  };
}

/** Draws a sample from records already in memory (tests, small inputs): {@link createSampler} over them. */
export function drawSample(options: SamplerOptions, records: Iterable<SampleInput>): SampleResult {
  const sampler = createSampler(options);
  for (const record of records) sampler.add(record);
  return sampler.result();
}
