/**
 * Events that join steps without a sequence flow: a sub-process's inner starts follow it (an
 * event sub-process is entered by its event); a boundary event's exception path leaves its
 * activity; a link throw event goes on at its link catch event; a compensation boundary event's
 * handler (joined to it by an association) follows it. Their flows come after the sequence
 * flows', in this order.
 */

import type { BoundaryTrigger } from '../../../../formats/workflow.ts';
import type { El } from '../model.ts';
import type { BpmnReader, ImportContext, PendingStep } from './context.ts';
import { addFlow, entriesOf } from './sequenceFlows.ts';

const TRIGGERS: Record<string, BoundaryTrigger> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:CancelEventDefinition': 'cancel',
};

/** What sets off an event (its first event definition Preflight knows; `none` without one). */
function triggerOf(element: El | undefined): BoundaryTrigger {
  for (const definition of element?.eventDefinitions ?? []) {
    const trigger = TRIGGERS[definition.$type];
    if (trigger) return trigger;
  }
  return 'none';
}

function triggerIsLink(element: El): boolean {
  return (element.eventDefinitions ?? []).some((d) => d.$type === 'bpmn:LinkEventDefinition');
}

/** A flattened sub-process is followed by its inner starts; an event sub-process is entered by its event. */
export const subProcessEntryReader: BpmnReader = {
  id: 'sub-process-entries',
  reads: ['bpmn:subProcess', 'bpmn:transaction', 'bpmn:adHocSubProcess'],
  describe: 'a flow from each sub-process to its inner first steps; an event sub-process starts on its event',
  read(ctx) {
    for (const [container] of ctx.inner) {
      const own = ctx.stepOf.get(container);
      if (!own) continue;
      const entries = entriesOf(ctx, container);
      for (const entry of entries) addFlow(ctx, own, entry, undefined);
      // an event sub-process starts when its event happens, not after the step before it
      if (container.triggeredByEvent) {
        const start = entries[0]?.element;
        own.step.boundary = {
          trigger: triggerOf(start),
          interrupting: start?.isInterrupting !== false,
        };
      }
    }
  },
};

/** A boundary event is a wait on its activity's exception path. */
export const boundaryEventReader: BpmnReader = {
  id: 'boundary-events',
  reads: ['bpmn:boundaryEvent'],
  describe: 'each boundary event as a wait reached from its activity, with its trigger',
  read(ctx) {
    for (const pending of ctx.steps) {
      const host = pending.element.attachedToRef;
      const hostStep = host ? ctx.stepOf.get(host) : undefined;
      if (!hostStep) continue;
      // a boundary event sits on its activity's border, on the activity's page, even when a tool
      // wrote it inside the sub-process it is attached to (bpmn-js lets one drop it there)
      if (pending.container === host) {
        if (hostStep.container) pending.container = hostStep.container;
        else delete pending.container;
        if (hostStep.step.within !== undefined) pending.step.within = hostStep.step.within;
        else delete pending.step.within;
      }
      // the exception path's chance and transfer, when Preflight wrote them on the event
      addFlow(ctx, hostStep, pending, pending.element);
      pending.step.boundary = {
        attachedTo: hostStep.step.id,
        trigger: triggerOf(pending.element),
        interrupting: pending.element.cancelActivity !== false,
      };
    }
  },
};

/** A link throw event is joined to its link catch event. */
export const linkEventReader: BpmnReader = {
  id: 'link-events',
  reads: ['bpmn:linkEventDefinition', 'bpmn:source', 'bpmn:target'],
  describe: 'a flow from each link throw event to its link catch event (by reference, else by name)',
  read: linkEvents,
};

/** A compensation boundary event's handler follows it. */
export const compensationReader: BpmnReader = {
  id: 'compensation',
  reads: ['bpmn:compensateEventDefinition'],
  describe: 'a flow from each compensation boundary event to its handler (the association between them)',
  read: compensationHandlers,
};

/**
 * A link throw event goes on at its link catch event (BPMN's go-to across a page): the pair is
 * connected by a flow. The catch is the one its link definition names as `target` (or whose
 * definition names it as a `source`), else the one of the same name at the same level (the same
 * sub-process, else the process): the definitions' names, else the events' names, else any name
 * one gives matching any the other gives (a tool that names only the definition on one side).
 */
function linkEvents(ctx: ImportContext): void {
  const definitionOf = (element: El): El | undefined =>
    (element.eventDefinitions ?? []).find((d) => d.$type === 'bpmn:LinkEventDefinition');
  const names = (element: El): string[] =>
    [definitionOf(element)?.name?.trim(), element.name?.trim()].filter((n): n is string => !!n);
  const catches = ctx.steps.filter(
    (p) => p.element.$type === 'bpmn:IntermediateCatchEvent' && triggerIsLink(p.element),
  );
  for (const thrower of ctx.steps) {
    if (thrower.element.$type !== 'bpmn:IntermediateThrowEvent' || !triggerIsLink(thrower.element)) continue;
    const target = linkCatchOf(thrower, catches, definitionOf, names);
    if (target) addFlow(ctx, thrower, target, undefined);
    else
      ctx.drop(
        thrower.element,
        'the link to its paired link event',
        'no link catch event of the same name is in its process; connect the two steps with a flow',
        'bpmn:intermediateThrowEvent/bpmn:linkEventDefinition',
      );
  }
}

/** The link catch event a link throw event goes on at (see {@link linkEvents}). */
function linkCatchOf(
  thrower: PendingStep,
  catches: readonly PendingStep[],
  definitionOf: (element: El) => El | undefined,
  names: (element: El) => string[],
): PendingStep | undefined {
  const throwDefinition = definitionOf(thrower.element);
  const referenced = catches.find((c) => {
    const catchDefinition = definitionOf(c.element);
    if (throwDefinition === undefined || catchDefinition === undefined) return false;
    return (
      throwDefinition.target === catchDefinition ||
      (Array.isArray(catchDefinition.source) && catchDefinition.source.includes(throwDefinition))
    );
  });
  if (referenced) return referenced;
  const level = catches.filter((c) => c.process === thrower.process && c.container === thrower.container);
  const own = names(thrower.element);
  if (own.length === 0) return undefined;
  const first = (match: (theirs: string[]) => boolean) => level.find((c) => match(names(c.element)));
  return (
    first((theirs) => theirs[0] === own[0]) ?? first((theirs) => theirs.some((name) => own.includes(name)))
  );
}

/** A compensation boundary event's handler (joined to it by an association) follows it. */
function compensationHandlers(ctx: ImportContext): void {
  for (const artifact of ctx.artifacts) {
    if (artifact.$type !== 'bpmn:Association') continue;
    const source = artifact.sourceRef ? ctx.stepOf.get(artifact.sourceRef) : undefined;
    const target = artifact.targetRef ? ctx.stepOf.get(artifact.targetRef) : undefined;
    if (!source || !target || source.step.boundary?.trigger !== 'compensation') continue;
    addFlow(ctx, source, target, artifact);
    ctx.compensationLinks.add(artifact);
  }
}
