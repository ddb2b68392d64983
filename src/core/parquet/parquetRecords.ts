/**
 * A Parquet file read as the CSV text the default engine checks: the file's top-level columns as
 * the header, then one record per row, row group by row group. The validation run then reads that
 * text as it reads any CSV extract, so a Parquet file gets the same plan, row numbers and report.
 *
 * Typed values become the text a user sees in the same table's CSV (cellText.ts has the rule):
 * decimals with their scale, dates, times and timestamps in ISO form, float32 as its shortest
 * decimal, lists and structs as JSON. Null is an absent cell (an empty field, which the check reads
 * as no value, as in a CSV file; `""` when it is a row's only cell, so the row is not an empty line
 * that a reader skips). A byte array that is not valid UTF-8 is an error naming its row and column,
 * never replaced by U+FFFD: a replaced character would pass a check the file's own bytes fail.
 *
 * Constraints:
 * - Memory is bounded by the file's pages, not its row groups: the footer is read first, then each
 *   flat column a page at a time through `source.read` (byte ranges, columnPages.ts), its values
 *   written out a slice of rows at a time. Nested and repeated columns (lists, maps, structs) are
 *   the exception: hyparquet assembles them from their whole column chunk.
 * - No Node or DOM API: `source.read` is the adapter's (a file handle in the CLI, a `Blob` in the
 *   browser). Errors name the file, the row or the byte range, never a value.
 */
