/**
 * `preflight validate --engine duckdb <files…> --schema …`: the run's plan (core `planRun`, the
 * default engine's) executed as SQL on embedded DuckDB (core `runSqlChecks` over
 * ../duckdbEngine.ts), all cores, for extracts that outgrow one thread; CSV (read with the layout
 * the default engine detects) and Parquet. This file parses the options and prints; the run is
 * ../duckdbRun.ts `runOnDuckdb`. Writes the same `preflight.report/v1`, with `engine: "duckdb"`:
 * the header compared with the contract first, profiles from DuckDB's value counts by the default
 * profiler, conflicting demographics in SQL. What differs from the default engine is in
 * docs/decisions/0022-duckdb-engine.md and 0024-duckdb-counts-default-profiler.md (structure problems from DuckDB's rejected lines).
 * A CSV file that is not text in its encoding is one fatal problem on it, as with the default
 * engine (../textCheck.ts). With `--project` the files are bound to the saved check sets as the
 * default engine binds them (core runPlan.ts); a check set's saved mapping is refused by name.
 * `--failing-rows`: DuckDB writes each file's failing records out and the default engine's pass
 * lists their problems, so the export is the default engine's (docs/decisions/0079-duckdb-failing-rows-through-the-default-pass.md).
 */

import { createRequire } from 'node:module';
import { type CliIo, type ParsedArgs, UsageError } from '../command.ts';
import { runOnDuckdb } from '../duckdbRun.ts';
import { refuseOptions, runSqlCommand } from '../sqlCommand.ts';
import { planFromArgs } from './validateOptions.ts';
import type { RunProject } from './validateProject.ts';
import type { RehearsalInputs } from './validateRehearsal.ts';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Options of `validate` the DuckDB engine does not run: refused, never ignored. */
export const DEFAULT_ENGINE_ONLY = ['mapping', 'workers', 'no-header'] as const;

/**
 * Said after a run of CSV files without --memory-limit: on such files the default engine is
 * faster (tests/bench/RESULTS.md, docs/decisions on the DuckDB engine's narrowing).
 */
export const CSV_IN_MEMORY_LINE =
  'The DuckDB engine is for Parquet files and for extracts larger than memory (with --memory-limit); the default engine checks CSV files that fit in memory faster: leave out --engine duckdb.';

function isParquet(file: string): boolean {
  return /\.parquet$/i.test(file);
}

export async function validateWithDuckdb(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
  project?: RunProject,
): Promise<number> {
  const files = args.operands;
  if (files.length === 0) throw new UsageError('give at least one CSV or Parquet file');
  refuseOptions(
    args,
    DEFAULT_ENGINE_ONLY,
    (name) => `--${name} runs on the default engine only: leave out --engine duckdb`,
  );
  const memoryLimit = args.string('memory-limit');
  if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit))
    throw new UsageError('--memory-limit takes a size such as 4GB or 512MB');
  const started = new Date();
  const demographics = args.string('demographics');
  const words = {
    engine: 'DuckDB',
    countInstead: 'Leave out --engine duckdb',
    ...(files.some(isParquet) || memoryLimit !== undefined ? {} : { advice: CSV_IN_MEMORY_LINE }),
  };
  // a bad byte found while the default engine's reader reads the header or converts the file,
  // what stops the default engine's passes over the failing records, and DuckDB's own errors
  // (../duckdbRun.ts): said as the default engine says them
  return runSqlCommand(args, io, rehearsal, project, started, words, () =>
    runOnDuckdb({
      files,
      cwd: io.cwd,
      planOf: (sources) => planFromArgs(args, io.cwd, files, sources, args.strings('schema'), project),
      ...(project ? { project } : {}),
      ...(memoryLimit === undefined ? {} : { memoryLimit }),
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(demographics === undefined ? {} : { demographics }),
      waivers: rehearsal.waivers ?? [],
      failingRows: args.string('failing-rows') !== undefined,
      toolVersion: VERSION,
      started,
      t0: performance.now(),
    }),
  );
}
