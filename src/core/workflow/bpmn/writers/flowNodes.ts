/**
 * Steps as BPMN flow nodes: tasks, events, gateways and sub-processes. One element per step, of
 * the type stepTypes.ts gives, carrying the step's Preflight attributes in `preflight:step`; each
 * kind of node adds its own attributes through {@link FLOW_NODE_KINDS}. Then boundary events are
 * attached to their activities, and each node is put into its process or sub-process.
 */

import {
  BPMN_ACTIVITY_TYPES,
  BPMN_ELEMENT_TYPES,
  type BpmnElementType,
  isGateway,
  type Step,
} from '../../../../formats/workflow.ts';
import { EVENT_DEFINITIONS, EVENT_ELEMENTS, SUB_PROCESS_ELEMENTS, triggerOf } from '../elements.ts';
import { elementBounds } from '../geometry.ts';
import { type BpmnWriter, type ExportContext, extension, flowData, hasFlowData, into } from './context.ts';
import { onPage, shape } from './diagramParts.ts';
import { writePerformers, writeTimer } from './stepDetails.ts';
import { elementTypeOf, qualified } from './stepTypes.ts';

const ACTIVITY_TYPES: ReadonlySet<string> = new Set(BPMN_ACTIVITY_TYPES);
const isActivityType = (type: string) => ACTIVITY_TYPES.has(type);

/** What a kind of flow node adds to the attributes of its element. */
interface FlowNodeKind {
  readonly id: string;
  readonly writes: readonly string[];
  applies(type: string, step: Step): boolean;
  /** adds to `attrs` (the element's id is `id`); ids it needs are handed out here, in step order */
  attributes(ctx: ExportContext, step: Step, id: string, type: string, attrs: Record<string, unknown>): void;
}

const gateway: FlowNodeKind = {
  id: 'gateway',
  writes: [
    'bpmn:ExclusiveGateway',
    'bpmn:ParallelGateway',
    'bpmn:InclusiveGateway',
    'bpmn:EventBasedGateway',
  ],
  applies: (type, step) => isGateway(step.kind) && type.endsWith('Gateway'),
  attributes(_ctx, step, _id, _type, attrs) {
    attrs.gatewayDirection = step.kind.endsWith('-split') ? 'Diverging' : 'Converging';
  },
};

/** The name of the link a pair throws and catches: its catch event's label. */
function linkName(ctx: ExportContext, step: Step): string {
  return ctx.stepsById.get(ctx.linkTarget.get(step.id) ?? step.id)?.label ?? step.label;
}

const event: FlowNodeKind = {
  id: 'event',
  writes: [...EVENT_ELEMENTS].map(qualified),
  applies: (type) => EVENT_ELEMENTS.has(type as BpmnElementType),
  attributes(ctx, step, id, type, attrs) {
    const trigger = triggerOf(step, type);
    const definition = EVENT_DEFINITIONS[trigger];
    if (!definition) return;
    const definitionAttrs: Record<string, unknown> = { id: ctx.allocate(`${id}_${trigger}`) };
    if (trigger === 'link') definitionAttrs.name = linkName(ctx, step);
    if (trigger === 'timer') writeTimer(ctx, step, definitionAttrs);
    attrs.eventDefinitions = [ctx.moddle.create(definition, definitionAttrs)];
  },
};

const boundaryEvent: FlowNodeKind = {
  id: 'boundary-event',
  writes: ['bpmn:BoundaryEvent'],
  applies: (type, step) =>
    type === 'boundaryEvent' && step.boundary !== undefined && !step.boundary.interrupting,
  attributes(_ctx, _step, _id, _type, attrs) {
    attrs.cancelActivity = false;
  },
};

const eventSubProcess: FlowNodeKind = {
  id: 'event-sub-process',
  writes: ['bpmn:SubProcess'],
  applies: (type, step) =>
    SUB_PROCESS_ELEMENTS.has(type as BpmnElementType) &&
    step.boundary !== undefined &&
    step.boundary.attachedTo === undefined,
  attributes(_ctx, _step, _id, _type, attrs) {
    attrs.triggeredByEvent = true;
  },
};

/** The kinds of flow node with attributes of their own, in the order they add them. */
export const FLOW_NODE_KINDS: readonly FlowNodeKind[] = [gateway, event, boundaryEvent, eventSubProcess];