import {
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from 'hyparquet';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { isFlatColumn } from 'hyparquet/src/schema.js';
import { byteSizeWords } from '../byteSize/index.ts';
import type { ReadChunk } from '../hash/index.ts';
import type { ReaderAccount } from '../readerAccount/index.ts';
import {
  cellText,
  descendants,
  FLAT_PARSERS,
  type Int96Reading,
  NotUtf8,
  PARSERS,
  type Render,
  rawSchema,
} from './cellText.ts';
import { boundedCompressors, MAX_PAGE_BYTES, PageTooLarge, unreadableCodec } from './codecs.ts';
import { type ColumnDecoder, ColumnPageError, type ColumnPages, columnPages } from './columnPages.ts';
import { parquetAccount } from './parquetAccount.ts';

/**
 * The most CSV text a Parquet file may unpack to: {@link TEXT_EXPANSION} times its size, never
 * less than {@link MIN_TEXT_BYTES}. Real exports unpack to a few times their size; a file built
 * to fill the disk or the memory (a compression bomb) is refused before its row group is read.
 */
function parquetTextLimit(bytes: number): number {
  return Math.max(MIN_TEXT_BYTES, bytes * TEXT_EXPANSION);
}
const TEXT_EXPANSION = 64;
const MIN_TEXT_BYTES = 256 * 1024 * 1024;

/**
 * The most rows one row group may claim. The reader holds a nested column's values for a whole
 * row group; writers
 * cut row groups at about 1M rows (pyarrow), 122,880 (DuckDB) or 128 MB (Spark). A footer claiming
 * more is damaged or hostile (2^40 rows would ask for an array no engine can make).
 */
const MAX_GROUP_ROWS = 50_000_000;

/**
 * The deepest a column may nest (lists of structs of lists…). Real schemas nest a few levels; the
 * reader walks the schema by recursion, so a schema thousands of levels deep is refused first.
 */
const MAX_SCHEMA_DEPTH = 64;

/** Rows written out as one piece of text. */
const ROWS_PER_PIECE = 4096;

/** The first four and last four bytes of every Parquet file. */
const MAGIC = 'PAR1';

/** A Parquet input: its name in messages, its size and a reader of byte ranges. */
export interface ParquetSource {
  name: string;
  size: number;
  read: ReadChunk;
}

/** A Parquet file that cannot be read as records: where, and what kind of problem (no value). */
export class ParquetReadError extends Error {
  override name = 'ParquetReadError';
}

/** Whether `head` (a file's first bytes) starts as a Parquet file does. */
function looksLikeParquet(head: Uint8Array): boolean {
  return head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === MAGIC;
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The source as hyparquet's byte-range buffer. The reader asks for several ranges at once; they
 * are read one after the other, each copied, as a source may answer every read in one buffer.
 */
function asyncBuffer(source: ParquetSource): AsyncBuffer {
  let last: Promise<unknown> = Promise.resolve();
  const readRange = async (start: number, end: number): Promise<ArrayBuffer> => {
    const out = new Uint8Array(end - start);
    let at = 0;
    while (at < out.length) {
      const bytes = await source.read(start + at, out.length - at);
      if (bytes.length === 0) break;
      out.set(bytes, at);
      at += bytes.length;
    }
    if (at < out.length)
      throw new ParquetReadError(
        `"${source.name}" ends at byte ${start + at}, before the ${out.length} bytes at byte ${start} its footer names: the file is cut short.`,
      );
    return out.buffer;
  };
  return {
    byteLength: source.size,
    slice(start, end = source.size) {
      const next = last.then(
        () => readRange(start, end),
        () => readRange(start, end),
      );
      last = next.catch(() => undefined);
      return next;
    },
  };
}

/** The footer (file metadata), or an error saying the file is not Parquet or is cut short. */
async function readFooter(source: ParquetSource, file: AsyncBuffer): Promise<FileMetaData> {
  const head = await source.read(0, 4);
  if (source.size < 12 || !looksLikeParquet(head))
    throw new ParquetReadError(`"${source.name}" is not a Parquet file (it does not start with PAR1).`);
  const tail = (await file.slice(source.size - 4)) as ArrayBuffer;
  if (String.fromCharCode(...new Uint8Array(tail)) !== MAGIC)
    throw new ParquetReadError(
      `"${source.name}" has no Parquet footer at its end (byte ${source.size}): the file is cut short or damaged.`,
    );
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
  } catch (error) {
    if (error instanceof ParquetReadError) throw error;
    // a stack or an array the footer's structure would need, beyond what any engine holds
    const why =
      error instanceof RangeError
        ? 'it describes a structure too deep or too large to read, so the file is damaged or built to exhaust the reader'
        : reason(error);
    throw new ParquetReadError(`"${source.name}": its Parquet footer cannot be read: ${why}.`);
  }
  const problem = unreadableCodec(metadata) ?? footerBeyondBounds(metadata, source.size);
  if (problem !== undefined) throw new ParquetReadError(`"${source.name}": ${problem}.`);
  return metadata;
}

/**
 * The most cells (rows × top-level columns) a file of `bytes` may declare: a null cell takes no
 * bytes on disk but a separator in the text, so a table of nulls is bounded by its shape. A sparse
 * export holds about a hundred cells per byte (600 columns, 1 % filled: 120); the bound allows ten
 * times that, and any file a billion.
 */
function cellLimit(bytes: number): number {
  return Math.max(MIN_CELLS, bytes * CELLS_PER_BYTE);
}
const CELLS_PER_BYTE = 1024;
const MIN_CELLS = 2 ** 30;

/** What in the footer is beyond what the reader holds (nesting, rows, cells), or undefined. */
function footerBeyondBounds(metadata: FileMetaData, bytes: number): string | undefined {
  // depth without recursion: each element's depth from its parent's count of children left
  const open: number[] = [];
  let deepest = 0;
  for (const element of metadata.schema) {
    while (open.length > 0 && open[open.length - 1] === 0) open.pop();
    if (open.length > 0) open[open.length - 1] = (open[open.length - 1] as number) - 1;
    deepest = Math.max(deepest, open.length);
    if (deepest > MAX_SCHEMA_DEPTH)
      return `its schema nests columns more than ${MAX_SCHEMA_DEPTH} levels deep, more than Preflight reads: the file is damaged, or flatten the nested columns when exporting`;
    if ((element.num_children ?? 0) > 0) open.push(element.num_children as number);
  }
  for (const [group, rowGroup] of metadata.row_groups.entries()) {
    const rows = Number(rowGroup.num_rows);
    if (!(rows >= 0 && rows <= MAX_GROUP_ROWS))
      return `row group ${group + 1} claims ${rows.toLocaleString('en-US')} rows, more than the ${MAX_GROUP_ROWS.toLocaleString('en-US')} a row group may hold here: the file is damaged, or export it again with smaller row groups`;
  }
  const columns = metadata.schema[0]?.num_children ?? 0;
  const rows = metadata.row_groups.reduce((n, g) => n + Number(g.num_rows), 0);
  if (rows * columns > cellLimit(bytes))
    return `it declares ${rows.toLocaleString('en-US')} rows of ${columns} columns, more cells than the ${cellLimit(bytes).toLocaleString('en-US')} a file of its size is read with here: the file is damaged or built to fill the disk, or split the table into smaller files`;
  return undefined;
}

/**
 * The bytes each column's window may hold at most: a row group's columns share
 * {@link WINDOW_BUDGET}, each between {@link MIN_WINDOW} and {@link MAX_WINDOW} (a page larger than
 * its window is read whole).
 */
const WINDOW_BUDGET = 32 * 1024 * 1024;
const MIN_WINDOW = 16 * 1024;
const MAX_WINDOW = 1024 * 1024;

/**
 * Each top-level column of row group `group` as rows handed out in order. A flat column is read a
 * page at a time (columnPages.ts); a nested or repeated one (lists, maps, structs) is assembled by
 * hyparquet from its whole column chunk, so those columns hold the group's values.
 */
async function groupColumns(
  file: AsyncBuffer,
  raw: FileMetaData,
  tree: SchemaTree,
  group: number,
  rowStart: number,
  rows: number,
  { compressors, maxPageBytes }: { compressors: Compressors; maxPageBytes: number },
): Promise<ColumnPages[]> {
  const rowGroup = raw.row_groups[group];
  if (rowGroup === undefined) return [];
  const window = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, Math.floor(WINDOW_BUDGET / tree.children.length)));
  const parsers = { ...DEFAULT_PARSERS, ...FLAT_PARSERS };
  const nested = tree.children.filter((child) => !isFlatColumn([tree, child])).map((c) => c.element.name);
  const whole =
    nested.length > 0 ? await wholeColumns(file, raw, nested, rowStart, rows, compressors) : undefined;
  return tree.children.map((child) => {
    const name = child.element.name;
    const values = whole?.get(name);
    if (values !== undefined) return heldColumn(values);
    const meta = rowGroup.columns.find(
      (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
    )?.meta_data;
    if (meta === undefined) throw new ColumnPageError(`column ${name} has no column chunk in the row group`);
    const decoder: ColumnDecoder = {
      ...meta,
      pathInSchema: meta.path_in_schema,
      element: child.element,
      schemaPath: [tree, child],
      parsers,
      compressors,
      // byte arrays with no string annotation stay bytes: a decimal's are its digits
      utf8: false,
    };
    return columnPages(file, meta, decoder, rows, { window, maxPageBytes });
  });
}

