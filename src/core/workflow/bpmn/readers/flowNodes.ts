/**
 * Flow nodes → steps: tasks of every flavour, call activities and sub-processes are tasks;
 * start and end events starts and ends (inside a sub-process, tasks); gateways decisions or
 * their split and join kinds; catch and boundary events waits. `preflight:step` gives what
 * Preflight wrote of the step; what the element carries beyond its step is listed.
 */

import {
  BOUNDARY_TRIGGERS,
  type BoundaryTrigger,
  GATEWAY_KINDS,
  type Step,
  type StepKind,
  type StepMedium,
} from '../../../../formats/workflow.ts';
import { type El, extensionOf, isA, localType, type PfStep } from '../model.ts';
import { readStepDetails } from '../stepDetails.ts';
import { finiteAtLeast0, humanType, type ImportContext, type PendingStep } from './context.ts';
import { readDataAssociations } from './dataAssociations.ts';

/** The step kinds `preflight:step kind` may name. */
export const STEP_KINDS: ReadonlySet<string> = new Set<StepKind>([
  'start',
  'end',
  'task',
  'decision',
  'approval',
  'wait',
  ...GATEWAY_KINDS,
]);
const MEDIA: ReadonlySet<string> = new Set<StepMedium>(['paper', 'fax', 'phone', 'verbal', 'digital']);
const BOUNDARY_TRIGGER_SET = new Set<string>(BOUNDARY_TRIGGERS);

/**
 * Gateway types that become decisions, with a note on how their meaning differs (parallel and
 * inclusive gateways have step kinds of their own: see gateways.ts).
 */
const GATEWAY_NOTES: Record<string, string> = {
  ExclusiveGateway: '',
  EventBasedGateway:
    'BPMN event-based gateway: the first event to happen decides the branch; set the branch probabilities.',
  ComplexGateway: 'BPMN complex gateway: its activation rule is not carried over.',
};

/** `observed` JSON text of a preflight:step as an object, or undefined when it is none. */
function parsedObserved(text: string): Step['observed'] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Step['observed'])
      : undefined;
  } catch {
    return undefined;
  }
}

/** The step kind of a flow node, with a note on what the kind does not say. */
function kindOf(element: El, container: El | undefined): { kind: StepKind; note?: string } {
  const type = localType(element);
  if (type === 'StartEvent') {
    return container ? { kind: 'task', note: 'Start of the sub-process it follows.' } : { kind: 'start' };
  }
  if (type === 'EndEvent') {
    // an event sub-process has no way out: the case's path ends with it
    return container && !container.triggeredByEvent
      ? { kind: 'task', note: 'End of a sub-process.' }
      : { kind: 'end' };
  }
  if (type === 'IntermediateCatchEvent' || type === 'BoundaryEvent') return { kind: 'wait' };
  if (type === 'IntermediateThrowEvent') return { kind: 'task', note: 'BPMN intermediate throw event.' };
  // split or join is settled once the flows are known (gateways.ts)
  if (type === 'ParallelGateway') return { kind: 'parallel-split' };
  if (type === 'InclusiveGateway') return { kind: 'inclusive-split' };
  if (isA(element, 'bpmn:Gateway')) {
    const note = GATEWAY_NOTES[type] ?? `BPMN ${humanType(element).toLowerCase()}.`;
    return note ? { kind: 'decision', note } : { kind: 'decision' };
  }
  if (type === 'CallActivity') {
    const called = element.calledElement;
    return { kind: 'task', note: called ? `Calls "${called}".` : 'BPMN call activity.' };
  }
  if (isA(element, 'bpmn:SubProcess')) {
    return { kind: 'task', note: 'BPMN sub-process: its inner steps follow it.' };
  }
  return { kind: 'task' };
}

