/**
 * The UI's entry point for event logs: a lazily created pool of one event-log worker, so reading
 * and discovering a log of millions of events never blocks the page.
 *
 * Constraint: every progress report (one per 1 MiB chunk read) is the job's heartbeat for the
 * pool's stall watchdog; discovery or conformance after the last chunk runs without reports, so
 * {@link EVENT_LOG_STALL_MS} leaves room for a million-case conformance on a slow machine.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import type {
  BackTestJobOutcome,
  ConformOutcome,
  DiscoverOutcome,
  EventLogWorkerApi,
  PreviewOutcome,
} from './eventLogApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/** No progress for this long means the event-log worker is gone. */
const EVENT_LOG_STALL_MS = 120_000;

/** Options of a run: progress in bytes read, and cancellation. */
interface EventLogRunOptions {
  onProgress?: (progress: Progress) => void;
  /** aborting it cancels the job; the promise then rejects with JobCancelledError */
  signal?: AbortSignal;
}

type DiscoverArgs = Parameters<EventLogWorkerApi['discover']>[3];
type ConformArgs = Parameters<EventLogWorkerApi['conform']>[4];
type BackTestArgs = Parameters<EventLogWorkerApi['backTest']>[3];

let pool: WorkerPool<EventLogWorkerApi> | undefined;

function eventLogPool(): WorkerPool<EventLogWorkerApi> {
  pool ??= createWorkerPool<EventLogWorkerApi>({
    name: 'event log',
    // one log at a time: a log holds its events in memory while it is read
    size: 1,
    create: () => new Worker(new URL('./eventLog.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** The options with the file's last change, so the worker can keep its last read (eventLogApi.ts). */
function stamped<T extends object>(file: Blob, options: T): T {
  return file instanceof File ? { ...options, lastModified: file.lastModified } : options;
}

/** {@link discoverInWorker} on a given pool (tests pass one with fake workers). */
export function discoverInPool(
  workers: WorkerPool<EventLogWorkerApi>,
  file: Blob,
  name: string,
  options: DiscoverArgs,
  { onProgress, signal }: EventLogRunOptions = {},
): Promise<DiscoverOutcome> {
  return workers.run<DiscoverOutcome>(
    (api, jobId, { progress }) =>
      api.discover(jobId, file, name, stamped(file, options), Comlink.proxy(progress<Progress>(onProgress))),
    { signal, stallMs: EVENT_LOG_STALL_MS, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/** {@link backTestInWorker} on a given pool. */
export function backTestInPool(
  workers: WorkerPool<EventLogWorkerApi>,
  file: Blob,
  name: string,
  options: BackTestArgs,
  { onProgress, signal }: EventLogRunOptions = {},
): Promise<BackTestJobOutcome> {
  return workers.run<BackTestJobOutcome>(
    (api, jobId, { progress }) =>
      api.backTest(jobId, file, name, stamped(file, options), Comlink.proxy(progress<Progress>(onProgress))),
    { signal, stallMs: EVENT_LOG_STALL_MS, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Back-tests the workflow discovered from a log against that log, in the worker (errors as
 * {@link discoverInWorker}).
 */
export function backTestInWorker(
  file: Blob,
  name: string,
  options: BackTestArgs,
  runOptions: EventLogRunOptions = {},
): Promise<BackTestJobOutcome> {
  return backTestInPool(eventLogPool(), file, name, options, runOptions);
}

/** {@link conformInWorker} on a given pool. */
export function conformInPool(
  workers: WorkerPool<EventLogWorkerApi>,
  file: Blob,
  name: string,
  workflow: Workflow,
  options: ConformArgs,
  { onProgress, signal }: EventLogRunOptions = {},
): Promise<ConformOutcome> {
  return workers.run<ConformOutcome>(
    (api, jobId, { progress }) =>
      api.conform(
        jobId,
        file,
        name,
        workflow,
        stamped(file, options),
        Comlink.proxy(progress<Progress>(onProgress)),
      ),
    { signal, stallMs: EVENT_LOG_STALL_MS, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Discovers the current workflow of a log file in a worker.
 * @throws {JobCancelledError} when `signal` aborts; {@link WorkerCrashedError} when the worker dies.
 */
export function discoverInWorker(
  file: Blob,
  name: string,
  options: DiscoverArgs,
  runOptions: EventLogRunOptions = {},
): Promise<DiscoverOutcome> {
  return discoverInPool(eventLogPool(), file, name, options, runOptions);
}

/** Checks a log file against a designed workflow in a worker (errors as {@link discoverInWorker}). */
export function conformInWorker(
  file: Blob,
  name: string,
  workflow: Workflow,
  options: ConformArgs,
  runOptions: EventLogRunOptions = {},
): Promise<ConformOutcome> {
  return conformInPool(eventLogPool(), file, name, workflow, options, runOptions);
}

/** {@link previewInWorker} on a given pool. */
export function previewInPool(
  workers: WorkerPool<EventLogWorkerApi>,
  file: Blob,
  name: string,
  { signal }: EventLogRunOptions = {},
): Promise<PreviewOutcome> {
  return workers.run<PreviewOutcome>((api) => api.preview(file, name, stamped(file, {})), { signal });
}

/** Previews a log file in the worker: its columns and a proposed mapping (see `eventLogApi.ts`). */
export function previewInWorker(
  file: Blob,
  name: string,
  runOptions: EventLogRunOptions = {},
): Promise<PreviewOutcome> {
  return previewInPool(eventLogPool(), file, name, runOptions);
}
