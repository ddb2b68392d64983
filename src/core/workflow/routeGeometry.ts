/**
 * The geometry of flow routes (core/workflow/layout/routing.ts), apart from ELK so that the page can draw
 * and check routes without loading ELK (1.6 MB of script, kept to the layout worker).
 */

import type { Workflow } from '../../formats/workflow.ts';

/** A segment may run along a box's border this close without passing through it. */
const BORDER_TOLERANCE = 1;

/** A step's box where it is drawn: top-left corner and size. */
export interface StepBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point of a route. */
export interface RoutePoint {
  x: number;
  y: number;
}

/** A flow to route: from one step to another. */
export interface FlowEnds {
  from: string;
  to: string;
  /**
   * `bottom`: the flow leaves its step downward, never by its right side: a boundary event's
   * exception path, drawn away from the activity the event sits on (as bpmn-js draws it), where
   * a route from the event's right side would run back across that activity
   */
  leaves?: 'bottom';
  /**
   * The flow is one of several out of a split (a decision, a parallel or an inclusive split): one
   * exit leaves by the right side and an exit to a step wholly below or above the split leaves by
   * its bottom or top, as bpmn-js draws a gateway's branches, so two exits never run along each
   * other out of the one right-side handle
   */
  fromSplit?: true;
}

/** Step kinds whose several outgoing flows are branches (see {@link FlowEnds.fromSplit}). */
const SPLITS: ReadonlySet<string> = new Set(['decision', 'parallel-split', 'inclusive-split']);

/**
 * The flows of a workflow to route ({@link FlowEnds}): each flow out of a boundary event attached
 * to a step of the workflow leaves it downward; the flows of a split with several are branches.
 */
export function flowEndsOf(workflow: Pick<Workflow, 'steps' | 'flows'>): FlowEnds[] {
  const ids = new Set(workflow.steps.map((step) => step.id));
  const boundary = new Set(
    workflow.steps
      .filter((step) => step.boundary?.attachedTo !== undefined && ids.has(step.boundary.attachedTo))
      .map((step) => step.id),
  );
  const splits = new Set(workflow.steps.filter((step) => SPLITS.has(step.kind)).map((step) => step.id));
  const exits = new Map<string, number>();
  for (const flow of workflow.flows) exits.set(flow.from, (exits.get(flow.from) ?? 0) + 1);
  return workflow.flows.map((flow): FlowEnds => {
    if (boundary.has(flow.from)) return { from: flow.from, to: flow.to, leaves: 'bottom' };
    if (splits.has(flow.from) && (exits.get(flow.from) ?? 0) > 1)
      return { from: flow.from, to: flow.to, fromSplit: true };
    return { from: flow.from, to: flow.to };
  });
}

/** The key of a flow's route: its two step ids. */
export function routeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * Whether the segment a–b passes through the inside of `box` (running along its border, or
 * touching it, does not count). A flow's segments are axis-parallel; an association's may be
 * slanted (a straight line between two shapes), and is clipped against the box exactly.
 */
export function segmentCrossesBox(a: RoutePoint, b: RoutePoint, box: StepBox): boolean {
  const x0 = Math.min(a.x, b.x);
  const x1 = Math.max(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const y1 = Math.max(a.y, b.y);
  const inBounds =
    x1 > box.x + BORDER_TOLERANCE &&
    x0 < box.x + box.width - BORDER_TOLERANCE &&
    y1 > box.y + BORDER_TOLERANCE &&
    y0 < box.y + box.height - BORDER_TOLERANCE;
  if (!inBounds || a.x === b.x || a.y === b.y) return inBounds;
  // a slanted segment: the part of it (t in [enter, leave]) inside the box, shrunk by the tolerance
  let enter = 0;
  let leave = 1;
  const clip = (start: number, delta: number, low: number, high: number) => {
    const t0 = (low - start) / delta;
    const t1 = (high - start) / delta;
    enter = Math.max(enter, Math.min(t0, t1));
    leave = Math.min(leave, Math.max(t0, t1));
  };
  clip(a.x, b.x - a.x, box.x + BORDER_TOLERANCE, box.x + box.width - BORDER_TOLERANCE);
  clip(a.y, b.y - a.y, box.y + BORDER_TOLERANCE, box.y + box.height - BORDER_TOLERANCE);
  return leave - enter > SLANT_EPSILON;
}

/** How much of a slanted segment (as a share of it) must lie inside a box to pass through it. */
const SLANT_EPSILON = 1e-9;

/** Whether any segment of `points` passes through any of `boxes` (see {@link segmentCrossesBox}). */
export function routeCrossesBoxes(points: readonly RoutePoint[], boxes: Iterable<StepBox>): boolean {
  for (const box of boxes) {
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      if (a && b && segmentCrossesBox(a, b, box)) return true;
    }
  }
  return false;
}

