/**
 * `preflight validate --engine trino --database http://user@host:8080/catalog/schema --table <name>…`
 * and `--engine snowflake --database https://<account>.snowflakecomputing.com/<db>/<schema>?warehouse=<wh>`
 * (the token in the environment), or `--engine databricks --database https://<workspace>/<catalog>/<schema>?warehouse=<id>`:
 * the run's plan executed where the tables live
 * (../warehouseEngine.ts), written as the same `preflight.report/v1` with `engine` naming the
 * warehouse. What a warehouse engine does not do (loading files, failing records written out,
 * duplicate keys, references, mappings) is refused by name before anything runs. This file parses
 * the options; ../sqlCommand.ts prints.
 */
import { createRequire } from 'node:module';
import { type CliIo, type ParsedArgs, UsageError } from '../command.ts';
import { refuseOptions, runSqlCommand } from '../sqlCommand.ts';
import { runOnWarehouse, WAREHOUSE_NAMES, type WarehouseEngine } from '../warehouseEngine.ts';
import { statementWait } from '../warehouseWait.ts';
import { planFromArgs } from './validateOptions.ts';
import { examplesOf } from './validatePostgres.ts';
import type { RunProject } from './validateProject.ts';
import type { RehearsalInputs } from './validateRehearsal.ts';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Options of `validate` a warehouse engine does not run: refused, never ignored. */
const NOT_ON_WAREHOUSE = [
  'load',
  'failing-rows',
  'key',
  'references',
  'demographics',
  'mapping',
  'workers',
  'no-header',
  'memory-limit',
] as const;

/** The address each warehouse's `--database` takes. */
const ADDRESS: Record<WarehouseEngine, string> = {
  trino: 'http://user@host:8080/catalog/schema',
  snowflake: 'https://<account>.snowflakecomputing.com/<database>/<schema>?warehouse=<name>',
  databricks: 'https://<workspace>/<catalog>/<schema>?warehouse=<id>',
};

/** The longest `--wait` taken: a week, Snowflake's own longest statement timeout. */
const LONGEST_WAIT_SECONDS = 604_800;

/** `--wait <seconds>`, checked: a whole number from 1 to {@link LONGEST_WAIT_SECONDS}. */
function waitOf(args: ParsedArgs): number | undefined {
  const text = args.string('wait');
  if (text === undefined) return undefined;
  const seconds = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 1 && seconds <= LONGEST_WAIT_SECONDS))
    throw new UsageError(
      `--wait takes a whole number of seconds from 1 to ${LONGEST_WAIT_SECONDS.toLocaleString('en-US')}`,
    );
  return seconds;
}

/** Runs `validate --engine trino|snowflake|databricks` (see the file header). */
export function validateWithWarehouse(
  engine: WarehouseEngine,
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
  project?: RunProject,
): Promise<number> {
  const server = args.string('database');
  const tables = args.strings('table');
  if (server === undefined) throw new UsageError(`--engine ${engine} needs --database <${ADDRESS[engine]}>`);
  if (tables.length === 0) throw new UsageError(`--engine ${engine} needs --table <name> for each table`);
  if (args.operands.length > 0)
    throw new UsageError(`with --engine ${engine} the data is in tables: name them with --table`);
  if (args.flag('explain')) throw new UsageError('--explain is for --engine postgres: leave it out');
  refuseOptions(
    args,
    NOT_ON_WAREHOUSE,
    (name) =>
      `--${name} does not run on --engine ${engine}: leave it out, or check the CSV files with the default engine`,
  );
  const examples = examplesOf(args);
  const wait = waitOf(args);
  const started = new Date();
  const t0 = performance.now();
  const words = {
    engine: WAREHOUSE_NAMES[engine],
    countInstead: 'Check the CSV file with the default engine',
  };
  return runSqlCommand(args, io, rehearsal, project, started, words, async () => {
    return runOnWarehouse({
      engine,
      server,
      env: process.env,
      tables,
      cwd: io.cwd,
      planOf: (inputs, sources) =>
        planFromArgs(args, io.cwd, inputs, sources, args.strings('schema'), project),
      ...(examples === undefined ? {} : { examples }),
      ...(wait === undefined ? {} : { wait: statementWait(wait) }),
      ...(project ? { project } : {}),
      redact: args.flag('redact'),
      continueOnHeaderMismatch: args.flag('continue-on-header-mismatch'),
      waivers: rehearsal.waivers ?? [],
      toolVersion: VERSION,
      started,
      t0,
    });
  });
}
