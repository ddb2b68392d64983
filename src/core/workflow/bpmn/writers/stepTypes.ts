/** The BPMN element a step is written as. */

import type { BpmnElementType, Step } from '../../../../formats/workflow.ts';
import { elementOf, SUB_PROCESS_ELEMENTS } from '../elements.ts';
import type { BpmnStructure } from '../structure.ts';

/** `userTask` → `bpmn:UserTask`. */
export function qualified(local: string): string {
  return `bpmn:${local.charAt(0).toUpperCase()}${local.slice(1)}`;
}

/**
 * The local element type a step is written as in its workflow: a boundary event when attached to
 * an activity (structure.ts), a sub-process when it holds steps, else the element its import or
 * its kind and medium give (elements.ts).
 */
export function elementTypeOf(structure: BpmnStructure, step: Step): string {
  if (structure.attached.has(step.id)) return 'boundaryEvent';
  const type = elementOf(step);
  if (structure.containers.has(step.id))
    return SUB_PROCESS_ELEMENTS.has(type as BpmnElementType) ? type : 'subProcess';
  // a boundary event that cannot be attached (structure.ts) is written in line
  return type === 'boundaryEvent' ? 'intermediateCatchEvent' : type;
}
