/**
 * Where an exported BPMN diagram puts its pool, lanes and shapes.
 *
 * Lanes are horizontal bands stacked in the workflow's lane order; every step's shape lies
 * inside its lane's band. Steps keep their positions when those already put each lane's steps in
 * its own band, top to bottom in lane order (what the editor and {@link layoutWorkflow} produce),
 * so workflow → BPMN → workflow returns the same positions. Otherwise a lane's steps are moved
 * down together just enough to clear the lane above. Steps without a position are placed on a
 * grid by their rank (longest path from a start, ignoring loops back).
 */
import type { Workflow } from '../../../formats/workflow.ts';
import { EMPTY_LANE_HEIGHT, GRID, HEADER_WIDTH, LANE_PADDING, STEP_BOX } from './geometry.ts';

/** A rectangle in diagram units. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The geometry of an exported diagram. */
export interface DiagramLayout {
  pool: Rect;
  lanes: Map<string, Rect>;
  /** top-left of each step's box (see geometry.ts) */
  positions: Map<string, { x: number; y: number }>;
}

/**
 * Rank of each step: the length of the longest path to it from a step without incoming flows,
 * over the flows that do not close a loop (a depth-first search from the starts decides which
 * flows go back). Steps on a loop unreachable from any start begin a new search in step order.
 */
export function stepRanks(workflow: Workflow): Map<string, number> {
  const out = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const step of workflow.steps) {
    out.set(step.id, []);
    incoming.set(step.id, 0);
  }
  for (const flow of workflow.flows) {
    if (!out.has(flow.from) || !out.has(flow.to)) continue;
    out.get(flow.from)?.push(flow.to);
    incoming.set(flow.to, (incoming.get(flow.to) ?? 0) + 1);
  }
  // depth-first search without recursion (1,000-step workflows), marking flows that go back
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const order: string[] = [];
  const roots = [...workflow.steps.filter((step) => incoming.get(step.id) === 0), ...workflow.steps].map(
    (step) => step.id,
  );
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const targets = out.get(top.id) ?? [];
      if (top.next < targets.length) {
        const to = targets[top.next++] as string;
        const seen = state.get(to);
        if (seen === 'open') back.add(`${top.id}\u0000${to}`);
        else if (seen === undefined) {
          state.set(to, 'open');
          stack.push({ id: to, next: 0 });
        }
      } else {
        state.set(top.id, 'done');
        order.push(top.id);
        stack.pop();
      }
    }
  }
  const rank = new Map<string, number>();
  // reverse post-order is a topological order of the forward flows
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i] as string;
    const own = rank.get(id) ?? 0;
    rank.set(id, own);
    for (const to of out.get(id) ?? []) {
      if (back.has(`${id}\u0000${to}`)) continue;
      rank.set(to, Math.max(rank.get(to) ?? 0, own + 1));
    }
  }
  return rank;
}

/** The diagram geometry of a workflow (see the file comment). */
export function diagramLayout(workflow: Workflow): DiagramLayout {
  const laneIndex = new Map(workflow.lanes.map((lane, index) => [lane.id, index]));
  const positions = new Map<string, { x: number; y: number }>();
  const missing = workflow.steps.filter((step) => !step.position);
  for (const step of workflow.steps) if (step.position) positions.set(step.id, { ...step.position });
  if (missing.length > 0) {
    const ranks = stepRanks(workflow);
    const taken = new Map<string, number>();
    for (const step of missing) {
      const rank = ranks.get(step.id) ?? 0;
      const lane = laneIndex.get(step.lane) ?? workflow.lanes.length;
      const key = `${lane}:${rank}`;
      const row = taken.get(key) ?? 0;
      taken.set(key, row + 1);
      positions.set(step.id, {
        x: LANE_PADDING + rank * GRID.column,
        y: LANE_PADDING + lane * GRID.row + row * (STEP_BOX.height + LANE_PADDING / 2),
      });
    }
  }

  const byLane = new Map<string, string[]>();
  for (const step of workflow.steps) {
    const list = byLane.get(step.lane) ?? [];
    list.push(step.id);
    byLane.set(step.lane, list);
  }
  const all = [...positions.values()];
  const minX = all.length > 0 ? Math.min(...all.map((p) => p.x)) : LANE_PADDING;
  const maxX = all.length > 0 ? Math.max(...all.map((p) => p.x)) : LANE_PADDING;
  const laneX = minX - LANE_PADDING - HEADER_WIDTH;
  const poolX = laneX - HEADER_WIDTH;
  const laneWidth = maxX + STEP_BOX.width + LANE_PADDING - laneX;

  const lanes = new Map<string, Rect>();
  // The first lane with steps stays where its steps are; empty lanes above it stack upwards
  // from there. So a diagram this function produced is laid out the same way again (stable).
  const firstFilled = workflow.lanes.findIndex((lane) => (byLane.get(lane.id) ?? []).length > 0);
  const firstYs = (byLane.get(workflow.lanes[firstFilled]?.id ?? '') ?? []).map(
    (id) => positions.get(id)?.y ?? 0,
  );
  let cursor = firstYs.length > 0 ? Math.min(...firstYs) - LANE_PADDING - firstFilled * EMPTY_LANE_HEIGHT : 0;
  const top = cursor;
  for (const lane of workflow.lanes) {
    const ids = byLane.get(lane.id) ?? [];
    if (ids.length === 0) {
      lanes.set(lane.id, { x: laneX, y: cursor, width: laneWidth, height: EMPTY_LANE_HEIGHT });
      cursor += EMPTY_LANE_HEIGHT;
      continue;
    }
    const ys = ids.map((id) => positions.get(id)?.y ?? 0);
    const shift = Math.max(0, cursor - (Math.min(...ys) - LANE_PADDING));
    if (shift > 0) {
      for (const id of ids) {
        const p = positions.get(id);
        if (p) p.y += shift;
      }
    }
    const bottom = Math.max(...ys) + shift + STEP_BOX.height + LANE_PADDING;
    lanes.set(lane.id, { x: laneX, y: cursor, width: laneWidth, height: bottom - cursor });
    cursor = bottom;
  }
  const pool = {
    x: poolX,
    y: top,
    width: laneWidth + HEADER_WIDTH,
    height: Math.max(cursor - top, EMPTY_LANE_HEIGHT),
  };
  return { pool, lanes, positions };
}