/** The values of the top-level columns `names` in rows `rowStart` to `rowStart + rows`, whole. */
async function wholeColumns(
  file: AsyncBuffer,
  raw: FileMetaData,
  names: string[],
  rowStart: number,
  rows: number,
  compressors: Compressors,
): Promise<Map<string, unknown[]>> {
  const pieces = new Map<string, { start: number; values: ArrayLike<unknown> }[]>();
  await parquetRead({
    file,
    metadata: raw,
    columns: names,
    rowStart,
    rowEnd: rowStart + rows,
    parsers: PARSERS,
    utf8: false,
    compressors,
    onChunk: (chunk) => {
      const list = pieces.get(chunk.columnName) ?? [];
      list.push({ start: chunk.rowStart, values: chunk.columnData as ArrayLike<unknown> });
      pieces.set(chunk.columnName, list);
    },
  });
  const out = new Map<string, unknown[]>();
  for (const name of names) {
    const values = new Array<unknown>(rows);
    let filled = 0;
    for (const piece of pieces.get(name) ?? []) {
      for (let k = 0; k < piece.values.length; k++) {
        const at = piece.start - rowStart + k;
        if (at >= 0 && at < values.length) values[at] = piece.values[k];
      }
      filled += piece.values.length;
    }
    if (filled < rows)
      throw new ColumnPageError(`column ${name} holds ${filled} values where its footer says ${rows} rows`);
    out.set(name, values);
  }
  return out;
}

