/**
 * The validator worker's "find the rows of a filter" job (src/core/validation/findRows.ts): the
 * drill-down's cross-file and warning filters ask for rows the run did not keep. Kept apart from
 * validateApi.ts, which only wires it (cancel, progress, the mapping's row check, problems).
 *
 * Only row numbers and byte offsets (12 bytes per found row, transferred) leave the worker.
 */
import * as Comlink from 'comlink';
import type { CsvLayout } from '../src/core/csv/index.ts';
import {
  type CsvSource,
  type FoundRows,
  findRows,
  type RowCheckFactory,
  type RowQuery,
  readKeys,
} from '../src/core/validation/index.ts';
import type { InputProblem, MappedFhirSpec } from './validateTypes.ts';

/** One file as a find job reads it. */
export interface FindRowsInput {
  file: Blob;
  name: string;
  layout: CsvLayout;
}

/** What the page asks for: the rows of one input a drill-down filter lists (any condition). */
export interface FindRowsTask extends FindRowsInput {
  /** data rows the report names (a repeated key's, a conflicting identifier's, a warning's examples) */
  rows?: number[];
  /** rows whose `column` names a record that the `target` input's `column` does not hold */
  orphans?: { column: string; target: FindRowsInput & { column: string } };
  /** rows on which the input's mapping to FHIR reports a warning */
  mappingWarnings?: MappedFhirSpec;
  chunkBytes?: number;
}

/** The rows found, or a problem the user can fix (the file changed, cannot be read, …). */
export type FindRowsOutcome = { ok: true; found: FoundRows } | { ok: false; problem: InputProblem };

/**
 * Runs `task` (a pass over the target for an orphan query, then one over the input). `source`
 * makes a `CsvSource` of a Blob; `mappingCheck` prepares a mapping's row check (the worker's cache).
 * Progress is in bytes over the files read.
 */
export async function runFindRows(
  task: FindRowsTask,
  tools: {
    source: (file: Blob, name: string) => CsvSource;
    mappingCheck: (spec: MappedFhirSpec) => Promise<RowCheckFactory>;
    signal: AbortSignal;
    onProgress: (progress: { bytes: number; rows: number }) => void;
  },
): Promise<FoundRows> {
  const query: RowQuery = {};
  if (task.rows && task.rows.length > 0) query.rows = task.rows;
  const common = { signal: tools.signal, ...(task.chunkBytes ? { chunkBytes: task.chunkBytes } : {}) };
  let before = 0;
  if (task.orphans) {
    const { target } = task.orphans;
    const keys = await readKeys(tools.source(target.file, target.name), target.column, {
      ...common,
      layout: target.layout,
      onProgress: (p) => tools.onProgress(p),
    });
    before = target.file.size;
    query.orphans = { column: task.orphans.column, keys };
  }
  if (task.mappingWarnings) {
    query.rowCheck = await tools.mappingCheck(task.mappingWarnings);
    query.severity = 'warning';
  }
  const found = await findRows(tools.source(task.file, task.name), query, {
    ...common,
    layout: task.layout,
    onProgress: (p) => tools.onProgress({ bytes: before + p.bytes, rows: p.rows }),
  });
  return Comlink.transfer(found, [found.rows.buffer, found.offsets.buffer]);
}
