/**
 * Parallel validation of one input (issue 8 "Parallelism"): split the file into byte ranges at
 * record boundaries — a line break at even quote parity, found by a fast pre-scan with native
 * `indexOf` — validate each range on its own (one per worker, rows numbered from 1 in each), then
 * merge: rows re-based, counts summed, issues, profiles and key sets merged. The merged result
 * equals a single pass over the whole input (tested for any split).
 *
 * Constraints:
 * - Quote parity counts every quote byte from the start of the file, as RFC 4180 reads it. A file
 *   with a stray quote inside an unquoted cell (which papaparse keeps as text) can mislead the
 *   split; such a file has a `csv.malformed-quotes` issue either way.
 * - Only encodings where quote and line-break characters are single bytes (UTF-8, Windows-1252)
 *   are split; UTF-16 inputs are validated as one range.
 * - Memory: one chunk during the scan; the merge takes the parts' key sets over (no second copy),
 *   or, when they were spilled (keySpill.ts), checks the ranges' partitions together, one at a time.
 */
import type { ReadChunk } from '../hash/sha256Stream.ts';
import { mergeProfiles, type ProfileState } from './columnProfile.ts';
import type { CsvLayout } from './csvLayout.ts';
import { mergeIssueRows } from './issueRows.ts';
import { mergeTallies, type TallyEntry } from './issueTally.ts';
import { type KeySetState, mergeKeySets } from './keySet.ts';
import { checkSpilledKeys, type KeySpill } from './keySpill.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  type FailingRows,
  type OrphanTally,
  readRecordAt,
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

/** Whether inputs in this layout can be split (see the file header). */
export function canSplit(layout: CsvLayout): boolean {
  return layout.encoding !== 'utf-16le' && layout.encoding !== 'utf-16be' && layout.quote.length === 1;
}

/**
 * Splits `size` bytes into at most `parts` ranges that start at record boundaries, near equal
 * sizes. Fewer ranges come back when the file has fewer boundaries (or is small).
 */
export async function splitRanges(
  read: ReadChunk,
  size: number,
  parts: number,
  layout: CsvLayout,
): Promise<Range[]> {
  if (parts <= 1 || size === 0 || !canSplit(layout)) return [{ start: 0, end: size }];
  const quote = layout.quote.charCodeAt(0);
  // the byte that ends a record: "\n" for CRLF and LF, "\r" for CR
  const terminator = layout.lineEnding === '\r' ? 0x0d : 0x0a;
  const targets = Array.from({ length: parts - 1 }, (_, k) => Math.floor((size * (k + 1)) / parts));
  const boundaries: number[] = [];
  let quoted = false;
  let k = 0;
  /** the last byte of the previous chunk (a CR of a CRLF cut between chunks) */
  let previousLast = -1;
  let base = 0;
  while (base < size && k < targets.length) {
    const length = Math.min(SPLIT_SCAN_CHUNK_BYTES, size - base);
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
  const starts = [0, ...boundaries];
  return starts.map((start, j) => ({ start, end: starts[j + 1] ?? size }));
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

/** Reads the key text of the record at a byte offset (for duplicates found across ranges). */
export type KeyAt = (column: string, offset: number) => Promise<string>;

/**
 * Merges the results of consecutive ranges of one input (in file order) into the result of one
 * pass. `keyAt` re-reads the key of a record that first appears in one range and again in a
 * later one (the ranges' key sets hold hashes, not text). The parts' key sets are taken over
 * (re-based and merged in place, their storage released): the parts are not used afterwards.
 */
export async function mergeResults(
  parts: readonly CsvValidationResult[],
  keyAt: KeyAt,
  keySpill?: KeySpill,
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
  for (const [c, key] of first.keys.entries()) {
    const states = parts.map((p) => (p.keys[c] as { state: KeySetState }).state);
    if (states.every((s) => s.spilled)) {
      // spilled keys: checked over every range at once, exactly as one pass (keySpill.ts)
      if (!keySpill) throw new Error('spilled key sets need the key spill they were written to');
      const state = await checkSpilledKeys(
        states.map((s, j) => ({ state: s, rowBase: bases[j] as number })),
        keySpill,
        (offset) => keyAt(key.column, offset),
      );
      keys.push({ column: key.column, demographics: key.demographics, state });
      continue;
    }
    const { state, unresolved } = mergeKeySets(
      parts.map((p, j) => rebaseKeyState((p.keys[c] as { state: KeySetState }).state, bases[j] as number)),
    );
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

/** Validates one byte range (in a worker); the options carry `range`. */
export type RangeRunner = (source: CsvSource, options: ValidateCsvOptions) => Promise<CsvValidationResult>;

/** Inputs smaller than this are not split: starting workers costs more than it saves. */
export const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

/**
 * An input runner that splits each input into `parts` ranges, runs them with `runRange` at once
 * (e.g. one worker each) and merges the results. Small or unsplittable inputs run as one range.
 */
export function createParallelRunner(
  parts: number,
  runRange: RangeRunner,
  minSplitBytes = MIN_SPLIT_BYTES,
): (source: CsvSource, options: ValidateCsvOptions) => Promise<CsvValidationResult> {
  return async (source, options) => {
    const layout = options.layout;
    // a reference into the same input needs the whole input's keys: not split
    const selfReference = (options.references ?? []).some((r) => r.lookup === undefined);
    if (parts <= 1 || source.size < minSplitBytes || !canSplit(layout) || selfReference)
      return runRange(source, options);
    const ranges = await splitRanges(source.read, source.size, parts, layout);
    if (ranges.length === 1) return runRange(source, options);
    // without a header record the columns are named after the first record ("column N"), as a
    // whole-input pass names them: later ranges must profile and key the same columns
    const first = (await readRecordAt(source, layout, 0)) ?? [];
    const header = layout.header ? first : first.map((_, i) => `column ${i + 1}`);
    const results = await Promise.all(
      ranges.map((range, j) =>
        runRange(source, {
          ...options,
          // the first range reads the header itself (and checks it); the others are given it
          ...(j === 0
            ? { range: { start: 0, end: range.end, header: [] as string[] } }
            : { range: { ...range, header } }),
        }),
      ),
    );
    return mergeResults(
      results,
      async (column, offset) => {
        const fields = await readRecordAt(source, layout, offset);
        // a whole-row key's value is the row's cells joined, as validateCsv keys it
        if (column === WHOLE_ROW) return fields?.join(WHOLE_ROW_SEPARATOR) ?? '';
        return fields?.[header.indexOf(column)] ?? '';
      },
      options.keySpill,
    );
  };
}
