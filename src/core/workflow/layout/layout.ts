/**
 * Auto-layout of a workflow in swimlanes: layered, left to right (elkjs), with every step inside
 * its lane's horizontal band and each lane as tall as its content.
 *
 * How: ELK's layered algorithm places the whole graph (cycle breaking, layering, crossing
 * minimisation with the steps given in lane order, so it keeps lanes together where it can) and
 * gives each step its column (x) and an order within the column (y). ELK has no horizontal partitions for a
 * left-to-right layout, so lanes are applied afterwards: within each lane, steps keep ELK's
 * vertical order and are packed into rows, a step going to the first row where it overlaps no
 * step of that lane horizontally. A lane is as many rows tall as it needs; lanes stack in the
 * workflow's lane order, starting at y = 0.
 *
 * The geometry is the BPMN export's (bpmn/geometry.ts): a position is the top-left corner of a
 * 100×80 step box, with {@link LANE_PADDING} between a lane's border and its steps, so exporting a
 * laid-out workflow draws exactly these bands.
 *
 * Constraint: `elkjs/lib/elk.bundled.js` runs ELK in the calling thread (a fake worker on
 * setTimeout), with no `eval`; call this from a Web Worker (workers/layout.worker.ts) for large
 * workflows. When first constructed inside a worker, that build assigns `self.onmessage` for a
 * worker mode we do not use; the worker entry takes it away again (see {@link prepareLayoutEngine}).
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Workflow } from '../../../formats/workflow.ts';
import { EMPTY_LANE_HEIGHT, LANE_PADDING, STEP_BOX } from '../bpmn/geometry.ts';

/** Options of {@link layoutWorkflow}. */
export interface LayoutOptions {
  /** horizontal space between columns of steps; default {@link DEFAULT_COLUMN_GAP} */
  columnGap?: number;
  /** vertical space between rows of steps in one lane; default {@link DEFAULT_ROW_GAP} */
  rowGap?: number;
}

/** The result of {@link layoutWorkflow}: a position per step, and a band per lane. */
export interface WorkflowLayout {
  /** top-left of each step's 100×80 box */
  positions: Record<string, { x: number; y: number }>;
  /** each lane's horizontal band: top and height (lanes stack in order from y = 0) */
  lanes: Record<string, { y: number; height: number }>;
}

/** Horizontal space between columns (edges and their labels need room). */
const DEFAULT_COLUMN_GAP = 60;
/** Vertical space between two rows of one lane. */
const DEFAULT_ROW_GAP = 20;

/**
 * From this many steps on, ELK's crossing minimisation runs one pass without greedy switching
 * instead of its default effort: on a 1,000-step workflow that is several times faster (the
 * editor's target is under 2 s), and the extra crossings it leaves matter less in a drawing that
 * size than the wait.
 */
const LARGE_WORKFLOW_STEPS = 200;

let engine: InstanceType<typeof ELK> | undefined;

/**
 * Creates the shared ELK engine now rather than on the first layout. A worker calls this at start
 * and then clears `self.onmessage`, which elk.bundled.js sets when it is built inside a worker.
 */
export function prepareLayoutEngine(): void {
  engine ??= new ELK();
}

/** The shared ELK engine, created on first use (process maps are laid out with it too). */
export function layoutEngine(): InstanceType<typeof ELK> {
  engine ??= new ELK();
  return engine;
}

