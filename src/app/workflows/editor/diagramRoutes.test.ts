/**
 * The diagram's pictures draw the canvas's routes: for every demo workflow, arranged as "Arrange
 * automatically" arranges it, the SVG (read back as geometry by tests/fixtures/diagramSvgGeometry.ts,
 * not from the routes given) draws each routed flow as an orthogonal polyline from one step's right
 * side to another's left side through no step's box, exactly the routes routeFlows makes for the
 * canvas's boxes, and says in its description how many flows are drawn plainly. Then the rule for a
 * picture without routes, and finding marks halfway along a route.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  drawnFlows,
  routedFlowProblem,
  stepShapes,
  svgDescription,
} from '../../../../tests/fixtures/diagramSvgGeometry.ts';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes, importBpmn } from '../../../core/workflow/bpmn/index.ts';
import {
  analyzeWorkflow,
  flowEndsOf,
  routeCrossesBoxes,
  routeKey,
  routeMidpoint,
} from '../../../core/workflow/index.ts';
import { layoutWorkflow, routeFlows } from '../../../core/workflow/layout/index.ts';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { ARRANGE_OPTIONS, layoutCanvas, stepBoxes } from './canvasModel.ts';
import { diagramRoutes } from './diagramRoutes.ts';
import { diagramSvg, flowsDescription, plainFlows } from './exportDiagram.ts';
import { findingMarks } from './findingMarks.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');

async function arranged(workflow: Workflow): Promise<Workflow> {
  const layout = await layoutWorkflow(workflow, ARRANGE_OPTIONS);
  return {
    ...workflow,
    steps: workflow.steps.map((step) => {
      const p = layout.positions[step.id];
      return p ? { ...step, position: { x: Math.round(p.x), y: Math.round(p.y) } } : step;
    }),
  };
}

function demo(name: string): Workflow {
  const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')));
  if (!loaded.ok) throw new Error(`${name} does not load`);
  return loaded.value;
}

/**
 * Flows each arranged demo draws plainly (0 unless listed): none, since a flow whose ELK route is
 * dropped (on the planned refill, wide task shapes reach into the space ELK routes in) goes around
 * the steps on a route of its own (routeAround; docs/decisions/0084-flows-routed-around-steps.md).
 */
const PLAIN: Record<string, number> = {};

const demos = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('a boundary timer’s exception path on the canvas (Camunda 8, MIWG C.9.1)', () => {
  it('leaves the timer downward, away from its task, and crosses no other step', async () => {
    const decoded = decodeXmlBytes(bpmnModelBytes('C.9.1.bpmn'));
    if (!decoded.ok) throw new Error(decoded.message);
    const { workflow } = await importBpmn(decoded.text);
    if (!workflow) throw new Error('no workflow');
    const layout = layoutCanvas(workflow);
    const boxes = stepBoxes(layout);
    const { routes } = await routeFlows(boxes, flowEndsOf(workflow));
    const exceptionPaths = workflow.flows.filter((flow) =>
      workflow.steps.some((step) => step.id === flow.from && step.boundary?.attachedTo !== undefined),
    );
    expect(exceptionPaths).toHaveLength(2);
    for (const flow of exceptionPaths) {
      const route = routes[routeKey(flow.from, flow.to)];
      const event = boxes.find((box) => box.id === flow.from);
      if (!route || !event) throw new Error(`${flow.from} → ${flow.to} has no route`);
      const [a, b] = route;
      expect(a, `${flow.from} leaves from its bottom`).toEqual({
        x: event.x + event.width / 2,
        y: event.y + event.height,
      });
      expect(b?.x === a?.x && (b?.y ?? 0) > (a?.y ?? 0), `${flow.from} leaves downward`).toBe(true);
      const others = boxes.filter((box) => box.id !== flow.from && box.id !== flow.to);
      expect(routeCrossesBoxes(route, others), `${flow.from} → ${flow.to} crosses a step`).toBe(false);
    }
  });
});

