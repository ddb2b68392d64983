/**
 * Drawing without a pointer: where keyboard focus goes from a step (along its flows, to the
 * lanes above and below), where a step moved to another lane or added after another one lands,
 * and which steps a typed name finds. Pure functions of the workflow and its canvas layout
 * (canvasModel.ts), so the editor's keys and their tests share one definition.
 */

import { STEP_BOX } from '../../../core/workflow/index.ts';
import type { StepKind, Workflow } from '../../../formats/workflow.ts';
import {
  ARRANGE_OPTIONS,
  boxOffset,
  type CanvasLayout,
  COLUMN_SPACING,
  LANE_PADDING,
  type LaneBand,
  type PlacedStep,
  STEP_SIZE,
} from './canvasModel.ts';

/** An arrow key's direction on the canvas. */
export type Direction = 'left' | 'right' | 'up' | 'down';

/** Distance between the centre lines of two rows of one lane (the auto-layout's rows). */
export const ROW_SPACING = STEP_BOX.height + ARRANGE_OPTIONS.rowGap;
/** Room kept free between a placed step and its neighbours in a row. */
const SIDE_GAP = 20;

function centre(p: PlacedStep): { x: number; y: number } {
  return { x: p.x + p.width / 2, y: p.y + p.height / 2 };
}

/**
 * The step keyboard focus goes to from step `fromId`: right follows a flow out of it and left a
 * flow into it (the one closest to its row); without such a flow, the nearest step on that side
 * in the same lane. Up and down go to the nearest step (by column) in the closest lane above or
 * below that has steps. Null when there is none.
 */
export function neighbourStep(
  workflow: Workflow,
  layout: CanvasLayout,
  fromId: string,
  direction: Direction,
): string | null {
  const placed = new Map(layout.steps.map((p) => [p.step.id, p]));
  const from = placed.get(fromId);
  if (!from) return null;
  const here = centre(from);
  const nearest = (candidates: PlacedStep[], rank: (c: { x: number; y: number }) => [number, number]) => {
    let best: PlacedStep | null = null;
    let bestRank: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const c of candidates) {
      const r = rank(centre(c));
      if (r[0] < bestRank[0] || (r[0] === bestRank[0] && r[1] < bestRank[1])) {
        best = c;
        bestRank = r;
      }
    }
    return best?.step.id ?? null;
  };
  if (direction === 'left' || direction === 'right') {
    const ends =
      direction === 'right'
        ? workflow.flows.filter((f) => f.from === fromId).map((f) => f.to)
        : workflow.flows.filter((f) => f.to === fromId).map((f) => f.from);
    const linked = ends.flatMap((id) =>
      id !== fromId && placed.has(id) ? [placed.get(id) as PlacedStep] : [],
    );
    if (linked.length > 0) {
      return nearest(linked, (c) => [Math.abs(c.y - here.y), Math.abs(c.x - here.x)]);
    }
    const sign = direction === 'right' ? 1 : -1;
    const sameLane = layout.steps.filter(
      (p) => p.step.lane === from.step.lane && p.step.id !== fromId && (centre(p).x - here.x) * sign > 0,
    );
    return nearest(sameLane, (c) => [Math.abs(c.x - here.x), Math.abs(c.y - here.y)]);
  }
  const laneIndex = layout.lanes.findIndex((l) => l.id === from.step.lane);
  const stepDirection = direction === 'up' ? -1 : 1;
  for (let i = laneIndex + stepDirection; i >= 0 && i < layout.lanes.length; i += stepDirection) {
    const laneId = layout.lanes[i]?.id;
    const own = layout.steps.filter((p) => p.step.lane === laneId);
    if (own.length > 0) return nearest(own, (c) => [Math.abs(c.x - here.x), Math.abs(c.y - here.y)]);
  }
  return null;
}

/** A stored position in a lane (the document's coordinates, see canvasModel.ts). */
interface LanePlace {
  lane: string;
  position: { x: number; y: number };
}

