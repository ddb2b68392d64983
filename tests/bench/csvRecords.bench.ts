/**
 * The validation engine's path from bytes to records: strict UTF-8 decoding, CSV records,
 * each record's byte offset and the line-ending counts — the part of `validateCsv` before any cell
 * is looked at — on the seeded legacy patient CSV (legacyPatients.ts; `BENCH_ROWS` rows, default
 * 100,000 ≈ 22 MB), read from memory in 1 MiB chunks as the engine reads it (decoded in 128 KiB
 * slices, as the engine decodes them):
 * - A: papaparse alone (one streaming `TextDecoder`, `Papa.Parser` with `step`), the baseline;
 * - before: the same path with papaparse reading every record, byte offsets counted from the text
 *   and a separate line-ending pass (`engine: 'papaparse'`, no wide-character index);
 * - now: the scanner (csvTokenizer.ts) with papaparse for irregular records, offsets from the
 *   decoder's wide-character index, line endings counted as records are read.
 * Printed as CPU time per run (the machine is shared: wall time mostly measures other processes),
 * MB per CPU second and ratios measured in the same run. "before" and "now" run on their own
 * instances of the engine's modules (loaded with a query string), so that the JIT feedback of one
 * does not slow the other: in the engine only one of them runs. The outputs of "before" and "now" must be
 * identical (records, fields, offsets, line-ending counts); a note says so.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type * as Csv from '../../src/core/csv/index.ts';
import type { BenchEntry } from './bench.ts';
import { writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const CHUNK_BYTES = 1024 * 1024;
/** validateCsv.ts decodes and reads each chunk this much at a time */
const DECODE_SLICE_BYTES = 128 * 1024;
const MB = 1_000_000;
const MS_PER_SECOND = 1000;
const MICROSECONDS_PER_MS = 1000;

/** CPU milliseconds (user + system) of `fn`. */
function cpuMs(fn: () => unknown): { ms: number; value: unknown } {
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / MICROSECONDS_PER_MS, value };
}

function papaparseAlone(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rows = 0;
  let pending = '';
  const parser = new Papa.Parser({
    delimiter: ',',
    newline: '\r\n',
    quoteChar: '"',
    step: () => {
      rows++;
    },
  });
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    pending += decoder.decode(bytes.subarray(at, at + CHUNK_BYTES), { stream: true });
    const result = parser.parse(pending, 0, true) as { meta: { cursor: number } };
    pending = pending.slice(result.meta.cursor);
  }
  parser.parse(pending + decoder.decode(), 0, false);
  return rows;
}

/** The engine's modules, as a separate instance named `instance`. */
async function engineModules(instance: string) {
  const load = (file: string) =>
    import(`${new URL(`../../src/core/csv/${file}`, import.meta.url).href}?${instance}`);
  return {
    ...((await load('csvRecords.ts')) as Pick<typeof Csv, 'createCsvRecordReader'>),
    ...((await load('lineEndings.ts')) as Pick<typeof Csv, 'createLineEndingScanner'>),
    ...((await load('textDecoding.ts')) as Pick<
      typeof Csv,
      'createTextPositions' | 'createTextStreamDecoder'
    >),
  };
}

/** Bytes → records with byte offsets and line-ending counts; a digest of everything produced. */
function enginePath(
  {
    createCsvRecordReader,
    createLineEndingScanner,
    createTextPositions,
    createTextStreamDecoder,
  }: Awaited<ReturnType<typeof engineModules>>,
  bytes: Uint8Array,
  fast: boolean,
): string {
  const decoder = createTextStreamDecoder('utf-8', 'patients.csv', 0, { charWidths: fast });
  const positions = createTextPositions('utf-8');
  const endings = createLineEndingScanner('\r\n', '"', true);
  let records = 0;
  let fields = 0;
  let fieldChars = 0;
  let offsets = 0;
  let lastEnd = -1;
  const reader = createCsvRecordReader({
    delimiter: ',',
    quoteChar: '"',
    newline: '\r\n',
    offsets: true,
    engine: fast ? 'auto' : 'papaparse',
    ...(fast ? { lineEndings: endings } : {}),
    onRecord: (_row, cells, start, end) => {
      records++;
      fields += cells.length;
      fieldChars += (cells[0] as string).length + (cells[cells.length - 1] as string).length;
      offsets += positions.byteOf(start);
      lastEnd = end;
    },
  });
  const read = (piece: ReturnType<typeof decoder.decode>) => {
    positions.add(piece);
    if (!fast) endings.push(piece.text);
    reader.push(piece.text);
    if (lastEnd >= 0) {
      positions.forgetBefore(lastEnd);
      lastEnd = -1;
    }
  };
  // the engine decodes each chunk in slices (validateCsv.ts); "before" read whole chunks
  const slice = fast ? DECODE_SLICE_BYTES : CHUNK_BYTES;
  for (let at = 0; at < bytes.length; at += slice) read(decoder.decode(bytes.subarray(at, at + slice)));
  read(decoder.end());
  reader.finish();
  return JSON.stringify({ records, fields, fieldChars, offsets, lineEndings: endings.finish() });
}

export const csvRecordsBench: BenchEntry = {
  id: 'csv-records',
  title: 'Bytes to records (decode, CSV records, byte offsets, line endings) vs papaparse alone',
  async run() {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const repeats = Number(process.env.BENCH_REPEATS ?? 9);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-csv-records-'));
    try {
      const file = path.join(dir, 'patients.csv');
      await writeLegacyPatients(file, rows);
      const bytes = new Uint8Array(await readFile(file));
      const beforeModules = await engineModules('before');
      const nowModules = await engineModules('now');
      const variants: { name: string; fn: () => unknown }[] = [
        { name: 'A: papaparse alone (decode + Parser, step)', fn: () => papaparseAlone(bytes) },
        {
          name: 'before: papaparse reads, offsets from the text, line-ending pass',
          fn: () => enginePath(beforeModules, bytes, false),
        },
        {
          name: 'now: scanner (papaparse for irregular records), indexed offsets, one pass',
          fn: () => enginePath(nowModules, bytes, true),
        },
      ];
      // interleaved, so that load from other processes hits every variant alike; the best run counts
      const best = variants.map(() => Number.POSITIVE_INFINITY);
      const outputs: unknown[] = variants.map(() => undefined);
      for (let r = 0; r <= repeats; r++) {
        variants.forEach((variant, i) => {
          const { ms, value } = cpuMs(variant.fn);
          if (r > 0) best[i] = Math.min(best[i] as number, ms); // the first round warms up
          outputs[i] = value;
        });
      }
      const mbPerCpuSecond = (ms: number) => bytes.length / MB / (ms / MS_PER_SECOND);
      const [a = 1, before = 1] = best;
      const table = variants.map((variant, i) => {
        const ms = best[i] as number;
        return {
          variant: variant.name,
          'CPU ms (best)': Math.round(ms),
          'MB per CPU s': mbPerCpuSecond(ms).toFixed(1),
          'CPU ratio to A': (mbPerCpuSecond(ms) / mbPerCpuSecond(a)).toFixed(2),
          'x cheaper than before': (before / ms).toFixed(2),
        };
      });
      return {
        params: { rows, bytes: bytes.length, repeats, chunkBytes: CHUNK_BYTES },
        columns: ['variant', 'CPU ms (best)', 'MB per CPU s', 'CPU ratio to A', 'x cheaper than before'],
        rows: table,
        notes: [
          outputs[1] === outputs[2]
            ? 'before and now: identical records, fields, byte offsets and line-ending counts'
            : `before and now: DIFFERENT (${String(outputs[1])} vs ${String(outputs[2])})`,
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
