/**
 * Orthogonal routes of a workflow's flows around its steps, for the steps where they are drawn.
 *
 * How: ELK's layered algorithm with every phase in its interactive mode (cycle breaking, layering,
 * crossing minimisation and node placement read the positions given) keeps each step's height and
 * its column order, and routes the edges orthogonally between them; the routes are the sections'
 * bend points, taken back to the canvas column by column (ELK spaces its columns its own way). Each step has one port in the middle of its left side (flows in) and one in the middle
 * of its right side (flows out), where the editor's canvas draws its handles, so a route meets the
 * step where the plain edge would.
 *
 * A route is kept only when ELK left both of its steps at the height given, it is still orthogonal
 * on the canvas, and none of its segments passes through a step's box; any other flow is routed
 * around the steps by `routeAround` (routeGeometry.ts), from the same sides, or, when no such route
 * exists, has none (the caller draws it plainly) and is counted in `unrouted`, so nothing is
 * dropped silently. A flow that `leaves` its step downward (a boundary event's exception path) is
 * not given to ELK: it is routed around the steps from its step's bottom (`routeLeaving`); nor is a
 * split's branch to a step wholly below or above the split (but the branch nearest its row), which
 * leaves by the split's bottom or top so that no two branches share the right-side port. Why
 * ELK's routes and not the
 * editor's own: docs/decisions/0084-flows-routed-around-steps.md.
 *
 * Constraint: ELK runs in the calling thread (a 1,000-step workflow takes over a second); the app
 * calls this in the layout worker.
 */
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import {
  type FlowEnds,
  type RoutePoint,
  routeAround,
  routeCrossesBoxes,
  routeKey,
  routeLeaving,
  type StepBox,
} from '../routeGeometry.ts';
import { layoutEngine } from './layout.ts';

export type { FlowEnds, RoutePoint, StepBox } from '../routeGeometry.ts';

/** The routes of {@link routeFlows}. */
export interface FlowRoutes {
  /** points from the source's right side to the target's left side, by {@link routeKey} */
  routes: Record<string, RoutePoint[]>;
  /** flows that got no route (a loop on one step, an unknown step, a route ELK could not keep) */
  unrouted: number;
  /**
   * Of ELK's own routes, how many were dropped (each then routed around the steps by
   * `routeAround` when it can be, else counted in `unrouted`): its step moved vertically, it was
   * no longer orthogonal on the canvas, or it passed through a step's box.
   */
  dropped: { moved: number; bent: number; crossing: number };
}

/** How far a step's height or a segment's straightness may be off (rounding) for a route to fit. */
const MOVED_TOLERANCE = 0.5;
/** Space ELK keeps between routes and steps, and between parallel routes. */
const ROUTE_SPACING = 10;

/**
 * Routes `flows` around the steps at `boxes` (see the file header). Same input, same routes.
 */
