/**
 * The line `preflight validate` keeps rewriting on stderr (a terminal only) while it reads: the
 * file, rows and megabytes read; once a file is read to the end, what the run does next (its key
 * checks and the merge of its ranges, with nothing left to count), so a long pause there does not
 * read as a hang. The words are the app's (core/jobs/progress.ts), lower-cased.
 */
import { PROGRESS_STEP_TEXT, type ProgressStep } from '../core/jobs/progress.ts';
import type { ReferenceLink } from '../core/migration/validateInputs.ts';

/** What one input of the run is, for its progress line. */
export interface ProgressInput {
  name: string;
  /** bytes: the input is read to the end at this many */
  size: number;
  /** it has key columns (duplicate keys are checked across the whole file after reading) */
  keyed: boolean;
}

/** The step after reading `input`: its keys and references, else putting the results together. */
export function stepAfterReading(input: ProgressInput, links: readonly ReferenceLink[]): ProgressStep {
  const linked = links.some((l) => l.input === input.name || l.target === input.name);
  return input.keyed || linked ? 'checking-keys' : 'combining';
}

/**
 * Progress lines for the inputs of one run: `line(name, progress)` is
 * "\rpatients.csv: 1000000 rows, 221.0 MB   ", and once the input is read to the end
 * "\rpatients.csv: 1000000 rows, 221.0 MB · checking duplicate keys and references…   ".
 */
export function terminalProgress(
  inputs: readonly ProgressInput[],
  links: readonly ReferenceLink[],
): (name: string, progress: { bytes: number; rows: number }) => string {
  const byName = new Map(inputs.map((i) => [i.name, i]));
  return (name, progress) => {
    const input = byName.get(name);
    const step =
      input && progress.bytes >= input.size
        ? ` · ${PROGRESS_STEP_TEXT[stepAfterReading(input, links)].toLowerCase()}…`
        : '';
    // trailing spaces blank what a longer previous line left on the terminal
    return `\r${name}: ${progress.rows} rows, ${(progress.bytes / 1e6).toFixed(1)} MB${step}   `;
  };
}

/**
 * The line before an input's first progress report: "\rpatients.csv: reading…   ". An input split
 * into ranges read by several threads reports no progress until every range is read.
 */
export function readingLine(name: string): string {
  return `\r${name}: reading…   `;
}
