/**
 * `preflight validate --engine postgres` at scale against the default engine, measured in the
 * same run: the seeded legacy extract (legacyPatients.ts; `BENCH_ROWS` rows, default 100,000;
 * `BENCH_ROWS=1000000` for the ≈ 220 MB extract of the product's goal), the bench contract,
 * `--key mrn --failing-rows`. The extract is copied once into a table of a throwaway PostgreSQL
 * server (tests/setup/postgres.ts: Debian's package, its default `work_mem` of 4 MB) as
 * docs/scale.md says, and the engine checks the table as it stands (`--table`, no `--load`).
 *
 * Each round runs the built CLI in a child process (validate.bench.ts's `cliChild`): the default
 * engine on the CSV file, then the PostgreSQL engine on the table. Per row: wall time from spawn
 * to exit, the CLI's CPU, the server's CPU (the postmaster's reaped children: the run's backend
 * ends with its connection) and the ratio of wall times. Where the time goes on the server comes
 * from its own statement log (`log_min_duration_statement=0` for the run's connection only): the
 * statements by total duration, a cursor's FETCHes counted with the query it declared; the rest
 * of the wall time is the client's (reading, profiling, writing) and the connection's.
 *
 * The two reports are compared as the parity tests compare them (reportFindings.ts), the input's
 * name (a file, a table) and the layout only a file has set aside: a fast but different engine
 * shows up here. `BENCH_ROUNDS=2` repeats the pair.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { findings, withReferenceEstimates } from '../../src/cli/testing/reportFindings.ts';
import { ROW_COLUMN } from '../../src/core/sql/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { postgresBinDir, startPostgres } from '../setup/postgres.ts';
import type { BenchEntry, BenchResult } from './bench.ts';
import { BENCH_COLUMNS, BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';
import { benchRounds, type ChildRun, cliChild, medianOf } from './validate.bench.ts';

const DEFAULT_ROWS = 100_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Linux's clock ticks per second (USER_HZ), the unit of /proc's CPU times. */
const TICKS_PER_SECOND = 100;
/** Statements listed under the table, the costliest first. */
const LISTED_STATEMENTS = 8;
/** Characters of a statement shown in its label. */
const LABEL_CHARS = 110;
/** How long to wait for the run's backend to end and be reaped, polled every few ms. */
const REAP_WAIT_MS = 3000;
const REAP_POLL_MS = 50;
const TABLE = 'patients';

/** CPU of the postmaster's ended children (backends) so far, in ms. */
function reapedChildrenMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields from the state (field 3): cutime and cstime are fields 16 and 17
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

/** The server CPU a run used: polled until its backend has been reaped (the figure stops moving). */
async function serverCpuSince(pid: number, before: number): Promise<number> {
  let last = reapedChildrenMs(pid);
  for (let waited = 0; waited < REAP_WAIT_MS; waited += REAP_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, REAP_POLL_MS));
    const now = reapedChildrenMs(pid);
    if (now === last && now > before) break;
    last = now;
  }
  return last - before;
}

/**
 * The statements of a server log (from `offset`) by total duration in ms, each labelled by its
 * first characters; a cursor's FETCHes are added to the query its DECLARE named.
 */