export async function routeFlows(boxes: readonly StepBox[], flows: readonly FlowEnds[]): Promise<FlowRoutes> {
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const wanted = new Map<string, FlowEnds>();
  // flows that leave their step downward: routed around the steps on a route of our own
  const downward = new Map<string, FlowEnds>();
  let unrouted = 0;
  for (const flow of flows) {
    if (flow.from === flow.to || !byId.has(flow.from) || !byId.has(flow.to)) unrouted++;
    else (flow.leaves === 'bottom' ? downward : wanted).set(routeKey(flow.from, flow.to), flow);
  }
  const dropped = { moved: 0, bent: 0, crossing: 0 };
  const routes: Record<string, RoutePoint[]> = {};
  const leaveBy = (key: string, flow: FlowEnds, side: 'bottom' | 'top'): boolean => {
    const from = byId.get(flow.from) as StepBox;
    const to = byId.get(flow.to) as StepBox;
    const near = boxesNear(from, to, boxes);
    const forward = to.x >= from.x + from.width;
    const back = side === 'bottom' ? 'top' : 'bottom';
    const route = routeLeaving(from, side, to, [forward ? 'left' : 'right', back, side], near);
    if (!route || (near.length !== boxes.length && routeCrossesBoxes(route, boxes))) return false;
    routes[key] = route;
    return true;
  };
  for (const [key, flow] of downward) if (!leaveBy(key, flow, 'bottom')) unrouted++;
  // a split's branch to a step wholly below or above it leaves by that side, except the branch
  // nearest the split's row, which keeps the right side: branches never share the right handle
  const rowBranch = new Map<string, { key: string; off: number }>();
  for (const [key, flow] of wanted) {
    if (!flow.fromSplit) continue;
    const from = byId.get(flow.from) as StepBox;
    const to = byId.get(flow.to) as StepBox;
    const off = Math.abs(to.y + to.height / 2 - (from.y + from.height / 2));
    const best = rowBranch.get(flow.from);
    if (!best || off < best.off) rowBranch.set(flow.from, { key, off });
  }
  for (const [key, flow] of wanted) {
    if (!flow.fromSplit || rowBranch.get(flow.from)?.key === key) continue;
    const from = byId.get(flow.from) as StepBox;
    const to = byId.get(flow.to) as StepBox;
    const side = to.y >= from.y + from.height ? 'bottom' : to.y + to.height <= from.y ? 'top' : undefined;
    // a branch with no clear way out of that side is left to ELK from the right side
    if (side && leaveBy(key, flow, side)) wanted.delete(key);
  }
  if (wanted.size === 0) return { routes, unrouted, dropped };

  const graph: ElkNode = {
    id: 'workflow',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.cycleBreaking.strategy': 'INTERACTIVE',
      'elk.layered.layering.strategy': 'INTERACTIVE',
      'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
      'elk.layered.nodePlacement.strategy': 'INTERACTIVE',
      'elk.spacing.edgeNode': String(ROUTE_SPACING),
      'elk.spacing.edgeEdge': String(ROUTE_SPACING),
      'elk.layered.spacing.edgeNodeBetweenLayers': String(ROUTE_SPACING),
      'elk.layered.spacing.edgeEdgeBetweenLayers': String(ROUTE_SPACING),
      'elk.separateConnectedComponents': 'false',
    },
    children: boxes.map((box) => ({
      id: box.id,
      x: box.x,
      y: box.y,
      width: box.width,
      height: box.height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: [
        {
          id: `${box.id}\u0000in`,
          x: 0,
          y: box.height / 2,
          width: 0,
          height: 0,
          layoutOptions: { 'elk.port.side': 'WEST' },
        },
        {
          id: `${box.id}\u0000out`,
          x: box.width,
          y: box.height / 2,
          width: 0,
          height: 0,
          layoutOptions: { 'elk.port.side': 'EAST' },
        },
      ],
    })),
    edges: [...wanted.entries()].map(([key, flow]) => ({
      id: key,
      sources: [`${flow.from}\u0000out`],
      targets: [`${flow.to}\u0000in`],
    })),
  };
  const placed = await layoutEngine().layout(graph);

  // ELK keeps each step's height (interactive node placement) but places columns at its own
  // spacing, from its own origin: its x is mapped back column by column (see columnMap)
  const elkNodes = placed.children ?? [];
  const offsets = elkNodes.map((node) => (node.y ?? 0) - (byId.get(node.id)?.y ?? 0));
  const dy = median(offsets);
  const moved = new Set<string>();
  for (const node of elkNodes) {
    const box = byId.get(node.id);
    if (!box || Math.abs((node.y ?? 0) - dy - box.y) > MOVED_TOLERANCE) moved.add(node.id);
  }
  const mapX = columnMap(elkNodes.map((node) => ({ elkX: node.x ?? 0, box: byId.get(node.id) })));

  for (const edge of placed.edges ?? []) {
    const flow = wanted.get(edge.id);
    const sections = edge.sections ?? [];
    if (!flow || sections.length !== 1) continue;
    if (moved.has(flow.from) || moved.has(flow.to)) {
      dropped.moved++;
      continue;
    }
    const [section] = sections;
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!section || !from || !to) continue;
    const points = [
      { x: from.x + from.width, y: from.y + from.height / 2 },
      ...(section.bendPoints ?? []).map((p) => ({ x: mapX(p.x), y: p.y - dy })),
      { x: to.x, y: to.y + to.height / 2 },
    ];
    if (!orthogonal(points)) dropped.bent++;
    else if (routeCrossesBoxes(points, boxes)) dropped.crossing++;
    else routes[edge.id] = points;
  }
  // a flow ELK gave no route that fits goes around the steps in its way on a route of our own,
  // from the source's right side to the target's left side, where the canvas's handles are
  for (const [key, flow] of wanted) {
    if (routes[key]) continue;
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!from || !to) continue;
    const near = boxesNear(from, to, boxes);
    const route = routeAround(
      { x: from.x + from.width, y: from.y + from.height / 2 },
      { dx: 1, dy: 0 },
      { x: to.x, y: to.y + to.height / 2 },
      { dx: -1, dy: 0 },
      near,
    );
    if (route && (near.length === boxes.length || !routeCrossesBoxes(route, boxes))) routes[key] = route;
  }
  unrouted += [...wanted.keys()].filter((key) => !routes[key]).length;
  return { routes, unrouted, dropped };
}

