/**
 * Where an exported BPMN diagram puts its pool, lanes and shapes.
 *
 * Lanes are horizontal bands stacked in the workflow's lane order; every step's shape lies
 * inside its lane's band. Steps keep their positions when those already put each lane's steps in
 * its own band, top to bottom in lane order (what the editor and {@link layoutWorkflow} produce),
 * and no two shapes overlap, so workflow → BPMN → workflow returns the same positions. Otherwise
 * a shape that overlaps one before it (left to right) is moved down until it is clear, and a
 * lane's steps are moved down together just enough to clear the lane above. Steps without a
 * position are placed on a grid by their rank (longest path from a start, ignoring loops back).
 * The inner steps of a sub-process lie on the sub-process's own page (no lanes there), cleared of
 * overlaps the same way; a boundary event sits on its host's bottom border, several spread along it.
 */
import type { Step, Workflow } from '../../../formats/workflow.ts';
import {
  BOUNDARY_SIZE,
  boundaryEventBounds,
  EMPTY_LANE_HEIGHT,
  elementBounds,
  GRID,
  HEADER_WIDTH,
  LANE_PADDING,
  positionOfBounds,
  STEP_BOX,
  shapeBounds,
  boundarySlotsOn as slotsOn,
} from './geometry.ts';
import { type BpmnStructure, bpmnStructure } from './structure.ts';
import { elementTypeOf } from './writers/stepTypes.ts';

/** Space left between two shapes when one is moved off the other. */
const SHAPE_GAP = 20;

/** A rectangle in diagram units. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The geometry of an exported diagram. */
interface DiagramLayout {
  pool: Rect;
  lanes: Map<string, Rect>;
  /** top-left of each step's box (see geometry.ts) */
  positions: Map<string, { x: number; y: number }>;
  /** top-left of each data object's box (its shape is centred in it, as a step's) */
  data: Map<string, { x: number; y: number }>;
  /** top-left of each second reference's box, by its key (see {@link SecondReference}) */
  seconds: Map<string, { x: number; y: number }>;
}

/**
 * A document drawn again on a page above its own, beside the collapsed sub-process that holds
 * the document there (a renderer draws an association only between shapes of one page).
 */
export interface SecondReference {
  /** unique among the second references */
  key: string;
  kind: 'object' | 'store';
  /** the page it is drawn on: a sub-process, or absent for the process's page */
  page?: string;
  /** the collapsed sub-process on that page that holds the document */
  beside: string;
}

/** Key of a data object among the steps being placed (no step id starts with a NUL). */
const dataKey = (id: string): string => `\u0000data\u0000${id}`;
/** Key of a second reference among the steps being placed. */
const secondKey = (key: string): string => `\u0000second\u0000${key}`;

/**
 * Data objects as steps of the placement: a 50×50 shape (a data store's; a data object's 36×50
 * fits inside it) in the lane of the first step that uses it, on its sub-process's page; and
 * second references, in the lane of the sub-process they stand beside, on their page.
 */
function dataPlaceholders(workflow: Workflow, seconds: readonly SecondReference[]): Step[] {
  const laneOf = new Map(workflow.steps.map((step) => [step.id, step.lane]));
  const fallback = workflow.lanes[0]?.id ?? '';
  const placeholder = (id: string, user: string | undefined, within: string | undefined): Step => ({
    id,
    label: id,
    lane: (user !== undefined ? laneOf.get(user) : undefined) ?? fallback,
    kind: 'decision',
    medium: 'digital',
    system: '',
    touchMin: 0,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...(within !== undefined ? { within } : {}),
  });
  return [
    ...(workflow.dataObjects ?? []).map((data) =>
      placeholder(dataKey(data.id), [...(data.writtenBy ?? []), ...(data.readBy ?? [])][0], data.within),
    ),
    ...seconds.map((second) => placeholder(secondKey(second.key), second.beside, second.page)),
  ];
}

/** Room between a step and a data object placed under it. */
const DATA_GAP = 10;

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

/**
 * The shape the export writes for a step at `position` (writers/flowNodes.ts): at its drawn size
 * where another tool drew it, else at its element's (a task written as an event is a circle), so
 * what is placed around it (boundary events, other shapes, its lane) fits the shape written. A
 * document's placeholder is sized by its kind.
 */
function writtenShape(structure: BpmnStructure, step: Step, position: { x: number; y: number }): Rect {
  if (step.id.startsWith('\u0000')) return shapeBounds(step.kind, position);
  return elementBounds(elementTypeOf(structure, step), position, step.size);
}

