/**
 * The errors that stop a validation run because an input cannot be used (a usage error, exit 2,
 * in the CLI), with the words that say so, the same for every engine: a file no check set
 * matches, bytes not valid in the encoding, a record past the reader's bounds, an empty file, a
 * column that is not there, links that cannot be checked, a file that cannot be read. Their
 * messages name files, rows, columns and byte offsets, never a value.
 */
import { CLI_CONTROLS, inputProblemOf, inputProblemText } from './inputProblems.ts';
import { UnmatchedFilesError } from './runPlan.ts';

/** The names of those errors, as a worker reports them by name. */
export const RUN_STOP_ERRORS: ReadonlySet<string> = new Set([
  'CsvRecordTooLongError',
  'EmptyInputError',
  'UnknownColumnError',
  'FullValidationRequiredError',
  'InputReadError',
]);

/**
 * What stops the run, in words (the CLI's: its options in the advice; the page's words are the
 * same sentences, inputProblems.ts); undefined for an error that is not the input's (a bug).
 */
export function runStopMessage(error: unknown): string | undefined {
  if (error instanceof UnmatchedFilesError) return error.message;
  const problem = inputProblemOf(error, [], CLI_CONTROLS);
  return problem && inputProblemText(problem);
}
