/**
 * What an SQL engine's run of `preflight validate` (`--engine postgres`) does around its engine:
 * the options it refuses, the outputs claimed for the run, the report checked against its format,
 * rehearsed and written where `--report` asks, the failing rows written where `--failing-rows`
 * asks, what is printed, and the words of what stops a run. Its command
 * (commands/validatePostgres.ts) parses the options and hands the engine's run
 * ({@link SqlRunDone}) to {@link runSqlCommand}.
 */
import { SqlCompileError } from '../core/sql/index.ts';
import {
  type FailingRowsFormat,
  type finishSqlRun,
  type HeaderMismatch,
  headerLines,
  planBindingLines,
  type RunPlan,
  runStopMessage,
  SqlRunError,
  summaryText,
} from '../core/validation/index.ts';
import { loadReport, type Report } from '../formats/report.ts';
import { type CliIo, EXIT_USAGE, type ParsedArgs, UsageError, writeResult } from './command.ts';
import {
  PROJECT_OVERRIDES,
  runVerdict,
  Unusable,
  writeFailingRowsFile,
  writeReportFile,
} from './commands/validateOptions.ts';
import { overridingOptions, type RunProject, withProjectTrace } from './commands/validateProject.ts';
import { type RehearsalInputs, withRehearsal, withRehearsalText } from './commands/validateRehearsal.ts';
import { failingRowsFormat, writeFailingRowInputs, writeFailingRowText } from './failingRowsFile.ts';
import { yieldToSignals } from './runFolders.ts';
import { oneLineStrings } from './terminalText.ts';
import { withClaimedOutputs } from './wholeFiles.ts';

/** What an SQL engine's run found (PostgreSQL's); `close` it once the failing rows are written. */
export interface SqlRunDone {
  report: Report;
  plan: RunPlan;
  headerMismatches: HeaderMismatch[];
  /** the waivers limited to rows whose problem this engine could not count */
  uncounted: string[];
  /** every problem of the failing rows, by the default engine's pass, for the report as rehearsed */
  failingRowInputs: Awaited<ReturnType<typeof finishSqlRun>>['failingRowInputs'];
  /**
   * the export of every failing row written by the engine where the data lives (PostgreSQL):
   * `write` is given the export's text, a batch at a time, and awaited; returns the records
   */
  writeFailingRows?: (
    options: { format: FailingRowsFormat; report: Report; redact: boolean },
    write: (text: string) => Promise<void>,
  ) => Promise<number>;
  /** how the engine ran where that differs from table to table (a table checked per shard), in words */
  engineLines?: readonly string[];
  close: () => Promise<void>;
}

/**
 * Refuses the first of `names` given (never ignored), in the words `say` gives it. `--no-header`
 * is the only flag among the options an engine refuses; the others are string options.
 */
export function refuseOptions(
  args: ParsedArgs,
  names: readonly string[],
  say: (name: string) => string,
): void {
  const given = names.find((name) =>
    name === 'no-header' ? args.flag(name) : args.strings(name).length > 0,
  );
  if (given !== undefined) throw new UsageError(say(given));
}

/** How an SQL engine's command says its run. */
interface SqlCommandWords {
  /** the engine's name in sentences: PostgreSQL */
  engine: string;
  /** what to do to count the rows of a waiver this engine could not count */
  countInstead: string;
  /** advice said before the verdict, when there is some */
  advice?: string;
}

/**
 * A whole SQL engine's command once its options are read: the outputs claimed, the engine's run
 * (`ran`), its report rehearsed and written, the failing rows written, then the summary (or the
 * report as JSON) printed; what stops the run said as a usage error (exit 2). Returns the exit code.
 */