/** The `preflight:step` of a step (and the `preflight:flow` of a boundary event's exception path). */
function stepExtension(ctx: ExportContext, step: Step, id: string): unknown[] {
  const { structure, moddle, workflow } = ctx;
  const data: Record<string, unknown> = {
    kind: step.kind,
    medium: step.medium,
    system: step.system,
    touchMin: step.touchMin,
    waitMin: step.waitMin,
    clicks: step.clicks,
  };
  if (id !== step.id) data.id = step.id;
  if (step.enters.length > 0) data.enters = [...step.enters];
  if (step.replaces && step.replaces.length > 0) data.replaces = [...step.replaces];
  // a `within` that cannot be a nesting is still the analyst's: it rides in the extension
  if (step.within !== undefined && structure.parentOf.get(step.id) !== step.within) data.within = step.within;
  // what an event log measured at the step (times, waits by cause) travels with it
  if (step.observed !== undefined) data.observed = JSON.stringify(step.observed);
  if (step.boundary) {
    if (step.boundary.attachedTo !== undefined) data.attachedTo = step.boundary.attachedTo;
    data.trigger = step.boundary.trigger;
    data.interrupting = step.boundary.interrupting;
  }
  const values: unknown[] = [moddle.create('preflight:Step', data)];
  const host = structure.attached.get(step.id);
  const exceptionPath = workflow.flows.find((flow) => flow.from === host && flow.to === step.id);
  if (exceptionPath && hasFlowData(exceptionPath)) {
    values.push(moddle.create('preflight:Flow', flowData(exceptionPath)));
  }
  return values;
}

/** One flow node per step (see the file comment). */
export const flowNodeWriter: BpmnWriter = {
  id: 'flow-nodes',
  writes: BPMN_ELEMENT_TYPES.map(qualified),
  describe: 'each step as the task, event, gateway or sub-process it is, with its preflight:step',
  write(ctx) {
    const { workflow, structure, stepsById, stepElements, moddle } = ctx;
    for (const step of workflow.steps) {
      const id = ctx.allocate(step.id);
      const type = elementTypeOf(structure, step);
      const extensionValues = stepExtension(ctx, step, id);
      const attrs: Record<string, unknown> = { id, name: step.label };
      const performers = step.bpmn?.performers;
      if (performers && performers.length > 0 && isActivityType(type))
        writePerformers(ctx, performers, attrs, extensionValues);
      attrs.extensionElements = extension(ctx, ...extensionValues);
      if (step.notes !== undefined && step.notes !== '') {
        attrs.documentation = [moddle.create('bpmn:Documentation', { text: step.notes })];
      }
      for (const kind of FLOW_NODE_KINDS)
        if (kind.applies(type, step)) kind.attributes(ctx, step, id, type, attrs);
      const element = moddle.create(qualified(type), attrs);
      element.incoming = [];
      element.outgoing = [];
      if (SUB_PROCESS_ELEMENTS.has(type as BpmnElementType)) element.flowElements = [];
      stepElements.set(step.id, { element, step });
    }
    for (const [id, host] of structure.attached) {
      const element = stepElements.get(id)?.element;
      if (element) element.attachedToRef = stepElements.get(host)?.element;
    }
    // an event sub-process's start event interrupts the process or runs beside it
    for (const step of workflow.steps) {
      const parent = structure.parentOf.get(step.id);
      const container = parent ? stepsById.get(parent) : undefined;
      const element = stepElements.get(step.id)?.element;
      if (
        element &&
        element.$type === 'bpmn:StartEvent' &&
        container?.boundary &&
        !container.boundary.attachedTo
      )
        element.isInterrupting = container.boundary.interrupting;
    }
    // each node goes into its page's container: its pool's process, or the sub-process it is in
    for (const { element, step } of stepElements.values())
      into(ctx, structure.parentOf.get(step.id), ctx.pages.groupOfStep(step.id), element);
  },
};

/** Each flow node's shape, on the page of its process or sub-process. */
export const flowNodeShapeWriter: BpmnWriter = {
  id: 'flow-node-shapes',
  writes: ['bpmndi:BPMNShape'],
  describe: 'each step drawn where the layout put it, at its drawn size or the element written',
  write(ctx) {
    const { structure } = ctx;
    for (const { element, step } of ctx.stepElements.values()) {
      const position = ctx.layout.positions.get(step.id);
      if (!position) continue;
      // sized as drawn where another tool drew it, else by the element written, not the step's
      // kind: a task written as an event is a circle
      const rect = elementBounds(elementTypeOf(structure, step), position, step.size);
      ctx.shapeOf.set(step.id, rect);
      const extra: Record<string, unknown> = {};
      if (step.kind === 'decision') extra.isMarkerVisible = true;
      if (structure.containers.has(step.id)) extra.isExpanded = false;
      onPage(ctx, structure.parentOf.get(step.id)).push(shape(ctx, element, rect, extra));
    }
  },
};
