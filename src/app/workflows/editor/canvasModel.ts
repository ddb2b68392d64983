/**
 * The geometry of the swimlane canvas, derived from the workflow document (the document is the
 * state; this is a view of it). Used by the React Flow canvas and by the SVG/PNG export, so both
 * draw the same picture.
 *
 * Coordinates: a step's stored `position` is in canvas units (the samples put lane i's steps at
 * y = 40 + 160 × i): the top-left corner of a {@link STEP_BOX} (100×80) in which the step's shape
 * is centred. That is the geometry of the auto-layout (core/workflow/layout/layout.ts) and of the BPMN
 * export and import (core/workflow/bpmn/geometry.ts), so an arranged workflow lines up here as it
 * does in the exported diagram: every shape of one column shares its centre line. Lanes are horizontal bands stacked in lane order that resize to their
 * content: each lane is shifted vertically so its topmost step sits `LANE_PADDING` below the
 * band's top, and the band is as tall as its steps need (at least `LANE_MIN_HEIGHT`). So steps
 * always render inside their own lane, whatever their stored y; stored y matters only relative
 * to the other steps of the lane. `toStored` turns a canvas point back into a stored position.
 */

import {
  BOUNDARY_SIZE,
  type BoundaryBorder,
  boundaryEventBounds,
  bpmnStructure,
  STEP_BOX,
  type StepBox,
} from '../../../core/workflow/index.ts';
import { isGateway, type Step, type StepKind, type Workflow } from '../../../formats/workflow.ts';
import { canvasStepName, NAME_SIZE } from './boxName.ts';
import { activityTypeLabel } from './labels.ts';
import { type ScreenRect, viewportRevealing } from './revealInView.ts';

/** Smallest lane band height (the samples' spacing). */
export const LANE_MIN_HEIGHT = 160;
/** Space between a band's edge and the steps inside it. */
export const LANE_PADDING = 40;
/** Width of the lane header (name and staff) left of the steps. */
export const LANE_HEADER_WIDTH = 176;
/** Horizontal spacing of steps placed without a stored position (the samples' columns). */
export const COLUMN_SPACING = 200;
/** Left edge of the first column. */
const FIRST_COLUMN_X = 40;
/**
 * Options of the auto-layout (core/workflow/layout/layout.ts) for this canvas: the layout places 100×80
 * step boxes, but a task's shape here is 160 wide and a decision 96 tall, so columns are
 * {@link COLUMN_SPACING} apart (the samples' columns) and rows leave room for a decision's corners.
 */
export const ARRANGE_OPTIONS = {
  columnGap: COLUMN_SPACING - STEP_BOX.width,
  rowGap: 40,
} as const;
/** Arrow keys move a step by this many canvas units (Shift: four times as far). */
export const KEYBOARD_STEP = 20;

/** Width and height of a step's shape by kind. */
export const STEP_SIZE: Readonly<Record<StepKind, { width: number; height: number }>> = {
  start: { width: 64, height: 64 },
  end: { width: 64, height: 64 },
  task: { width: 160, height: 72 },
  approval: { width: 160, height: 72 },
  wait: { width: 160, height: 72 },
  decision: { width: 96, height: 96 },
  'parallel-split': { width: 72, height: 72 },
  'parallel-join': { width: 72, height: 72 },
  'inclusive-split': { width: 72, height: 72 },
  'inclusive-join': { width: 72, height: 72 },
};

/** One lane's band on the canvas. */
export interface LaneBand {
  id: string;
  name: string;
  staff: number;
  index: number;
  top: number;
  height: number;
  /** added to a stored y of this lane's steps to get the canvas y */
  shift: number;
}

/** One step placed on the canvas. */
export interface PlacedStep {
  step: Step;
  /** top-left corner on the canvas */
  x: number;
  y: number;
  width: number;
  height: number;
  /** false when the step has no stored position and was placed by the fallback */
  stored: boolean;
  /**
   * A boundary event drawn on its activity's border, as bpmn-js draws it: the activity's id and
   * the border (a {@link BOUNDARY_SIZE} circle centred on it, placed by the activity, never by
   * its own stored position, so it moves with the activity)
   */
  attached?: { host: string; border: BoundaryBorder; slot: number; of: number };
}

