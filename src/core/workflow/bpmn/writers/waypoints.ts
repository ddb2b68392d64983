/**
 * Routes of the edges an export draws: a flow's around the shapes of its page, a boundary event's
 * exception path out of its host's border, a message's between pools. Pure geometry.
 */

import {
  type BoxSide,
  OUTWARD,
  routeAround,
  routeCrossesBoxes,
  routeLeaving,
  type StepBox,
  sidePoint,
} from '../../routeGeometry.ts';
import { HEADER_WIDTH, STEP_BOX } from '../geometry.ts';
import type { Box } from './context.ts';

/**
 * The route of a message between pools: from the sender's bottom (or top) to the receiver's top
 * (or bottom), vertical, with a dog-leg when their middles differ. A pool's end is taken under
 * (or over) the other end, right of its name header.
 */
export function messageWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const middle = (box: Box) => box.x + box.width / 2;
  const clampInto = (box: Box, x: number) =>
    Math.min(Math.max(x, box.x + HEADER_WIDTH + 10), box.x + box.width - 10);
  const wide = (box: Box) => box.width > STEP_BOX.width * 3;
  const fromX = wide(from) ? clampInto(from, middle(to)) : middle(from);
  const toX = wide(to) ? clampInto(to, fromX) : middle(to);
  const down = from.y + from.height <= to.y || from.y < to.y;
  const start = { x: fromX, y: down ? from.y + from.height : from.y };
  const end = { x: toX, y: down ? to.y : to.y + to.height };
  if (start.x === end.x) return [start, end];
  const bend = (start.y + end.y) / 2;
  return [start, { x: start.x, y: bend }, { x: end.x, y: bend }, end];
}

/** A side of a shape. */
type Side = BoxSide;

/** How far beyond everything drawn a message's route may run around the pools. */
const FRAME = 40;

/**
 * The route of a message that passes through no shape of `boxes` (the page's steps, documents and
 * notes, and the pools that are neither end's): the plain route ({@link messageWaypoints}) when it
 * passes through none, else a route around them ({@link routeAround}) from the first pair of sides
 * that has one (out of the side facing the other end into the side facing back, then out of a
 * side across, then into one), its ends where the plain route's are on a pool's border; else the
 * plain route. Between pools the route runs through the gap between them, or beside the pools it
 * would otherwise cross.
 */
export function routedMessageWaypoints(
  from: Box,
  to: Box,
  boxes: readonly StepBox[],
): { x: number; y: number }[] {
  const plain = messageWaypoints(from, to);
  if (!routeCrossesBoxes(plain, boxes)) return plain;
  const down = (plain[0]?.y ?? 0) <= (plain.at(-1)?.y ?? 0);
  const [out, back]: [Side, Side] = down ? ['bottom', 'top'] : ['top', 'bottom'];
  const pairs: [Side, Side][] = [
    [out, back],
    ['right', back],
    ['left', back],
    [out, 'right'],
    [out, 'left'],
    ['right', 'right'],
    ['left', 'left'],
  ];
  // a pool's end stays where the plain route has it (under or over the other end); a step's is
  // the middle of its side
  const endPoint = (box: Box, side: Side, plainPoint: { x: number; y: number } | undefined) =>
    plainPoint && side === (box === from ? out : back) ? plainPoint : sidePoint(box, side);
  // a dot beyond two opposite corners of everything drawn: routeAround runs on lines beside the
  // shapes, and these give it lines outside the outermost ones, so that a route can come into a
  // pool at the edge of the page from beside it (pools drawn touching leave no gap to come through)
  const all = [...boxes, from, to];
  const left = Math.min(...all.map((b) => b.x)) - FRAME;
  const top = Math.min(...all.map((b) => b.y)) - FRAME;
  const right = Math.max(...all.map((b) => b.x + b.width)) + FRAME;
  const bottom = Math.max(...all.map((b) => b.y + b.height)) + FRAME;
  const around = [
    ...boxes,
    { id: 'frame top left', x: left, y: top, width: 1, height: 1 },
    { id: 'frame bottom right', x: right, y: bottom, width: 1, height: 1 },
  ];
  for (const [leave, enter] of pairs) {
    const route = routeAround(
      endPoint(from, leave, plain[0]),
      OUTWARD[leave],
      endPoint(to, enter, plain.at(-1)),
      OUTWARD[enter],
      around,
    );
    if (route) return route;
  }
  return plain;
}