function statementTimes(log: string): Map<string, number> {
  const times = new Map<string, number>();
  let cursor = '';
  // an entry starts with the log line prefix's time stamp; a statement's later lines do not
  for (const entry of log.split(/\n(?=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/)) {
    const found = /duration: ([0-9.]+) ms {2}statement: ([\s\S]*)$/.exec(entry);
    if (!found) continue;
    const ms = Number(found[1]);
    const text = (found[2] ?? '').replace(/\s+/g, ' ').trim();
    let label: string;
    if (/^FETCH /.test(text)) label = cursor;
    else if (/^DECLARE /.test(text)) {
      cursor = `cursor: ${text.replace(/^DECLARE .*? CURSOR FOR /, '').slice(0, LABEL_CHARS)}`;
      label = cursor;
    } else label = text.slice(0, LABEL_CHARS);
    times.set(label, (times.get(label) ?? 0) + ms);
  }
  return times;
}

/**
 * A report's findings with the input's name and the layout only a file has set aside: the default
 * engine names the file, the PostgreSQL engine the table.
 */
export function comparable(report: Report): unknown {
  const name = report.inputs[0]?.name ?? '';
  const { inputs, ...rest } = findings(report);
  const named = JSON.parse(JSON.stringify(rest).replaceAll(JSON.stringify(name), '"the input"'));
  return {
    ...named,
    inputs: inputs.map((i) => ({ records: i.records, valid: i.valid, invalid: i.invalid, schema: i.schema })),
  };
}

/** Where two JSON values first differ (a path such as `.profiles[3].distinct`), or undefined. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return at || '(the whole)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const inner = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`,
    );
    if (inner !== undefined) return inner;
  }
  return at;
}

/** One round: each engine's child run, and the server's part of the PostgreSQL one. */
interface Round {
  load: number;
  js: ChildRun;
  pg: ChildRun;
  serverCpuMs: number;
  statements: Map<string, number>;
}

export const postgresEngineBench: BenchEntry = {
  id: 'postgres-engine',
  title: 'validate --engine postgres on a table loaded once vs the default engine on its file',
  async run(): Promise<BenchResult> {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const rounds = benchRounds();
    const bin = postgresBinDir();
    const columns = [
      'engine',
      'wall s',
      'CLI CPU s',
      'server CPU s',
      'CPU in all s',
      'wall ratio',
      'peak RSS MB',
    ];
    // without a server there is nothing to measure; the other benchmarks of a whole run still run
    if (bin === undefined)
      return {
        params: { rows, rounds },
        columns,
        rows: [],
        notes: ['PostgreSQL is not installed (Debian package postgresql): nothing measured'],
      };
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-postgres-'));
    const file = path.join(dir, 'patients.csv');
    const server = await startPostgres(bin);
    try {
      const truth = await writeLegacyPatients(file, rows);
      const contract = path.join(dir, 'contract.json');
      await writeFile(contract, JSON.stringify(BENCH_CONTRACT));
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
      const loadStarted = performance.now();
      await server.loadCsv(TABLE, file, BENCH_COLUMNS, ROW_COLUMN);
      // settled before any round: no autovacuum of the new table during one
      await server.query(`VACUUM ANALYZE ${TABLE}`);
      const loadMs = performance.now() - loadStarted;
      const socketDir = new URL(server.url()).searchParams.get('host') ?? '';
      const logFile = path.join(socketDir, 'server.log');
      const postmaster = Number(
        readFileSync(path.join(socketDir, 'data/postmaster.pid'), 'utf8').split('\n')[0],
      );
      // the statement log for the engine's connection only
      const database = `${server.url()}&options=${encodeURIComponent('-c log_min_duration_statement=0')}`;
      const common = ['--schema', contract, '--key', 'mrn'];
      const done: Round[] = [];
      for (let round = 0; round < rounds; round++) {
        const load = loadavg()[0] as number;
        const js = await cliChild(
          ['validate', file, ...common, '--failing-rows', 'js.csv', '--report', 'js.json'],
          dir,
        );
        const logFrom = statSync(logFile).size;
        const cpuBefore = reapedChildrenMs(postmaster);
        const pg = await cliChild(
          [
            'validate',
            '--engine',
            'postgres',
            '--database',
            database,
            '--table',
            TABLE,
            ...common,
            '--failing-rows',
            'pg.csv',
            '--report',
            'pg.json',
          ],
          dir,
        );
        const serverCpuMs = await serverCpuSince(postmaster, cpuBefore);
        const log = (await readFile(logFile)).subarray(logFrom).toString('utf8');
        done.push({ load, js, pg, serverCpuMs, statements: statementTimes(log) });
      }
      const report = async (name: string) =>
        JSON.parse(await readFile(path.join(dir, name), 'utf8')) as Report;
      // a column past the default profiler's exact distinct count: its estimate against the
      // exact count, by tolerance; every other field equal
      const jsReport = await report('js.json');
      const differs = firstDifference(
        comparable(jsReport),
        comparable(withReferenceEstimates(await report('pg.json'), jsReport)),
      );
      // each line names its input: the file, or the table
      const failingLines = async (name: string) =>
        (await readFile(path.join(dir, name), 'utf8')).replaceAll(file, TABLE);
      const sameFailing = (await failingLines('js.csv')) === (await failingLines('pg.csv'));
      const median = (of: (r: Round) => number) => medianOf(done.map(of));
      const s = (ms: number) => (ms / 1000).toFixed(1);
      const loads = done.map((r) => r.load.toFixed(1)).join(', ');
      const table = [
        {
          engine: 'default engine (the CSV file)',
          'wall s': s(median((r) => r.js.wallMs)),
          'CLI CPU s': s(median((r) => r.js.cpuMs)),
          'server CPU s': '—',
          'CPU in all s': s(median((r) => r.js.cpuMs)),
          'wall ratio': '1.00',
          'peak RSS MB': Math.round(Math.max(...done.map((r) => r.js.maxRssMb))),
        },
        {
          engine: 'postgres (the table)',
          'wall s': s(median((r) => r.pg.wallMs)),
          'CLI CPU s': s(median((r) => r.pg.cpuMs)),
          'server CPU s': s(median((r) => r.serverCpuMs)),
          'CPU in all s': s(median((r) => r.pg.cpuMs + r.serverCpuMs)),
          'wall ratio': median((r) => r.pg.wallMs / r.js.wallMs).toFixed(2),
          'peak RSS MB': Math.round(Math.max(...done.map((r) => r.pg.maxRssMb))),
        },
      ];
      const notes = [
        `rounds: ${done
          .map(
            (r, i) =>
              `${i + 1}: default ${s(r.js.wallMs)} s, postgres ${s(r.pg.wallMs)} s (${(r.pg.wallMs / r.js.wallMs).toFixed(2)}×), load ${r.load.toFixed(1)}`,
          )
          .join('; ')}`,
        `table loaded once by COPY in ${s(loadMs)} s (not measured in the rows); load at each round's start: ${loads} on ${cpus().length} cores`,
        `reports: ${differs === undefined ? 'the same findings' : `DIFFERENT FINDINGS (first at ${differs})`}; failing rows: ${sameFailing ? 'the same lines' : 'DIFFERENT LINES'} (the input's name aside)`,
        `planted: ${truth.invalidRows} invalid rows, ${truth.duplicateMrnPairs} duplicate MRN records`,
      ];
      const last = done.at(-1);
      if (last) {
        const statements = [...last.statements.entries()].sort((a, b) => b[1] - a[1]);
        const onServer = statements.reduce((n, [, ms]) => n + ms, 0);
        notes.push(
          `last round's server statements: ${s(onServer)} s of ${s(last.pg.wallMs)} s wall (the rest: the client and the connection); the costliest:`,
          ...statements
            .slice(0, LISTED_STATEMENTS)
            .map(([label, ms]) => `  ${s(ms).padStart(6)} s  ${label}`),
        );
      }
      return {
        params: { rows, bytes: truth.bytes, rounds },
        columns,
        rows: table,
        notes,
      };
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
