/**
 * `preflight validate --engine postgres --database <url> --table <name>… [--load <file.csv>…]`:
 * the run's plan (core `planRun`) executed as SQL on a PostgreSQL server where the extract already
 * lives (core `runSqlChecks` over ../postgresEngine.ts), written as the same `preflight.report/v1`
 * with `engine: "postgres"`, so `--compare`, waivers and Readiness take it as any other report.
 * `--load` first copies each CSV file into its new table (in `--table` order) with each record's
 * data row in `preflight_row`; the report then names the file, with its layout and SHA-256, as the
 * default engine's does. Without `--load` the report names the tables. This file parses and prints;
 * the run is ../postgresEngine.ts `runOnPostgres`, and what the report says is the core's.
 */
import { createRequire } from 'node:module';
import { headerLines, localDay, rowSetWatches, summaryText } from '../../core/validation/index.ts';
import { type CliIo, EXIT_USAGE, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { finishSqlReport, refuseOptions, sqlStopMessage } from '../sqlCommand.ts';
import { planFromArgs, runVerdict } from './validateOptions.ts';
import { type RehearsalInputs, withRehearsalText } from './validateRehearsal.ts';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** The options of `validate --engine postgres`. */
export const POSTGRES_OPTIONS: OptionSpec[] = [
  {
    name: 'database',
    type: 'string',
    valueName: 'url',
    description: 'with --engine postgres: the server and database, postgres://user@host/db',
  },
  {
    name: 'table',
    type: 'string',
    multiple: true,
    valueName: 'name',
    description: 'with --engine postgres: a table to check (its records numbered by preflight_row)',
  },
  {
    name: 'load',
    type: 'string',
    multiple: true,
    valueName: 'file.csv',
    description:
      'with --engine postgres: first copy this CSV into a new table of that name (one per --table)',
  },
];

/** `--database`, `--table` and `--load` on another engine: refused, never ignored. */
export function refusePostgresOnly(args: ParsedArgs): void {
  refuseOptions(
    args,
    POSTGRES_OPTIONS.map((o) => o.name),
    (name) => `--${name} needs --engine postgres`,
  );
}

/** Options of `validate` the PostgreSQL engine does not run: refused, never ignored. */
const NOT_ON_POSTGRES = [
  'mapping',
  'workers',
  'no-header',
  'memory-limit',
  'failing-rows',
  'project',
] as const;

/** Runs `validate --engine postgres` (see the file header). */
export async function validateWithPostgres(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
): Promise<number> {
  const database = args.string('database');
  const tables = args.strings('table');
  const loads = args.strings('load');
  if (database === undefined) throw new UsageError('--engine postgres needs --database <postgres://…>');
  if (tables.length === 0) throw new UsageError('--engine postgres needs --table <name> for each table');
  if (args.operands.length > 0)
    throw new UsageError(
      'with --engine postgres the data is in tables: name them with --table (and a CSV to load into each with --load)',
    );
  if (loads.length > 0 && loads.length !== tables.length)
    throw new UsageError('--load takes one CSV file per --table, in the same order');
  refuseOptions(args, NOT_ON_POSTGRES, (name) => `--${name} does not run on --engine postgres: leave it out`);
  const started = new Date();
  const t0 = performance.now();
  try {
    // loaded only here: the other engines never load the PostgreSQL client
    const { runOnPostgres } = await import('../postgresEngine.ts');
    const demographics = args.string('demographics');
    const { report, headerMismatches, inputs } = await runOnPostgres({
      database,
      tables,
      loads,
      cwd: io.cwd,
      planOf: (inputs, sources) =>
        planFromArgs(args, io.cwd, inputs, sources, args.strings('schema'), undefined),
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(demographics === undefined ? {} : { demographics }),
      toolVersion: VERSION,
      started,
      t0,
    });
    const rehearsed = await finishSqlReport(report, 'PostgreSQL', args, io, rehearsal, started);
    const verdict = runVerdict(rehearsed, args.flag('fail-on-empty'));
    // waivers limited to rows need the failing records, which this engine does not read back
    const uncounted = [
      ...new Set(
        inputs.flatMap((input) =>
          rowSetWatches(rehearsal.waivers ?? [], input, localDay(started)).map((w) => w.waiver),
        ),
      ),
    ];
    const waiverLines = [
      ...(rehearsal.waiverLines ?? []),
      ...(uncounted.length > 0
        ? [
            `Rows not counted by the PostgreSQL engine for ${uncounted.length === 1 ? 'the waiver' : 'the waivers'} ${uncounted.join(', ')}: a waiver limited to rows accepts nothing on this engine. Check the CSV file with the default engine to count its rows.`,
          ]
        : []),
    ];
    if (args.flag('json') && waiverLines.length > 0) io.stderr(waiverLines.join('\n'));
    io.stdout(
      args.flag('json')
        ? JSON.stringify(rehearsed, null, 2)
        : [
            ...headerLines(headerMismatches),
            withRehearsalText(summaryText(rehearsed), rehearsed, waiverLines),
            verdict.line,
          ].join('\n'),
    );
    return verdict.exit;
  } catch (error) {
    // PostgreSQL's own refusals are said by the engine's run (in its words, values left out)
    const stop = sqlStopMessage(error);
    if (stop === undefined) throw error;
    io.stderr(`preflight validate: ${stop}`);
    return EXIT_USAGE;
  }
}
