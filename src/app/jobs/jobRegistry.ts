/**
 * The app's job registry: long jobs (fingerprints now, validation runs of several GB next) belong to
 * the app, not to the screen that started them (docs/architecture.md#workers-and-jobs). A plain
 * engine (`createThing → { update, destroy }`, docs/conventions.md#engines-behind-one-hook) owned by
 * exactly one hook (`JobsProvider`); screens read it and start, cancel or re-run jobs through it.
 *
 * Constraints:
 * - Generic: a job is `{ kind, key, label, subject, run }`; the registry knows nothing of files or
 *   hashes. `run` gets an AbortSignal and a progress callback and resolves with the job's result.
 * - One job per `key` at a time: starting a job whose key is running cancels the running one
 *   (reason `superseded`), and the newest job of a key replaces that key's earlier result. So a
 *   tool (one key) always shows its latest run, and the list stays bounded.
 * - With `beforeRun` (the app records each job on disk there), a job's work starts only once that
 *   record settled; a job cancelled meanwhile never runs.
 * - A job ends exactly once: done, failed or cancelled. Cancelling marks it cancelled at once, with
 *   who or what cancelled it, and ignores whatever its `run` settles with afterwards (the worker pool
 *   stops the worker within its grace period).
 * - Failure messages come from the typed job errors (src/core/jobs/errors.ts), so they say where and
 *   what kind and never quote input (input may be patient data).
 * - The spec (and what its `run` closes over, e.g. a `File`) is kept in memory for "Run again" while
 *   the job is listed, and never stored anywhere.
 * - No React, no DOM: the clock and ids are injectable, so vitest drives it without a browser.
 */
import { isJobCancelled, toJobError } from '../../core/jobs/errors.ts';
import type { Progress } from '../../core/jobs/progress.ts';

/** Who or what cancelled a job. */
export type CancelReason =
  | 'user'
  | 'projectSwitched'
  | 'projectDeleted'
  | 'projectWiped'
  | 'superseded'
  | 'appClosed'
  | 'stopped';

/** What the user reads about a cancelled job: that it was cancelled, and by what. */
export const CANCEL_MESSAGES: Readonly<Record<CancelReason, string>> = {
  user: 'Cancelled: you pressed Cancel.',
  projectSwitched: 'Cancelled: you switched project.',
  projectDeleted: 'Cancelled: you deleted the project.',
  projectWiped: 'Cancelled: you closed and wiped the project.',
  superseded: 'Cancelled: you started it again.',
  appClosed: 'Cancelled: Preflight was closed.',
  stopped: 'Cancelled: its background worker was shut down.',
};

/** What a job's `run` receives. */
export interface JobContext {
  /** Aborted when the job is cancelled; pass it to the worker call. */
  signal: AbortSignal;
  /** Reports progress; ignored once the job has ended. */
  reportProgress(progress: Progress): void;
}

/** A job to start. */
export interface JobSpec<R = unknown> {
  /** What kind of work it is, for code that interprets `result` (e.g. "fingerprint"). */
  kind: string;
  /** The slot it occupies: one running job and one last result per key. Defaults to `kind`. */
  key?: string;
  /** What the user calls the work, e.g. "Fingerprint". */
  label: string;
  /** What it works on, as the user knows it, e.g. the file name. Never record content. */
  subject: string;
  /** Where its screen is (e.g. "#/migration"), so the header can lead the user back to it. */
  href?: string;
  /** Does the work. Rejects with a typed job error; JobCancelledError once `signal` aborted. */
  run(context: JobContext): Promise<R>;
}

/** Fields every job has. */
interface JobBase {
  /** Unique within the registry. */
  readonly id: string;
  readonly kind: string;
  readonly key: string;
  readonly label: string;
  readonly subject: string;
  /** Where the job's screen is, if it has one. */
  readonly href: string | undefined;
  /** Registry clock (milliseconds) when the job started. */
  readonly startedAt: number;
  /** The last progress reported, or null before the first report. */
  readonly progress: Progress | null;
}

/** A job as the UI sees it: immutable; a change produces a new object. */
export type Job = JobBase &
  (
    | { readonly status: 'running' }
    | { readonly status: 'done'; readonly endedAt: number; readonly result: unknown }
    | { readonly status: 'failed'; readonly endedAt: number; readonly message: string }
    | {
        readonly status: 'cancelled';
        readonly endedAt: number;
        readonly reason: CancelReason;
        readonly message: string;
      }
  );

