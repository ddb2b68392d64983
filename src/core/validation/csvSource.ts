/**
 * The input the CSV engine reads, on its own so that the files that read a source
 * (`validateCsv.ts`, the exports) share the type without importing each other.
 */
import type { CsvLayout } from '../csv/index.ts';
import type { ReadChunk } from '../hash/index.ts';
import type { ReaderAccount } from '../readerAccount/index.ts';

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
  /**
   * A records source: records already split into cells (a Parquet file's rows, core parquet),
   * handed to the pass in place of the text it would read and split again. The first call gives
   * the records, each with the position it is read back at: its row number when the source has
   * {@link recordAt}, else the byte its line starts at in the text, which is written as they are
   * handed over (everything that reads a record again reads it from `read`). A later call writes
   * the whole text, drops `recordAt` and gives undefined: the pass then reads the text, UTF-8,
   * commas, `"` and CRLF, a header.
   */
  records?: () => Promise<AsyncIterable<SplitRecords> | undefined>;
  /**
   * With `records`: the record at a position the records gave (0: the header), read back from
   * the source itself (a Parquet file's rows by number), or undefined past the last; with
   * `only`, only that cell need be read (the others may be empty).
   */
  recordAt?: (position: number, only?: number) => Promise<string[] | undefined>;
  /** the file's own format when the source is not its text as read (a Parquet file's rows) */
  fileFormat?: 'parquet';
  /** what the file's reader saw and did not use, or used by a choice (a Parquet file's types) */
  account?: ReaderAccount;
}

/** A piece of a records source's records ({@link CsvSource.records}). */
export interface SplitRecords {
  /** the header's cells: the first piece, which holds no records */
  header?: readonly string[];
  /** each record's cells as a CSV reader reads them from the text */
  records?: readonly (readonly string[])[];
  /**
   * in place of `records`: the same cells column by column (`columns[c][r]`, row `r`'s cell of
   * column `c`), as a columnar file's pages hold them; each row's cells are gathered as the pass
   * reaches it, so no array per record waits for its turn
   */
  columns?: readonly (readonly string[])[];
  /** where each record is read back (one per record): its row number, or the byte its line starts at */
  positions: ArrayLike<number>;
  /** the input's size in bytes once these records are read */
  bytes: number;
  /**
   * the most characters a record's cells have together, or more (a bound: the pass reads the text
   * when it is over the reader's bound on a cell)
   */
  longest: number;
  /**
   * false when a CSV reader would not read the text as these cells (a zero byte, which it refuses
   * as not text): the pass reads the text instead
   */
  plain: boolean;
  /** how far through the input these records reach, 0 to 1 */
  done: number;
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
