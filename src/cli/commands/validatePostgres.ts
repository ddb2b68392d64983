/**
 * `preflight validate --engine postgres --database <url> --table <name>… [--load <file.csv>…]`:
 * the run's plan (core `planRun`) executed as SQL on a PostgreSQL server where the extract already
 * lives (core `runSqlChecks` over ../postgresEngine.ts), written as the same `preflight.report/v1`
 * with `engine: "postgres"`, so `--compare`, waivers and Readiness take it as any other report.
 * `--load` first copies each CSV file into its new table (in `--table` order) with each record's
 * data row in `preflight_row`; the report then names the file, with its layout and SHA-256, as the
 * default engine's does. Without `--load` the report names the tables. This file parses, connects
 * and prints; what the report says is the core's.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { withHeaderIssues } from '../../core/contract/index.ts';
import type { CsvLayout } from '../../core/csv/index.ts';
import { SqlCompileError } from '../../core/sql/index.ts';
import {
  detectLayout,
  headerLines,
  localDay,
  readRecordAt,
  rowSetWatches,
  runSqlChecks,
  runStopMessage,
  type SqlInputLayout,
  SqlRunError,
  type SqlTables,
  sqlReport,
  summaryText,
} from '../../core/validation/index.ts';
import { loadReport } from '../../formats/report.ts';
import { type CliIo, EXIT_USAGE, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { digestFiles } from '../fileDigests.ts';
import { openFilesForReading } from '../openFiles.ts';
import type { PostgresSession } from '../postgresEngine.ts';
import { planFromArgs, runVerdict, Unusable, writeReportFile } from './validateOptions.ts';
import { type RehearsalInputs, withRehearsal, withRehearsalText } from './validateRehearsal.ts';

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
  const given = POSTGRES_OPTIONS.find((o) =>
    o.multiple ? args.strings(o.name).length > 0 : args.string(o.name) !== undefined,
  );
  if (given) throw new UsageError(`--${given.name} needs --engine postgres`);
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
  for (const name of NOT_ON_POSTGRES) {
    const given =
      name === 'no-header'
        ? args.flag(name)
        : name === 'mapping'
          ? args.strings(name).length > 0
          : args.string(name) !== undefined;
    if (given) throw new UsageError(`--${name} does not run on --engine postgres: leave it out`);
  }
  // the report names the files loaded, or else the tables
  const inputs = loads.length > 0 ? loads : tables;
  const tableOfInput = new Map(inputs.map((input, i) => [input, tables[i] as string]));
  const started = new Date();
  const t0 = performance.now();
  let session: PostgresSession | undefined;
  try {
    const layouts = new Map<string, SqlInputLayout & { layout: CsvLayout }>();
    const opened = await openFilesForReading(loads, io.cwd, (m) => new Unusable(m));
    let plan: Awaited<ReturnType<typeof planFromArgs>>['plan'];
    try {
      const made = await planFromArgs(args, io.cwd, inputs, opened.files, args.strings('schema'), undefined);
      plan = made.plan;
      for (const source of opened.files) {
        const layout = await detectLayout(source, made.given);
        const header = (await readRecordAt(source, layout, 0)) ?? [];
        layouts.set(source.name, { layout, header, bytes: source.size });
      }
    } finally {
      await opened.close();
    }
    try {
      // loaded only here: the other engines never load the PostgreSQL client
      session = await (await import('../postgresEngine.ts')).openPostgres(database);
    } catch (error) {
      throw new Unusable(`cannot connect to the database: ${(error as Error).message}`);
    }
    for (const [i, file] of loads.entries()) {
      const sniffed = layouts.get(file);
      if (sniffed) await session.loadCsv(tables[i] as string, path.resolve(io.cwd, file), sniffed.layout);
    }
    const open = session;
    const engine: SqlTables = {
      ...open,
      load: (name, input) => open.load(name, tableOfInput.get(input) ?? input),
    };
    const found = await runSqlChecks(engine, {
      files: inputs,
      plan,
      layouts,
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(args.string('demographics') === undefined ? {} : { demographics: args.string('demographics') }),
      wantsFailingRecords: () => false,
      failingTarget: () => Promise.reject(new SqlRunError('no failing records on --engine postgres')),
    });
    const plain = sqlReport(found, {
      sha256: loads.length > 0 ? await digestFiles(loads, io.cwd) : {},
      generatedAt: new Date().toISOString(),
      startedAt: started.toISOString(),
      totalMs: Math.round(performance.now() - t0),
      toolVersion: VERSION,
      redact: args.flag('redact'),
      engine: 'postgres',
    });
    const report = withHeaderIssues(plain, found.headerMismatches);
    const loaded = loadReport(report);
    if (!loaded.ok)
      throw new Error(
        `the PostgreSQL engine's report does not meet preflight.report/v1: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
    const rehearsed = withRehearsal(report, rehearsal, started);
    await writeReportFile(args, io, rehearsed, true);
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
            ...headerLines(found.headerMismatches),
            withRehearsalText(summaryText(rehearsed), rehearsed, waiverLines),
            verdict.line,
          ].join('\n'),
    );
    return verdict.exit;
  } catch (error) {
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
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      // PostgreSQL's own words (a missing table, a refused login); a value it quotes is left out
      io.stderr(
        `preflight validate: PostgreSQL refused the run: ${(error as Error).message.replace(/'[^']*'/g, '(a value)').replace(/\.+$/, '')}.`,
      );
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await session?.close();
  }
}
