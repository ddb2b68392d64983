/**
 * Export keeps the meaning of real models: each BPMN MIWG reference model and each model written in
 * the style of another tool's export (tests/fixtures/bpmn-vendors/), imported and exported
 * again, has the same elements by type (tasks by their type, sub-processes with their inner
 * elements, boundary events attached to their activity with their trigger and whether they
 * interrupt, event definitions), pools, message flows and data objects with their associations,
 * every flow node and flow drawn, and no two shapes of a page (nor two pools) overlapping. Counts come from the independent scan of tests/fixtures/miwg.ts. An element kind
 * whose count changes must be in CHANGED_KINDS with why; an entry no model needs fails too.
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes, bpmnModelFiles, scanBpmn } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn, repairIds } from './importBpmn.ts';
import type { DiBounds, El } from './model.ts';
import {
  associationsCrossingShapes,
  flowsCrossingShapes,
  messagesCrossingShapes,
  messagesWithinOnePool,
  offDefaultSize,
  onBorder,
  overlap,
  overlappingPairs,
  parse,
  resizedShapes,
  undrawnConnections,
} from './testing/diagramChecks.ts';

/** The element kinds counted (BPMN local names). */
const COUNTED = [
  ...['task', 'userTask', 'manualTask', 'serviceTask', 'sendTask', 'receiveTask', 'scriptTask'],
  ...['businessRuleTask', 'callActivity', 'subProcess', 'transaction', 'adHocSubProcess'],
  ...['exclusiveGateway', 'inclusiveGateway', 'parallelGateway', 'eventBasedGateway', 'complexGateway'],
  ...['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent'],
  ...['timerEventDefinition', 'errorEventDefinition', 'messageEventDefinition', 'signalEventDefinition'],
  ...['escalationEventDefinition', 'conditionalEventDefinition', 'compensateEventDefinition'],
  ...['cancelEventDefinition', 'linkEventDefinition', 'terminateEventDefinition'],
  ...['sequenceFlow', 'lane', 'participant', 'messageFlow', 'association', 'textAnnotation', 'group'],
  ...['dataObject', 'dataObjectReference', 'dataStoreReference', 'dataInputAssociation'],
  ...['dataOutputAssociation', 'dataInput', 'dataOutput'],
  ...['process', 'collaboration', 'message', 'error', 'signal', 'escalation', 'dataStore', 'category'],
  ...['itemDefinition', 'resource', 'interface', 'globalTask', 'globalUserTask'],
];

/** Element kinds whose count the round trip changes, and why (import lists each one it drops). */
const CHANGED_KINDS: Record<string, string> = {
  lane: 'a workflow’s steps are always in lanes (roles): a pool or process without lanes comes back with one lane named after it, and the lanes of several pools become lanes of one pool',
  participant:
    'a workflow is drawn in a pool also when the source had none, and a process drawn outside the pools of a collaboration comes back in a pool of its own',
  dataObject:
    'each document comes back with a data object of its own (the source may define one it never draws)',
  dataInputAssociation:
    'kept between a step and the data object, store or data input of the process it reads; one from anything else (a data object nothing draws, none at all) is listed',
  dataOutputAssociation: 'as dataInputAssociation: what a step writes',
  dataInput:
    'a data input of the process is kept; an activity’s own is not written again: the association lands on a placeholder property of the activity, as bpmn.io writes it',
  dataOutput: 'as dataInput: an activity’s own data output is not written again',
  association:
    'kept only from a compensation event to its handler; the others link annotations or data, which are not kept as elements',
  process:
    'a process with no step (a tool’s holder of the data drawn outside its pools) is not written again; the data it holds is, in the pool of a step that reads or writes it',
  collaboration:
    'the one pool a workflow is written in stands in a collaboration, also when the source had none',
  message:
    'the named message an event or task refers to: the event keeps its trigger (message), not which message',
  error: 'as message: the event keeps its trigger (error), not which error',
  signal: 'as message: the event keeps its trigger (signal), not which signal',
  escalation: 'as message: the event keeps its trigger (escalation), not which escalation',
  dataStore:
    'written only for a store drawn more than once, which its references share; a store drawn once is its reference alone',
  itemDefinition: 'the type of a data item or message: Preflight keeps no data types',
  resource: 'who may do a task by name; Preflight’s lanes (roles) say who does a step',
  interface: 'the service interface a service task calls: Preflight keeps no operations',
  globalTask: 'a reusable task a call activity calls: the call activity is kept, not what it calls',
  globalUserTask: 'as globalTask',
};

