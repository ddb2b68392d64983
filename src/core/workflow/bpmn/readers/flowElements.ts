/**
 * The walk over a process's (or sub-process's) flow elements: each element goes to the first
 * reader of {@link FLOW_ELEMENT_READERS} that takes it, in the file's order, so steps, data and
 * what is not carried over are met in the order the file gives them.
 */

import { FLOW_NODES } from '../account.ts';
import { type El, isA } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';
import { addDataRef } from './dataObjects.ts';
import { addStep } from './flowNodes.ts';
import { importLaneSet } from './lanes.ts';

/** Where a flow element is: its process, and the flattened sub-process it is inside. */
export interface FlowElementPlace {
  process: El;
  container: El | undefined;
}

/** A reader of one kind of flow element, which the walk hands each element it takes. */
export interface FlowElementReader extends BpmnReader {
  takes(ctx: ImportContext, element: El): boolean;
  readElement(ctx: ImportContext, element: El, place: FlowElementPlace): void;
}

/** Flow elements are read by the walk, not on their own. */
const byTheWalk = (): void => {};

/** Sequence flows are collected; they become flows once every step is known (sequenceFlows.ts). */
export const sequenceFlowCollector: FlowElementReader = {
  id: 'sequence-flow-elements',
  reads: ['bpmn:sequenceFlow'],
  describe: 'each sequence flow, kept for when every step is known',
  read: byTheWalk,
  takes: (_, element) => element.$type === 'bpmn:SequenceFlow',
  readElement(ctx, element) {
    ctx.sequenceFlows.push(element);
  },
};

/** A flow node is a step; a sub-process's own flow elements, artifacts and lanes are walked too. */
export const flowNodeReader: FlowElementReader = {
  id: 'flow-nodes',
  reads: [
    ...FLOW_NODES,
    // what an activity reads and writes (dataAssociations.ts)
    'bpmn:dataInputAssociation',
    'bpmn:dataOutputAssociation',
    'bpmn:sourceRef',
    'bpmn:targetRef',
  ],
  describe: 'each activity, event and gateway as a step; a sub-process’s steps follow it',
  read: byTheWalk,
  takes: (_, element) => isA(element, 'bpmn:FlowNode'),
  readElement(ctx, element, { process, container }) {
    addStep(ctx, element, process, container);
    if (!isA(element, 'bpmn:SubProcess')) return;
    const children = (element.flowElements ?? []).filter((child) => isA(child, 'bpmn:FlowNode'));
    if (children.length > 0) ctx.inner.set(element, children);
    walk(ctx, element.flowElements ?? [], process, element);
    ctx.artifacts.push(...(element.artifacts ?? []));
    for (const laneSet of element.laneSets ?? [])
      importLaneSet(ctx, laneSet, '', ctx.nameOf(element, 'Lane'));
  },
};

/** A data object or data store reference is a data object of the workflow (dataObjects.ts). */
export const dataReferenceReader: FlowElementReader = {
  id: 'data-references',
  reads: ['bpmn:dataObjectReference', 'bpmn:dataStoreReference'],
  describe: 'each data object or data store reference, as a data object of the workflow',
  read: byTheWalk,
  takes: (_, element) =>
    element.$type === 'bpmn:DataObjectReference' || element.$type === 'bpmn:DataStoreReference',
  readElement(ctx, element, { container }) {
    addDataRef(ctx, element, container);
  },
};

/** A data object that a reference draws is read through its references; one nothing draws is listed. */
export const dataObjectReader: FlowElementReader = {
  id: 'data-objects',
  reads: ['bpmn:dataObject', 'bpmn:dataStore'],
  describe: 'a data object its references draw (read through them); one nothing draws is not carried over',
  read: byTheWalk,
  takes: (_, element) => isA(element, 'bpmn:ItemAwareElement') || element.$type === 'bpmn:DataObject',
  readElement(ctx, element) {
    // the data object is what its references (the drawn shapes) stand for: kept through them
    if (element.$type === 'bpmn:DataObject' && isReferenced(ctx, element)) return;
    ctx.drop(
      element,
      'a data object or data store',
      'Preflight describes the work, not the documents it uses; note the data items a step types under "enters"',
    );
  },
};

/** Any other flow element: listed as not carried over. */
export const otherFlowElementReader: FlowElementReader = {
  id: 'other-flow-elements',
  reads: [],
  describe: 'any other flow element: not carried over, with its type',
  read: byTheWalk,
  takes: () => true,
  readElement(ctx, element) {
    ctx.drop(element, `an element of type ${element.$type}`, 'Preflight has no equivalent for it');
  },
};

/** The walk's readers, the first that takes an element reading it. */
export const FLOW_ELEMENT_READERS: readonly FlowElementReader[] = [
  sequenceFlowCollector,
  flowNodeReader,
  dataReferenceReader,
  dataObjectReader,
  otherFlowElementReader,
];

/** Reads `elements` in order, each by the first reader that takes it. */
export function walk(ctx: ImportContext, elements: El[], process: El, container: El | undefined): void {
  for (const element of elements) {
    const reader = FLOW_ELEMENT_READERS.find((candidate) => candidate.takes(ctx, element));
    reader?.readElement(ctx, element, { process, container });
  }
}

function isReferenced(ctx: ImportContext, dataObject: El): boolean {
  return Object.values(ctx.byId).some(
    (other) => other.$type === 'bpmn:DataObjectReference' && other.dataObjectRef === dataObject,
  );
}
