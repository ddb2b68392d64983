/**
 * The DuckDB engine (`preflight validate --engine duckdb`) on the seeded legacy patient CSV
 * (legacyPatients.ts; `BENCH_ROWS` rows, default 100,000 ≈ 22 MB; `BENCH_ROWS=1000000` ≈ 221 MB),
 * against baselines measured in the same run:
 * - A: papaparse alone, arrays + `step`, one thread, in process (a parse that checks nothing: a
 *   reference, not a goal), as in validate.bench.ts;
 * - B: the bench contract's checks written by hand as ONE DuckDB query (`HAND_QUERY` below: every
 *   column's required / pattern / enum / length / date check, the invalid-record count, each
 *   column's failing count and the duplicate MRNs), run on `@duckdb/node-api` in a child process
 *   with the CLI engine's thread count (duckdbQueryChild.mjs);
 * - the real CLI in a child process (validateCliChild.mjs, built with `npm run build:cli` first):
 *   `--engine duckdb`, and the default (JS) engine, one pass on one thread, for CPU per row.
 * Wall time from spawn to exit (Node's start and loading included), CPU time of the whole process
 * (DuckDB's threads are threads of it), and peak RSS of the process tree: the child's own
 * high-water mark (VmHWM) and the sum of VmRSS over it and any descendants, sampled every 50 ms.
 *
 * `BENCH_LARGE_ROWS=10000000` (≈ 2.2 GB, in the OS temp folder, removed at once after use) adds
 * B and the DuckDB engine on a second, larger file in the same run: the time ratio large / small.
 *
 * The memory-limit run: the DuckDB engine with `--memory-limit` set to a fifth of the file's size
 * (`BENCH_MEMORY_LIMIT_MB` overrides), peak RSS of the process tree against limit + 250 MB.
 *
 * `BENCH_ROUNDS=3` measures the table 3 times, interleaved; ratios are the median of each round's
 * ratio. The load average is printed with each row: on a shared machine wall time mostly measures
 * the other processes, so the CPU figures and the ratios within a round are what to compare.
 *
 * Correctness: each variant's invalid-record count (and B's duplicate MRNs) must equal what the
 * generator planted, or the note says MISMATCH.
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import type { Report } from '../../src/formats/report.ts';
import type { BenchEntry } from './bench.ts';
import { BENCH_CONTRACT, type GroundTruth, writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const MB = 1_000_000;
const TREE_SAMPLE_MS = 50;
/** What the memory target allows beyond `--memory-limit`. */
const MEMORY_HEADROOM_MB = 250;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_CHILD = fileURLToPath(new URL('./validateCliChild.mjs', import.meta.url));
const QUERY_CHILD = fileURLToPath(new URL('./duckdbQueryChild.mjs', import.meta.url));

/** SQL text literal. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** A cell that holds a value (an empty cell is no value, as the engines read it). */
const present = (column: string) => `coalesce(${column}, '') <> ''`;
/** A required column fails when empty or when its check fails. */
const required = (column: string, ok: string) => `(NOT ${present(column)} OR NOT (${ok}))`;
/** An optional column fails only when it holds a value that fails its check. */
const optional = (column: string, ok: string) => `(${present(column)} AND NOT (${ok}))`;
const matches = (column: string, re: string) => `regexp_full_match(${column}, ${literal(re)})`;
const isoDate = (column: string) =>
  `${matches(column, '[0-9]{4}-[0-9]{2}-[0-9]{2}')} AND try_strptime(${column}, '%Y-%m-%d') IS NOT NULL`;
const EMAIL =
  "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";

