/**
 * The geometry of flow routes (core/workflow/routing.ts), apart from ELK so that the page can draw
 * and check routes without loading ELK (1.6 MB of script, kept to the layout worker).
 */

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

/** The key of a flow's route: its two step ids. */
export function routeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * Whether the axis-parallel segment a–b passes through the inside of `box` (running along its
 * border, or touching it, does not count).
 */
export function segmentCrossesBox(a: RoutePoint, b: RoutePoint, box: StepBox): boolean {
  const x0 = Math.min(a.x, b.x);
  const x1 = Math.max(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const y1 = Math.max(a.y, b.y);
  return (
    x1 > box.x + BORDER_TOLERANCE &&
    x0 < box.x + box.width - BORDER_TOLERANCE &&
    y1 > box.y + BORDER_TOLERANCE &&
    y0 < box.y + box.height - BORDER_TOLERANCE
  );
}

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
