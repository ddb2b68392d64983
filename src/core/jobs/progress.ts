/**
 * Progress of a long-running job (hashing, parsing, validating) as the UI and the CLI show it.
 *
 * Constraints:
 * - Pure: no timers, no DOM, no Worker globals. The throttle only emits from inside `advance`/`finish`,
 *   so a job that stops advancing stops emitting; callers that need a heartbeat add one themselves.
 * - At most one emit per `intervalMs` (default 100 ms, i.e. ~10/s): progress crosses a worker boundary
 *   as a postMessage and drives a React render, so emitting per chunk or per row would flood both.
 * - `finish()` always emits once more, so the last value a listener sees has the final `done`.
 */

/** What `done` and `total` count. */
export type ProgressUnit = 'bytes' | 'rows' | 'records' | 'days';

/**
 * What a job is doing once the work it counts is done but the job is not: a validation that has
 * read every byte of a file still checks keys across the whole file and puts its ranges' results
 * together, then prepares its report; a capacity model's check that has read its log replays the
 * cases through the workflow. The count, rate and time left no longer move then, so the job says what it is doing
 * instead of showing "99 % · about 0 s left" as if it hung.
 */
export type ProgressStep = 'checking-keys' | 'combining' | 'writing-report' | 'replaying';

/** What staff read for each {@link ProgressStep} (the UI and the CLI; the CLI lower-cases it). */
export const PROGRESS_STEP_TEXT: Readonly<Record<ProgressStep, string>> = {
  'checking-keys': 'Checking duplicate keys and references',
  combining: 'Putting the results together',
  'writing-report': 'Preparing the report',
  replaying: 'Replaying the cases through the workflow',
};

/** One progress report. */
export interface Progress {
  /** Units processed so far; never decreases within one job. */
  done: number;
  /** Units expected in total, or `null` when unknown (e.g. a stream without a length). */
  total: number | null;
  /** What `done` and `total` count. */
  unit: ProgressUnit;
  /** Smoothed throughput in `unit`s per second (0 until it can be measured). */
  ratePerSecond: number;
  /** Estimated seconds left, or `null` when the total or the rate is unknown; 0 once finished. */
  etaSeconds: number | null;
  /** Set while the job works past its count (see {@link ProgressStep}); absent while it counts. */
  step?: ProgressStep;
}

/** Default minimum time between two emits: ~10 updates per second. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 100;

/**
 * Time constant of the rate's exponential smoothing. Long enough that one slow chunk (a GC pause, a
 * disk hiccup) does not make the ETA jump, short enough that a real change shows within seconds.
 */
const RATE_SMOOTHING_SECONDS = 2;

const MS_PER_SECOND = 1000;

/** Options of {@link createProgressThrottle}. */
interface ProgressThrottleOptions {
  /** Units expected in total, or `null` when unknown. */
  total: number | null;
  /** What the job counts. */
  unit: ProgressUnit;
  /** Minimum milliseconds between two emits (the final emit ignores it). */
  intervalMs?: number;
  /** Clock in milliseconds; injectable for tests. Defaults to `performance.now()`. */
  now?: () => number;
  /** Receives each throttled report. */
  emit: (progress: Progress) => void;
}

/** The handle returned by {@link createProgressThrottle}. */
interface ProgressThrottle {
  /** Records `delta` more units done; emits if `intervalMs` has passed since the last emit. */
  advance(delta: number): void;
  /** Emits the final report (rate = the whole job's average, ETA 0). Idempotent; later calls do nothing. */
  finish(): void;
}

/**
 * Turns a stream of small `advance(delta)` calls into at most ~10 progress reports per second with a
 * smoothed rate (EWMA over time, so unevenly spaced samples weigh by their duration) and an ETA.
 */
export function createProgressThrottle(options: ProgressThrottleOptions): ProgressThrottle {
  const { total, unit, emit } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());

  const startedAt = now();
  let lastEmitAt = startedAt;
  let lastSampleAt = startedAt;
  let lastSampleDone = 0;
  let done = 0;
  let rate = 0;
  let hasRate = false;
  let finished = false;

  function updateRate(at: number): void {
    const seconds = (at - lastSampleAt) / MS_PER_SECOND;
    if (seconds <= 0) return;
    const instantRate = (done - lastSampleDone) / seconds;
    if (hasRate) {
      const weight = 1 - Math.exp(-seconds / RATE_SMOOTHING_SECONDS);
      rate += weight * (instantRate - rate);
    } else {
      rate = instantRate;
      hasRate = true;
    }
    lastSampleAt = at;
    lastSampleDone = done;
  }

  function etaSeconds(): number | null {
    if (total === null || rate <= 0) return null;
    return Math.max(0, (total - done) / rate);
  }

  return {
    advance(delta) {
      if (finished) return;
      if (!Number.isFinite(delta) || delta < 0) {
        throw new RangeError('Progress can only advance by a finite, non-negative amount.');
      }
      done += delta;
      const at = now();
      if (at - lastEmitAt < intervalMs) return;
      updateRate(at);
      lastEmitAt = at;
      emit({ done, total, unit, ratePerSecond: rate, etaSeconds: etaSeconds() });
    },
    finish() {
      if (finished) return;
      finished = true;
      const elapsedSeconds = (now() - startedAt) / MS_PER_SECOND;
      const averageRate = elapsedSeconds > 0 ? done / elapsedSeconds : rate;
      emit({ done, total, unit, ratePerSecond: averageRate, etaSeconds: 0 });
    },
  };
}
