/**
 * The errors that stop a validation run because an input cannot be used (a usage error, exit 2,
 * in the CLI), with the words that say so, the same for every engine: a file no check set
 * matches, bytes not valid in the encoding, a record past the reader's bounds, an empty file, a
 * column that is not there, links that cannot be checked, a file that cannot be read. Their
 * messages name files, rows, columns and byte offsets, never a value.
 */
import { CsvRecordTooLongError, TextDecodeError } from '../csv/index.ts';
import { describeLocation, InputReadError } from '../jobs/errors.ts';
import { UnmatchedFilesError } from './runPlan.ts';
import { EmptyInputError, FullValidationRequiredError, UnknownColumnError } from './validateCsv.ts';
import { ReferenceCycleError, UnknownInputError } from './validateInputs.ts';

/** The names of those errors, as a worker reports them by name. */
export const RUN_STOP_ERRORS: ReadonlySet<string> = new Set([
  'CsvRecordTooLongError',
  'EmptyInputError',
  'UnknownColumnError',
  'FullValidationRequiredError',
  'InputReadError',
]);

/** What stops the run, in words; undefined for an error that is not the input's (a bug). */
export function runStopMessage(error: unknown): string | undefined {
  if (
    error instanceof UnmatchedFilesError ||
    error instanceof TextDecodeError ||
    error instanceof CsvRecordTooLongError ||
    error instanceof EmptyInputError ||
    error instanceof UnknownColumnError ||
    error instanceof FullValidationRequiredError ||
    error instanceof ReferenceCycleError ||
    error instanceof UnknownInputError
  )
    return error.message;
  if (error instanceof InputReadError)
    return `cannot read ${describeLocation(error.location)} (${error.causeName}).`;
  return undefined;
}
