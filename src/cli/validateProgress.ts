/**
 * The line `preflight validate` keeps rewriting on stderr (a terminal only) while it reads. One
 * file: its name, percentage read, rows and megabytes, the read rate and time left. Several files:
 * one line for the whole run — files done out of all, the bytes read of all files over their total
 * bytes, rows and megabytes, the run's read rate and time left — never whichever file reported
 * last. Once everything is read, what the run does next (its key checks, with nothing left to
 * count), so a long pause there does not read as a hang. The words are the app's
 * (core/jobs/progress.ts), lower-cased. */

import { PROGRESS_STEP_TEXT, type ProgressStep } from '../core/jobs/progress.ts';
import {
  type CsvSource,
  createReadTally,
  type InputRunner,
  type ReferenceLink,
  stepAfterReading,
  type ValidateCsvOptions,
  validateCsv,
} from '../core/validation/index.ts';
import { terminalText } from './terminalText.ts';

/** What one input of the run is, for its progress line. */
interface ProgressInput {
  name: string;
  /** bytes: the input is read to the end at this many */
  size: number;
  /** it has key columns (duplicate keys are checked across the whole file after reading) */
  keyed: boolean;
}

/** The progress line of one run (see {@link terminalProgress}). */
export interface TerminalProgress {
  /** the line for `name` at `progress` (what the run reports while it reads) */
  (name: string, progress: { bytes: number; rows: number }): string;
  /**
   * the line as `name` starts: "\rpatients.csv: reading…   " before anything is read (a file in a
   * worker reports once it has read a few MB); with several files, the run's line as it stands
   */
  reading(name: string): string;
  /**
   * the line once `name` is validated: with several files, the run's line with one more file done;
   * '' for a single file (its {@link TerminalProgress.end} follows)
   */
  done(name: string): string;
  /**
   * What ends the line once the run is over: the last line written, rewritten without its step
   * (" · done" when the run finished, nothing when it failed, so the error that follows is not
   * read as part of a step still going), then a line break; '' when nothing was written.
   */
  end(outcome: 'done' | 'failed'): string;
}

/** Rate and time left are shown once an input has been read for this long (a steadier figure). */
const RATE_AFTER_MS = 1000;

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const BYTES_PER_MB = 1e6;

const MINUTES_PER_HOUR = 60;

/**
 * "about 12 s left", "about 4 min left" (minutes from 2 on: seconds are noise at that scale),
 * "about 3 h left" (hours from 2 on).
 */
function timeLeft(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 2 * SECONDS_PER_MINUTE) return `about ${s} s left`;
  const minutes = Math.round(s / SECONDS_PER_MINUTE);
  if (minutes < 2 * MINUTES_PER_HOUR) return `about ${minutes} min left`;
  return `about ${Math.round(minutes / MINUTES_PER_HOUR)} h left`;
}

/** "48.2 MB/s"; below 0.1 MB/s in kB/s ("35 kB/s", "4.0 kB/s"), not "0.0 MB/s". */
function rateText(bytesPerSecond: number): string {
  const mb = bytesPerSecond / BYTES_PER_MB;
  if (mb >= 0.1) return `${mb.toFixed(1)} MB/s`;
  const kb = bytesPerSecond / 1000;
  return `${kb >= 10 ? Math.round(kb) : kb.toFixed(1)} kB/s`;
}

/** A terminal's width when stderr does not say (a line longer than it wraps, and `\r` then rewrites only its last row). */
const DEFAULT_COLUMNS = 80;

/**
 * Progress lines for the inputs of one run. One input: `line(name, progress)` is
 * "\rpatients.csv: 45 % · 450000 rows, 99.5 MB · 48.2 MB/s · about 3 s left   " (the rate and time
 * left once the input has been read for {@link RATE_AFTER_MS}, averaged since its first report),
 * and once the input is read to the end "\rpatients.csv: 100 % · 1000000 rows,
 * 221.0 MB · checking duplicate keys and references…   " (no rate or time left: they no longer
 * move); `end('done')` then "\rpatients.csv: 100 % · 1000000 rows, 221.0 MB · done" padded over
 * that, and "\n". Several inputs: the same for the run as a whole, "\r1 of 3 files · 45 % ·
 * 450000 rows, 99.5 MB · 71.0 MB/s · about 12 s left   " (each input's latest bytes and rows,
 * summed; the rate averaged since the run's first report). `now` is the clock in ms (injectable
 * for tests); `columns` the terminal's width.
 */
