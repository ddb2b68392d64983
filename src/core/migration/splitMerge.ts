/**
 * Parallel validation of one input (issue 8 "Parallelism"): split the file into byte ranges at
 * record boundaries — a line break at even quote parity, found by a fast pre-scan with native
 * `indexOf` — validate each range on its own (one per worker, or more ranges than threads taken
 * in turn, rows numbered from 1 in each), then merge: rows re-based, counts summed, issues, profiles and key sets merged. The merged result
 * equals a single pass over the whole input (tested for any split).
 *
 * The ranges do not wait for the pre-scan (it read half the file before a worker could start: at
 * 1M rows, 221 MB, 0.2–0.6 s of wall time in series): they start at boundaries guessed from a few
 * KB after each split point, and the pre-scan runs meanwhile to confirm them; a range it does not
 * confirm is validated again (a malformed file only). And the first range's key sets (the merge's
 * largest part) are merged as soon as that range is done, while the later ranges still run.
 * See {@link createParallelRunner}.
 *
 * Constraints:
 * - Quote parity counts every quote byte from the start of the file, as RFC 4180 reads it. A file
 *   with a stray quote inside an unquoted cell (`O"Brien`, kept as text, no issue) can mislead the
 *   split into cutting inside a later quoted cell: the range before that cut then ends inside a
 *   quoted cell (`csv.unterminated-quote`), and the input is validated again as one range.
 * - Only encodings where quote and line-break characters are single bytes (UTF-8, Windows-1252)
 *   are split, with an ASCII quote (no other character holds its byte); UTF-16 inputs, and a
 *   quote such as `«`, are validated as one range.
 * - Memory: one chunk during the scan (a 1 MiB window per guessed boundary); the merge takes the parts' key sets over (no second copy),
 *   or, when they were spilled (keySpill.ts), checks the ranges' partitions together, one at a time.
 */
import type { ReadChunk } from '../hash/sha256Stream.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { mergeProfiles, type ProfileState } from './columnProfile.ts';
import type { CsvLayout } from './csvLayout.ts';
import { mergeIssueRows } from './issueRows.ts';
import { mergeTallies, type TallyEntry } from './issueTally.ts';
import { createKeySetMerger, type KeySetState, mergeKeyParts } from './keySet.ts';
import { checkSpilledKeys, type KeySpill, type SpilledPartitionsHelper } from './keySpill.ts';
import {
  type ListedRepeatsReader,
  type RangeRepeatsReader,
  rangeListedRepeats,
} from './readListedRepeats.ts';
import { unterminatedQuoteRule } from './rules/unterminatedQuote.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  type FailingRows,
  type OrphanTally,
  readRecordAt,
  readsAtOnceOf,
  type ValidateCsvOptions,
  WHOLE_ROW,
  WHOLE_ROW_SEPARATOR,
} from './validateCsv.ts';

/** A byte range [start, end). */
export interface Range {
  start: number;
  end: number;
}

