/**
 * Migration validation throughput (issue 8 targets): a seeded legacy patient CSV (legacyPatients.ts;
 * `BENCH_ROWS` rows, default 100,000 ≈ 26 MB; `BENCH_ROWS=1000000` for the issue's ~260 MB file)
 * through
 * - baseline A: papaparse alone, arrays + `step`, one thread, on the same file;
 * - Preflight end-to-end, the CLI's path (decode + pre-pass + parse + plan + ajv on flagged rows +
 *   profiles + key sets + report) on one thread, and with 2 worker threads;
 * printed as MB/s, the ratio to baseline A measured in the same run, and peak RSS (sampled every
 * 20 ms, the whole process: worker threads included). The generator's planted defects are checked
 * against what was found (recall and false positives), so a fast but wrong engine shows up here.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { createWorkerRunner, registerContract } from '../../src/cli/validateWorkers.ts';
import { buildReport } from '../../src/core/migration/buildReport.ts';
import { compileColumnContract } from '../../src/core/migration/columnContract.ts';
import { compilePlan } from '../../src/core/migration/plan/compilePlan.ts';
import type { CsvSource } from '../../src/core/migration/validateCsv.ts';
import { detectLayout, type InputRunner, validateInputs } from '../../src/core/migration/validateInputs.ts';
import { type BenchEntry, measure } from './bench.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const RSS_SAMPLE_MS = 20;
const MB = 1_000_000;
const MS_PER_SECOND = 1000;

/** Decimal MB per second. */
function throughputMBps(bytes: number, ms: number): number {
  return bytes / MB / (ms / MS_PER_SECOND);
}

/** Runs `fn` while sampling the process's RSS; returns the peak in MB. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}

function papaparseAlone(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), {
      step: () => {
        rows++;
      },
      complete: () => resolve(rows),
      error: reject,
    });
  });
}

async function preflight(file: string, runner?: InputRunner) {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    let buffer = new Uint8Array(0);
    const source: CsvSource = {
      name: file,
      size: info.size,
      read: async (offset, length) => {
        if (buffer.length < length) buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
    };
    const compiled = compileColumnContract(BENCH_CONTRACT);
    if (!compiled.ok) throw new Error('bench contract does not compile');
    registerContract(compiled.validate, BENCH_CONTRACT as unknown as Record<string, unknown>);
    const { detected: _, ...layout } = await detectLayout(source);
    const results = await validateInputs(
      [
        {
          source,
          layout,
          plan: compilePlan(BENCH_CONTRACT),
          fullValidator: compiled.validate,
          keys: [{ column: 'mrn', demographics: ['last_name', 'first_name', 'birth_date', 'sex'] }],
        },
      ],
      [],
      runner ? { run: runner } : {},
    );
    const at = new Date().toISOString();
    return buildReport(results, { generatedAt: at, startedAt: at, totalMs: 0, toolVersion: 'bench' });
  } finally {
    await handle.close();
  }
}

export const validateBench: BenchEntry = {
  id: 'validate',
  title: 'Migration validation: seeded legacy patient CSV vs papaparse alone',
  async run() {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-validate-'));
    const file = path.join(dir, 'patients.csv');
    try {
      const truth = await writeLegacyPatients(file, rows);
      const repeats = rows > 300_000 ? 1 : 3;
      const options = { warmups: rows > 300_000 ? 0 : 1, repeats };
      const variants: { name: string; fn: () => Promise<unknown> }[] = [
        { name: 'A: papaparse alone (arrays + step, 1 thread)', fn: () => papaparseAlone(file) },
        { name: 'Preflight end-to-end, 1 thread', fn: () => preflight(file) },
        { name: 'Preflight end-to-end, 2 workers', fn: () => preflight(file, createWorkerRunner(2, dir)) },
      ];
      const table: Record<string, string | number>[] = [];
      let baseline = 0;
      const notes: string[] = [];
      for (const variant of variants) {
        const { value: timing, peakMb } = await peakRss(() => measure(variant.fn, options));
        const mbps = throughputMBps(truth.bytes, timing.medianMs);
        if (baseline === 0) baseline = mbps;
        table.push({
          variant: variant.name,
          'median ms': Math.round(timing.medianMs),
          'MB/s': mbps.toFixed(1),
          'ratio to A': (mbps / baseline).toFixed(2),
          'peak RSS MB': Math.round(peakMb),
        });
      }
      const report = await preflight(file);
      const mrnDuplicates = report.crossFile.duplicateKeys
        .filter((d) => d.column === 'mrn')
        .reduce((n, d) => n + d.count - 1, 0);
      notes.push(
        `planted: ${truth.invalidRows} invalid rows, ${truth.duplicateMrnPairs} duplicate MRN records; found: ${report.summary.invalid} invalid rows, ${mrnDuplicates} duplicate MRN records (${report.summary.invalid === truth.invalidRows && mrnDuplicates === truth.duplicateMrnPairs ? '100 % recall, no false positives' : 'MISMATCH'})`,
      );
      return {
        params: { rows, bytes: truth.bytes, repeats },
        columns: ['variant', 'median ms', 'MB/s', 'ratio to A', 'peak RSS MB'],
        rows: table,
        notes,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
