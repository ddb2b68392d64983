/**
 * A partitioned Parquet folder, as Spark, Databricks and DuckDB write a table
 * (`visits/year=2026/month=11/part-0.parquet`), read as one dataset: its files' rows one after
 * the other, in path order, numbered within the dataset, with each Hive-style `key=value` path
 * segment as a column of its own (after the files' columns) holding that value on every row of
 * the file. The run then checks one input, as it would the same table exported as one CSV.
 *
 * The folder's other files are the reader account (reader `parquet-folder`, kind `entry`): a
 * writer's markers (`_SUCCESS`, `_committed_*`, `_started_*`), checksums (`.crc`), hidden files
 * and anything not Parquet — listed, never errors.
 *
 * Constraints:
 * - A partition value is text, as a CSV cell is: the contract types it as it types the same
 *   column of a CSV (a `year` of `2026` is an integer to a contract that says so). Hive's escapes
 *   (`%2F`) are undone; `__HIVE_DEFAULT_PARTITION__` (the writer's null) is an empty cell.
 * - Every file must have the columns of the first, in its order, and the same partition keys:
 *   a folder whose files disagree is refused, naming the file, since its rows could not be one
 *   table's.
 * - Memory: one file's reader at a time (a page per column), as for a single file.
 * - Pure: files are given as sources; the caller lists the folder.
 */
import { createAccount, mergeAccounts, type ReaderAccount } from '../readerAccount/index.ts';
import {
  ParquetReadError,
  type ParquetRecords,
  type ParquetRecordsPiece,
  type ParquetRowReader,
  type ParquetSource,
  parquetRecords,
  parquetRowReader,
} from './parquetRecords.ts';

/** The value a Hive-style writer gives a null partition. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** A file of the folder: its path inside it (`/`-separated) and its bytes. */
export interface DatasetFile {
  path: string;
  source: ParquetSource;
}

/** A Parquet file of the dataset with its partition values, in key order. */
interface DatasetPart {
  path: string;
  source: ParquetSource;
  values: string[];
}

/** What the folder's listing holds: the Parquet files read, in order, and the account of the rest. */
export interface DatasetLayout {
  /** partition keys, in the order the paths give them */
  keys: string[];
  parts: DatasetPart[];
  account: ReaderAccount;
}

/** Why a file of the folder is not one of its Parquet files (undefined: it is one). */
function notAPart(path: string): string | undefined {
  const base = path.split('/').pop() ?? path;
  if (base === '_SUCCESS' || /^_(committed|started)_/.test(base))
    return "the writer's marker that the table was written: it holds no rows";
  if (/\.crc$/i.test(base)) return "the writer's checksum of a file: it holds no rows";
  if (base.startsWith('.') || base.startsWith('_'))
    return "a hidden or writer's file (its name starts with . or _): not read, as Spark and DuckDB do not read it";
  if (!/\.parquet$/i.test(base)) return 'not a Parquet file: not read, so nothing in it is in the figures';
  return undefined;
}

/** The Hive-style `key=value` segments of a path's folders. */
function partitionsOf(path: string): [string, string][] {
  const folders = path.split('/').slice(0, -1);
  return folders.flatMap((segment) => {
    const at = segment.indexOf('=');
    if (at <= 0) return [];
    const raw = segment.slice(at + 1);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw;
    }
    return [[segment.slice(0, at), value === HIVE_NULL ? '' : value] as [string, string]];
  });
}

/**
 * The dataset a folder's `files` make (see the file header). Throws {@link ParquetReadError} for a
 * folder with no Parquet file, or whose files' partition keys disagree.
 */
export function datasetLayout(folder: string, files: readonly DatasetFile[]): DatasetLayout {
  const account = createAccount('parquet-folder');
  const parts: DatasetPart[] = [];
  let keys: string[] | undefined;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    const why = notAPart(file.path);
    if (why !== undefined) {
      account.notUsed('entry', file.path, why, { file: `${folder}/${file.path}` });
      continue;
    }
    const partitions = partitionsOf(file.path);
    const theirs = partitions.map(([key]) => key);
    keys ??= theirs;
    if (theirs.join('/') !== keys.join('/'))
      throw new ParquetReadError(
        `"${folder}/${file.path}" is partitioned by ${theirs.join(', ') || 'nothing'}, the folder's other files by ${keys.join(', ') || 'nothing'}, so "${folder}" cannot be read as one table. Choose the files of one table.`,
      );
    account.use(file.path);
    parts.push({ path: file.path, source: file.source, values: partitions.map(([, value]) => value) });
  }
  if (parts.length === 0)
    throw new ParquetReadError(
      `"${folder}" holds no Parquet file (*.parquet), so there is nothing in it to check. Choose the folder the table was written to.`,
    );
  return { keys: keys ?? [], parts, account: account.finish() };
}

/** A CSV header cell: quoted when it must be. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Where a dataset's row comes from: the file (its path in the folder) and its row there. */
export interface DatasetRowPlace {
  path: string;
  row: number;
}

/** A dataset's rows as {@link parquetRecords} gives a file's, with where each row comes from. */
export interface ParquetDatasetRecords extends ParquetRecords {
  /** the file and its row of the dataset's row `row` (1-based), or undefined past the last */
  placeOf(row: number): DatasetRowPlace | undefined;
}

