/**
 * Flows are routed around steps: a step in the way is gone round, a flow back is routed too, and a
 * flow that cannot be routed is counted, never dropped silently. The canvas's own geometry (the
 * demo workflows, an MIWG model) is checked in src/app/workflows/editor/flowRoutes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  associationRoute,
  flowEndsOf,
  type RoutePoint,
  routeAround,
  routeCrossesBoxes,
  routeKey,
  routeLeaving,
  routeMidpoint,
  type StepBox,
  segmentCrossesBox,
} from '../routeGeometry.ts';
import { routeFlows } from './routing.ts';

const box = (id: string, x: number, y: number, width = 100, height = 60): StepBox => ({
  id,
  x,
  y,
  width,
  height,
});

/** An independent reading: does any segment of `points` enter the inside of any box? */
function passesThrough(points: RoutePoint[], boxes: StepBox[]): string[] {
  const hit: string[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as RoutePoint;
    const b = points[i + 1] as RoutePoint;
    for (const s of boxes) {
      const inside = (p: RoutePoint) =>
        p.x > s.x + 1 && p.x < s.x + s.width - 1 && p.y > s.y + 1 && p.y < s.y + s.height - 1;
      // sample the segment finely: axis-parallel segments enter a box only through a sample point
      for (let t = 0; t <= 1; t += 1 / 200) {
        if (inside({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t })) {
          hit.push(s.id);
          break;
        }
      }
    }
  }
  return hit;
}

describe('routeFlows', () => {
  const cases: {
    description: string;
    boxes: StepBox[];
    flows: { from: string; to: string }[];
    routed: number;
    unrouted: number;
  }[] = [
    {
      description: 'a step between two steps of one row is gone round',
      boxes: [box('a', 0, 0), box('b', 200, 0), box('c', 400, 0), box('d', 200, 120)],
      flows: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'c' },
        { from: 'a', to: 'd' },
      ],
      routed: 4,
      unrouted: 0,
    },
    {
      description: 'a flow back to an earlier step is routed around the steps between',
      boxes: [box('a', 0, 0), box('b', 200, 0), box('c', 400, 0)],
      flows: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
      ],
      routed: 3,
      unrouted: 0,
    },
    {
      description: 'a loop on one step and a flow to an unknown step are counted as unrouted',
      boxes: [box('a', 0, 0), box('b', 200, 0)],
      flows: [
        { from: 'a', to: 'a' },
        { from: 'a', to: 'nowhere' },
        { from: 'a', to: 'b' },
      ],
      routed: 1,
      unrouted: 2,
    },
    { description: 'no flows, no routes', boxes: [box('a', 0, 0)], flows: [], routed: 0, unrouted: 0 },
  ];
  it.each(cases)('$description', async ({ boxes, flows, routed, unrouted }) => {
    const result = await routeFlows(boxes, flows);
    expect(Object.keys(result.routes)).toHaveLength(routed);
    expect(result.unrouted).toBe(unrouted);
    const byId = new Map(boxes.map((b) => [b.id, b]));
    for (const flow of flows) {
      const points = result.routes[routeKey(flow.from, flow.to)];
      if (!points) continue;
      expect(passesThrough(points, boxes), `${flow.from} → ${flow.to}`).toEqual([]);
      const from = byId.get(flow.from) as StepBox;
      const to = byId.get(flow.to) as StepBox;
      // leaves the middle of the source's right side, arrives at the middle of the target's left side
      expect(points[0]).toEqual({ x: from.x + from.width, y: from.y + from.height / 2 });
      expect(points.at(-1)).toEqual({ x: to.x, y: to.y + to.height / 2 });
      // orthogonal: every segment is horizontal or vertical
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i] as RoutePoint;
        const b = points[i + 1] as RoutePoint;
        expect(a.x === b.x || a.y === b.y, `segment ${i} of ${flow.from} → ${flow.to}`).toBe(true);
      }
    }
  });

  it('steps placed by hand, off any grid: each flow is routed around them', async () => {
    const boxes = [box('a', 13, 7), box('b', 251, 300), box('c', 90, 600), box('d', 260, 120)];
    const flows = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'd' },
      { from: 'd', to: 'c' },
    ];
    const result = await routeFlows(boxes, flows);
    expect(Object.keys(result.routes).length + result.unrouted).toBe(flows.length);
    // ELK keeps some of its routes here; the others go around the steps on a detour of our own
    expect(Object.keys(result.routes).length).toBe(flows.length);
    for (const points of Object.values(result.routes)) expect(passesThrough(points, boxes)).toEqual([]);
  });
});

