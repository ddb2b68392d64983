/**
 * Runs the SQL of src/core/sql on embedded DuckDB (`@duckdb/node-api`): CSV read as text (every
 * column VARCHAR, the header's names), or Parquet (columns cast to text), one table per input
 * with its 1-based data row, then the plan's counts, duplicate keys and orphan references.
 * DuckDB uses all cores and spills to disk beyond its memory limit.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ROW_COLUMN } from '../core/sql/index.ts';
import {
  failingRecordsHeader,
  failingRecordsSql,
  type SqlCsvLayout,
  type SqlReject,
  SqlRunError,
  type SqlTables,
  sharedSqlTables,
} from '../core/validation/index.ts';
import { writeFailingRecordsFile } from './failingRecordsFile.ts';

/** An embedded DuckDB with one table per loaded input: the core's SQL engine (`runSqlChecks`). */
export interface DuckdbSession extends SqlTables {
  readonly connection: DuckDBConnection;
  /** loads a CSV or Parquet file (its path) as table `name`; returns its header */
  load(name: string, filePath: string, csv?: SqlCsvLayout): Promise<string[]>;
  /**
   * whether a line DuckDB rejected in table `name` may be cut short in its rejects table (DuckDB
   * keeps the first {@link REJECTED_LINE_BYTES} bytes of a rejected line): such a line's cells and
   * text are then to be read from the file
   */
  cutRejects(name: string): Promise<boolean>;
  close(): void;
}

/** The most bytes of a rejected line DuckDB keeps in its rejects table (`csv_line`). */
export const REJECTED_LINE_BYTES = 10_000;

function quote(name: string): string {
  return `"${name.split('"').join('""')}"`;
}

/** DuckDB's `new_line` option takes a terminator written with backslashes, not the characters. */
const NEW_LINE_OPTION = { '\r\n': "'\\r\\n'", '\n': "'\\n'", '\r': "'\\r'" } as const;

function text(value: string): string {
  return `'${value.split("'").join("''")}'`;
}

function count(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : (value as number);
}

/**
 * DuckDB's CSV reader buffer under a memory limit: its default (16 × the 2 MB longest line, about
 * 32 MB per buffer) is held inside the limit besides the table being built, so loading a 221 MB
 * file under a 44 MB limit failed: the reader's buffers left the table too little to allocate
 * its next block. 2 MiB still holds DuckDB's longest line (`max_line_size`, 2 MB).
 */
const LIMITED_CSV_BUFFER_BYTES = 2 * 1024 * 1024;

/**
 * The most text a Parquet file of `bytes` may hold once unpacked: {@link PARQUET_EXPANSION} times
 * its size, and never less than {@link PARQUET_MIN_TEXT_BYTES}. Real exports unpack to a few times
 * their size (text columns compress well, 10–20 times at most); a file built to unpack without
 * bound (a long value repeated through a dictionary, or pages of zeros) goes far beyond.
 */
export function parquetTextLimit(bytes: number): number {
  return Math.max(PARQUET_MIN_TEXT_BYTES, bytes * PARQUET_EXPANSION);
}
const PARQUET_EXPANSION = 64;
const PARQUET_MIN_TEXT_BYTES = 256 * 1024 * 1024;

/**
 * Refuses a Parquet file whose cells, as text, come to more than `limit` bytes (default
 * {@link parquetTextLimit} of its size) before DuckDB builds a table of them. The cells' lengths
 * are read as a stream, a chunk at a time, and the reading stops at the limit: the file is never
 * held whole, and a file that would unpack to terabytes costs the time to unpack the limit.
 * @throws SqlRunError naming the file and the bound
 */
