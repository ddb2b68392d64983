/**
 * `preflight validate` on a Parquet file against the same data as CSV, measured in one run: the
 * seeded legacy extract (legacyPatients.ts; `BENCH_ROWS` rows, default 500,000), the bench
 * contract, `--key mrn`. DuckDB (a devDependency) writes the CSV's rows, every column as text, as
 * Parquet twice: with its default row groups (122,880 rows) and as one row group (DuckDB then
 * writes each column as one page, the case that once held a row group's values at once).
 *
 * Each row is the built CLI in a child process (validate.bench.ts's `cliChild`): its CPU, peak RSS
 * and the CPU ratio to the CSV run of the same round. `BENCH_ROUNDS=2` repeats the three.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import type { BenchEntry, BenchResult } from './bench.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';
import { benchRounds, cliChild, medianOf } from './validate.bench.ts';

const DEFAULT_ROWS = 500_000;
const MB = 1_000_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CSV's rows, every column as text, written as Parquet (Snappy) to `target`. */
async function parquetOf(csv: string, target: string, rowGroupSize?: number): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const groups = rowGroupSize === undefined ? '' : `, ROW_GROUP_SIZE ${rowGroupSize}`;
    await connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${target}' (FORMAT parquet, COMPRESSION snappy${groups})`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export const parquetBench: BenchEntry = {
  id: 'parquet',
  title: 'validate on Parquet vs the same data as CSV (CPU ratio, peak RSS)',
  async run(): Promise<BenchResult> {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const rounds = benchRounds();
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-parquet-'));
    try {
      const csv = path.join(dir, 'patients.csv');
      await writeLegacyPatients(csv, rows);
      const grouped = path.join(dir, 'patients.parquet');
      const single = path.join(dir, 'one-group.parquet');
      await parquetOf(csv, grouped);
      await parquetOf(csv, single, rows);
      const contract = path.join(dir, 'contract.json');
      await writeFile(contract, JSON.stringify(BENCH_CONTRACT));
      // the CLI is built first, unmeasured, as `npm run build` builds it
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/buildCli.mjs')]);
      const inputs = [
        { name: 'CSV', file: csv },
        { name: 'Parquet, row groups of 122,880', file: grouped },
        { name: 'Parquet, one row group', file: single },
      ];
      const samples = new Map<string, { cpuMs: number; rssMb: number; ratio: number; load: number }[]>();
      for (let round = 0; round < rounds; round++) {
        let csvCpu = Number.NaN;
        for (const input of inputs) {
          const load = loadavg()[0] ?? 0;
          const run = await cliChild(['validate', input.file, '--schema', contract, '--key', 'mrn'], dir);
          if (input.file === csv) csvCpu = run.cpuMs;
          const list = samples.get(input.name) ?? [];
          list.push({ cpuMs: run.cpuMs, rssMb: run.maxRssMb, ratio: run.cpuMs / csvCpu, load });
          samples.set(input.name, list);
        }
      }
      return {
        params: { rows, rounds, 'CSV MB': (statSync(csv).size / MB).toFixed(1) },
        columns: ['input', 'MB', 'CPU s', 'CPU ratio to CSV', 'peak RSS MB', 'load at start'],
        rows: inputs.map((input) => {
          const list = samples.get(input.name) ?? [];
          return {
            input: input.name,
            MB: (statSync(input.file).size / MB).toFixed(1),
            'CPU s': (medianOf(list.map((s) => s.cpuMs)) / 1000).toFixed(2),
            'CPU ratio to CSV': medianOf(list.map((s) => s.ratio)).toFixed(2),
            'peak RSS MB': Math.round(Math.max(...list.map((s) => s.rssMb))),
            'load at start': medianOf(list.map((s) => s.load)).toFixed(1),
          };
        }),
        notes: [
          `each ratio is a Parquet run's CPU over the CSV run's of the same round (median over ${rounds}); load is the 1-minute load average of this ${cpus().length}-core machine`,
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