describe('segmentCrossesBox', () => {
  const square = box('s', 0, 0, 100, 100);
  it.each([
    { description: 'through the middle', a: { x: -10, y: 50 }, b: { x: 110, y: 50 }, crosses: true },
    { description: 'along the top border', a: { x: -10, y: 0 }, b: { x: 110, y: 0 }, crosses: false },
    { description: 'ending on the left side', a: { x: -50, y: 50 }, b: { x: 0, y: 50 }, crosses: false },
    { description: 'entering the inside', a: { x: 50, y: -50 }, b: { x: 50, y: 20 }, crosses: true },
    { description: 'wholly beside it', a: { x: 120, y: -50 }, b: { x: 120, y: 150 }, crosses: false },
    { description: 'slanted, through a corner', a: { x: -20, y: 60 }, b: { x: 60, y: 140 }, crosses: true },
    {
      description: 'slanted, past a corner (inside its bounds only)',
      a: { x: 50, y: 150 },
      b: { x: 150, y: 50 },
      crosses: false,
    },
    {
      description: 'slanted, across the middle',
      a: { x: -50, y: -50 },
      b: { x: 150, y: 150 },
      crosses: true,
    },
  ])('$description', ({ a, b, crosses }) => {
    expect(segmentCrossesBox(a, b, square)).toBe(crosses);
  });
});

describe('routeMidpoint', () => {
  it.each([
    {
      description: 'a straight line',
      points: [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
      middle: { x: 50, y: 0 },
    },
    {
      description: 'a bend: half of the length',
      points: [
        { x: 0, y: 0 },
        { x: 40, y: 0 },
        { x: 40, y: 60 },
      ],
      middle: { x: 40, y: 10 },
    },
    { description: 'one point', points: [{ x: 3, y: 4 }], middle: { x: 3, y: 4 } },
  ])('$description', ({ points, middle }) => {
    expect(routeMidpoint(points)).toEqual(middle);
  });
});

describe('routeAround', () => {
  // a decision, the task after it and the task after that, in a row: the decision's second exit
  // (added with C) to the last one would run straight through the middle task
  const row = [box('d', 0, 20, 50, 50), box('a', 150, 15), box('b', 350, 15)];

  it('goes around the step in its way, orthogonally, from side to side', () => {
    const route = routeAround({ x: 50, y: 45 }, { dx: 1, dy: 0 }, { x: 350, y: 45 }, { dx: -1, dy: 0 }, row);
    expect(route).toBeDefined();
    const points = route ?? [];
    expect(points[0]).toEqual({ x: 50, y: 45 });
    expect(points[points.length - 1]).toEqual({ x: 350, y: 45 });
    expect(routeCrossesBoxes(points, row)).toBe(false);
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1], points[i]];
      expect(p?.x === q?.x || p?.y === q?.y).toBe(true);
    }
  });

  it('is undefined when a box stands right before the side it must enter by', () => {
    const walled = [...row, box('wall', 330, 0, 10, 100)];
    expect(
      routeAround({ x: 50, y: 45 }, { dx: 1, dy: 0 }, { x: 350, y: 45 }, { dx: -1, dy: 0 }, walled),
    ).toBeUndefined();
  });

  it("routeFlows gives the decision's second exit a route that passes through no step", async () => {
    const result = await routeFlows(row, [
      { from: 'd', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'd', to: 'b' },
    ]);
    const skip = result.routes[routeKey('d', 'b')];
    expect(skip).toBeDefined();
    expect(routeCrossesBoxes(skip ?? [], row)).toBe(false);
  });
});

