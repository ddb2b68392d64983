/**
 * Where the flows' words go (flowLabels.ts), the one rule of the canvas and the pictures: on every
 * demo workflow, routed as the canvas routes it and drawn plainly, with its finding marks and
 * without, and with words of any length on any of its flows, no flow's words lie on a step's
 * shape, a name drawn under a shape, a finding mark or another flow's words. The boxes are
 * re-derived here from what is drawn (7 px per character of 11 px text, 14 px tall), not taken
 * from the rule.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeWorkflow, type RoutePoint, routeKey } from '../../../core/workflow/index.ts';
import { routeFlows } from '../../../core/workflow/layout/index.ts';
import type { Flow, FlowTransfer, Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow, sampleWorkflows } from '../testSamples.ts';
import { type CanvasLayout, layoutCanvas, stepBoxes } from './canvasModel.ts';
import { type FindingMarks, findingMarks } from './findingMarks.ts';
import { flowMarkBox, laneMarkBox, stepMarkBox } from './findingMarksSvg.ts';
import { flowMiddle, flowWords, placeFlowLabels, printedNameBox, type RouteOf } from './flowLabels.ts';

interface Rect {
  what: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const meet = (a: Rect, b: Rect) =>
  a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;

/** What a flow's words must not lie on: the steps' shapes, the names under shapes, the marks. */
function drawnRects(layout: CanvasLayout, routeOf: RouteOf, marks: FindingMarks | undefined): Rect[] {
  const rects: Rect[] = [];
  const byId = new Map(layout.steps.map((p) => [p.step.id, p]));
  for (const p of layout.steps) {
    rects.push({
      what: `step ${p.step.id}`,
      left: p.x,
      right: p.x + p.width,
      top: p.y,
      bottom: p.y + p.height,
    });
    const name = printedNameBox(p);
    if (name) rects.push({ what: `name of ${p.step.id}`, ...name });
    const mark = marks?.steps.get(p.step.id);
    if (mark) rects.push(markRect(`mark on ${p.step.id}`, stepMarkBox(p, mark)));
  }
  for (const lane of layout.lanes) {
    const mark = marks?.lanes.get(lane.id);
    if (mark) rects.push(markRect(`mark on ${lane.id}`, laneMarkBox(layout, lane, mark)));
  }
  for (const { from, to, mark } of marks?.flows ?? []) {
    const a = byId.get(from);
    const b = byId.get(to);
    if (a && b)
      rects.push(markRect(`mark on ${from}>${to}`, flowMarkBox(flowMiddle(a, b, routeOf(from, to)), mark)));
  }
  return rects;
}

function markRect(what: string, box: { x: number; y: number; width: number; height: number }): Rect {
  // the canvas's mark is 24 px tall (the picture's 22 and its border)
  return { what, left: box.x, right: box.x + box.width, top: box.y - 1, bottom: box.y + box.height + 1 };
}

/** Every overlap of a flow's words with anything drawn or with another flow's words. */
function overlaps(
  workflow: Workflow,
  layout: CanvasLayout,
  routeOf: RouteOf,
  marks?: FindingMarks,
): string[] {
  const places = placeFlowLabels(workflow.flows, layout, routeOf, marks);
  const placedSteps = new Set(layout.steps.map((p) => p.step.id));
  const labels: Rect[] = [];
  for (const flow of workflow.flows) {
    const words = flowWords(flow);
    const at = places.get(routeKey(flow.from, flow.to));
    if (!words || !placedSteps.has(flow.from) || !placedSteps.has(flow.to)) continue;
    if (!at) return [`no place for ${flow.from}>${flow.to}`];
    const half = (words.length * 7) / 2;
    labels.push({
      what: `"${words}" ${flow.from}>${flow.to}`,
      left: at.x - half,
      right: at.x + half,
      top: at.y - 7,
      bottom: at.y + 7,
    });
  }
  const problems: string[] = [];
  const drawn = drawnRects(layout, routeOf, marks);
  labels.forEach((label, i) => {
    for (const rect of [...drawn, ...labels.slice(i + 1)])
      if (meet(label, rect)) problems.push(`${label.what} on ${rect.what}`);
  });
  return problems;
}

const DEMOS = sampleWorkflows().map((workflow) => ({
  name: workflow.id,
  workflow,
  layout: layoutCanvas(workflow),
}));
/** The demo workflows' routes, as the canvas's layout worker makes them. */
const routed = new Map<string, ReadonlyMap<string, RoutePoint[]>>();

beforeAll(async () => {
  for (const { name, workflow, layout } of DEMOS) {
    const { routes } = await routeFlows(
      stepBoxes(layout),
      workflow.flows.map((f) => ({ from: f.from, to: f.to })),
    );
    routed.set(name, new Map(Object.entries(routes)));
  }
});

