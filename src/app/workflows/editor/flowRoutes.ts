/**
 * Flows drawn around steps: the canvas asks the layout worker for ELK's orthogonal routes of the
 * flows (core/workflow/layout/routing.ts) when it opens and after each arrangement (useFlowRoutes.ts), and
 * draws a route only while it still fits the picture. The routes are derived from the stored positions, never
 * stored themselves, so a reload draws the same routes as soon as the worker answers.
 *
 * One request at a time: a picture given while one runs waits for it, then the latest is routed.
 * The canvas keeps the routes of each set of positions it routed ({@link keepPicture}), so an undo
 * or redo back to positions routed before draws their routes again ({@link pictureFor}).
 * {@link usableRoutes} keeps the routes of flows whose steps did not move and that no moved step
 * now covers; the other flows are drawn plainly. Why:
 * docs/decisions/0084-flows-routed-around-steps.md.
 */
import { type RoutePoint, routeCrossesBoxes, routeKey, type StepBox } from '../../../core/workflow/index.ts';
import type { FlowEnds, FlowRoutes } from '../../../core/workflow/layout/index.ts';

/**
 * Up to this many steps, the flows are routed around the steps as soon as the workflow opens; a
 * larger one is routed after "Arrange automatically", so opening and editing it never waits on
 * seconds of ELK in the background (docs/decisions/0084-flows-routed-around-steps.md).
 */
export const ROUTE_ON_OPEN_MAX_STEPS = 300;

/** Routes and the boxes and flows they were made for. */
export interface RoutedPicture {
  boxes: ReadonlyMap<string, StepBox>;
  /** the flows routed, by `routeKey` */
  flows: ReadonlySet<string>;
  routes: FlowRoutes['routes'];
}

/**
 * How many routed pictures the canvas keeps: an undo or redo back to positions routed before (the
 * positions on opening, an earlier arrangement) draws their routes again without asking ELK.
 */
export const ROUTED_PICTURES_KEPT = 8;

/** Options of {@link createFlowRouter}. */
interface FlowRouterOptions {
  /** routes flows around boxes (the layout worker in the app, the core function in tests) */
  route: (boxes: StepBox[], flows: FlowEnds[]) => Promise<FlowRoutes>;
  /** the newest routes, each time a request answers */
  onRoutes: (picture: RoutedPicture) => void;
}

/** The router engine: `update` with each new picture, `destroy` when the canvas goes. */
interface FlowRouter {
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
          options.onRoutes({
            boxes: new Map(request.boxes.map((b) => [b.id, b])),
            flows: new Set(request.flows.map((f) => routeKey(f.from, f.to))),
            routes: result.routes,
          });
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

/** `pictures` (newest first) with `picture` added: one per set of boxes, at most {@link ROUTED_PICTURES_KEPT}. */
export function keepPicture(pictures: readonly RoutedPicture[], picture: RoutedPicture): RoutedPicture[] {
  const others = pictures.filter((p) => !sameBoxes(p, [...picture.boxes.values()]));
  return [picture, ...others].slice(0, ROUTED_PICTURES_KEPT);
}

/**
 * The picture to draw for the steps at `boxes` (the stored positions): the one routed for exactly
 * these boxes, else the newest (whose routes {@link usableRoutes} keeps where they still fit).
 */
export function pictureFor(
  pictures: readonly RoutedPicture[],
  boxes: readonly StepBox[],
): RoutedPicture | null {
  return pictures.find((p) => sameBoxes(p, boxes)) ?? pictures[0] ?? null;
}

/** Whether `picture`'s routes are of the picture shown: the same boxes and the same flows. */
export function pictureCurrent(
  picture: RoutedPicture | null,
  shown: readonly StepBox[],
  flows: readonly { from: string; to: string }[],
): boolean {
  if (!picture || !sameBoxes(picture, shown)) return false;
  const keys = new Set(flows.map((f) => routeKey(f.from, f.to)));
  return keys.size === picture.flows.size && [...keys].every((key) => picture.flows.has(key));
}

function sameBoxes(picture: RoutedPicture, boxes: readonly StepBox[]): boolean {
  return picture.boxes.size === boxes.length && boxes.every((box) => sameBox(picture.boxes.get(box.id), box));
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
