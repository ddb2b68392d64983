/**
 * Delimited text in string chunks → records with row numbers: the streaming half of CSV reading
 * that the CLI and the migration workers share (the byte half is `utf8Stream.ts`).
 *
 * Constraints:
 * - Streaming: text arrives in chunks of any size, cut anywhere (inside a quoted field, between
 *   `\r` and `\n`); only the unfinished last record is kept between chunks, and a record longer
 *   than `maxRecordChars` (almost always a quote that is never closed) is an error rather than a
 *   file read whole into memory.
 * - Parsing is papaparse's (`Papa.Parser`, the parser its own streamers drive): quotes, escaped
 *   quotes, delimiters and line breaks inside quoted fields. Chunks are parsed with
 *   "ignore the last row" exactly as papaparse's `ChunkStreamer` does, so the result is the same as
 *   parsing the whole text at once.
 * - Rows: the first record is the header; data rows are numbered from 1 (the header is not
 *   counted); an empty line is not a record and gets no number (papaparse's `skipEmptyLines`).
 * - The line break is the first one in the text outside quotes (`\r\n`, `\n` or `\r`), as
 *   papaparse guesses it; a leading byte-order mark is dropped.
 * - Problems name rows, never cell text (STYLE.md 7).
 */
import Papa from 'papaparse';

/** One data record. */
export interface CsvRecord {
  /** 1-based data row (the header is not counted) */
  row: number;
  /** the cells, as text */
  fields: string[];
  /**
   * With {@link CsvReaderOptions.offsets}: the record's first character and the character after
   * its line break, counted in the text pushed (0 = the first character, a byte-order mark counted)
   */
  start?: number;
  end?: number;
}

/** Problem codes of the CSV reader: a public contract; add, never rename. */
export const CSV_PROBLEM_CODES = {
  /** a quote inside a quoted field that is neither doubled nor the field's end */
  malformedQuotes: 'malformed-quotes',
  /** a quoted field still open at the end of the input */
  unterminatedQuote: 'unterminated-quote',
} as const;

export type CsvProblemCode = (typeof CSV_PROBLEM_CODES)[keyof typeof CSV_PROBLEM_CODES];

/** A record papaparse could read only by guessing. */
export interface CsvProblem {
  code: CsvProblemCode;
  /** data row of the record (0 = the header) */
  row: number;
}

/** A record too long to be real: reading stops rather than holding the rest of the file. */
export class CsvRecordTooLongError extends Error {
  override name = 'CsvRecordTooLongError';
  constructor(
    readonly row: number,
    readonly maxChars: number,
  ) {
    super(
      `a record starting at data row ${row} is longer than ${maxChars} characters: most likely a quote (") that is never closed`,
    );
  }
}

/** Default cap on one record: 16 Mi characters (the unfinished record is re-parsed with each chunk). */
export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Options of {@link createCsvRecordReader}. */
export interface CsvReaderOptions {
  /** the field delimiter; default "," */
  delimiter?: string;
  /** longest record accepted, in UTF-16 code units; default {@link DEFAULT_MAX_RECORD_CHARS} */
  maxRecordChars?: number;
  /** the quote character; default `"` */
  quoteChar?: string;
  /** the line break; default: the first one found outside quotes */
  newline?: '\r\n' | '\n' | '\r';
  /** give each record its `start` and `end` character offsets (the validation engine maps them to bytes) */
  offsets?: boolean;
  /** the first record is data, not a header (the header stays undefined and rows count from 1) */
  noHeader?: boolean;
  /**
   * Called for each empty line between records, with the data row that follows it (empty lines
   * get no row number of their own). The line break that ends the file is not an empty line;
   * further empty lines at the end are reported with the row number the next record would get.
   */
  onBlankLine?: (nextRow: number) => void;
  /**
   * Receives each data record as soon as it is parsed, instead of `push`/`finish` returning it
   * (they return empty arrays): the caller processes a row while its cells are still young
   * garbage, rather than a whole chunk of rows surviving into the old generation. `start`/`end`
   * are the offsets of {@link CsvRecord}; the record's quote problems are in `problems` already.
   */
  onRecord?: (row: number, fields: string[], start: number, end: number) => void;
}

/** The reader: push text chunks in order, then `finish()`. */
export interface CsvRecordReader {
  /** Parses the next chunk; returns the data records it completed. */
  push(text: string): CsvRecord[];
  /** Ends the input; returns the last records. */
  finish(): CsvRecord[];
  /** The header's cells (as written; a leading BOM removed), once the first line has been read. */
  readonly header: readonly string[] | undefined;
  /** Data rows seen so far. */
  readonly rows: number;
  /** Quote problems so far, in row order (those not taken by {@link CsvRecordReader.takeProblems}). */
  readonly problems: readonly CsvProblem[];
  /** Returns the quote problems found so far and forgets them (a long run keeps memory flat). */
  takeProblems(): CsvProblem[];
}

