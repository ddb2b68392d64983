/**
 * The UI's entry point for auto-layout: a lazily created one-worker pool running src/core's
 * `layoutWorkflow` (elkjs) off the main thread. It also keeps ELK (1.6 MB of script) out of the
 * page's own bundle: only the worker loads it.
 *
 * Constraint: ELK reports no progress, so the stall watchdog ({@link LAYOUT_STALL_MS}) must outlast
 * the largest layout on a slow, busy machine.
 */
import type {
  FlowEnds,
  FlowRoutes,
  LayoutOptions,
  MapEdgeInput,
  MapLayout,
  MapNodeInput,
  StepBox,
  WorkflowLayout,
} from '../src/core/workflow/layout/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import type { LayoutWorkerApi } from './layoutApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/** A layout that has not answered for this long is taken for a dead worker (1,000 steps take seconds). */
const LAYOUT_STALL_MS = 60_000;

/** One layout at a time: a newer request supersedes an older one in the editor anyway. */
const LAYOUT_WORKERS = 1;

/** Options of {@link layoutWorkflowInWorker}. */
interface LayoutInWorkerOptions extends LayoutOptions {
  /** Aborting it cancels the layout (the worker is stopped); the promise rejects with JobCancelledError. */
  signal?: AbortSignal;
  /** Stall watchdog override in milliseconds; defaults to {@link LAYOUT_STALL_MS}. */
  stallMs?: number;
}

let pool: WorkerPool<LayoutWorkerApi> | undefined;

function layoutPool(): WorkerPool<LayoutWorkerApi> {
  pool ??= createWorkerPool<LayoutWorkerApi>({
    name: 'layout',
    size: LAYOUT_WORKERS,
    create: () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** {@link layoutWorkflowInWorker} on a given pool, exported so tests run it against fake workers. */
export function layoutInPool(
  workers: WorkerPool<LayoutWorkerApi>,
  workflow: Workflow,
  options: LayoutInWorkerOptions = {},
): Promise<WorkflowLayout> {
  const { signal, stallMs = LAYOUT_STALL_MS, ...layoutOptions } = options;
  return workers.run((api) => api.layout(workflow, layoutOptions), { signal, stallMs });
}

/**
 * Lays a workflow out in its lanes in a worker (see src/core/workflow/layout/layout.ts).
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function layoutWorkflowInWorker(
  workflow: Workflow,
  options: LayoutInWorkerOptions = {},
): Promise<WorkflowLayout> {
  return layoutInPool(layoutPool(), workflow, options);
}

/**
 * Routes a workflow's flows around its steps in the layout worker (see src/core/workflow/layout/routing.ts).
 *
 * @throws {JobCancelledError} when the worker was stopped (an arrangement stopped by the user).
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function routeFlowsInWorker(boxes: StepBox[], flows: FlowEnds[]): Promise<FlowRoutes> {
  return layoutPool().run((api) => api.route(boxes, flows), { stallMs: LAYOUT_STALL_MS });
}

/**
 * Lays a process map out in the layout worker (see src/core/workflow/layout/mapLayout.ts).
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function layoutMapInWorker(
  nodes: MapNodeInput[],
  edges: MapEdgeInput[],
  options: { signal?: AbortSignal } = {},
): Promise<MapLayout> {
  return layoutPool().run((api) => api.layoutMap(nodes, edges), {
    signal: options.signal,
    stallMs: LAYOUT_STALL_MS,
  });
}
