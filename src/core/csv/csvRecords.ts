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
 *   parsing the whole text at once. Well-formed records are read by a scanner that gives exactly
 *   papaparse's records at a fraction of its cost (csvTokenizer.ts); papaparse reads every record
 *   the scanner does not accept (quote problems included), and everything when the syntax is not
 *   one the scanner reads or `engine: 'papaparse'` asks for it.
 * - The unfinished record at a chunk's end is not glued to the whole next chunk (a 1 MB string
 *   copy per chunk): it is completed from the next chunk's first few kilobytes.
 * - Rows: the first record is the header; data rows are numbered from 1 (the header is not
 *   counted); an empty line is not a record and gets no number (papaparse's `skipEmptyLines`).
 * - The line break is the first one in the text outside quotes (`\r\n`, `\n` or `\r`), as
 *   papaparse guesses it; a leading byte-order mark is dropped.
 * - Problems name rows, never cell text (it may be patient data).
 */
import Papa from 'papaparse';
import {
  createRecordScanner,
  ENDING_OTHER,
  ENDING_PLAIN,
  type RecordScanner,
  SCAN_END,
  SCAN_IRREGULAR,
  SCAN_LIMIT,
  SCAN_MORE,
} from './csvTokenizer.ts';
import { type Utf8ByteSource, utf8ByteOfChar } from './utf8Stream.ts';

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
const CSV_PROBLEM_CODES = {
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

/** Which bound a {@link CsvRecordTooLongError} names. */
export type CsvLimitKind = 'record' | 'field' | 'columns' | 'name';

/**
 * A record, cell, header name or column count too large to be real: reading stops at it rather
 * than holding the rest of the file. `row` is the data row it starts at, 0 for the header (the
 * file's first line); `column` (1-based) the cell, or the first column past the bound. The message
 * names places and bounds only, never the text.
 */
export class CsvRecordTooLongError extends Error {
  override name = 'CsvRecordTooLongError';
  constructor(
    readonly row: number,
    readonly maxChars: number,
    readonly kind: CsvLimitKind = 'record',
    readonly column?: number,
    /** the cell is inside quotes that do not close within the bound */
    readonly quoted = false,
    /** the file, once the caller that knows it has named it ({@link CsvRecordTooLongError.inSource}) */
    readonly source?: string,
    /**
     * where the record starts: `charOffset` in the text pushed (as {@link CsvRecord.start}), and
     * `byteOffset` in the file once the caller that knows the bytes has mapped it
     */
    readonly place: { charOffset?: number; byteOffset?: number } = {},
  ) {
    const { message, advice } = csvLimitWords({ row, maxChars, kind, column, quoted, source, place });
    super(`${message} ${advice}`);
  }

  /**
   * The same error naming the file it is in, and the row and byte offset when the reader could not
   * know them.
   */
  inSource(source: string, row = this.row, byteOffset = this.place.byteOffset): CsvRecordTooLongError {
    return new CsvRecordTooLongError(row, this.maxChars, this.kind, this.column, this.quoted, source, {
      ...this.place,
      ...(byteOffset !== undefined ? { byteOffset } : {}),
    });
  }
}

/**
 * `error` naming the file `name` and the byte its record starts at in `source`, read again from
 * its start to find it (a UTF-8 reader that keeps no map from characters to bytes); as it was when
 * it names its file already or the reader did not give its place.
 */
export async function csvLimitInFile(
  error: CsvRecordTooLongError,
  name: string,
  source: Utf8ByteSource,
): Promise<CsvRecordTooLongError> {
  if (error.source !== undefined) return error;
  const at = error.place.charOffset;
  return error.inSource(name, error.row, at === undefined ? undefined : await utf8ByteOfChar(source, at));
}

/** How a bound's advice names the delimiter ("Check …") and the quote character ("…, or …"). */
export interface CsvLimitControls {
  delimiter: string;
  quote: string;
}

/** The advice of a reader that has no option for them (the error's own message). */
const CSV_LIMIT_CONTROLS: CsvLimitControls = {
  delimiter: 'the delimiter',
  quote: 'check the quote characters in the file',
};

/**
 * A bound crossed, in the one wording of every reader and screen: what and where (the file, the
 * row, the byte the record starts at), then what to do, naming the delimiter and quote as
 * `controls` say (the page's fields, the CLI's options).
 */
export function csvLimitWords(
  error: Pick<CsvRecordTooLongError, 'row' | 'maxChars' | 'kind' | 'column' | 'quoted' | 'source' | 'place'>,
  controls: CsvLimitControls = CSV_LIMIT_CONTROLS,
): { message: string; advice: string } {
  const count = (n: number) => n.toLocaleString('en-US');
  const file = error.source ? `${error.source}: ` : '';
  const bound = count(error.maxChars);
  const byteOffset = error.place.byteOffset;
  const where =
    error.row === 0
      ? 'the header (the first line)'
      : `row ${count(error.row)}${byteOffset === undefined ? '' : ` (from byte ${count(byteOffset)})`}`;
  const quote = `Most likely a quote is opened and never closed. Check that ${error.kind === 'field' ? 'cell' : 'row'} in the file, or ${controls.quote}.`;
  switch (error.kind) {
    case 'columns':
      return {
        message: `${file}${where} has more than ${bound} columns.`,
        advice: `Most likely this is not a CSV file, or the delimiter is wrong. Check ${controls.delimiter}, or export the extract again as CSV.`,
      };
    case 'name':
      return {
        message: `${file}the name of column ${error.column} in the header is longer than ${bound} characters.`,
        advice:
          'Most likely this is not a CSV file, or the first line is data. Export the extract again with short column names.',
      };
    case 'field':
      return {
        message: `${file}the cell in column ${error.column} of ${where} is longer than ${bound} characters.`,
        advice: error.quoted
          ? quote
          : `No extract holds a cell that long. Export the extract again without that field, or check ${controls.delimiter}.`,
      };
    default:
      return {
        message: `${file}${error.row === 0 ? 'the first line (the header)' : `the record starting at row ${count(error.row)}`} never ends (longer than ${bound} characters).`,
        advice: quote,
      };
  }
}

/** Default cap on one record: 16 Mi characters (the unfinished record is re-parsed with each chunk). */
export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** Default cap on one cell: 4 Mi characters (a long clinical note is a few hundred thousand). */
export const DEFAULT_MAX_FIELD_CHARS = 4 * 1024 * 1024;
/** Default cap on the columns of a record: 16,384, the widest sheet a spreadsheet holds. */
export const DEFAULT_MAX_COLUMNS = 16_384;
/** Default cap on one column name in the header: 4,096 characters. */
export const DEFAULT_MAX_NAME_CHARS = 4096;

/**
 * The last cell of an unfinished record: its 1-based column, its length as papaparse would read
 * it (without its quotes, a doubled quote counted once) and whether a quote opened it and has not
 * closed. `text` starts at the record's first character.
 */
function openCell(
  text: string,
  delimiter: string,
  quote: string,
): { column: number; length: number; quoted: boolean } {
  let column = 1;
  let length = 0;
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== quote) length++;
      else if (text[i + 1] === quote) {
        length++;
        i++;
      } else quoted = false;
      continue;
    }
    if (atStart && ch === quote) {
      quoted = true;
      atStart = false;
    } else if (text.startsWith(delimiter, i)) {
      column++;
      length = 0;
      i += delimiter.length - 1;
      atStart = true;
    } else {
      length++;
      atStart = false;
    }
  }
  return { column, length, quoted };
}