/**
 * The point halfway along a route (by length), where its label and finding mark go; the first
 * point for a route of one point.
 */
export function routeMidpoint(points: readonly RoutePoint[]): RoutePoint {
  const first = points[0] ?? { x: 0, y: 0 };
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) total += segmentLength(points[i], points[i + 1]);
  let left = total / 2;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as RoutePoint;
    const b = points[i + 1] as RoutePoint;
    const length = segmentLength(a, b);
    if (length >= left && length > 0) {
      const t = left / length;
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    }
    left -= length;
  }
  return first;
}

function segmentLength(a: RoutePoint | undefined, b: RoutePoint | undefined): number {
  return a && b ? Math.abs(b.x - a.x) + Math.abs(b.y - a.y) : 0;
}

/** A side of a box a route leaves or enters by: the unit vector pointing out of the box. */
interface RouteSide {
  dx: -1 | 0 | 1;
  dy: -1 | 0 | 1;
}

/**
 * How far a route can run straight out of `start` by `side` before it meets one of `boxes`
 * (infinite when nothing is in the way): how long its first run may be.
 */
export function freeRun(start: RoutePoint, side: RouteSide, boxes: readonly StepBox[]): number {
  let free = Number.POSITIVE_INFINITY;
  for (const box of boxes) {
    const across =
      side.dx === 0
        ? start.x > box.x + BORDER_TOLERANCE && start.x < box.x + box.width - BORDER_TOLERANCE
        : start.y > box.y + BORDER_TOLERANCE && start.y < box.y + box.height - BORDER_TOLERANCE;
    if (!across) continue;
    const distance =
      side.dx === 1
        ? box.x - start.x
        : side.dx === -1
          ? start.x - (box.x + box.width)
          : side.dy === 1
            ? box.y - start.y
            : start.y - (box.y + box.height);
    if (distance >= 0) free = Math.min(free, distance);
  }
  return free;
}

/** How far a route keeps from the boxes it goes around, and runs out of a side before turning. */
const ROUTE_CLEARANCE = 12;
/** What a bend costs, in units of length: fewer bends before a shorter route. */
const BEND_COST = 40;

/**
 * An orthogonal route from `start` (leaving by `startSide`) to `end` (entered from `endSide`)
 * that passes through none of `boxes` (see {@link segmentCrossesBox}), with the fewest bends and
 * then the shortest length; undefined when there is none. How: the routes run on the grid of the
 * lines `ROUTE_CLEARANCE` outside each box's sides (and through the two ends), searched by
 * Dijkstra over (point, heading). The route runs `startRun` straight out of `start` before it may
 * turn (`ROUTE_CLEARANCE` unless a shape closer than that is in the way). Same input, same route.
 */
