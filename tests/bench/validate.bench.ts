/**
 * Migration validation throughput: a seeded legacy patient CSV (legacyPatients.ts; `BENCH_ROWS`
 * rows, default 100,000 ≈ 22 MB; `BENCH_ROWS=1000000` for a ≈ 220 MB file) through
 * - baseline A: papaparse alone, arrays + `step`, one thread, on the same file (a parse that checks
 *   nothing: a reference, not a goal);
 * - Preflight end-to-end, the CLI's path (decode + parse + plan + ajv on flagged rows + profiles +
 *   key sets + report), one pass on one thread, in process;
 * - the real CLI (`preflight validate`, built with `npm run build:cli` first) in a child process:
 *   its wall time from spawn to exit (Node's start and the CLI's loading included), its CPU time
 *   and its peak RSS — the memory target (≤ 300 MB whatever the file size) is read here, not from
 *   the in-process rows, whose RSS is the bench process's (generator and earlier runs);
 * printed as MB/s, the ratio to baseline A measured in the same run, CPU time and its ratio, and peak
 * RSS, and the machine's load when the row started (the 1-minute load average: on a shared machine
 * a row measured while other processes held a core reads slow, 2 threads most of all). The
 * generator's planted defects are checked against what was found (recall and false
 * positives), so a fast but wrong engine shows up here.
 *
 * `BENCH_ROWS=1000000` (≈ 260 MB) or `BENCH_ROWS=4000000` (≈ 1 GB): the file is written to the OS
 * temp folder and removed afterwards; above 300,000 rows each variant runs once. `BENCH_ROUNDS=3`
 * measures the whole table 3 times, interleaved, and prints medians and the median of each
 * round's ratio: on a noisy shared machine one round can read papaparse 40 % slow.
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { compileColumnContract, compilePlan } from '../../src/core/contract/index.ts';
import {
  buildReport,
  type CsvSource,
  detectLayout,
  validateInputs,
} from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { type BenchEntry, measure } from './bench.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const RSS_SAMPLE_MS = 20;
const MB = 1_000_000;
const MS_PER_SECOND = 1000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Decimal MB per second. */
function throughputMBps(bytes: number, ms: number): number {
  return bytes / MB / (ms / MS_PER_SECOND);
}

/**
 * Rounds of the whole table (`BENCH_ROUNDS`, default 1): each round measures every variant once,
 * in order, so a slow minute on this shared machine falls on all variants of a round alike.
 */
export function benchRounds(): number {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
  return rounds;
}

/** The median of `values` (the mean of the middle two when their count is even). */
export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
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

const CLI_CHILD = fileURLToPath(new URL('./validateCliChild.mjs', import.meta.url));

/** What the CLI child reported about itself, and its wall time from spawn to exit. */
export interface ChildRun {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  code: number;
  /** bytes the command received over its sockets (a database's answers; 0 for a file) */
  socketBytesIn: number;
}

/** Runs the real CLI in a child process (see validateCliChild.mjs). */
export function cliChild(args: string[], cwd: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_CHILD, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      err += text;
    });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = performance.now() - t0;
      const line = err.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`the CLI child did not report: ${err.slice(-500)}`));
      const r = JSON.parse(line.slice('BENCH '.length)) as {
        code: number;
        cpuMs: number;
        maxRssKb: number;
        socketBytesIn: number;
      };
      // exit 1: the planted defects were found (what the file is for)
      if (r.code !== 1) return reject(new Error(`the CLI child exited ${r.code}: ${err.slice(-500)}`));
      resolve({
        wallMs,
        cpuMs: r.cpuMs,
        maxRssMb: (r.maxRssKb * 1024) / MB,
        code: r.code,
        socketBytesIn: r.socketBytesIn,
      });
    });
  });
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