/** Lays a workflow out in its lanes (see the file comment). Steps of an unknown lane go below the lanes. */
export async function layoutWorkflow(
  workflow: Workflow,
  options: LayoutOptions = {},
): Promise<WorkflowLayout> {
  const columnGap = options.columnGap ?? DEFAULT_COLUMN_GAP;
  const rowGap = options.rowGap ?? DEFAULT_ROW_GAP;
  prepareLayoutEngine();
  const elk = engine as InstanceType<typeof ELK>;

  const laneIndex = new Map(workflow.lanes.map((lane, index) => [lane.id, index]));
  const laneOf = (lane: string) => laneIndex.get(lane) ?? workflow.lanes.length;
  const stepIds = new Set(workflow.steps.map((step) => step.id));
  // steps in lane order (stable within a lane), so ELK's model order keeps lanes together
  const ordered = workflow.steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => laneOf(a.step.lane) - laneOf(b.step.lane) || a.index - b.index)
    .map(({ step }) => step);

  const graph: ElkNode = {
    id: 'workflow',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(columnGap),
      'elk.spacing.nodeNode': String(rowGap),
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // Only each step's column (x) and its order within a column are used: the lanes set y. So
      // the cheapest node placement does, and ELK's edge routes are not used (the editor and the
      // export route edges).
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.edgeRouting': 'POLYLINE',
      'elk.separateConnectedComponents': 'false',
      ...(workflow.steps.length >= LARGE_WORKFLOW_STEPS
        ? {
            'elk.layered.thoroughness': '1',
            'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
          }
        : {}),
    },
    children: ordered.map((step) => ({ id: step.id, width: STEP_BOX.width, height: STEP_BOX.height })),
    edges: workflow.flows
      .filter((flow) => stepIds.has(flow.from) && stepIds.has(flow.to) && flow.from !== flow.to)
      .map((flow, index) => ({ id: `e${index}`, sources: [flow.from], targets: [flow.to] })),
  };
  const placed = workflow.steps.length > 0 ? await elk.layout(graph) : graph;

  const elkPosition = new Map(
    (placed.children ?? []).map((node) => [node.id, { x: node.x ?? 0, y: node.y ?? 0 }]),
  );
  // ELK pads its drawing; the lanes bring their own padding, so the leftmost column starts at it
  const xs = [...elkPosition.values()].map((p) => p.x);
  const minX = xs.length > 0 ? Math.min(...xs) : 0;

  // rows per lane: steps in ELK's vertical order, each in the first row it does not overlap in
  const rowOf = new Map<string, number>();
  const rowsOf = new Map<number, number>();
  const byLane = new Map<number, string[]>();
  for (const step of ordered) {
    const lane = laneOf(step.lane);
    const list = byLane.get(lane) ?? [];
    list.push(step.id);
    byLane.set(lane, list);
  }
  for (const [lane, ids] of byLane) {
    const rows: { start: number; end: number }[][] = [];
    const sorted = [...ids].sort((a, b) => (elkPosition.get(a)?.y ?? 0) - (elkPosition.get(b)?.y ?? 0));
    for (const id of sorted) {
      const x = elkPosition.get(id)?.x ?? 0;
      const span = { start: x, end: x + STEP_BOX.width };
      let row = rows.findIndex((taken) => taken.every((t) => t.end <= span.start || t.start >= span.end));
      if (row < 0) {
        row = rows.length;
        rows.push([]);
      }
      rows[row]?.push(span);
      rowOf.set(id, row);
    }
    rowsOf.set(lane, rows.length);
  }

  const lanes: WorkflowLayout['lanes'] = {};
  const laneTop = new Map<number, number>();
  let top = 0;
  const bandCount = workflow.lanes.length + (byLane.has(workflow.lanes.length) ? 1 : 0);
  for (let lane = 0; lane < bandCount; lane++) {
    const rows = rowsOf.get(lane) ?? 0;
    const height =
      rows === 0 ? EMPTY_LANE_HEIGHT : 2 * LANE_PADDING + rows * STEP_BOX.height + (rows - 1) * rowGap;
    laneTop.set(lane, top);
    const laneId = workflow.lanes[lane]?.id;
    if (laneId !== undefined) lanes[laneId] = { y: top, height };
    top += height;
  }

  const positions: WorkflowLayout['positions'] = {};
  for (const step of workflow.steps) {
    const lane = laneOf(step.lane);
    positions[step.id] = {
      x: LANE_PADDING + (elkPosition.get(step.id)?.x ?? 0) - minX,
      y: (laneTop.get(lane) ?? 0) + LANE_PADDING + (rowOf.get(step.id) ?? 0) * (STEP_BOX.height + rowGap),
    };
  }
  return { positions, lanes };
}