/** The whole picture. */
export interface CanvasLayout {
  lanes: LaneBand[];
  steps: PlacedStep[];
  /** left edge of the lane headers */
  left: number;
  /** right edge of the bands */
  right: number;
  /** bottom of the last band */
  bottom: number;
}

/**
 * Where a step without a stored position goes: the column of its place in the document, on its
 * lane's top row. Tied to the step alone, so adding or moving other steps never makes it jump.
 */
function fallbackPositions(workflow: Workflow): Map<string, { x: number; y: number }> {
  const result = new Map<string, { x: number; y: number }>();
  const topY = new Map<string, number>();
  for (const step of workflow.steps) {
    if (step.position) topY.set(step.lane, Math.min(topY.get(step.lane) ?? step.position.y, step.position.y));
  }
  workflow.steps.forEach((step, index) => {
    if (!step.position)
      result.set(step.id, { x: FIRST_COLUMN_X + COLUMN_SPACING * index, y: topY.get(step.lane) ?? 0 });
  });
  return result;
}

/**
 * The size a step's shape is drawn at: as another tool drew it when it was imported with one (so
 * an imported model looks as modeled, at the modeler's positions), else Preflight's own for its
 * kind.
 */
export function drawnSize(step: Pick<Step, 'kind' | 'size'>): { width: number; height: number } {
  return step.size ?? STEP_SIZE[step.kind] ?? STEP_SIZE.task;
}

/** Where a shape of `size` sits in its step box: centred. */
export function boxOffset(size: { width: number; height: number }): { x: number; y: number } {
  return { x: (STEP_BOX.width - size.width) / 2, y: (STEP_BOX.height - size.height) / 2 };
}

/**
 * Lays the workflow out on the canvas (pure; same input, same picture). A boundary event attached
 * to an activity (the export's rule, core's `bpmnStructure`) is a circle on the activity's border,
 * placed as the export places it (`boundaryEventBounds`); it takes no room of its lane.
 */
export function layoutCanvas(workflow: Workflow): CanvasLayout {
  const fallback = fallbackPositions(workflow);
  const { attached } = bpmnStructure(workflow);
  const raw = workflow.steps.map((step) => {
    const size = attached.has(step.id) ? { width: BOUNDARY_SIZE, height: BOUNDARY_SIZE } : drawnSize(step);
    const at = step.position ?? fallback.get(step.id) ?? { x: FIRST_COLUMN_X, y: 0 };
    // shapes are centred in the step box, so a circle and a rectangle of one row or column align
    const offset = boxOffset(size);
    return { step, x: at.x + offset.x, y: at.y + offset.y, ...size, stored: step.position !== undefined };
  });
  const byLane = new Map<string, typeof raw>();
  for (const placed of raw) {
    if (attached.has(placed.step.id)) continue;
    byLane.set(placed.step.lane, [...(byLane.get(placed.step.lane) ?? []), placed]);
  }

  const lanes: LaneBand[] = [];
  const shifts = new Map<string, number>();
  // a lane of one of several pools is named with its pool's name ("Reference lab · Courier")
  const poolName = new Map((workflow.pools ?? []).map((pool) => [pool.id, pool.name]));
  const shownName = (lane: Workflow['lanes'][number]): string => {
    const pool = lane.pool === undefined ? undefined : poolName.get(lane.pool);
    return pool !== undefined && pool !== lane.name ? `${pool} · ${lane.name}` : lane.name;
  };
  let top = 0;
  workflow.lanes.forEach((lane, index) => {
    const own = byLane.get(lane.id) ?? [];
    let shift = 0;
    let height = LANE_MIN_HEIGHT;
    if (own.length > 0) {
      const minY = Math.min(...own.map((p) => p.y));
      const maxY = Math.max(...own.map((p) => p.y + p.height));
      shift = top + LANE_PADDING - minY;
      height = Math.max(LANE_MIN_HEIGHT, maxY - minY + 2 * LANE_PADDING);
    }
    shifts.set(lane.id, shift);
    lanes.push({ id: lane.id, name: shownName(lane), staff: lane.staff, index, top, height, shift });
    top += height;
  });

  const steps: PlacedStep[] = raw.map((p) => ({ ...p, y: p.y + (shifts.get(p.step.lane) ?? 0) }));
  placeBoundaryEvents(steps, attached);
  const minX = steps.length > 0 ? Math.min(...steps.map((s) => s.x)) : FIRST_COLUMN_X;
  const maxX =
    steps.length > 0 ? Math.max(...steps.map((s) => s.x + s.width)) : FIRST_COLUMN_X + COLUMN_SPACING;
  return {
    lanes,
    steps,
    left: minX - LANE_PADDING - LANE_HEADER_WIDTH,
    right: Math.max(maxX + LANE_PADDING, minX + 4 * COLUMN_SPACING),
    bottom: top,
  };
}

