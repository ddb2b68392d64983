/**
 * INT96 timestamps read by their writer's convention (cellText.ts `int96Convention`), against
 * files nobody here wrote: apache/parquet-testing's `alltypes_plain.parquet` (Impala: wall-clock
 * time, no zone) and `int96_from_spark.parquet` (Spark: UTC instants), with DuckDB as the
 * reference for the digits and the values parquet-testing documents for the Spark file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { duckdb } from '../../../tests/parquet/duckdbWriter.ts';
import { int96Convention } from './cellText.ts';
import { type ParquetSource, parquetRecords } from './index.ts';

function source(file: string): ParquetSource {
  const bytes = new Uint8Array(readFileSync(externalFixture('parquet-testing', 'data', file)));
  return {
    name: file,
    size: bytes.length,
    read: async (offset, length) => bytes.slice(offset, offset + length),
  };
}

/** The cells of column `name` of a Parquet file, with its account. */
async function column(file: string, name: string, int96?: 'utc' | 'local') {
  const records = await parquetRecords(source(file), int96 === undefined ? {} : { int96 });
  const at = records.header.indexOf(name);
  const cells: string[] = [];
  for await (const piece of records.pieces) cells.push(...(piece.columns[at] as string[]));
  return { cells, account: records.account };
}

/** DuckDB's `TIMESTAMP` text as ISO (`T` between date and time); null for an absent value. */
const iso = (text: string | null) => (text === null ? '' : text.replace(' ', 'T'));

let db: Awaited<ReturnType<typeof duckdb>>;
beforeAll(async () => {
  db = await duckdb();
});
afterAll(() => db.close());

describe('INT96 timestamps', () => {
  it('reads an Impala file as wall-clock time, with no zone, and says so', async () => {
    const { cells, account } = await column('alltypes_plain.parquet', 'timestamp_col');
    const reference = await db.rows(
      `SELECT timestamp_col::VARCHAR FROM '${externalFixture('parquet-testing', 'data', 'alltypes_plain.parquet')}'`,
    );
    expect(cells).toEqual(reference.map(([text]) => iso(text as string | null)));
    expect(cells[0]).toBe('2009-03-01T00:00:00');
    const line = account.lines.find((l) => l.name === 'INT96');
    expect(line).toMatchObject({ kind: 'type', handling: 'interpreted', where: { column: 11 } });
    expect(line?.effect).toMatch(/wall-clock time.*Impala/);
  });

  it('reads a Spark file as UTC instants (Z), as Spark wrote them', async () => {
    const { cells, account } = await column('int96_from_spark.parquet', 'a');
    const reference = await db.rows(
      `SELECT a::VARCHAR FROM '${externalFixture('parquet-testing', 'data', 'int96_from_spark.parquet')}'`,
    );
    // the values parquet-testing documents, as microseconds since the epoch (int96_from_spark.md)
    const documented = [1704141296123456n, 1704070800000000n, 253402225200000000n, 1735599600000000n];
    const utc = documented.map((micros) => `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}`);
    expect(cells.slice(0, 4).map((c) => c.slice(0, 19))).toEqual(utc);
    expect(cells.slice(0, 5)).toEqual(
      reference.slice(0, 5).map(([text]) => (text === null || text === undefined ? '' : `${iso(text)}Z`)),
    );
    expect(cells[0]).toBe('2024-01-01T20:34:56.123456Z');
    // known gap, kept by name: the sixth value (year 290000) is past what Spark's writer holds in
    // 64-bit microseconds; its stored day and nanoseconds wrap, and neither DuckDB nor hyparquet
    // reads the documented instant back
    expect(account.lines.find((l) => l.name === 'INT96')?.effect).toMatch(/UTC.*Spark/);
  });

  it('reads INT96 as the person chose, and says it was chosen', async () => {
    const local = await column('int96_from_spark.parquet', 'a', 'local');
    expect(local.cells[0]).toBe('2024-01-01T20:34:56.123456');
    expect(local.account.lines.find((l) => l.name === 'INT96')?.effect).toMatch(/wall-clock.*as chosen/);
    const utc = await column('alltypes_plain.parquet', 'timestamp_col', 'utc');
    expect(utc.cells[0]).toBe('2009-03-01T00:00:00Z');
  });

  it('names the writer convention from created_by and the key-value metadata', () => {
    expect(int96Convention({ created_by: 'impala version 1.3.0-INTERNAL (build 8a48)' })).toEqual({
      reading: 'local',
      writer: 'Impala',
    });
    expect(
      int96Convention({
        created_by: 'parquet-mr version 1.13.1',
        key_value_metadata: [{ key: 'org.apache.spark.version', value: '3.4.3' }],
      }),
    ).toEqual({ reading: 'utc', writer: 'Spark' });
    expect(
      int96Convention({
        created_by: 'parquet-mr version 1.10.0',
        key_value_metadata: [{ key: 'writer.time.zone', value: 'UTC' }],
      }).writer,
    ).toBe('Hive');
    expect(int96Convention({ created_by: 'parquet-cpp-arrow version 14.0.0' })).toEqual({
      reading: 'utc',
      writer: 'parquet-cpp-arrow',
    });
    expect(int96Convention({}).writer).toBe('an unnamed writer');
  });
});
