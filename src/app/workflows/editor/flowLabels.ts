/**
 * Where a flow's words ("50 %", "re-keyed") go on the diagram: one rule for the canvas and for the
 * SVG, PNG and printed pictures (exportDiagram.ts), so the words are where the user saw them.
 *
 * Constraints:
 * - A flow's words never lie on a step's shape, on a name drawn under a shape (start, end,
 *   decision, gateway), on a finding mark, nor on another flow's words. Boxes are taken wide
 *   (characters at {@link FLOW_LABEL_CHAR_WIDTH}, marks and names with room to spare), because
 *   the canvas draws the words in the browser's font and the pictures in whichever font a viewer
 *   has: a rule that fits one font exactly would let the other overlap.
 * - Halfway along the flow first (the flow's middle, as its finding mark), then beside the flow's
 *   own line, then below the flow's steps: a word far from its flow is read as another flow's.
 * - Pure and deterministic: the same workflow, layout, routes and marks give the same places, so
 *   a canvas and its downloaded picture agree.
 */
import { type RoutePoint, routeKey, routeMidpoint } from '../../../core/workflow/index.ts';
import type { Flow } from '../../../formats/workflow.ts';
import { wrapLabel } from './boxName.ts';
import { type CanvasLayout, labelPlace, type PlacedStep } from './canvasModel.ts';
import type { FindingMarks } from './findingMarks.ts';
import { flowMarkBox, laneMarkBox, type MarkBox, stepMarkBox } from './findingMarksSvg.ts';
import { TRANSFER_SHORT } from './labels.ts';

/**
 * A flow label's width per character in 11 px text, taken wide (DejaVu Sans averages ≈ 0.6 em;
 * the canvas's sans-serif and Arial are narrower): the box a label must keep clear of.
 */
const FLOW_LABEL_CHAR_WIDTH = 7;
/** A flow label's height above its baseline, and below it (descenders), in 11 px text. */
const FLOW_LABEL_ASCENT = 11;
const FLOW_LABEL_DESCENT = 3;
/** Half a label's height: from its middle to its top or bottom. */
const HALF_HEIGHT = (FLOW_LABEL_ASCENT + FLOW_LABEL_DESCENT) / 2;
/** Room kept between a flow's label and anything else, on every side. */
const FLOW_LABEL_GAP = 4;
/** A label over its line: its middle this far above the line, so the line passes under its descenders. */
const OVER_LINE = HALF_HEIGHT + 1;
/** A label under its line (when over is taken): its middle this far below. */
const UNDER_LINE = HALF_HEIGHT + FLOW_LABEL_GAP;
/**
 * Room kept around a finding mark besides {@link FLOW_LABEL_GAP}: the canvas draws a mark in the
 * browser's font with its border and padding, a few pixels wider than the picture's.
 */
const MARK_SLACK = 4;
/** How far a flow's mark reaches above and below the flow's middle (24 px tall on the canvas), its slack included. */
const MARK_REACH = 12 + MARK_SLACK;

/** A start or end step's name: under its circle, first baseline this far below it, lines this far apart. */
export const ROUND_NAME_BELOW = 16;
export const ROUND_NAME_LINE = 14;
/** A name under a shape (start, end, gateway) wraps at this many characters, on as many lines as it needs. */
const ROUND_NAME_CHARS = 18;
/** Width per character of a step's name (12 px text), taken wide as {@link FLOW_LABEL_CHAR_WIDTH}. */
const NAME_CHAR_WIDTH = 7.5;
/** A step name's height above its baseline, and below it, in 12 px text. */
const NAME_ASCENT = 12;
const NAME_DESCENT = 3;
/**
 * The canvas draws a name under a shape in a box this wide (editor.css `.wf-step-caption`), on
 * up to three lines this tall: its lines are longer, and fewer, than the picture's.
 */
const CAPTION_WIDTH = 150;
const CAPTION_LINES = 3;
const CAPTION_LINE = 15;
/** The canvas's caption starts this far under its shape. */
const CAPTION_BELOW = 4;

/** A box on the diagram, in its coordinates. */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The lines of a name drawn under its shape, as the pictures draw them. */
export function roundNameLines(p: PlacedStep): string[] {
  return wrapLabel(p.step.label, ROUND_NAME_CHARS);
}

/** The box of the name drawn under a start, end, decision or gateway shape in the pictures; null for a name inside its shape. */
export function printedNameBox(p: PlacedStep): Box | null {
  if (labelPlace(p.step.kind, p.step.size) !== 'below') return null;
  const lines = roundNameLines(p);
  if (lines.length === 0) return null;
  const half = (Math.max(...lines.map((l) => l.length)) * NAME_CHAR_WIDTH) / 2;
  const centre = p.x + p.width / 2;
  const first = p.y + p.height + ROUND_NAME_BELOW;
  return {
    left: centre - half,
    right: centre + half,
    top: first - NAME_ASCENT,
    bottom: first + (lines.length - 1) * ROUND_NAME_LINE + NAME_DESCENT,
  };
}

