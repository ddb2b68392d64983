/**
 * The line `preflight validate` keeps rewriting on stderr (a terminal only) while it reads: the
 * file, its percentage read, rows and megabytes, the read rate and time left (with several files
 * at once, the one that reported last); once a file is read to the end, what the run does next
 * (its key checks, with nothing left to count), so a long pause there does not read as a hang. The
 * words are the app's (core/jobs/progress.ts), lower-cased.
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
  /**
   * the line before `name`'s first progress report: "\rpatients.csv: reading…   " (a file in a
   * worker reports once it has read a few MB)
   */
  reading(name: string): string;
  /**
   * What ends the line once the run is over: the last line written, rewritten without its step
   * (" · done" when the run finished, nothing when it failed, so the error that follows is not
   * read as part of a step still going), then a line break; '' when nothing was written.
   */
  end(outcome: 'done' | 'failed'): string;
}

/** Rate and time left are shown once an input has been read for this long (a steadier figure). */
export const RATE_AFTER_MS = 1000;

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
export const DEFAULT_COLUMNS = 80;

/**
 * Progress lines for the inputs of one run, as a one-thread run and a split one show them (a split
 * input's progress is its ranges' summed, core `createParallelRunner`): `line(name, progress)` is
 * "\rpatients.csv: 45 % · 450000 rows, 99.5 MB · 48.2 MB/s · about 3 s left   " (the rate and time
 * left once the input has been read for {@link RATE_AFTER_MS}, averaged since its first report),
 * and once the input is read to the end "\rpatients.csv: 100 % · 1000000 rows,
 * 221.0 MB · checking duplicate keys and references…   " (no rate or time left: they no longer
 * move); `end('done')` then "\rpatients.csv: 100 % · 1000000 rows, 221.0 MB · done" padded over
 * that, and "\n". `now` is the clock in ms (injectable for tests).
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
  // each input's first report: when, and its bytes then (the rate is averaged from there, not
  // from "reading…": a worker's file begins once the worker has started)
  const firstSeen = new Map<string, { at: number; bytes: number }>();
  // the last line written: its words without the step, and its length (to blank it when rewritten)
  let last: { text: string; length: number } | undefined;
  const write = (text: string, step: string, extra = ''): string => {
    const body = fitLine(text, step, extra, width);
    // trailing spaces blank what a longer previous line left on the terminal (within the width)
    const line = `\r${body}${' '.repeat(Math.max(0, Math.min(3, width - body.length)))}`.padEnd(
      Math.min(last?.length ?? 0, width + 1),
    );
    last = { text, length: line.length };
    return line;
  };
  const line = (name: string, progress: { bytes: number; rows: number }): string => {
    const input = byName.get(name);
    const at = now();
    let seen = firstSeen.get(name);
    if (!seen) {
      seen = { at, bytes: progress.bytes };
      firstSeen.set(name, seen);
    }
    const counted = `${progress.rows} rows, ${(progress.bytes / BYTES_PER_MB).toFixed(1)} MB`;
    if (!input) return write(`${name}: ${counted}`, '');
    const readThrough = progress.bytes >= input.size;
    // 99 % until the last byte: "100 %" with work still going would read as done
    const percent = readThrough ? 100 : Math.min(99, Math.floor((progress.bytes / input.size) * 100));
    const text = `${name}: ${percent} % · ${counted}`;
    if (readThrough)
      return write(text, ` · ${PROGRESS_STEP_TEXT[stepAfterReading(input, links)].toLowerCase()}…`);
    const elapsed = at - seen.at;
    const rate = elapsed > 0 ? ((progress.bytes - seen.bytes) / elapsed) * MS_PER_SECOND : 0;
    if (elapsed < RATE_AFTER_MS || rate <= 0) return write(text, '');
    const left = (input.size - progress.bytes) / rate;
    return write(text, '', ` · ${rateText(rate)} · ${timeLeft(left)}`);
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
 * `text` + `step` + `extra` within `width` characters: `extra` (rate and time left) goes first,
 * then the file's name is shortened from its left ("…/extracts/patients.csv" keeps its end, the
 * part that tells files apart).
 */
function fitLine(text: string, step: string, extra: string, width: number): string {
  const full = `${text}${step}${extra}`;
  if (full.length <= width) return full;
  const bare = `${text}${step}`;
  if (bare.length <= width) return bare;
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
