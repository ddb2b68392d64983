/**
 * The API the layout worker exposes: src/core's `layoutWorkflow`, `routeFlows` and `layoutProcessMap`, so a 1,000-step auto-layout
 * (seconds of ELK) never blocks the page. Kept apart from `layout.worker.ts` so vitest drives it
 * without a real Worker. Errors leave as `serializeJobError` plain objects (rebuilt by the pool).
 */
import { serializeJobError } from '../src/core/jobs/errors.ts';
import {
  type FlowEnds,
  type FlowRoutes,
  type LayoutOptions,
  layoutProcessMap,
  layoutWorkflow,
  type MapEdgeInput,
  type MapLayout,
  type MapNodeInput,
  routeFlows,
  type StepBox,
  type WorkflowLayout,
} from '../src/core/workflow/layout/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';

/** Creates the layout worker's API; one instance per worker. */
export function createLayoutApi() {
  return {
    /** {@link layoutWorkflow} of `workflow`. ELK runs as one call: cancelling is the pool's hard stop. */
    async layout(workflow: Workflow, options: LayoutOptions = {}): Promise<WorkflowLayout> {
      try {
        return await layoutWorkflow(workflow, options);
      } catch (error) {
        throw serializeJobError(error);
      }
    },
    /** {@link routeFlows}: orthogonal routes of flows around the steps where they are drawn. */
    async route(boxes: StepBox[], flows: FlowEnds[]): Promise<FlowRoutes> {
      try {
        return await routeFlows(boxes, flows);
      } catch (error) {
        throw serializeJobError(error);
      }
    },
    /** {@link layoutProcessMap}: a process map's boxes and routes. */
    async layoutMap(nodes: MapNodeInput[], edges: MapEdgeInput[]): Promise<MapLayout> {
      try {
        return await layoutProcessMap(nodes, edges);
      } catch (error) {
        throw serializeJobError(error);
      }
    },
  };
}

/** The layout worker's API as the main thread sees it through `Comlink.Remote`. */
export type LayoutWorkerApi = ReturnType<typeof createLayoutApi>;
