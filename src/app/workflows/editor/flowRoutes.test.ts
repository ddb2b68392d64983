/**
 * Flows on the canvas go around steps: for every demo workflow, arranged as "Arrange
 * automatically" arranges it, and for MIWG models as drawn in their files and arranged, every
 * flow between two steps gets an orthogonal route in the canvas's own geometry (layoutCanvas), and
 * no segment of any route passes through any step's shape, and how many of ELK's own routes did
 * (routeFlows drops those) is stated. Then the router engine: one request at a time, the latest
 * picture wins, a destroyed router's late answer is not drawn, and routes that no longer fit a
 * moved step are not used; the routes are kept per set of positions (an undo back to them draws
 * them) and are current only for the boxes and flows they were made for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { miwgBytes } from '../../../../tests/fixtures/miwg.ts';
import { importBpmnBytes } from '../../../core/workflow/bpmn/index.ts';
import { type RoutePoint, routeKey, type StepBox } from '../../../core/workflow/index.ts';
import { type FlowRoutes, layoutWorkflow, routeFlows } from '../../../core/workflow/layout/index.ts';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { ARRANGE_OPTIONS, layoutCanvas, stepBoxes } from './canvasModel.ts';
import {
  createFlowRouter,
  keepPicture,
  pictureCurrent,
  pictureFor,
  ROUTED_PICTURES_KEPT,
  type RoutedPicture,
  usableRoutes,
} from './flowRoutes.ts';

/**
 * The share of flows an arranged workflow must get a route for: ELK routes every flow, but a route
 * whose columns overlap on the canvas (a task is wider than the arrangement's step box) is drawn
 * plainly rather than through a step. Measured: 1.0 on seven of the eight demos, 10 of 14 on one.
 */
const MIN_ROUTED_SHARE = 0.7;

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');

/** Every step the route's segments enter the inside of (sampled along each segment). */
function stepsCrossed(points: RoutePoint[], boxes: StepBox[]): string[] {
  const hit = new Set<string>();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as RoutePoint;
    const b = points[i + 1] as RoutePoint;
    const length = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
    for (let d = 0; d <= length; d += 2) {
      const t = length === 0 ? 0 : d / length;
      const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
      for (const s of boxes)
        if (p.x > s.x + 1 && p.x < s.x + s.width - 1 && p.y > s.y + 1 && p.y < s.y + s.height - 1)
          hit.add(s.id);
    }
  }
  return [...hit];
}

async function arranged(workflow: Workflow): Promise<Workflow> {
  const layout = await layoutWorkflow(workflow, ARRANGE_OPTIONS);
  return {
    ...workflow,
    // as "Arrange automatically" does: Preflight's own shapes at the layout's places
    steps: workflow.steps.map(({ size: _, ...step }) => {
      const p = layout.positions[step.id];
      return p ? { ...step, position: { x: Math.round(p.x), y: Math.round(p.y) } } : step;
    }),
  };
}

/**
 * Routes the workflow on its canvas and checks every route kept with a sampler of its own; returns
 * how many flows were routed and how many of ELK's own routes routeFlows dropped, and why.
 */
async function expectRoutedAroundSteps(
  workflow: Workflow,
): Promise<{ routed: number; flows: number; dropped: FlowRoutes['dropped'] }> {
  const boxes = stepBoxes(layoutCanvas(workflow));
  const flows = workflow.flows.filter((f) => f.from !== f.to);
  const result = await routeFlows(boxes, flows);
  for (const flow of flows) {
    const points = result.routes[routeKey(flow.from, flow.to)];
    if (!points) continue;
    expect(stepsCrossed(points, boxes), `${workflow.id}: ${flow.from} → ${flow.to}`).toEqual([]);
  }
  // every flow is routed (by ELK, or around the steps where ELK's route was dropped) or counted
  expect(Object.keys(result.routes).length + result.unrouted).toBe(flows.length);
  return { routed: Object.keys(result.routes).length, flows: flows.length, dropped: result.dropped };
}

/**
 * How many of ELK's own routes pass through a step's box on the canvas, before routeFlows drops
 * them, for an arranged demo (measured; 0 unless listed): on the planned refill, one route runs
 * where a task's shape (wider than the arrangement's step box) reaches into ELK's routing space.
 */
const ELK_CROSSING: Record<string, number> = { 'prescription-refill.future.json': 1 };

