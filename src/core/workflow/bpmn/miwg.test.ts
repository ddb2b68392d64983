/**
 * The 21 BPMN MIWG reference models and the models written in the style of other tools' exports
 * (tests/fixtures/bpmn-vendors/) import without a crash, keeping every task, lane, gateway,
 * event and sequence flow, counted from the XML by an independent scan (tests/fixtures/miwg.ts);
 * and BPMN → workflow → BPMN keeps them again. A case that cannot pass is listed in SKIPS with
 * its reason, never dropped.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TYPES,
  bpmnModelBytes,
  bpmnModelFiles,
  EVENT_TYPES,
  GATEWAY_TYPES,
  idsOf,
  miwgFiles,
  type ScannedElement,
  SUB_PROCESS_TYPES,
  scanBpmn,
} from '../../../../tests/fixtures/miwg.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import type { BpmnImportResult } from './types.ts';

/** Reference models that are known not to pass, with why. None today. */
const SKIPS: Record<string, string> = {};

/** What each model has that a workflow cannot hold, checked to be listed (spot checks). */
const EXPECTED_NOT_CARRIED: Record<string, string[]> = {
  'B.2.0.bpmn': ['bpmn:EventBasedGateway'],
  'C.1.0.bpmn': ['xmlns:signavio', 'xmlns:camunda', 'xmlns:color'],
  'bonita-wound-care-timer-id-with-space.bpmn': ['bpmn:CallActivity'],
  'bizagi-inpatient-discharge.bpmn': ['bpmn:Lane', 'bpmn:Task', 'bpmn:UserTask', 'xmlns:bizagi'],
  'camunda7-referral-triage.bpmn': ['xmlns:camunda', 'xmlns:modeler'],
  'camunda8-zeebe-lab-results.bpmn': ['bpmn:EventBasedGateway', 'bpmn:SendTask', 'xmlns:zeebe'],
  'ibm-process-designer-sample-collection-qualified-refs.bpmn': ['xmlns:xmi'],
  'itp-commerce-referral-data-outside-pools.bpmn': ['xmlns:itp'],
  'signavio-new-patient-intake.bpmn': ['bpmn:ComplexGateway', 'xmlns:signavio'],
  'trisotech-specialist-referral-pools.bpmn': ['xmlns:triso'],
  'visio-appointment-reminders-links.bpmn': ['xmlns:bioc', 'xmlns:color'],
  'yaoqiang-specialist-booking-macroman.bpmn': ['xmlns:yaoqiang'],
};

/** The step kinds each BPMN gateway type may become (split or join by its flows). */
const GATEWAY_KINDS_OF: Record<string, string[]> = {
  exclusiveGateway: ['decision'],
  eventBasedGateway: ['decision'],
  complexGateway: ['decision'],
  parallelGateway: ['parallel-split', 'parallel-join'],
  inclusiveGateway: ['inclusive-split', 'inclusive-join'],
};

/** The problems each model gives (codes, in order); every other model gives none. */
const EXPECTED_PROBLEMS: Record<string, string[]> = {
  // three operations refer to a message "triso:unspecified" that the file never defines
  'C.8.1.bpmn': ['unresolved-reference', 'unresolved-reference', 'unresolved-reference'],
  // Bonita writes a timer definition's id with a space ("eventdef-2 hours"): read under a repaired id
  'bonita-wound-care-timer-id-with-space.bpmn': ['invalid-id'],
  // MID Innovator's own drawing: one warning for its 9 <geometry>, one for its 24 <waypoint>
  'mid-innovator-triage-own-geometry.bpmn': ['unreadable-element', 'unreadable-element'],
  // BIMP's simulation settings beside the process: their branch chances are read, the rest is not
  'signavio-bimp-referral-chances.bpmn': ['unreadable-element'],
};

/** Models whose declared encoding is ISO-8859-1 (read by decodeXmlBytes, not as UTF-8). */
const LATIN1 = new Set([
  ...['A.1.0.bpmn', 'A.2.0.bpmn', 'A.3.0.bpmn', 'A.4.0.bpmn', 'B.1.0.bpmn', 'B.2.0.bpmn'],
  'mid-innovator-triage-own-geometry.bpmn',
]);

/** Models whose declared encoding is Java's "MacRoman" (Yaoqiang on a Mac), read as Mac OS Roman. */
const MAC_ROMAN = new Set(['yaoqiang-specialist-booking-macroman.bpmn']);