describe('routeLeaving and a flow that leaves its step downward', () => {
  // an activity, a boundary event on its bottom border (its box reaching into the activity, as
  // the canvas draws one), and the task its exception path leads to, right of and above the event
  const task = box('task', 0, 0, 160, 72);
  const event = box('event', 40, 40, 160, 72);
  const handler = box('handler', 260, 0, 160, 72);
  const boxes = [task, event, handler];

  it('leaves from the bottom, downward, and crosses neither the activity nor any other box', () => {
    const route = routeLeaving(event, 'bottom', handler, ['left', 'top', 'bottom'], boxes) ?? [];
    expect(route[0]).toEqual({ x: 120, y: 112 });
    expect(route[1]?.x).toBe(120);
    expect(route[1]?.y ?? 0).toBeGreaterThan(112);
    expect(passesThrough(route, [task, handler])).toEqual([]);
  });

  it('runs out half the room there is when a box lies close under the event', () => {
    const close = box('close', 60, 116, 100, 60);
    const route = routeLeaving(event, 'bottom', handler, ['left'], [...boxes, close]) ?? [];
    expect(route.slice(0, 2)).toEqual([
      { x: 120, y: 112 },
      { x: 120, y: 114 },
    ]);
    expect(passesThrough(route, [task, handler, close])).toEqual([]);
  });

  it('routeFlows routes a flow that leaves downward from the bottom; flowEndsOf marks exception paths', async () => {
    const workflow = {
      steps: [
        { id: 'task' },
        { id: 'event', boundary: { attachedTo: 'task', trigger: 'timer', interrupting: true } },
        { id: 'handler' },
        { id: 'loose', boundary: { attachedTo: 'gone', trigger: 'timer', interrupting: true } },
      ],
      flows: [
        { from: 'task', to: 'event' },
        { from: 'event', to: 'handler' },
        { from: 'loose', to: 'handler' },
      ],
    } as unknown as Parameters<typeof flowEndsOf>[0];
    const ends = flowEndsOf(workflow);
    expect(ends).toEqual([
      { from: 'task', to: 'event' },
      { from: 'event', to: 'handler', leaves: 'bottom' },
      { from: 'loose', to: 'handler' },
    ]);
    const result = await routeFlows(boxes, ends.slice(1, 2));
    expect(result.unrouted).toBe(0);
    expect(result.routes[routeKey('event', 'handler')]?.[0]).toEqual({ x: 120, y: 112 });
  });
});

describe('associationRoute', () => {
  // a document under the first of three tasks in a row, read by the last: the straight line from
  // the document's right side runs along the row through the middle task
  const first = box('first', 0, 0);
  const middle = box('middle', 200, 0);
  const last = box('last', 400, 0);
  const sheet = box('sheet', 32, 100, 36, 50);
  it.each([
    {
      description: 'straight when nothing is in the way',
      from: sheet,
      to: first,
      boxes: [first, middle, last, sheet],
      expected: [
        { x: 50, y: 100 },
        { x: 50, y: 60 },
      ],
    },
    {
      description: 'straight and slanted when it passes beside a shape',
      from: sheet,
      to: middle,
      boxes: [first, middle, last, sheet],
      expected: [
        { x: 50, y: 100 },
        { x: 250, y: 60 },
      ],
    },
  ])('$description', ({ from, to, boxes, expected }) => {
    expect(associationRoute(from, to, boxes)).toEqual(expected);
  });

  it('goes around a step in its way, orthogonally, and into the step it joins', () => {
    const row = [first, middle, last, box('sheet', 232, 100, 36, 50)];
    const low = box('low', 232, 100, 36, 50);
    // the document under the middle task, read by the first task's neighbour on the far right;
    // a task standing between them on the document's row blocks the straight line
    const blocker = box('blocker', 310, 30, 50, 100);
    const boxes = [...row, blocker];
    const route = associationRoute(low, last, boxes);
    expect(
      passesThrough(
        route,
        boxes.filter((b) => b.id !== 'sheet' && b.id !== 'last'),
      ),
    ).toEqual([]);
    expect(route.length).toBeGreaterThan(2);
    for (let i = 1; i < route.length; i++) {
      const [p, q] = [route[i - 1], route[i]];
      expect(p?.x === q?.x || p?.y === q?.y).toBe(true);
    }
  });

  it('keeps the straight line when no route around exists (walled in)', () => {
    const walls = [box('n', -20, -40, 140, 20), box('s', -20, 80, 140, 20), box('w', -40, -40, 20, 140)];
    const inside = box('inside', 0, 0, 36, 50);
    const far = box('far', 300, 0);
    const boxes = [...walls, box('e', 130, -40, 20, 140), inside, far];
    expect(associationRoute(inside, far, boxes)).toEqual([
      { x: 36, y: 25 },
      { x: 300, y: 30 },
    ]);
  });
});