/** Puts each attached boundary event on its activity's border, in the workflow's order (see layoutCanvas). */
function placeBoundaryEvents(steps: PlacedStep[], attached: ReadonlyMap<string, string>): void {
  if (attached.size === 0) return;
  const byId = new Map(steps.map((p, index) => [p.step.id, index]));
  const hosted = new Map<string, number[]>();
  steps.forEach((p, index) => {
    const host = attached.get(p.step.id);
    if (host !== undefined) hosted.set(host, [...(hosted.get(host) ?? []), index]);
  });
  for (const [host, events] of hosted) {
    const at = steps[byId.get(host) ?? -1];
    if (!at) continue;
    events.forEach((index, slot) => {
      const event = steps[index] as PlacedStep;
      const { border, ...bounds } = boundaryEventBounds(at, slot, events.length);
      steps[index] = { ...event, ...bounds, attached: { host, border, slot, of: events.length } };
    });
  }
}

/** The lane whose band holds canvas y `y` (the first or last lane beyond the edges). */
export function laneAt(layout: CanvasLayout, y: number): LaneBand | undefined {
  const first = layout.lanes[0];
  if (!first) return undefined;
  if (y < first.top) return first;
  return layout.lanes.find((lane) => y >= lane.top && y < lane.top + lane.height) ?? layout.lanes.at(-1);
}

/**
 * The stored position and lane for a step whose shape's top-left corner is at canvas (x, y):
 * the lane is the band under the shape's centre; the stored position undoes that lane's shift and
 * the shape's offset in its step box, so storing it and laying out again puts the step back (up to the lane
 * resizing around it).
 */
export function toStored(
  layout: CanvasLayout,
  step: StepKind | Pick<Step, 'kind' | 'size'>,
  x: number,
  y: number,
): { lane: string; position: { x: number; y: number } } | null {
  const size = drawnSize(typeof step === 'string' ? { kind: step } : step);
  const lane = laneAt(layout, y + size.height / 2);
  if (!lane) return null;
  const offset = boxOffset(size);
  return {
    lane: lane.id,
    position: { x: Math.round(x - offset.x), y: Math.round(y - lane.shift - offset.y) },
  };
}

/**
 * Where a new step of a lane goes: one column right of the lane's rightmost step, on the lane's
 * top row (stored coordinates).
 */
export function nextFreeSpot(layout: CanvasLayout, laneId: string): { x: number; y: number } {
  const band = layout.lanes.find((lane) => lane.id === laneId);
  // the lane's steps in stored coordinates (their step boxes)
  const own = layout.steps
    .filter((p) => p.step.lane === laneId)
    .map((p) => ({ x: p.x - boxOffset(p).x, y: p.y - boxOffset(p).y - (band?.shift ?? 0) }));
  const x = own.length > 0 ? Math.max(...own.map((p) => p.x)) + COLUMN_SPACING : FIRST_COLUMN_X;
  if (!band) return { x, y: 0 };
  const topY = own.length > 0 ? Math.min(...own.map((p) => p.y)) : band.top + LANE_PADDING;
  return { x, y: Math.round(topY) };
}

/** Heat buckets: 0 (none) … HEAT_BUCKETS − 1 (the most minutes). */
export const HEAT_BUCKETS = 5;

/** Which number heat colouring shows. */
export type HeatMode = 'off' | 'touch' | 'wait';

/**
 * A step's heat bucket for the mode: minutes relative to the workflow's largest, in
 * HEAT_BUCKETS − 1 equal bands (1 …); steps with 0 minutes are bucket 0. Also returns the
 * upper edge of each band in minutes, for the legend.
 */
