/**
 * What the SQL engines' runs of `preflight validate` (`--engine duckdb`, `--engine postgres`) do
 * alike around their engine, written once: the options each refuses, the report checked against
 * its format, rehearsed and written where `--report` asks, and the words of what stops a run.
 * Their commands (commands/validateDuckdb.ts, commands/validatePostgres.ts) parse and print.
 */
import { SqlCompileError } from '../core/sql/index.ts';
import { runStopMessage, SqlRunError } from '../core/validation/index.ts';
import { loadReport, type Report } from '../formats/report.ts';
import { type CliIo, type ParsedArgs, UsageError } from './command.ts';
import { Unusable, writeReportFile } from './commands/validateOptions.ts';
import { type RehearsalInputs, withRehearsal } from './commands/validateRehearsal.ts';
import { yieldToSignals } from './runFolders.ts';

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

/**
 * The engine's report checked against `preflight.report/v1` (a report that does not meet it is
 * this program's fault), with the rehearsal's comparison and waivers, written where `--report`
 * asks (claimed at the run's start).
 */
export async function finishSqlReport(
  report: Report,
  engineName: string,
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs,
  started: Date,
): Promise<Report> {
  const loaded = loadReport(report);
  if (!loaded.ok)
    throw new Error(
      `the ${engineName} engine's report does not meet preflight.report/v1: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  const rehearsed = await withRehearsal(report, rehearsal, started, { pause: yieldToSignals });
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
