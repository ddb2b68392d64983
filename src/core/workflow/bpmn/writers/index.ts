/**
 * The BPMN writers, in the order an export runs them: first the semantic elements, then their
 * diagram interchange. Adding a BPMN element means adding a writer here (and, for a new kind of
 * flow node, an entry of FLOW_NODE_KINDS in flowNodes.ts), not editing the walk.
 *
 * The order is part of the output: ids are handed out as the writers run (a wanted id that is
 * taken gets a suffix), and a writer reads what those before it wrote (a lane names its steps'
 * elements; a diagram writer draws the shapes the ones before it placed). Reordering changes the
 * exported bytes, which the golden test (exportBpmn.golden.test.ts) catches.
 */

import { annotationShapeWriter, annotationWriter } from './annotations.ts';
import type { BpmnWriter } from './context.ts';
import { dataAssociationEdgeWriter, dataAssociationWriter } from './dataAssociations.ts';
import { dataObjectWriter, dataShapeWriter } from './dataObjects.ts';
import { definitionsWriter } from './definitions.ts';
import { flowNodeShapeWriter, flowNodeWriter } from './flowNodes.ts';
import { groupShapeWriter, groupWriter } from './groups.ts';
import { laneShapeWriter, laneWriter } from './lanes.ts';
import { messageEdgeWriter, messageFlowWriter, poolMessageWriter } from './messages.ts';
import { collaborationWriter, poolShapeWriter, poolWriter, processIdWriter } from './pools.ts';
import { processDataWriter } from './processData.ts';
import { sequenceFlowEdgeWriter, sequenceFlowWriter } from './sequenceFlows.ts';

/** The semantic writers: BPMN's elements, in id order. */
export const SEMANTIC_WRITERS: readonly BpmnWriter[] = [
  flowNodeWriter,
  laneWriter,
  processIdWriter,
  sequenceFlowWriter,
  dataObjectWriter,
  processDataWriter,
  dataAssociationWriter,
  annotationWriter,
  groupWriter,
  poolMessageWriter,
  poolWriter,
  messageFlowWriter,
  collaborationWriter,
];

/** The diagram writers: shapes before the edges routed around them, the diagrams last. */
export const DIAGRAM_WRITERS: readonly BpmnWriter[] = [
  poolShapeWriter,
  laneShapeWriter,
  flowNodeShapeWriter,
  dataShapeWriter,
  sequenceFlowEdgeWriter,
  dataAssociationEdgeWriter,
  annotationShapeWriter,
  groupShapeWriter,
  messageEdgeWriter,
  definitionsWriter,
];

/** Every writer, in the order an export runs them. */
export const BPMN_WRITERS: readonly BpmnWriter[] = [...SEMANTIC_WRITERS, ...DIAGRAM_WRITERS];

export type { BpmnWriter, ExportContext } from './context.ts';
export { createExportContext } from './context.ts';
export { FLOW_NODE_KINDS } from './flowNodes.ts';
export { isLanelessPool, type PoolGroup, poolGroups } from './poolGroups.ts';
export { elementTypeOf, qualified } from './stepTypes.ts';
export {
  boundarySide,
  boundaryWaypoints,
  edgeWaypoints,
  messageWaypoints,
  routedMessageWaypoints,
  routedWaypoints,
} from './waypoints.ts';