/**
 * The box of the name drawn under a start, end, decision or gateway shape, in the pictures or on
 * the canvas (whichever reaches further); null for a step whose name is inside its shape.
 */
function nameUnderBox(p: PlacedStep): Box | null {
  const printed = printedNameBox(p);
  if (!printed) return null;
  const length = p.step.label.length * NAME_CHAR_WIDTH;
  const half = Math.min(CAPTION_WIDTH, length) / 2;
  const lines = Math.min(CAPTION_LINES, Math.ceil(length / CAPTION_WIDTH));
  const centre = p.x + p.width / 2;
  const top = p.y + p.height + CAPTION_BELOW;
  return {
    left: Math.min(printed.left, centre - half),
    right: Math.max(printed.right, centre + half),
    top: Math.min(printed.top, top),
    bottom: Math.max(printed.bottom, top + lines * CAPTION_LINE),
  };
}

/** A flow's words: its share of a decision's cases, and how data moves along it by hand; null when none. */
export function flowWords(flow: Pick<Flow, 'probability' | 'transfer'>): string | null {
  const words = [
    flow.probability === undefined ? null : `${Math.round(flow.probability * 1000) / 10} %`,
    TRANSFER_SHORT[flow.transfer],
  ].filter(Boolean);
  return words.length > 0 ? words.join(' · ') : null;
}

/** Where a flow's words and finding mark go: halfway along its route, or between its steps' sides. */
export function flowMiddle(
  from: PlacedStep,
  to: PlacedStep,
  route: readonly RoutePoint[] | undefined,
): RoutePoint {
  if (route && route.length >= 2) return routeMidpoint(route);
  return { x: (from.x + from.width + to.x) / 2, y: (from.y + from.height / 2 + to.y + to.height / 2) / 2 };
}

/** A flow's words' box, middle at (`x`, `y`): what must stay clear, its gap included. */
function flowLabelBox(words: string, x: number, y: number): Box {
  const half = (words.length * FLOW_LABEL_CHAR_WIDTH) / 2 + FLOW_LABEL_GAP;
  return {
    left: x - half,
    right: x + half,
    top: y - HALF_HEIGHT - FLOW_LABEL_GAP,
    bottom: y + HALF_HEIGHT + FLOW_LABEL_GAP,
  };
}

/** Everything on the diagram a flow's words keep clear of, found by where it lies. */
class Obstacles {
  /** boxes by the columns of {@link Obstacles.COLUMN} units they reach */
  private readonly columns = new Map<number, Box[]>();
  private static readonly COLUMN = 240;

  add(box: Box): void {
    for (
      let c = Math.floor(box.left / Obstacles.COLUMN);
      c <= Math.floor(box.right / Obstacles.COLUMN);
      c++
    ) {
      const list = this.columns.get(c);
      if (list) list.push(box);
      else this.columns.set(c, [box]);
    }
  }

  /** The boxes `box` overlaps. */
  touching(box: Box): Box[] {
    const hits = new Set<Box>();
    for (
      let c = Math.floor(box.left / Obstacles.COLUMN);
      c <= Math.floor(box.right / Obstacles.COLUMN);
      c++
    ) {
      for (const o of this.columns.get(c) ?? [])
        if (box.left < o.right && box.right > o.left && box.top < o.bottom && box.bottom > o.top) hits.add(o);
    }
    return [...hits];
  }
}

function fromMark(box: MarkBox): Box {
  return {
    left: box.x - MARK_SLACK,
    right: box.x + box.width + MARK_SLACK,
    top: box.y - MARK_SLACK,
    bottom: box.y + box.height + MARK_SLACK,
  };
}

/** The route's straight parts, longest first: where the words may sit beside their own line. */
function straightParts(route: readonly RoutePoint[]): { a: RoutePoint; b: RoutePoint; length: number }[] {
  const parts: { a: RoutePoint; b: RoutePoint; length: number }[] = [];
  for (let i = 0; i + 1 < route.length; i++) {
    const a = route[i] as RoutePoint;
    const b = route[i + 1] as RoutePoint;
    const length = Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
    if (length > 0) parts.push({ a, b, length });
  }
  // a stable sort keeps the route's order among parts of one length
  return parts.sort((p, q) => q.length - p.length);
}

/**
 * The places tried for a flow's words, in order: halfway along it (under its mark when it has
 * one, else just over its line), then beside each straight part of its line, longest first — over
 * or under a level part, right or left of an upright one.
 */
