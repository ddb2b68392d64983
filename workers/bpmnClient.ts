/**
 * The UI's entry point for BPMN exchange: a lazily created one-worker pool that reads and maps
 * BPMN files (and writes them) off the main thread with src/core's `importBpmnBytes` and
 * `exportBpmn`, the functions the CLI runs too.
 */
import type { BpmnImportResult } from '../src/core/workflow/bpmn/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import type { BpmnWorkerApi } from './bpmnApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/** A BPMN file is at most a few MB: a minute without an answer means the worker is gone. */
const BPMN_STALL_MS = 60_000;

let pool: WorkerPool<BpmnWorkerApi> | undefined;

function bpmnPool(): WorkerPool<BpmnWorkerApi> {
  pool ??= createWorkerPool<BpmnWorkerApi>({
    name: 'bpmn',
    size: 1,
    create: () => new Worker(new URL('./bpmn.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** {@link importBpmnInWorker} on a given pool, exported so tests run it against fake workers. */
export function importBpmnInPool(
  workers: WorkerPool<BpmnWorkerApi>,
  file: Blob,
  options: { signal?: AbortSignal } = {},
): Promise<BpmnImportResult> {
  return workers.run((api) => api.importFile(file), { signal: options.signal, stallMs: BPMN_STALL_MS });
}

/** {@link exportBpmnInWorker} on a given pool. */
export function exportBpmnInPool(workers: WorkerPool<BpmnWorkerApi>, workflow: Workflow): Promise<string> {
  return workers.run((api) => api.exportWorkflow(workflow), { stallMs: BPMN_STALL_MS });
}

/**
 * Imports a BPMN file in a worker: the workflow, what was not carried over, and the problems.
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {InputReadError} when the file cannot be read.
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function importBpmnInWorker(
  file: Blob,
  options: { signal?: AbortSignal } = {},
): Promise<BpmnImportResult> {
  return importBpmnInPool(bpmnPool(), file, options);
}

/** Exports a workflow as BPMN 2.0 XML in a worker. @throws {WorkerCrashedError} as above. */
export function exportBpmnInWorker(workflow: Workflow): Promise<string> {
  return exportBpmnInPool(bpmnPool(), workflow);
}
