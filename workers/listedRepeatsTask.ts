/**
 * The key listing's second read of a byte range (core readListedRepeats.ts), in a validator worker.
 * A split run's in-memory key merge (core keySet.ts `mergeKeyParts`) reads a later range again
 * for the few listed keys it repeats beyond its own 1,000 listed groups; in the browser that read
 * is sent here (`readListedRepeats` of workers/validateApi.ts), because rows are parsed and checked
 * in the workers only (workers/validateRun.ts): on the page, one 8 MiB range took ≈ 250 ms of the
 * page's thread, with the report about to be drawn.
 *
 * Constraints:
 * - Plain data both ways (structured clone): the file, how it was read (layout, byte range with
 *   the file's header), each key set's columns and its wanted keys' hashes (at most 1,000 keys a
 *   set; all key sets of the range in one task, so the range is read once); back come counts, row
 *   numbers and column positions, never record content.
 * - A read that fails with something the user can fix (the file changed or went away since it was
 *   validated) is a `problem` outcome, as a part's is: the run ends with it.
 * - Every progress report is the job's heartbeat for the pool's stall watchdog; the run's bytes
 *   were all counted already, so the page shows none of it.
 */
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import type { ListedRepeatRows } from '../src/core/migration/keySet.ts';
import {
  type ListedKeyRepeats,
  type RangeRepeatsReader,
  readListedRepeats,
} from '../src/core/migration/readListedRepeats.ts';
import type { ByteRange, CsvSource } from '../src/core/migration/validateCsv.ts';
import type { InputProblem } from './validateApi.ts';

/** What the page sends a validator worker to read a range again for (see the file header). */
export interface ListedRepeatsTask {
  file: Blob;
  /** the file's name, as the run's report names it */
  name: string;
  layout: CsvLayout;
  /** the range, as the run validated it (absent: the whole file) */
  range?: ByteRange;
  /** bytes per read (default: the engine's 1 MiB) */
  chunkBytes?: number;
  /**
   * per key set: its column and demographic columns, and the keys to list by their hashes (core
   * keySet.ts `KeySetMerger.listedRepeats`)
   */
  keys: ListedKeyRepeats[];
}

/**
 * What the worker answers: what the range holds of each key set's wanted keys (in the task's
 * order), or a problem the user can fix.
 */
export type ListedRepeatsOutcome =
  | { ok: true; found: ListedRepeatRows[] }
  | { ok: false; problem: InputProblem };

/**
 * Reads `task`'s range again in this worker (core `readListedRepeats` over `source(file, name)`).
 * @throws as `readListedRepeats` does; the worker's API turns them into outcomes.
 */
export function runListedRepeats(
  task: ListedRepeatsTask,
  options: {
    source: (file: Blob, name: string) => CsvSource;
    signal: AbortSignal;
    onProgress: (progress: { bytes: number; rows: number }) => void;
  },
): Promise<ListedRepeatRows[]> {
  return readListedRepeats(
    options.source(task.file, task.name),
    {
      layout: task.layout,
      ...(task.range ? { range: task.range } : {}),
      ...(task.chunkBytes ? { chunkBytes: task.chunkBytes } : {}),
      signal: options.signal,
      onProgress: options.onProgress,
    },
    task.keys,
  );
}

/** Sends a task to a validator worker (workers/validateClient.ts: the run's pool); `signal` cancels it. */
export type ListedRepeatsRunner = (
  task: ListedRepeatsTask,
  signal?: AbortSignal,
) => Promise<ListedRepeatsOutcome>;

/** Options of {@link readRepeatsInWorkers}. */
export interface RepeatsInWorkersOptions {
  /** the run's files, by the name their source carries */
  files: ReadonlyMap<string, Blob>;
  /** sends a task to a worker */
  run: ListedRepeatsRunner;
  /** the error a problem outcome ends the run with (workers/validateRun.ts: as a part's problem) */
  problem: (problem: InputProblem) => Error;
  /** the run's bytes per read, when the run's options carry none */
  chunkBytes?: number;
}

/**
 * The page's reader for core `createParallelRunner`'s `readListedRepeats` option: each range is
 * read again by a validator worker, not on the page.
 */
export function readRepeatsInWorkers(options: RepeatsInWorkersOptions): RangeRepeatsReader {
  return async (source, read, keys) => {
    const file = options.files.get(source.name);
    // the runner reads only the run's inputs: a missing one is a bug, not the user's
    if (!file) throw new Error('a range to read again is not one of the run’s files');
    const chunkBytes = read.chunkBytes ?? options.chunkBytes;
    const task: ListedRepeatsTask = {
      file,
      name: source.name,
      layout: read.layout,
      // what the worker needs of each key set: its columns and the wanted keys' hashes, never its
      // state (a caller's richer object would otherwise be copied over, listed key texts included)
      keys: keys.map(({ key, wanted }) => ({
        key: { column: key.column, demographics: key.demographics },
        wanted,
      })),
      ...(read.range ? { range: read.range } : {}),
      ...(chunkBytes ? { chunkBytes } : {}),
    };
    const outcome = await options.run(task, read.signal);
    if (!outcome.ok) throw options.problem(outcome.problem);
    return outcome.found;
  };
}
