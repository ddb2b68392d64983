/**
 * Parquet files and their CSV as DuckDB writes them, for the differential tests of the Parquet
 * reader: a writer nobody here chose, with the settings real exports use (codec, row-group size,
 * dictionary pages). Test-only: `@duckdb/node-api` is a devDependency.
 */
import { DuckDBInstance } from '@duckdb/node-api';

/** A Parquet codec as DuckDB's `COMPRESSION` names it. */
export type DuckCodec = 'uncompressed' | 'snappy' | 'gzip' | 'zstd' | 'brotli' | 'lz4' | 'lz4_raw';

/** Every codec DuckDB writes (LZ4 as Parquet's LZ4_RAW, as current writers do). */
export const DUCK_CODECS: readonly DuckCodec[] = [
  'uncompressed',
  'snappy',
  'gzip',
  'zstd',
  'brotli',
  'lz4',
  'lz4_raw',
];

/** How one Parquet file is written. */
export interface ParquetSettings {
  codec: DuckCodec;
  /** rows per row group */
  rowGroupSize?: number;
  /** false: plain pages only (no dictionary pages) */
  dictionary?: boolean;
}

/** One DuckDB database in memory, in UTC, for a test file's writes. */
export async function duckdb() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    /** Runs `sql` (a table's creation). */
    run: async (sql: string) => {
      await connection.run(sql);
    },
    /** Writes `query`'s rows to `target` as Parquet with `settings`. */
    parquet: async (query: string, target: string, settings: ParquetSettings) => {
      const options = [
        'FORMAT parquet',
        `COMPRESSION ${settings.codec}`,
        ...(settings.rowGroupSize === undefined ? [] : [`ROW_GROUP_SIZE ${settings.rowGroupSize}`]),
        // a dictionary holds at most this many bytes: 1 writes every page plain
        ...(settings.dictionary === false ? ['DICTIONARY_SIZE_LIMIT 1'] : []),
      ];
      await connection.run(`COPY (${query}) TO '${target}' (${options.join(', ')})`);
    },
    /** Writes `query`'s rows to `target` as CSV with a header, as DuckDB exports a table. */
    csv: async (query: string, target: string) => {
      await connection.run(`COPY (${query}) TO '${target}' (FORMAT csv, HEADER)`);
    },
    /** The rows of `query`, each cell as DuckDB casts it to text (null: null), for a reference's answer. */
    rows: async (query: string): Promise<(string | null)[][]> => {
      const reader = await connection.runAndReadAll(query);
      return reader.getRows().map((row) => row.map((cell) => (cell === null ? null : String(cell))));
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
