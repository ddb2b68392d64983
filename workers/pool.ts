/**
 * A pool of comlink workers on the main thread: queueing, cancellation and crash recovery for jobs
 * whose logic lives in src/core and whose worker files are tiny adapters (STYLE.md 4).
 *
 * Constraints:
 * - Workers are created lazily, up to `size`; jobs beyond that wait in a FIFO queue.
 * - Cancel is two-stage: the job's soft `cancel` (the worker aborts between chunks and the job rejects
 *   with JobCancelledError); if it has not settled after `cancelGraceMs`, the worker is terminated
 *   (hard stop), dropped from the pool and replaced on demand. Either way the caller gets
 *   JobCancelledError, also when the job's result arrives after the abort.
 * - A worker `error`/`messageerror` event, or a `create()` that throws, rejects the job it was running
 *   with WorkerCrashedError; the worker is dropped and queued jobs carry on with a fresh one.
 * - Every rejection is a typed job error (`toJobError`): comlink rebuilds thrown errors as plain
 *   `Error`s or objects, and the UI switches on the class.
 * - No DOM use beyond the injected `create`, so vitest can drive it with a fake Worker.
 */
import * as Comlink from 'comlink';
import { errorKind, JobCancelledError, toJobError, WorkerCrashedError } from '../src/core/jobs/errors.ts';

/** Default time a soft cancel gets before the worker is terminated. */
export const DEFAULT_CANCEL_GRACE_MS = 1500;

/** One worker is left for the main thread (and the rest of the OS) by default. */
const CORES_KEPT_FREE = 1;
/** Assumed cores where `navigator.hardwareConcurrency` is unavailable (Node 20, some privacy modes). */
const FALLBACK_CORES = 2;

/** What the pool needs of a Worker; a real `Worker` satisfies it, and tests pass a fake. */
export interface PoolWorker extends Comlink.Endpoint {
  terminate(): void;
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Names jobs (`hash-3`) and errors; e.g. "hash". */
  name: string;
  /** Creates one worker, e.g. `() => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })`. */
  create: () => PoolWorker;
  /** Maximum number of workers; defaults to hardwareConcurrency − 1, at least 1 (DESIGN.md 3 "Runs"). */
  size?: number;
  /** Milliseconds a soft cancel may take before the worker is terminated; default 1500. */
  cancelGraceMs?: number;
}

/** Options of one {@link WorkerPool.run} call. */
export interface RunOptions<Api> {
  /** Aborting it cancels the job, queued or running. */
  signal?: AbortSignal;
  /** The soft cancel: asks the worker to stop job `jobId` (e.g. `api.cancel(jobId)`). */
  cancel?: (api: Comlink.Remote<Api>, jobId: string) => Promise<void>;
}

/** A job body: runs on the main thread, calling into the worker through `api`. */
export type PoolTask<Api, T> = (api: Comlink.Remote<Api>, jobId: string) => Promise<T>;

/** The handle returned by {@link createWorkerPool}. */
export interface WorkerPool<Api> {
  /** Maximum number of workers. */
  readonly size: number;
  /**
   * Runs `task` on the next free worker (queueing if all are busy).
   * Rejects only with JobCancelledError, WorkerCrashedError or another typed job error.
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
  /** Undoes the job's abort listener and grace timer. */
  cleanup: () => void;
}

function defaultSize(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? FALLBACK_CORES;
  return Math.max(1, cores - CORES_KEPT_FREE);
}

/** Creates a pool of at most `size` comlink workers. See the file header for queueing and cancel rules. */
export function createWorkerPool<Api>(options: WorkerPoolOptions): WorkerPool<Api> {
  const { name, create } = options;
  const size = Math.max(1, Math.floor(options.size ?? defaultSize()));
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
    if (index >= 0) slots.splice(index, 1);
    slot.unlisten();
    slot.worker.terminate();
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
    slot.unlisten = () => {
      worker.removeEventListener('error', onCrash);
      worker.removeEventListener('messageerror', onCrash);
    };
    slots.push(slot);
    return slot;
  }

  function start(slot: Slot<Api>, job: Job<Api>): void {
    slot.job = job;
    const { signal, cancel } = job.options;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;

    const hardStop = () => {
      if (job.settled || slot.job !== job) return;
      dropSlot(slot);
      settle(job, { error: new JobCancelledError() });
      pump();
    };
    const onAbort = () => {
      if (!cancel) return hardStop();
      graceTimer = setTimeout(hardStop, cancelGraceMs);
      // The soft cancel's own failure is irrelevant: the grace timer hard-stops the job regardless.
      cancel(slot.api, job.id).catch(() => {});
    };
    job.cleanup();
    signal?.addEventListener('abort', onAbort, { once: true });
    job.cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
    };

    const finished = (outcome: { value: unknown } | { error: unknown }) => {
      if (slot.job === job) slot.job = undefined;
      if (job.settled) return;
      settle(job, signal?.aborted ? { error: new JobCancelledError() } : outcome);
      pump();
    };
    let running: Promise<unknown>;
    try {
      running = job.task(slot.api, job.id);
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