const routesOf =
  (name: string, plain: boolean): RouteOf =>
  (from, to) =>
    plain ? undefined : routed.get(name)?.get(routeKey(from, to));

describe("a flow's words on the demo workflows lie on nothing else", () => {
  it('are the eight demo workflows', () => {
    expect(DEMOS).toHaveLength(8);
  });

  it.each(
    DEMOS.flatMap((demo) =>
      [false, true].map((plain) => ({ ...demo, plain, drawn: plain ? 'drawn plainly' : 'routed' })),
    ),
  )('$name, its flows $drawn, with and without its finding marks', ({ name, workflow, layout, plain }) => {
    const marks = findingMarks(analyzeWorkflow(workflow).findings, workflow);
    expect(overlaps(workflow, layout, routesOf(name, plain))).toEqual([]);
    expect(overlaps(workflow, layout, routesOf(name, plain), marks)).toEqual([]);
  });

  it('whatever words any of their flows carry', () => {
    const transfer = fc.constantFrom<FlowTransfer>('none', 'electronic', 'manual', 'paper');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: DEMOS.length - 1 }),
        fc.boolean(),
        fc.array(
          fc.record({
            transfer,
            probability: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (index, plain, words) => {
          const { name, workflow, layout } = DEMOS[index] as (typeof DEMOS)[number];
          const flows = workflow.flows.map((flow, i): Flow => {
            const chosen = words[i % words.length] as (typeof words)[number];
            const { probability: _, ...rest } = flow;
            return {
              ...rest,
              transfer: chosen.transfer,
              ...(chosen.probability === undefined ? {} : { probability: chosen.probability / 1000 }),
            };
          });
          const changed = { ...workflow, flows };
          const marks = findingMarks(analyzeWorkflow(workflow).findings, workflow);
          expect(overlaps(changed, layout, routesOf(name, plain), marks)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("a flow's words stay by their flow", () => {
  it('puts "re-keyed" of today\'s intake beside the flow into "Re-key paper intake form", clear of its mark', async () => {
    const workflow = sampleWorkflow('patient-intake.current');
    const layout = layoutCanvas(workflow);
    const marks = findingMarks(analyzeWorkflow(workflow).findings, workflow);
    const into = workflow.steps.find((s) => s.label.startsWith('Re-key paper intake form'));
    const flow = workflow.flows.find((f) => f.to === into?.id && f.transfer === 'manual');
    expect(flow).toBeDefined();
    if (!flow) return;
    const routes = routesOf('patient-intake-current', false);
    const at = placeFlowLabels(workflow.flows, layout, routes, marks).get(routeKey(flow.from, flow.to));
    const byId = new Map(layout.steps.map((p) => [p.step.id, p]));
    const [from, to] = [byId.get(flow.from), byId.get(flow.to)];
    if (!at || !from || !to) throw new Error('the flow is not drawn');
    // within a step's height of the flow's middle, not moved to another part of the diagram
    const middle = flowMiddle(from, to, routes(flow.from, flow.to));
    expect(Math.hypot(at.x - middle.x, at.y - middle.y)).toBeLessThan(120);
  });

  it.each([
    { description: 'just over the middle of a long straight flow', gap: 400, expected: { dx: 0, dy: -8 } },
    {
      description: 'under the lower step when the two steps leave no room between them',
      gap: 20,
      expected: null,
    },
  ])('$description', ({ gap, expected }) => {
    const step = (id: string, x: number) => ({
      step: { id, kind: 'task' as const, label: id, lane: 'desk', medium: 'digital' as const },
      x,
      y: 40,
      width: 160,
      height: 72,
      stored: true,
    });
    const a = step('a', 0);
    const b = step('b', 160 + gap);
    const layout = {
      lanes: [{ id: 'desk', name: 'Desk', staff: 1, index: 0, top: 0, height: 200, shift: 0 }],
      steps: [a, b],
      left: -176,
      right: 2000,
      bottom: 200,
    } as unknown as CanvasLayout;
    const flow = { from: 'a', to: 'b', transfer: 'manual' } as Flow;
    const at = placeFlowLabels([flow], layout, () => undefined).get(routeKey('a', 'b'));
    const middle = flowMiddle(a as never, b as never, undefined);
    if (expected) expect(at).toEqual({ x: middle.x + expected.dx, y: middle.y + expected.dy });
    // "re-keyed" is 56 px wide: it does not fit 20 px between the steps, so it goes under them
    else expect(at).toEqual({ x: middle.x, y: 40 + 72 + 4 + 7 });
  });
});
