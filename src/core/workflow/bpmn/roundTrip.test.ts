/**
 * workflow → BPMN → workflow is the identity: on every sample workflow (exactly, positions
 * included) and on generated workflows (property test; positions compared when given).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOUNDARY_TRIGGERS,
  BPMN_ELEMENT_TYPES,
  type BpmnElementType,
  type Flow,
  type FlowTransfer,
  GATEWAY_KINDS,
  type Lane,
  loadWorkflow,
  type Step,
  type StepKind,
  type StepMedium,
  WORKFLOW_FORMAT,
  type Workflow,
} from '../../../formats/workflow.ts';
import { defaultElementOf, fitsKind } from './elements.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');

/** Optional empty lists carry nothing: BPMN has no way (and no need) to say "an empty list". */
function normalise(workflow: Workflow): Workflow {
  const copy: Workflow = structuredClone(workflow);
  if (copy.retired?.length === 0) delete copy.retired;
  for (const step of copy.steps) if (step.replaces?.length === 0) delete step.replaces;
  return copy;
}

describe('sample workflows survive workflow → BPMN → workflow unchanged', () => {
  const files = readdirSync(SAMPLES).filter((name) => name.endsWith('.json'));

  it('finds the samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s', async (name) => {
    const loaded = loadWorkflow(JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')));
    if (!loaded.ok) throw new Error(`${name} does not load`);
    const result = await importBpmn(await exportBpmn(loaded.value));
    expect(result.problems).toEqual([]);
    expect(result.notCarriedOver).toEqual([]);
    expect(result.workflow).toEqual(normalise(loaded.value));
  });
});

// ---- generated workflows ------------------------------------------------------------------------

/** Text an analyst may type: any printable characters (XML 1.0 cannot hold most control characters). */
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((s) => s.trim() !== '' && [...s].every(isXmlCharacter));

/** Whether XML 1.0 can hold the character (tab, newline and carriage return are the only controls). */
function isXmlCharacter(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) && code !== 0xfffe && code !== 0xffff
  );
}
/** Ids: any non-empty text, often not an XML name ("step 1", "1st", "nurse" for a lane and a step). */
const id = fc.oneof(fc.constantFrom('nurse', 'a', 'a_2', '1st', 'step 1', 'x:y', 'é'), text);
const kinds: StepKind[] = ['start', 'end', 'task', 'decision', 'approval', 'wait', ...GATEWAY_KINDS];
const media: StepMedium[] = ['paper', 'fax', 'phone', 'verbal', 'digital'];
const transfers: FlowTransfer[] = ['none', 'electronic', 'manual', 'paper'];
const minutes = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e4, noNaN: true, noDefaultInfinity: true }),
);