async function refuseParquetBomb(connection: DuckDBConnection, filePath: string, limit?: number) {
  const { size } = await stat(filePath);
  const bound = limit ?? parquetTextLimit(size);
  const described = await (
    await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${text(filePath)})`)
  ).getRowObjects();
  const names = described.map((r) => quote(String(r.column_name)));
  if (names.length === 0) return;
  const length = names.map((n) => `COALESCE(strlen(CAST(${n} AS VARCHAR)), 0)`).join(' + ');
  const result = await connection.stream(
    `SELECT CAST(${length} + ${names.length} AS BIGINT) AS n FROM read_parquet(${text(filePath)})`,
  );
  let total = 0;
  for (
    let chunk = await result.fetchChunk();
    chunk && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    const lengths = chunk.getColumnVector(0);
    for (let i = 0; i < chunk.rowCount; i++) total += Number(lengths.getItem(i) ?? 0);
    if (total > bound)
      throw new SqlRunError(
        `${path.basename(filePath)}: this Parquet file unpacks to more than ${megabytes(bound)} of text, far more than its ${megabytes(size)} on disk, so it was not read: it may be built to fill the computer's memory. Export the table again, or split it into smaller files.`,
      );
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/**
 * The environment variable that caps DuckDB's threads where a run names none (default: every
 * core). Tests that run many small files set 1: vitest already runs a file per core, and DuckDB's
 * second thread costs more CPU than it saves on files of a few kilobytes.
 */
export const DUCKDB_THREADS_ENV = 'PREFLIGHT_DUCKDB_THREADS';

function defaultThreads(): number {
  const value = process.env[DUCKDB_THREADS_ENV];
  if (value === undefined || value === '') return availableParallelism();
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 1024)
    throw new Error(
      `${DUCKDB_THREADS_ENV} takes a whole number from 1 to 1024, not "${value}": set it so, or unset it to use every core`,
    );
  return n;
}

/**
 * Opens an in-memory DuckDB using every core (or {@link DUCKDB_THREADS_ENV}); `memoryLimit` like
 * "2GB" (DuckDB spills beyond it, to `tempDirectory` when given, else to DuckDB's default `.tmp`
 * in the working folder).
 */
