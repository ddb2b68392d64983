/**
 * The routes the diagram's pictures (the SVG and PNG downloads, the map on a process page, the
 * printable process document) draw: routeFlows of the steps' boxes as the canvas draws them, for
 * the stored positions, so a picture shows the routes the canvas shows after opening or arranging
 * the workflow. Routes are derived, never stored: each picture routes its workflow again. Why:
 * docs/decisions/0084-flows-routed-around-steps.md.
 */
import { useEffect, useState } from 'react';
import { routeFlowsInWorker } from '../../../../workers/layoutClient.ts';
import { flowEndsOf, type StepBox } from '../../../core/workflow/index.ts';
import type { FlowEnds, FlowRoutes } from '../../../core/workflow/layout/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { type CanvasLayout, stepBoxes } from './canvasModel.ts';
import type { DiagramRoutes } from './exportDiagram.ts';

/** What routes flows: the layout worker in the app, core's routeFlows in tests. */
type RouteFlows = (boxes: StepBox[], flows: FlowEnds[]) => Promise<FlowRoutes>;

/** The routes of `workflow`'s flows drawn at `layout` (see the file header). */
export async function diagramRoutes(
  workflow: Workflow,
  layout: CanvasLayout,
  route: RouteFlows = routeFlowsInWorker,
): Promise<DiagramRoutes> {
  const result = await route(stepBoxes(layout), flowEndsOf(workflow));
  return result.routes;
}

/**
 * The routes of a picture of `workflow` at `layout`, routed in the layout worker while `wanted`:
 * `pending` until the worker answers (the picture draws its flows plainly meanwhile), `undefined`
 * routes when not wanted or the worker failed (every flow is drawn plainly, and the picture says so).
 */
export function useDiagramRoutes(
  workflow: Workflow,
  layout: CanvasLayout,
  wanted: boolean,
): { routes: DiagramRoutes | undefined; pending: boolean } {
  const [answer, setAnswer] = useState<{ for: CanvasLayout; routes: DiagramRoutes | undefined } | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let gone = false;
    diagramRoutes(workflow, layout).then(
      (routes) => {
        if (!gone) setAnswer({ for: layout, routes });
      },
      () => {
        if (!gone) setAnswer({ for: layout, routes: undefined });
      },
    );
    return () => {
      gone = true;
    };
  }, [workflow, layout, wanted]);
  if (!wanted) return { routes: undefined, pending: false };
  if (answer?.for !== layout) return { routes: undefined, pending: true };
  return { routes: answer.routes, pending: false };
}
