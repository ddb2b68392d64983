/**
 * The auto-layout keeps every step inside its lane's band, bands stack in lane order without
 * overlap and fit their content, steps of one lane never overlap, and flows mostly go left to
 * right. Property-tested over generated workflows; the samples are checked too, and a laid-out
 * workflow exports to BPMN with exactly these bands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Flow, type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { diagramLayout } from '../bpmn/diagram.ts';
import { LANE_PADDING, STEP_BOX } from '../bpmn/geometry.ts';
import { layoutWorkflow, type WorkflowLayout } from './layout.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');

/** Asserts the lane constraint and the packing of `layout` for `workflow`. */
function expectInLanes(workflow: Workflow, layout: WorkflowLayout): void {
  let top = 0;
  for (const lane of workflow.lanes) {
    const band = layout.lanes[lane.id];
    if (!band) throw new Error(`no band for lane ${lane.id}`);
    expect(band.y, `lane ${lane.id} starts where the one above ends`).toBe(top);
    expect(band.height).toBeGreaterThan(0);
    top += band.height;
  }
  for (const step of workflow.steps) {
    const position = layout.positions[step.id];
    const band = layout.lanes[step.lane];
    if (!position || !band) throw new Error(`step ${step.id} not placed`);
    expect(position.y, `step ${step.id} below its lane's top`).toBeGreaterThanOrEqual(band.y + LANE_PADDING);
    expect(position.y + STEP_BOX.height, `step ${step.id} above its lane's bottom`).toBeLessThanOrEqual(
      band.y + band.height - LANE_PADDING,
    );
    expect(position.x).toBeGreaterThanOrEqual(LANE_PADDING);
  }
  // no two boxes of a lane overlap, and each lane's band is no taller than its rows need
  for (const lane of workflow.lanes) {
    const boxes = workflow.steps.filter((s) => s.lane === lane.id).map((s) => layout.positions[s.id]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (!a || !b) continue;
        const apart =
          a.x + STEP_BOX.width <= b.x ||
          b.x + STEP_BOX.width <= a.x ||
          a.y + STEP_BOX.height <= b.y ||
          b.y + STEP_BOX.height <= a.y;
        expect(apart, `steps of lane ${lane.id} overlap`).toBe(true);
      }
    }
    const band = layout.lanes[lane.id];
    if (boxes.length > 0 && band) {
      const lowest = Math.max(...boxes.map((b) => (b?.y ?? 0) + STEP_BOX.height));
      expect(band.y + band.height).toBe(lowest + LANE_PADDING);
    }
  }
}

const workflowArbitrary = fc
  .record({
    laneCount: fc.integer({ min: 1, max: 5 }),
    lanesOfSteps: fc.array(fc.nat(), { minLength: 0, maxLength: 25 }),
    flows: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
  })
  .map(({ laneCount, lanesOfSteps, flows }): Workflow => {
    const lanes = Array.from({ length: laneCount }, (_, i) => ({
      id: `lane-${i}`,
      name: `Lane ${i}`,
      staff: 1,
    }));
    const steps: Step[] = lanesOfSteps.map((lane, i) => ({
      id: `s${i}`,
      label: `Step ${i}`,
      lane: `lane-${lane % laneCount}`,
      kind: 'task',
      medium: 'digital',
      system: '',
      touchMin: 1,
      waitMin: 0,
      clicks: 0,
      enters: [],
    }));
    const seen = new Set<string>();
    const flowList: Flow[] = [];
    for (const [from, to] of flows) {
      if (steps.length === 0) break;
      const key = `${from % steps.length}-${to % steps.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      flowList.push({ from: `s${from % steps.length}`, to: `s${to % steps.length}`, transfer: 'none' });
    }
    return {
      format: WORKFLOW_FORMAT,
      id: 'w',
      name: 'W',
      state: 'current',
      arrivalsPerHour: 1,
      lanes,
      steps,
      flows: flowList,
    };
  });

describe('layoutWorkflow', () => {
  it('keeps every step in its lane band; bands stack in order and fit their content (property)', async () => {
    await fc.assert(
      fc.asyncProperty(workflowArbitrary, async (workflow) => {
        expectInLanes(workflow, await layoutWorkflow(workflow));
      }),
      { numRuns: 40 },
    );
  });

  it.each(readdirSync(SAMPLES).filter((name) => name.endsWith('.json')))(
    'lays out the sample %s',
    async (name) => {
      const workflow = JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as Workflow;
      const layout = await layoutWorkflow(workflow);
      expectInLanes(workflow, layout);
      // left to right: most flows go to a step further right (loops back are the exception)
      const forward = workflow.flows.filter(
        (f) => (layout.positions[f.to]?.x ?? 0) > (layout.positions[f.from]?.x ?? 0),
      ).length;
      expect(forward / workflow.flows.length).toBeGreaterThan(0.8);
      // the first column starts at the lane padding
      expect(Math.min(...Object.values(layout.positions).map((p) => p.x))).toBe(LANE_PADDING);
      // the BPMN export draws exactly these bands around exactly these positions
      const placed = {
        ...workflow,
        steps: workflow.steps.map((step) => ({ ...step, position: layout.positions[step.id] })),
      };
      const diagram = diagramLayout(placed);
      for (const step of placed.steps) expect(diagram.positions.get(step.id)).toEqual(step.position);
      for (const lane of workflow.lanes) {
        expect(diagram.lanes.get(lane.id)).toMatchObject(layout.lanes[lane.id] ?? {});
      }
    },
  );

  it('gives empty lanes a band and places steps of an unknown lane below the lanes', async () => {
    const workflow: Workflow = {
      format: WORKFLOW_FORMAT,
      id: 'w',
      name: 'W',
      state: 'current',
      arrivalsPerHour: 1,
      lanes: [
        { id: 'a', name: 'A', staff: 1 },
        { id: 'empty', name: 'E', staff: 1 },
      ],
      steps: [
        {
          id: 'x',
          label: 'X',
          lane: 'a',
          kind: 'start',
          medium: 'digital',
          system: '',
          touchMin: 0,
          waitMin: 0,
          clicks: 0,
          enters: [],
        },
        {
          id: 'y',
          label: 'Y',
          lane: 'gone',
          kind: 'end',
          medium: 'digital',
          system: '',
          touchMin: 0,
          waitMin: 0,
          clicks: 0,
          enters: [],
        },
      ],
      flows: [{ from: 'x', to: 'y', transfer: 'none' }],
    };
    const layout = await layoutWorkflow(workflow);
    expect(layout.lanes.empty).toEqual({ y: 160, height: 120 });
    expect(layout.positions.y?.y).toBe(280 + LANE_PADDING);
    expect(layout.positions.y?.x).toBeGreaterThan(layout.positions.x?.x ?? 0);
  });
});