/** Each contract column's failure test, written out by hand for BENCH_CONTRACT. */
const FAILS: Record<string, string> = {
  patient_id: required('patient_id', matches('patient_id', 'P[0-9]{7}')),
  mrn: required('mrn', matches('mrn', '[0-9]{8}')),
  last_name: required('last_name', `length(last_name) <= 60 AND ${matches('last_name', '\\S(?:.*\\S)?')}`),
  first_name: required('first_name', 'length(first_name) <= 60'),
  middle_name: optional('middle_name', 'length(middle_name) <= 60'),
  birth_date: required('birth_date', isoDate('birth_date')),
  sex: required('sex', "sex IN ('M', 'F', 'U')"),
  ssn: optional('ssn', matches('ssn', '[0-9]{3}-[0-9]{2}-[0-9]{4}')),
  phone: optional('phone', matches('phone', '[0-9]{3}-[0-9]{3}-[0-9]{4}')),
  email: optional('email', `length(email) <= 254 AND ${matches('email', EMAIL)}`),
  address_line: optional('address_line', 'length(address_line) <= 100'),
  city: optional('city', 'length(city) <= 40'),
  state: optional('state', matches('state', '[A-Z]{2}')),
  postal_code: optional('postal_code', matches('postal_code', '[0-9]{5}(?:-[0-9]{4})?')),
  insurance_member_id: optional('insurance_member_id', matches('insurance_member_id', '[A-Z]{3}[0-9]{9}')),
  primary_care_provider: optional('primary_care_provider', 'length(primary_care_provider) <= 60'),
  allergies: required('allergies', matches('allergies', '(?:NKDA|[a-z][a-z ]*(?:;[a-z][a-z ]*)*)')),
  last_visit: optional('last_visit', isoDate('last_visit')),
  language: optional('language', "language IN ('en', 'es', 'pt', 'fr', 'vi')"),
  marital_status: optional('marital_status', "marital_status IN ('S', 'M', 'D', 'W', 'U')"),
  emergency_contact: optional('emergency_contact', 'length(emergency_contact) <= 80'),
  emergency_phone: optional('emergency_phone', matches('emergency_phone', '[0-9]{3}-[0-9]{3}-[0-9]{4}')),
  notes: optional('notes', 'length(notes) <= 200'),
};

/**
 * Baseline B: the contract's checks as one DuckDB query over the CSV read as text — records,
 * invalid records, each column's failing count, and records whose MRN an earlier record holds.
 */
export function handQuery(file: string): string {
  const columns = Object.keys(FAILS);
  return `WITH flags AS MATERIALIZED (
  SELECT mrn,
    ${columns.map((c) => `${FAILS[c]} AS "fails_${c}"`).join(',\n    ')}
  FROM read_csv(${literal(file)}, header = true, all_varchar = true, quote = '"', escape = '"')
),
checked AS (
  SELECT COUNT(*) AS records,
    count_if(${columns.map((c) => `"fails_${c}"`).join(' OR ')}) AS invalid,
    ${columns.map((c) => `count_if("fails_${c}") AS "${c}"`).join(',\n    ')}
  FROM flags
),
repeated AS (
  SELECT COALESCE(SUM(n - 1), 0) AS duplicate_records
  FROM (SELECT COUNT(*) AS n FROM flags WHERE ${present('mrn')} GROUP BY mrn HAVING COUNT(*) > 1)
)
SELECT * FROM checked, repeated`;
}

