/**
 * BPMN export: element types by kind and medium, DI that other tools open laid out (a shape for
 * the pool, each lane and step, inside its lane; an edge per flow), and ids that are XML names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { diagramLayout, stepRanks } from './diagram.ts';
import { bpmnTypeOf, edgeWaypoints, exportBpmn } from './exportBpmn.ts';
import { shapeBounds } from './geometry.ts';
import { importBpmn } from './importBpmn.ts';
import { bpmnModdle, type El } from './model.ts';
import {
  associationsCrossingShapes,
  flowsCrossingShapes,
  offDefaultSize,
  parse,
  undrawnConnections,
} from './testing/diagramChecks.ts';

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

describe('exportBpmn keeps what real models say', () => {
  const flow = (from: string, to: string, extra: Partial<Workflow['flows'][number]> = {}) => ({
    from,
    to,
    transfer: 'none' as const,
    ...extra,
  });

  it('writes a boundary event on its task’s border, with its trigger, interruption and chance', async () => {
    const workflow = workflowOf(
      [
        stepOf({ id: 'book', label: 'Book', position: { x: 100, y: 100 } }),
        stepOf({
          id: 'late',
          label: '2 days',
          kind: 'wait',
          boundary: { attachedTo: 'book', trigger: 'timer', interrupting: false },
        }),
        stepOf({
          id: 'failed',
          label: 'No slot',
          kind: 'wait',
          boundary: { attachedTo: 'book', trigger: 'error', interrupting: true },
        }),
        stepOf({ id: 'chase', label: 'Chase', position: { x: 300, y: 250 } }),
        stepOf({ id: 'done', label: 'Done', position: { x: 300, y: 100 } }),
      ],
      [
        flow('book', 'done'),
        flow('book', 'late', { probability: 0.2, transfer: 'electronic' }),
        flow('book', 'failed'),
        flow('late', 'chase'),
        flow('failed', 'chase'),
      ],
    );
    const xml = await exportBpmn(workflow);
    const { elementsById, definitions } = await reread(xml);
    const late = elementsById.late as El;
    const failed = elementsById.failed as El;
    expect(late.$type).toBe('bpmn:BoundaryEvent');
    expect(late.attachedToRef?.id).toBe('book');
    expect(late.cancelActivity).toBe(false);
    expect(late.eventDefinitions?.map((d) => d.$type)).toEqual(['bpmn:TimerEventDefinition']);
    expect(failed.cancelActivity).not.toBe(false);
    expect(failed.eventDefinitions?.map((d) => d.$type)).toEqual(['bpmn:ErrorEventDefinition']);
    // no sequence flow into a boundary event: BPMN's rule
    const flows = Object.values(elementsById as Record<string, El>).filter(
      (e) => e.$type === 'bpmn:SequenceFlow',
    );
    expect(flows.map((f) => `${f.sourceRef?.id}>${f.targetRef?.id}`).sort()).toEqual([
      'book>done',
      'failed>chase',
      'late>chase',
    ]);
    // centred on the task's bottom border, side by side
    const shapes = definitions.diagrams?.[0]?.plane?.planeElement ?? [];
    const bounds = (id: string) => shapes.find((s) => s.bpmnElement?.id === id)?.bounds;
    const task = bounds('book');
    for (const id of ['late', 'failed']) {
      const b = bounds(id);
      if (!task || !b) throw new Error(`no shape for ${id}`);
      expect(b.y + b.height / 2).toBe(task.y + task.height);
      expect(b.x + b.width / 2).toBeGreaterThan(task.x);
      expect(b.x + b.width / 2).toBeLessThan(task.x + task.width);
    }
    // and reads back as the same workflow, the exception path's chance and transfer included
    const again = (await importBpmn(xml)).workflow;
    expect(again?.flows).toContainEqual(flow('book', 'late', { probability: 0.2, transfer: 'electronic' }));
    expect(again?.steps.find((s) => s.id === 'late')?.boundary).toEqual({
      attachedTo: 'book',
      trigger: 'timer',
      interrupting: false,
    });
  });

  it('keeps task types and event triggers recorded on import', async () => {
    const workflow = workflowOf([
      stepOf({ id: 'lab', label: 'Order lab', bpmn: { type: 'serviceTask' } }),
      stepOf({ id: 'rules', label: 'Score risk', bpmn: { type: 'businessRuleTask' } }),
      stepOf({ id: 'call', label: 'Consult', bpmn: { type: 'callActivity' } }),
      stepOf({ id: 'notify', label: 'Notify', bpmn: { type: 'intermediateThrowEvent', trigger: 'message' } }),
      stepOf({
        id: 'reply',
        label: 'Reply',
        kind: 'wait',
        bpmn: { type: 'intermediateCatchEvent', trigger: 'message' },
      }),
      // a type that does not fit the step's kind is not written
      stepOf({ id: 'ask', label: 'Urgent?', kind: 'decision', bpmn: { type: 'serviceTask' } }),
    ]);
    const xml = await exportBpmn(workflow);
    const { elementsById } = await reread(xml);
    const type = (id: string) => (elementsById[id] as El).$type;
    expect(['lab', 'rules', 'call', 'notify', 'reply', 'ask'].map(type)).toEqual([
      'bpmn:ServiceTask',
      'bpmn:BusinessRuleTask',
      'bpmn:CallActivity',
      'bpmn:IntermediateThrowEvent',
      'bpmn:IntermediateCatchEvent',
      'bpmn:ExclusiveGateway',
    ]);
    expect((elementsById.reply as El).eventDefinitions?.map((d) => d.$type)).toEqual([
      'bpmn:MessageEventDefinition',
    ]);
    const again = (await importBpmn(xml)).workflow;
    expect(again?.steps.map((s) => s.bpmn)).toEqual(
      workflow.steps.map((s) => (s.id === 'ask' ? undefined : s.bpmn)),
    );
  });

  it('writes a sub-process collapsed, its inner steps on a page of its own, flows leaving from it', async () => {
    const workflow = workflowOf(
      [
        stepOf({ id: 'start', label: 'Start', kind: 'start', position: { x: 0, y: 100 } }),
        stepOf({ id: 'triage', label: 'Triage', bpmn: { type: 'subProcess' }, position: { x: 150, y: 100 } }),
        stepOf({
          id: 'in',
          label: 'Begin',
          within: 'triage',
          bpmn: { type: 'startEvent' },
          position: { x: 0, y: 0 },
        }),
        stepOf({ id: 'vitals', label: 'Vitals', lane: 'm', within: 'triage', position: { x: 150, y: 0 } }),
        stepOf({
          id: 'out',
          label: 'Finish',
          within: 'triage',
          bpmn: { type: 'endEvent' },
          position: { x: 300, y: 0 },
        }),
        stepOf({ id: 'end', label: 'End', kind: 'end', position: { x: 300, y: 100 } }),
      ],
      [
        flow('start', 'triage'),
        flow('triage', 'in'),
        flow('in', 'vitals'),
        flow('vitals', 'out'),
        flow('out', 'end'),
      ],
      ['l', 'm'],
    );
    const xml = await exportBpmn(workflow);
    const { elementsById, definitions } = await reread(xml);
    const triage = elementsById.triage as El;
    expect(triage.$type).toBe('bpmn:SubProcess');
    expect(triage.flowElements?.map((e) => e.id).sort()).toEqual(
      ['in', 'vitals', 'out', 'Flow_in_vitals', 'Flow_vitals_out'].sort(),
    );
    expect((elementsById.in as El).$type).toBe('bpmn:StartEvent');
    const top = Object.values(elementsById as Record<string, El>).filter(
      (e) => e.$type === 'bpmn:SequenceFlow' && e.$parent?.$type === 'bpmn:Process',
    );
    expect(top.map((f) => `${f.sourceRef?.id}>${f.targetRef?.id}`).sort()).toEqual([
      'start>triage',
      'triage>end',
    ]);
    // the main page draws it collapsed; its own page draws the inner steps
    const [main, page] = definitions.diagrams ?? [];
    const collapsed = main?.plane?.planeElement?.find((s) => s.bpmnElement?.id === 'triage') as
      | (El & { isExpanded?: boolean })
      | undefined;
    expect(collapsed?.isExpanded).toBe(false);
    expect(page?.plane?.bpmnElement?.id).toBe('triage');
    expect(page?.plane?.planeElement?.map((s) => s.bpmnElement?.id).sort()).toEqual(
      ['in', 'vitals', 'out', 'Flow_in_vitals', 'Flow_vitals_out'].sort(),
    );
    // Preflight's own pages give the inner steps back their positions: the round trip is exact
    // (inner flows are written inside the sub-process, so they come back first)
    const again = (await importBpmn(xml)).workflow;
    expect(again && { ...again, flows: [] }).toEqual({ ...workflow, flows: [] });
    expect(again?.flows).toHaveLength(workflow.flows.length);
    expect(again?.flows).toEqual(expect.arrayContaining(workflow.flows));
  });
});

describe('diagramLayout clears overlapping shapes', () => {
  it('moves a shape that overlaps one to its left below it, and leaves a clear drawing alone', () => {
    const clear = workflowOf([
      stepOf({ id: 'a', position: { x: 100, y: 100 } }),
      stepOf({ id: 'b', position: { x: 250, y: 100 } }),
    ]);
    expect([...diagramLayout(clear).positions.values()]).toEqual([
      { x: 100, y: 100 },
      { x: 250, y: 100 },
    ]);
    const stacked = workflowOf([
      stepOf({ id: 'a', position: { x: 100, y: 100 } }),
      stepOf({ id: 'b', position: { x: 150, y: 120 } }),
      stepOf({ id: 'c', kind: 'end', position: { x: 120, y: 110 } }),
    ]);
    const positions = diagramLayout(stacked).positions;
    const rects = stacked.steps.map((step) =>
      shapeBounds(step.kind, positions.get(step.id) ?? { x: 0, y: 0 }),
    );
    for (const [i, a] of rects.entries()) {
      for (const b of rects.slice(i + 1)) {
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, JSON.stringify([a, b])).toBe(true);
      }
    }
    expect(positions.get('a')).toEqual({ x: 100, y: 100 });
  });
});

describe('export draws shapes at the sizes bpmn-js gives them', () => {
  const samples = path.dirname(SAMPLE);
  it.each(readdirSync(samples).filter((file) => file.endsWith('.json')))(
    'every event, gateway and document of the demo workflow %s',
    async (file) => {
      const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(samples, file), 'utf8')));
      if (!loaded.ok) throw new Error(`${file} does not load`);
      const parsed = await parse(await exportBpmn(loaded.value));
      expect(offDefaultSize(parsed)).toEqual([]);
      // and no flow drawn through a shape
      expect(flowsCrossingShapes(parsed)).toEqual([]);
    },
  );

  it('a task recorded as a sub-process’s inner start and end event is drawn as an event', async () => {
    const workflow = workflowOf(
      [
        stepOf({ id: 'a', bpmn: { type: 'startEvent' } }),
        stepOf({ id: 'b', bpmn: { type: 'intermediateThrowEvent', trigger: 'signal' } }),
        stepOf({ id: 'c', bpmn: { type: 'endEvent' } }),
      ],
      [
        { from: 'a', to: 'b', transfer: 'none' },
        { from: 'b', to: 'c', transfer: 'none' },
      ],
    );
    expect(offDefaultSize(await parse(await exportBpmn(workflow)))).toEqual([]);
  });
});

describe('export routes flows around steps', () => {
  // a decision whose second exit (added in the editor) skips the task right after it: straight
  // across, its route would run through that task's middle
  const skip = workflowOf(
    [
      stepOf({ id: 's', kind: 'start', position: { x: 0, y: 100 } }),
      stepOf({ id: 'd', kind: 'decision', position: { x: 150, y: 100 } }),
      stepOf({ id: 'a', label: 'Check insurance', position: { x: 300, y: 100 } }),
      stepOf({ id: 'b', label: 'Book visit', position: { x: 450, y: 100 } }),
      stepOf({ id: 'e', kind: 'end', position: { x: 600, y: 100 } }),
    ],
    [
      { from: 's', to: 'd', transfer: 'none' },
      { from: 'd', to: 'a', transfer: 'none', probability: 0.6 },
      { from: 'd', to: 'b', transfer: 'none', probability: 0.4 },
      { from: 'a', to: 'b', transfer: 'none' },
      { from: 'b', to: 'e', transfer: 'none' },
    ],
  );

  it("a decision's exit past the next task goes around it, orthogonally, ending on its target", async () => {
    const parsed = await parse(await exportBpmn(skip));
    expect(flowsCrossingShapes(parsed)).toEqual([]);
    const shapes = new Map(parsed.pages[0]?.shapes.map((s) => [s.element.id, s.bounds]));
    const route = [...(parsed.pages[0]?.routes.entries() ?? [])].find(([id]) => /d.*b/.test(id))?.[1];
    expect(route?.length).toBeGreaterThan(2);
    const points = route ?? [];
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1], points[i]];
      expect(p?.x === q?.x || p?.y === q?.y, JSON.stringify(points)).toBe(true);
    }
    const target = shapes.get('b');
    const last = points[points.length - 1];
    expect(target && last && last.x === target.x && last.y === target.y + target.height / 2).toBe(true);
  });

  it('a loop back runs under the steps it passes', async () => {
    const back = {
      ...skip,
      flows: [...skip.flows, { from: 'b', to: 'd', transfer: 'none' as const, probability: 0.1 }],
    };
    back.flows = back.flows.map((f) => (f.from === 'b' && f.to === 'e' ? { ...f, probability: 0.9 } : f));
    expect(flowsCrossingShapes(await parse(await exportBpmn(back)))).toEqual([]);
  });
});

describe('export routes each association around the shapes in its way', () => {
  const samples = path.dirname(SAMPLE);
  // a document written by the demo's first task and read by its last one, a store read by its
  // first task: drawn under the first task, so the straight line to the last runs along the row
  it.each(readdirSync(samples).filter((file) => file.endsWith('.json')))(
    'the demo workflow %s with a document passed from its first task to its last',
    async (file) => {
      const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(samples, file), 'utf8')));
      if (!loaded.ok) throw new Error(`${file} does not load`);
      const tasks = loaded.value.steps.filter((step) => step.kind === 'task' || step.kind === 'approval');
      const first = tasks[0];
      const last = tasks.at(-1);
      if (!first || !last || first === last) throw new Error(`${file} has fewer than two tasks`);
      const workflow: Workflow = {
        ...loaded.value,
        dataObjects: [
          {
            id: 'handover',
            label: 'Hand-over sheet',
            kind: 'object',
            writtenBy: [first.id],
            readBy: [last.id],
          },
          { id: 'record', label: 'Patient record', kind: 'store', readBy: [first.id, last.id] },
        ],
      };
      const parsed = await parse(await exportBpmn(workflow));
      expect(undrawnConnections(parsed)).toEqual([]);
      expect(associationsCrossingShapes(parsed)).toEqual([]);
    },
  );
});
