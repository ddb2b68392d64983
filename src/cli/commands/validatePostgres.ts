/**
 * `preflight validate --engine postgres --database <url> --table <name>… [--load <file.csv>…]`:
 * the run's plan (core `planRun`) executed as SQL on a PostgreSQL server where the extract already
 * lives (core `runSqlChecks` over ../postgresEngine.ts), written as the same `preflight.report/v1`
 * with `engine: "postgres"`, so `--compare`, waivers and Readiness take it as any other report.
 * `--load` first copies each CSV file into its new table (in `--table` order) with each record's
 * data row in `preflight_row`; the report then names the file, with its layout and SHA-256, as the
 * default engine's does. Without `--load` the report names the tables. `--project` binds each file
 * (or table, by its columns) to a saved check set as the default engine binds it; `--failing-rows`
 * and waivers limited to rows take the failing records read back, through the default engine's
 * pass (core `finishSqlRun`). This file parses the options; the run is ../postgresEngine.ts
 * `runOnPostgres`, what the report says is the core's, and ../sqlCommand.ts prints it.
 */
import { createRequire } from 'node:module';
import { DEFAULT_EXAMPLES } from '../../core/sql/index.ts';
import { type CliIo, EXIT_USAGE, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { refuseOptions, runSqlCommand, sqlStopMessage } from '../sqlCommand.ts';
import { terminalText } from '../terminalText.ts';
import { planFromArgs } from './validateOptions.ts';
import type { RunProject } from './validateProject.ts';
import type { RehearsalInputs } from './validateRehearsal.ts';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** The most failing rows per check `--examples` asks for: the report lists no more per issue. */
const MAX_EXAMPLES = DEFAULT_EXAMPLES;

/** The options of `validate --engine postgres`. */
export const POSTGRES_OPTIONS: OptionSpec[] = [
  {
    name: 'database',
    type: 'string',
    valueName: 'url',
    description:
      'with --engine postgres: the server and database, postgres://user@host/db; with --engine trino: the server, http://user@host:8080/catalog/schema',
  },
  {
    name: 'table',
    type: 'string',
    multiple: true,
    valueName: 'name',
    description: 'with --engine postgres or trino: a table to check (its records numbered by preflight_row)',
  },
  {
    name: 'load',
    type: 'string',
    multiple: true,
    valueName: 'file.csv',
    description:
      'with --engine postgres: first copy this CSV into a new table of that name (one per --table)',
  },
  {
    name: 'examples',
    type: 'string',
    valueName: 'k',
    description: `with --engine postgres or trino: failing rows the database sends per check, 0 to ${MAX_EXAMPLES} (default ${DEFAULT_EXAMPLES}, as many as the report lists)`,
  },
  {
    name: 'wait',
    type: 'string',
    valueName: 'seconds',
    description:
      'with --engine trino, snowflake or databricks: how long each query may run before it is cancelled (default 3600)',
  },
  {
    name: 'explain',
    type: 'boolean',
    description:
      "with --engine postgres: print each table's estimate (records to read, from PostgreSQL's plan) and stop, checking nothing",
  },
];

/** `--examples k`, checked: a whole number from 0 to {@link MAX_EXAMPLES}. */
export function examplesOf(args: ParsedArgs): number | undefined {
  const text = args.string('examples');
  if (text === undefined) return undefined;
  const k = Number(text);
  if (!/^[0-9]+$/.test(text) || k > MAX_EXAMPLES)
    throw new UsageError(`--examples takes a whole number from 0 to ${MAX_EXAMPLES}`);
  return k;
}

/** `--database`, `--table` and `--load` on another engine: refused, never ignored. */
export function refusePostgresOnly(args: ParsedArgs): void {
  const say = (name: string) => `--${name} needs --engine postgres`;
  const flag = POSTGRES_OPTIONS.find((o) => o.type === 'boolean' && args.flag(o.name));
  if (flag) throw new UsageError(say(flag.name));
  refuseOptions(
    args,
    POSTGRES_OPTIONS.filter((o) => o.type !== 'boolean').map((o) => o.name),
    say,
  );
}

/** Options of `validate` the PostgreSQL engine has no use for: refused, never ignored. */
const NOT_ON_POSTGRES = ['workers', 'no-header', 'memory-limit', 'wait'] as const;

/**
 * `--schema` values with a table's name (`patients=c.json`) given as the name of the file loaded
 * into it: with `--load` the run's inputs are the files, and the options name the tables as they
 * name files (docs/cli.md). A value naming no table, or a file, is left as it is.
 */
export function contractsByInput(
  values: readonly string[],
  tables: readonly string[],
  loads: readonly string[],
): string[] {
  if (loads.length === 0) return [...values];
  return values.map((value) => {
    const at = value.indexOf('=');
    const index = at > 0 ? tables.indexOf(value.slice(0, at)) : -1;
    return index < 0 ? value : `${loads[index]}${value.slice(at)}`;
  });
}

/** The load file of the longest table name `value` starts with followed by a dot, and its length. */
function tableAt(value: string, tables: readonly string[], loads: readonly string[]) {
  let found: { load: string; length: number } | undefined;
  for (const [i, table] of tables.entries())
    if (value.startsWith(`${table}.`) && table.length > (found?.length ?? -1))
      found = { load: loads[i] as string, length: table.length };
  return found;
}

/**
 * `--key <table>.<column>` values with the table's name given as the file loaded into it (its
 * name without folder and extension, as `--key` names a file); with no `--load`, or a value naming
 * no table, as they are.
 */
export function keysByInput(
  values: readonly string[],
  tables: readonly string[],
  loads: readonly string[],
): string[] {
  if (loads.length === 0) return [...values];
  return values.map((value) => {
    const table = tableAt(value, tables, loads);
    if (table === undefined) return value;
    const base = table.load.slice(table.load.lastIndexOf('/') + 1);
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    return `${stem}${value.slice(table.length)}`;
  });
}

/**
 * `--references <table>.<column>=<table>.<column>` values with each table's name given as the file
 * loaded into it; with no `--load`, or a side naming no table, as they are.
 */
export function referencesByInput(
  values: readonly string[],
  tables: readonly string[],
  loads: readonly string[],
): string[] {
  if (loads.length === 0) return [...values];
  const side = (text: string) => {
    const table = tableAt(text, tables, loads);
    return table === undefined ? text : `${table.load}${text.slice(table.length)}`;
  };
  return values.map((value) => {
    const at = value.indexOf('=');
    return at < 0 ? value : `${side(value.slice(0, at))}=${side(value.slice(at + 1))}`;
  });
}

/**
 * Runs `validate --engine postgres` (see the file header). `--mapping` is refused: a mapping makes
 * each record into another one checked in this program, never in SQL (docs/decisions).
 */
export function validateWithPostgres(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
  project?: RunProject,
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
  if (args.strings('mapping').length > 0)
    throw new UsageError(
      '--mapping does not run on --engine postgres: a mapping turns each record into a new one that this program checks, which the database cannot do. Check the CSV file with --mapping on the default engine (leave out --engine postgres); for a table already on the server, save it as a CSV file in preflight_row order first, as docs/scale.md shows.',
    );
  refuseOptions(args, NOT_ON_POSTGRES, (name) => `--${name} does not run on --engine postgres: leave it out`);
  const examples = examplesOf(args);
  const planOf = (inputs: readonly string[], sources: Parameters<typeof planFromArgs>[3]) =>
    planFromArgs(
      args,
      io.cwd,
      inputs,
      sources,
      contractsByInput(args.strings('schema'), tables, loads),
      project,
      {
        keys: keysByInput(args.strings('key'), tables, loads),
        references: referencesByInput(args.strings('references'), tables, loads),
      },
    );
  if (args.flag('explain')) {
    if (loads.length > 0)
      throw new UsageError(
        '--explain plans the tables already on the server: load the files first (--load without --explain)',
      );
    return explainTables(io, { database, tables, planOf, ...(examples === undefined ? {} : { examples }) });
  }
  const started = new Date();
  const t0 = performance.now();
  const demographics = args.string('demographics');
  const words = { engine: 'PostgreSQL', countInstead: 'Check the CSV file with the default engine' };
  return runSqlCommand(args, io, rehearsal, project, started, words, async () => {
    // loaded only here: the other engines never load the PostgreSQL client
    const { runOnPostgres } = await import('../postgresEngine.ts');
    return runOnPostgres({
      database,
      tables,
      loads,
      cwd: io.cwd,
      planOf,
      ...(examples === undefined ? {} : { examples }),
      ...(project ? { project } : {}),
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      ...(demographics === undefined ? {} : { demographics }),
      waivers: rehearsal.waivers ?? [],
      failingRows: args.string('failing-rows') !== undefined,
      toolVersion: VERSION,
      started,
      t0,
    });
  });
}

/**
 * `--explain`: each table's estimate printed, one line each, before anything runs; exit 0 without
 * running. What stops it (no connection, a table missing) is said as a usage error (exit 2).
 */
async function explainTables(
  io: CliIo,
  run: Parameters<typeof import('../postgresEngine.ts').explainOnPostgres>[0],
): Promise<number> {
  const { explainOnPostgres } = await import('../postgresEngine.ts');
  let estimates: Awaited<ReturnType<typeof explainOnPostgres>>;
  try {
    estimates = await explainOnPostgres(run);
  } catch (error) {
    const stop = sqlStopMessage(error);
    if (stop === undefined) throw error;
    io.stderr(`preflight validate: ${stop}`);
    return EXIT_USAGE;
  }
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');
  for (const e of estimates) {
    io.stdout(
      `${terminalText(e.table)}: about ${whole(e.records)} records to read; the checks read the table ${e.reads} times (PostgreSQL's estimate, cost ${whole(e.cost)}). Nothing was checked.`,
    );
    for (const s of e.shards ?? [])
      io.stdout(
        `  ${terminalText(s.part)}${s.server === undefined ? ' (on this server)' : ` on server ${terminalText(s.server)}`}: about ${whole(s.records)} records.`,
      );
  }
  return 0;
}
