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
import { headerLines, planBindingLines, summaryText } from '../../core/validation/index.ts';
import { type CliIo, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { type DuckdbRunDone, runOnDuckdb } from '../duckdbRun.ts';
import { writeFailingRowInputs } from '../failingRowsFile.ts';
import { finishSqlReport, refuseOptions, sqlStopMessage } from '../sqlCommand.ts';
import { withClaimedOutputs } from '../wholeFiles.ts';
import { PROJECT_OVERRIDES, planFromArgs, runVerdict, writeFailingRowsFile } from './validateOptions.ts';
import { overridingOptions, type RunProject } from './validateProject.ts';
import { type RehearsalInputs, withRehearsalText } from './validateRehearsal.ts';

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

export function validateWithDuckdb(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
  project?: RunProject,
): Promise<number> {
  // the report is claimed for the whole run: a killed run is named by the next (wholeFiles.ts)
  return withClaimedOutputs([args.string('report'), args.string('failing-rows')], io, () =>
    validateClaimed(args, io, rehearsal, project),
  );
}

async function validateClaimed(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs,
  project: RunProject | undefined,
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
  const failingRowsFile = args.string('failing-rows');
  const started = new Date();
  const demographics = args.string('demographics');
  let done: DuckdbRunDone | undefined;
  try {
    const ran = await runOnDuckdb({
      files,
      cwd: io.cwd,
      planOf: (sources) => planFromArgs(args, io.cwd, files, sources, args.strings('schema'), project),
      ...(project ? { project } : {}),
      ...(memoryLimit === undefined ? {} : { memoryLimit }),
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(demographics === undefined ? {} : { demographics }),
      waivers: rehearsal.waivers ?? [],
      failingRows: failingRowsFile !== undefined,
      toolVersion: VERSION,
      started,
      t0: performance.now(),
    });
    done = ran;
    const { plan, headerMismatches, uncounted } = ran;
    const rehearsed = await finishSqlReport(ran.report, 'DuckDB', args, io, rehearsal, started);
    if (failingRowsFile !== undefined)
      await writeFailingRowsFile(failingRowsFile, async () => {
        const failing = await ran.failingRowInputs(rehearsed);
        await writeFailingRowInputs(
          failingRowsFile,
          io.cwd,
          failing.inputs,
          failing.report,
          args.flag('redact'),
        );
      });
    const verdict = runVerdict(rehearsed, args.flag('fail-on-empty'));
    // what each file was bound to: on stdout before the summary, on stderr beside the JSON
    const projectLines = planBindingLines(project, plan, {
      // the contracts as this engine's report names them, each key once
      contracts: Object.fromEntries(
        files.map((f) => [f, ran.report.inputs.find((i) => i.name === f)?.schema]),
      ),
      keys: Object.fromEntries(
        files.map((f) => [
          f,
          [...new Set(plan.keys.filter((k) => k.file === undefined || k.file === f).map((k) => k.column))],
        ]),
      ),
      mapped: new Set(),
      savedMapped: new Set(),
      demographicsGiven: demographics !== undefined,
      overriding: overridingOptions(args, PROJECT_OVERRIDES),
    });
    // waivers limited to rows whose problem this engine could not count: said, rather than
    // accepting less than the default engine without a word
    const waiverLines = [
      ...(rehearsal.waiverLines ?? []),
      ...(uncounted.length > 0
        ? [
            `Rows not counted by the DuckDB engine for ${uncounted.length === 1 ? 'the waiver' : 'the waivers'} ${uncounted.join(', ')} (a problem of blank or unreadable records, which this engine does not check as the default engine does): ${uncounted.length === 1 ? 'it accepts' : 'each accepts'} a problem only when the report's examples list every occurrence. Leave out --engine duckdb to count the rows.`,
          ]
        : []),
    ];
    const aside = [...projectLines, ...waiverLines];
    if (args.flag('json') && aside.length > 0) io.stderr(aside.join('\n'));
    io.stdout(
      args.flag('json')
        ? JSON.stringify(rehearsed, null, 2)
        : [
            ...projectLines,
            ...headerLines(headerMismatches),
            withRehearsalText(summaryText(rehearsed), rehearsed, waiverLines),
            // advice before the verdict, so the verdict stays the last line a pipeline reads
            ...(files.some(isParquet) || memoryLimit !== undefined ? [] : [CSV_IN_MEMORY_LINE]),
            verdict.line,
          ].join('\n'),
    );
    return verdict.exit;
  } catch (error) {
    // a bad byte found while the default engine's reader reads the header or converts the file,
    // what stops the default engine's passes over the failing records, and DuckDB's own errors
    // (../duckdbRun.ts): said as the default engine says them
    const stop = sqlStopMessage(error);
    if (stop === undefined) throw error;
    io.stderr(`preflight validate: ${stop}`);
    return EXIT_USAGE;
  } finally {
    await done?.close();
  }
}
