/**
 * The reader's memory is bounded by a page's compact form, not by its row group's values: a file
 * written as one row group (DuckDB then writes each column as one page) is read by a process whose
 * JavaScript heap is far smaller than the group's values would take as JavaScript values. Reading
 * the group's columns whole, as values, exhausts that heap and the child dies (measured: the
 * whole-group reader dies at 24 MB on this file; the page reader reads it in 8 MB). So are its rows
 * as the pass takes them (cells, no text) and rows read back by number, the last one first.
 *
 * Cheap on purpose: the reader is bundled once with esbuild, so the child is plain Node (through
 * tsx its start alone took a CPU-second), and the file's values are distinct strings, which weigh
 * most as JavaScript values for the fewest rows to write and read.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdb } from '../../../tests/parquet/duckdbWriter.ts';

/** Rows of the file: its distinct identifiers as JavaScript values take more than 24 MB of heap. */
const ROWS = 200_000;
/** The child's heap: room for the reader's slices of rows, not for the row group's values. */
const HEAP_MB = 16;

let dir: string;
let file: string;
let reader: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-parquet-memory-'));
  file = path.join(dir, 'one-group.parquet');
  reader = path.join(dir, 'reader.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: reader,
    logLevel: 'warning',
  });
  const db = await duckdb();
  try {
    const columns = [
      // an identifier per row, as a record number with a check suffix is
      `'MRN-' || lpad(i::VARCHAR, 12, '0') || '-' || md5(i::VARCHAR)[1:16] AS mrn`,
      `'F' || (i % 5003) AS family`,
      `CASE WHEN i % 3 = 0 THEN NULL ELSE 'W' || (i % 7) END AS ward`,
    ];
    await db.parquet(`SELECT ${columns.join(', ')} FROM range(${ROWS}) t(i)`, file, {
      codec: 'snappy',
      rowGroupSize: ROWS,
    });
  } finally {
    db.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Reads `parquet` as text, then as cells, then reads back its last, first and middle rows, in a
 * child process with a `heapMb` heap; its exit code and output (lines, records, rows read back).
 */
function readInChild(parquet: string, heapMb: number): Promise<{ code: number | null; out: string }> {
  const code = `const { open } = await import('node:fs/promises');
    const { parquetCsvText, parquetRecords, parquetRowReader } = await import(${JSON.stringify(reader)});
    const handle = await open(${JSON.stringify(parquet)}, 'r');
    const size = (await handle.stat()).size;
    const read = async (offset, length) => {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      return bytes.subarray(0, bytesRead);
    };
    let lines = 0;
    const source = { name: 'one-group.parquet', size, read };
    for await (const piece of parquetCsvText(source))
      for (let at = piece.indexOf('\\n'); at >= 0; at = piece.indexOf('\\n', at + 1)) lines++;
    let records = 0;
    for await (const piece of (await parquetRecords(source)).pieces) records += piece.rows.length;
    const rows = await parquetRowReader(source);
    const back = [];
    for (const row of [${ROWS}, 1, ${ROWS / 2}]) back.push((await rows.row(row))[0]);
    await handle.close();
    console.log(lines, records, back.join(' '));`;
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '--input-type=module', '-e', code],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    out += text;
  });
  return new Promise((resolve) => child.on('close', (exit) => resolve({ code: exit, out: out.trim() })));
}

describe('Parquet reader memory', () => {
  it(`reads a ${ROWS.toLocaleString('en-US')}-row single row group in a ${HEAP_MB} MB heap`, async () => {
    const { code, out } = await readInChild(file, HEAP_MB);
    const mrn = (i: number) =>
      `MRN-${String(i).padStart(12, '0')}-${createHash('md5').update(String(i)).digest('hex').slice(0, 16)}`;
    expect({ code, out }).toEqual({
      code: 0,
      out: `${ROWS + 1} ${ROWS} ${mrn(ROWS - 1)} ${mrn(0)} ${mrn(ROWS / 2 - 1)}`,
    });
  }, 60_000);
});