/** Sum of VmRSS (KB) of `pid` and every process under it; 0 when it has gone. */
function treeRssKb(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const at = stack.pop() as number;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${at}/status`, 'utf8'));
      total += Number(rss?.[1] ?? 0);
      for (const tid of readdirSync(`/proc/${at}/task`)) {
        const children = readFileSync(`/proc/${at}/task/${tid}/children`, 'utf8').trim();
        if (children) stack.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended between two reads
    }
  }
  return total;
}

/** One child run: wall from spawn to exit, its own CPU and peak RSS, the tree's sampled peak. */
interface ChildRun {
  wallMs: number;
  cpuMs: number;
  /** max of the child's VmHWM and the sampled sum over its process tree */
  peakMb: number;
  /** the CLI's exit code, or the query's result row */
  code: number;
  result?: Record<string, number>;
}

function runChild(script: string, args: string[], cwd: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let treePeakKb = 0;
    const timer = setInterval(() => {
      if (child.pid) treePeakKb = Math.max(treePeakKb, treeRssKb(child.pid));
    }, TREE_SAMPLE_MS);
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      err += text;
    });
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', () => {
      clearInterval(timer);
      const wallMs = performance.now() - t0;
      const line = err.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`the child did not report: ${err.slice(-800)}`));
      const r = JSON.parse(line.slice('BENCH '.length)) as {
        code: number;
        cpuMs: number;
        maxRssKb: number;
        result?: Record<string, number>;
      };
      const run: ChildRun = {
        wallMs,
        cpuMs: r.cpuMs,
        peakMb: (Math.max(r.maxRssKb, treePeakKb) * 1024) / MB,
        code: r.code,
      };
      if (r.result) run.result = r.result;
      // the CLI exits 1 when it finds the planted defects (what the file is for)
      if (script === CLI_CHILD && r.code !== 1)
        return reject(new Error(`the CLI exited ${r.code}: ${err.slice(-800)}`));
      resolve(run);
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

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const load = () => (loadavg()[0] as number).toFixed(1);

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakMb: number;
  load: string;
  run?: ChildRun;
}

export const duckdbBench: BenchEntry = {
  id: 'duckdb',
  title: 'DuckDB engine vs the same checks as one hand-written DuckDB query (and papaparse, the JS engine)',
  async run() {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const largeRows = process.env.BENCH_LARGE_ROWS ? Number(process.env.BENCH_LARGE_ROWS) : undefined;
    const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
    const threads = availableParallelism();
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-duckdb-'));
    const file = path.join(dir, 'patients.csv');
    const contractFile = path.join(dir, 'contract.json');
    const notes: string[] = [];
    try {
      const truth = await writeLegacyPatients(file, rows);
      await writeFile(contractFile, JSON.stringify(BENCH_CONTRACT));
      // the CLI is built first, unmeasured, as `npm run build` builds it
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
      const cliArgs = (csv: string, report: string, extra: string[] = []) => [
        'validate',
        ...extra,
        csv,
        '--schema',
        contractFile,
        '--key',
        'mrn',
        '--report',
        path.join(dir, report),
      ];
      const sqlFile = async (csv: string) => {
        const target = `${csv}.sql`;
        await writeFile(target, handQuery(csv));
        return target;
      };
      const smallSql = await sqlFile(file);
      type Variant = { name: string; measure: () => Promise<Sample> };
      const child = (script: string, args: string[]) => async (): Promise<Sample> => {
        const at = load();
        const run = await runChild(script, args, dir);
        return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakMb: run.peakMb, load: at, run };
      };
      const variants: Variant[] = [
        {
          name: 'A: papaparse alone (in process, 1 thread)',
          measure: async () => {
            const at = load();
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            await papaparseAlone(file);
            const wallMs = performance.now() - t0;
            const cpu = process.cpuUsage(cpu0);
            return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakMb: Number.NaN, load: at };
          },
        },
        {
          name: `B: one hand-written DuckDB query (${threads} threads, child)`,
          measure: child(QUERY_CHILD, [smallSql, String(threads)]),
        },
        {
          name: `CLI validate --engine duckdb (${threads} threads, child)`,
          measure: child(CLI_CHILD, cliArgs(file, 'duckdb.json', ['--engine', 'duckdb'])),
        },
        {
          name: 'CLI validate, default engine (1 thread, child)',
          measure: child(CLI_CHILD, cliArgs(file, 'js.json')),
        },
      ];
      const samples: Sample[][] = variants.map(() => []);
      for (let round = 0; round < rounds; round++)
        for (const [index, variant] of variants.entries()) samples[index]?.push(await variant.measure());

      const [papa, hand, engine, js] = samples as [Sample[], Sample[], Sample[], Sample[]];
      /** median over rounds of of(a) / of(b), a and b from the same round */
      const ratio = (a: Sample[], b: Sample[], of: (s: Sample) => number) =>
        medianOf(a.map((s, i) => of(s) / of(b[i] as Sample)));
      const table: Record<string, string | number>[] = variants.map((variant, index) => {
        const own = samples[index] as Sample[];
        const wallMs = medianOf(own.map((s) => s.wallMs));
        const cpuMs = medianOf(own.map((s) => s.cpuMs));
        return {
          variant: variant.name,
          rows,
          'median ms': Math.round(wallMs),
          'MB/s': fixed(truth.bytes / MB / (wallMs / 1000), 1),
          'wall ratio to B': fixed(ratio(own, hand, (s) => s.wallMs)),
          'throughput ratio to A': fixed(ratio(papa, own, (s) => s.wallMs)),
          'CPU ms': Math.round(cpuMs),
          'CPU µs/row': fixed((cpuMs * 1000) / rows, 2),
          'peak RSS MB': own.some((s) => Number.isFinite(s.peakMb))
            ? Math.round(Math.max(...own.map((s) => s.peakMb)))
            : 'n/a (bench process)',
          load: [...new Set(own.map((s) => s.load))].join(', '),
        };
      });

      const checkResults = async (label: string, t: GroundTruth, reportFile: string) => {
        const report = JSON.parse(await readFile(path.join(dir, reportFile), 'utf8')) as Report;
        const ok = report.summary.records === t.rows && report.summary.invalid === t.invalidRows;
        notes.push(
          `${label}: ${report.summary.records} records, ${report.summary.invalid} invalid (planted ${t.invalidRows})${ok ? '' : ' MISMATCH'}`,
        );
      };
      const checkHand = (label: string, t: GroundTruth, run: ChildRun | undefined) => {
        const r = run?.result ?? {};
        const ok =
          r.records === t.rows && r.invalid === t.invalidRows && r.duplicate_records === t.duplicateMrnPairs;
        notes.push(
          `${label}: ${r.records} records, ${r.invalid} invalid (planted ${t.invalidRows}), ${r.duplicate_records} duplicate MRN records (planted ${t.duplicateMrnPairs})${ok ? '' : ' MISMATCH'}`,
        );
      };
      checkHand('B (hand query)', truth, hand[0]?.run);
      await checkResults('CLI --engine duckdb', truth, 'duckdb.json');
      await checkResults('CLI default engine', truth, 'js.json');

      notes.push(
        `TARGET DuckDB engine wall / hand query wall = ${fixed(ratio(engine, hand, (s) => s.wallMs))} (≤ 1.25) at ${rows} rows; CPU ${fixed(ratio(engine, hand, (s) => s.cpuMs))}`,
        `TARGET JS engine CPU per row / DuckDB engine CPU per row = ${fixed(ratio(js, engine, (s) => s.cpuMs))} (≤ 1.0); / hand query's = ${fixed(ratio(js, hand, (s) => s.cpuMs))}`,
        `reference: DuckDB engine throughput / papaparse alone = ${fixed(ratio(papa, engine, (s) => s.wallMs))} (wall; a parse that checks nothing is not a goal); hand query ${fixed(ratio(papa, hand, (s) => s.wallMs))}`,
      );

      // the memory-limit run: the file 5× the limit (or BENCH_MEMORY_LIMIT_MB)
      const limitMb = Number(
        process.env.BENCH_MEMORY_LIMIT_MB ?? Math.max(1, Math.floor(truth.bytes / 5 / MB)),
      );
      {
        const at = load();
        try {
          const run = await runChild(
            CLI_CHILD,
            cliArgs(file, 'limited.json', ['--engine', 'duckdb', '--memory-limit', `${limitMb}MB`]),
            dir,
          );
          table.push({
            variant: `CLI --engine duckdb --memory-limit ${limitMb}MB (child)`,
            rows,
            'median ms': Math.round(run.wallMs),
            'MB/s': fixed(truth.bytes / MB / (run.wallMs / 1000), 1),
            'wall ratio to B': '',
            'throughput ratio to A': '',
            'CPU ms': Math.round(run.cpuMs),
            'CPU µs/row': fixed((run.cpuMs * 1000) / rows, 2),
            'peak RSS MB': Math.round(run.peakMb),
            load: at,
          });
          await checkResults('CLI --engine duckdb --memory-limit', truth, 'limited.json');
          // DuckDB reads "MB" as 10^6 bytes
          const allowed = limitMb + MEMORY_HEADROOM_MB;
          notes.push(
            `TARGET memory limit: file ${fixed(truth.bytes / MB, 0)} MB = ${fixed(truth.bytes / (limitMb * MB), 1)}× the limit of ${limitMb} MB; peak RSS of the process tree ${Math.round(run.peakMb)} MB (≤ limit + ${MEMORY_HEADROOM_MB} = ${allowed} MB: ${run.peakMb <= allowed ? 'met' : 'MISSED'})`,
          );
        } catch (error) {
          notes.push(`TARGET memory limit ${limitMb}MB: the run failed: ${String(error).slice(0, 400)}`);
        }
      }

      if (largeRows !== undefined) {
        const large = path.join(dir, 'large.csv');
        try {
          const largeTruth = await writeLegacyPatients(large, largeRows);
          const largeSql = await sqlFile(large);
          const largeHand = await child(QUERY_CHILD, [largeSql, String(threads)])();
          const largeEngine = await child(CLI_CHILD, cliArgs(large, 'large.json', ['--engine', 'duckdb']))();
          for (const [name, s] of [
            [variants[1]?.name, largeHand],
            [variants[2]?.name, largeEngine],
          ] as const)
            table.push({
              variant: name ?? '',
              rows: largeRows,
              'median ms': Math.round(s.wallMs),
              'MB/s': fixed(largeTruth.bytes / MB / (s.wallMs / 1000), 1),
              'wall ratio to B': fixed(s.wallMs / largeHand.wallMs),
              'throughput ratio to A': '',
              'CPU ms': Math.round(s.cpuMs),
              'CPU µs/row': fixed((s.cpuMs * 1000) / largeRows, 2),
              'peak RSS MB': Math.round(s.peakMb),
              load: s.load,
            });
          checkHand(`B (hand query), ${largeRows} rows`, largeTruth, largeHand.run);
          await checkResults(`CLI --engine duckdb, ${largeRows} rows`, largeTruth, 'large.json');
          const scale = largeRows / rows;
          notes.push(
            `TARGET DuckDB engine wall / hand query wall = ${fixed(largeEngine.wallMs / largeHand.wallMs)} (≤ 1.25) at ${largeRows} rows`,
            `TARGET ${largeRows} rows / ${rows} rows (${fixed(scale, 0)}× the rows): DuckDB engine ${fixed(largeEngine.wallMs / medianOf(engine.map((s) => s.wallMs)))}× the time (≤ ${fixed(scale * 1.1, 0)}), CPU ${fixed(largeEngine.cpuMs / medianOf(engine.map((s) => s.cpuMs)))}×; hand query ${fixed(largeHand.wallMs / medianOf(hand.map((s) => s.wallMs)))}×`,
          );
        } finally {
          await rm(large, { force: true });
        }
      }
      if (rounds > 1)
        notes.push(
          `${rounds} rounds, variants interleaved; times are medians, ratios the median of each round's ratio`,
        );
      notes.push(
        `load: the 1-minute load average of this ${cpus().length}-core machine when the row started; above the core count the row shared its cores (its wall time is not the engine's)`,
      );
      const bytes = (await stat(file)).size;
      return {
        params: { rows, bytes, threads, rounds, memoryLimitMb: limitMb, ...(largeRows ? { largeRows } : {}) },
        columns: [
          'variant',
          'rows',
          'median ms',
          'MB/s',
          'wall ratio to B',
          'throughput ratio to A',
          'CPU ms',
          'CPU µs/row',
          'peak RSS MB',
          'load',
        ],
        rows: table,
        notes,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
