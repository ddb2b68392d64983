/**
 * The element each step was: kept in `step.bpmn` where export would write another one for the
 * step as it now stands (elements.ts), so the round trip keeps a service task a service task.
 */

import {
  BPMN_ELEMENT_TYPES,
  type BpmnElementType,
  type BpmnEventTrigger,
} from '../../../../formats/workflow.ts';
import { EVENT_DEFINITIONS } from '../account.ts';
import { defaultElementOf, defaultTriggerOf, EVENT_ELEMENTS, TRIGGER_OF_DEFINITION } from '../elements.ts';
import { localType } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';

const BPMN_ELEMENT_TYPE_SET = new Set<string>(BPMN_ELEMENT_TYPES);

/** The element type (and event trigger) of each step, where export would not write it so. */
export const elementTypeReader: BpmnReader = {
  id: 'element-types',
  // an event's definition is its trigger
  reads: EVENT_DEFINITIONS,
  describe: 'the element each step was (a service task, a message event…) where export would write another',
  read: recordElements,
};

/**
 * Records in `step.bpmn` the element each step was (a service task, a call activity, a message
 * event…) where export would write another one for the step as it now stands (elements.ts),
 * so the round trip keeps it. A boundary event attached to its activity needs none: its
 * `boundary` says it.
 */
function recordElements(ctx: ImportContext): void {
  for (const { step, element, extras } of ctx.steps) {
    const local = localType(element);
    const actual = `${local.charAt(0).toLowerCase()}${local.slice(1)}`;
    if (!BPMN_ELEMENT_TYPE_SET.has(actual)) continue;
    const type = actual as BpmnElementType;
    if (step.boundary?.attachedTo !== undefined && element.$type === 'bpmn:BoundaryEvent') {
      if (extras) step.bpmn = { type, ...extras };
      continue;
    }
    const expected = defaultElementOf(step);
    let trigger: BpmnEventTrigger | undefined;
    if (EVENT_ELEMENTS.has(type)) {
      const found =
        (element.eventDefinitions ?? [])
          .map((definition) => TRIGGER_OF_DEFINITION.get(definition.$type))
          .find((t) => t !== undefined) ?? 'none';
      if (found !== defaultTriggerOf(step, type)) trigger = found;
    }
    if (type !== expected || trigger !== undefined || extras)
      step.bpmn = { type, ...(trigger === undefined ? {} : { trigger }), ...extras };
  }
}