/** Values already decoded, handed out in order. */
function heldColumn(values: unknown[]): ColumnPages {
  let at = 0;
  return {
    take: async (count) => {
      const out = values.slice(at, at + count);
      at += count;
      return out;
    },
    skip: async (count) => {
      at += count;
    },
    // a nested value is rendered as JSON, which writes a zero character as \u0000
    zero: false,
  };
}

/** The reader's own words for a damaged file (they name structures and offsets, not values). */
function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

/**
 * CSV text written straight into bytes, a piece at a time: a cell of ASCII text without a comma, a
 * quote or a line break (nearly every cell of an extract) is copied a character at a time; any
 * other is quoted as {@link field} quotes it and encoded as UTF-8. Joining cells into strings and
 * encoding the pieces when written cost more CPU than reading the Parquet pages.
 */
class CsvBytes {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  /** Room for `more` bytes after those written. */
  reserve(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** a zero byte was written: a CSV reader refuses such text as not text */
  zero = false;

  byte(code: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = code;
  }

  /** `""`: an empty field that is not an empty line. */
  emptyField(): void {
    this.byte(34);
    this.byte(34);
  }

  /** `cell` as one CSV field (RFC 4180 quoting, as {@link field}). */
  cell(cell: string): void {
    const n = cell.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const code = cell.charCodeAt(i);
      if (code >= 0x80 || code === 44 || code === 34 || code === 13 || code === 10 || code === 0) {
        this.encoded(field(cell));
        return;
      }
      bytes[at++] = code;
    }
    this.length = at;
  }