/** Bytes read per step of the pre-scan. */
export const SPLIT_SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Whether inputs in this layout can be split (see the file header). The split and its confirmation
 * compare raw bytes with the quote's code: only an ASCII quote is one byte that no other character
 * contains (a `«`, U+00AB, matched a byte inside `ë` in UTF-8; Windows-1252's `„` never matched).
 */
export function canSplit(layout: CsvLayout): boolean {
  return (
    layout.encoding !== 'utf-16le' &&
    layout.encoding !== 'utf-16be' &&
    layout.quote.length === 1 &&
    layout.quote.charCodeAt(0) < 0x80
  );
}

/** Bytes read per step when a split point is guessed (a record is usually far shorter). */
export const SPLIT_GUESS_CHUNK_BYTES = 64 * 1024;

/**
 * How an input is split: into `parts` near-equal ranges, or at the record boundaries at or after
 * given byte offsets (increasing, each in (0, size); see {@link workTakingTargets}).
 */
export type SplitPlan = number | readonly number[];

/** The byte offsets the ranges of a split aim at: `parts` near-equal shares of `size`, or the plan's own. */
function splitTargets(size: number, plan: SplitPlan): readonly number[] {
  if (typeof plan !== 'number') return plan;
  return Array.from({ length: plan - 1 }, (_, k) => Math.floor((size * (k + 1)) / plan));
}

/** Whether a plan asks for one range only. */
function unsplit(plan: SplitPlan): boolean {
  return typeof plan === 'number' ? plan <= 1 : plan.length === 0;
}

/**
 * Ranges per thread of a work-taking split ({@link ParallelRunnerOptions.takeWork}). Measured at 1M
 * rows, `--workers 2`, machine loaded 1.5-2, CLI wall and CPU time per run: 2 per thread (4 equal
 * ranges) 4.5-6.1 s and 8.4-11.0 CPU-s (4 runs); 8 ranges shrinking along the file (a quarter of
 * what was left each, none below 1/12) 6.0-7.7 s and 11.3-14.5 CPU-s (3 runs); 6 ranges in
 * between. Each range costs CPU of its own on two threads (not found when the same ranges ran
 * one after another on one thread: the ranges' spill files, results copied between threads and
 * held until the merge are the suspects), more than the better balance of smaller ranges saved.
 */
export const RANGES_PER_THREAD = 2;

/**
 * The split points of a work-taking split over `threads` threads: {@link RANGES_PER_THREAD}
 * equal ranges per thread (increasing offsets in (0, size); fewer for a tiny input). A thread that
 * is done takes the next range, so a thread slowed down (this thread's start-up work, a loaded
 * machine) does less of the input instead of holding the run up.
 */
export function workTakingTargets(size: number, threads: number): number[] {
  if (threads <= 1 || size <= 0) return [];
  const targets: number[] = [];
  for (const target of splitTargets(size, threads * RANGES_PER_THREAD))
    if (target > (targets[targets.length - 1] ?? 0) && target < size) targets.push(target);
  return targets;
}

/** Ranges from the boundaries between them (increasing, each in (0, size)). */
function rangesOf(boundaries: readonly number[], size: number): Range[] {
  const starts = [0, ...boundaries];
  return starts.map((start, j) => ({ start, end: starts[j + 1] ?? size }));
}

/**
 * The record boundaries at or after each target: from byte `from`, read in steps of `chunkBytes`,
 * with `quoted` the quote parity at `from` and `previousLast` the byte before it (-1: none or
 * unknown). Pushes onto `boundaries` (kept increasing, below `size`).
 */
async function scanBoundaries(
  read: ReadChunk,
  size: number,
  targets: readonly number[],
  layout: CsvLayout,
  scan: {
    from: number;
    quoted: boolean;
    previousLast: number;
    chunkBytes: number;
    quotes: boolean;
    /** stop reading here (a guess gives up) */
    until?: number;
  },
  boundaries: number[],
  signal?: AbortSignal,
): Promise<void> {
  // -1: no byte matches (quotes ignored)
  const quote = scan.quotes ? layout.quote.charCodeAt(0) : -1;
  // the byte that ends a record: "\n" for CRLF and LF, "\r" for CR
  const terminator = layout.lineEnding === '\r' ? 0x0d : 0x0a;
  let { quoted, previousLast } = scan;
  let k = 0;
  let base = scan.from;
  const stop = Math.min(size, scan.until ?? size);
  while (base < stop && k < targets.length) {
    // checked per chunk: a cancelled run does not read on up to the last boundary
    if (signal?.aborted) throw new JobCancelledError();
    const length = Math.min(scan.chunkBytes, size - base);
    const bytes = (await read(base, length)).subarray(0, length);
    if (bytes.length === 0) break;
    let i = 0;
    while (i < bytes.length && k < targets.length) {
      const target = (targets[k] as number) - base;
      const nextQuote = bytes.indexOf(quote, i);
      if (!quoted && i >= target) {
        const nl = bytes.indexOf(terminator, i);
        if (nl >= 0 && (nextQuote < 0 || nl < nextQuote)) {
          // with CRLF records a bare LF is data to the parser (a mixed line ending), not a boundary
          const before = nl > 0 ? bytes[nl - 1] : previousLast;
          if (layout.lineEnding === '\r\n' && before !== 0x0d) {
            i = nl + 1;
            continue;
          }
          const boundary = base + nl + 1;
          if (boundary < size && boundary > (boundaries[boundaries.length - 1] ?? 0))
            boundaries.push(boundary);
          k++;
          i = nl + 1;
          continue;
        }
      }
      // no quote opens before the target (or none at all in this chunk: a file without quoted
      // cells, the usual extract — it was never split before this case was handled)
      if (!quoted && i < target && (nextQuote < 0 || nextQuote >= target)) {
        i = target; // look for a line break from the target on
        continue;
      }
      if (nextQuote < 0) break;
      quoted = !quoted;
      i = nextQuote + 1;
    }
    previousLast = bytes[bytes.length - 1] as number;
    base += bytes.length;
  }
}

/**
 * Splits `size` bytes into at most `parts` ranges that start at record boundaries, near equal
 * sizes (or at the first boundaries at or after the plan's offsets, see {@link SplitPlan}). Fewer ranges come back when the file has fewer boundaries (or is small). Reads the file
 * from its start up to the last boundary (quote parity counts from the first byte). Rejects with
 * JobCancelledError, before its next chunk, once `signal` is aborted.
 */
export async function splitRanges(
  read: ReadChunk,
  size: number,
  parts: SplitPlan,
  layout: CsvLayout,
  signal?: AbortSignal,
): Promise<Range[]> {
  if (unsplit(parts) || size === 0 || !canSplit(layout)) return [{ start: 0, end: size }];
  const boundaries: number[] = [];
  const scan = {
    from: 0,
    quoted: false,
    previousLast: -1,
    chunkBytes: SPLIT_SCAN_CHUNK_BYTES,
    quotes: true,
  };
  await scanBoundaries(read, size, splitTargets(size, parts), layout, scan, boundaries, signal);
  return rangesOf(boundaries, size);
}

/** How far past a target a guess looks for a quote that tells the quote state, and for a boundary. */
export const SPLIT_GUESS_WINDOW_BYTES = 1024 * 1024;

/**
 * Whether the byte at `at` is inside a quoted cell, guessed from the bytes after it: the first
 * quote whose neighbours tell which one it is — an opening quote follows a delimiter or line break
 * and precedes a cell's text (`,"x`), a closing quote follows text and precedes a delimiter or line
 * break (`x",`) — with the quotes before it counted. Only a malformed file fools it (then the
 * pre-scan corrects the split). No telling quote in the window: not quoted.
 */
async function guessQuoted(read: ReadChunk, size: number, at: number, layout: CsvLayout): Promise<boolean> {
  const quote = layout.quote.charCodeAt(0);
  const delimiter = layout.delimiter.length === 1 ? layout.delimiter.charCodeAt(0) : -1;
  const edge = (c: number | undefined) => c === undefined || c === delimiter || c === 0x0a || c === 0x0d;
  const from = Math.max(0, at - 1);
  const length = Math.min(SPLIT_GUESS_WINDOW_BYTES, size - from);
  // a copy: the source may reuse its buffer for the next read
  const bytes = (await read(from, length)).slice(0, length);
  let passed = 0;
  for (let i = bytes.indexOf(quote, at - from); i >= 0; i = bytes.indexOf(quote, i + 1)) {
    const before = i + from > 0 ? bytes[i - 1] : undefined;
    const after = bytes[i + 1];
    // an escaped quote ("") tells nothing and counts twice
    if (after === quote) {
      passed += 2;
      i++;
      continue;
    }
    if (i + 1 >= bytes.length && i + from + 1 < size) break; // its next byte is beyond the window
    const opening = edge(before) && !edge(after);
    const closing = !edge(before) && before !== quote && edge(after);
    // the state before this quote: outside a cell for an opening one, inside for a closing one
    if (opening) return passed % 2 === 1;
    if (closing) return passed % 2 === 0;
    passed++;
  }
  return false;
}

/**
 * A guess at {@link splitRanges}'s answer without its pre-scan: the quote state at each target is
 * guessed from the bytes after it ({@link guessQuoted}), and the boundary found from there as the
 * pre-scan finds it (a few KB read per target, not the file before it). For a well-formed file the
 * guess equals the answer, so ranges can start at once while the pre-scan, run meanwhile, confirms
 * them (see {@link createParallelRunner}).
 */
export async function guessRanges(
  read: ReadChunk,
  size: number,
  parts: SplitPlan,
  layout: CsvLayout,
): Promise<Range[]> {
  return (await guessSplit(read, size, parts, layout)).ranges;
}

/**
 * What a guessed split assumed: where the search for each boundary began (`from`, at or after its
 * target) and the quote state it assumed there. Each assumption holds when the quote bytes between
 * the previous boundary and `from` are odd for a quoted start, even otherwise (the previous
 * boundary holding): then the pre-scan finds the same boundary (see {@link confirmedByQuotes}).
 */
interface GuessedSplit {
  ranges: Range[];
  /** per boundary, in order; undefined when some target found no boundary (then only the pre-scan decides) */
  starts: { from: number; quoted: boolean }[] | undefined;
}

async function guessSplit(
  read: ReadChunk,
  size: number,
  parts: SplitPlan,
  layout: CsvLayout,
): Promise<GuessedSplit> {
  if (unsplit(parts) || size === 0 || !canSplit(layout))
    return { ranges: [{ start: 0, end: size }], starts: [] };
  const boundaries: number[] = [];
  const starts: { from: number; quoted: boolean }[] = [];
  const targets = splitTargets(size, parts);
  for (const target of targets) {
    const last = boundaries[boundaries.length - 1] ?? 0;
    // a target inside the previous range (a record longer than a share): from that range's end,
    // outside any quoted cell, as the pre-scan goes on from there
    const from = Math.max(target, last);
    const quoted = from === last ? false : await guessQuoted(read, size, from, layout);
    // the byte before tells whether an LF there ends a CRLF
    const previousLast = from > 0 ? ((await read(from - 1, 1))[0] ?? -1) : -1;
    const scan = {
      from,
      quoted,
      previousLast,
      chunkBytes: SPLIT_GUESS_CHUNK_BYTES,
      quotes: true,
      until: from + SPLIT_GUESS_WINDOW_BYTES,
    };
    const found = boundaries.length;
    await scanBoundaries(read, size, [target], layout, scan, boundaries);
    if (boundaries.length > found) starts.push({ from, quoted });
  }
  return {
    ranges: rangesOf(boundaries, size),
    starts: starts.length === targets.length ? starts : undefined,
  };
}

/**
 * Counts the quote bytes a range's reader reads in [`start`, `until`) — the pre-scan's work, done
 * on bytes the range reads anyway ({@link ParallelRunnerOptions.countsQuotes}). `count()` is
 * undefined unless every byte there was read, in order (a read beyond a gap stops the count).
 */
export function countRangeQuotes(
  read: ReadChunk,
  start: number,
  until: number,
  layout: CsvLayout,
): { read: ReadChunk; count(): number | undefined } {
  const quote = layout.quote.charCodeAt(0);
  let counted = start;
  let quotes = 0;
  let gap = false;
  return {
    read: async (offset, length) => {
      const answer = await read(offset, length);
      // a reader may answer with more than asked (the rest is not the file's bytes at offset + length)
      const bytes = answer.length > length ? answer.subarray(0, length) : answer;
      if (offset > counted && counted < until) gap = true;
      if (!gap && counted < until) {
        const end = Math.min(offset + bytes.length, until);
        for (
          let i = bytes.indexOf(quote, counted - offset);
          i >= 0 && i < end - offset;
          i = bytes.indexOf(quote, i + 1)
        )
          quotes++;
        counted = Math.max(counted, end);
      }
      return answer;
    },
    count: () => (!gap && counted >= until ? quotes : undefined),
  };
}

/**
 * Whether the ranges' quote counts confirm a guessed split without a pre-scan: by induction from
 * the first boundary (the file's start is outside any quoted cell), each boundary holds when the
 * quote bytes its range counted between the range's start and the next boundary's `from` match
 * the quote state the guess assumed there — the pre-scan, arriving there in that state, finds the
 * same boundary. `counts[j]`: what range j counted (undefined: not known, the pre-scan decides).
 */
function confirmedByQuotes(guess: GuessedSplit, counts: readonly (number | undefined)[]): boolean {
  return confirmedBoundaries(guess, counts) === guess.ranges.length - 1;
}

/**
 * How many of a guessed split's boundaries, from the first on, the ranges' quote counts confirm
 * (see {@link confirmedByQuotes}; the induction holds boundary by boundary): range j starts where
 * the pre-scan's range j starts when j is at most this.
 */
function confirmedBoundaries(guess: GuessedSplit, counts: readonly (number | undefined)[]): number {
  const starts = guess.starts;
  if (starts === undefined || starts.length !== guess.ranges.length - 1) return 0;
  let j = 0;
  for (const s of starts) {
    const count = counts[j];
    if (count === undefined || count % 2 !== (s.quoted ? 1 : 0)) break;
    j++;
  }
  return j;
}

function rebaseRows(rows: number[], base: number): number[] {
  return rows.map((r) => r + base);
}

/** Re-bases a range's key set rows, in place (the merge owns the ranges' results). */
function rebaseKeyState(state: KeySetState, base: number): KeySetState {
  if (base === 0) return state;
  for (const chunk of state.chunks) {
    const rows = chunk.rows;
    for (let i = 0; i < rows.length; i++) rows[i] = (rows[i] as number) + base;
  }
  for (const group of state.duplicates) group.rows = rebaseRows(group.rows, base);
  return state;
}

/** The first range's key sets, merged ahead (one merge per key column; none for a spilled set). */
export type KeyMerges = (ReturnType<typeof createKeySetMerger> | undefined)[];

/**
 * Starts merging the first range's key sets while the later ranges still run (the merge's
 * largest part: at 1M rows, 2 ranges, ≈ 0.4 s of CPU in series after the last range). `scale`
 * (input bytes over the first range's bytes) estimates the keys of all ranges, to size the
 * merged index once. The first range's key sets are taken over, as {@link mergeResults} takes them.
 */
export function startKeyMerges(first: CsvValidationResult, scale: number): KeyMerges {
  return first.keys.map(({ state }) => {
    if (state.spilled) return undefined;
    // a little above the estimate: the index is not grown (copied) again near the end
    const merger = createKeySetMerger(state.demographicCount, Math.ceil(state.size * scale * 1.05));
    merger.add(state);
    return merger;
  });
}

/** Reads the key text of the record at a byte offset (for duplicates found across ranges). */
export type KeyAt = (column: string, offset: number) => Promise<string>;

/**
 * Merges the results of consecutive ranges of one input (in file order) into the result of one
 * pass. `keyAt` re-reads the key of a record that first appears in one range and again in a
 * later one (the ranges' key sets hold hashes, not text). The parts' key sets are taken over
 * (re-based and merged in place, their storage released): the parts are not used afterwards.
 * `keyMerges`: the first part's key sets already merged ({@link startKeyMerges}).
 * `spilledKeysHelper`: another thread that may check some of the spilled key sets' partitions
 * (keySpill.ts `checkSpilledKeys`); the result is the same with or without it.
 * `listedRepeats`: re-reads a range for the few keys the in-memory merge would list short
 * (readListedRepeats.ts); without it, such keys keep keySet.ts `mergeKeySets`' listing limit.
 * `readsAtOnce`: `keyAt` reads that may be in flight at once (validateCsv.ts `readsAtOnceOf`).
 */
export async function mergeResults(
  parts: readonly CsvValidationResult[],
  keyAt: KeyAt,
  keySpill?: KeySpill,
  keyMerges?: KeyMerges,
  spilledKeysHelper?: SpilledPartitionsHelper,
  listedRepeats?: ListedRepeatsReader,
  readsAtOnce = 1,
): Promise<CsvValidationResult> {
  const first = parts[0] as CsvValidationResult;
  if (parts.length === 1 && !first.keys.some((k) => k.state.spilled)) return first;
  const bases: number[] = [];
  let records = 0;
  for (const part of parts) {
    bases.push(records);
    records += part.records;
  }
  const issues: TallyEntry[][] = parts.map((part, j) =>
    part.issues.map((entry) => ({
      ...entry,
      examples: entry.examples.map((e) =>
        e.row === undefined ? e : { ...e, row: e.row + (bases[j] as number) },
      ),
    })),
  );
  // failing rows: concatenated, re-based
  const total = parts.reduce((n, p) => n + p.failingRows.count, 0);
  const failing: FailingRows = {
    count: total,
    rows: new Uint32Array(Math.max(total, 1)),
    offsets: new Float64Array(Math.max(total, 1)),
  };
  let at = 0;
  parts.forEach((part, j) => {
    for (let i = 0; i < part.failingRows.count; i++) {
      failing.rows[at] = (part.failingRows.rows[i] as number) + (bases[j] as number);
      failing.offsets[at] = part.failingRows.offsets[i] as number;
      at++;
    }
  });
  const failingBases: number[] = [];
  parts.reduce((n, p) => {
    failingBases.push(n);
    return n + p.failingRows.count;
  }, 0);
  const issueRows = mergeIssueRows(
    parts.map((p) => p.issueRows),
    failingBases,
  );
  const profiles: ProfileState[] = first.profiles.map((_, c) =>
    mergeProfiles(parts.map((p) => p.profiles[c] as ProfileState)),
  );
  const keys: CsvValidationResult['keys'] = [];
  const spilled = first.keys.map((_, c) =>
    parts.every((p) => (p.keys[c] as { state: KeySetState }).state.spilled),
  );
  // the key sets in memory, merged side by side: a range is read again at most once for all of them
  const inMemory = first.keys.flatMap((key, c) => (spilled[c] ? [] : [{ key, c }]));
  type InMemory = (typeof inMemory)[number];
  const mergedSets = await mergeKeyParts({
    parts: parts.length,
    sets: inMemory.length,
    part: (j, set) => {
      const { c } = inMemory[set] as InMemory;
      const state = ((parts[j] as CsvValidationResult).keys[c] as { state: KeySetState }).state;
      return rebaseKeyState(state, bases[j] as number);
    },
    rowBases: bases,
    mergers: inMemory.map(({ c }) => keyMerges?.[c]),
    readAgain:
      listedRepeats &&
      ((j, asks) =>
        listedRepeats(
          j,
          asks.map(({ set, wanted }) => ({ key: (inMemory[set] as InMemory).key, wanted })),
        )),
  });
  const mergedOf = new Map(inMemory.map(({ c }, set) => [c, mergedSets[set]]));
  for (const [c, key] of first.keys.entries()) {
    if (spilled[c]) {
      // spilled keys: checked over every range at once, exactly as one pass (keySpill.ts)
      if (!keySpill) throw new Error('spilled key sets need the key spill they were written to');
      const states = parts.map((p) => (p.keys[c] as { state: KeySetState }).state);
      const state = await checkSpilledKeys(
        states.map((s, j) => ({ state: s, rowBase: bases[j] as number })),
        keySpill,
        (offset) => keyAt(key.column, offset),
        spilledKeysHelper,
        readsAtOnce,
      );
      keys.push({ column: key.column, demographics: key.demographics, state });
      continue;
    }
    const { state, unresolved } = mergedOf.get(c) as (typeof mergedSets)[number];
    for (const group of state.duplicates) {
      if (group.key !== '') continue;
      const hit = unresolved.find((u) => u.firstRow === group.rows[0]);
      if (hit) group.key = await keyAt(key.column, hit.firstOffset);
    }
    keys.push({ column: key.column, demographics: key.demographics, state });
  }
  const orphans: OrphanTally[] = first.orphans.map((o, c) => {
    const merged: OrphanTally = { ...o, count: 0, examples: [] };
    parts.forEach((p, j) => {
      const part = p.orphans[c] as OrphanTally;
      merged.count += part.count;
      for (const e of part.examples)
        if (merged.examples.length < 20) merged.examples.push({ ...e, row: e.row + (bases[j] as number) });
    });
    return merged;
  });
  const lineEndings = { crlf: 0, lf: 0, cr: 0, unexpected: 0, unexpectedRows: [] as number[] };
  parts.forEach((p, j) => {
    lineEndings.crlf += p.lineEndings.crlf;
    lineEndings.lf += p.lineEndings.lf;
    lineEndings.cr += p.lineEndings.cr;
    lineEndings.unexpected += p.lineEndings.unexpected;
    for (const r of p.lineEndings.unexpectedRows)
      if (lineEndings.unexpectedRows.length < 20) lineEndings.unexpectedRows.push(r + (bases[j] as number));
  });
  const sum = (f: (p: CsvValidationResult) => number) => parts.reduce((n, p) => n + f(p), 0);
  return {
    input: first.input,
    bytes: sum((p) => p.bytes),
    layout: first.layout,
    header: first.header,
    records,
    valid: sum((p) => p.valid),
    invalid: sum((p) => p.invalid),
    errors: sum((p) => p.errors),
    warnings: sum((p) => p.warnings),
    issues: mergeTallies(issues),
    profiles,
    keys,
    orphans,
    lineEndings,
    failingRows: failing,
    issueRows,
    planDisagreements: sum((p) => p.planDisagreements),
  };
}

/**
 * Validates one byte range (in a worker); the options carry `range`. `lane` says which of the
 * runner's threads runs it: 0 this thread (it may read through the caller's source), 1 … N − 1 the
 * others; undefined for an input that is not split (this thread). A lane runs one range at a time.
 * `quotesTo` (with {@link ParallelRunnerOptions.countsQuotes}): the runner counts the quote bytes
 * of [range start, quotesTo) as it reads them ({@link countRangeQuotes}) and sets the result's
 * {@link RangeQuotes.rangeQuotes}. `options.onProgress`, when set, takes the range's own bytes and
 * rows read so far (relative to the range's start, as `validateCsv` reports a range), to be summed
 * into the input's: a runner reports it as often as is cheap (a worker: throttled messages).
 */
export type RangeRunner = (
  source: CsvSource,
  options: ValidateCsvOptions,
  lane?: number,
  quotesTo?: number,
) => Promise<CsvValidationResult & RangeQuotes>;

/** What a range runner counted for the split's confirmation (see {@link RangeRunner}). */
export interface RangeQuotes {
  /** quote bytes in [range start, quotesTo); undefined when not counted */
  rangeQuotes?: number | undefined;
}

/** Inputs smaller than this are not split: starting workers costs more than it saves. */
export const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

/** Options of {@link createParallelRunner}. */
export interface ParallelRunnerOptions {
  /**
   * Whether the input may be read here while its ranges run: true when every range reads the
   * input through its own reader (the browser's workers); false (the default) when a range may run
   * on this thread through the same source (the CLI's first range) — a source may reuse one
   * buffer for its reads, so the split is then confirmed once the first range is done.
   */
  readsWhileRunning?: boolean;
  /**
   * Another thread that may check part of the spilled key sets once the ranges are done (the
   * CLI: a range worker, idle by then): at 1M rows the check was ≈ 0.35-0.45 s on this thread
   * alone, in series after the last range.
   */
  spilledKeysHelper?: SpilledPartitionsHelper;
  /**
   * Reads a range again for the keys the in-memory key merge would list short
   * (readListedRepeats.ts); default: on this thread (the CLI). The browser reads in a validator
   * worker, as it parses every row (workers/validateRun.ts).
   */
  readListedRepeats?: RangeRepeatsReader;
  /**
   * Another thread that may run the pre-scan ({@link splitRanges}) once it is free (the CLI: the
   * worker whose range ends first), asked as the ranges start; used only when this thread's own
   * range is done (`readsWhileRunning` false). When this thread's range ends first it takes the
   * pre-scan back (`cancel()` true: not begun elsewhere) and runs it itself, as before; when a
   * worker's range ended first, the pre-scan (≈ 0.15-0.2 s at 1M rows) ran while this thread
   * still validated, instead of in series after it. A failed pre-scan elsewhere runs here.
   */
  preScanHelper?: PreScanHelper;
  /**
   * More ranges than threads ({@link workTakingTargets}): each thread takes the next range once
   * its own is done. With one range per thread the run took as long as its slowest thread: at 1M
   * rows the CLI's main thread ended its range 1.3-2 s after the worker ended its own (the same
   * bytes; its start-up work, a loaded machine), while the worker sat idle. Default false: one
   * range per thread.
   */
  takeWork?: boolean;
  /**
   * The range runner counts quote bytes as it reads ({@link RangeRunner}'s `quotesTo`): a
   * guessed split is then confirmed from those counts, and the pre-scan runs only when they do
   * not confirm it (a malformed file; a range that failed). The pre-scan read the input a second
   * time up to its last boundary: with more ranges than threads most of it (4 ranges: 166 of
   * 221 MB at 1M rows; with 8, 206 MB took a worker 1.2 s, loaded machine), where a count costs
   * only an `indexOf` per quote in chunks already read (≈ 0.15 s of CPU for the whole file).
   */
  countsQuotes?: boolean;
}

/** A pre-scan asked of another thread ({@link ParallelRunnerOptions.preScanHelper}). */
export interface PreScanElsewhere {
  /** what {@link splitRanges} answers for the input */
  ranges: Promise<Range[]>;
  /** Takes the pre-scan back if it has not begun elsewhere (true); false once it has. */
  cancel(): boolean;
}

/** Asks another thread to pre-scan `source` ({@link splitRanges}); undefined when none can. */
export type PreScanHelper = (
  source: CsvSource,
  parts: SplitPlan,
  layout: CsvLayout,
) => PreScanElsewhere | undefined;

/**
 * The input's progress summed from its ranges' (each range's runner reports the bytes and rows of
 * its own range so far, {@link RangeRunner}): one line for the input while its threads read it,
 * instead of nothing until every range is read (minutes on a multi-GB extract). A range validated
 * again (the guess got it wrong) replaces the ranges it overlaps, and the count never goes back.
 * It stays short of the input's size: "read to the end" is said once, by the runner, when every
 * range is confirmed and the merge starts (the caller then says what comes next).
 */
function summedRangeProgress(
  size: number,
  report: (progress: { bytes: number; rows: number }) => void,
): (range: Range) => (progress: { bytes: number; rows: number }) => void {
  const running: { range: Range; bytes: number; rows: number }[] = [];
  let shown = { bytes: 0, rows: 0 };
  return (range) => {
    for (let i = running.length - 1; i >= 0; i--) {
      const r = (running[i] as { range: Range }).range;
      if (r.start < range.end && range.start < r.end) running.splice(i, 1);
    }
    const entry = { range, bytes: 0, rows: 0 };
    running.push(entry);
    return (progress) => {
      entry.bytes = progress.bytes;
      entry.rows = progress.rows;
      let bytes = 0;
      let rows = 0;
      for (const r of running) {
        bytes += r.bytes;
        rows += r.rows;
      }
      shown = { bytes: Math.max(shown.bytes, Math.min(bytes, size - 1)), rows: Math.max(shown.rows, rows) };
      report(shown);
    };
  };
}

/**
 * The range's last cell is a quoted cell never closed before the range's end (an unterminated
 * quote runs to the end of the text it is read from, so it is always the range's last record).
 */
function endsInQuotedCell(result: CsvValidationResult): boolean {
  return result.issues.some((entry) => entry.rule === unterminatedQuoteRule.id);
}

/** A range's outcome, kept until the split is confirmed (an error of a misjudged range is dropped). */
type Outcome = { ok: true; result: CsvValidationResult & RangeQuotes } | { ok: false; error: unknown };

function outcomeOf(running: Promise<CsvValidationResult & RangeQuotes>): Promise<Outcome> {
  return running.then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/**
 * Runs `ranges` on `lanes` lanes, each taking the next range once its own is done (a lane runs
 * one at a time); `between` runs on a lane after each of its ranges. Returns each range's outcome.
 */
function takeInTurn(
  ranges: readonly Range[],
  lanes: number,
  run: (range: Range, lane: number) => Promise<CsvValidationResult & RangeQuotes>,
  between: (lane: number) => Promise<void> = async () => {},
): { outcomes: Promise<Outcome>[]; done: Promise<void> } {
  const settles: ((outcome: Outcome) => void)[] = [];
  const outcomes = ranges.map(
    () =>
      new Promise<Outcome>((resolve) => {
        settles.push(resolve);
      }),
  );
  let next = 0;
  const lane = async (l: number) => {
    for (let j = next++; j < ranges.length; j = next++) {
      // a runner that throws before it returns a promise is an outcome like any other (called at
      // once all the same: the CLI's runner must begin this thread's range before the pre-scan is
      // asked of a worker, or that worker takes the pre-scan first)
      let running: Promise<CsvValidationResult & RangeQuotes>;
      try {
        running = run(ranges[j] as Range, l);
      } catch (error) {
        running = Promise.reject(error);
      }
      const outcome = await outcomeOf(running);
      (settles[j] as (outcome: Outcome) => void)(outcome);
      await between(l);
    }
  };
  // every lane ends before `done` does, also when one fails (a pre-scan between two ranges): no
  // worker is left busy with a range after the answer
  const done = Promise.allSettled(
    Array.from({ length: Math.min(lanes, ranges.length) }, (_, l) => lane(l)),
  ).then((ended) => {
    for (const lane of ended) if (lane.status === 'rejected') throw lane.reason;
  });
  return { outcomes, done };
}

/**
 * An input runner that splits each input into `parts` ranges (or more, taken in turn, with
 * {@link ParallelRunnerOptions.takeWork}), runs them with `runRange` on `parts` lanes (e.g. this
 * thread and a worker each) and merges the results. Small or unsplittable inputs run as one range.
 *
 * The ranges start at once at guessed boundaries ({@link guessRanges}); the pre-scan
 * ({@link splitRanges}) runs meanwhile and confirms them. A range the guess got wrong (a boundary
 * inside a quoted cell) is validated again over its right bytes, and its first result dropped:
 * the merged result is always that of the pre-scan's ranges.
 */
export function createParallelRunner(
  parts: number,
  runRange: RangeRunner,
  minSplitBytes = MIN_SPLIT_BYTES,
  runnerOptions: ParallelRunnerOptions = {},
): (source: CsvSource, options: ValidateCsvOptions) => Promise<CsvValidationResult> {
  return async (source, options) => {
    const layout = options.layout;
    // a reference into the same input needs the whole input's keys: not split
    const selfReference = (options.references ?? []).some((r) => r.lookup === undefined);
    if (parts <= 1 || source.size < minSplitBytes || !canSplit(layout) || selfReference)
      return runRange(source, options);
    const plan: SplitPlan = runnerOptions.takeWork ? workTakingTargets(source.size, parts) : parts;
    const guess = await guessSplit(source.read, source.size, plan, layout);
    const guessed = guess.ranges;
    // no boundary guessed (records longer than a share): the pre-scan decides alone
    const certain =
      guessed.length === 1
        ? await splitRanges(source.read, source.size, plan, layout, options.signal)
        : undefined;
    if (certain?.length === 1) return runRange(source, options);
    // without a header record the columns are named after the first record ("column N"), as a
    // whole-input pass names them: later ranges must profile and key the same columns
    const first = (await readRecordAt(source, layout, 0)) ?? [];
    const header = layout.header ? first : first.map((_, i) => `column ${i + 1}`);
    const ranStarted = certain ?? guessed;
    // the guessed split confirmed by the ranges' quote counts, not a pre-scan (see countsQuotes)
    const counting =
      certain === undefined && runnerOptions.countsQuotes === true && guess.starts !== undefined;
    const rangeProgress = options.onProgress
      ? summedRangeProgress(source.size, options.onProgress)
      : undefined;
    const run = (range: Range, lane: number) => {
      const j = counting ? ranStarted.indexOf(range) : -1;
      const { onProgress: _whole, ...rest } = options;
      return runRange(
        source,
        {
          ...rest,
          // the first range reads the header itself (and checks it); the others are given it
          range: { ...range, header: range.start === 0 ? [] : header },
          // the range's own bytes and rows, summed with the other ranges' into the input's progress
          ...(rangeProgress ? { onProgress: rangeProgress(range) } : {}),
        },
        lane,
        j >= 0 ? guess.starts?.[j]?.from : undefined,
      );
    };
    /**
     * The input validated again as one range, after its ranges ran: its progress replaces theirs
     * (held where they left it until the pass goes beyond, never going back), and its last report,
     * the whole input read, passes as it is
     */
    const wholeAgain = () => {
      const whole = rangeProgress?.({ start: 0, end: source.size });
      const report = options.onProgress;
      if (!whole || !report) return runRange(source, options);
      return runRange(source, {
        ...options,
        onProgress: (p) => (p.bytes >= source.size ? report(p) : whole(p)),
      });
    };
    const reads = runnerOptions.readsWhileRunning === true;
    let ranges: Range[] | undefined = certain;
    let elsewhere: PreScanElsewhere | undefined;
    let scanning: Promise<Range[]> | undefined =
      ranges === undefined && reads && !counting
        ? splitRanges(source.read, source.size, plan, layout, options.signal)
        : undefined;
    // awaited below, or not when the run is cancelled first (then it rejects too): not "unhandled"
    scanning?.catch(() => undefined);
    const scanHere = async (lane: number) => {
      if (lane !== 0 || counting || ranges !== undefined || scanning !== undefined) return;
      if (elsewhere && !elsewhere.cancel()) return;
      scanning = splitRanges(source.read, source.size, plan, layout, options.signal);
      ranges = await scanning;
    };
    const started = takeInTurn(ranStarted, parts, run, scanHere);
    // the pre-scan: elsewhere (asked as the ranges start, begun by the first other thread to be
    // free), else here between two of this thread's ranges (its source may reuse one buffer), or
    // here at once when the ranges read through sources of their own
    if (ranges === undefined && !reads && !counting)
      elsewhere = runnerOptions.preScanHelper?.(source, plan, layout);
    // a failure elsewhere is handled from the start: the pre-scan then runs here
    const preScanned = elsewhere?.ranges.catch(() => undefined);
    // the first range's key sets merged while the others run (the merge's largest part)
    let keyMerges: KeyMerges | undefined;
    const firstStarted = started.outcomes[0] as Promise<Outcome>;
    const mergingAhead = firstStarted.then((o) => {
      const firstRange = ranStarted[0] as Range;
      if (o.ok)
        keyMerges = startKeyMerges(o.result, source.size / Math.max(1, firstRange.end - firstRange.start));
    });
    // the dropped ranges' work ends before the answer (a worker is not left busy with it)
    await started.done;
    await mergingAhead;
    // cancelled (the user, or a caller's own stop such as the browser's spill retry): no pre-scan,
    // no range again. A range that failed left no quote count, so the split is not confirmed and
    // the pre-scan below would read the input up to its last boundary before the cancel is told
    if (options.signal?.aborted) throw new JobCancelledError();
    if (counting) {
      const countedOutcomes = await Promise.all(started.outcomes);
      const counts = countedOutcomes.map((o) => (o.ok ? o.result.rangeQuotes : undefined));
      if (confirmedByQuotes(guess, counts)) ranges = ranStarted;
      else {
        // A failed range's error is told as it is, without the pre-scan, when the ranges before it
        // (all done: it is the first to fail) confirm every boundary up to its start: it then began
        // where one pass's record begins and read the input as one pass does from there, so its
        // error is one that a pass over the whole input meets too, and the one the pre-scan's path
        // throws (it throws the first failed range's error before anything else; property-tested
        // in splitTakeWork.test.ts). Its end is not confirmed, but no error comes from a range's
        // end (an end inside a quoted cell is an unterminated-quote issue; an end follows a
        // line-break byte, so no character is cut). A range after an unconfirmed boundary may have
        // begun inside a quoted cell: its error (a record "too long" that is the rest of the file
        // read with quotes inverted) may be the split's artefact, so the pre-scan decides, as
        // before. Bad text or an unreadable file in a well-formed file: told at once, not after a
        // read of the input up to its last boundary.
        const failed = countedOutcomes.findIndex((o) => !o.ok);
        const outcome = countedOutcomes[failed];
        if (outcome && !outcome.ok && failed <= confirmedBoundaries(guess, counts)) throw outcome.error;
      }
    }
    if (ranges === undefined && scanning !== undefined) ranges = await scanning;
    if (ranges === undefined && elsewhere) ranges = await preScanned;
    ranges ??= await splitRanges(source.read, source.size, plan, layout, options.signal);
    // the guess split, the pre-scan did not: one range after all (validated again, whole)
    if (ranges.length === 1) return wholeAgain();
    const confirmed = ranges.map((range) =>
      ranStarted.findIndex((r) => r.start === range.start && r.end === range.end),
    );
    // ranges the guess got wrong: validated again, taken in turn like the first ones
    const again = takeInTurn(
      ranges.filter((_, j) => (confirmed[j] as number) < 0),
      parts,
      run,
    );
    await again.done;
    let k = 0;
    const outcomes = await Promise.all(
      confirmed.map((j) =>
        j >= 0 ? (started.outcomes[j] as Promise<Outcome>) : (again.outcomes[k++] as Promise<Outcome>),
      ),
    );
    const results = outcomes.map((o) => {
      if (!o.ok) throw o.error;
      return o.result;
    });
    // a range before the last that ends inside a quoted cell was cut where one pass does not cut:
    // a quote kept as text in an unquoted cell (O"Brien) turns the quote parity the split and its
    // confirmation rely on. Validated again as one range (rare: the file has such a quote)
    if (results.slice(0, -1).some(endsInQuotedCell)) return wholeAgain();
    // every range is read: the input's progress (summed from its ranges', short of the end until
    // now) reaches its last byte before the merge and key checks, so a caller can say so
    options.onProgress?.({ bytes: source.size, rows: results.reduce((n, r) => n + r.records, 0) });
    return mergeResults(
      results,
      async (column, offset) => {
        const fields = await readRecordAt(source, layout, offset);
        // a whole-row key's value is the row's cells joined, as validateCsv keys it
        if (column === WHOLE_ROW) return fields?.join(WHOLE_ROW_SEPARATOR) ?? '';
        return fields?.[header.indexOf(column)] ?? '';
      },
      options.keySpill,
      // merged ahead from the first range started: only if that range is the merge's first one
      confirmed[0] === 0 ? keyMerges : undefined,
      runnerOptions.spilledKeysHelper,
      rangeListedRepeats(source, options, ranges, header, runnerOptions.readListedRepeats),
      readsAtOnceOf(source),
    );
  };
}
