/**
 * Reads a range of an input again for the few keys a split run's in-memory key merge lists short
 * (keySet.ts `KeySetMerger.listedRepeats`): keys the merged set lists that a later range repeats
 * beyond its own 1,000 listed groups, of which that range's key set kept only the first record.
 * With what this finds (each key's records in the range: count, first rows, conflicting columns)
 * the merge lists exactly what one pass over the whole input lists (issue 8).
 *
 * Constraints:
 * - The pass is the engine's own (`validateCsv` over the same byte range and header, without
 *   profiles, contract or keys), with a row check that only looks: row numbers and key cells are
 *   exactly those the range's key set was filled with.
 * - Memory kept: a count, 10 rows and the columns per wanted key (at most 1,000 keys), never
 *   record content; a key is matched by its two hashes (keySet.ts), as the key set matched it.
 *   The pass itself still keeps what any pass keeps while it runs (the issue tally's capped
 *   examples, the failing rows' offsets); all of it is dropped when it ends, and nothing of it
 *   leaves the thread or worker that reads.
 * - Cost: one more read of the range, only for a range that repeats more than 1,000 keys and a
 *   key an earlier range held among them: at most once per range, for all its key columns at once
 *   (each key column's wanted keys are collected in the same pass).
 */
import type { CsvLayout } from './csvLayout.ts';
import {
  createListedRepeatCollector,
  type ListedRepeatRows,
  type ListedRepeats,
  MAX_DEMOGRAPHICS,
} from './keySet.ts';
import type { RowIssue } from './rowCheck.ts';
import {
  type ByteRange,
  type CsvSource,
  UnknownColumnError,
  validateCsv,
  WHOLE_ROW,
  WHOLE_ROW_SEPARATOR,
} from './validateCsv.ts';

const NONE: readonly RowIssue[] = [];

/** The key set a range is read again for: its key column and demographic columns, as validated. */
export interface ListedKey {
  column: string;
  demographics: readonly string[];
}

/** One key set's keys to list again: its columns and the keys it names (at most 1,000). */
export interface ListedKeyRepeats {
  key: ListedKey;
  wanted: ListedRepeats;
}

/** Options of {@link readListedRepeats}: the range's own, as it was validated. */
export interface ReadListedRepeatsOptions {
  layout: CsvLayout;
  range?: ByteRange;
  signal?: AbortSignal;
  chunkBytes?: number;
  /** bytes and rows of the range read so far (a worker's heartbeat: workers/listedRepeatsTask.ts) */
  onProgress?: (progress: { bytes: number; rows: number }) => void;
}

/**
 * What `source`'s range holds of each key set's wanted keys in its key column, in one read of the
 * range for all of them (see the file header); the results in the order of `keys`.
 * @throws as `validateCsv` does (read and decode errors, JobCancelledError), and
 *   UnknownColumnError when a column is not in the header (it was when the range was validated).
 */
export async function readListedRepeats(
  source: CsvSource,
  options: ReadListedRepeatsOptions,
  keys: readonly ListedKeyRepeats[],
): Promise<ListedRepeatRows[]> {
  const collectors = keys.map(({ wanted }) => createListedRepeatCollector(wanted));
  const indexOf = (header: readonly string[], column: string, role: string) => {
    const index = header.indexOf(column);
    if (index < 0) throw new UnknownColumnError(source.name, column, role);
    return index;
  };
  await validateCsv(source, {
    layout: options.layout,
    profile: false,
    ...(options.range ? { range: options.range } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    rowCheck: (header) => {
      // as validateCsv keys a row: the column's cell or the whole row, demographics by header name
      const columns = keys.map(({ key }, c) => {
        const index = key.column === WHOLE_ROW ? -1 : indexOf(header, key.column, 'a key');
        const demographicIndexes = key.demographics
          .slice(0, MAX_DEMOGRAPHICS)
          .map((d) => indexOf(header, d, 'a demographic column'));
        const cells = demographicIndexes.map(() => '');
        return { index, demographicIndexes, cells, collector: collectors[c] as (typeof collectors)[number] };
      });
      return (row, fields) => {
        for (const { index, demographicIndexes, cells, collector } of columns) {
          const value = index < 0 ? fields.join(WHOLE_ROW_SEPARATOR) : fields[index];
          if (value === undefined || value === '') continue;
          for (let k = 0; k < demographicIndexes.length; k++)
            cells[k] = fields[demographicIndexes[k] as number] ?? '';
          collector.add(value, row, cells);
        }
        return NONE;
      };
    },
  });
  return collectors.map((collector) => collector.result());
}

/**
 * Reads a part's range again, once, for the short-listed keys of its key sets (splitMerge.ts
 * `mergeResults`); the results in the order of `keys`.
 */
export type ListedRepeatsReader = (
  part: number,
  keys: readonly ListedKeyRepeats[],
) => Promise<ListedRepeatRows[]>;

/**
 * Reads one range of an input again for its key sets' short-listed keys: {@link readListedRepeats}'s
 * signature, so it is the default; the browser's runs pass one that reads in a validator worker
 * (workers/listedRepeatsTask.ts), where rows are parsed — never on the page.
 */
export type RangeRepeatsReader = (
  source: CsvSource,
  options: ReadListedRepeatsOptions,
  keys: readonly ListedKeyRepeats[],
) => Promise<ListedRepeatRows[]>;

/**
 * The {@link ListedRepeatsReader} of a split run: part j is `ranges[j]` of `source`, validated with
 * the file's `header` (the first range reads its own), as the run validated it. Of the run's
 * `options`, the layout, the cancel signal and the chunk size are used. `read` reads the range
 * (default {@link readListedRepeats}, on this thread: the CLI's merging thread).
 */
export function rangeListedRepeats(
  source: CsvSource,
  options: Omit<ReadListedRepeatsOptions, 'range' | 'onProgress'>,
  ranges: readonly { start: number; end: number }[],
  header: readonly string[],
  read: RangeRepeatsReader = readListedRepeats,
): ListedRepeatsReader {
  const { layout, signal, chunkBytes } = options;
  return (part, keys) => {
    const range = ranges[part];
    if (!range) throw new RangeError(`no range ${part} in this split`);
    return read(
      source,
      {
        layout,
        range: { ...range, header: range.start === 0 ? [] : header },
        ...(signal ? { signal } : {}),
        ...(chunkBytes ? { chunkBytes } : {}),
      },
      keys,
    );
  };
}