export function heatScale(
  workflow: Workflow,
  mode: HeatMode,
): { bucketOf: (step: Step) => number | null; edges: number[] } {
  if (mode === 'off') return { bucketOf: () => null, edges: [] };
  const value = (step: Step) => (mode === 'touch' ? step.touchMin : step.waitMin);
  const max = Math.max(0, ...workflow.steps.map(value));
  // bucket k ≥ 1 holds minutes in (edges[k − 2] ?? 0, edges[k − 1]]
  const edges = Array.from({ length: HEAT_BUCKETS - 1 }, (_, i) => (max * (i + 1)) / (HEAT_BUCKETS - 1));
  return {
    edges,
    bucketOf: (step) => {
      const v = value(step);
      if (!(v > 0) || max === 0) return 0;
      return Math.min(HEAT_BUCKETS - 1, Math.max(1, Math.ceil((v / max) * (HEAT_BUCKETS - 1))));
    },
  };
}

/**
 * The smallest zoom at which a step's label at 12 px (a decision's too) still reads at 9 px on
 * screen. No fitted view
 * (opening, "Arrange automatically", "Zoom to fit", "Zoom to selection") goes below it — nor below
 * {@link readableZoom}, which raises it as much as a name drawn smaller needs: a diagram that would
 * show whole only below it shows a readable part instead, and the overview map and "Zoom to
 * selection" reach the rest.
 */
export const READABLE_ZOOM = 0.75;
/** The size a name reads at on screen, at the least. */
const READABLE_PX = READABLE_ZOOM * NAME_SIZE;

/**
 * What a view of the canvas draws on its steps besides their own badges: the heat's minutes (heat
 * on), the comparison's badge of a step (`trace`), the sub-process mark (`subProcesses`).
 */
export interface ViewBadges {
  heat?: HeatMode;
  trace?: ReadonlyMap<string, string> | undefined;
  subProcesses?: ReadonlySet<string> | undefined;
}

/** A view that adds no badge to any step. */
export const NO_VIEW_BADGES: ViewBadges = {};

/** The badges a view adds to one step: its heat's minutes, its comparison badge, the sub-process mark. */
interface AddedBadges {
  heat?: boolean;
  trace?: boolean;
  subProcess?: boolean;
}

/** The badges `view` adds to `step`. */
function addedBadges(step: Step, view: ViewBadges): AddedBadges {
  return {
    heat: view.heat !== undefined && view.heat !== 'off',
    trace: view.trace?.has(step.id) === true,
    subProcess: view.subProcesses?.has(step.id) === true,
  };
}

/**
 * Whether a step's box shows a row of badges along its bottom (its name then has the room above
 * it): its own (an approval, a wait, a medium other than digital, an activity type) or one the
 * view adds (`added`). One rule for the step as drawn and for the readable zoom.
 */
export function hasBadges(step: Step, added: AddedBadges = {}): boolean {
  return (
    step.kind === 'approval' ||
    step.kind === 'wait' ||
    step.medium !== 'digital' ||
    activityTypeLabel(step) !== null ||
    added.heat === true ||
    added.trace === true ||
    added.subProcess === true
  );
}

/**
 * Where a step's name is drawn: inside its box, or under its shape — circles and diamonds
 * (decisions and gateways) carry it below, as BPMN tools do, so no diamond cuts a name.
 */
export function labelPlace(kind: StepKind, size?: { width: number; height: number }): 'inside' | 'below' {
  if (kind === 'start' || kind === 'end' || kind === 'decision' || isGateway(kind)) return 'below';
  // a shape drawn too small for a line of its name (an imported intermediate event) is captioned
  return size !== undefined && Math.min(size.width, size.height) < MIN_NAMED_SIDE ? 'below' : 'inside';
}

/** The smallest side of a shape that holds its name inside (a 36×36 event does not). */
const MIN_NAMED_SIDE = 48;

/**
 * The readable zoom of `layout` as `view` draws it: {@link READABLE_ZOOM}, raised as much as needed
 * for its smallest step name (a long one drawn smaller to show whole, {@link canvasStepName}) to
 * read at 9 px too — with the badges the view adds (heat, comparison), which take room from names.
 */