/**
 * The rows of the dataset `layout` describes: every file's footer is read here (its columns must
 * be the first file's), the rows as `pieces` is read. Throws as {@link parquetRecords} does, and
 * {@link ParquetReadError} for a file whose columns differ from the first's.
 */
export async function parquetDatasetRecords(
  folder: string,
  layout: DatasetLayout,
): Promise<ParquetDatasetRecords> {
  const opened: ParquetRecords[] = [];
  for (const part of layout.parts) {
    const records = await parquetRecords(part.source);
    const first = opened[0];
    if (first !== undefined && records.header.join('\u0000') !== first.header.join('\u0000')) {
      await records.pieces.return(undefined);
      throw new ParquetReadError(
        `"${folder}/${part.path}" has other columns than "${folder}/${layout.parts[0]?.path}", so "${folder}" cannot be read as one table. Write the table again with one schema.`,
      );
    }
    opened.push(records);
  }
  const base = opened[0] as ParquetRecords;
  const header = [...base.header, ...layout.keys];
  const extra = layout.keys.map((key) => `,${csvCell(key)}`).join('');
  const headerLine = new TextDecoder().decode(base.headerText).replace(/\r?\n$/, '');
  const headerText = new TextEncoder().encode(`${headerLine}${extra}\n`);
  /** first dataset row (0-based) of each file */
  const starts: number[] = [];
  let rows = 0;
  for (const records of opened) {
    starts.push(rows);
    rows += records.rows;
  }
  const expectedTextBytes = opened.reduce(
    (n, records, i) =>
      n +
      records.expectedTextBytes +
      records.rows * (layout.parts[i]?.values ?? []).reduce((m, value) => m + 1 + csvCell(value).length, 0),
    headerText.length,
  );
  async function* pieces(): AsyncGenerator<ParquetRecordsPiece> {
    let done = 0;
    for (const [i, records] of opened.entries()) {
      const values = layout.parts[i]?.values ?? [];
      const start = starts[i] as number;
      for await (const piece of records.pieces) {
        const count = piece.rows.length;
        done += count;
        yield {
          columns: [...piece.columns, ...values.map((value) => new Array<string>(count).fill(value))],
          rows: piece.rows.map((row) => row + start),
          plain: piece.plain,
          longest: piece.longest + values.reduce((n, value) => n + value.length, 0),
          rowsRead: done,
        };
      }
    }
  }
  const placeOf = (row: number): DatasetRowPlace | undefined => {
    if (!(Number.isInteger(row) && row >= 1 && row <= rows)) return undefined;
    let i = starts.length - 1;
    while (i > 0 && (starts[i] as number) >= row) i--;
    return { path: layout.parts[i]?.path as string, row: row - (starts[i] as number) };
  };
  return {
    header,
    headerText,
    plain: opened.every((records) => records.plain),
    rows,
    expectedTextBytes,
    pieces: pieces(),
    placeOf,
    // every file's columns and types, each line counted over the files that have it
    account: mergeAccounts(
      'parquet',
      opened.map((records) => records.account),
    ),
  };
}

/**
 * Reads rows of the dataset back by their dataset number, as {@link parquetRowReader} reads a
 * file's: the file's own reader, opened when first asked, with the partition values after.
 */
export function parquetDatasetRowReader(
  layout: DatasetLayout,
  records: ParquetDatasetRecords,
): ParquetRowReader {
  const readers = new Map<number, Promise<ParquetRowReader>>();
  return {
    row: async (row, only) => {
      if (row === 0) return [...records.header];
      const place = records.placeOf(row);
      if (place === undefined) return undefined;
      const i = layout.parts.findIndex((part) => part.path === place.path);
      const part = layout.parts[i] as DatasetPart;
      let reader = readers.get(i);
      if (reader === undefined) {
        reader = parquetRowReader(part.source);
        readers.set(i, reader);
      }
      const width = records.header.length - part.values.length;
      // a partition column asked alone: the file's first column read, to find the row, and left empty
      const partition = only !== undefined && only >= width;
      const read = await (await reader).row(place.row, partition ? 0 : only);
      if (read === undefined) return undefined;
      const cells = partition ? read.map(() => '') : read;
      const values = part.values.map((value, k) => (only === undefined || only === width + k ? value : ''));
      return [...cells, ...values];
    },
  };
}

/**
 * The dataset's rows as CSV text (UTF-8 bytes, header first), a piece at a time: what the pass
 * reads when it reads a records source as text (a cell holding a zero character).
 */
export async function* parquetDatasetCsvBytes(
  folder: string,
  layout: DatasetLayout,
): AsyncGenerator<Uint8Array> {
  const records = await parquetDatasetRecords(folder, layout);
  const encoder = new TextEncoder();
  yield records.headerText;
  for await (const piece of records.pieces) {
    const lines: string[] = [];
    for (let r = 0; r < piece.rows.length; r++)
      lines.push(`${piece.columns.map((column) => csvCell(column[r] ?? '')).join(',')}\n`);
    yield encoder.encode(lines.join(''));
  }
}