  /** `text` as UTF-8 (at most three bytes per UTF-16 unit). */
  private encoded(text: string): void {
    if (text.includes('\0')) this.zero = true;
    this.reserve(text.length * 3);
    this.length += utf8.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** The bytes written, as a piece of their own; the writer starts again empty. */
  take(): Uint8Array {
    const piece = this.bytes.slice(0, this.length);
    this.length = 0;
    return piece;
  }
}

const utf8 = new TextEncoder();

/** Options of {@link parquetCsvBytes} and {@link parquetRecords}. */
export interface ParquetTextOptions {
  maxTextBytes?: number;
  maxPageBytes?: number;
  /** how INT96 timestamps are read; default: the writer's convention (cellText.ts `int96Convention`) */
  int96?: Int96Reading;
}

/**
 * Rows of a Parquet file as they are handed to the validation pass: each record's cells and its
 * row number (1 for the first row), a piece of at most {@link ROWS_PER_PIECE} rows at a time. No
 * text is written: a row is read back by its number ({@link parquetRowReader}).
 */
export interface ParquetRecordsPiece {
  /**
   * the cells column by column (`columns[c][r]`: row `r`'s cell of column `c`), as the rows' CSV
   * text reads back: a null is an empty cell
   */
  columns: string[][];
  /** each record's row number (one per row of the piece) */
  rows: Float64Array;
  /** false when a cell holds a zero character, which a CSV reader refuses as not text */
  plain: boolean;
  /**
   * at least the most characters a record's cells have together (each column's longest cell,
   * added up: a row view need not add each row's)
   */
  longest: number;
  /** rows handed over so far, these included */
  rowsRead: number;
}

/** A Parquet file opened for {@link parquetRecords}: its header, its size on the footer's word, its rows. */
export interface ParquetRecords {
  /** the top-level columns' names: the text's header */
  header: string[];
  /** the header's line of the text */
  headerText: Uint8Array;
  /** false when the header holds a zero byte (see {@link ParquetRecordsPiece.plain}) */
  plain: boolean;
  /** rows in the file (the footer's count) */
  rows: number;
  /**
   * the size the file's CSV text ({@link parquetCsvBytes}) is foretold to have by the footer (the
   * column chunks' unpacked bytes and the separators): what progress is measured against
   */
  expectedTextBytes: number;
  /** the rows, a piece at a time; throws as {@link parquetCsvBytes} does */
  pieces: AsyncGenerator<ParquetRecordsPiece>;
  /**
   * what the reader read of the file's columns and types, and what it read by a stated choice or
   * could not read (parquetAccount.ts)
   */
  account: ReaderAccount;
}

/**
 * The rows of a Parquet file as CSV text (UTF-8 bytes) with a header line, in pieces of at most
 * {@link ROWS_PER_PIECE} rows: each piece holds whole records. Throws {@link ParquetReadError} for a
 * file that is not Parquet, is cut short or damaged (naming the row group and its rows), and for a
 * byte array that is not UTF-8 (naming its row, numbered as the default engine numbers a CSV
 * file's data rows, and column).
 */
export async function* parquetCsvBytes(
  source: ParquetSource,
  options: ParquetTextOptions = {},
): AsyncGenerator<Uint8Array> {
  const file = await openFile(source, options);
  yield file.headerText;
  yield* textPieces(source, file);
}

/**
 * The rows of a Parquet file with their cells, for a pass that takes records already split (the
 * validation pass's records source): the footer is read here, the rows as `pieces` is read. Cells
 * are those a CSV reader finds in {@link parquetCsvBytes}'s text, bar what it refuses (a zero
 * character: `plain` false) and a one-column file's rows with no value, which are rows with an
 * empty cell here and blank lines it skips in the text. Throws as {@link parquetCsvBytes} does.
 */
export async function parquetRecords(
  source: ParquetSource,
  options: ParquetTextOptions = {},
): Promise<ParquetRecords> {
  const file = await openFile(source, options);
  return {
    header: file.names,
    headerText: file.headerText,
    plain: file.plain,
    rows: file.rows,
    expectedTextBytes: file.expectedTextBytes,
    pieces: cellPieces(source, file),
    account: file.account,
  };
}

/** A Parquet file's footer read, with what its rows are read with. */
interface OpenedParquet {
  file: AsyncBuffer;
  metadata: FileMetaData;
  raw: FileMetaData;
  tree: SchemaTree;
  /** the top-level columns' names */
  names: string[];
  /** each top-level column's rendering (undefined: as decoded, {@link cellText}) */
  renders: (Render | undefined)[];
  headerText: Uint8Array;
  plain: boolean;
  rows: number;
  expectedTextBytes: number;
  maxTextBytes: number;
  maxPageBytes: number;
  compressors: Compressors;
  account: ReaderAccount;
}

async function openFile(
  source: ParquetSource,
  { maxTextBytes = parquetTextLimit(source.size), maxPageBytes = MAX_PAGE_BYTES, int96 }: ParquetTextOptions,
): Promise<OpenedParquet> {
  const compressors = boundedCompressors(maxPageBytes);
  const file = asyncBuffer(source);
  const metadata = await readFooter(source, file);
  // the top-level columns: a nested column's children are read into its value
  const names: string[] = [];
  const account = parquetAccount(metadata, int96);
  const { metadata: raw, renders: rendersAt } = rawSchema(metadata, account.int96);
  const tree = parquetSchema(raw);
  const renders: (Render | undefined)[] = [];
  const children = metadata.schema[0]?.num_children ?? 0;
  for (let i = 1, seen = 0; i < metadata.schema.length && seen < children; seen++) {
    names.push(metadata.schema[i]?.name ?? '');
    // undefined: a value as decoded (cellText), a string being its own text
    renders.push(rendersAt.get(i));
    i += 1 + descendants(metadata.schema, i);
  }
  const headerLine = `${names.map(field).join(',')}\r\n`;
  const headerText = utf8.encode(headerLine);
  const rows = metadata.row_groups.reduce((n, g) => n + Number(g.num_rows), 0);
  const unpacked = metadata.row_groups.reduce(
    (n, g) => g.columns.reduce((m, c) => m + Number(c.meta_data?.total_uncompressed_size ?? 0n), n),
    0,
  );
  return {
    file,
    metadata,
    raw,
    tree,
    names,
    renders,
    headerText,
    plain: !headerLine.includes('\0'),
    rows,
    expectedTextBytes: headerText.length + unpacked + rows * (names.length + 1),
    maxTextBytes,
    maxPageBytes,
    compressors,
    account: account.account,
  };
}

/** A row group of an opened file: where its rows are, and why it cannot be read when it cannot. */
interface GroupRows {
  group: number;
  rowStart: number;
  rows: number;
  /** the row group's unpacked bytes */
  unpacked: number;
  unreadable: (error: unknown) => ParquetReadError;
}

/** Each row group of `opened`, in order. */
function* groupsOf(source: ParquetSource, opened: OpenedParquet): Generator<GroupRows> {
  let rowStart = 0;
  for (const [group, rowGroup] of opened.metadata.row_groups.entries()) {
    const rows = Number(rowGroup.num_rows);
    const where = `row group ${group + 1} (rows ${rowStart + 1} to ${rowStart + rows})`;
    yield {
      group,
      rowStart,
      rows,
      unpacked: rowGroup.columns.reduce((n, c) => n + Number(c.meta_data?.total_uncompressed_size ?? 0n), 0),
      unreadable: (error) => {
        if (error instanceof ParquetReadError) return error;
        const what =
          error instanceof PageTooLarge
            ? `${error.message}: the file is damaged or built to fill the memory`
            : reason(error);
        return new ParquetReadError(`"${source.name}": ${where} cannot be read: ${what}.`);
      },
    };
    rowStart += rows;
  }
}

/** The columns of a row group, a page of each at a time. */
async function openGroup(opened: OpenedParquet, at: GroupRows): Promise<ColumnPages[]> {
  try {
    return await groupColumns(opened.file, opened.raw, opened.tree, at.group, at.rowStart, at.rows, opened);
  } catch (error) {
    throw at.unreadable(error);
  }
}

/** The next `count` values of each column. */
async function takeRows(columns: ColumnPages[], count: number, at: GroupRows): Promise<ArrayLike<unknown>[]> {
  const values: ArrayLike<unknown>[] = [];
  try {
    for (const column of columns) values.push(await column.take(count));
  } catch (error) {
    throw at.unreadable(error);
  }
  return values;
}

/**
 * The text of row `row` (1 for the first) of column `c` as its CSV text reads back ('' for null),
 * or an error for bytes that are not UTF-8.
 */
function cellOf(
  source: ParquetSource,
  opened: OpenedParquet,
  value: unknown,
  c: number,
  row: number,
): string {
  if (value === null || value === undefined) return '';
  const render = opened.renders[c];
  const cell = render === undefined && typeof value === 'string' ? value : (render ?? cellText)(value);
  if (cell instanceof NotUtf8)
    throw new ParquetReadError(
      `"${source.name}", row ${row}, column ${opened.names[c]}: the bytes are not valid UTF-8 text.`,
    );
  return cell ?? '';
}

/** Whether a rendered cell (a byte array's text) holds a zero character. */
function renderedZero(value: unknown, cell: string): boolean {
  return typeof value !== 'string' && cell.indexOf('\0') !== -1;
}

/** The error of a file whose text would be larger than the reader allows. */
function tooLarge(source: ParquetSource, maxTextBytes: number): ParquetReadError {
  return new ParquetReadError(
    `"${source.name}" unpacks to more than ${byteSizeWords(maxTextBytes)} of text, far more than its ${byteSizeWords(source.size)} on disk, so it was not read: it may be built to fill the computer's memory. Export the table again, or split it into smaller files.`,
  );
}

/**
 * The rows of `opened`, a slice of at most {@link ROWS_PER_PIECE} at a time (a page per column is
 * held, never the whole group): the group's columns, their values, the slice's first row's index
 * in the file, and `made`, which counts the characters of text made of the slice against the
 * file's limit and throws past it. A group that would take the text past the limit is not opened.
 */
async function* rowSlices(source: ParquetSource, opened: OpenedParquet) {
  let textBytes = 0;
  const made = (chars: number) => {
    textBytes += chars;
    if (textBytes > opened.maxTextBytes) throw tooLarge(source, opened.maxTextBytes);
  };
  for (const at of groupsOf(source, opened)) {
    if (textBytes + at.unpacked > opened.maxTextBytes) throw tooLarge(source, opened.maxTextBytes);
    const columns = await openGroup(opened, at);
    for (let from = 0; from < at.rows; from += ROWS_PER_PIECE) {
      const count = Math.min(from + ROWS_PER_PIECE, at.rows) - from;
      yield { columns, values: await takeRows(columns, count, at), first: at.rowStart + from, count, made };
    }
  }
}

/**
 * The rows of `opened` as cells ({@link parquetRecords}), a slice of rows at a time, column by
 * column: each column's values rendered in the array its pages handed them out in (a fresh one),
 * so a slice makes no array per row.
 */
async function* cellPieces(
  source: ParquetSource,
  opened: OpenedParquet,
): AsyncGenerator<ParquetRecordsPiece> {
  const width = opened.names.length;
  for await (const { columns, values, first, count, made } of rowSlices(source, opened)) {
    const cells = new Array<string[]>(width);
    const rows = new Float64Array(count);
    for (let r = 0; r < count; r++) rows[r] = first + r + 1;
    let zero = false;
    // the characters made, and the most a row can have: each column's longest cell, together
    let chars = 0;
    let longest = 0;
    for (let c = 0; c < width; c++) {
      const column = values[c] as ArrayLike<unknown>;
      // a column handed out as an array (not typed) is the slice's own: its values become cells in place
      const out = Array.isArray(column) ? (column as unknown[] as string[]) : new Array<string>(count);
      const asIs = opened.renders[c] === undefined;
      let most = 0;
      for (let r = 0; r < count; r++) {
        const value = column[r];
        let cell: string;
        if (asIs && typeof value === 'string') cell = value;
        else {
          cell = cellOf(source, opened, value, c, first + r + 1);
          if (!zero && renderedZero(value, cell)) zero = true;
        }
        out[r] = cell;
        const length = cell.length;
        chars += length;
        if (length > most) most = length;
      }
      longest += most;
      cells[c] = out;
      // the strings the column's pages made: a zero character is refused as not text by a CSV
      // reader, so the pass reads the text
      if ((columns[c] as ColumnPages).zero) zero = true;
    }
    made(chars);
    yield { columns: cells, rows, plain: !zero, longest, rowsRead: first + count };
  }
}

/** The rows of `opened` as CSV text ({@link parquetCsvBytes}), the header's line aside. */
async function* textPieces(source: ParquetSource, opened: OpenedParquet): AsyncGenerator<Uint8Array> {
  const out = new CsvBytes();
  const width = opened.names.length;
  for await (const { values, first, count, made } of rowSlices(source, opened)) {
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < width; c++) {
        if (c > 0) out.byte(44);
        const cell = cellOf(source, opened, (values[c] as ArrayLike<unknown>)[r], c, first + r + 1);
        // a one-column row with no value would be an empty line, which a CSV reader skips as
        // no record: written as a quoted empty field (which it skips as well)
        if (cell === '') {
          if (width === 1) out.emptyField();
        } else out.cell(cell);
      }
      out.byte(13);
      out.byte(10);
    }
    const piece = out.take();
    // the separators are the shape the footer declared (bounded there): the cells' text counts
    made(piece.length - count * (width + 1));
    yield piece;
  }
}

