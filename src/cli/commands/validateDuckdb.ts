/**
 * `preflight validate --engine duckdb <files…> --schema …`: the run's plan (core `planRun`, the
 * default engine's) executed as SQL on embedded DuckDB (core `runSqlChecks` over
 * ../duckdbEngine.ts), all cores, for extracts that outgrow one thread; CSV (read with the layout
 * the default engine detects) and Parquet. This file reads the files, opens DuckDB, and prints. Writes
 * the same `preflight.report/v1`, with `engine: "duckdb"`: the header compared with the contract
 * first, profiles from DuckDB's value counts by the default profiler, conflicting demographics in
 * SQL. What differs from the default engine is in docs/decisions/0022-duckdb-engine.md and
 * 0024-duckdb-counts-default-profiler.md (structure problems from DuckDB's rejected lines).
 * A CSV file that is not text in its encoding is one fatal problem on it, as with the default
 * engine (../textCheck.ts). With `--project` the files are bound to the saved check sets as the
 * default engine binds them (core runPlan.ts); a check set's saved mapping is refused by name.
 * `--failing-rows`: DuckDB writes each file's failing records out and the default engine's pass
 * lists their problems, so the export is the default engine's (docs/decisions/0079-duckdb-failing-rows-through-the-default-pass.md).
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import { withHeaderIssues } from '../../core/contract/index.ts';
import { type CsvLayout, recordsBeforeByte, TextDecodeError } from '../../core/csv/index.ts';
import { SqlCompileError } from '../../core/sql/index.ts';
import {
  bindingLines,
  countRowWaivers,
  createFailingPasses,
  detectLayout,
  type FailingPasses,
  failingRowInputs,
  headerLines,
  localDay,
  type RunPlan,
  readRecordAt,
  refuseUnrunnableOnSql,
  rowSetWatches,
  runSqlChecks,
  runStopMessage,
  SqlRunError,
  type SqlTables,
  sqlReport,
  summaryText,
  validateCsv,
  withCheckSets,
} from '../../core/validation/index.ts';
import { loadReport } from '../../formats/report.ts';
import { type CliIo, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { type DuckdbSession, openDuckdb } from '../duckdbEngine.ts';
import { writeFailingRowInputs } from '../failingRowsFile.ts';
import { digestFiles } from '../fileDigests.ts';
import { type OpenedFile, openFilesForReading } from '../openFiles.ts';
import { makeStoppableRunFolder } from '../runFolders.ts';
import { checkText } from '../textCheck.ts';
import { withClaimedOutputs, writeFailure } from '../wholeFiles.ts';
import {
  compileContract,
  PROJECT_OVERRIDES,
  planFromArgs,
  runVerdict,
  Unusable,
  writeReportFile,
} from './validateOptions.ts';
import { overridingOptions, type RunProject } from './validateProject.ts';
import { type RehearsalInputs, withRehearsal, withRehearsalText } from './validateRehearsal.ts';

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

/** Opens a file of failing records DuckDB wrote, for the default engine's pass. */
const openTarget = (cwd: string) => async (target: string) => {
  const opened = await openFilesForReading([target], cwd, (m) => new Unusable(m));
  return { source: opened.files[0] as OpenedFile, close: opened.close };
};

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
  for (const name of DEFAULT_ENGINE_ONLY) {
    const given =
      name === 'no-header'
        ? args.flag(name)
        : name === 'workers'
          ? args.string(name) !== undefined
          : args.strings(name).length > 0;
    if (given) throw new UsageError(`--${name} runs on the default engine only: leave out --engine duckdb`);
  }
  const memoryLimit = args.string('memory-limit');
  if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit))
    throw new UsageError('--memory-limit takes a size such as 4GB or 512MB');
  const failingRowsFile = args.string('failing-rows');
  const started = new Date();
  const t0 = performance.now();
  let duck: Awaited<ReturnType<typeof openDuckdb>> | undefined;
  let temp: string | undefined;
  let removeTemp: (() => void) | undefined;
  // the run's own folder (copies of inputs, failing records, DuckDB's spill files: record
  // content), removed when the run ends or is stopped by Ctrl-C or SIGTERM, and by the next run
  // when this one is killed outright
  const makeTemp = async () => {
    const { folder, remove } = makeStoppableRunFolder('duckdb');
    removeTemp = remove;
    return folder;
  };
  // the default engine's passes over the failing records DuckDB writes (one per file)
  let passes: FailingPasses | undefined;
  // the file DuckDB is reading: its error then names it (DuckDB's own words do not always)
  let reading: string | undefined;
  try {
    const csvFiles = files.filter((f) => !isParquet(f));
    if (project && csvFiles.length < files.length)
      throw new Unusable(
        `${files.find(isParquet)}: --project binds CSV files to saved check sets by their header; check a Parquet file without --project (with --schema, --key and --references)`,
      );
    // every CSV's layout as the default engine detects it (its header too), and whether it is
    // text in its encoding, as the default engine's decoder judges it: a file that is not is one
    // fatal problem on it, and the run goes on (a file not in UTF-8 is copied as UTF-8 for DuckDB)
    const layouts = new Map<
      string,
      { layout: CsvLayout; header: string[] | undefined; bytes: number; refused?: TextDecodeError }
    >();
    const copies = new Map<string, string>();
    // the run's plan, as the default engine makes it: with --project, what each file is bound to
    // (its check set's contract, key, links and layout)
    let plan: RunPlan | undefined;
    const opened = await openFilesForReading(csvFiles, io.cwd, (m) => new Unusable(m));
    try {
      const made = await planFromArgs(args, io.cwd, files, opened.files, args.strings('schema'), project);
      plan = made.plan;
      if (project) refuseUnrunnableOnSql(project.project, plan);
      for (const source of opened.files) {
        const planned = plan.files.find((f) => f.file === source.name);
        const layout = planned?.bound?.layout ?? (await detectLayout(source, made.given));
        let header: string[] | undefined;
        try {
          header = (await readRecordAt(source, layout, 0)) ?? [];
        } catch (error) {
          // a header that is not text: the check below finds the bad byte and reports it
          if (!(error instanceof TextDecodeError)) throw error;
        }
        let copy: string | undefined;
        if (layout.encoding !== 'utf-8' && layout.encoding !== 'utf-8-bom') {
          temp ??= await makeTemp();
          copy = path.join(temp, `input-${files.indexOf(source.name)}.csv`);
        }
        const bad = await checkText(source, layout.encoding, copy);
        // how far the file was read before the bad byte, as the default engine says it
        const refused = bad?.afterRecords(await recordsBeforeByte(source, layout, bad.byteOffset));
        if (copy !== undefined && refused === undefined) copies.set(source.name, copy);
        layouts.set(source.name, {
          layout,
          header,
          bytes: source.size,
          ...(refused === undefined ? {} : { refused }),
        });
      }
    } finally {
      await opened.close();
    }
    if (memoryLimit) temp ??= await makeTemp();
    // under a limit: one thread (each thread pins blocks of every column it scans: with two, the
    // checks of a 221 MB file could not pin theirs under a 44 MB limit; with one they run), and
    // spill files in a folder of the run's own, removed with it
    duck = await openDuckdb(
      memoryLimit && temp ? { memoryLimit, threads: 1, tempDirectory: path.join(temp, 'spill') } : {},
    );
    // DuckDB reads a copy where the file is not UTF-8; a file it cannot read is named in the error
    const tables: SqlTables = {
      ...duck,
      load: async (table, file, csv) => {
        reading = file;
        const header = await (duck as DuckdbSession).load(
          table,
          copies.get(file) ?? path.resolve(io.cwd, file),
          csv,
        );
        reading = undefined;
        return header;
      },
    };
    // the waivers limited to rows in force for a file, on the day the run started
    const watchesOf = (file: string) => rowSetWatches(rehearsal.waivers ?? [], file, localDay(started));
    const demographicsOption = args.string('demographics');
    const found = await runSqlChecks(tables, {
      files,
      plan,
      layouts,
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(demographicsOption === undefined ? {} : { demographics: demographicsOption }),
      wantsFailingRecords: (file) => failingRowsFile !== undefined || watchesOf(file).length > 0,
      failingTarget: async (index) => {
        temp ??= await makeTemp();
        return path.join(temp, `failing-${index}.csv`);
      },
    });
    const { headerMismatches, failingParts } = found;
    const digests = await digestFiles(files, io.cwd);
    const plain = sqlReport(found, {
      sha256: digests,
      generatedAt: new Date().toISOString(),
      startedAt: started.toISOString(),
      totalMs: Math.round(performance.now() - t0),
      toolVersion: VERSION,
      redact: args.flag('redact'),
    });
    const { keys, links, checkSetIds } = plan;
    // with --project, each input names the check set it was checked as, as the app's reports do
    // the waivers limited to rows: their occurrences counted by the default engine's pass over the
    // failing records, where that pass finds the problem exactly as DuckDB did
    passes = createFailingPasses(
      watchesOf,
      openTarget(io.cwd),
      (contract, name) => compileContract(name, contract),
      failingRowsFile !== undefined,
      validateCsv,
    );
    const uncounted = await countRowWaivers(plain, failingParts, watchesOf, passes);
    const report = withCheckSets(withHeaderIssues(plain, headerMismatches), checkSetIds);
    const loaded = loadReport(report);
    if (!loaded.ok)
      throw new Error(
        `the DuckDB engine's report does not meet preflight.report/v1: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
    const rehearsed = withRehearsal(report, rehearsal, started);
    await writeReportFile(args, io, rehearsed, true);
    if (failingRowsFile !== undefined) {
      try {
        const failing = await failingRowInputs(failingParts, passes, rehearsed);
        await writeFailingRowInputs(
          failingRowsFile,
          io.cwd,
          failing.inputs,
          failing.report,
          args.flag('redact'),
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === undefined) throw error;
        throw new Unusable(`cannot write the failing rows to "${failingRowsFile}": ${writeFailure(error)}.`);
      }
    }
    const verdict = runVerdict(rehearsed, args.flag('fail-on-empty'));
    // what each file was bound to: on stdout before the summary, on stderr beside the JSON
    const projectLines = project
      ? bindingLines(
          project.file,
          plan.files.flatMap((f) => (f.bound ? [f.bound] : [])),
          {
            contracts: Object.fromEntries(
              files.map((f) => [f, plain.inputs.find((i) => i.name === f)?.schema]),
            ),
            keys: Object.fromEntries(
              files.map((f) => [
                f,
                [...new Set(keys.filter((k) => k.file === undefined || k.file === f).map((k) => k.column))],
              ]),
            ),
            links,
            mapped: new Set(),
            savedMapped: new Set(),
            demographicsGiven: demographicsOption !== undefined,
          },
          overridingOptions(args, PROJECT_OVERRIDES),
        )
      : [];
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
    // and what stops the default engine's passes over the failing records: said as it says them
    const stop =
      error instanceof Unusable || error instanceof SqlRunError ? error.message : runStopMessage(error);
    if (stop !== undefined) {
      io.stderr(`preflight validate: ${stop}`);
      return EXIT_USAGE;
    }
    if (error instanceof SqlCompileError) {
      io.stderr(`preflight validate: ${error.message}.`);
      return EXIT_USAGE;
    }
    if (error instanceof Error && /^(IO|Invalid Input|Conversion) Error/.test(error.message)) {
      // DuckDB's own words name the file and line; a value it quotes ('…') is left out
      const first = (error.message.split('\n')[0] as string)
        .replace(/'[^']*'/g, '(a value)')
        .replace(/\.+$/, '');
      io.stderr(
        `preflight validate: DuckDB cannot read ${reading === undefined ? 'the input' : `"${reading}"`}: ${first}. Check it with the default engine, which says where the file breaks: use the default engine (leave out --engine duckdb).`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof Error && error.message.startsWith('Out of Memory Error')) {
      // DuckDB spills to disk beyond the limit, but some of its steps need a minimum in memory
      io.stderr(
        memoryLimit
          ? `preflight validate: DuckDB needs more memory than --memory-limit ${memoryLimit} allows for these files. Raise the limit (it spills to disk above it).`
          : 'preflight validate: DuckDB ran out of memory. Set --memory-limit below the free memory so it spills to disk, or use the default engine (leave out --engine duckdb).',
      );
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    duck?.close();
    await passes?.close();
    removeTemp?.();
  }
}
