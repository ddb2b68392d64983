/**
 * A pool of comlink workers on the main thread: queueing, cancellation and crash recovery for jobs
 * whose logic lives in src/core and whose worker files are tiny adapters.
 *
 * Constraints:
 * - Workers are created lazily, up to `size`; jobs beyond that wait in a FIFO queue.
 * - Cancel is two-stage: the job's soft `cancel` (the worker aborts between chunks and the job rejects
 *   with JobCancelledError); if it has not settled after `cancelGraceMs`, the worker is terminated
 *   (hard stop), dropped from the pool and replaced on demand. Either way the caller gets
 *   JobCancelledError, also when the job's result arrives after the abort.
 * - A worker `error`/`messageerror` event, or a `create()` that throws, rejects the job it was running
 *   with WorkerCrashedError; the worker is dropped and queued jobs carry on with a fresh one.
 * - A worker can also die silently (the browser kills it when out of memory, with no `error` event), so
 *   a job may set `stallMs`: if the task does not call `heartbeat()` for that long, the worker is
 *   terminated and the job rejects with WorkerCrashedError (reason `stalled`). The watchdog is off
 *   while a cancel is under way (the grace timer owns that job then). `stallMs` must stay far above
 *   any main-thread long task: heartbeats are messages, and a blocked page delivers them late.
 * - Every dropped worker's comlink remote is released before the worker is terminated, so comlink
 *   forgets its pending calls and its finalizer entry. Ports a job hands to the worker (callback
 *   proxies) are the worker's to release when the job settles; a terminated worker's ports close
 *   with it.
 * - Every rejection is a typed job error (`toJobError`): comlink rebuilds thrown errors as plain
 *   `Error`s or objects, and the UI switches on the class.
 * - Every worker's forwarded CSP violations (workers/cspViolations.ts) are reported, by default with
 *   `console.error`: a violation inside a worker fires on the worker's global only.
 * - No DOM use beyond the injected `create`, so vitest can drive it with a fake Worker.
 */