function candidates(
  words: string,
  middle: RoutePoint,
  line: readonly RoutePoint[],
  marked: boolean,
): RoutePoint[] {
  const half = (words.length * FLOW_LABEL_CHAR_WIDTH) / 2;
  // a mark sits on the middle: the words go just under it, else just over it
  const aside = marked ? MARK_REACH + FLOW_LABEL_GAP + HALF_HEIGHT + 1 : 0;
  const out: RoutePoint[] = marked
    ? [
        { x: middle.x, y: middle.y + aside },
        { x: middle.x, y: middle.y - aside },
      ]
    : [
        { x: middle.x, y: middle.y - OVER_LINE },
        { x: middle.x, y: middle.y + UNDER_LINE },
      ];
  for (const { a, b } of straightParts(line)) {
    const x = (a.x + b.x) / 2;
    const y = (a.y + b.y) / 2;
    if (Math.abs(a.y - b.y) < 0.5) out.push({ x, y: y - OVER_LINE }, { x, y: y + UNDER_LINE });
    else if (Math.abs(a.x - b.x) < 0.5)
      out.push({ x: x + half + FLOW_LABEL_GAP + 1, y }, { x: x - half - FLOW_LABEL_GAP - 1, y });
  }
  return out;
}

/** A flow's line as straight parts: its route, else the stepped line between its steps' sides. */
function lineOf(from: PlacedStep, to: PlacedStep, route: readonly RoutePoint[] | undefined): RoutePoint[] {
  if (route && route.length >= 2) return [...route];
  const start = { x: from.x + from.width, y: from.y + from.height / 2 };
  const end = { x: to.x, y: to.y + to.height / 2 };
  if (end.x < start.x) return [];
  const mid = (start.x + end.x) / 2;
  return [start, { x: mid, y: start.y }, { x: mid, y: end.y }, end];
}

/** The routes a diagram draws, by its flows' ends (none: the flow is drawn plainly). */
export type RouteOf = (from: string, to: string) => readonly RoutePoint[] | undefined;

/**
 * Where each flow's words go (their middle), by the flow's `routeKey`: for every flow with words
 * ({@link flowWords}) whose two steps are placed, in the workflow's order, each clear of the steps,
 * the names under shapes, the finding marks in `marks` and the words placed before it (see the
 * file header). When no place beside the flow is clear, the words go below the lower of the flow's
 * steps, and further down below whatever they would touch there.
 */
export function placeFlowLabels(
  flows: readonly Flow[],
  layout: CanvasLayout,
  routeOf: RouteOf,
  marks?: FindingMarks,
): Map<string, RoutePoint> {
  const byId = new Map(layout.steps.map((p) => [p.step.id, p]));
  const obstacles = new Obstacles();
  for (const p of layout.steps) {
    obstacles.add({ left: p.x, right: p.x + p.width, top: p.y, bottom: p.y + p.height });
    const name = nameUnderBox(p);
    if (name) obstacles.add(name);
    const mark = marks?.steps.get(p.step.id);
    if (mark) obstacles.add(fromMark(stepMarkBox(p, mark)));
  }
  for (const lane of layout.lanes) {
    const mark = marks?.lanes.get(lane.id);
    if (mark) obstacles.add(fromMark(laneMarkBox(layout, lane, mark)));
  }
  const marked = new Set<string>();
  for (const { from, to, mark } of marks?.flows ?? []) {
    const a = byId.get(from);
    const b = byId.get(to);
    if (!a || !b) continue;
    marked.add(routeKey(from, to));
    obstacles.add(fromMark(flowMarkBox(flowMiddle(a, b, routeOf(from, to)), mark)));
  }
  const places = new Map<string, RoutePoint>();
  for (const flow of flows) {
    const words = flowWords(flow);
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!words || !from || !to) continue;
    const key = routeKey(flow.from, flow.to);
    const route = routeOf(flow.from, flow.to);
    const middle = flowMiddle(from, to, route);
    const clear = (at: RoutePoint) => obstacles.touching(flowLabelBox(words, at.x, at.y)).length === 0;
    const at =
      candidates(words, middle, lineOf(from, to, route), marked.has(key)).find(clear) ??
      below(words, middle.x, [from, to], obstacles);
    places.set(key, at);
    obstacles.add(flowLabelBox(words, at.x, at.y));
  }
  return places;
}

/**
 * Words centred on `x` below the lower of their flow's steps (`ends`), where the lane's padding
 * is usually free, and further down below anything they would touch there: each move goes below
 * a box the words touched, so they end clear after at most one move per box.
 */
function below(words: string, x: number, ends: readonly PlacedStep[], obstacles: Obstacles): RoutePoint {
  /** the middle that puts the words' top (with its gap) just under `edge` */
  const under = (edge: number) => edge + FLOW_LABEL_GAP + HALF_HEIGHT;
  let y = under(Math.max(...ends.map((p) => p.y + p.height)));
  for (;;) {
    const hits = obstacles.touching(flowLabelBox(words, x, y));
    if (hits.length === 0) return { x, y };
    y = under(Math.max(...hits.map((o) => o.bottom)));
  }
}

/** The baseline of words whose middle is at `y` (the pictures draw text from its baseline). */
export function flowLabelBaseline(y: number): number {
  return y + FLOW_LABEL_ASCENT - HALF_HEIGHT;
}
