/**
 * `preflight validate --failing-rows out.csv|out.ndjson`: every failing row of the run written to
 * a file, one line per problem, by the core's export (failingRowsExport.ts: the rows read again
 * from the files at their offsets, in batches) — the export the app's "Export every failing row"
 * writes, byte for byte.
 *
 * Constraint: memory stays one batch whatever the number of failing rows: each batch is written
 * (and the stream drained) before the next is made.
 */
import { once } from 'node:events';
import path from 'node:path';
import {
  type CsvSource,
  type CsvValidationResult,
  type FailingRowsFormat,
  type FailingRowsInput,
  failingRowBatches,
} from '../core/validation/index.ts';
import type { Report } from '../formats/report.ts';
import { UsageError } from './command.ts';
import { createWholeFileStream } from './wholeFiles.ts';

/** The export's format from the file's extension: .csv, or .ndjson / .jsonl. */
export function failingRowsFormat(file: string): FailingRowsFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  throw new UsageError('--failing-rows takes a file ending in .csv or .ndjson (one JSON object per line)');
}

/** Writes every failing row of `results` (read again from `sources`, by name) to `file`; returns the rows written. */
export async function writeFailingRows(
  file: string,
  cwd: string,
  results: readonly CsvValidationResult[],
  sources: readonly CsvSource[],
  report: Report,
  redact: boolean,
): Promise<number> {
  const inputs = results.map((result) => {
    const source = sources.find((s) => s.name === result.input) as CsvSource;
    return {
      source,
      layout: result.layout,
      header: result.header,
      rows: result.failingRows.rows,
      offsets: result.failingRows.offsets,
      count: result.failingRows.count,
      groups: result.issueRows.groups,
    };
  });
  return writeFailingRowInputs(file, cwd, inputs, report, redact);
}

/**
 * Writes every failing row of `inputs` (each read again from its source at the rows' offsets) to
 * `file`; returns the rows written. The PostgreSQL engine gives inputs of its own: each table's
 * failing records, written out by the engine and read by the default engine's pass.
 */
export async function writeFailingRowInputs(
  file: string,
  cwd: string,
  inputs: readonly FailingRowsInput[],
  report: Report,
  redact: boolean,
): Promise<number> {
  const format = failingRowsFormat(file);
  // written whole or not at all (wholeFiles.ts): a killed run leaves the earlier file as it was
  const whole = createWholeFileStream(path.resolve(cwd, file));
  const out = whole.stream;
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    for await (const batch of failingRowBatches(inputs, { format, report, redact })) {
      if (!out.write(batch)) await Promise.race([once(out, 'drain'), failed]);
    }
    await Promise.race([whole.finish(), failed]);
  } catch (error) {
    await whole.abandon();
    throw error;
  }
  return inputs.reduce((n, i) => n + i.count, 0);
}

/**
 * Writes the export an engine writes itself (`produce` gives its text, a batch at a time) to
 * `file`, whole or not at all; each batch waits for the disk when it is behind.
 */
export async function writeFailingRowText(
  file: string,
  cwd: string,
  produce: (write: (text: string) => Promise<void>) => Promise<number>,
): Promise<number> {
  const whole = createWholeFileStream(path.resolve(cwd, file));
  const out = whole.stream;
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    const records = await produce(async (text) => {
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
    });
    await Promise.race([whole.finish(), failed]);
    return records;
  } catch (error) {
    await whole.abandon();
    throw error;
  }
}
