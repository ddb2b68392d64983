/**
 * A message's route between pools: the plain route (down from the sender, up into the receiver)
 * when it passes through no shape, else around the shapes in its way and beside the pools between
 * its two ends' own, never through them.
 */
import { describe, expect, it } from 'vitest';
import { routeCrossesBoxes, type StepBox } from '../../routeGeometry.ts';
import { messageWaypoints, routedMessageWaypoints } from './waypoints.ts';

/** Three pools drawn touching, one under the other, as the export draws them. */
const clinic = { x: 0, y: 0, width: 1000, height: 300 };
const hospital = { x: 0, y: 300, width: 1000, height: 150 };
const patient = { x: 0, y: 450, width: 1000, height: 150 };
const send = { x: 400, y: 200, width: 100, height: 80 };

/** Whether a point lies on the border of a box. */
const onBorder = (p: { x: number; y: number } | undefined, b: typeof clinic) =>
  p !== undefined &&
  (((p.x === b.x || p.x === b.x + b.width) && p.y >= b.y && p.y <= b.y + b.height) ||
    ((p.y === b.y || p.y === b.y + b.height) && p.x >= b.x && p.x <= b.x + b.width));

describe('routedMessageWaypoints', () => {
  it('keeps the plain route when it passes through no shape', () => {
    const boxes: StepBox[] = [{ id: 'send', ...send }];
    expect(routedMessageWaypoints(send, hospital, boxes)).toEqual(messageWaypoints(send, hospital));
  });

  it('goes around a step under the sender, out of its bottom into the receiving pool', () => {
    const high = { ...send, y: 100 };
    const below = { id: 'file', x: 420, y: 220, width: 60, height: 40 };
    const boxes: StepBox[] = [{ id: 'send', ...high }, below];
    expect(routeCrossesBoxes(messageWaypoints(high, hospital), [below])).toBe(true);
    const route = routedMessageWaypoints(high, hospital, boxes);
    expect(routeCrossesBoxes(route, boxes)).toBe(false);
    expect(route[0]).toEqual({ x: 450, y: 180 });
    expect(onBorder(route.at(-1), hospital)).toBe(true);
  });

  it('goes beside a pool between the two ends, not through it', () => {
    const boxes: StepBox[] = [
      { id: 'send', ...send },
      { id: 'hospital', ...hospital },
    ];
    expect(routeCrossesBoxes(messageWaypoints(send, patient), boxes)).toBe(true);
    const route = routedMessageWaypoints(send, patient, boxes);
    expect(routeCrossesBoxes(route, boxes)).toBe(false);
    expect(route[0]).toEqual({ x: 450, y: 280 });
    expect(onBorder(route.at(-1), patient)).toBe(true);
    // every segment is horizontal or vertical
    for (const [i, p] of route.slice(1).entries()) {
      const q = route[i] as { x: number; y: number };
      expect(p.x === q.x || p.y === q.y).toBe(true);
    }
  });
});