/** The border of its host a boundary event sits on: the one nearest the event's centre. */
export function boundarySide(event: Box, host: Box): Side {
  const cx = event.x + event.width / 2;
  const cy = event.y + event.height / 2;
  const distances: [Side, number][] = [
    ['bottom', Math.abs(cy - (host.y + host.height))],
    ['top', Math.abs(cy - host.y)],
    ['right', Math.abs(cx - (host.x + host.width))],
    ['left', Math.abs(cx - host.x)],
  ];
  return distances.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

/**
 * The plain route of a boundary event's exception path, as bpmn-js lays one out: out of the event
 * away from its host (down from the bottom border, up from the top one), then across into the
 * target's side. Undefined when the target is not beyond the event that way, or the event sits on
 * a left or right border: the route then goes around ({@link routedWaypoints}), never back
 * through the host.
 */
export function boundaryWaypoints(
  from: Box,
  to: Box,
  side: Side = 'bottom',
): { x: number; y: number }[] | undefined {
  if (side !== 'bottom' && side !== 'top') return undefined;
  const down = side === 'bottom';
  const start = sidePoint(from, side);
  const toMiddle = to.y + to.height / 2;
  if (down ? toMiddle <= start.y : toMiddle >= start.y) return undefined;
  if (start.x >= to.x && start.x <= to.x + to.width) {
    return [start, { x: start.x, y: down ? to.y : to.y + to.height }];
  }
  const end = to.x > start.x ? { x: to.x, y: toMiddle } : { x: to.x + to.width, y: toMiddle };
  return [start, { x: start.x, y: toMiddle }, end];
}

/** How far around a flow's two ends a route first looks for the shapes in its way. */
const ROUTE_REACH = 240;
/** Pages with more shapes than this are routed around the shapes near the ends only. */
const MAX_ROUTED_BOXES = 300;

/**
 * A flow's route that passes through no shape of its page: the plain route ({@link edgeWaypoints},
 * or {@link boundaryWaypoints} from a boundary event on `host`) when it passes through none, else a
 * route around them ({@link routeAround}) from the first pair of sides that has one (right to
 * left, then under, over, and the sides between; a boundary event's always leaves it away from
 * its host, with a shorter first run when a shape lies closer under it than a route's clearance),
 * else the plain route.
 */
export function routedWaypoints(
  from: Box,
  to: Box,
  host: Box | undefined,
  boxes: readonly StepBox[],
): { x: number; y: number }[] {
  const away = host ? boundarySide(from, host) : undefined;
  const plain = away ? boundaryWaypoints(from, to, away) : edgeWaypoints(from, to);
  if (plain && !routeCrossesBoxes(plain, boxes)) return plain;
  const forward = to.x >= from.x + from.width;
  const pairs: [Side, Side][] = away
    ? [
        [away, forward ? 'left' : 'right'],
        [away, away === 'top' ? 'bottom' : 'top'],
        [away, away === 'top' ? 'top' : 'bottom'],
        [away, forward ? 'right' : 'left'],
      ]
    : forward
      ? [
          ['right', 'left'],
          ['bottom', 'left'],
          ['top', 'left'],
          ['bottom', 'bottom'],
          ['top', 'top'],
        ]
      : [
          ['bottom', 'bottom'],
          ['top', 'top'],
          ['right', 'left'],
          ['bottom', 'top'],
          ['top', 'bottom'],
        ];
  // the search grows with the square of the shapes it goes around: first those near the two
  // ends, and a route found among them is kept only if it passes through no shape of the page
  const reach = (margin: number) => {
    const x0 = Math.min(from.x, to.x) - margin;
    const y0 = Math.min(from.y, to.y) - margin;
    const x1 = Math.max(from.x + from.width, to.x + to.width) + margin;
    const y1 = Math.max(from.y + from.height, to.y + to.height) + margin;
    return boxes.filter((b) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0);
  };
  for (const near of [reach(ROUTE_REACH), ...(boxes.length <= MAX_ROUTED_BOXES ? [boxes] : [])]) {
    for (const [leave, enter] of pairs) {
      // a boundary event always leaves away from its host, even with a shape close under it
      const route = away
        ? routeLeaving(from, leave, to, [enter], near)
        : routeAround(sidePoint(from, leave), OUTWARD[leave], sidePoint(to, enter), OUTWARD[enter], near);
      if (route && (near === boxes || !routeCrossesBoxes(route, boxes))) return route;
    }
  }
  return plain ?? edgeWaypoints(from, to);
}

/**
 * An orthogonal route from one shape to another: right side → left side through the middle
 * column when the target is to the right; otherwise (a loop back) under both shapes.
 */
export function edgeWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const fromMiddle = from.y + from.height / 2;
  const toMiddle = to.y + to.height / 2;
  const start = { x: from.x + from.width, y: fromMiddle };
  const end = { x: to.x, y: toMiddle };
  if (end.x > start.x) {
    if (start.y === end.y) return [start, end];
    const middle = (start.x + end.x) / 2;
    return [start, { x: middle, y: start.y }, { x: middle, y: end.y }, end];
  }
  const below = Math.max(from.y + from.height, to.y + to.height) + 20;
  const out = { x: from.x + from.width / 2, y: from.y + from.height };
  const into = { x: to.x + to.width / 2, y: to.y + to.height };
  return [out, { x: out.x, y: below }, { x: into.x, y: below }, into];
}