const demos = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('flows routed around steps on the canvas', () => {
  it.each(demos)('demo %s, arranged: every flow routed, none through a step', async (name) => {
    const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')));
    if (!loaded.ok) throw new Error(`${name} does not load`);
    const { routed, flows, dropped } = await expectRoutedAroundSteps(await arranged(loaded.value));
    expect(dropped.crossing, "ELK's routes through a step").toBe(ELK_CROSSING[name] ?? 0);
    expect(dropped.bent, "ELK's routes no longer orthogonal on the canvas").toBe(0);
    expect(routed / flows, 'share of flows routed').toBeGreaterThanOrEqual(MIN_ROUTED_SHARE);
  });

  // as drawn by another tool, ELK's routes often run through steps (measured): those are dropped
  it.each([
    { name: 'A.2.0.bpmn', crossingAsDrawn: 0 },
    { name: 'A.4.0.bpmn', crossingAsDrawn: 4 },
    { name: 'C.1.0.bpmn', crossingAsDrawn: 3 },
  ])(
    "MIWG $name as drawn in the file and arranged: no route through a step, none of ELK's once arranged",
    async ({ name, crossingAsDrawn }) => {
      const imported = await importBpmnBytes(miwgBytes(name), { layoutWithoutDiagram: true });
      if (!imported.workflow) throw new Error(`${name} did not import`);
      const asDrawn = await expectRoutedAroundSteps(imported.workflow);
      expect(asDrawn.dropped.crossing, "ELK's routes through a step, dropped").toBe(crossingAsDrawn);
      // as drawn by another tool, a flow ELK cannot route where the steps are is drawn plainly
      expect(asDrawn.routed).toBeLessThanOrEqual(asDrawn.flows);
      const after = await expectRoutedAroundSteps(await arranged(imported.workflow));
      // arranged, ELK routes around the steps itself: none of its routes is dropped for crossing one
      expect(after.dropped.crossing, "ELK's routes through a step").toBe(0);
      expect(after.routed / after.flows, 'share of flows routed once arranged').toBeGreaterThanOrEqual(
        MIN_ROUTED_SHARE,
      );
    },
  );
});

const box = (id: string, x: number, y = 0): StepBox => ({ id, x, y, width: 100, height: 60 });

describe('usableRoutes', () => {
  const picture: RoutedPicture = {
    boxes: new Map([box('a', 0), box('b', 200), box('c', 400)].map((b) => [b.id, b])),
    flows: new Set([routeKey('a', 'b'), routeKey('b', 'c')]),
    routes: {
      [routeKey('a', 'b')]: [
        { x: 100, y: 30 },
        { x: 200, y: 30 },
      ],
      [routeKey('b', 'c')]: [
        { x: 300, y: 30 },
        { x: 400, y: 30 },
      ],
    },
  };
  it.each([
    {
      description: 'nothing moved: every route',
      shown: [box('a', 0), box('b', 200), box('c', 400)],
      usable: ['a>b', 'b>c'],
    },
    {
      description: 'a step moved: its flows are drawn plainly',
      shown: [box('a', 0), box('b', 200), box('c', 420)],
      usable: ['a>b'],
    },
    {
      description: 'a step moved onto another flow: that flow too',
      shown: [box('a', 0), box('b', 200), box('c', 400), box('d', 120, 10)],
      usable: ['b>c'],
    },
    { description: 'no routes yet', shown: [box('a', 0)], usable: [], picture: null },
  ])('$description', ({ shown, usable, ...rest }) => {
    const got = usableRoutes('picture' in rest ? (rest.picture ?? null) : picture, shown);
    expect([...got.keys()].map((k) => k.replace('\u0000', '>')).sort()).toEqual(usable);
  });
});

/** A routed picture of boxes `a` at `ax` and `b` at 200, with the flow a → b. */
const routed = (ax: number): RoutedPicture => ({
  boxes: new Map([box('a', ax), box('b', 200)].map((b) => [b.id, b])),
  flows: new Set([routeKey('a', 'b')]),
  routes: {
    [routeKey('a', 'b')]: [
      { x: ax + 100, y: 30 },
      { x: 200, y: 30 },
    ],
  },
});

