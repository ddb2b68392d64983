/**
 * What `validate --engine postgres` costs the machine that runs the CLI, at scale: the seeded
 * legacy extract (legacyPatients.ts, 23 columns, ≈ 220 bytes a row; `BENCH_ROWS` rows, default
 * 1,000,000; `BENCH_ROWS=10000000` for the ≈ 2.2 GB of the product's goal) checked by the default
 * engine as a CSV file, by the PostgreSQL engine on one server, and on a table hash-partitioned
 * over three shards behind a `postgres_fdw` coordinator (tests/setup/shards.ts). `BENCH_PG_MODE`
 * picks `one`, `shards` or `both` (the default). The bench contract, `--key mrn --failing-rows`;
 * `BENCH_FAILING_ROWS=0` leaves out `--failing-rows`, so the CLI receives the counts and first rows only.
 *
 * The file is written row by row to disk (never one string). Loading is timed apart and is not
 * part of any engine's row: one server's table by one COPY (docs/scale.md's recipe); the sharded
 * table by one COPY into a table on the coordinator, then one `INSERT … SELECT` that the
 * coordinator routes to the shards in batches of 1,000 (`batch_size`). Each shard's table is
 * vacuumed and analyzed before the checks, so no autovacuum runs during them.
 *
 * Per engine, each from outside the CLI's own code (validateCliChild.mjs): the CLI child's CPU
 * (its rusage, worker threads included), the database's CPU (every process of every server: the
 * postmasters, their live children and the children they reaped, from /proc before and after),
 * the bytes the CLI received (its sockets; for the default engine the file it read), the CLI's
 * peak RSS, wall time, the load average at the start, and the CLI's CPU against the default
 * engine's. The reports are compared as postgresEngine.bench.ts compares them.
 *
 * Linux only (/proc); without PostgreSQL only the default engine is measured. Not part of the unit
 * suite: a run at 1,000,000 rows takes minutes.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withReferenceEstimates } from '../../src/cli/testing/reportFindings.ts';
import { ROW_COLUMN } from '../../src/core/sql/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { startShards } from '../setup/shards.ts';
import type { BenchEntry, BenchResult } from './bench.ts';
import { BENCH_COLUMNS, BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';
import { comparable, firstDifference } from './postgresEngine.bench.ts';
import { type ChildRun, cliChild } from './validate.bench.ts';

const DEFAULT_ROWS = 1_000_000;
const MODES = ['one', 'shards', 'both'] as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Linux's clock ticks per second (USER_HZ), the unit of /proc's CPU times. */
const TICKS_PER_SECOND = 100;
/** How long to wait for the servers' CPU to stop moving once the CLI has ended (its backends reaped). */
const SETTLE_WAIT_MS = 5000;
const SETTLE_POLL_MS = 100;
/** Rows the coordinator sends a shard in one INSERT while loading. */
const LOAD_BATCH = 1000;
const TABLE = 'patients';
/** The sharded table's partition key: unique per row, so the shards hold a third each. */
const PARTITION_KEY = 'patient_id';
const MB = 1024 * 1024;

/** A process's own CPU and that of the children it reaped, in ticks (/proc/<pid>/stat). */
function processTicks(pid: number): { own: number; reaped: number; parent: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields from the state (field 3): ppid is 4, utime 14, stime 15, cutime 16, cstime 17
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    parent: Number(fields[1]),
    own: Number(fields[11]) + Number(fields[12]),
    reaped: Number(fields[13]) + Number(fields[14]),
  };
}