/** A job that has ended. */
export type EndedJob = Exclude<Job, { status: 'running' }>;

/** Options of {@link createJobRegistry}. */
interface JobRegistryOptions {
  /** Clock in milliseconds; defaults to `performance.now()`. */
  now?: () => number;
  /** Ended jobs kept (of different keys) before the oldest is forgotten; default {@link MAX_ENDED_JOBS}. */
  maxEndedJobs?: number;
  /**
   * Called with each job as it starts; the job's `run` is called once the promise settles (either
   * way), and not at all when the job was cancelled meanwhile. The app records the job on disk here.
   */
  beforeRun?: (job: Job) => Promise<unknown>;
}

/** Ended jobs kept by default: enough for every tool and dataset of a project to show its last run. */
const MAX_ENDED_JOBS = 50;

/**
 * Least time between two published progress reports of one job: 4 a second, as fast as a person
 * reads a changing figure. Workers report ~10 a second; each publication re-renders every screen
 * that follows jobs, which a long run pays for on the page's main thread.
 */
export const PROGRESS_PUBLISH_MS = 250;

/** The handle returned by {@link createJobRegistry}. */
export interface JobRegistry {
  /**
   * Starts a job and returns its id. A running job with the same key is cancelled (`superseded`).
   * @throws {Error} after `destroy()` (a programming error).
   */
  start<R>(spec: JobSpec<R>): string;
  /** Cancels a running job; does nothing for an unknown or ended job. */
  cancel(id: string, reason?: CancelReason): void;
  /** Cancels every running job with `reason`. */
  cancelAll(reason: CancelReason): void;
  /**
   * Forgets every ended job `keep` does not keep; running jobs stay. What a project's jobs found
   * (a report, a digest, failing rows read from its files) is not shown once another project is open.
   */
  forgetEnded(keep: (job: EndedJob) => boolean): void;
  /** Starts an ended job again with the same spec (same key, so it replaces it); returns the new id, or null. */
  runAgain(id: string): string | null;
  /** Every listed job, running and ended, in the order they started. The same array until something changes. */
  getJobs(): readonly Job[];
  /** The newest job of `key`, if any. */
  latest(key: string): Job | undefined;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Cancels running jobs (`appClosed`), drops listeners; later `start` throws. */
  destroy(): void;
}