/** The bounds of a step's shape in the diagram with the boundary events it hosts (`hosted`). */
function footprint(
  structure: BpmnStructure,
  step: Step,
  position: { x: number; y: number },
  hosted: number,
): Rect {
  const rect = writtenShape(structure, step, position);
  if (hosted === 0) return rect;
  const half = BOUNDARY_SIZE / 2;
  let { x, y, width, height } = rect;
  const bottom = slotsOn(rect.width);
  const top = slotsOn(rect.width);
  const right = slotsOn(rect.height);
  height += half;
  // three on a border reach past its corners
  if (hosted >= 3) {
    x -= half;
    width += BOUNDARY_SIZE;
  }
  if (hosted > bottom) {
    y -= half;
    height += half;
  }
  if (hosted > bottom + top) width += half;
  if (hosted > bottom + top + right) {
    x -= half;
    width += half;
  }
  return { x, y, width, height };
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Moves shapes of one page (or lane) down until none overlaps another: left to right, each shape
 * that overlaps one already placed goes below it. Shapes that overlap nothing stay where they are.
 */
function clearOverlaps(
  structure: BpmnStructure,
  steps: readonly Step[],
  positions: Map<string, { x: number; y: number }>,
  hosted: ReadonlyMap<string, number>,
): void {
  const ordered = steps
    .filter((step) => positions.has(step.id))
    .sort((a, b) => {
      const p = positions.get(a.id) as { x: number; y: number };
      const q = positions.get(b.id) as { x: number; y: number };
      return p.x - q.x || p.y - q.y;
    });
  const placed: Rect[] = [];
  for (const step of ordered) {
    const position = positions.get(step.id) as { x: number; y: number };
    let rect = footprint(structure, step, position, hosted.get(step.id) ?? 0);
    for (
      let blocker = placed.find((p) => overlaps(p, rect));
      blocker;
      blocker = placed.find((p) => overlaps(p, rect))
    ) {
      position.y += blocker.y + blocker.height + SHAPE_GAP - rect.y;
      rect = footprint(structure, step, position, hosted.get(step.id) ?? 0);
    }
    placed.push(rect);
  }
}

/** The diagram geometry of a workflow (see the file comment). */
export function diagramLayout(
  workflow: Workflow,
  structure: BpmnStructure = bpmnStructure(workflow),
  seconds: readonly SecondReference[] = [],
): DiagramLayout {
  const laneIndex = new Map(workflow.lanes.map((lane, index) => [lane.id, index]));
  const positions = new Map<string, { x: number; y: number }>();
  const missing = workflow.steps.filter((step) => !step.position);
  for (const step of workflow.steps) if (step.position) positions.set(step.id, { ...step.position });
  const placeholders = dataPlaceholders(workflow, seconds);
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

  // a data object without a position goes under the first step that uses it (cleared below):
  // under the shape drawn for a step with a drawn size (a resized or imported step's shape can
  // reach past its box, or stop short of it), else under the step's box as always
  const userOf = new Map(workflow.steps.map((step) => [step.id, step]));
  for (const data of workflow.dataObjects ?? []) {
    const user = [...(data.writtenBy ?? []), ...(data.readBy ?? [])][0];
    const at = data.position ?? (user !== undefined ? positions.get(user) : undefined);
    const userStep = user !== undefined ? userOf.get(user) : undefined;
    const below = (where: { x: number; y: number }): number => {
      if (!userStep?.size) return where.y + STEP_BOX.height + DATA_GAP;
      const drawn = writtenShape(structure, userStep, where);
      // a task's shape fills its box, so this is the gap an unresized task leaves
      return drawn.y + drawn.height + DATA_GAP;
    };
    const position = data.position
      ? { ...data.position }
      : at
        ? { x: at.x, y: below(at) }
        : { x: LANE_PADDING, y: LANE_PADDING };
    positions.set(dataKey(data.id), position);
  }
  // a second reference goes under the collapsed sub-process it stands beside (cleared below)
  for (const second of seconds) {
    const at = positions.get(second.beside);
    positions.set(
      secondKey(second.key),
      at ? { x: at.x, y: at.y + STEP_BOX.height + DATA_GAP } : { x: LANE_PADDING, y: LANE_PADDING },
    );
  }
  const placeable = [...workflow.steps, ...placeholders];
  const containerIds = new Set(structure.containers);
  const parentOf = (step: Step): string | undefined =>
    step.id.startsWith('\u0000')
      ? step.within !== undefined && containerIds.has(step.within)
        ? step.within
        : undefined
      : structure.parentOf.get(step.id);

  // boundary events are placed on their hosts at the end; the rest are cleared of overlaps per
  // page: per lane on the process's page, one page per sub-process
  const hosted = new Map<string, number>();
  for (const host of structure.attached.values()) hosted.set(host, (hosted.get(host) ?? 0) + 1);
  const pages = new Map<string, Step[]>();
  for (const step of placeable) {
    if (structure.attached.has(step.id)) continue;
    const parent = parentOf(step);
    const key = parent === undefined ? `lane\u0000${step.lane}` : `page\u0000${parent}`;
    const list = pages.get(key) ?? [];
    list.push(step);
    pages.set(key, list);
  }
  for (const steps of pages.values()) clearOverlaps(structure, steps, positions, hosted);

  const byLane = new Map<string, string[]>();
  for (const step of placeable) {
    if (structure.attached.has(step.id) || parentOf(step) !== undefined) continue;
    const list = byLane.get(step.lane) ?? [];
    list.push(step.id);
    byLane.set(step.lane, list);
  }
  // what a step takes in its lane: its box, and its shape where drawn larger than the box
  const stepById = new Map(placeable.map((step) => [step.id, step]));
  const extentOf = (id: string): Rect | undefined => {
    const position = positions.get(id);
    if (!position) return undefined;
    const step = stepById.get(id);
    const shape = step ? writtenShape(structure, step, position) : { ...position, ...STEP_BOX };
    const x = Math.min(position.x, shape.x);
    const y = Math.min(position.y, shape.y);
    return {
      x,
      y,
      width: Math.max(position.x + STEP_BOX.width, shape.x + shape.width) - x,
      height: Math.max(position.y + STEP_BOX.height, shape.y + shape.height) - y,
    };
  };
  const all = [...byLane.values()].flat().flatMap((id) => {
    const extent = extentOf(id);
    return extent ? [extent] : [];
  });
  const minX = all.length > 0 ? Math.min(...all.map((e) => e.x)) : LANE_PADDING;
  const maxX = all.length > 0 ? Math.max(...all.map((e) => e.x + e.width)) : LANE_PADDING + STEP_BOX.width;
  const laneX = minX - LANE_PADDING - HEADER_WIDTH;
  const poolX = laneX - HEADER_WIDTH;
  const laneWidth = maxX + LANE_PADDING - laneX;

  const lanes = new Map<string, Rect>();
  // The first lane with steps stays where its steps are; empty lanes above it stack upwards
  // from there. So a diagram this function produced is laid out the same way again (stable).
  const firstFilled = workflow.lanes.findIndex((lane) => (byLane.get(lane.id) ?? []).length > 0);
  const firstYs = (byLane.get(workflow.lanes[firstFilled]?.id ?? '') ?? []).map((id) => extentOf(id)?.y ?? 0);
  let cursor = firstYs.length > 0 ? Math.min(...firstYs) - LANE_PADDING - firstFilled * EMPTY_LANE_HEIGHT : 0;
  const top = cursor;
  for (const lane of workflow.lanes) {
    const ids = byLane.get(lane.id) ?? [];
    if (ids.length === 0) {
      lanes.set(lane.id, { x: laneX, y: cursor, width: laneWidth, height: EMPTY_LANE_HEIGHT });
      cursor += EMPTY_LANE_HEIGHT;
      continue;
    }
    const extents = ids.map((id) => extentOf(id) ?? { x: 0, y: 0, ...STEP_BOX });
    const shift = Math.max(0, cursor - (Math.min(...extents.map((e) => e.y)) - LANE_PADDING));
    if (shift > 0) {
      for (const id of ids) {
        const p = positions.get(id);
        if (p) p.y += shift;
      }
    }
    const bottom = Math.max(...extents.map((e) => e.y + e.height)) + shift + LANE_PADDING;
    lanes.set(lane.id, { x: laneX, y: cursor, width: laneWidth, height: bottom - cursor });
    cursor = bottom;
  }
  const pool = {
    x: poolX,
    y: top,
    width: laneWidth + HEADER_WIDTH,
    height: Math.max(cursor - top, EMPTY_LANE_HEIGHT),
  };
  placeBoundaryEvents(workflow, structure, positions);
  const data = new Map<string, { x: number; y: number }>();
  for (const object of workflow.dataObjects ?? []) {
    const key = dataKey(object.id);
    const position = positions.get(key);
    if (position) data.set(object.id, position);
    positions.delete(key);
  }
  const placedSeconds = new Map<string, { x: number; y: number }>();
  for (const second of seconds) {
    const key = secondKey(second.key);
    const position = positions.get(key);
    if (position) placedSeconds.set(second.key, position);
    positions.delete(key);
  }
  return { pool, lanes, positions, data, seconds: placedSeconds };
}

/** Puts each boundary event on its host's bottom border, several spread evenly along it. */
function placeBoundaryEvents(
  workflow: Workflow,
  structure: BpmnStructure,
  positions: Map<string, { x: number; y: number }>,
): void {
  const byHost = new Map<string, string[]>();
  for (const [id, host] of structure.attached) {
    const list = byHost.get(host) ?? [];
    list.push(id);
    byHost.set(host, list);
  }
  const stepOf = new Map(workflow.steps.map((step) => [step.id, step]));
  for (const [host, ids] of byHost) {
    const at = positions.get(host);
    const step = stepOf.get(host);
    if (!at || !step) continue;
    // on the host's shape as written: at its drawn size where another tool drew it
    const rect = writtenShape(structure, step, at);
    ids.forEach((id, index) => {
      positions.set(id, positionOfBounds(boundaryEventBounds(rect, index, ids.length)));
    });
  }
}
