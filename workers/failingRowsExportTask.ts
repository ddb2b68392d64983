/**
 * The validator worker's "export every failing row" job: the core's export
 * (src/core/validation/failingRowsExport.ts) over the chosen files, its batches gathered into a
 * `Blob` made of parts — never one string of the whole export. The browser keeps a large Blob's
 * bytes outside the page's memory, so 500,000 failing rows stay a few megabytes of this worker's
 * memory at any time (tests/bench/RESULTS.md).
 */
import type { CsvLayout } from '../src/core/csv/index.ts';
import {
  type CsvSource,
  type FailingRowsFormat,
  failingRowBatches,
  type IssueRowGroup,
} from '../src/core/validation/index.ts';
import type { Report } from '../src/formats/report.ts';
import type { InputProblem } from './validateTypes.ts';

/** One file's failing rows, as the run's index holds them (plain data: cloned to the worker). */
export interface FailingRowsExportInput {
  file: Blob;
  name: string;
  layout: CsvLayout;
  header: string[];
  rows: Uint32Array;
  offsets: Float64Array;
  count: number;
  groups: IssueRowGroup[];
}

/** What the page asks for. */
export interface FailingRowsExportTask {
  inputs: FailingRowsExportInput[];
  format: FailingRowsFormat;
  /** the run's report: the words of each problem */
  report: Report;
  redact: boolean;
}

/** The export, or a problem the user can fix. */
export type FailingRowsExportOutcome = { ok: true; blob: Blob } | { ok: false; problem: InputProblem };

/** Text gathered before it becomes one part of the Blob. */
const PART_CHARS = 1024 * 1024;

/** Media types of the export's formats. */
const FAILING_ROWS_TYPES: Record<FailingRowsFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

/** Runs the export; `source` turns a file into the core's source (the worker's `blobSource`). */
export async function runFailingRowsExport(
  task: FailingRowsExportTask,
  options: {
    source: (file: Blob, name: string) => CsvSource;
    signal?: AbortSignal;
    onProgress?: (progress: { rows: number; total: number }) => void;
  },
): Promise<Blob> {
  const inputs = task.inputs.map((input) => ({
    source: options.source(input.file, input.name),
    layout: input.layout,
    header: input.header,
    rows: input.rows,
    offsets: input.offsets,
    count: input.count,
    groups: input.groups,
  }));
  const parts: Blob[] = [];
  let pending = '';
  for await (const batch of failingRowBatches(inputs, {
    format: task.format,
    report: task.report,
    redact: task.redact,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })) {
    pending += batch;
    if (pending.length >= PART_CHARS) {
      parts.push(new Blob([pending]));
      pending = '';
    }
  }
  if (pending !== '') parts.push(new Blob([pending]));
  return new Blob(parts, { type: FAILING_ROWS_TYPES[task.format] });
}