interface Entry {
  job: Job;
  spec: JobSpec;
  controller: AbortController;
  /** Registry clock when this job's progress was last published, or null before its first report. */
  progressPublishedAt: number | null;
  /** Publishes a report held back by the {@link PROGRESS_PUBLISH_MS} gate. */
  progressTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Creates an empty job registry. */
export function createJobRegistry(options: JobRegistryOptions = {}): JobRegistry {
  const now = options.now ?? (() => performance.now());
  const maxEnded = Math.max(0, options.maxEndedJobs ?? MAX_ENDED_JOBS);
  const entries = new Map<string, Entry>();
  const listeners = new Set<() => void>();
  let snapshot: readonly Job[] = [];
  let count = 0;
  let destroyed = false;

  function changed(): void {
    snapshot = [...entries.values()].map((e) => e.job);
    for (const listener of [...listeners]) listener();
  }

  /** Forgets the oldest-ended jobs beyond the cap. */
  function trim(): void {
    const ended = [...entries.values()]
      .map((e) => e.job)
      .filter((job): job is EndedJob => job.status !== 'running')
      .sort((a, b) => a.endedAt - b.endedAt);
    for (const job of ended.slice(0, Math.max(0, ended.length - maxEnded))) entries.delete(job.id);
  }

  /** Ends a running job; returns false when it had already ended or is gone. */
  function end(id: string, outcome: (base: JobBase, endedAt: number) => EndedJob): boolean {
    const entry = entries.get(id);
    if (entry?.job.status !== 'running') return false;
    // the end is published at once, with the last progress reported (held back or not)
    clearTimeout(entry.progressTimer);
    entry.progressTimer = undefined;
    entry.job = outcome(entry.job, now());
    trim();
    return true;
  }

  function cancelEntry(entry: Entry, reason: CancelReason): boolean {
    const ended = end(entry.job.id, (base, endedAt) => ({
      ...base,
      status: 'cancelled',
      endedAt,
      reason,
      message: CANCEL_MESSAGES[reason],
    }));
    if (ended) entry.controller.abort();
    return ended;
  }

  function start<R>(spec: JobSpec<R>): string {
    if (destroyed) throw new Error('The job registry was destroyed: no job can start.');
    const key = spec.key ?? spec.kind;
    for (const entry of [...entries.values()]) {
      if (entry.job.key !== key) continue;
      if (entry.job.status === 'running') cancelEntry(entry, 'superseded');
      entries.delete(entry.job.id);
    }
    count += 1;
    const id = `job-${count}`;
    const controller = new AbortController();
    const entry: Entry = {
      job: {
        id,
        kind: spec.kind,
        key,
        label: spec.label,
        subject: spec.subject,
        href: spec.href,
        startedAt: now(),
        progress: null,
        status: 'running',
      },
      spec: spec as JobSpec,
      controller,
      progressPublishedAt: null,
      progressTimer: undefined,
    };
    entries.set(id, entry);
    changed();

    /** Calls the spec's `run`, unless the job ended (was cancelled) before. */
    const launch = () => {
      if (entries.get(id) === entry && entry.job.status === 'running') run(entry, spec);
    };
    let recorded: Promise<unknown> | undefined;
    try {
      recorded = options.beforeRun?.(entry.job);
    } catch {
      recorded = undefined; // the job runs without its record
    }
    if (recorded) void recorded.then(launch, launch);
    else launch();
    return id;
  }

  function run<R>(entry: Entry, spec: JobSpec<R>): void {
    const { id } = entry.job;
    const { controller } = entry;
    const context: JobContext = {
      signal: controller.signal,
      reportProgress(progress) {
        if (entries.get(id) !== entry || entry.job.status !== 'running') return;
        entry.job = { ...entry.job, progress };
        // at most one publication per PROGRESS_PUBLISH_MS; the last report held back follows then
        if (entry.progressTimer !== undefined) return;
        const wait =
          entry.progressPublishedAt === null ? 0 : entry.progressPublishedAt + PROGRESS_PUBLISH_MS - now();
        if (wait <= 0) {
          entry.progressPublishedAt = now();
          changed();
          return;
        }
        entry.progressTimer = setTimeout(() => {
          entry.progressTimer = undefined;
          if (entries.get(id) !== entry || entry.job.status !== 'running') return;
          entry.progressPublishedAt = now();
          changed();
        }, wait);
      },
    };
    let running: Promise<R>;
    try {
      running = spec.run(context);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (result) => {
        if (end(id, (base, endedAt) => ({ ...base, status: 'done', endedAt, result }))) changed();
      },
      (error: unknown) => {
        // cancelled by nobody here: the pool (or the browser) stopped it
        const ended = isJobCancelled(error)
          ? end(id, (base, endedAt) => ({
              ...base,
              status: 'cancelled',
              endedAt,
              reason: 'stopped',
              message: CANCEL_MESSAGES.stopped,
            }))
          : end(id, (base, endedAt) => ({
              ...base,
              status: 'failed',
              endedAt,
              message: toJobError(error).message,
            }));
        if (ended) changed();
      },
    );
  }

  return {
    start,
    cancel(id, reason = 'user') {
      const entry = entries.get(id);
      if (entry && cancelEntry(entry, reason)) changed();
    },
    cancelAll(reason) {
      let any = false;
      for (const entry of [...entries.values()]) any = cancelEntry(entry, reason) || any;
      if (any) changed();
    },
    forgetEnded(keep) {
      let any = false;
      for (const [id, entry] of [...entries]) {
        const { job } = entry;
        if (job.status === 'running' || keep(job)) continue;
        entries.delete(id);
        any = true;
      }
      if (any) changed();
    },
    runAgain(id) {
      const entry = entries.get(id);
      if (!entry || entry.job.status === 'running' || destroyed) return null;
      return start(entry.spec);
    },
    getJobs: () => snapshot,
    latest(key) {
      let found: Job | undefined;
      for (const job of snapshot) if (job.key === key) found = job;
      return found;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const entry of entries.values()) {
        cancelEntry(entry, 'appClosed');
        clearTimeout(entry.progressTimer);
      }
      changed();
      listeners.clear();
    },
  };
}
