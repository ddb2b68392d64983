/**
 * Finds the rows of one input that a drill-down filter lists, when the validation run did not keep
 * them: the engine keeps the byte offsets of failing rows only (rows with an error), while the
 * report's cross-file findings name rows that need not fail (a repeated key, one identifier with
 * different details), count orphan references without keeping their rows, and keeps no positions
 * for rows that only carry warnings. This re-reads the file once, on demand, and returns those
 * rows' numbers and byte offsets; the list then re-reads each row in view by its offset
 * (`readRecordAt`), exactly as for failing rows.
 *
 * Constraints:
 * - Memory: a row number and an offset per found row (12 bytes), and for an orphan query the
 *   referenced input's key set (compact hashes, keySet.ts) — never row content.
 * - The pass is the engine's own (`validateCsv`, without profiles, contract or keys), with a row
 *   check that marks the wanted rows: row numbers and byte offsets are exactly the engine's, so a
 *   found row is the row the report names. A marked row is recorded under {@link MATCH_RULE}; rows
 *   the engine fails for their structure (missing cells, …) are recorded too and left out here.
 * - Orphan semantics are the engine's: an empty reference is not checked, a value is an orphan
 *   when the referenced column of the target input does not hold it (by the same key hashes).
 * - Cancellable between chunks (`signal`), with progress in bytes.
 */

import type { CsvLayout } from '../csv/index.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { forEachPosition } from './issueRows.ts';
import { keySetFromState } from './keySet.ts';
import type { RowChecker, RowCheckFactory, RowIssue } from './rowCheck.ts';
import { type CsvSource, UnknownColumnError, validateCsv } from './validateCsv.ts';

/** The rule id under which the finding pass records a wanted row (never part of a report). */
export const MATCH_RULE = 'drilldown.match';

const MATCH: readonly RowIssue[] = [
  { rule: MATCH_RULE, severity: 'error', location: '', message: 'a row the drill-down lists' },
];
const NONE: readonly RowIssue[] = [];

/** A lookup of the keys of a referenced column. */
export interface KeyLookup {
  has(key: string): boolean;
}

/**
 * Which rows to find; a row is found when any given condition holds.
 * - `rows`: these data rows (1 = the first), e.g. the rows a repeated key or a conflicting
 *   identifier is found in (the report lists them);
 * - `orphans`: rows whose `column` holds a value that `keys` (the referenced column) does not;
 * - `rowCheck` + `severity`: rows on which that row check (the run's own, e.g. a mapping to FHIR)
 *   reports an issue of that severity.
 */
export interface RowQuery {
  rows?: readonly number[];
  orphans?: { column: string; keys: KeyLookup };
  rowCheck?: RowCheckFactory;
  severity?: 'warning' | 'error';
}

/** Found rows: ascending row numbers and the byte offset of each row's first byte. */
export interface FoundRows {
  count: number;
  rows: Uint32Array;
  offsets: Float64Array;
}

/** Options of {@link findRows} and {@link readKeys}. */
interface FindRowsOptions {
  layout: CsvLayout;
  signal?: AbortSignal;
  onProgress?: (progress: { bytes: number; rows: number }) => void;
  chunkBytes?: number;
}

/** The marking row check of `query` for an input's header (see {@link RowQuery}). */
function marker(query: RowQuery, source: string): RowCheckFactory {
  const wanted = new Set(query.rows ?? []);
  return (header) => {
    const inner: RowChecker | undefined = query.rowCheck?.(header);
    const orphanIndex = query.orphans ? header.indexOf(query.orphans.column) : -1;
    if (query.orphans && orphanIndex < 0)
      throw new UnknownColumnError(source, query.orphans.column, 'a reference');
    const keys = query.orphans?.keys;
    return (row, cells) => {
      if (wanted.has(row)) return MATCH;
      if (keys) {
        const value = cells[orphanIndex];
        if (value !== undefined && value !== '' && !keys.has(value)) return MATCH;
      }
      if (inner) {
        const severity = query.severity ?? 'warning';
        for (const issue of inner(row, cells)) {
          const level = issue.severity === 'fatal' ? 'error' : issue.severity;
          if (level === severity) return MATCH;
        }
      }
      return NONE;
    };
  };
}

/**
 * Finds the rows of `source` that `query` names, in one pass over the file (see the file header).
 * @throws as {@link validateCsv} does (read and decode errors with their byte offset,
 *   JobCancelledError), and {@link UnknownColumnError} when the orphan column is not in the header.
 */
export async function findRows(
  source: CsvSource,
  query: RowQuery,
  options: FindRowsOptions,
): Promise<FoundRows> {
  const result = await validateCsv(source, {
    layout: options.layout,
    profile: false,
    rowCheck: marker(query, source.name),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
  if (options.signal?.aborted) throw new JobCancelledError();
  const group = result.issueRows.groups.find((g) => g.rule === MATCH_RULE);
  const count = group?.count ?? 0;
  const rows = new Uint32Array(count);
  const offsets = new Float64Array(count);
  let at = 0;
  if (group)
    forEachPosition(group, (position) => {
      rows[at] = result.failingRows.rows[position] as number;
      offsets[at] = result.failingRows.offsets[position] as number;
      at++;
    });
  return { count, rows, offsets };
}

/**
 * The keys of `column` in `source` (the referenced input of an orphan query), as the engine
 * collects them for its reference check: one pass, compact hashes.
 * @throws as {@link validateCsv} does; {@link UnknownColumnError} when `column` is not in the header.
 */
export async function readKeys(
  source: CsvSource,
  column: string,
  options: FindRowsOptions,
): Promise<KeyLookup> {
  const result = await validateCsv(source, {
    layout: options.layout,
    profile: false,
    keys: [{ column }],
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
  const state = result.keys.find((k) => k.column === column)?.state;
  if (!state) throw new UnknownColumnError(source.name, column, 'a referenced key');
  return keySetFromState(state);
}