async function importFile(
  name: string,
): Promise<{ xml: string; result: BpmnImportResult; encoding: string }> {
  const decoded = decodeXmlBytes(bpmnModelBytes(name));
  if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
  return { xml: decoded.text, result: await importBpmn(decoded.text), encoding: decoded.encoding };
}

/**
 * The workflow without positions (of steps and data objects) or the sizes its steps were drawn at
 * (the export draws Preflight's shapes) and with its flows in one order: a sub-process's inner flows are
 * written inside it, so they come back in another order than the source file listed them.
 */
function withoutPositions(workflow: Workflow): Workflow {
  const key = (flow: { from: string; to: string }) => JSON.stringify([flow.from, flow.to]);
  return {
    ...workflow,
    steps: workflow.steps.map(({ position: _, size: _size, ...step }) => step),
    ...(workflow.dataObjects
      ? {
          dataObjects: workflow.dataObjects.map(({ position: _, drawings, ...data }) => ({
            ...data,
            ...(drawings ? { drawings: drawings.map(({ position: _at, ...drawing }) => drawing) } : {}),
          })),
        }
      : {}),
    ...(workflow.annotations
      ? { annotations: workflow.annotations.map(({ bounds: _, ...annotation }) => annotation) }
      : {}),
    ...(workflow.groups ? { groups: workflow.groups.map(({ bounds: _, ...group }) => group) } : {}),
    flows: [...workflow.flows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
  };
}

/** Asserts every flow node, lane and sequence flow of `scanned` is in the imported result. */
function expectEverythingKept(scanned: ScannedElement[], result: BpmnImportResult): void {
  const workflow = result.workflow;
  expect(workflow).toBeDefined();
  if (!workflow) return;
  const stepIds = new Set(workflow.steps.map((step) => step.id));
  const kindOf = new Map(workflow.steps.map((step) => [step.id, step.kind]));
  for (const id of idsOf(scanned, ACTIVITY_TYPES)) {
    expect(stepIds, `activity ${id}`).toContain(id);
    expect(kindOf.get(id), `activity ${id}`).toBe('task');
  }
  for (const id of idsOf(scanned, GATEWAY_TYPES)) {
    const type = scanned.find((e) => e.attrs.id === id)?.type ?? '';
    expect(GATEWAY_KINDS_OF[type], `gateway ${id}`).toContain(kindOf.get(id));
  }
  for (const id of idsOf(scanned, EVENT_TYPES)) expect(stepIds, `event ${id}`).toContain(id);

  const laneIds = new Set(workflow.lanes.map((lane) => lane.id));
  const nested = new Set(
    result.notCarriedOver.filter((n) => n.elementType === 'bpmn:Lane').map((n) => n.elementId),
  );
  for (const id of idsOf(scanned, ['lane'])) {
    expect(laneIds.has(id) || nested.has(id), `lane ${id}`).toBe(true);
  }

  // pools, message flows and data objects are kept as such, never as lanes' flows
  const poolIds = new Set((workflow.pools ?? []).map((pool) => pool.id));
  if (idsOf(scanned, ['participant']).length > 1) {
    for (const id of idsOf(scanned, ['participant'])) expect(poolIds, `pool ${id}`).toContain(id);
  }
  const messageIds = new Set((workflow.messageFlows ?? []).map((message) => message.id));
  for (const id of idsOf(scanned, ['messageFlow'])) expect(messageIds, `message flow ${id}`).toContain(id);
  // a reference is a data object, or another drawing of one (references sharing a data object),
  // kept under its own id either way
  const dataIds = new Set((workflow.dataObjects ?? []).map((data) => data.id));
  const drawingIds = new Set(
    (workflow.dataObjects ?? []).flatMap((data) => (data.drawings ?? []).map((drawing) => drawing.id)),
  );
  for (const id of idsOf(scanned, ['dataObjectReference', 'dataStoreReference'])) {
    expect(dataIds.has(id) !== drawingIds.has(id), `data object ${id}`).toBe(true);
  }

  const subProcesses = new Set(idsOf(scanned, SUB_PROCESS_TYPES));
  const merged = new Set(result.notCarriedOver.map((n) => n.elementId));
  for (const flow of scanned.filter((e) => e.type === 'sequenceFlow')) {
    const { id = '', sourceRef = '', targetRef = '' } = flow.attrs;
    const kept = workflow.flows.some(
      (f) => f.to === targetRef && (f.from === sourceRef || subProcesses.has(sourceRef)),
    );
    expect(kept || merged.has(id), `sequence flow ${id} ${sourceRef} → ${targetRef}`).toBe(true);
  }
}

describe('MIWG reference models and vendor-style models', () => {
  it('are all 21 MIWG models present', () => {
    expect(miwgFiles()).toHaveLength(21);
  });

  describe.each(bpmnModelFiles())('%s', (name) => {
    const skip = SKIPS[name];
    const test = skip ? it.skip : it;

    test(`imports with every task, lane, gateway, event and flow kept${skip ? ` (skipped: ${skip})` : ''}`, async () => {
      const { xml, result, encoding } = await importFile(name);
      if (LATIN1.has(name)) expect(encoding).toBe('windows-1252'); // WHATWG's decoder for ISO-8859-1
      // BIMP's chances, not an even split (the decision's two branches, in the file's order)
      if (name === 'signavio-bimp-referral-chances.bpmn') {
        const chances = result.workflow?.flows.flatMap((f) =>
          f.probability === undefined ? [] : [f.probability],
        );
        expect(chances).toEqual([0.7, 0.3]);
      }
      if (MAC_ROMAN.has(name)) {
        expect(encoding).toBe('macintosh');
        expect(result.workflow?.steps.map((step) => step.label)).toContain('Rendez-vous confirmé');
      }
      expect(result.problems.map((p) => p.code)).toEqual(EXPECTED_PROBLEMS[name] ?? []);
      // each problem says where: the element, or the line of the first of its kind
      for (const problem of result.problems) expect(problem.elementId ?? problem.line).toBeDefined();
      const scanned = scanBpmn(xml);
      expect(idsOf(scanned, [...ACTIVITY_TYPES, ...GATEWAY_TYPES]).length).toBeGreaterThan(0);
      expectEverythingKept(scanned, result);
      for (const type of EXPECTED_NOT_CARRIED[name] ?? []) {
        expect(result.notCarriedOver.map((n) => n.elementType)).toContain(type);
      }
      // every entry says what and why, for the list shown to the analyst
      for (const entry of result.notCarriedOver) {
        expect(entry.elementId).not.toBe('');
        expect(entry.what).not.toBe('');
        expect(entry.why).not.toBe('');
      }
    });

    test(`exports back to BPMN keeping every task, lane, gateway and flow${skip ? ` (skipped: ${skip})` : ''}`, async () => {
      const { xml, result } = await importFile(name);
      const workflow = result.workflow;
      if (!workflow) throw new Error('no workflow');
      const original = scanBpmn(xml);
      const exported = scanBpmn(await exportBpmn(workflow));
      const exportedIds = new Set(exported.map((e) => e.attrs.id));
      for (const id of idsOf(original, [...ACTIVITY_TYPES, ...GATEWAY_TYPES, ...EVENT_TYPES])) {
        expect(exportedIds, `element ${id}`).toContain(id);
      }
      // element counts by type, task types, sub-processes, boundary events: miwgExport.test.ts
      expect(idsOf(exported, GATEWAY_TYPES)).toHaveLength(idsOf(original, GATEWAY_TYPES).length);
      // parallel and inclusive gateways come back as what they were, splits diverging, joins converging
      for (const type of ['parallelGateway', 'inclusiveGateway']) {
        expect(idsOf(exported, [type]).sort()).toEqual(idsOf(original, [type]).sort());
      }
      for (const e of exported.filter((x) => x.type === 'parallelGateway' || x.type === 'inclusiveGateway')) {
        const kind = workflow.steps.find((s) => s.id === e.attrs.id)?.kind ?? '';
        expect(e.attrs.gatewayDirection, `gateway ${e.attrs.id}`).toBe(
          kind.endsWith('-split') ? 'Diverging' : 'Converging',
        );
      }
      // a pool that is its one lane is written without a lane, as it came
      const ownLanes = workflow.lanes.filter(
        (lane) => lane.pool !== undefined && lane.pool === lane.id && lane.staff === 1,
      ).length;
      expect(idsOf(exported, ['lane'])).toHaveLength(workflow.lanes.length - ownLanes);
      expect(idsOf(exported, ['lane']).length).toBeGreaterThanOrEqual(
        idsOf(original, ['lane']).length -
          result.notCarriedOver.filter((n) => n.elementType === 'bpmn:Lane').length,
      );
      // Reading the export again gives the same workflow, but for positions: the export moves a
      // lane's steps into the lane's band when the source diagram did not (several diagrams, pools
      // side by side). After that one move the positions are stable: a second round trip is exact.
      const again = (await importBpmn(await exportBpmn(workflow))).workflow;
      expect(again && withoutPositions(again)).toEqual(withoutPositions(workflow));
      if (!again) return;
      expect((await importBpmn(await exportBpmn(again))).workflow).toEqual(again);
    });
  });
});