/** Options of {@link createCsvRecordReader}. */
export interface CsvReaderOptions {
  /** the field delimiter; default "," */
  delimiter?: string;
  /** longest record accepted, in UTF-16 code units; default {@link DEFAULT_MAX_RECORD_CHARS} */
  maxRecordChars?: number;
  /** longest cell accepted, in UTF-16 code units; default {@link DEFAULT_MAX_FIELD_CHARS} */
  maxFieldChars?: number;
  /** most columns a record may have; default {@link DEFAULT_MAX_COLUMNS} */
  maxColumns?: number;
  /** longest column name accepted in the header; default {@link DEFAULT_MAX_NAME_CHARS} */
  maxNameChars?: number;
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
  /**
   * `papaparse`: papaparse reads every record (the reference the fast scanner is tested and
   * measured against); default `auto`: the scanner reads well-formed records, papaparse the rest.
   */
  engine?: 'auto' | 'papaparse';
  /**
   * Counts line endings in the reading pass (the validation engine's lineEndings.ts): it gets the
   * text of every record read, in order (a byte-order mark included), except records it accepts
   * as plain (see {@link LineEndingFeed.plainRecord}).
   */
  lineEndings?: LineEndingFeed;
}

/** What the reader tells a line-ending count (lineEndings.ts implements it). */
export interface LineEndingFeed {
  /** The next text read. */
  push(text: string): void;
  /**
   * Instead of the text of a record whose only line-break characters outside well-formed quoted
   * fields are its own line break (the reader's): `terminated` it ends with that line break,
   * `empty` it has nothing else. False when the count must see the text after all.
   */
  plainRecord(terminated: boolean, empty: boolean): boolean;
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

/** Characters of the next chunk tried first to complete the record left unfinished by the last one. */
const BRIDGE_CHARS = 4096;
/** Growth of that try while the record does not end in it. */
const BRIDGE_GROWTH = 4;
/** An unfinished record longer than this is glued to the whole next chunk (its copy costs as much). */
const BRIDGE_MAX_CARRY = 64 * 1024;

/** Creates a streaming CSV record reader (see the file header). */
export function createCsvRecordReader(options: CsvReaderOptions = {}): CsvRecordReader {
  const delimiter = options.delimiter ?? ',';
  const quote = options.quoteChar ?? DEFAULT_QUOTE;
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const maxFieldChars = Math.min(options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS, maxRecordChars);
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const maxNameChars = options.maxNameChars ?? DEFAULT_MAX_NAME_CHARS;
  const withOffsets = options.offsets === true;
  const onRecord = options.onRecord;
  const noHeader = options.noHeader === true;
  const feed = options.lineEndings;
  /** text pushed and not read yet: it starts at a record's first character */
  let carry = '';
  /** characters pushed before `carry` */
  let consumed = 0;
  let started = false;
  let linebreak = options.newline;
  /** set up once the line break is known */
  let ready = false;
  let scanner: RecordScanner | undefined;
  /** reads everything (papaparse engine), and the rest of the input after an irregular last record */
  let papaAll: Papa.Parser | undefined;
  /** reads one record per call (aborted from the start: it stops after the first step) */
  let papaOne: Papa.Parser | undefined;
  let header: string[] | undefined;
  let rows = 0;
  const problems: CsvProblem[] = [];
  let out: CsvRecord[] = [];
  /** the text the scanner reads, and its input offset */
  let scanText = '';
  let scanBase = 0;
  /** the text papaparse reads, and its input offset */
  let papaText = '';
  let papaBase = 0;
  /** the line break's length, once known */
  let linebreakLength = 0;
  /** end (in papaparse's text) of the last record it stepped in this parse call */
  let stepCursor = 0;
  /** empty lines since the last record */
  let blankLines = 0;

  /** One record of either reader; `start`/`end` are input offsets. */
  function record(
    fields: string[],
    start: number,
    end: number,
    errors: readonly PapaError[] | undefined,
  ): void {
    if (fields.length === 1 && fields[0] === '') {
      if (header !== undefined || noHeader) blankLines++;
      return;
    }
    for (; blankLines > 0; blankLines--) options.onBlankLine?.(rows + 1);
    const isHeader = header === undefined && !noHeader;
    const at = isHeader ? 0 : rows + 1;
    if (fields.length > maxColumns)
      throw new CsvRecordTooLongError(at, maxColumns, 'columns', maxColumns + 1, false, undefined, {
        charOffset: start,
      });
    if (isHeader) {
      const index = fields.findIndex((name) => name.length > maxNameChars);
      if (index >= 0)
        throw new CsvRecordTooLongError(0, maxNameChars, 'name', index + 1, false, undefined, {
          charOffset: start,
        });
    } else if (end - start > maxFieldChars) {
      // only a record longer than the cap can hold a cell longer than it: one compare per record
      const index = fields.findIndex((field) => field.length > maxFieldChars);
      if (index >= 0)
        throw new CsvRecordTooLongError(at, maxFieldChars, 'field', index + 1, false, undefined, {
          charOffset: start,
        });
    }
    let row: number;
    if (isHeader) {
      header = fields;
      row = 0;
    } else {
      rows++;
      row = rows;
      if (onRecord === undefined) {
        const result: CsvRecord = { row, fields };
        if (withOffsets) {
          result.start = start;
          result.end = end;
        }
        out.push(result);
      }
    }
    if (errors !== undefined && errors.length > 0) addProblems(errors, row);
    if (row > 0 && onRecord !== undefined) onRecord(row, fields, start, end);
  }

  function scanned(fields: string[], start: number, end: number, ending: number): void {
    if (
      feed !== undefined &&
      (ending === ENDING_OTHER ||
        !feed.plainRecord(
          ending === ENDING_PLAIN,
          end - start === (ending === ENDING_PLAIN ? linebreakLength : 0),
        ))
    )
      feed.push(scanText.slice(start, end));
    record(fields, scanBase + start, scanBase + end, undefined);
  }

  // Step mode: papaparse calls back once per completed record with that record's errors and the
  // cursor after its line break; with "ignore the last row" the unfinished record is not stepped
  // (its errors are seen again with the next chunk).
  function onStep(result: PapaStep): void {
    const start = stepCursor;
    stepCursor = result.meta.cursor;
    feed?.push(papaText.slice(start, stepCursor));
    record(result.data[0] as string[], papaBase + start, papaBase + stepCursor, result.errors);
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

  /**
   * Refuses the unfinished record in `carry` (data row `row`, 0 = the header) once it is over a
   * bound: too many columns, a cell over the cell cap (refused as soon as it passes it, before the
   * rest of it is read) or the whole record over the record cap. Costs nothing until the record
   * is longer than the cell cap.
   */
  function checkUnfinished(row: number): void {
    // the header's cells are column names, with their own (smaller) bound
    const naming = row === 0 && !noHeader;
    const cellCap = naming ? Math.min(maxNameChars, maxFieldChars) : maxFieldChars;
    if (carry.length <= cellCap) return;
    const cell = openCell(carry, delimiter, quote);
    const place = { charOffset: consumed };
    if (cell.column > maxColumns)
      throw new CsvRecordTooLongError(row, maxColumns, 'columns', maxColumns + 1, false, undefined, place);
    if (cell.length > cellCap)
      throw new CsvRecordTooLongError(
        row,
        cellCap,
        naming ? 'name' : 'field',
        cell.column,
        cell.quoted,
        undefined,
        place,
      );
    if (carry.length > maxRecordChars)
      throw new CsvRecordTooLongError(row, maxRecordChars, 'record', undefined, false, undefined, place);
  }

  /** Sets up the readers once the line break is known; false while it is not (the text waits in `carry`). */
  function setUp(final: boolean): boolean {
    if (ready) return true;
    linebreak ??= firstLineBreak(carry, quote) ?? (final ? '\n' : undefined);
    if (linebreak === undefined) {
      // no line break yet: the first record, the header (or data row 1 in a file without one)
      checkUnfinished(noHeader ? 1 : 0);
      return false;
    }
    const config = { delimiter, newline: linebreak, quoteChar: quote, step: onStep };
    linebreakLength = linebreak.length;
    papaAll = new Papa.Parser(config);
    if (options.engine !== 'papaparse')
      scanner = createRecordScanner(delimiter, quote, linebreak, scanned, { lineBreaks: feed !== undefined });
    if (scanner) {
      papaOne = new Papa.Parser(config);
      papaOne.abort();
    }
    ready = true;
    return true;
  }

  /** Papaparse reads all of `carry` (the papaparse engine): the last record waits unless `final`. */
  function parseAll(final: boolean): void {
    papaBase = consumed;
    papaText = carry;
    stepCursor = 0;
    const result = (papaAll as Papa.Parser).parse(carry, 0, !final) as PapaStep;
    const cursor = final ? carry.length : result.meta.cursor;
    consumed += cursor;
    carry = carry.slice(cursor);
  }

  /**
   * Reads records of `text` (at input offset `scanBase`) from `from`: the scanner, and papaparse
   * for each record the scanner leaves to it (all the rest when `final`). Returns where reading
   * stopped; `scanner.stop` says why (never {@link SCAN_IRREGULAR}).
   */
  function run(text: string, from: number, final: boolean, stopAfter: number): number {
    const fast = scanner as RecordScanner;
    scanText = text;
    let pos = from;
    for (;;) {
      pos = fast.scan(text, pos, final, stopAfter);
      if (fast.stop !== SCAN_IRREGULAR) return pos;
      papaBase = scanBase + pos;
      stepCursor = 0;
      const rest = text.slice(pos);
      papaText = rest;
      if (final) {
        (papaAll as Papa.Parser).parse(rest, 0, false);
        fast.stop = SCAN_END;
        return text.length;
      }
      const cursor = ((papaOne as Papa.Parser).parse(rest, 0, true) as PapaStep).meta.cursor;
      if (cursor === 0) {
        // the irregular record goes on past this text
        fast.stop = SCAN_MORE;
        return pos;
      }
      pos += cursor;
      if (pos >= stopAfter) {
        fast.stop = SCAN_LIMIT;
        return pos;
      }
    }
  }

  /** Reads the text that follows `carry`. */
  function read(text: string, final: boolean): void {
    let from = 0;
    if (carry.length > BRIDGE_MAX_CARRY) {
      text = carry + text;
      carry = '';
    } else if (carry !== '') {
      // complete the unfinished record from the start of `text`, then read `text` itself
      let take = Math.min(text.length, BRIDGE_CHARS);
      for (;;) {
        const whole = take === text.length;
        const bridge = carry + (whole ? text : text.slice(0, take));
        scanBase = consumed;
        const pos = run(bridge, 0, final && whole, carry.length);
        if (pos >= carry.length) {
          from = pos - carry.length;
          consumed += carry.length;
          carry = '';
          break;
        }
        if (whole) {
          // the record goes on after this text (a final read reaches the end)
          consumed += pos;
          carry = bridge.slice(pos);
          return;
        }
        if (pos > 0) {
          consumed += pos;
          carry = carry.slice(pos);
        }
        take = Math.min(text.length, take * BRIDGE_GROWTH);
      }
    }
    scanBase = consumed;
    const pos = run(text, from, final, Number.POSITIVE_INFINITY);
    consumed += pos;
    carry = pos < text.length ? text.slice(pos) : '';
  }

  function parse(text: string, final: boolean): CsvRecord[] {
    out = [];
    if (!ready) {
      carry += text;
      if (!setUp(final)) return [];
      text = carry;
      carry = '';
    }
    if (scanner) read(text, final);
    else {
      carry += text;
      parseAll(final);
    }
    checkUnfinished(header === undefined && !noHeader ? 0 : rows + 1);
    const records = out;
    out = [];
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
          feed?.push(BOM);
        }
      }
      if (text === '') return [];
      return parse(text, false);
    },
    finish() {
      const records = parse('', true);
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
