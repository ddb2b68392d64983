/**
 * `preflight validate --engine trino --database http://user@host:8080/catalog/schema --table <name>…`:
 * the run's plan executed on a Trino server where the tables live (../trinoEngine.ts), written as
 * the same `preflight.report/v1` with `engine: "trino"`. What the warehouse engine does not do
 * (loading files, failing records written out, duplicate keys, references, mappings) is refused by
 * name before anything runs. This file parses the options; ../sqlCommand.ts prints.
 */
import { createRequire } from 'node:module';
import { type CliIo, type ParsedArgs, UsageError } from '../command.ts';
import { refuseOptions, runSqlCommand } from '../sqlCommand.ts';
import { planFromArgs } from './validateOptions.ts';
import { examplesOf } from './validatePostgres.ts';
import type { RunProject } from './validateProject.ts';
import type { RehearsalInputs } from './validateRehearsal.ts';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Options of `validate` the Trino engine does not run: refused, never ignored. */
const NOT_ON_TRINO = [
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

/** Runs `validate --engine trino` (see the file header). */
export function validateWithTrino(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs = {},
  project?: RunProject,
): Promise<number> {
  const server = args.string('database');
  const tables = args.strings('table');
  if (server === undefined)
    throw new UsageError('--engine trino needs --database <http://user@host:8080/catalog/schema>');
  if (tables.length === 0) throw new UsageError('--engine trino needs --table <name> for each table');
  if (args.operands.length > 0)
    throw new UsageError('with --engine trino the data is in tables: name them with --table');
  if (args.flag('explain')) throw new UsageError('--explain is for --engine postgres: leave it out');
  refuseOptions(
    args,
    NOT_ON_TRINO,
    (name) =>
      `--${name} does not run on --engine trino: leave it out, or check the CSV files with the default engine`,
  );
  const examples = examplesOf(args);
  const started = new Date();
  const t0 = performance.now();
  const words = { engine: 'Trino', countInstead: 'Check the CSV file with the default engine' };
  return runSqlCommand(args, io, rehearsal, project, started, words, async () => {
    const { runOnTrino } = await import('../trinoEngine.ts');
    return runOnTrino({
      server,
      tables,
      cwd: io.cwd,
      planOf: (inputs, sources) =>
        planFromArgs(args, io.cwd, inputs, sources, args.strings('schema'), project),
      ...(examples === undefined ? {} : { examples }),
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
