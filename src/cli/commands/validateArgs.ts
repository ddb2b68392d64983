/**
 * The options of `preflight validate` that decide which files a run reads and how, read apart from
 * the command's table (validate.ts) so that each engine's file reads them without importing it:
 * which options belong to CSV files and which to FHIR files, whether one was given, and the
 * values of `--decimal` and `--int96`. A value that is not one of those allowed is a UsageError
 * naming the option, never the value.
 */
import type { Int96Reading } from '../../core/parquet/index.ts';
import type { DecimalMark } from '../../core/validation/index.ts';
import { type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';

/** Options that only CSV validation reads: refused with --fhir (FHIR files have no columns or layout). */
export const CSV_ONLY_OPTIONS = [
  'schema',
  'key',
  'references',
  'demographics',
  'encoding',
  'delimiter',
  'no-header',
  'decimal',
  'int96',
  'workers',
  'mapping',
  'failing-rows',
  'fail-on-empty',
] as const;
/** Options that only FHIR file validation reads: refused without --fhir. */
export const FHIR_FILES_ONLY_OPTIONS = ['outcomes', 'outcomes-format', 'allow-example-urls'] as const;
/** Options of the FHIR layers and profiles: with --fhir, --mapping or --project only. */
export const FHIR_LAYER_OPTIONS = ['skip', 'unknown-extensions', 'ig', 'profile', 'terminology'] as const;

/** Whether the option `name` of the table `options` was given (any value). */
export function optionGiven(options: readonly OptionSpec[], args: ParsedArgs, name: string): boolean {
  const spec = options.find((o) => o.name === name);
  if (spec?.type === 'boolean') return args.flag(name);
  return spec?.multiple ? args.strings(name).length > 0 : args.string(name) !== undefined;
}

/** `--decimal`: the decimal mark of every CSV file's numbers; undefined: detected. */
export function decimalOption(args: ParsedArgs): DecimalMark | undefined {
  const value = args.string('decimal');
  if (value === undefined) return undefined;
  if (value === '.' || value === ',') return value;
  throw new UsageError('--decimal must be "." or ","');
}

/** `--int96`: how Parquet INT96 timestamps are read; undefined: by the writer's convention. */
export function int96Option(args: ParsedArgs): Int96Reading | undefined {
  const value = args.string('int96');
  if (value === undefined) return undefined;
  if (value === 'utc' || value === 'local') return value;
  throw new UsageError('--int96 must be utc or local');
}