export function routeAround(
  start: RoutePoint,
  startSide: RouteSide,
  end: RoutePoint,
  endSide: RouteSide,
  boxes: readonly StepBox[],
  startRun: number = ROUTE_CLEARANCE,
): RoutePoint[] | undefined {
  const out = { x: start.x + startSide.dx * startRun, y: start.y + startSide.dy * startRun };
  const into = { x: end.x + endSide.dx * ROUTE_CLEARANCE, y: end.y + endSide.dy * ROUTE_CLEARANCE };
  const clear = (a: RoutePoint, b: RoutePoint) => !boxes.some((box) => segmentCrossesBox(a, b, box));
  if (!clear(start, out) || !clear(into, end)) return undefined;
  const unique = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
  const xs = unique([
    out.x,
    into.x,
    ...boxes.flatMap((b) => [b.x - ROUTE_CLEARANCE, b.x + b.width + ROUTE_CLEARANCE]),
  ]);
  const ys = unique([
    out.y,
    into.y,
    ...boxes.flatMap((b) => [b.y - ROUTE_CLEARANCE, b.y + b.height + ROUTE_CLEARANCE]),
  ]);
  const X = xs.length;
  const Y = ys.length;
  const headings = [
    { dx: 1, dy: 0 },
    { dx: -1, dy: 0 },
    { dx: 0, dy: 1 },
    { dx: 0, dy: -1 },
  ] as const;
  const headingOf = (side: RouteSide) => headings.findIndex((h) => h.dx === side.dx && h.dy === side.dy);
  const state = (ix: number, iy: number, h: number) => (iy * X + ix) * 4 + h;
  const cost = new Float64Array(X * Y * 4).fill(Number.POSITIVE_INFINITY);
  const previous = new Int32Array(X * Y * 4).fill(-1);
  const startState = state(xs.indexOf(out.x), ys.indexOf(out.y), headingOf(startSide));
  const goal = { ix: xs.indexOf(into.x), iy: ys.indexOf(into.y) };
  // the heading arriving at the goal must point into the target: opposite its side
  const arriving = headingOf({ dx: -endSide.dx as RouteSide['dx'], dy: -endSide.dy as RouteSide['dy'] });
  cost[startState] = 0;
  const heap: [number, number][] = [[0, startState]];
  const push = (c: number, s: number) => {
    heap.push([c, s]);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as [number, number])[0] <= c) break;
      [heap[i], heap[parent]] = [heap[parent] as [number, number], heap[i] as [number, number]];
      i = parent;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0] as [number, number];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && (heap[l] as [number, number])[0] < (heap[m] as [number, number])[0]) m = l;
        if (r < heap.length && (heap[r] as [number, number])[0] < (heap[m] as [number, number])[0]) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as [number, number], heap[i] as [number, number]];
        i = m;
      }
    }
    return top;
  };
  let reached = -1;
  while (heap.length > 0) {
    const [c, s] = pop();
    if (c > (cost[s] ?? 0)) continue;
    const h = s % 4;
    const cell = (s - h) / 4;
    const ix = cell % X;
    const iy = (cell - ix) / X;
    if (ix === goal.ix && iy === goal.iy && h === arriving) {
      reached = s;
      break;
    }
    for (const [nh, heading] of headings.entries()) {
      // never straight back along the segment just drawn
      if (heading.dx === -(headings[h] as RouteSide).dx && heading.dy === -(headings[h] as RouteSide).dy)
        continue;
      const nx = ix + heading.dx;
      const ny = iy + heading.dy;
      if (nx < 0 || ny < 0 || nx >= X || ny >= Y) continue;
      const a = { x: xs[ix] as number, y: ys[iy] as number };
      const b = { x: xs[nx] as number, y: ys[ny] as number };
      if (!clear(a, b)) continue;
      const next = state(nx, ny, nh);
      const nc = c + Math.abs(b.x - a.x) + Math.abs(b.y - a.y) + (nh === h ? 0 : BEND_COST);
      if (nc < (cost[next] ?? 0)) {
        cost[next] = nc;
        previous[next] = s;
        push(nc, next);
      }
    }
    // turning in place at a grid point (the bend is paid on the next move)
  }
  if (reached < 0) return undefined;
  const cells: RoutePoint[] = [];
  for (let s = reached; s >= 0; s = previous[s] ?? -1) {
    const cell = (s - (s % 4)) / 4;
    const ix = cell % X;
    cells.push({ x: xs[ix] as number, y: ys[(cell - ix) / X] as number });
  }
  cells.reverse();
  return withoutStraightPoints([start, ...cells, end]);
}

/** The route without repeated points and without points in the middle of a straight run. */
function withoutStraightPoints(points: readonly RoutePoint[]): RoutePoint[] {
  const kept: RoutePoint[] = [];
  for (const point of points) {
    const last = kept[kept.length - 1];
    if (last && last.x === point.x && last.y === point.y) continue;
    const before = kept[kept.length - 2];
    if (
      last &&
      before &&
      ((before.x === last.x && last.x === point.x) || (before.y === last.y && last.y === point.y))
    )
      kept.pop();
    kept.push(point);
  }
  return kept;
}

/** A side of a box. */
export type BoxSide = 'left' | 'right' | 'top' | 'bottom';

/** The unit vector pointing out of a box by each side. */
export const OUTWARD: Readonly<Record<BoxSide, RouteSide>> = {
  left: { dx: -1, dy: 0 },
  right: { dx: 1, dy: 0 },
  top: { dx: 0, dy: -1 },
  bottom: { dx: 0, dy: 1 },
};

/** The point in the middle of a side of a box. */
export function sidePoint(box: Omit<StepBox, 'id'>, side: BoxSide): RoutePoint {
  const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  if (side === 'left') return { x: box.x, y: middle.y };
  if (side === 'right') return { x: box.x + box.width, y: middle.y };
  if (side === 'top') return { x: middle.x, y: box.y };
  return { x: middle.x, y: box.y + box.height };
}

/**
 * A route that must leave `from` by its `leave` side (a boundary event's exception path, away from
 * the activity it sits on) into `to` by the first of `enters` that has one, around `boxes` (see
 * {@link routeAround}); undefined when none has. When a box lies closer to that side than a route's
 * clearance, the route's first run is half the room there, so a shape close under the event
 * never turns the route back across the activity.
 */