const DEFAULT_QUOTE = '"';
const BOM = '\ufeff';

/** The first line break outside quotes, or undefined when the text has none yet. */
function firstLineBreak(text: string, quote: string): '\r\n' | '\n' | '\r' | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === quote) quoted = !quoted;
    else if (!quoted && ch === '\n') return '\n';
    else if (!quoted && ch === '\r') {
      if (i + 1 === text.length) return undefined; // "\r" at the end: it may be "\r\n"
      return text[i + 1] === '\n' ? '\r\n' : '\r';
    }
  }
  return undefined;
}

interface PapaError {
  code: string;
}

interface PapaStep {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}

/** Creates a streaming CSV record reader (see the file header). */
export function createCsvRecordReader(options: CsvReaderOptions = {}): CsvRecordReader {
  const delimiter = options.delimiter ?? ',';
  const quote = options.quoteChar ?? DEFAULT_QUOTE;
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const withOffsets = options.offsets === true;
  const onRecord = options.onRecord;
  let pending = '';
  /** characters pushed before `pending` */
  let consumed = 0;
  let started = false;
  let parser: Papa.Parser | undefined;
  let header: string[] | undefined;
  let rows = 0;
  const problems: CsvProblem[] = [];
  let out: CsvRecord[] = [];
  /** end (in `pending`) of the last record stepped in this parse call */
  let stepCursor = 0;
  /** empty lines since the last record */
  let blankLines = 0;

  // Step mode: papaparse calls back once per completed record with that record's errors and the
  // cursor after its line break; with "ignore the last row" the unfinished record is not stepped
  // (its errors are seen again with the next chunk).
  function onStep(result: PapaStep): void {
    const fields = result.data[0] as string[];
    const start = stepCursor;
    stepCursor = result.meta.cursor;
    if (fields.length === 1 && fields[0] === '') {
      if (header !== undefined || options.noHeader === true) blankLines++;
      return;
    }
    for (; blankLines > 0; blankLines--) options.onBlankLine?.(rows + 1);
    let row: number;
    if (header === undefined && options.noHeader !== true) {
      header = fields;
      row = 0;
    } else {
      rows++;
      row = rows;
      if (onRecord === undefined) {
        const record: CsvRecord = { row, fields };
        if (withOffsets) {
          record.start = consumed + start;
          record.end = consumed + stepCursor;
        }
        out.push(record);
      }
    }
    addProblems(result.errors, row);
    if (row > 0 && onRecord !== undefined) onRecord(row, fields, consumed + start, consumed + stepCursor);
  }

  function addProblems(errors: readonly PapaError[], row: number): void {
    for (const error of errors) {
      const code =
        error.code === 'MissingQuotes'
          ? CSV_PROBLEM_CODES.unterminatedQuote
          : CSV_PROBLEM_CODES.malformedQuotes;
      // keep one problem per row and kind
      const last = problems[problems.length - 1];
      if (last?.row !== row || last.code !== code) problems.push({ code, row });
    }
  }

  function parse(final: boolean): CsvRecord[] {
    if (!parser) {
      const linebreak = options.newline ?? firstLineBreak(pending, quote) ?? (final ? '\n' : undefined);
      if (linebreak === undefined) {
        if (pending.length > maxRecordChars) throw new CsvRecordTooLongError(0, maxRecordChars);
        return [];
      }
      parser = new Papa.Parser({ delimiter, newline: linebreak, quoteChar: quote, step: onStep });
    }
    out = [];
    stepCursor = 0;
    const result = parser.parse(pending, 0, !final) as PapaStep;
    const records = out;
    out = [];
    if (final) {
      consumed += pending.length;
      pending = '';
    } else {
      consumed += result.meta.cursor;
      pending = pending.slice(result.meta.cursor);
    }
    if (pending.length > maxRecordChars) throw new CsvRecordTooLongError(rows + 1, maxRecordChars);
    return records;
  }

  return {
    push(text) {
      if (!started) {
        if (text === '') return [];
        started = true;
        if (text.startsWith(BOM)) {
          text = text.slice(BOM.length);
          consumed = BOM.length;
        }
      }
      pending += text;
      return parse(false);
    },
    finish() {
      const records = parse(true);
      // the last "empty line" is the file's final line break, when it ends with one
      for (; blankLines > 1; blankLines--) options.onBlankLine?.(rows + 1);
      blankLines = 0;
      return records;
    },
    get header() {
      return header;
    },
    get rows() {
      return rows;
    },
    get problems() {
      return problems;
    },
    takeProblems() {
      return problems.splice(0, problems.length);
    },
  };
}
