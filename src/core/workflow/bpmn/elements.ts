/**
 * Which BPMN element a step is written as, shared by export (which writes it) and import (which
 * records in `step.bpmn` only what export would not write by itself, so a Preflight file reads
 * back unchanged and another tool's service task, call activity or message event comes back as
 * what it was).
 */
import {
  type BoundaryTrigger,
  BPMN_ACTIVITY_TYPES,
  type BpmnElementType,
  type BpmnEventTrigger,
  type Step,
  type StepKind,
} from '../../../formats/workflow.ts';

/** Activities (BPMN's tasks, call activities and sub-processes). */
const ACTIVITIES: readonly BpmnElementType[] = BPMN_ACTIVITY_TYPES;

/** Sub-process types: the activities that hold steps of their own. */
export const SUB_PROCESS_ELEMENTS: ReadonlySet<BpmnElementType> = new Set([
  'subProcess',
  'transaction',
  'adHocSubProcess',
]);

/** Event elements: the ones that carry an event definition (a trigger). */
export const EVENT_ELEMENTS: ReadonlySet<BpmnElementType> = new Set([
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
]);

/**
 * The elements a step of each kind may be written as. A task may also be a sub-process's inner
 * start or end event or an intermediate throw event: the import walks through those as steps.
 */
const FITS: Record<StepKind, readonly BpmnElementType[]> = {
  start: ['startEvent'],
  end: ['endEvent'],
  wait: ['intermediateCatchEvent', 'boundaryEvent'],
  decision: ['exclusiveGateway', 'eventBasedGateway', 'complexGateway'],
  task: [...ACTIVITIES, 'startEvent', 'endEvent', 'intermediateThrowEvent'],
  approval: ACTIVITIES,
  'parallel-split': [],
  'parallel-join': [],
  'inclusive-split': [],
  'inclusive-join': [],
};

/** The event definition element of each trigger (`none`: no definition). */
export const EVENT_DEFINITIONS: Record<BpmnEventTrigger, string | undefined> = {
  timer: 'bpmn:TimerEventDefinition',
  error: 'bpmn:ErrorEventDefinition',
  message: 'bpmn:MessageEventDefinition',
  escalation: 'bpmn:EscalationEventDefinition',
  signal: 'bpmn:SignalEventDefinition',
  conditional: 'bpmn:ConditionalEventDefinition',
  compensation: 'bpmn:CompensateEventDefinition',
  cancel: 'bpmn:CancelEventDefinition',
  link: 'bpmn:LinkEventDefinition',
  terminate: 'bpmn:TerminateEventDefinition',
  none: undefined,
};

/** The trigger of an event definition element type, if Preflight knows it. */
export const TRIGGER_OF_DEFINITION: ReadonlyMap<string, BpmnEventTrigger> = new Map(
  Object.entries(EVENT_DEFINITIONS).flatMap(([trigger, type]) =>
    type ? [[type, trigger as BpmnEventTrigger]] : [],
  ),
);

/** True when a step of `kind` may be written as `type`. */
export function fitsKind(kind: StepKind, type: BpmnElementType): boolean {
  return FITS[kind].includes(type);
}

/**
 * The element a step is written as when nothing else says: start/end events; `task`s a
 * `userTask` (digital), `manualTask` (paper, phone, verbal) or `sendTask` (fax), a digital step
 * without touch time or clicks but with a system a `serviceTask`; approvals `userTask`s; decisions
 * exclusive gateways; waits intermediate catch events.
 */
export function defaultElementOf(step: Step): BpmnElementType | 'parallelGateway' | 'inclusiveGateway' {
  switch (step.kind) {
    case 'start':
      return 'startEvent';
    case 'end':
      return 'endEvent';
    case 'decision':
      return 'exclusiveGateway';
    case 'parallel-split':
    case 'parallel-join':
      return 'parallelGateway';
    case 'inclusive-split':
    case 'inclusive-join':
      return 'inclusiveGateway';
    case 'wait':
      return 'intermediateCatchEvent';
    case 'approval':
      return 'userTask';
    case 'task':
      if (step.medium === 'fax') return 'sendTask';
      if (step.medium !== 'digital') return 'manualTask';
      return step.touchMin === 0 && step.clicks === 0 && step.system !== '' ? 'serviceTask' : 'userTask';
  }
}

/** The element a step is written as: its recorded `bpmn.type` where it fits its kind, else the default. */
export function elementOf(step: Step): BpmnElementType | 'parallelGateway' | 'inclusiveGateway' {
  const recorded = step.bpmn?.type;
  return recorded !== undefined && fitsKind(step.kind, recorded) ? recorded : defaultElementOf(step);
}

/**
 * The trigger an event step is written with when nothing is recorded: a boundary step's own
 * trigger, a timer for a wait (Preflight's waits are timed), none otherwise.
 */
export function defaultTriggerOf(step: Step, type: string): BpmnEventTrigger | BoundaryTrigger {
  if (step.boundary) return step.boundary.trigger;
  return type === 'intermediateCatchEvent' ? 'timer' : 'none';
}

/** The trigger an event step is written with. */
export function triggerOf(step: Step, type: string): BpmnEventTrigger {
  return step.bpmn?.trigger ?? defaultTriggerOf(step, type);
}