export function routeLeaving(
  from: Omit<StepBox, 'id'>,
  leave: BoxSide,
  to: Omit<StepBox, 'id'>,
  enters: readonly BoxSide[],
  boxes: readonly StepBox[],
): RoutePoint[] | undefined {
  const start = sidePoint(from, leave);
  const run = Math.min(ROUTE_CLEARANCE, freeRun(start, OUTWARD[leave], boxes) / 2);
  if (!(run > 0)) return undefined;
  for (const enter of enters) {
    const route = routeAround(start, OUTWARD[leave], sidePoint(to, enter), OUTWARD[enter], boxes, run);
    if (route) return route;
  }
  return undefined;
}

/** A shape an association joins, where it is drawn. */
export type AssociationEnd = Omit<StepBox, 'id'>;

/**
 * The sides an association's straight line joins: bottom to top when one shape lies wholly above
 * the other, else side to side (see {@link straightAssociation}).
 */
function associationSides(from: AssociationEnd, to: AssociationEnd): [BoxSide, BoxSide] {
  if (to.y >= from.y + from.height) return ['bottom', 'top'];
  if (from.y >= to.y + to.height) return ['top', 'bottom'];
  return to.x >= from.x ? ['right', 'left'] : ['left', 'right'];
}

/**
 * The straight line of an association (a document to its step, a note to its step) between the
 * middles of the two shapes' nearest sides: bottom to top when one lies wholly above the other,
 * else side to side. What bpmn-js draws for an association it lays out itself.
 */
export function straightAssociation(from: AssociationEnd, to: AssociationEnd): RoutePoint[] {
  const [leave, enter] = associationSides(from, to);
  return [sidePoint(from, leave), sidePoint(to, enter)];
}

const OPPOSITE: Readonly<Record<BoxSide, BoxSide>> = {
  left: 'right',
  right: 'left',
  top: 'bottom',
  bottom: 'top',
};

/** How far around an association's two ends the route first looks for the shapes in its way. */
const ASSOCIATION_REACH = 240;
/** Pages with more shapes than this are routed around the shapes near the ends only. */
const ASSOCIATION_MAX_BOXES = 300;

/**
 * The route of an association between two shapes that passes through none of `boxes` (the other
 * shapes of the page; the two ends may be among them, and are gone round too): the
 * {@link straightAssociation} when it passes through none, else an orthogonal route around them
 * ({@link routeAround}, as a flow's), from the first pair of sides that has one — out of the side
 * facing the other shape into the side facing back, then out of either side across, then around
 * — looking first among the shapes near the two ends and keeping a route only if it passes through
 * no shape of `boxes`; else the straight line. Same input, same route. The export's data and
 * annotation associations and the editor's canvas both route with it.
 */
export function associationRoute(
  from: AssociationEnd,
  to: AssociationEnd,
  boxes: readonly StepBox[],
): RoutePoint[] {
  const straight = straightAssociation(from, to);
  if (!routeCrossesBoxes(straight, boxes)) return straight;
  const [facing, back] = associationSides(from, to);
  const [start, end] = straight as [RoutePoint, RoutePoint];
  // the two sides across the facing one, the one towards the other shape first
  const vertical = facing === 'top' || facing === 'bottom';
  const towards: BoxSide = vertical
    ? end.x >= start.x
      ? 'right'
      : 'left'
    : end.y >= start.y
      ? 'bottom'
      : 'top';
  const across: BoxSide[] = [towards, OPPOSITE[towards]];
  const pairs: [BoxSide, BoxSide][] = [
    [facing, back],
    ...across.map((side): [BoxSide, BoxSide] => [side, back]),
    ...across.map((side): [BoxSide, BoxSide] => [facing, OPPOSITE[side]]),
    ...across.map((side): [BoxSide, BoxSide] => [side, side]),
    ...across.map((side): [BoxSide, BoxSide] => [side, OPPOSITE[side]]),
  ];
  const x0 = Math.min(from.x, to.x) - ASSOCIATION_REACH;
  const y0 = Math.min(from.y, to.y) - ASSOCIATION_REACH;
  const x1 = Math.max(from.x + from.width, to.x + to.width) + ASSOCIATION_REACH;
  const y1 = Math.max(from.y + from.height, to.y + to.height) + ASSOCIATION_REACH;
  const near = boxes.filter((b) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0);
  const searches =
    near.length < boxes.length && boxes.length <= ASSOCIATION_MAX_BOXES ? [near, boxes] : [near];
  for (const among of searches) {
    for (const [leave, enter] of pairs) {
      const route = routeAround(
        sidePoint(from, leave),
        OUTWARD[leave],
        sidePoint(to, enter),
        OUTWARD[enter],
        among,
      );
      if (route && (among === boxes || !routeCrossesBoxes(route, boxes))) return route;
    }
  }
  return straight;
}
