/** Words the editor shows for the model's values: one table each, shared by canvas, legend and inspector. */
import type {
  BoundaryTrigger,
  BpmnElementType,
  FlowTransfer,
  GatewayKind,
  Step,
  StepKind,
  StepMedium,
} from '../../../formats/workflow.ts';

/** Step kinds as clinic staff say them. */
export const KIND_LABEL: Readonly<Record<StepKind, string>> = {
  start: 'Start',
  end: 'End',
  task: 'Task',
  decision: 'Decision',
  approval: 'Approval',
  wait: 'Wait',
  'parallel-split': 'Parallel split',
  'parallel-join': 'Parallel join',
  'inclusive-split': 'Inclusive split',
  'inclusive-join': 'Inclusive join',
};

/** The label of a new step of `kind` when none is typed. */
export function defaultLabel(kind: StepKind): string {
  return kind === 'start' ? 'Start' : kind === 'end' ? 'End' : `New ${KIND_LABEL[kind].toLowerCase()}`;
}

/** What each gateway kind does to a case, in a few words (canvas, legend, inspector). */
export const GATEWAY_MEANING: Readonly<Record<GatewayKind, string>> = {
  'parallel-split': 'all branches at once',
  'parallel-join': 'waits for all branches',
  'inclusive-split': 'one or more branches',
  'inclusive-join': 'waits for the branches taken',
};

/** What each kind's shape is, for the legend and screen readers. */
export const KIND_SHAPE: Readonly<Record<StepKind, string>> = {
  start: 'circle',
  end: 'circle with a thick border',
  task: 'rectangle',
  decision: 'diamond',
  approval: 'rectangle with a check-mark badge',
  wait: 'rectangle with an hourglass and a dashed border',
  'parallel-split': 'diamond with a plus, branches out',
  'parallel-join': 'diamond with a plus, branches in',
  'inclusive-split': 'diamond with a circle, branches out',
  'inclusive-join': 'diamond with a circle, branches in',
};

/** How a step is done. */
export const MEDIUM_LABEL: Readonly<Record<StepMedium, string>> = {
  paper: 'Paper',
  fax: 'Fax',
  phone: 'Phone',
  verbal: 'Verbal',
  digital: 'Digital',
};

/** How a step is done, as a phrase after its label ("…, by phone"); digital says nothing. */
export const MEDIUM_PHRASE: Readonly<Record<StepMedium, string | null>> = {
  paper: 'on paper',
  fax: 'by fax',
  phone: 'by phone',
  verbal: 'verbally',
  digital: null,
};

/** How work and data move along a flow. */
export const TRANSFER_LABEL: Readonly<Record<FlowTransfer, string>> = {
  none: 'Nothing handed over',
  electronic: 'Electronic',
  manual: 'Re-keyed or copied by a person',
  paper: 'Paper document carried',
};

/** Short edge labels for the transfers that matter to the analysis (none and electronic stay quiet). */
export const TRANSFER_SHORT: Readonly<Record<FlowTransfer, string | null>> = {
  none: null,
  electronic: null,
  manual: 're-keyed',
  paper: 'paper',
};

/** Minutes as staff read them: "4 min", "0.5 min", "90 min". */
export function minutes(value: number): string {
  return `${Number.isInteger(value) ? value : Number(value.toFixed(2))} min`;
}

/** BPMN's activity types, as the modelling tools name them (a badge on an imported step). */
const ACTIVITY_TYPE_LABEL: Readonly<Partial<Record<BpmnElementType, string>>> = {
  userTask: 'User task',
  manualTask: 'Manual task',
  serviceTask: 'Service task',
  sendTask: 'Send task',
  receiveTask: 'Receive task',
  scriptTask: 'Script task',
  businessRuleTask: 'Business rule task',
  callActivity: 'Calls a process',
  subProcess: 'Sub-process',
  transaction: 'Transaction',
  adHocSubProcess: 'Ad-hoc sub-process',
};

/**
 * The BPMN activity type a task or approval was imported as ("Service task"), or null when it
 * has none beyond a plain task: the badge that keeps a model's task types visible.
 */
export function activityTypeLabel(step: Step): string | null {
  if (step.kind !== 'task' && step.kind !== 'approval') return null;
  const type = step.bpmn?.type;
  return (type && ACTIVITY_TYPE_LABEL[type]) ?? null;
}

/** A trigger in words, as a screen reader hears it ("Timer boundary event on …"). */
export const TRIGGER_WORDS: Readonly<Record<BoundaryTrigger, string>> = {
  timer: 'Timer',
  error: 'Error',
  message: 'Message',
  escalation: 'Escalation',
  signal: 'Signal',
  conditional: 'Conditional',
  compensation: 'Compensation',
  cancel: 'Cancel',
  none: 'Untyped',
};

/**
 * The words a screen reader hears for a boundary event: its trigger, the activity it sits on,
 * its name, and whether it interrupts the activity.
 */
export function boundaryAriaLabel(step: Step, hostLabel: string): string {
  const trigger = step.boundary?.trigger ?? 'none';
  const interrupting = step.boundary?.interrupting !== false;
  const name = step.label.trim() === '' ? '' : `: ${step.label}`;
  return `${TRIGGER_WORDS[trigger]} boundary event on ${hostLabel}${name}, ${
    interrupting ? 'interrupting' : 'non-interrupting'
  }`;
}