import * as Comlink from 'comlink';
import { errorKind, JobCancelledError, toJobError, WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { type WorkerCspViolation, watchWorkerCspViolations } from './cspViolations.ts';

/** Default time a soft cancel gets before the worker is terminated. */
const DEFAULT_CANCEL_GRACE_MS = 1500;

/** One core is left for the main thread (and the rest of the OS) by default, so the page stays responsive. */
const CORES_KEPT_FREE = 1;
/** Never fewer workers than this, however few cores are reported. */
const MIN_POOL_SIZE = 1;

/**
 * The default number of workers for `hardwareConcurrency` logical cores: one fewer than the cores, at
 * least one. An unknown or nonsensical count (`undefined` where `navigator.hardwareConcurrency` is
 * missing, as in Node 20 or some privacy modes; 0; NaN) gives one worker, the safe choice for memory.
 */
export function defaultPoolSize(hardwareConcurrency?: number): number {
  if (hardwareConcurrency === undefined || !Number.isFinite(hardwareConcurrency)) return MIN_POOL_SIZE;
  return Math.max(MIN_POOL_SIZE, Math.floor(hardwareConcurrency) - CORES_KEPT_FREE);
}

/** What the pool needs of a Worker; a real `Worker` satisfies it, and tests pass a fake. */
export interface PoolWorker extends Comlink.Endpoint {
  /** Stops the worker at once; its MessagePorts close with it. */
  terminate(): void;
}

/** Options of {@link createWorkerPool}. */
interface WorkerPoolOptions {
  /** Names jobs (`hash-3`) and errors; e.g. "hash". */
  name: string;
  /** Creates one worker, e.g. `() => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })`. */
  create: () => PoolWorker;
  /** Maximum number of workers; defaults to {@link defaultPoolSize} of `navigator.hardwareConcurrency`. */
  size?: number;
  /** Milliseconds a soft cancel may take before the worker is terminated; default 1500. */
  cancelGraceMs?: number;
  /**
   * Receives each CSP violation a worker forwards (workers/cspViolations.ts); defaults to a
   * `console.error` naming the pool, the directive and what was blocked.
   */
  onCspViolation?: (violation: WorkerCspViolation) => void;
}

/** Options of one {@link WorkerPool.run} call. */
export interface RunOptions<Api> {
  /** Aborting it cancels the job, queued or running. */
  signal?: AbortSignal;
  /** The soft cancel: asks the worker to stop job `jobId` (e.g. `api.cancel(jobId)`). */
  cancel?: (api: Comlink.Remote<Api>, jobId: string) => Promise<void>;
  /**
   * Stall watchdog: once the job runs on a worker, the longest time in milliseconds between two calls
   * of its task's `heartbeat()` (the first counted from the start). Exceeded: the worker is terminated
   * and replaced, and the job rejects with WorkerCrashedError reason `stalled`. Unset or `Infinity`: no
   * watchdog. Choose it well above the longest expected gap between progress reports.
   */
  stallMs?: number;
}

/** What the pool gives a running task besides the worker's API. */
interface TaskContext {
  /**
   * Tells the stall watchdog the job is alive and restarts its countdown; call it on every progress
   * report from the worker. Does nothing without `stallMs`, during a cancel, or after the job settled.
   */
  heartbeat(): void;
  /**
   * Wraps a progress callback to hand the worker (inside `Comlink.proxy`): each call is a
   * heartbeat, and a call that arrives after the job settled is dropped. Needed because a callback
   * proxy talks over its own MessagePort and messages on different ports are not ordered: the
   * worker's last progress report can arrive after its result, and would put a finished screen
   * back to "running, 100 %".
   */
  progress<P>(onProgress?: (progress: P) => void): (progress: P) => void;
}

/** A job body: runs on the main thread, calling into the worker through `api`. */
export type PoolTask<Api, T> = (api: Comlink.Remote<Api>, jobId: string, context: TaskContext) => Promise<T>;

/** The handle returned by {@link createWorkerPool}. */
export interface WorkerPool<Api> {
  /** Maximum number of workers. */
  readonly size: number;
  /**
   * Runs `task` on the next free worker (queueing if all are busy).
   * Rejects only with JobCancelledError, WorkerCrashedError or another typed job error.
   * @throws {RangeError} synchronously when `stallMs` is not a positive number (a programming error).
   */
  run<T>(task: PoolTask<Api, T>, options?: RunOptions<Api>): Promise<T>;
  /** Terminates every worker; running and queued jobs reject with JobCancelledError, as do later runs. */
  destroy(): void;
}

interface Slot<Api> {
  worker: PoolWorker;
  api: Comlink.Remote<Api>;
  job: Job<Api> | undefined;
  /** Removes this slot's crash listeners. */
  unlisten: () => void;
}

interface Job<Api> {
  id: string;
  task: PoolTask<Api, unknown>;
  options: RunOptions<Api>;
  settled: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Undoes the job's abort listener and its timers. */
  cleanup: () => void;
}

function checkStallMs(stallMs: number | undefined): void {
  if (stallMs === undefined || stallMs === Number.POSITIVE_INFINITY) return;
  if (!(stallMs > 0) || !Number.isFinite(stallMs)) {
    throw new RangeError('stallMs must be a positive number of milliseconds or Infinity.');
  }
}

/** Creates a pool of at most `size` comlink workers. See the file header for queueing and cancel rules. */
export function createWorkerPool<Api>(options: WorkerPoolOptions): WorkerPool<Api> {
  const { name, create } = options;
  const size = Math.max(
    MIN_POOL_SIZE,
    Math.floor(options.size ?? defaultPoolSize(globalThis.navigator?.hardwareConcurrency)),
  );
  const cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  const slots: Slot<Api>[] = [];
  const queue: Job<Api>[] = [];
  let jobCount = 0;
  let destroyed = false;

  function settle(job: Job<Api>, outcome: { value: unknown } | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    if ('error' in outcome) job.reject(toJobError(outcome.error));
    else job.resolve(outcome.value);
  }

  function dropSlot(slot: Slot<Api>): void {
    const index = slots.indexOf(slot);
    if (index < 0) return; // already dropped
    slots.splice(index, 1);
    slot.unlisten();
    // Release first: comlink then drops the remote's pending calls and finalizer entry, and a worker
    // still alive enough to read the message detaches its side too.
    try {
      slot.api[Comlink.releaseProxy]();
    } finally {
      slot.worker.terminate();
    }
  }

  function createSlot(): Slot<Api> {
    const worker = create();
    const slot: Slot<Api> = { worker, api: Comlink.wrap<Api>(worker), job: undefined, unlisten: () => {} };
    const onCrash = () => {
      const job = slot.job;
      dropSlot(slot);
      if (job) settle(job, { error: new WorkerCrashedError('crashed') });
      pump();
    };
    worker.addEventListener('error', onCrash);
    worker.addEventListener('messageerror', onCrash);
    const unwatchCsp = watchWorkerCspViolations(worker, name, options.onCspViolation);
    slot.unlisten = () => {
      worker.removeEventListener('error', onCrash);
      worker.removeEventListener('messageerror', onCrash);
      unwatchCsp();
    };
    slots.push(slot);
    return slot;
  }

  function start(slot: Slot<Api>, job: Job<Api>): void {
    slot.job = job;
    const { signal, cancel, stallMs } = job.options;
    const watchStalls = stallMs !== undefined && Number.isFinite(stallMs);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    let cancelling = false;

    /** Terminates the job's worker (a fresh one replaces it on demand) and rejects the job. */
    const hardStop = (error: Error) => {
      if (job.settled || slot.job !== job) return;
      dropSlot(slot);
      settle(job, { error });
      pump();
    };
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => hardStop(new WorkerCrashedError('stalled')), stallMs);
    };
    const heartbeat = () => {
      if (watchStalls && !cancelling && !job.settled) armStallTimer();
    };
    const onAbort = () => {
      cancelling = true;
      clearTimeout(stallTimer);
      if (!cancel) return hardStop(new JobCancelledError());
      graceTimer = setTimeout(() => hardStop(new JobCancelledError()), cancelGraceMs);
      // The soft cancel's own failure is irrelevant: the grace timer hard-stops the job regardless.
      cancel(slot.api, job.id).catch(() => {});
    };
    job.cleanup();
    signal?.addEventListener('abort', onAbort, { once: true });
    job.cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
      clearTimeout(stallTimer);
    };

    const finished = (outcome: { value: unknown } | { error: unknown }) => {
      if (slot.job === job) slot.job = undefined;
      if (job.settled) return;
      settle(job, signal?.aborted ? { error: new JobCancelledError() } : outcome);
      pump();
    };
    heartbeat(); // starts the watchdog's first countdown
    const context: TaskContext = {
      heartbeat,
      progress:
        <P>(onProgress?: (progress: P) => void) =>
        (progress: P) => {
          if (job.settled) return;
          heartbeat(); // first, so a throwing UI callback cannot starve the watchdog
          onProgress?.(progress);
        },
    };
    let running: Promise<unknown>;
    try {
      running = job.task(slot.api, job.id, context);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => finished({ value }),
      (error: unknown) => finished({ error }),
    );
    if (signal?.aborted) onAbort();
  }

  function pump(): void {
    while (!destroyed && queue.length > 0) {
      let slot = slots.find((s) => s.job === undefined);
      if (!slot && slots.length < size) {
        try {
          slot = createSlot();
        } catch (error) {
          const job = queue.shift();
          if (job) settle(job, { error: new WorkerCrashedError('failedToStart', errorKind(error)) });
          continue;
        }
      }
      if (!slot) return;
      const job = queue.shift();
      if (job) start(slot, job);
    }
  }

  return {
    size,
    run<T>(task: PoolTask<Api, T>, runOptions: RunOptions<Api> = {}): Promise<T> {
      checkStallMs(runOptions.stallMs);
      if (destroyed || runOptions.signal?.aborted) return Promise.reject(new JobCancelledError());
      jobCount += 1;
      return new Promise<T>((resolve, reject) => {
        const job: Job<Api> = {
          id: `${name}-${jobCount}`,
          task,
          options: runOptions,
          settled: false,
          resolve: resolve as (value: unknown) => void,
          reject,
          cleanup: () => {},
        };
        // While queued, an abort just removes the job from the queue.
        const signal = runOptions.signal;
        const onQueuedAbort = () => {
          const index = queue.indexOf(job);
          if (index >= 0) queue.splice(index, 1);
          settle(job, { error: new JobCancelledError() });
        };
        signal?.addEventListener('abort', onQueuedAbort, { once: true });
        job.cleanup = () => signal?.removeEventListener('abort', onQueuedAbort);
        queue.push(job);
        pump();
      });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      const pending = [...queue.splice(0), ...slots.flatMap((s) => (s.job ? [s.job] : []))];
      for (const slot of [...slots]) dropSlot(slot);
      for (const job of pending) settle(job, { error: new JobCancelledError() });
    },
  };
}