/** Rows of a Parquet file read back by number ({@link parquetRowReader}). */
export interface ParquetRowReader {
  /**
   * Row `row`'s cells as {@link parquetRecords} hands them over (0: the header's names), or
   * undefined past the last row; with `only`, that column's cell alone is read (the others are
   * empty). Reads are taken one at a time, in the order asked.
   */
  row(row: number, only?: number): Promise<string[] | undefined>;
}

/**
 * Reads rows of a Parquet file back by number: the few a report needs again (failing rows, the
 * keys of duplicates) without the file's text. Row groups before the row are not read; in its
 * group, pages whose rows are all before it are passed over by their headers, unpacked only when
 * they hold a wanted row, and a column not asked for is not read. A read at or after the last one
 * of each column goes on from there (rows read in order cost one pass over the file), an earlier
 * one opens the group again. Memory: a page per column read. Throws as {@link parquetCsvBytes}.
 */
export async function parquetRowReader(
  source: ParquetSource,
  options: ParquetTextOptions = {},
): Promise<ParquetRowReader> {
  const opened = await openFile(source, options);
  const groups = [...groupsOf(source, opened)];
  const width = opened.names.length;
  /** the group open, and the next row (in it) of each column */
  let current: { at: GroupRows; columns: ColumnPages[]; next: number[] } | undefined;
  let last: Promise<unknown> = Promise.resolve();
  const read = async (row: number, only: number | undefined): Promise<string[] | undefined> => {
    if (row === 0) return [...opened.names];
    if (!(Number.isInteger(row) && row > 0 && row <= opened.rows)) return undefined;
    const index = row - 1;
    const wanted =
      only !== undefined && only >= 0 && only < width ? [only] : Array.from({ length: width }, (_, c) => c);
    if (
      current === undefined ||
      index < current.at.rowStart ||
      index >= current.at.rowStart + current.at.rows ||
      wanted.some(
        (c) =>
          index - (current as { at: GroupRows }).at.rowStart <
          ((current as { next: number[] }).next[c] as number),
      )
    ) {
      const at = groups.find((g) => index >= g.rowStart && index < g.rowStart + g.rows) as GroupRows;
      current = { at, columns: await openGroup(opened, at), next: new Array<number>(width).fill(0) };
    }
    const { at, columns, next } = current;
    const cells = new Array<string>(width).fill('');
    try {
      for (const c of wanted) {
        const column = columns[c] as ColumnPages;
        const skip = index - at.rowStart - (next[c] as number);
        if (skip > 0) await column.skip(skip);
        next[c] = index - at.rowStart + 1;
        cells[c] = cellOf(source, opened, (await column.take(1))[0], c, row);
      }
    } catch (error) {
      current = undefined;
      throw at.unreadable(error);
    }
    return cells;
  };
  return {
    row(row, only) {
      const next = last.then(
        () => read(row, only),
        () => read(row, only),
      );
      last = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * {@link parquetCsvBytes} as text: each piece holds whole records, so each decodes on its own.
 */
export async function* parquetCsvText(
  source: ParquetSource,
  options: ParquetTextOptions = {},
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const piece of parquetCsvBytes(source, options)) yield decoder.decode(piece);
}