/**
 * A free place for a step of `kind` centred on canvas column `centreX` in lane `band`: on the row
 * of `rowCentreY` (canvas) when given, else the lane's top row; one row further down while a
 * step of the lane (other than those in `ignore`) is in the way. Returned in stored coordinates.
 */
function freePlace(
  layout: CanvasLayout,
  band: LaneBand,
  kind: StepKind,
  centreX: number,
  rowCentreY: number | undefined,
  ignore: ReadonlySet<string>,
): LanePlace {
  const size = STEP_SIZE[kind] ?? STEP_SIZE.task;
  const others = layout.steps.filter((p) => p.step.lane === band.id && !ignore.has(p.step.id));
  const topRow =
    others.length > 0
      ? Math.min(...others.map((p) => centre(p).y))
      : band.top + LANE_PADDING + STEP_BOX.height / 2;
  let centreY = rowCentreY ?? topRow;
  const left = centreX - size.width / 2;
  const clashes = (y: number) =>
    others.some(
      (p) =>
        left < p.x + p.width + SIDE_GAP &&
        p.x < left + size.width + SIDE_GAP &&
        y - size.height / 2 < p.y + p.height &&
        p.y < y + size.height / 2,
    );
  // bounded: every row holds at least one of the lane's steps, so one row past them all is free
  for (let tries = 0; tries <= others.length && clashes(centreY); tries++) centreY += ROW_SPACING;
  const offset = boxOffset(size);
  return {
    lane: band.id,
    position: {
      x: Math.round(left - offset.x),
      y: Math.round(centreY - size.height / 2 - band.shift - offset.y),
    },
  };
}

/**
 * Where step `id` goes when moved one lane up or down: the same column of the next lane, on its
 * top row, or lower where another step stands. Null in the first lane going up or the last going
 * down.
 */
export function laneMove(layout: CanvasLayout, id: string, direction: 'up' | 'down'): LanePlace | null {
  const placed = layout.steps.find((p) => p.step.id === id);
  if (!placed) return null;
  const index = layout.lanes.findIndex((l) => l.id === placed.step.lane);
  const band = layout.lanes[index + (direction === 'up' ? -1 : 1)];
  if (index < 0 || !band) return null;
  return freePlace(layout, band, placed.step.kind, centre(placed).x, undefined, new Set([id]));
}

/**
 * Where a new step of `kind` added after step `afterId` goes, in lane `laneId`: one column to its
 * right, on its row when the lane is its own (else on that lane's top row), lower where another
 * step stands. Null when either is unknown.
 */
export function appendPlace(
  layout: CanvasLayout,
  afterId: string,
  laneId: string,
  kind: StepKind,
): LanePlace | null {
  const after = layout.steps.find((p) => p.step.id === afterId);
  const band = layout.lanes.find((l) => l.id === laneId);
  if (!after || !band) return null;
  const { x, y } = centre(after);
  return freePlace(
    layout,
    band,
    kind,
    x + COLUMN_SPACING,
    after.step.lane === laneId ? y : undefined,
    new Set(),
  );
}

/** Lower case without accents, so "Ärztin" is found by "arz". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The steps whose label matches what was typed, best first: labels that start with it, then
 * labels with a word that starts with it, then labels that contain it; document order within
 * each. Everything when nothing is typed. Steps in `exclude` are left out.
 */
export function stepsMatching(
  workflow: Workflow,
  typed: string,
  exclude: ReadonlySet<string> = new Set(),
): Workflow['steps'] {
  const query = folded(typed.trim());
  const ranked: { rank: number; index: number }[] = [];
  workflow.steps.forEach((step, index) => {
    if (exclude.has(step.id)) return;
    const label = folded(step.label);
    const rank =
      query === ''
        ? 0
        : label.startsWith(query)
          ? 0
          : label.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(query))
            ? 1
            : label.includes(query)
              ? 2
              : -1;
    if (rank >= 0) ranked.push({ rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.map((r) => workflow.steps[r.index] as Workflow['steps'][number]);
}
