/**
 * What the engines of `preflight validate` read from the command line: the run's plan from the
 * options (`--schema`, `--key`, `--references`, `--project`, the layout options), the contract
 * files, and where the report is written. The plan itself is the core's (`planFromValues`); this
 * file only reads files and hands it the option values. Imported by validate.ts and
 * validatePostgres.ts.
 */
import path from 'node:path';
import { type CsvLayout, parseEncodingName, TEXT_ENCODINGS } from '../../core/csv/index.ts';
import { contractTooLarge, MAX_CONTRACT_BYTES, readContractBytes } from '../../core/mapping/index.ts';
import {
  type CompiledContract,
  type CsvSource,
  compileContract as compileRunContract,
  contractCompileProblem,
  contractProblemText,
  PlanUsageError,
  planFromValues,
  type RunContract,
  type RunPlan,
  runVerdict as verdictOf,
} from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { type CliIo, EXIT_FINDINGS, EXIT_OK, type ParsedArgs, UsageError } from '../command.ts';
import { readSmallBytesFile } from '../openFiles.ts';
import { registerContract } from '../validateWorkers.ts';
import { noteInterruptedWrite, writeFailure, writeWholeFile } from '../wholeFiles.ts';
import type { RunProject } from './validateProject.ts';

/** Thrown for an input that cannot be used; the command returns 2. */
export class Unusable extends Error {}

/** Options that replace a project's settings when given with --project (CSV files). */
export const PROJECT_OVERRIDES = [
  'schema',
  'mapping',
  'key',
  'references',
  'demographics',
  'encoding',
  'delimiter',
  'no-header',
  'decimal',
] as const;

/**
 * A contract file: a JSON Schema of rows, or a Frictionless Table Schema converted by the mapping
 * engine (its unique fields and one-field primary key become keys, its one-field foreign keys
 * references, what is not checked is listed as such).
 */
async function readContract(file: string, cwd: string): Promise<RunContract> {
  const bytes = await readSmallBytesFile(
    file,
    cwd,
    { what: 'contract', maxBytes: MAX_CONTRACT_BYTES, tooLarge: (size) => contractTooLarge(file, size) },
    (message) => new Unusable(message),
  );
  // the core's reader, as the Migration screen reads a contract: the same problem in the same words
  const read = readContractBytes(file, bytes);
  if (!read.ok) throw new Unusable(contractProblemText(read.problem));
  return read.contract;
}

/** `--encoding`, `--delimiter` and `--no-header`: the layout given, over what is detected. */
function layoutOverrides(args: ParsedArgs): Partial<CsvLayout> {
  const given: Partial<CsvLayout> = {};
  const encoding = args.string('encoding');
  if (encoding !== undefined) {
    const parsed = parseEncodingName(encoding);
    if (!parsed) throw new UsageError(`--encoding must be one of: ${TEXT_ENCODINGS.join(', ')}`);
    given.encoding = parsed;
  }
  const delimiter = args.string('delimiter');
  if (delimiter !== undefined) {
    const value = delimiter === 'tab' || delimiter === '\\t' ? '\t' : delimiter;
    if (value.length !== 1 || value === '"' || value === '\r' || value === '\n')
      throw new UsageError('--delimiter takes one character (or "tab")');
    given.delimiter = value;
  }
  if (args.flag('no-header')) given.header = false;
  return given;
}

/**
 * The run's plan from the command line: `files` are the run's files, `sources` its CSV files
 * opened (bound to the project's check sets by header), `contractValues` the `--schema` values
 * that are column contracts. Bad option values are usage errors (exit 2).
 */
export async function planFromArgs(
  args: ParsedArgs,
  cwd: string,
  files: readonly string[],
  sources: readonly CsvSource[],
  contractValues: readonly string[],
  project: RunProject | undefined,
  /** `--key` and `--references` as the files name them, when the options name something else (tables) */
  named: { keys: string[]; references: string[] } = {
    keys: args.strings('key'),
    references: args.strings('references'),
  },
): Promise<{ plan: RunPlan; given: Partial<CsvLayout> }> {
  return usage(() =>
    planFromValues({
      files,
      contracts: contractValues,
      keys: named.keys,
      references: named.references,
      layout: () => layoutOverrides(args),
      sources,
      ...(project ? { project } : {}),
      readContract: (file) => readContract(file, cwd),
    }),
  );
}

/** `step`'s result, a bad option value it finds (the core's `PlanUsageError`) a usage error (exit 2). */
export async function usage<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof PlanUsageError ? new UsageError(error.message) : error;
  }
}

/** What a run's exit code rests on (core `runVerdict`), as the command's exit code and line. */
export function runVerdict(report: Report, failOnEmpty: boolean): { exit: number; line: string } {
  const verdict = verdictOf(report, failOnEmpty);
  return { exit: verdict.fails ? EXIT_FINDINGS : EXIT_OK, line: verdict.line };
}

/** Writes the report where `--report` asks (nothing when it is not given). */
export async function writeReportFile(
  args: ParsedArgs,
  io: CliIo,
  report: Report,
  /** the run claimed its outputs at its start (wholeFiles.ts `claimOutputs`): the `.partial` copy is its own */
  claimed = false,
): Promise<void> {
  const reportFile = args.string('report');
  if (reportFile === undefined) return;
  const target = path.resolve(io.cwd, reportFile);
  try {
    if (!claimed) await noteInterruptedWrite(target, reportFile, io);
    await writeWholeFile(target, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new Unusable(`cannot write the report to "${reportFile}": ${writeFailure(error)}.`);
  }
}

/**
 * Writes the failing rows where `--failing-rows` asks (`write`, the engine's writer); a file-system
 * error (one with a `code`) is an output that cannot be used.
 */
export async function writeFailingRowsFile(file: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new Unusable(`cannot write the failing rows to "${file}": ${writeFailure(error)}.`);
  }
}

/** A contract compiled once for the run (the core's compile), its full validator registered for the workers. */
export async function compileContract(name: string, read: RunContract): Promise<CompiledContract> {
  const result = await compileRunContract(read.contract);
  if (!result.ok) throw new Unusable(contractProblemText(contractCompileProblem(name, result.problems)));
  registerContract(result.validate, read.contract);
  return { plan: result.plan, validate: result.validate };
}