describe('routed pictures kept per set of positions', () => {
  // opened at a = 0, arranged to a = 50: the undo goes back to a = 0
  const opened = routed(0);
  const arranged = routed(50);
  const kept = keepPicture(keepPicture([], opened), arranged);
  it.each([
    { description: 'the positions of the arrangement: its routes', a: 50, want: arranged },
    { description: 'back to the positions on opening (undo): their routes', a: 0, want: opened },
    { description: 'positions never routed (a step moved): the newest', a: 75, want: arranged },
  ])('$description', ({ a, want }) => {
    expect(pictureFor(kept, [box('a', a), box('b', 200)])).toBe(want);
  });
  it('keeps one picture per set of positions, and only the newest few', () => {
    expect(keepPicture(kept, routed(0))).toHaveLength(2);
    const many = Array.from({ length: ROUTED_PICTURES_KEPT + 3 }, (_, i) => routed(i * 10)).reduce(
      keepPicture,
      [] as RoutedPicture[],
    );
    expect(many).toHaveLength(ROUTED_PICTURES_KEPT);
    expect(many[0]?.boxes.get('a')?.x).toBe((ROUTED_PICTURES_KEPT + 2) * 10);
  });
  it('says nothing to draw before anything is routed', () => {
    expect(pictureFor([], [box('a', 0)])).toBeNull();
  });
});

describe('pictureCurrent: the routes are of the boxes and flows shown', () => {
  const ab = [{ from: 'a', to: 'b' }];
  it.each([
    { description: 'same boxes, same flows', shown: [box('a', 0), box('b', 200)], flows: ab, current: true },
    { description: 'a step moved', shown: [box('a', 10), box('b', 200)], flows: ab, current: false },
    {
      description: 'a step resized (its label grew)',
      shown: [box('a', 0), { ...box('b', 200), height: 80 }],
      flows: ab,
      current: false,
    },
    {
      description: 'a step added',
      shown: [box('a', 0), box('b', 200), box('c', 400)],
      flows: ab,
      current: false,
    },
    {
      description: 'a flow added',
      shown: [box('a', 0), box('b', 200)],
      flows: [...ab, { from: 'b', to: 'a' }],
      current: false,
    },
    { description: 'a flow removed', shown: [box('a', 0), box('b', 200)], flows: [], current: false },
  ])('$description: $current', ({ shown, flows, current }) => {
    expect(pictureCurrent(routed(0), shown, flows)).toBe(current);
  });
  it('nothing routed yet is not current', () => {
    expect(pictureCurrent(null, [], [])).toBe(false);
  });
});

const NO_ROUTES: FlowRoutes = { routes: {}, unrouted: 0, dropped: { moved: 0, bent: 0, crossing: 0 } };

describe('createFlowRouter', () => {
  it('as useFlowRoutes uses it: an old router answering after the request changed is not drawn', async () => {
    // the canvas makes one router per request (opening, each arrangement) and destroys the one
    // before: that router's late answer, for positions already replaced, must not be drawn
    const gates: { boxes: StepBox[]; resolve: (r: FlowRoutes) => void }[] = [];
    const drawn: RoutedPicture[] = [];
    const make = () =>
      createFlowRouter({
        route: (boxes) => new Promise((resolve) => gates.push({ boxes, resolve })),
        onRoutes: (p) => drawn.push(p),
      });
    const opening = make();
    opening.update([box('a', 0)], []);
    opening.destroy();
    const arranging = make();
    arranging.update([box('a', 50)], []);
    gates[1]?.resolve(NO_ROUTES);
    await Promise.resolve();
    await Promise.resolve();
    gates[0]?.resolve(NO_ROUTES);
    await Promise.resolve();
    await Promise.resolve();
    expect(drawn.map((p) => p.boxes.get('a')?.x)).toEqual([50]);
    arranging.destroy();
  });

  it('routes one picture at a time and draws only the latest', async () => {
    const gates: { boxes: StepBox[]; resolve: (r: FlowRoutes) => void }[] = [];
    const drawn: RoutedPicture[] = [];
    const router = createFlowRouter({
      route: (boxes) => new Promise((resolve) => gates.push({ boxes, resolve })),
      onRoutes: (p) => drawn.push(p),
    });
    router.update([box('a', 0)], []);
    router.update([box('a', 10)], []);
    router.update([box('a', 20)], []);
    expect(gates).toHaveLength(1);
    gates[0]?.resolve(NO_ROUTES);
    await Promise.resolve();
    await Promise.resolve();
    // the first answer is for a picture already replaced: not drawn; the latest is asked next
    expect(drawn).toHaveLength(0);
    expect(gates).toHaveLength(2);
    expect(gates[1]?.boxes[0]?.x).toBe(20);
    gates[1]?.resolve(NO_ROUTES);
    await Promise.resolve();
    await Promise.resolve();
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.boxes.get('a')?.x).toBe(20);
    router.destroy();
  });
});