/** Reads a flow node as a step of `process` (inside `container`, a flattened sub-process). */
export function addStep(ctx: ImportContext, element: El, process: El, container: El | undefined): void {
  const ext = extensionOf<PfStep>(element, 'preflight:Step');
  const mapped = kindOf(element, container);
  let kind = mapped.kind;
  if (ext?.kind !== undefined) {
    if (STEP_KINDS.has(ext.kind)) kind = ext.kind as StepKind;
    else ctx.warnExtension(element, `preflight:step kind is not a step kind; "${kind}" is used`);
  }
  let medium: StepMedium = element.$type === 'bpmn:ManualTask' ? 'paper' : 'digital';
  if (ext?.medium !== undefined) {
    if (MEDIA.has(ext.medium)) medium = ext.medium as StepMedium;
    else ctx.warnExtension(element, `preflight:step medium is not a medium; "${medium}" is used`);
  }
  const number = (name: 'touchMin' | 'waitMin' | 'clicks'): number => {
    const value = ext?.[name];
    if (value === undefined) return 0;
    if (finiteAtLeast0(value) && (name !== 'clicks' || Number.isInteger(value))) return value;
    ctx.warnExtension(element, `preflight:step ${name} is not a number ≥ 0; 0 is used`);
    return 0;
  };

  let id = ext?.id || element.id || `${localType(element)}`;
  if (ctx.stepIds.has(id) && element.id && !ctx.stepIds.has(element.id)) id = element.id;
  for (let n = 2, base = id; ctx.stepIds.has(id); n++) id = `${base}-${n}`;
  ctx.stepIds.add(id);

  const name = element.name;
  const step: Step = {
    id,
    label: name !== undefined && name.trim() !== '' ? name : humanType(element),
    lane: '', // resolved once every lane and host is known (resolveLanes)
    kind,
    medium,
    system: ext?.system ?? '',
    touchMin: number('touchMin'),
    waitMin: number('waitMin'),
    clicks: number('clicks'),
    enters: (ext?.enters ?? []).filter((item) => item !== ''),
  };
  if (ext?.replaces && ext.replaces.length > 0) step.replaces = [...ext.replaces];
  if (ext?.observed !== undefined) {
    const observed = parsedObserved(ext.observed);
    if (observed) step.observed = observed;
    else ctx.warnExtension(element, 'preflight:step observed is not an object in JSON; left out');
  }
  if (ext?.trigger !== undefined) {
    if (BOUNDARY_TRIGGER_SET.has(ext.trigger)) {
      step.boundary = {
        ...(ext.attachedTo ? { attachedTo: ext.attachedTo } : {}),
        trigger: ext.trigger as BoundaryTrigger,
        interrupting: ext.interrupting !== false,
      };
    } else ctx.warnExtension(element, 'preflight:step trigger is not an event trigger; left out');
  }
  const notes = (element.documentation ?? [])
    .map((doc) => doc.text ?? '')
    .filter((note) => note.trim() !== '');
  if (mapped.note && !ext) notes.push(mapped.note);
  const shape = element.id ? ctx.shapes.get(element.id) : undefined;
  if (shape) {
    step.position = ctx.positionOf(shape.bounds);
    const size = ctx.drawnSizeOf(element, shape.bounds);
    if (size) step.size = size;
  }

  const containerStep = container ? ctx.stepOf.get(container) : undefined;
  if (containerStep) step.within = containerStep.step.id;
  else if (ext?.within) step.within = ext.within;
  const extras = readStepDetails(element, step, {
    tag: ctx.tagOf(element),
    uriOf: ctx.uriOf,
    account: ctx.account,
    ownWait: ext?.waitMin !== undefined,
  });
  const pending: PendingStep = {
    step,
    element,
    process,
    notes,
    ...(container ? { container } : {}),
    ...(extras ? { extras } : {}),
  };
  ctx.steps.push(pending);
  ctx.stepOf.set(element, pending);
  listLost(ctx, element);
}

/** Lists what an activity or event carries beyond its step. */
function listLost(ctx: ImportContext, element: El): void {
  const type = localType(element);
  if (type === 'InclusiveGateway' && element.default) {
    ctx.drop(
      element,
      'its default flow',
      'a Preflight inclusive split takes each branch by its own chance; give the default branch its chance on the flow',
      'bpmn:inclusiveGateway@default',
    );
  }
  if (
    type !== 'ExclusiveGateway' &&
    type !== 'ParallelGateway' &&
    type !== 'InclusiveGateway' &&
    isA(element, 'bpmn:Gateway')
  ) {
    ctx.drop(
      element,
      `the ${humanType(element).toLowerCase()} semantics`,
      'Preflight decisions take exactly one branch per case; the gateway is kept as a decision with a note',
    );
  }
  if (element.loopCharacteristics) {
    ctx.drop(
      element,
      'its loop or multi-instance marker',
      'Preflight counts one visit per step; set touch minutes to the total of the repetitions',
      `${ctx.tagOf(element)}/${ctx.tagOf(element.loopCharacteristics)}`,
    );
  }
  readDataAssociations(ctx, element);
}