export function terminalProgress(
  inputs: readonly ProgressInput[],
  links: readonly ReferenceLink[],
  now: () => number = () => performance.now(),
  columns: number = DEFAULT_COLUMNS,
): TerminalProgress {
  // a line must fit the terminal's width less one (the cursor): a wrapped line leaves a stale row
  // at every rewrite, since "\r" goes back only to the start of its last row
  const width = Math.max(20, columns - 1);
  const byName = new Map(inputs.map((i) => [i.name, i]));
  // the last line written: its words without the step, and its length (to blank it when rewritten)
  let last: { text: string; length: number } | undefined;
  // several inputs: the line starts with the files done, not a name that could be shortened
  const named = inputs.length <= 1;
  const write = (text: string, step: string, extra = ''): string => {
    // a file's name may hold what a terminal acts on: shown as escapes, like every other line
    const body = terminalText(fitLine(text, step, extra, width, named));
    // trailing spaces blank what a longer previous line left on the terminal (within the width)
    const line = `\r${body}${' '.repeat(Math.max(0, Math.min(3, width - body.length)))}`.padEnd(
      Math.min(last?.length ?? 0, width + 1),
    );
    last = { text, length: line.length };
    return line;
  };
  /** " · 0.5 MB/s · about 2 s left" once read for long enough since `since`, else '' */
  const rateAndLeft = (since: { at: number; bytes: number }, at: number, bytes: number, size: number) => {
    const elapsed = at - since.at;
    const rate = elapsed > 0 ? ((bytes - since.bytes) / elapsed) * MS_PER_SECOND : 0;
    if (elapsed < RATE_AFTER_MS || rate <= 0) return '';
    return ` · ${rateText(rate)} · ${timeLeft((size - bytes) / rate)}`;
  };
  const counted = (bytes: number, rows: number) => `${rows} rows, ${(bytes / BYTES_PER_MB).toFixed(1)} MB`;
  // 99 % until the last byte: "100 %" with work still going would read as done
  const percentOf = (bytes: number, size: number) =>
    bytes >= size ? 100 : Math.min(99, Math.floor((bytes / size) * 100));
  const stepText = (step: ProgressStep) => ` · ${PROGRESS_STEP_TEXT[step].toLowerCase()}…`;

  if (inputs.length <= 1) {
    // each input's first report: when, and its bytes then (the rate is averaged from there, not
    // from "reading…": a worker's file begins once the worker has started)
    const firstSeen = new Map<string, { at: number; bytes: number }>();
    const line = (name: string, progress: { bytes: number; rows: number }): string => {
      const input = byName.get(name);
      const at = now();
      let seen = firstSeen.get(name);
      if (!seen) {
        seen = { at, bytes: progress.bytes };
        firstSeen.set(name, seen);
      }
      const amount = counted(progress.bytes, progress.rows);
      if (!input) return write(`${name}: ${amount}`, '');
      const text = `${name}: ${percentOf(progress.bytes, input.size)} % · ${amount}`;
      if (progress.bytes >= input.size) return write(text, stepText(stepAfterReading(input, links)));
      return write(text, '', rateAndLeft(seen, at, progress.bytes, input.size));
    };
    return Object.assign(line, {
      reading: (name: string) => write(`${name}:`, ' reading…'),
      done: () => '',
      end: (outcome: 'done' | 'failed') => {
        if (!last) return '';
        const closing = `${write(last.text, outcome === 'done' ? ' · done' : '')}\n`;
        last = undefined;
        return closing;
      },
    });
  }

  // several inputs: one line for the run
  const total = inputs.reduce((n, i) => n + i.size, 0);
  const tally = createReadTally();
  const finished = new Set<string>();
  let firstReport: { at: number; bytes: number } | undefined;
  const runLine = (): string => {
    const files = `${finished.size} of ${inputs.length} files`;
    if (!firstReport) return write(files, ' · reading…');
    const { bytes, rows } = tally;
    const text = `${files} · ${percentOf(bytes, total)} % · ${counted(bytes, rows)}`;
    if (bytes >= total) {
      // read to the end: what the files still going do now (the report's own step comes after)
      const going = inputs.filter((i) => !finished.has(i.name));
      const keyed = going.some((i) => stepAfterReading(i, links) === 'checking-keys');
      return write(text, stepText(keyed ? 'checking-keys' : 'combining'));
    }
    return write(text, '', rateAndLeft(firstReport, now(), bytes, total));
  };
  const line = (name: string, progress: { bytes: number; rows: number }): string => {
    tally.report(name, progress);
    // the rate is averaged from the run's first report, as a single file's from its own
    firstReport ??= { at: now(), bytes: tally.bytes };
    return runLine();
  };
  return Object.assign(line, {
    reading: () => runLine(),
    done: (name: string) => {
      finished.add(name);
      firstReport ??= { at: now(), bytes: tally.bytes };
      // a file validated has been read to its end, whatever its last report said
      tally.report(name, { bytes: byName.get(name)?.size ?? 0, rows: 0 });
      return runLine();
    },
    end: (outcome: 'done' | 'failed') => {
      if (!last) return '';
      const closing = `${write(last.text, outcome === 'done' ? ' · done' : '')}\n`;
      last = undefined;
      return closing;
    },
  });
}
/**
 * `text` + `step` + `extra` within `width` characters: `extra` (rate and time left) goes first,
 * then, when `text` starts with a file's name, the name is shortened from its left
 * ("…/extracts/patients.csv" keeps its end, the part that tells files apart); else the end goes.
 */