export function readableZoom(layout: CanvasLayout, view: ViewBadges = NO_VIEW_BADGES): number {
  let smallest: number = NAME_SIZE;
  for (const { step, width, height } of layout.steps) {
    if (labelPlace(step.kind, step.size) === 'inside')
      smallest = Math.min(
        smallest,
        canvasStepName(step.label, height, hasBadges(step, addedBadges(step, view)), step.size && width)
          .fontSize,
      );
  }
  return Math.max(READABLE_ZOOM, READABLE_PX / smallest);
}

/** The largest zoom a fitted view uses (a small diagram is not blown up). */
export const FIT_MAX_ZOOM = 1;

/** The smallest zoom of the canvas: "Zoom to fit" goes down to it to show a large diagram whole. */
export const MIN_ZOOM = 0.05;

/**
 * "Zoom to fit": the whole diagram, centred, in a canvas of `size` screen pixels with `margin`
 * pixels free at its edges, as bpmn.io fits a diagram — at any zoom down to {@link MIN_ZOOM}, never
 * above {@link FIT_MAX_ZOOM}. `readable` says whether its labels read at that zoom (else the
 * "Readable size" view, {@link readableViewport} or {@link selectionViewport}, shows them).
 */
export function wholeViewport(
  layout: CanvasLayout,
  size: { width: number; height: number },
  margin = 12,
  view: ViewBadges = NO_VIEW_BADGES,
): { x: number; y: number; zoom: number; readable: boolean } {
  const width = Math.max(1, layout.right - layout.left);
  const height = Math.max(1, layout.bottom);
  const fit = Math.min(
    Math.max(1, size.width - 2 * margin) / width,
    Math.max(1, size.height - 2 * margin) / height,
  );
  const zoom = Math.max(MIN_ZOOM, Math.min(FIT_MAX_ZOOM, fit));
  return {
    x: (size.width - width * zoom) / 2 - layout.left * zoom,
    y: (size.height - height * zoom) / 2,
    zoom,
    readable: zoom >= readableZoom(layout, view),
  };
}

/**
 * The view of the diagram in a canvas of `size` screen pixels, with `margin` pixels free at its
 * edges: the whole diagram, centred, when it is readable that way; else, at a readable zoom (every
 * lane in height when that is readable too), its left edge with the lane headers, from the first
 * lane down — or, when the lane where the workflow starts (its leftmost start step, else its
 * leftmost step) would be below the canvas, moved up the least that shows that lane, so the part
 * shown is where the workflow begins. `whole` says which.
 */
export function readableViewport(
  layout: CanvasLayout,
  size: { width: number; height: number },
  margin = 12,
  view: ViewBadges = NO_VIEW_BADGES,
): { x: number; y: number; zoom: number; whole: boolean } {
  const width = Math.max(1, layout.right - layout.left);
  const height = Math.max(1, layout.bottom);
  const fitWidth = (size.width - 2 * margin) / width;
  const fitHeight = (size.height - 2 * margin) / height;
  const whole = Math.min(FIT_MAX_ZOOM, fitWidth, fitHeight);
  const readable = readableZoom(layout, view);
  if (whole >= readable) {
    return {
      x: (size.width - width * whole) / 2 - layout.left * whole,
      y: (size.height - height * whole) / 2,
      zoom: whole,
      whole: true,
    };
  }
  const zoom = Math.min(FIT_MAX_ZOOM, Math.max(readable, fitHeight));
  const lane = startLane(layout);
  const below = lane ? (lane.top + lane.height) * zoom + margin - (size.height - margin) : 0;
  const y = below > 0 && lane ? margin - Math.min(below, lane.top * zoom) : margin;
  return { x: margin - layout.left * zoom, y, zoom, whole: false };
}

/** A part of the canvas, in screen pixels from its top-left corner. */
interface ViewArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The part of a canvas of `size` screen pixels that a fitted view ("Zoom to fit", "Readable size",
 * opening) draws the diagram in, clear of what lies over the canvas (`overlays`, as measured: the
 * details card or its folded line, the zoom controls, the overview map) by `gap` pixels. Each
 * overlay that reaches into the part cuts it to one side of itself: left of it, right of it,
 * above or below it, whichever shows a diagram of `content` size (flow units) largest, or without
 * `content` (a readable part of a diagram too big to show whole) whichever leaves most room. The
 * largest overlay is cut first: a card as tall as the canvas leaves the part left of it, a one-line
 * bar at the top the part below it. An overlay no cut can clear is left as it is.
 */
