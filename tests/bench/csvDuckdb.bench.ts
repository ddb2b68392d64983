/**
 * The default engine's CSV pass against a hand-written DuckDB query doing the same work, measured in
 * one run: `preflight validate <csv> --schema <bench contract> --key mrn` (the built CLI in a child,
 * validateCliChild.mjs; column profiles on, as by default) and one SQL query (csvDuckdbChild.mjs,
 * a child too, so both CPU figures are a whole process's: Node's start and loading included) on the
 * seeded legacy extract (legacyPatients.ts; `BENCH_ROWS` rows, default 1,000,000).
 *
 * The query computes what the pass reports, from the contract (not hand-picked): per column and
 * rule the failing cells of each check the contract has (required, pattern, enum, format date and
 * email, minLength, maxLength; `type: string` holds for any text), rows repeating a key,
 * and per column a profile — filled cells, distinct values, min and max, the 10 most frequent
 * values (not the kinds of values a profile also tells, e.g. date layouts: work the pass does and
 * the query does not, so the ratio errs against the pass). The profile's distinct count and top
 * values are bounded sketches in the pass (exact counts up to 1,000 values, HyperLogLog past
 * 100,000), so the query takes DuckDB's
 * (`approx_count_distinct`, `approx_top_k`) rather than exact GROUP BYs per column. It is one
 * aggregation over one read of the file (repeated keys as `count(key) - count(DISTINCT key)`, not
 * a second scan or a materialized table: 12 % less CPU at 1M rows), with `BENCH_DUCKDB_THREADS`
 * threads (default 1: the CLI validates one file on one thread).
 *
 * `BENCH_ROUNDS` rounds (default 5), the order alternating (CLI first in even rounds); each round's
 * CPU ratio (CLI over DuckDB) is printed, then the medians. The CLI writes its report (`--report`),
 * and the bench stops unless the query's count of each rule × column equals the report's.
 */
import { execFile, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchEntry, BenchResult } from './bench.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';
import { cliChild, medianOf } from './validate.bench.ts';

const DEFAULT_ROWS = 1_000_000;
const DEFAULT_ROUNDS = 5;
const MB = 1_000_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DUCKDB_CHILD = fileURLToPath(new URL('./csvDuckdbChild.mjs', import.meta.url));

interface Property {
  type?: string;
  pattern?: string;
  enum?: readonly string[];
  format?: string;
  minLength?: number;
  maxLength?: number;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** What JSON Schema's `format` means for a cell, as a DuckDB condition that holds when it fails. */
function formatFails(column: string, format: string): string {
  if (format === 'date') return `try_strptime(${column}, '%Y-%m-%d') IS NULL`;
  if (format === 'email') return `NOT regexp_matches(${column}, '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$')`;
  throw new Error(`the bench's query has no SQL for format "${format}"`);
}

/** The hand query: checks counted per rule × column, repeated keys, and a profile per column. */
export function handQuery(csv: string, contract: typeof BENCH_CONTRACT, key: string): string {
  const required = new Set<string>(contract.required);
  const counts: string[] = ['count(*) AS "rows"'];
  for (const [name, schema] of Object.entries(contract.properties) as [string, Property][]) {
    const c = ident(name);
    const fails = (rule: string, condition: string) =>
      counts.push(`count(*) FILTER (WHERE ${c} IS NOT NULL AND ${condition}) AS ${ident(`${name} ${rule}`)}`);
    if (required.has(name))
      counts.push(`count(*) FILTER (WHERE ${c} IS NULL) AS ${ident(`${name} required`)}`);
    if (schema.pattern !== undefined)
      fails('pattern', `NOT regexp_matches(${c}, ${sqlText(schema.pattern)})`);
    if (schema.enum !== undefined) fails('enum', `${c} NOT IN (${schema.enum.map(sqlText).join(', ')})`);
    if (schema.format !== undefined) fails('format', formatFails(c, schema.format));
    if (schema.minLength !== undefined) fails('minLength', `length(${c}) < ${schema.minLength}`);
    if (schema.maxLength !== undefined) fails('maxLength', `length(${c}) > ${schema.maxLength}`);
    counts.push(
      `count(${c}) AS ${ident(`${name} filled`)}`,
      `approx_count_distinct(${c}) AS ${ident(`${name} distinct`)}`,
      `min(${c}) AS ${ident(`${name} min`)}`,
      `max(${c}) AS ${ident(`${name} max`)}`,
      `approx_top_k(${c}, 10) AS ${ident(`${name} top`)}`,
    );
  }
  const k = ident(key);
  counts.unshift(`count(${k}) - count(DISTINCT ${k}) AS "rows repeating a key"`);
  return `SELECT ${counts.join(',\n  ')}\nFROM read_csv(${sqlText(csv)}, header = true, all_varchar = true)`;
}

interface DuckRun {
  cpuMs: number;
  maxRssMb: number;
  result: Record<string, unknown>;
}

function duckdbChild(script: string, cwd: string): Promise<DuckRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DUCKDB_CHILD, script], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      err += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = (prefix: string) =>
        err
          .split('\n')
          .find((l) => l.startsWith(prefix))
          ?.slice(prefix.length);
      const bench = line('BENCH ');
      const result = line('RESULT ');
      if (code !== 0 || !bench || !result)
        return reject(new Error(`the DuckDB child failed: ${err.slice(-500)}`));
      const r = JSON.parse(bench) as { cpuMs: number; maxRssKb: number };
      resolve({ cpuMs: r.cpuMs, maxRssMb: (r.maxRssKb * 1024) / MB, result: JSON.parse(result) });
    });
  });
}