/** The postmaster's process id of a server (its data folder's postmaster.pid). */
function postmasterOf(server: TestPostgres): number {
  const socketDir = decodeURIComponent(new URL(server.url()).searchParams.get('host') ?? '');
  return Number(readFileSync(path.join(socketDir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * CPU in ms of every process of the servers whose postmasters are given: each postmaster's own
 * and reaped children's, and its live children's (backends, parallel workers, background writers).
 */
function serversCpuMs(postmasters: readonly number[]): number {
  const wanted = new Set(postmasters);
  let ticks = 0;
  for (const pid of postmasters) {
    const t = processTicks(pid);
    ticks += t.own + t.reaped;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const t = processTicks(Number(entry));
      if (wanted.has(t.parent)) ticks += t.own;
    } catch {
      // the process ended between the listing and the read: its CPU is in its parent's reaped figure
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The servers' CPU since `before`, read again until it stops moving (the run's backends reaped). */
async function serversCpuSince(postmasters: readonly number[], before: number): Promise<number> {
  let last = serversCpuMs(postmasters);
  for (let waited = 0; waited < SETTLE_WAIT_MS; waited += SETTLE_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    const now = serversCpuMs(postmasters);
    if (now === last) break;
    last = now;
  }
  return last - before;
}

/** `--failing-rows` into `file`, unless `BENCH_FAILING_ROWS=0`. */
function failingRows(file: string): string[] {
  return process.env.BENCH_FAILING_ROWS === '0' ? [] : ['--failing-rows', file];
}

/** One engine's run: the CLI child's own figures and the databases' CPU. */
interface EngineRun {
  engine: string;
  run: ChildRun;
  databaseCpuMs: number | undefined;
  bytesIn: number;
  load: number;
  loadMs: number | undefined;
  report: string;
}

/** The PostgreSQL engine on `table` of `database`, its servers' CPU counted across `servers`. */
async function onPostgres(
  engine: string,
  database: string,
  servers: readonly TestPostgres[],
  dir: string,
  common: readonly string[],
  loadMs: number,
): Promise<EngineRun> {
  const postmasters = servers.map(postmasterOf);
  const load = loadavg()[0] as number;
  const before = serversCpuMs(postmasters);
  const name = engine.replace(/\W+/g, '-');
  const run = await cliChild(
    [
      'validate',
      '--engine',
      'postgres',
      '--database',
      database,
      '--table',
      TABLE,
      ...common,
      ...failingRows(`${name}.csv`),
      '--report',
      `${name}.json`,
    ],
    dir,
  );
  const databaseCpuMs = await serversCpuSince(postmasters, before);
  return { engine, run, databaseCpuMs, bytesIn: run.socketBytesIn, load, loadMs, report: `${name}.json` };
}

/** One server: the file loaded by one COPY, then checked. */
async function oneServer(bin: string, file: string, dir: string, common: readonly string[]) {
  const server = await startPostgres(bin);
  try {
    const started = performance.now();
    await server.loadCsv(TABLE, file, BENCH_COLUMNS, ROW_COLUMN);
    await server.query(`VACUUM ANALYZE ${TABLE}`);
    const loadMs = performance.now() - started;
    return await onPostgres('postgres, one server', server.url(), [server], dir, common, loadMs);
  } finally {
    await server.stop();
  }
}

/** Three shards and a coordinator: the file loaded through the coordinator, then checked. */
async function threeShards(bin: string, file: string, dir: string, common: readonly string[]) {
  const cluster = await startShards(bin);
  try {
    const started = performance.now();
    await cluster.shardTable(TABLE, BENCH_COLUMNS, PARTITION_KEY);
    const { coordinator, shards } = cluster;
    await coordinator.loadCsv('staging', file, BENCH_COLUMNS, ROW_COLUMN);
    const names = [ROW_COLUMN, ...BENCH_COLUMNS].map((c) => `"${c}"`).join(', ');
    await coordinator.query(
      [
        ...shards.map((_, i) => `ALTER SERVER shard${i} OPTIONS (ADD batch_size '${LOAD_BATCH}')`),
        `INSERT INTO ${TABLE} (${names}) SELECT ${names} FROM staging`,
        'DROP TABLE staging',
      ].join(';\n'),
    );
    await Promise.all(shards.map((s, i) => s.query(`VACUUM ANALYZE ${TABLE}_shard${i}`)));
    const loadMs = performance.now() - started;
    return await onPostgres(
      'postgres, 3 shards',
      coordinator.url(),
      [coordinator, ...shards],
      dir,
      common,
      loadMs,
    );
  } finally {
    await cluster.stop();
  }
}

export const postgresScaleBench: BenchEntry = {
  id: 'postgres-scale',
  title: 'the CLI’s CPU, memory and bytes: default engine on CSV vs postgres on one server and 3 shards',
  async run(): Promise<BenchResult> {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const mode = (process.env.BENCH_PG_MODE ?? 'both') as (typeof MODES)[number];
    if (!MODES.includes(mode)) throw new Error(`BENCH_PG_MODE must be one of ${MODES.join(', ')}`);
    const bin = postgresBinDir();
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-pgscale-'));
    const file = path.join(dir, 'patients.csv');
    try {
      const written = performance.now();
      const truth = await writeLegacyPatients(file, rows);
      const writeMs = performance.now() - written;
      const contract = path.join(dir, 'contract.json');
      await writeFile(contract, JSON.stringify(BENCH_CONTRACT));
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
      const common = ['--schema', contract, '--key', 'mrn'];
      const load = loadavg()[0] as number;
      const js = await cliChild(
        ['validate', file, ...common, ...failingRows('default.csv'), '--report', 'default.json'],
        dir,
      );
      const runs: EngineRun[] = [
        {
          engine: 'default engine (CSV file)',
          run: js,
          databaseCpuMs: undefined,
          bytesIn: truth.bytes,
          load,
          loadMs: undefined,
          report: 'default.json',
        },
      ];
      if (bin !== undefined && mode !== 'shards') runs.push(await oneServer(bin, file, dir, common));
      if (bin !== undefined && mode !== 'one') runs.push(await threeShards(bin, file, dir, common));
      const report = async (name: string) =>
        JSON.parse(await readFile(path.join(dir, name), 'utf8')) as Report;
      const jsReport = await report('default.json');
      const s = (ms: number) => (ms / 1000).toFixed(1);
      const notes: string[] = [];
      for (const r of runs.slice(1)) {
        const differs = firstDifference(
          comparable(jsReport),
          comparable(withReferenceEstimates(await report(r.report), jsReport)),
        );
        notes.push(
          `${r.engine}: ${differs === undefined ? 'the same findings as the default engine' : `DIFFERENT FINDINGS (first at ${differs})`}; loaded in ${s(r.loadMs ?? 0)} s (not in its row)`,
        );
      }
      notes.push(
        `${rows.toLocaleString('en-US')} rows, ${(truth.bytes / MB).toFixed(0)} MB (${Math.round(truth.bytes / rows)} bytes a row), written in ${s(writeMs)} s; ${cpus().length} cores`,
        `planted: ${truth.invalidRows} invalid rows, ${truth.duplicateMrnPairs} duplicate MRN records`,
      );
      if (bin === undefined)
        notes.push(
          'PostgreSQL is not installed (Debian package postgresql): only the default engine measured',
        );
      const jsCpu = js.cpuMs;
      return {
        params: { rows, bytes: truth.bytes, mode, failingRows: failingRows('').length > 0 ? 'yes' : 'no' },
        columns: [
          'engine',
          'CLI CPU s',
          'database CPU s',
          'MB to the CLI',
          'CLI peak RSS MB',
          'wall s',
          'load',
          'CLI CPU / default',
        ],
        rows: runs.map((r) => ({
          engine: r.engine,
          'CLI CPU s': s(r.run.cpuMs),
          'database CPU s': r.databaseCpuMs === undefined ? '—' : s(r.databaseCpuMs),
          'MB to the CLI': (r.bytesIn / MB).toFixed(r.bytesIn < 10 * MB ? 2 : 0),
          'CLI peak RSS MB': Math.round(r.run.maxRssMb),
          'wall s': s(r.run.wallMs),
          load: r.load.toFixed(1),
          'CLI CPU / default': `${((100 * r.run.cpuMs) / jsCpu).toFixed(1)} %`,
        })),
        notes,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