export function runSqlCommand(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs,
  project: RunProject | undefined,
  started: Date,
  words: SqlCommandWords,
  ran: () => Promise<SqlRunDone>,
): Promise<number> {
  const failingRowsFile = args.string('failing-rows');
  // the report is claimed for the whole run: a killed run is named by the next (wholeFiles.ts)
  return withClaimedOutputs([args.string('report'), failingRowsFile], io, async () => {
    let done: SqlRunDone | undefined;
    try {
      done = await ran();
      const run = done;
      const rehearsed = await finishSqlReport(
        run.report,
        words.engine,
        args,
        io,
        rehearsal,
        started,
        project,
      );
      if (failingRowsFile !== undefined)
        await writeFailingRowsFile(failingRowsFile, async () => {
          const written = run.writeFailingRows;
          if (written) {
            const format = failingRowsFormat(failingRowsFile);
            await writeFailingRowText(failingRowsFile, io.cwd, (write) =>
              written({ format, report: rehearsed, redact: args.flag('redact') }, write),
            );
            return;
          }
          const failing = await run.failingRowInputs(rehearsed);
          await writeFailingRowInputs(
            failingRowsFile,
            io.cwd,
            failing.inputs,
            failing.report,
            args.flag('redact'),
          );
        });
      const verdict = runVerdict(rehearsed, args.flag('fail-on-empty'));
      const inputs = run.report.inputs.map((i) => i.name);
      // what each file was bound to: on stdout before the summary, on stderr beside the JSON
      const projectLines = planBindingLines(project, run.plan, {
        // the contracts as this engine's report names them, each key once
        contracts: Object.fromEntries(run.report.inputs.map((i) => [i.name, i.schema])),
        keys: Object.fromEntries(
          inputs.map((f) => [
            f,
            [
              ...new Set(
                run.plan.keys.filter((k) => k.file === undefined || k.file === f).map((k) => k.column),
              ),
            ],
          ]),
        ),
        mapped: new Set(),
        savedMapped: new Set(),
        demographicsGiven: args.string('demographics') !== undefined,
        overriding: overridingOptions(args, PROJECT_OVERRIDES),
      });
      // waivers limited to rows whose problem this engine could not count: said, rather than
      // accepting less than the default engine without a word
      const { uncounted } = run;
      const waiverLines = [
        ...(rehearsal.waiverLines ?? []),
        ...(uncounted.length > 0
          ? [
              `Rows not counted by the ${words.engine} engine for ${uncounted.length === 1 ? 'the waiver' : 'the waivers'} ${uncounted.join(', ')} (a problem of blank or unreadable records, which this engine does not check as the default engine does): ${uncounted.length === 1 ? 'it accepts' : 'each accepts'} a problem only when the report's examples list every occurrence. ${words.countInstead} to count the rows.`,
            ]
          : []),
      ];
      const engineLines = oneLineStrings(run.engineLines ?? []);
      const aside = [...projectLines, ...engineLines, ...waiverLines];
      if (args.flag('json') && aside.length > 0) io.stderr(aside.join('\n'));
      writeResult(
        io,
        args.flag('json'),
        args.flag('json')
          ? JSON.stringify(rehearsed, null, 2)
          : [
              ...projectLines,
              ...engineLines,
              ...headerLines(oneLineStrings(run.headerMismatches)),
              withRehearsalText(
                summaryText(oneLineStrings(rehearsed)),
                oneLineStrings(rehearsed),
                waiverLines,
              ),
              // advice before the verdict, so the verdict stays the last line a pipeline reads
              ...(words.advice === undefined ? [] : [words.advice]),
              verdict.line,
            ].join('\n'),
      );
      return verdict.exit;
    } catch (error) {
      const stop = sqlStopMessage(error);
      if (stop === undefined) throw error;
      io.stderr(`preflight validate: ${stop}`);
      return EXIT_USAGE;
    } finally {
      await done?.close();
    }
  });
}

/**
 * The engine's report checked against `preflight.report/v1` (a report that does not meet it is
 * this program's fault), with the rehearsal's comparison and waivers and, with `--project`, what
 * uses each failing issue's data, written where `--report` asks (claimed at the run's start).
 */
async function finishSqlReport(
  report: Report,
  engineName: string,
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs,
  started: Date,
  project: RunProject | undefined,
): Promise<Report> {
  const loaded = loadReport(report);
  if (!loaded.ok)
    throw new Error(
      `the ${engineName} engine's report does not meet preflight.report/v1: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  const rehearsed = withProjectTrace(
    await withRehearsal(report, rehearsal, started, { pause: yieldToSignals }),
    project?.project,
  );
  await writeReportFile(args, io, rehearsed, true);
  return rehearsed;
}

/**
 * What stops an SQL engine's run as a usage error (exit 2), in its words: an input that cannot be
 * used, what the SQL run refuses, what stops the default engine's reader, SQL that does not
 * compile. Undefined for anything else (the engine's own errors, a bug).
 */
export function sqlStopMessage(error: unknown): string | undefined {
  if (error instanceof Unusable || error instanceof SqlRunError) return error.message;
  const stop = runStopMessage(error);
  if (stop !== undefined) return stop;
  return error instanceof SqlCompileError ? `${error.message}.` : undefined;
}
