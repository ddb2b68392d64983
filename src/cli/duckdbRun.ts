/**
 * A whole run of `preflight validate --engine duckdb` around ../duckdbEngine.ts, as
 * ../postgresEngine.ts `runOnPostgres` is PostgreSQL's: each CSV's layout as the default engine
 * detects it and whether it is text in its encoding, the plan made, DuckDB opened (under
 * `--memory-limit`, one thread and spill files in the run's own folder), the core's SQL run
 * (`runSqlChecks`) and its report (`finishSqlRun`: the default engine's passes over the failing
 * records DuckDB writes for waivers limited to rows and `--failing-rows`, then the header
 * differences and check sets). Its command (commands/validateDuckdb.ts) parses the options and
 * ../sqlCommand.ts prints.
 *
 * Constraints:
 * - The run's folder (copies of inputs, failing records, DuckDB's spill files: record content) is
 *   removed when the run ends (`close`) or is stopped by Ctrl-C or SIGTERM, and by the next run
 *   when this one is killed outright (../runFolders.ts).
 * - DuckDB's own errors are said as `SqlRunError`s naming the file it was reading (its own words
 *   do not always), a value it quotes left out.
 */

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type CsvLayout, recordsBeforeByte, TextDecodeError } from '../core/csv/index.ts';
import {
  type CsvSource,
  detectLayout,
  failingRecordsHeader,
  localDay,
  type PlanProject,
  type RunPlan,
  readRecordAt,
  refuseUnrunnableOnSql,
  rowSetWatches,
  runSqlChecks,
  type SqlReject,
  SqlRunError,
  type SqlTables,
} from '../core/validation/index.ts';
import type { Waiver } from '../formats/waivers.ts';
import { Unusable } from './commands/validateOptions.ts';
import { type DuckdbSession, openDuckdb } from './duckdbEngine.ts';
import {
  cellRejectsAsRead,
  isQuoteReject,
  writeAsDefaultEngineReads,
  writeFailingRecordsAsRead,
} from './duckdbQuotes.ts';
import { finishCliSqlRun } from './failingRecordsFile.ts';
import { digestFiles } from './fileDigests.ts';
import { openFilesForReading } from './openFiles.ts';
import { makeStoppableRunFolder } from './runFolders.ts';
import { type SqlRunDone, sqlStopMessage } from './sqlCommand.ts';
import { checkText } from './textCheck.ts';

/** A run of `validate --engine duckdb`, as its command reads it from the options. */
export interface DuckdbRun {
  /** the CSV and Parquet files, in order */
  files: readonly string[];
  cwd: string;
  /** the run's plan, once its CSV files are opened (with a project, bound to check sets by header) */
  planOf: (sources: readonly CsvSource[]) => Promise<{ plan: RunPlan; given: Partial<CsvLayout> }>;
  project?: PlanProject;
  memoryLimit?: string;
  redact: boolean;
  continueOnHeaderMismatch: boolean;
  demographics?: string;
  /** the run's waivers: those limited to rows are counted over the failing records */
  waivers: readonly Waiver[];
  /** whether `--failing-rows` asks for every problem of the failing rows */
  failingRows: boolean;
  toolVersion: string;
  started: Date;
  /** `performance.now()` when the run started */
  t0: number;
}

function isParquet(file: string): boolean {
  return /\.parquet$/i.test(file);
}