export function clearArea(
  size: { width: number; height: number },
  overlays: readonly ScreenRect[],
  content?: { width: number; height: number },
  gap = 8,
): ViewArea {
  let area = { left: 0, top: 0, right: size.width, bottom: size.height };
  const room = (a: typeof area) => (a.right - a.left) * (a.bottom - a.top);
  const scale = (a: typeof area) =>
    content
      ? Math.min(
          (a.right - a.left) / Math.max(1, content.width),
          (a.bottom - a.top) / Math.max(1, content.height),
        )
      : 0;
  const bySize = [...overlays].sort(
    (a, b) => (b.right - b.left) * (b.bottom - b.top) - (a.right - a.left) * (a.bottom - a.top),
  );
  for (const over of bySize) {
    const reaches =
      over.left - gap < area.right &&
      over.right + gap > area.left &&
      over.top - gap < area.bottom &&
      over.bottom + gap > area.top;
    if (!reaches) continue;
    const cuts = [
      { ...area, right: Math.min(area.right, over.left - gap) },
      { ...area, left: Math.max(area.left, over.right + gap) },
      { ...area, bottom: Math.min(area.bottom, over.top - gap) },
      { ...area, top: Math.max(area.top, over.bottom + gap) },
    ].filter((cut) => cut.right - cut.left >= 1 && cut.bottom - cut.top >= 1);
    const best = cuts.sort((a, b) => scale(b) - scale(a) || room(b) - room(a))[0];
    if (best) area = best;
  }
  return { left: area.left, top: area.top, width: area.right - area.left, height: area.bottom - area.top };
}

/**
 * A readable part of a diagram (a view it runs past the canvas's right edge in) moved the least,
 * right or down, that leaves no step of `layout` under any of `overlays` (screen pixels in a canvas
 * of `size`, `gap` pixels between): a step is clear beside, below or wholly past the canvas's
 * edge. A fitted view keeps clear by fitting into the clear part; a part runs on under whatever
 * lies over the canvas's right edge (the zoom buttons), so it moves instead — never left or up,
 * which would cut the lane names or the lanes above, and at most a quarter of the canvas each way
 * (else it is left as it is).
 */
export function partClearOf(
  layout: CanvasLayout,
  view: { x: number; y: number; zoom: number },
  size: { width: number; height: number },
  overlays: readonly ScreenRect[],
  gap = 8,
): { x: number; y: number } {
  const { zoom } = view;
  const firstUnder = (dx: number, dy: number) => {
    for (const p of layout.steps) {
      const left = view.x + dx + p.x * zoom;
      const top = view.y + dy + p.y * zoom;
      const right = left + p.width * zoom;
      const bottom = top + p.height * zoom;
      if (right <= 0 || left >= size.width || bottom <= 0 || top >= size.height) continue;
      const over = overlays.find(
        (o) => right + gap > o.left && left - gap < o.right && bottom + gap > o.top && top - gap < o.bottom,
      );
      if (over) return { left, top, over };
    }
    return null;
  };
  const most = { dx: size.width / 4, dy: size.height / 4 };
  let best: { dx: number; dy: number } | null = null;
  let reached = [{ dx: 0, dy: 0 }];
  // each round takes every move so far out from under its first covered step, right or down;
  // a few rounds reach the moves that clear one step and then the next
  for (let round = 0; round <= overlays.length + 1 && reached.length > 0; round++) {
    const next: { dx: number; dy: number }[] = [];
    for (const move of reached) {
      const under = firstUnder(move.dx, move.dy);
      if (!under) {
        if (!best || move.dx + move.dy < best.dx + best.dy) best = move;
        continue;
      }
      const { left, top, over } = under;
      const right = Math.min(size.width, over.right + gap) - left;
      const down = over.bottom + gap - top;
      for (const way of [
        { dx: move.dx + Math.max(0, right), dy: move.dy },
        { dx: move.dx, dy: move.dy + Math.max(0, down) },
      ]) {
        if (way.dx <= most.dx && way.dy <= most.dy && (way.dx !== move.dx || way.dy !== move.dy))
          next.push(way);
      }
    }
    reached = next;
  }
  return best ? { x: view.x + best.dx, y: view.y + best.dy } : { x: view.x, y: view.y };
}

