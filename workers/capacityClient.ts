/**
 * The UI's entry point for capacity studies: a lazily created pool of capacity workers, so a
 * simulated month of clinic days never blocks the page.
 *
 * Constraint: every progress report is the job's heartbeat for the pool's stall watchdog; one
 * unit is a simulated week, which takes well under a second for clinic-sized workflows, so
 * {@link CAPACITY_STALL_MS} only catches a worker that died silently.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { CapacityStudyOptions, CapacityStudyOutcome } from '../src/core/workflow/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import type { CapacityWorkerApi } from './capacityApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/** No progress for this long means the capacity worker is gone. */
const CAPACITY_STALL_MS = 60_000;

/** Options of {@link runCapacityStudyInWorker}. */
interface CapacityRunOptions {
  /** progress in simulated clinic days */
  onProgress?: (progress: Progress) => void;
  /** aborting it cancels the study; the promise then rejects with JobCancelledError */
  signal?: AbortSignal;
}

let pool: WorkerPool<CapacityWorkerApi> | undefined;

function capacityPool(): WorkerPool<CapacityWorkerApi> {
  pool ??= createWorkerPool<CapacityWorkerApi>({
    name: 'capacity',
    // one study at a time is plenty: a study is seconds, and the user runs one per workflow
    size: 1,
    create: () => new Worker(new URL('./capacity.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** {@link runCapacityStudyInWorker} on a given pool (tests pass one with fake workers). */
export function runCapacityStudyInPool(
  workers: WorkerPool<CapacityWorkerApi>,
  workflow: Workflow,
  options: CapacityStudyOptions,
  { onProgress, signal }: CapacityRunOptions = {},
): Promise<CapacityStudyOutcome> {
  return workers.run<CapacityStudyOutcome>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress<Progress>(onProgress));
      return api.runStudy(jobId, workflow, options, report);
    },
    { signal, stallMs: CAPACITY_STALL_MS, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Runs a capacity study of `workflow` in a worker.
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {WorkerCrashedError} when the worker crashed or stopped responding.
 */
export function runCapacityStudyInWorker(
  workflow: Workflow,
  options: CapacityStudyOptions,
  runOptions: CapacityRunOptions = {},
): Promise<CapacityStudyOutcome> {
  return runCapacityStudyInPool(capacityPool(), workflow, options, runOptions);
}
