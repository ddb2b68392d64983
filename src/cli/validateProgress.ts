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

/** The progress line of one run (see {@link terminalProgress}). */
export interface TerminalProgress {
  /** the line for `name` at `progress` (what the run reports while it reads) */
  (name: string, progress: { bytes: number; rows: number }): string;
  /** the line before `name`'s first progress report (see {@link readingLine}) */
  reading(name: string): string;
  /**
   * What ends the line once the run is over: the last line written, rewritten without its step
   * (" · done" when the run finished, nothing when it failed, so the error that follows is not
   * read as part of a step still going), then a line break; '' when nothing was written.
   */
  end(outcome: 'done' | 'failed'): string;
}

/**
 * Progress lines for the inputs of one run: `line(name, progress)` is
 * "\rpatients.csv: 1000000 rows, 221.0 MB   ", and once the input is read to the end
 * "\rpatients.csv: 1000000 rows, 221.0 MB · checking duplicate keys and references…   ";
 * `end('done')` then "\rpatients.csv: 1000000 rows, 221.0 MB · done" padded over that, and "\n".
 */
export function terminalProgress(
  inputs: readonly ProgressInput[],
  links: readonly ReferenceLink[],
): TerminalProgress {
  const byName = new Map(inputs.map((i) => [i.name, i]));
  // the last line written: its words without the step, and its length (to blank it when rewritten)
  let last: { text: string; length: number } | undefined;
  const write = (text: string, step: string): string => {
    // trailing spaces blank what a longer previous line left on the terminal
    const line = `\r${text}${step}   `.padEnd(last?.length ?? 0);
    last = { text, length: line.length };
    return line;
  };
  const line = (name: string, progress: { bytes: number; rows: number }): string => {
    const input = byName.get(name);
    const step =
      input && progress.bytes >= input.size
        ? ` · ${PROGRESS_STEP_TEXT[stepAfterReading(input, links)].toLowerCase()}…`
        : '';
    return write(`${name}: ${progress.rows} rows, ${(progress.bytes / 1e6).toFixed(1)} MB`, step);
  };
  return Object.assign(line, {
    reading: (name: string) => write(`${name}:`, ' reading…'),
    end: (outcome: 'done' | 'failed') => {
      if (!last) return '';
      const closing = `${write(last.text, outcome === 'done' ? ' · done' : '')}\n`;
      last = undefined;
      return closing;
    },
  });
}
/**
 * The line before an input's first progress report: "\rpatients.csv: reading…   ". An input split
 * into ranges read by several threads reports no progress until every range is read.
 */
export function readingLine(name: string): string {
  return `\r${name}: reading…   `;
}