function counts(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const element of scanBpmn(xml)) {
    if (COUNTED.includes(element.type)) out.set(element.type, (out.get(element.type) ?? 0) + 1);
  }
  return out;
}

const FLOW_NODE =
  /^bpmn:((?!Global).*(Task|Event|Gateway)|SubProcess|Transaction|AdHocSubProcess|CallActivity)$/;

async function roundTrip(name: string): Promise<{ source: string; exported: string }> {
  const decoded = decodeXmlBytes(bpmnModelBytes(name));
  if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
  const { workflow } = await importBpmn(decoded.text);
  if (!workflow) throw new Error(`${name}: no workflow`);
  return { source: decoded.text, exported: await exportBpmn(workflow) };
}

describe('public BPMN models (MIWG and vendor-style) exported again', () => {
  const changedAnywhere = new Set<string>();

  it.each(bpmnModelFiles())(
    '%s keeps its elements, nesting and attachments, drawn without overlaps',
    async (name) => {
      const { source, exported } = await roundTrip(name);

      const before = counts(source);
      const after = counts(exported);
      for (const kind of new Set([...before.keys(), ...after.keys()])) {
        if ((before.get(kind) ?? 0) === (after.get(kind) ?? 0)) continue;
        changedAnywhere.add(kind);
        expect(CHANGED_KINDS, `${kind}: ${before.get(kind) ?? 0} → ${after.get(kind) ?? 0}`).toHaveProperty(
          kind,
        );
      }

      // an element whose id is not an XML name is dropped by bpmn-moddle (and so bpmn-js); the
      // import keeps it under a repaired id, so the expected elements come from the repaired text
      const original = await parse(repairIds(source).text);
      // a host written as a qualified name ("Process:Task_1", IBM Process Designer) is this
      // file's element of that id: bpmn-moddle (and so bpmn-js) leaves it unresolved, the import
      // resolves it, so the expected host comes from the independent scan
      const hostInSource = new Map(
        scanBpmn(source)
          .filter((e) => e.type === 'boundaryEvent')
          .map((e) => [e.attrs.id, (e.attrs.attachedToRef ?? '').replace(/^[\w.-]+:/, '')]),
      );
      const parsed = await parse(exported);
      for (const element of Object.values(original.byId)) {
        if (!element.id || !FLOW_NODE.test(element.$type)) continue;
        const again = parsed.byId[element.id];
        expect(again?.$type, element.id).toBe(element.$type);
        if (!again) continue;
        // inside the same sub-process (or on the process's page in both)
        const container = (e: El) =>
          e.$parent && FLOW_NODE.test(e.$parent.$type) ? e.$parent.id : undefined;
        expect(container(again), `container of ${element.id}`).toBe(container(element));
        if (element.$type === 'bpmn:BoundaryEvent') {
          expect(again.attachedToRef?.id, `host of ${element.id}`).toBe(
            element.attachedToRef?.id ?? hostInSource.get(element.id),
          );
          expect(again.cancelActivity !== false, `interrupting ${element.id}`).toBe(
            element.cancelActivity !== false,
          );
        }
        // an event sub-process stays one, interrupting or not
        expect(again.triggeredByEvent === true, `event sub-process ${element.id}`).toBe(
          element.triggeredByEvent === true,
        );
        if (element.$parent?.triggeredByEvent && element.$type === 'bpmn:StartEvent') {
          expect(again.isInterrupting !== false, `interrupting ${element.id}`).toBe(
            element.isInterrupting !== false,
          );
        }
        const definitions = (e: El) => (e.eventDefinitions ?? []).map((d) => d.$type);
        expect(definitions(again), `event definition of ${element.id}`).toEqual(definitions(element));
      }

      // every flow node drawn once, every sequence flow drawn; no overlaps
      const shapes = parsed.pages.flatMap((page) => page.shapes.map((s) => s.element.id));
      for (const element of Object.values(parsed.byId)) {
        if (!element.id) continue;
        if (FLOW_NODE.test(element.$type))
          expect(
            shapes.filter((id) => id === element.id),
            element.id,
          ).toHaveLength(1);
        if (element.$type === 'bpmn:SequenceFlow')
          expect(
            parsed.pages.some((page) => page.edges.has(element.id ?? '')),
            element.id,
          ).toBe(true);
      }
      for (const page of parsed.pages) {
        for (const shape of page.shapes.filter((s) => s.element.$type === 'bpmn:BoundaryEvent')) {
          const host = page.shapes.find((s) => s.element === shape.element.attachedToRef);
          expect(
            host && onBorder(shape.bounds, host.bounds),
            `${shape.element.id} on its host's border`,
          ).toBe(true);
        }
      }
      expect(overlappingPairs(parsed)).toEqual([]);
      // no sequence flow drawn through a shape, nor any association (a document's or a note's),
      // nor any message (through a step, a document, a note or a pool between its two ends' own)
      expect(flowsCrossingShapes(parsed)).toEqual([]);
      expect(associationsCrossingShapes(parsed)).toEqual([]);
      expect(messagesCrossingShapes(parsed)).toEqual([]);
      // events, gateways and data at the size the source drew them, else bpmn-js's (never the
      // editor's large circles)
      expect(offDefaultSize(parsed, original)).toEqual([]);
      // every task, event and gateway at the size the source drew it (in whole pixels)
      expect(resizedShapes(parsed, original)).toEqual([]);
      // pools lie one under the other, none over another
      const pools = parsed.pages.flatMap((page) =>
        page.shapes.filter((s) => s.element.$type === 'bpmn:Participant'),
      );
      for (const [i, a] of pools.entries()) {
        for (const b of pools.slice(i + 1)) {
          expect(overlap(a.bounds, b.bounds), `${a.element.id} × ${b.element.id}`).toBe(false);
        }
      }
      // every message flow and data association is drawn (an end inside a sub-process on the
      // collapsed sub-process that holds it), and every message flow goes between pools
      expect(undrawnConnections(parsed)).toEqual([]);
      expect(messagesWithinOnePool(parsed)).toEqual([]);
      // each step of a lane, and the boundary events on it, lies inside the lane's band
      const within = (inner: DiBounds, outer: DiBounds) =>
        inner.x >= outer.x &&
        inner.y >= outer.y &&
        inner.x + inner.width <= outer.x + outer.width &&
        inner.y + inner.height <= outer.y + outer.height;
      const [main] = parsed.pages;
      for (const lane of main?.shapes.filter((s) => s.element.$type === 'bpmn:Lane') ?? []) {
        for (const shape of main?.shapes ?? []) {
          const node = shape.element.attachedToRef ?? shape.element;
          if (!lane.element.flowNodeRef?.includes(node)) continue;
          expect(within(shape.bounds, lane.bounds), `${shape.element.id} inside ${lane.element.id}`).toBe(
            true,
          );
        }
      }
    },
  );

  it('lists only element kinds that some model changes', () => {
    // runs after the models (vitest keeps the order of a file's tests)
    expect(Object.keys(CHANGED_KINDS).filter((kind) => !changedAnywhere.has(kind))).toEqual([]);
  });
});