async function preflight(file: string) {
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
    );
    const at = new Date().toISOString();
    const report = buildReport(results, { generatedAt: at, startedAt: at, totalMs: 0, toolVersion: 'bench' });
    // every duplicate record (the report lists the first keys only)
    const mrnDuplicates = results[0]?.keys.find((k) => k.column === 'mrn')?.state.duplicateRecords ?? 0;
    return { report, mrnDuplicates };
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
      const rounds = benchRounds();
      const options = { warmups: rows > 300_000 ? 0 : 1, repeats };
      const contractFile = path.join(dir, 'contract.json');
      await writeFile(contractFile, JSON.stringify(BENCH_CONTRACT));
      const cliArgs = [
        'validate',
        file,
        '--schema',
        contractFile,
        '--key',
        'mrn',
        '--report',
        path.join(dir, 'report.json'),
      ];
      /** before a row, unmeasured */
      type Variant = { name: string; workers: number; prepare?: () => Promise<void> } & (
        | { fn: () => Promise<unknown> }
        | { child: string[] }
      );
      const variants: Variant[] = [
        { name: 'A: papaparse alone (arrays + step, 1 thread)', workers: 1, fn: () => papaparseAlone(file) },
        { name: 'Preflight end-to-end, 1 thread', workers: 1, fn: () => preflight(file) },
        {
          name: 'CLI validate, 1 thread (child process)',
          workers: 1,
          // the CLI is built first, unmeasured, as `npm run build` builds it
          prepare: async () => {
            await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
          },
          child: cliArgs,
        },
      ];
      /** one measurement of one variant in one round */
      type Sample = { wallMs: number; cpuMs: number; peakMb: number; load: number };
      const samples: Sample[][] = variants.map(() => []);
      for (let round = 0; round < rounds; round++) {
        for (const [index, variant] of variants.entries()) {
          await variant.prepare?.();
          const load = loadavg()[0] as number;
          if ('fn' in variant) {
            // CPU time (user + system, worker threads included) as well as wall time: on a shared,
            // loaded machine the wall clock mostly measures the other processes
            const cpuBefore = process.cpuUsage();
            const measured = await peakRss(() => measure(variant.fn, options));
            const cpu = process.cpuUsage(cpuBefore);
            samples[index]?.push({
              wallMs: measured.value.medianMs,
              cpuMs: (cpu.user + cpu.system) / 1000 / (options.warmups + options.repeats),
              peakMb: measured.peakMb,
              load,
            });
          } else {
            const runs: ChildRun[] = [];
            for (let i = 0; i < repeats; i++) runs.push(await cliChild(variant.child, dir));
            runs.sort((x, y) => x.wallMs - y.wallMs);
            const median = runs[Math.floor(runs.length / 2)] as ChildRun;
            samples[index]?.push({
              wallMs: median.wallMs,
              cpuMs: runs.reduce((n, r) => n + r.cpuMs, 0) / runs.length,
              peakMb: Math.max(...runs.map((r) => r.maxRssMb)),
              load,
            });
          }
        }
      }
      // each round's ratio is taken against that round's baseline A, then the median over rounds:
      // on this shared VM papaparse alone read 54-91 MB/s minutes apart, so a ratio between rows
      // measured in different minutes says more about the machine than about the engine
      const baseline = samples[0] as Sample[];
      const table: Record<string, string | number>[] = variants.map((variant, index) => {
        const own = samples[index] as Sample[];
        const ratio = (of: (s: Sample) => number) =>
          medianOf(own.map((s, round) => of(baseline[round] as Sample) / of(s)));
        const wallMs = medianOf(own.map((s) => s.wallMs));
        const cpuMs = medianOf(own.map((s) => s.cpuMs));
        const mbps = throughputMBps(truth.bytes, wallMs);
        const loads = own.map((s) => s.load);
        const low = Math.min(...loads).toFixed(1);
        const high = Math.max(...loads).toFixed(1);
        return {
          variant: variant.name,
          'median ms': Math.round(wallMs),
          'MB/s': mbps.toFixed(1),
          'MB/s per worker': (mbps / variant.workers).toFixed(1),
          'ratio to A': ratio((s) => s.wallMs).toFixed(2),
          'CPU ms/run': Math.round(cpuMs),
          'MB per CPU s': throughputMBps(truth.bytes, cpuMs).toFixed(1),
          'CPU ratio to A': ratio((s) => s.cpuMs).toFixed(2),
          'peak RSS MB': Math.round(Math.max(...own.map((s) => s.peakMb))),
          'load at start': low === high ? low : `${low}-${high}`,
        };
      });
      const notes: string[] = [];
      if (rounds > 1) {
        notes.push(
          `${rounds} rounds, the variants interleaved in each; times are medians over rounds, ratios the median of each round's ratio to that round's A`,
        );
      }
      const cliReport = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
      notes.push(
        `CLI report: ${cliReport.summary.records} records, ${cliReport.summary.invalid} invalid, ${cliReport.summary.errors} errors`,
      );
      notes.push(
        'RSS: in-process rows are the bench process (its generator and earlier runs included); the CLI rows are the CLI alone',
        `load at start: the 1-minute load average of this ${cpus().length}-core machine; a row measured above the core count shared its cores with other processes (its wall time is not the engine's)`,
      );
      const { report, mrnDuplicates } = await preflight(file);
      notes.push(
        `planted: ${truth.invalidRows} invalid rows, ${truth.duplicateMrnPairs} duplicate MRN records; found: ${report.summary.invalid} invalid rows, ${mrnDuplicates} duplicate MRN records (${report.summary.invalid === truth.invalidRows && mrnDuplicates === truth.duplicateMrnPairs ? '100 % recall, no false positives' : 'MISMATCH'})`,
      );
      return {
        params: { rows, bytes: truth.bytes, repeats, rounds },
        columns: [
          'variant',
          'median ms',
          'MB/s',
          'MB/s per worker',
          'ratio to A',
          'CPU ms/run',
          'MB per CPU s',
          'CPU ratio to A',
          'peak RSS MB',
          'load at start',
        ],
        rows: table,
        notes,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
