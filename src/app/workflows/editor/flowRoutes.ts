/**
 * Flows drawn around steps: the canvas asks the layout worker for ELK's orthogonal routes of the
 * flows (core/workflow/routing.ts) when it opens and after each arrangement (useFlowRoutes.ts), and
 * draws a route only while it still fits the picture. The routes are derived from the stored positions, never
 * stored themselves, so a reload draws the same routes as soon as the worker answers.
 *
 * One request at a time: a picture given while one runs waits for it, then the latest is routed.
 * {@link usableRoutes} keeps the routes of flows whose steps did not move and that no moved step
 * now covers; the other flows are drawn plainly. Why:
 * docs/decisions/0084-flows-routed-around-steps.md.
 */
import { type RoutePoint, routeCrossesBoxes, type StepBox } from '../../../core/workflow/routeGeometry.ts';
import type { FlowEnds, FlowRoutes } from '../../../core/workflow/routing.ts';

/** Routes and the boxes they were made for. */
export interface RoutedPicture {
  boxes: ReadonlyMap<string, StepBox>;
  routes: FlowRoutes['routes'];
}

/** Options of {@link createFlowRouter}. */
export interface FlowRouterOptions {
  /** routes flows around boxes (the layout worker in the app, the core function in tests) */
  route: (boxes: StepBox[], flows: FlowEnds[]) => Promise<FlowRoutes>;
  /** the newest routes, each time a request answers */
  onRoutes: (picture: RoutedPicture) => void;
}

/** The router engine: `update` with each new picture, `destroy` when the canvas goes. */
export interface FlowRouter {
  update(boxes: StepBox[], flows: FlowEnds[]): void;
  destroy(): void;
}

/** Creates the router engine (see the file header); owned by `useFlowRoutes`. */
export function createFlowRouter(options: FlowRouterOptions): FlowRouter {
  let latest: { boxes: StepBox[]; flows: FlowEnds[] } | null = null;
  let running = false;
  let destroyed = false;

  const next = () => {
    if (running || destroyed || !latest) return;
    const request = latest;
    latest = null;
    running = true;
    options.route(request.boxes, request.flows).then(
      (result) => {
        running = false;
        if (destroyed) return;
        // an answer for a picture already replaced is not drawn: the next request is on its way
        if (!latest)
          options.onRoutes({ boxes: new Map(request.boxes.map((b) => [b.id, b])), routes: result.routes });
        next();
      },
      () => {
        // a stopped or crashed worker: the flows stay plain until the picture changes again
        running = false;
        next();
      },
    );
  };

  return {
    update(boxes, flows) {
      latest = { boxes, flows };
      next();
    },
    destroy() {
      destroyed = true;
      latest = null;
    },
  };
}

function sameBox(a: StepBox | undefined, b: StepBox | undefined): boolean {
  return !!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/**
 * The routes of `picture` that still fit the steps at `current` (by {@link routeKey}): a flow's
 * route is used when both its steps are where it was routed for (keys are core's `routeKey`), and no step that moved (or was
 * added) since now lies across it.
 */
export function usableRoutes(
  picture: RoutedPicture | null,
  current: readonly StepBox[],
): ReadonlyMap<string, RoutePoint[]> {
  const usable = new Map<string, RoutePoint[]>();
  if (!picture) return usable;
  const moved: StepBox[] = [];
  const currentById = new Map<string, StepBox>();
  for (const box of current) {
    currentById.set(box.id, box);
    if (!sameBox(picture.boxes.get(box.id), box)) moved.push(box);
  }
  for (const [key, points] of Object.entries(picture.routes)) {
    const [from = '', to = ''] = key.split('\u0000');
    if (!sameBox(picture.boxes.get(from), currentById.get(from))) continue;
    if (!sameBox(picture.boxes.get(to), currentById.get(to))) continue;
    if (moved.length > 0 && routeCrossesBoxes(points, moved)) continue;
    usable.set(key, points);
  }
  return usable;
}