function fitLine(text: string, step: string, extra: string, width: number, named = true): string {
  const full = `${text}${step}${extra}`;
  if (full.length <= width) return full;
  const bare = `${text}${step}`;
  if (bare.length <= width) return bare;
  if (!named) return `${bare.slice(0, width - 1)}…`;
  const over = bare.length - width;
  const colon = text.indexOf(': ');
  const name = colon > 0 ? text.slice(0, colon) : text;
  if (name.length > over + 1) return `…${name.slice(over + 1)}${text.slice(name.length)}${step}`;
  return `${bare.slice(0, width - 1)}…`;
}

/**
 * A worker reports its file's progress (bytes and rows read so far) to the main thread at most
 * once per this many bytes: a message per 1 MiB chunk would cost the main thread a receive and a
 * terminal write each.
 */
export const WORKER_PROGRESS_BYTES = 8 * 1024 * 1024;

/**
 * …or once per this many milliseconds when the file reads slowly (a mapped file's FHIR checks, a
 * slow network drive), so the line still moves; never more often than every chunk.
 */
export const WORKER_PROGRESS_MS = 250;

/**
 * Wraps `send` so it is called at most once per {@link WORKER_PROGRESS_BYTES} bytes read or
 * {@link WORKER_PROGRESS_MS} ms elapsed since its last call, whichever comes first (checked per
 * chunk, never per row); `now` is the clock in ms (injectable for tests).
 */
export function throttledProgress(
  send: (progress: { bytes: number; rows: number }) => void,
  now: () => number = () => performance.now(),
  everyBytes = WORKER_PROGRESS_BYTES,
  everyMs = WORKER_PROGRESS_MS,
): (progress: { bytes: number; rows: number }) => void {
  let sentBytes = 0;
  let sentAt = now();
  return (progress) => {
    if (progress.bytes - sentBytes < everyBytes) {
      const at = now();
      if (at - sentAt < everyMs) return;
      sentAt = at;
    } else sentAt = now();
    sentBytes = progress.bytes;
    send({ bytes: progress.bytes, rows: progress.rows });
  };
}

/**
 * The options of a streaming run (core `validateInputs`) that show its progress on `line` when
 * `shown`: each file's bytes and rows as it reads, and, with several files or a file in a worker
 * (`runner`), when a file starts (a worker reports once it has read a few MB) and when it is done
 * (the run's line counts files done). Not shown: `runner` alone, when there is one.
 */
export function followedRun(
  line: TerminalProgress,
  shown: boolean,
  runner: InputRunner | undefined,
  files: number,
  write: (text: string) => void = (text) => process.stderr.write(text),
): { run?: InputRunner; onProgress?: (input: string, p: { bytes: number; rows: number }) => void } {
  const runFile: InputRunner = runner ?? validateCsv;
  if (!shown) return runner ? { run: runner } : {};
  return {
    ...(runner !== undefined || files > 1
      ? {
          run: async (source: CsvSource, options: ValidateCsvOptions) => {
            write(line.reading(source.name));
            const result = await runFile(source, options);
            write(line.done(source.name));
            return result;
          },
        }
      : {}),
    onProgress: (input: string, p: { bytes: number; rows: number }) => write(line(input, p)),
  };
}