/** Runs the checks on DuckDB (see the file header). */
export async function runOnDuckdb(run: DuckdbRun): Promise<SqlRunDone> {
  const { files, cwd, memoryLimit, project } = run;
  let duck: DuckdbSession | undefined;
  let temp: string | undefined;
  let removeTemp: (() => void) | undefined;
  const makeTemp = async () => {
    const { folder, remove } = makeStoppableRunFolder('duckdb');
    removeTemp = remove;
    return folder;
  };
  // the default engine's passes over the failing records DuckDB writes (one per file)
  let closePasses: (() => Promise<void>) | undefined;
  const close = async () => {
    duck?.close();
    await closePasses?.();
    removeTemp?.();
  };
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
    const opened = await openFilesForReading(csvFiles, cwd, (m) => new Unusable(m));
    try {
      const made = await run.planOf(opened.files);
      plan = made.plan;
      if (project)
        refuseUnrunnableOnSql(project.project, plan, {
          name: 'DuckDB',
          instead: 'leave out --engine duckdb',
        });
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
    const open = await openDuckdb(
      memoryLimit && temp ? { memoryLimit, threads: 1, tempDirectory: path.join(temp, 'spill') } : {},
    );
    duck = open;
    // the quote problems of a file read again as the default engine reads it, by table
    const quoteRejects = new Map<string, SqlReject[]>();
    // the cells too few or too many of the lines DuckDB rejected but cut short, read from the file
    const cellRejects = new Map<string, SqlReject[]>();
    // DuckDB's rejects of each table's last load, read once and kept for the checks
    const duckdbRejects = new Map<string, SqlReject[]>();
    // the file (and how it is read) behind a table DuckDB loaded from a well-formed copy
    const readAgain = new Map<string, { source: string; layout: CsvLayout }>();
    // DuckDB reads a copy where the file is not UTF-8; a file it cannot read is named in the error
    const tables: SqlTables = {
      ...open,
      load: async (table, file, csv) => {
        reading = file;
        const read = layouts.get(file);
        const source = copies.get(file) ?? path.resolve(cwd, file);
        const sourceLayout =
          read === undefined || !copies.has(file)
            ? read?.layout
            : { ...read.layout, encoding: 'utf-8' as const };
        let header: string[] = [];
        let readAsDefault = false;
        let found: SqlReject[] = [];
        try {
          header = await open.load(table, source, csv);
          found = await open.rejects(table);
          readAsDefault = found.some(isQuoteReject);
        } catch (error) {
          if (sourceLayout === undefined || !isCutInsideCharacter(error)) throw error;
          readAsDefault = true;
        }
        if (sourceLayout !== undefined && readAsDefault) {
          // a quote problem, or a long rejected line DuckDB cut inside a character and then failed
          // on: the file as the default engine reads it (./duckdbQuotes.ts), each such line short
          temp ??= await makeTemp();
          const wellFormed = path.join(temp, `well-formed-${files.indexOf(file)}.csv`);
          quoteRejects.set(table, await writeAsDefaultEngineReads(source, sourceLayout, wellFormed));
          readAgain.set(table, { source, layout: sourceLayout });
          header = await open.load(table, wellFormed, csv);
          found = await open.rejects(table);
        }
        duckdbRejects.set(table, found);
        if (sourceLayout !== undefined && (await open.cutRejects(table))) {
          // a long rejected line, cut short in DuckDB's rejects table: its record, its cells too
          // few or too many and their text are taken from the file
          const quoted = new Set((quoteRejects.get(table) ?? []).map((r) => r.line));
          const lines = found.filter((r) => !isQuoteReject(r) && !quoted.has(r.line)).map((r) => r.line - 1);
          cellRejects.set(table, await cellRejectsAsRead(source, sourceLayout, new Set(lines)));
          readAgain.set(table, { source, layout: sourceLayout });
        }
        reading = undefined;
        return header;
      },
      // a failing record of such a table is taken from the file, not from the copy's stand-in line
      writeFailingRecords: async (table, plan, header, layout, target) => {
        const again = readAgain.get(table);
        if (again === undefined) return open.writeFailingRecords(table, plan, header, layout, target);
        const rows = await open.writeFailingRecords(table, plan, header, layout, `${target}.copy`);
        const columns = failingRecordsHeader(await open.columns(table), layout);
        await writeFailingRecordsAsRead(again.source, again.layout, rows, columns, target);
        await rm(`${target}.copy`, { force: true });
        return rows;
      },
      rejects: async (table) => {
        const duckdbFound = duckdbRejects.get(table) ?? (await open.rejects(table));
        const mine = [...(quoteRejects.get(table) ?? []), ...(cellRejects.get(table) ?? [])];
        if (mine.length === 0) return duckdbFound;
        // DuckDB's rejects of the records written to be rejected, or of lines it cut short, give
        // way to the reader's problems
        const rejected = new Set(mine.map((r) => r.line));
        const found = duckdbFound.filter((r) => !rejected.has(r.line));
        return [...found, ...mine].sort((a, b) => a.line - b.line);
      },
    };
    // the waivers limited to rows in force for a file, on the day the run started
    const watchesOf = (file: string) => rowSetWatches(run.waivers, file, localDay(run.started));
    const found = await runSqlChecks(tables, {
      files,
      plan,
      layouts,
      redact: run.redact,
      continueOnHeaderMismatch: run.continueOnHeaderMismatch,
      ...(run.demographics === undefined ? {} : { demographics: run.demographics }),
      wantsFailingRecords: (file) => run.failingRows || watchesOf(file).length > 0,
      failingTarget: async (index) => {
        temp ??= await makeTemp();
        return path.join(temp, `failing-${index}.csv`);
      },
    });
    const finished = await finishCliSqlRun(found, run, plan, watchesOf, {
      sha256: await digestFiles(files, cwd),
    });
    closePasses = finished.close;
    return { ...finished.done, close };
  } catch (error) {
    await close();
    throw duckdbFailure(error, reading, memoryLimit) ?? error;
  }
}

/**
 * Whether `error` is DuckDB failing on a rejected line it cut inside a character: it keeps the
 * first 10,000 bytes of a rejected line (cutting a character of several bytes in two) and then
 * refuses the text it cut.
 */
function isCutInsideCharacter(error: unknown): boolean {
  return error instanceof Error && /^Invalid Input Error: Invalid unicode/.test(error.message);
}

/** DuckDB's own error (a file it cannot read, memory it lacks) in words; undefined for any other. */
function duckdbFailure(
  error: unknown,
  reading: string | undefined,
  memoryLimit: string | undefined,
): SqlRunError | undefined {
  // what the run says in its own words first (as the command's catch orders them)
  if (!(error instanceof Error) || sqlStopMessage(error) !== undefined) return undefined;
  if (/^(IO|Invalid Input|Conversion) Error/.test(error.message)) {
    // DuckDB's own words name the file and line; a value it quotes ('…') is left out
    const first = (error.message.split('\n')[0] as string)
      .replace(/'[^']*'/g, '(a value)')
      .replace(/\.+$/, '');
    return new SqlRunError(
      `DuckDB cannot read ${reading === undefined ? 'the input' : `"${reading}"`}: ${first}. Check it with the default engine, which says where the file breaks: use the default engine (leave out --engine duckdb).`,
    );
  }
  // DuckDB spills to disk beyond the limit, but some of its steps need a minimum in memory
  if (error.message.startsWith('Out of Memory Error'))
    return new SqlRunError(
      memoryLimit
        ? `DuckDB needs more memory than --memory-limit ${memoryLimit} allows for these files. Raise the limit (it spills to disk above it).`
        : 'DuckDB ran out of memory. Set --memory-limit below the free memory so it spills to disk, or use the default engine (leave out --engine duckdb).',
    );
  return undefined;
}
