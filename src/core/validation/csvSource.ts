/**
 * The input the CSV engine reads, on its own so that the files that read a source
 * (`validateCsv.ts`, the exports) share the type without importing each other.
 */
import type { CsvLayout } from '../csv/index.ts';
import type { ReadChunk } from '../hash/index.ts';

/** One input, read through `read` (a file handle in the CLI, a `Blob` in the browser). */
export interface CsvSource {
  /** the name shown in reports and errors */
  name: string;
  size: number;
  read: ReadChunk;
  /**
   * true: reads of up to `RECORD_MAX_READ_BYTES` (a record read again, `readRecordAt` of
   * `validateCsv.ts`) may overlap, each answering with bytes of its own (a browser file's slices;
   * the CLI's reader, which gives such reads a buffer of their own). Absent: one read at a time.
   */
  concurrentReads?: boolean;
  /**
   * The layout the source's bytes have whatever the options say: text the run made itself (a
   * Parquet file's rows as CSV, core parquet) is UTF-8 with commas and a header.
   */
  layout?: Partial<CsvLayout>;
}

/**
 * A source holding only a header: `columns` as one CSV record, each quoted (a line break in a
 * name stays in it). A table's columns are bound to a saved check set as a file's header is.
 */
export function headerSource(name: string, columns: readonly string[]): CsvSource {
  const line = columns.map((c) => `"${c.split('"').join('""')}"`).join(',');
  const bytes = new TextEncoder().encode(`${line}\n`);
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
    concurrentReads: true,
  };
}