/**
 * Throws unless the query's count of each contract rule × column equals the report's (a column
 * and rule the report does not name must count 0); returns how many the report names.
 */
async function sameCounts(report: string, result: Record<string, unknown>): Promise<number> {
  const issues = (JSON.parse(await readFile(report, 'utf8')) as { issues: ReportIssue[] }).issues;
  const named = new Map<string, number>();
  for (const issue of issues)
    if (issue.rule.startsWith('contract.'))
      named.set(`${issue.location} ${issue.rule.slice('contract.'.length)}`, issue.count);
  for (const [name, value] of Object.entries(result)) {
    if (!/ (required|pattern|enum|format|minLength|maxLength)$/.test(name)) continue;
    const expected = named.get(name) ?? 0;
    if (Number(value) !== expected)
      throw new Error(`the query counts ${value} for "${name}", the report ${expected}: not the same checks`);
    named.delete(name);
  }
  if (named.size > 0) throw new Error(`the query has no count for ${[...named.keys()].join(', ')}`);
  return issues.filter((issue) => issue.rule.startsWith('contract.')).length;
}

interface ReportIssue {
  rule: string;
  location: string;
  count: number;
}

export const csvDuckdbBench: BenchEntry = {
  id: 'csv-duckdb',
  title: "validate's CSV pass with profiles vs a hand-written DuckDB query (CPU ratio)",
  async run(): Promise<BenchResult> {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const rounds = Number(process.env.BENCH_ROUNDS ?? DEFAULT_ROUNDS);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-csv-duckdb-'));
    try {
      const csv = path.join(dir, 'patients.csv');
      const truth = await writeLegacyPatients(csv, rows);
      const contract = path.join(dir, 'contract.json');
      await writeFile(contract, JSON.stringify(BENCH_CONTRACT));
      const report = path.join(dir, 'report.json');
      const script = path.join(dir, 'query.sql');
      await writeFile(script, `${handQuery(csv, BENCH_CONTRACT, 'mrn')};\n`);
      // the CLI is built first, unmeasured, as `npm run build` builds it
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
      const table: Array<Record<string, string | number>> = [];
      const ratios: number[] = [];
      const cliCpu: number[] = [];
      const duckCpu: number[] = [];
      let cliRss = 0;
      let duckRss = 0;
      let result: Record<string, unknown> = {};
      for (let round = 0; round < rounds; round++) {
        const load = loadavg()[0] ?? 0;
        const runCli = () =>
          cliChild(['validate', csv, '--schema', contract, '--key', 'mrn', '--report', report], dir);
        const runDuck = () => duckdbChild(script, dir);
        let cli: Awaited<ReturnType<typeof runCli>>;
        let duck: DuckRun;
        if (round % 2 === 0) {
          cli = await runCli();
          duck = await runDuck();
        } else {
          duck = await runDuck();
          cli = await runCli();
        }
        result = duck.result;
        cliCpu.push(cli.cpuMs);
        duckCpu.push(duck.cpuMs);
        cliRss = Math.max(cliRss, cli.maxRssMb);
        duckRss = Math.max(duckRss, duck.maxRssMb);
        ratios.push(cli.cpuMs / duck.cpuMs);
        table.push({
          round: round + 1,
          order: round % 2 === 0 ? 'CLI, DuckDB' : 'DuckDB, CLI',
          'CLI CPU s': (cli.cpuMs / 1000).toFixed(2),
          'DuckDB CPU s': (duck.cpuMs / 1000).toFixed(2),
          'CPU ratio': (cli.cpuMs / duck.cpuMs).toFixed(2),
          'load at start': load.toFixed(1),
        });
      }
      table.push({
        round: 'median',
        order: '',
        'CLI CPU s': (medianOf(cliCpu) / 1000).toFixed(2),
        'DuckDB CPU s': (medianOf(duckCpu) / 1000).toFixed(2),
        'CPU ratio': `${medianOf(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
        'load at start': '',
      });
      const checked = await sameCounts(report, result);
      return {
        params: {
          rows,
          rounds,
          'CSV MB': (statSync(csv).size / MB).toFixed(1),
          'DuckDB threads': process.env.BENCH_DUCKDB_THREADS ?? '1',
        },
        columns: ['round', 'order', 'CLI CPU s', 'DuckDB CPU s', 'CPU ratio', 'load at start'],
        rows: table,
        notes: [
          `each ratio is the CLI's CPU over the query's in the same round (whole processes); load is the 1-minute load average of this ${cpus().length}-core machine`,
          `the query's counts equal the report's for ${checked} failing rule × column pairs (the others 0 in both)`,
          `peak RSS: CLI ${Math.round(cliRss)} MB, DuckDB ${Math.round(duckRss)} MB`,
          `the query counted ${result.rows} rows and ${result['rows repeating a key']} rows repeating an earlier key (planted: ${truth.duplicateMrnPairs})`,
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
