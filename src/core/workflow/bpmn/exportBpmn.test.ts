/**
 * BPMN export: element types by kind and medium, DI that other tools open laid out (a shape for
 * the pool, each lane and step, inside its lane; an edge per flow), and ids that are XML names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { diagramLayout, stepRanks } from './diagram.ts';
import { bpmnTypeOf, edgeWaypoints, exportBpmn } from './exportBpmn.ts';
import { shapeBounds } from './geometry.ts';
import { bpmnModdle, type El } from './model.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../../samples/workflows/patient-intake.future.json');

function stepOf(partial: Partial<Step>): Step {
  return {
    id: 's',
    label: 'S',
    lane: 'l',
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 1,
    enters: [],
    ...partial,
  };
}

function workflowOf(steps: Step[], flows: Workflow['flows'] = [], lanes = ['l']): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id: 'w',
    name: 'W',
    state: 'current',
    arrivalsPerHour: 1,
    lanes: lanes.map((id) => ({ id, name: id, staff: 1 })),
    steps,
    flows,
  };
}

describe('bpmnTypeOf', () => {
  it.each([
    [{ kind: 'start' }, 'bpmn:StartEvent'],
    [{ kind: 'end' }, 'bpmn:EndEvent'],
    [{ kind: 'decision' }, 'bpmn:ExclusiveGateway'],
    [{ kind: 'wait' }, 'bpmn:IntermediateCatchEvent'],
    [{ kind: 'approval', medium: 'paper' }, 'bpmn:UserTask'],
    [{ kind: 'task', medium: 'digital' }, 'bpmn:UserTask'],
    [{ kind: 'task', medium: 'digital', touchMin: 0, clicks: 0 }, 'bpmn:ServiceTask'],
    [{ kind: 'task', medium: 'digital', touchMin: 0, clicks: 0, system: '' }, 'bpmn:UserTask'],
    [{ kind: 'task', medium: 'paper' }, 'bpmn:ManualTask'],
    [{ kind: 'task', medium: 'phone' }, 'bpmn:ManualTask'],
    [{ kind: 'task', medium: 'verbal' }, 'bpmn:ManualTask'],
    [{ kind: 'task', medium: 'fax' }, 'bpmn:SendTask'],
  ] as [Partial<Step>, string][])('%j → %s', (partial, type) => {
    expect(bpmnTypeOf(stepOf(partial))).toBe(type);
  });
});

async function reread(xml: string) {
  const parsed = await bpmnModdle().fromXML(xml);
  return { ...parsed, definitions: parsed.rootElement as El };
}

describe('exportBpmn', () => {
  it('writes BPMN that reads back without a warning, with DI for every lane, step and flow', async () => {
    const workflow = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Workflow;
    const { warnings, definitions } = await reread(await exportBpmn(workflow));
    expect(warnings).toEqual([]);
    const plane = definitions.diagrams?.[0]?.plane?.planeElement ?? [];
    const drawn = new Set(plane.map((shape) => shape.bpmnElement?.id));
    for (const lane of workflow.lanes) expect(drawn).toContain(lane.id);
    for (const step of workflow.steps) expect(drawn).toContain(step.id);
    expect(plane.filter((e) => e.$type === 'bpmndi:BPMNEdge')).toHaveLength(workflow.flows.length);
    expect(plane.filter((e) => e.$type === 'bpmndi:BPMNShape')).toHaveLength(
      1 + workflow.lanes.length + workflow.steps.length,
    );
  });

  it('declares the preflight namespace and puts attributes in extension elements', async () => {
    const xml = await exportBpmn(workflowOf([stepOf({ kind: 'approval', enters: ['dose'] })]));
    expect(xml).toContain('xmlns:preflight="urn:preflight:bpmn:1"');
    expect(xml).toMatch(
      /<bpmn:userTask id="s" name="S">\s*<bpmn:extensionElements>\s*<preflight:step kind="approval"/,
    );
    expect(xml).toContain('<preflight:enters>dose</preflight:enters>');
  });

  it('names a flow with its probability, so other tools show it', async () => {
    const workflow = workflowOf(
      [stepOf({ id: 'g', kind: 'decision' }), stepOf({ id: 'a' }), stepOf({ id: 'b' })],
      [
        { from: 'g', to: 'a', probability: 0.3, transfer: 'none' },
        { from: 'g', to: 'b', probability: 2 / 3, transfer: 'none' },
      ],
    );
    const xml = await exportBpmn(workflow);
    expect(xml).toContain('name="30 %"');
    expect(xml).toContain('name="66.7 %"');
  });

  it('turns ids into unique XML names, keeping the original in the extension', async () => {
    const workflow = workflowOf([stepOf({ id: 'nurse' }), stepOf({ id: '1st step' })], [], ['nurse']);
    for (const step of workflow.steps) step.lane = 'nurse';
    const { definitions } = await reread(await exportBpmn(workflow));
    const process = definitions.rootElements?.find((e) => e.$type === 'bpmn:Process');
    expect(process?.flowElements?.map((e) => e.id)).toEqual(['nurse', '_1st_step']);
    const lane = process?.laneSets?.[0]?.lanes?.[0];
    expect(lane?.id).toBe('nurse_2');
    expect((lane?.extensionElements?.values?.[0] as { id?: string } | undefined)?.id).toBe('nurse');
  });
});

describe('diagramLayout', () => {
  it('keeps positions that are already in lane bands', () => {
    const workflow = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Workflow;
    const layout = diagramLayout(workflow);
    for (const step of workflow.steps) expect(layout.positions.get(step.id)).toEqual(step.position);
  });

  it('places every step inside its lane; lanes stack in order without overlap', () => {
    // positions that ignore the lanes (all on one row), and steps without a position
    const steps = [
      stepOf({ id: 'a', lane: 'x', position: { x: 0, y: 0 } }),
      stepOf({ id: 'b', lane: 'y', position: { x: 200, y: 0 } }),
      stepOf({ id: 'c', lane: 'x', kind: 'decision' }),
      stepOf({ id: 'd', lane: 'z' }),
      stepOf({ id: 'e', lane: 'z' }),
    ];
    const workflow = workflowOf(steps, [{ from: 'a', to: 'b', transfer: 'none' }], ['x', 'empty', 'y', 'z']);
    const layout = diagramLayout(workflow);
    const bands = workflow.lanes.map((lane) => layout.lanes.get(lane.id));
    for (let i = 1; i < bands.length; i++) {
      expect(bands[i]?.y).toBe((bands[i - 1]?.y ?? 0) + (bands[i - 1]?.height ?? 0));
    }
    for (const step of steps) {
      const band = layout.lanes.get(step.lane);
      const position = layout.positions.get(step.id);
      if (!band || !position) throw new Error('missing');
      const shape = shapeBounds(step.kind, position);
      expect(shape.y).toBeGreaterThanOrEqual(band.y);
      expect(shape.y + shape.height).toBeLessThanOrEqual(band.y + band.height);
      expect(shape.x).toBeGreaterThanOrEqual(band.x);
      expect(shape.x + shape.width).toBeLessThanOrEqual(band.x + band.width);
    }
    // two steps placed in one lane and rank do not overlap
    const d = layout.positions.get('d');
    const e = layout.positions.get('e');
    expect(d && e && Math.abs(d.y - e.y)).toBeGreaterThanOrEqual(80);
  });
});

describe('stepRanks', () => {
  it('ranks by the longest path from a start, ignoring loops back', () => {
    const workflow = workflowOf(
      ['s', 'a', 'b', 'c'].map((id) => stepOf({ id })),
      [
        { from: 's', to: 'a', transfer: 'none' },
        { from: 'a', to: 'b', transfer: 'none' },
        { from: 'b', to: 'a', transfer: 'none' },
        { from: 's', to: 'c', transfer: 'none' },
        { from: 'b', to: 'c', transfer: 'none' },
      ],
    );
    expect(Object.fromEntries(stepRanks(workflow))).toEqual({ s: 0, a: 1, b: 2, c: 3 });
  });
});

describe('edgeWaypoints', () => {
  it('goes right to left through the middle column, or under both shapes for a loop back', () => {
    const a = { x: 0, y: 0, width: 100, height: 80 };
    const b = { x: 200, y: 100, width: 100, height: 80 };
    expect(edgeWaypoints(a, b)).toEqual([
      { x: 100, y: 40 },
      { x: 150, y: 40 },
      { x: 150, y: 140 },
      { x: 200, y: 140 },
    ]);
    expect(edgeWaypoints(b, a)).toEqual([
      { x: 250, y: 180 },
      { x: 250, y: 200 },
      { x: 50, y: 200 },
      { x: 50, y: 80 },
    ]);
  });
});