/** A view fitted by `fit` into a part of the canvas (its size), moved to where that part is. */
export function viewInArea<View extends { x: number; y: number }>(
  area: ViewArea,
  place: (size: { width: number; height: number }) => View,
): View {
  const view = place({ width: area.width, height: area.height });
  return { ...view, x: view.x + area.left, y: view.y + area.top };
}

/** The band of the step the workflow starts at: its leftmost start step, else its leftmost step. */
function startLane(layout: CanvasLayout): LaneBand | undefined {
  const starts = layout.steps.filter((p) => p.step.kind === 'start');
  const from = (starts.length > 0 ? starts : layout.steps).reduce<PlacedStep | undefined>(
    (first, p) => (first === undefined || p.x < first.x ? p : first),
    undefined,
  );
  return from && layout.lanes.find((l) => l.id === from.step.lane);
}

/**
 * The view that shows the steps `ids` (the selection) in a canvas of `size` screen pixels: the
 * box from the top of their top lane to the bottom of their bottom lane, and from a lane header's
 * width left of the leftmost step (where the lane names kept in view are drawn) to the rightmost
 * step, fitted with `margin` pixels free at the edges, then moved the least that takes the steps
 * out from under the panels in `keepClear` (the zoom controls, the overview map) where that keeps
 * them and their lanes' names in view (else they stay where the fit put them). Never below {@link readableZoom} nor above {@link FIT_MAX_ZOOM}: when the box
 * does not fit readably, the axis that does not fit starts at the box's top or left edge (the
 * first selected steps) and `whole` is false. Null when none of `ids` is on the diagram.
 */
export function selectionViewport(
  layout: CanvasLayout,
  ids: readonly string[],
  size: { width: number; height: number },
  margin = 24,
  keepClear: readonly ScreenRect[] = [],
  view: ViewBadges = NO_VIEW_BADGES,
): { x: number; y: number; zoom: number; whole: boolean } | null {
  const wanted = new Set(ids);
  const placed = layout.steps.filter((p) => wanted.has(p.step.id));
  if (placed.length === 0) return null;
  const laneIds = new Set(placed.map((p) => p.step.lane));
  const bands = layout.lanes.filter((l) => laneIds.has(l.id));
  const steps = {
    left: Math.min(...placed.map((p) => p.x)),
    right: Math.max(...placed.map((p) => p.x + p.width)),
    top: Math.min(...placed.map((p) => p.y)),
    bottom: Math.max(...placed.map((p) => p.y + p.height)),
  };
  const box = {
    left: Math.max(layout.left, steps.left - LANE_HEADER_WIDTH),
    right: steps.right,
    top: Math.min(...bands.map((b) => b.top)),
    bottom: Math.max(...bands.map((b) => b.top + b.height)),
  };
  const width = Math.max(1, box.right - box.left);
  const height = Math.max(1, box.bottom - box.top);
  const roomX = Math.max(1, size.width - 2 * margin);
  const roomY = Math.max(1, size.height - 2 * margin);
  const zoom = Math.max(readableZoom(layout, view), Math.min(FIT_MAX_ZOOM, roomX / width, roomY / height));
  const fitsX = width * zoom <= roomX + 1e-9;
  const fitsY = height * zoom <= roomY + 1e-9;
  const fitted = {
    x: fitsX ? margin + (roomX - width * zoom) / 2 - box.left * zoom : margin - box.left * zoom,
    y: fitsY ? margin + (roomY - height * zoom) / 2 - box.top * zoom : margin - box.top * zoom,
    zoom,
  };
  // the steps with their lanes' names: a move that would take the names out of view is no way out
  const shown = { x: box.left, y: box.top, width: width, height: steps.bottom - box.top };
  const clear = viewportRevealing(fitted, size, shown, { margin, keepClear });
  return { ...(clear ?? fitted), whole: fitsX && fitsY };
}

/** Each step's shape on the canvas as a box, for routing flows around them (core/workflow/layout/routing.ts). */
export function stepBoxes(layout: CanvasLayout): StepBox[] {
  return layout.steps.map((p) => ({ id: p.step.id, x: p.x, y: p.y, width: p.width, height: p.height }));
}