/** How far around a flow's two steps a detour looks for the steps in its way (see routeAround). */
const DETOUR_REACH = 240;

/** The boxes near two steps: the search of a detour grows with the square of the boxes it avoids. */
function boxesNear(from: StepBox, to: StepBox, boxes: readonly StepBox[]): StepBox[] {
  const x0 = Math.min(from.x, to.x) - DETOUR_REACH;
  const y0 = Math.min(from.y, to.y) - DETOUR_REACH;
  const x1 = Math.max(from.x + from.width, to.x + to.width) + DETOUR_REACH;
  const y1 = Math.max(from.y + from.height, to.y + to.height) + DETOUR_REACH;
  return boxes.filter((b) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Whether every segment is horizontal or vertical (a mapped route that is not is dropped). */
function orthogonal(points: readonly RoutePoint[]): boolean {
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as RoutePoint;
    const b = points[i + 1] as RoutePoint;
    if (Math.abs(a.x - b.x) > MOVED_TOLERANCE && Math.abs(a.y - b.y) > MOVED_TOLERANCE) return false;
  }
  return true;
}

/**
 * ELK's x to the canvas's x. Steps whose ELK boxes overlap horizontally form one of ELK's columns;
 * each column's span in ELK maps onto the span its steps have on the canvas, and the space between
 * two columns (where ELK puts the vertical parts of routes) onto the space between them there,
 * linearly, so routes keep their order in it. Beyond the first and last column, x is shifted.
 */
function columnMap(nodes: { elkX: number; box: StepBox | undefined }[]): (x: number) => number {
  const placed = nodes
    .filter((n): n is { elkX: number; box: StepBox } => n.box !== undefined)
    .sort((a, b) => a.elkX - b.elkX);
  const columns: { e0: number; e1: number; c0: number; c1: number }[] = [];
  for (const { elkX, box } of placed) {
    const last = columns.at(-1);
    if (last && elkX < last.e1) {
      last.e1 = Math.max(last.e1, elkX + box.width);
      last.c0 = Math.min(last.c0, box.x);
      last.c1 = Math.max(last.c1, box.x + box.width);
    } else columns.push({ e0: elkX, e1: elkX + box.width, c0: box.x, c1: box.x + box.width });
  }
  const breaks = columns.flatMap((c) => [
    { e: c.e0, c: c.c0 },
    { e: c.e1, c: c.c1 },
  ]);
  return (x) => {
    const first = breaks[0];
    const last = breaks.at(-1);
    if (!first || !last) return x;
    if (x <= first.e) return first.c + (x - first.e);
    if (x >= last.e) return last.c + (x - last.e);
    for (let i = 0; i + 1 < breaks.length; i++) {
      const a = breaks[i] as { e: number; c: number };
      const b = breaks[i + 1] as { e: number; c: number };
      if (x >= a.e && x <= b.e) return b.e === a.e ? a.c : a.c + ((x - a.e) / (b.e - a.e)) * (b.c - a.c);
    }
    return x;
  };
}