const workflowArbitrary: fc.Arbitrary<Workflow> = fc
  .record({
    id,
    name: text,
    state: fc.constantFrom<'current' | 'future'>('current', 'future'),
    arrivalsPerHour: minutes,
    laneIds: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }),
    stepIds: fc.uniqueArray(id, { minLength: 1, maxLength: 10 }),
    seed: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    steps: fc.array(
      fc.record({
        label: text,
        kind: fc.constantFrom(...kinds),
        medium: fc.constantFrom(...media),
        system: fc.oneof(fc.constant(''), text),
        touchMin: minutes,
        waitMin: minutes,
        clicks: fc.nat({ max: 500 }),
        enters: fc.array(text, { maxLength: 3 }),
        notes: fc.option(text, { nil: undefined }),
        /** picks a BPMN element the step was imported as (every other step that can have one) */
        element: fc.nat(),
        /** the size another tool drew the step at (even, so centring it needs no rounding) */
        size: fc.option(
          fc.record({
            width: fc.integer({ min: 10, max: 100 }).map((n) => 2 * n),
            height: fc.integer({ min: 10, max: 80 }).map((n) => 2 * n),
          }),
          { nil: undefined },
        ),
        /** one step in four is a boundary event */
        boundary: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 3 },
          {
            arbitrary: fc.record({
              host: fc.nat(),
              trigger: fc.constantFrom(...BOUNDARY_TRIGGERS),
              interrupting: fc.boolean(),
            }),
            weight: 1,
          },
        ),
      }),
      { minLength: 10, maxLength: 10 },
    ),
    flows: fc.array(
      fc.record({
        from: fc.nat(),
        to: fc.nat(),
        probability: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        transfer: fc.constantFrom(...transfers),
      }),
      { maxLength: 15 },
    ),
    goLive: fc.option(
      fc.record({
        capacityFactor: fc.double({ min: 0.01, max: 1, noNaN: true }),
        productivityFactor: fc.double({ min: 0.01, max: 1, noNaN: true }),
      }),
      { nil: undefined },
    ),
  })
  .map((g) => {
    const lanes: Lane[] = g.laneIds.map((laneId, i) => ({ id: laneId, name: `Lane ${i}`, staff: i }));
    const steps: Step[] = g.stepIds.map((stepId, i) => {
      const s = g.steps[i] as (typeof g.steps)[number];
      const step: Step = {
        id: stepId,
        label: s.label,
        lane: (lanes[(g.seed[i] ?? 0) % lanes.length] as Lane).id,
        kind: s.kind,
        medium: s.medium,
        system: s.system,
        touchMin: s.touchMin,
        waitMin: s.waitMin,
        clicks: s.clicks,
        enters: s.enters,
      };
      if (g.state === 'future' && i % 2 === 0) step.replaces = [`old-${i}`];
      if (s.notes !== undefined) step.notes = s.notes;
      // what an import records: an element that fits the kind and that export would not pick
      const fitting = BPMN_ELEMENT_TYPES.filter(
        (type) => type !== 'boundaryEvent' && fitsKind(step.kind, type) && type !== defaultElementOf(step),
      );
      if (s.boundary === undefined && s.element % 2 === 0 && fitting.length > 0) {
        step.bpmn = { type: fitting[s.element % fitting.length] as BpmnElementType };
      }
      // a drawn size an import keeps: not a boundary event's (drawn on its host's border), not
      // the size Preflight writes for the element anyway
      const own = [36, 50, 80, 100];
      if (s.boundary === undefined && s.size && !(own.includes(s.size.width) && own.includes(s.size.height)))
        step.size = s.size;
      return step;
    });
    // boundary events on any step, attached when the export can (structure.ts), else in line
    steps.forEach((step, i) => {
      const b = g.steps[i]?.boundary;
      const host = b ? steps[b.host % steps.length] : undefined;
      if (b && host && host.id !== step.id) {
        step.boundary = { attachedTo: host.id, trigger: b.trigger, interrupting: b.interrupting };
      }
    });
    const seen = new Set<string>();
    const flows: Flow[] = [];
    for (const f of g.flows) {
      const from = (steps[f.from % steps.length] as Step).id;
      const to = (steps[f.to % steps.length] as Step).id;
      const key = JSON.stringify([from, to]);
      if (seen.has(key)) continue;
      seen.add(key);
      flows.push(
        f.probability === undefined
          ? { from, to, transfer: f.transfer }
          : { from, to, probability: f.probability, transfer: f.transfer },
      );
    }
    // a boundary step is reached from its host (its exception path), mostly from it alone
    steps.forEach((step, i) => {
      const host = step.boundary?.attachedTo;
      if (host === undefined) return;
      const alone = (g.steps[i]?.boundary?.host ?? 0) % 4 !== 0;
      for (let k = flows.length - 1; alone && k >= 0; k--) {
        if (flows[k]?.to === step.id && flows[k]?.from !== host) flows.splice(k, 1);
      }
      if (!flows.some((f) => f.from === host && f.to === step.id))
        flows.push({ from: host, to: step.id, transfer: 'none' });
    });
    const workflow: Workflow = {
      format: WORKFLOW_FORMAT,
      id: g.id,
      name: g.name,
      state: g.state,
      ...(g.state === 'future' ? { baseline: `${g.id}-baseline` } : {}),
      arrivalsPerHour: g.arrivalsPerHour,
      lanes,
      steps,
      flows,
      ...(g.state === 'future' ? { retired: ['old-retired'] } : {}),
      ...(g.goLive ? { goLive: g.goLive } : {}),
    };
    return workflow;
  });

/**
 * The workflow without positions and with its flows in one order: a boundary event's exception
 * path is written on the event, not as a sequence flow, so it comes back after the others.
 */
function withoutPositions(workflow: Workflow): Workflow {
  return {
    ...workflow,
    steps: workflow.steps.map(({ position: _, ...step }) => step),
    flows: sortedFlows(workflow.flows),
  };
}

function sortedFlows(flows: readonly Flow[]): Flow[] {
  const key = (flow: Flow) => JSON.stringify([flow.from, flow.to]);
  return [...flows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('generated workflows survive workflow → BPMN → workflow', () => {
  it('keeps every field (ids that are not XML names, colliding lane and step ids, any text)', async () => {
    await fc.assert(
      fc.asyncProperty(workflowArbitrary, async (workflow) => {
        const first = await importBpmn(await exportBpmn(workflow));
        expect(first.problems.filter((p) => p.code !== 'invalid-workflow')).toEqual([]);
        expect(first.workflow && withoutPositions(first.workflow)).toEqual(
          withoutPositions(normalise(workflow)),
        );
        // the export placed the steps; from then on their positions are kept exactly
        const placed = first.workflow as Workflow;
        expect(placed.steps.every((step) => step.position !== undefined)).toBe(true);
        expect((await importBpmn(await exportBpmn(placed))).workflow).toEqual(placed);
      }),
      { numRuns: 60 },
    );
  });
});