describe('the exported diagram draws the canvas routes', () => {
  it.each(demos)(
    'demo %s, arranged: routed flows go around the steps, plain ones are counted',
    async (name) => {
      const workflow = await arranged(demo(name));
      const layout = layoutCanvas(workflow);
      const routes = await diagramRoutes(workflow, layout, routeFlows);
      const svg = diagramSvg(workflow, layout, 'off', undefined, routes);

      const shapes = stepShapes(svg);
      expect(shapes).toHaveLength(workflow.steps.length);
      const flows = drawnFlows(svg);
      expect(flows).toHaveLength(workflow.flows.length);
      for (const flow of flows.filter((f) => f.kind === 'routed'))
        expect(routedFlowProblem(flow, shapes)).toBeNull();
      const plain = flows.filter((f) => f.kind === 'plain').length;
      expect(plain, 'flows drawn plainly').toBe(PLAIN[name] ?? 0);
      expect(svgDescription(svg)).toBe(flowsDescription(workflow.flows.length, plain, true));
      if (plain > 0) expect(svgDescription(svg)).toContain(`${plain} of ${workflow.flows.length} flows`);

      // the very routes the canvas gets for its boxes, in the flows' order
      const canvas = await routeFlows(stepBoxes(layout), flowEndsOf(workflow));
      const expected = workflow.flows
        .map((f) => canvas.routes[routeKey(f.from, f.to)])
        .filter((points) => points !== undefined)
        .map((points) => points.map((p) => `${p.x},${p.y}`).join(' '));
      expect(
        flows.filter((f) => f.kind === 'routed').map((f) => f.points.map((p) => `${p.x},${p.y}`).join(' ')),
      ).toEqual(expected);
      expect(canvas.unrouted).toBe(plain);
    },
  );

  it('says every flow is drawn straight when the picture was not routed', () => {
    const workflow = demo('patient-intake.current.json');
    const layout = layoutCanvas(workflow);
    const svg = diagramSvg(workflow, layout);
    expect(drawnFlows(svg).every((f) => f.kind === 'plain')).toBe(true);
    expect(svgDescription(svg)).toBe(
      `The ${workflow.flows.length} flows are drawn straight from step to step and may cross other steps.`,
    );
    expect(plainFlows(workflow, layout, undefined)).toEqual({
      drawn: workflow.flows.length,
      plain: workflow.flows.length,
    });
  });

  it.each([
    { drawn: 0, plain: 0, routed: true, says: 'The diagram has no flows between steps.' },
    { drawn: 5, plain: 0, routed: true, says: 'Every flow (5) is drawn around the steps.' },
    { drawn: 5, plain: 1, routed: true, says: '1 of 5 flows is drawn straight from step to step' },
    { drawn: 1, plain: 1, routed: false, says: 'The 1 flow are' },
  ])('flowsDescription($drawn, $plain, $routed)', ({ drawn, plain, routed, says }) => {
    expect(flowsDescription(drawn, plain, routed)).toContain(says);
  });

  // the demos whose findings mark a flow: today's lab results, the planned referrals
  it.each([
    { process: 'lab-results', state: 'current' },
    { process: 'referral-processing', state: 'future' },
  ])(
    "$process $state: a routed flow's finding mark sits halfway along its route",
    async ({ process, state }) => {
      const current = await arranged(demo(`${process}.current.json`));
      const future = state === 'current' ? current : await arranged(demo(`${process}.${state}.json`));
      const analysis =
        state === 'current' ? analyzeWorkflow(current) : analyzeWorkflow(future, { baseline: current });
      const marks = findingMarks(analysis.findings, future);
      const layout = layoutCanvas(future);
      const routes = await diagramRoutes(future, layout, routeFlows);
      const svg = diagramSvg(future, layout, 'off', marks, routes);
      const label = new Map(future.steps.map((s) => [s.id, s.label]));
      const routedMarks = marks.flows.filter((f) => routes[routeKey(f.from, f.to)]);
      expect(routedMarks.length, 'marked flows with a route').toBeGreaterThan(0);
      for (const { from, to } of routedMarks) {
        const middle = routeMidpoint(routes[routeKey(from, to)] ?? []);
        const where = `on the flow from ${label.get(from)} to ${label.get(to)}`;
        const drawn = [
          ...svg.matchAll(/<g class="finding-mark[^"]*"><title>([^<]*)<\/title><rect ([^>]*)>/g),
        ].find((m) => (m[1] ?? '').includes(where));
        if (!drawn) throw new Error(`no mark ${where}`);
        const rect = drawn[2] ?? '';
        const n = (a: string) => Number(new RegExp(`${a}="([^"]*)"`).exec(rect)?.[1]);
        expect(n('x') + n('width') / 2).toBeCloseTo(middle.x, 6);
        expect(n('y') + n('height') / 2).toBeCloseTo(middle.y, 6);
      }
    },
  );

  // the checker itself: it finds each way a path can be wrong
  const shapes = [
    { left: 0, top: 0, right: 100, bottom: 60 },
    { left: 200, top: 0, right: 300, bottom: 60 },
    { left: 400, top: 0, right: 500, bottom: 60 },
  ];
  it.each([
    { d: 'M100 30L150 30L150 80L350 80L350 30L400 30', problem: null },
    { d: 'M50 60L50 100L400 100L400 30', problem: null },
    { d: 'M100 30L400 30', problem: 'passes through the step at 200,0' },
    { d: 'M100 30L150 80L400 30', problem: 'not orthogonal' },
    { d: 'M100 30C250 30 250 30 400 30', problem: 'not a polyline' },
    { d: 'M90 30L150 30L150 80L400 80L400 30', problem: "does not start on a step's right side" },
    { d: 'M100 30L150 30L150 80L380 80', problem: "does not end on a step's left side" },
  ])('routedFlowProblem($d)', ({ d, problem }) => {
    const [flow] = drawnFlows(`<path d="${d}" fill="none" data-flow="routed"/>`);
    if (!flow) throw new Error('not read');
    const found = routedFlowProblem(flow, shapes);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