export async function openDuckdb(
  options: {
    memoryLimit?: string;
    threads?: number;
    tempDirectory?: string;
    /** the most text a Parquet file may unpack to (default {@link parquetTextLimit} of its size) */
    parquetTextBytes?: number;
  } = {},
): Promise<DuckdbSession> {
  const config: Record<string, string> = { threads: String(options.threads ?? defaultThreads()) };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjects();
  let loaded = 0;
  const rejectTables = new Map<string, string>();
  const blankTests = new Map<string, string>();
  const csvLayouts = new Map<string, SqlCsvLayout>();
  const columnsOf = async (name: string) => {
    const described = await rows(`DESCRIBE ${quote(name)}`);
    return described.map((r) => String(r.column_name)).filter((c) => c !== ROW_COLUMN);
  };

  return {
    connection,
    ...sharedSqlTables({
      dialect: 'duckdb',
      run: async (sql) => {
        await connection.run(sql);
      },
      rows,
      each: async (sql, batch) => {
        const result = await connection.stream(sql);
        for await (const chunk of result.yieldRowObjects()) batch(chunk);
      },
      blankTest: (name) => blankTests.get(name) ?? 'FALSE',
      // under a memory limit the two bounded queries: the one scan's sort of every failing record
      // with its cells did not fit a 1M-row file's checks in 44 MB
      streams: options.memoryLimit === undefined,
      columns: columnsOf,
      // under a memory limit one column per scan: DuckDB could not fit the grouping sets of all
      // 23 columns of a 221 MB file in a 44 MB limit at once
      oneColumnPerScan: options.memoryLimit !== undefined,
    }),
    async load(name, filePath, csv = {}) {
      loaded++;
      const raw = quote(`${name}#raw`);
      const rejected = quote(`${name}#rejected`);
      // a file read again (from a well-formed copy: ./duckdbQuotes.ts) replaces its first reading
      for (const view of [name, `${name}#all`]) await connection.run(`DROP VIEW IF EXISTS ${quote(view)}`);
      for (const table of [raw, rejected]) await connection.run(`DROP TABLE IF EXISTS ${table}`);
      if (/\.parquet$/i.test(filePath)) {
        await refuseParquetBomb(connection, filePath, options.parquetTextBytes);
        await connection.run(`CREATE TABLE ${raw} AS SELECT * FROM read_parquet(${text(filePath)})`);
        await connection.run(`CREATE TABLE ${rejected} AS SELECT 1 AS data_row, 1 AS j WHERE FALSE`);
      } else {
        const scan = `preflight_scan_${loaded}`;
        const errors = `preflight_errors_${loaded}`;
        rejectTables.set(name, errors);
        csvLayouts.set(name, csv);
        const settings = [
          'header = true',
          'all_varchar = true',
          `quote = ${text(csv.quote ?? '"')}`,
          `escape = ${text(csv.quote ?? '"')}`,
          'null_padding = false',
          `rejects_scan = ${text(scan)}`,
          `rejects_table = ${text(errors)}`,
          'store_rejects = true',
          // the bytes as they are, as the default engine reads them: DuckDB would otherwise unpack a
          // file named .gz or .zst, unbounded (a small archive can hold terabytes of rows)
          "compression = 'none'",
        ];
        if (options.memoryLimit) settings.push(`buffer_size = ${LIMITED_CSV_BUFFER_BYTES}`);
        if (csv.delimiter) settings.push(`delim = ${text(csv.delimiter)}`);
        if (csv.encoding) settings.push(`encoding = ${text(csv.encoding)}`);
        if (csv.columns) {
          // the header the default engine read: DuckDB's sniffer gives up on some malformed files
          settings.push('auto_detect = false');
          settings.push(`columns = {${csv.columns.map((c) => `${text(c)}: 'VARCHAR'`).join(', ')}}`);
          // without its terminator, DuckDB ends the header at a line break inside a quoted name and
          // reads the rest of the file as nothing at all (0 records, no rejects): a silent pass
          if (csv.lineEnding && csv.columns.some((c) => /[\r\n]/.test(c)))
            settings.push(`new_line = ${NEW_LINE_OPTION[csv.lineEnding]}`);
        }
        await connection.run(
          `CREATE TABLE ${raw} AS SELECT * FROM read_csv(${text(filePath)}, ${settings.join(', ')})`,
        );
        // rejected lines as data rows (line 1 is the header), numbered in order: j
        await connection.run(
          `CREATE TABLE ${rejected} AS SELECT data_row, ROW_NUMBER() OVER (ORDER BY data_row) AS j FROM ` +
            `(SELECT DISTINCT CAST(line AS BIGINT) - 1 AS data_row FROM ${quote(errors)})`,
        );
      }
      const described = await rows(`DESCRIBE ${raw}`);
      const header = described.map((r) => String(r.column_name));
      // insertion order is kept (DuckDB's default), so rowid is the record's place among the
      // records DuckDB accepted; each rejected record before it moves it one data row on
      const accepted = `(${raw}.rowid + 1)`;
      // the correction costs a look-up per record in every scan of the view: only when DuckDB
      // rejected lines. Under a memory limit it stays: without it the one-column profile scans of
      // a 221 MB file ran out of a 44 MB limit (measured, not explained)
      const [rejectedCount] = await rows(`SELECT COUNT(*) AS n FROM ${rejected}`);
      const shift =
        Number(rejectedCount?.n ?? 0) === 0 && options.memoryLimit === undefined
          ? '0'
          : `COALESCE((SELECT MAX(r.j) FROM ${rejected} r WHERE r.data_row - r.j + 1 <= ${accepted}), 0)`;
      const asText = header.map((h) => `CAST(${raw}.${quote(h)} AS VARCHAR) AS ${quote(h)}`).join(', ');
      await connection.run(
        `CREATE VIEW ${quote(`${name}#all`)} AS SELECT ${accepted} + ${shift} AS ${quote(ROW_COLUMN)}${header.length > 0 ? `, ${asText}` : ''} FROM ${raw}`,
      );
      // a record whose every cell is empty is a structure problem (a blank row), not checked further
      const blank =
        header.length === 0 ? 'TRUE' : header.map((h) => `COALESCE(${quote(h)}, '') = ''`).join(' AND ');
      blankTests.set(name, blank);
      await connection.run(
        `CREATE VIEW ${quote(name)} AS SELECT * FROM ${quote(`${name}#all`)} WHERE NOT (${blank})`,
      );
      return header;
    },
    async loadEmpty(name, columns) {
      const cells = [...new Set(columns)].map((c) => `, CAST(NULL AS VARCHAR) AS ${quote(c)}`).join('');
      await connection.run(
        `CREATE VIEW ${quote(`${name}#all`)} AS SELECT CAST(NULL AS BIGINT) AS ${quote(ROW_COLUMN)}${cells} WHERE FALSE`,
      );
      await connection.run(`CREATE VIEW ${quote(name)} AS SELECT * FROM ${quote(`${name}#all`)}`);
      return [];
    },
    async rejects(name) {
      const table = rejectTables.get(name);
      if (!table) return [];
      const found = await rows(
        `SELECT line, byte_position, line_byte_position, error_type, column_name, csv_line FROM ${quote(table)} ORDER BY line, byte_position`,
      );
      return found.map((r) => {
        const reject: SqlReject = { line: count(r.line), kind: String(r.error_type) };
        if (r.byte_position !== null && r.byte_position !== undefined) reject.byte = count(r.byte_position);
        if (r.column_name !== null && r.column_name !== undefined) reject.column = String(r.column_name);
        if (reject.kind === 'TOO MANY COLUMNS' && reject.byte !== undefined && r.csv_line !== null) {
          // the position is the delimiter before the extra cell, in bytes from the line's start
          const line = new TextEncoder().encode(String(r.csv_line));
          const from = reject.byte - count(r.line_byte_position) + 1;
          const delimiter = (csvLayouts.get(name)?.delimiter ?? ',').charCodeAt(0);
          let to = from;
          while (to < line.length && line[to] !== delimiter) to++;
          reject.value = new TextDecoder().decode(line.subarray(from, to));
        }
        return reject;
      });
    },
    async cutRejects(name) {
      const table = rejectTables.get(name);
      if (!table) return false;
      // the cut may fall inside a character (of up to 4 bytes), which is then left out whole
      const [cut] = await rows(
        `SELECT COUNT(*) AS n FROM ${quote(table)} WHERE strlen(csv_line) > ${REJECTED_LINE_BYTES - 4}`,
      );
      return Number(cut?.n ?? 0) > 0;
    },
    async writeFailingRecords(name, plan, header, layout, target) {
      // a rejected line as it stands in the file, without the line breaks DuckDB keeps around it
      // (the LF of a CRLF before it)
      const errors = rejectTables.get(name);
      const rejected = errors
        ? `\nUNION ALL\nSELECT CAST(line AS BIGINT) - 1 AS r, ltrim(rtrim(first(csv_line ORDER BY byte_position), chr(13) || chr(10)), chr(13) || chr(10)) AS line FROM ${quote(errors)} GROUP BY 1`
        : '';
      const columns = await columnsOf(name);
      const result = await connection.stream(
        failingRecordsSql(
          'duckdb',
          name,
          columns,
          blankTests.get(name) ?? 'FALSE',
          plan ? { plan, header } : undefined,
          layout,
          rejected,
        ),
      );
      return writeFailingRecordsFile(
        target,
        failingRecordsHeader(columns, layout),
        layout.lineEnding,
        result.yieldRowObjects(),
      );
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
