/**
 * The BPMN readers, in the order an import runs them, as the writers (../writers/index.ts) are
 * for export: first what the file holds (its pools and processes, its drawing, the walk over each
 * process's flow elements by {@link FLOW_ELEMENT_READERS}), then what joins the steps (lanes,
 * messages, flows, events, gateways), then what is kept beside them (the elements steps were,
 * annotations and groups, other tools' extensions), the workflow last. Reading a new BPMN
 * element means adding a reader here, not editing the import.
 *
 * The order is part of the result: ids are handed out as the readers meet elements, flows are
 * listed in the order they are made, and what is not carried over in the order it is met.
 */

import { artifactReader } from './artifacts.ts';
import type { BpmnReader, ImportContext } from './context.ts';
import { diagramReader } from './diagram.ts';
import { elementTypeReader } from './elementTypes.ts';
import { boundaryEventReader, compensationReader, linkEventReader, subProcessEntryReader } from './events.ts';
import { FLOW_ELEMENT_READERS } from './flowElements.ts';
import { gatewayReader } from './gateways.ts';
import { laneReader } from './lanes.ts';
import { messageFlowReader } from './messages.ts';
import { definitionsReader, poolReader } from './pools.ts';
import { sequenceFlowReader } from './sequenceFlows.ts';
import { vendorExtensionReader } from './vendorExtensions.ts';
import { workflowReader } from './workflow.ts';

/** The readers of the document, in the order an import runs them. */
export const DOCUMENT_READERS: readonly BpmnReader[] = [
  definitionsReader,
  diagramReader,
  poolReader,
  laneReader,
  messageFlowReader,
  sequenceFlowReader,
  subProcessEntryReader,
  boundaryEventReader,
  linkEventReader,
  compensationReader,
  gatewayReader,
  elementTypeReader,
  artifactReader,
  vendorExtensionReader,
  workflowReader,
];

/** Every reader: the document's, then the flow elements' (which the pools reader's walk runs). */
export const BPMN_READERS: readonly BpmnReader[] = [...DOCUMENT_READERS, ...FLOW_ELEMENT_READERS];

/** The BPMN elements the readers always read, by tag (what the account counts as used). */
export const READ_ELEMENTS: ReadonlySet<string> = new Set(BPMN_READERS.flatMap((reader) => reader.reads));

/** Runs the document readers in order; a reader that finds nothing to read ends the run. */
export function runReaders(ctx: ImportContext): void {
  for (const reader of DOCUMENT_READERS) {
    reader.read(ctx);
    if (ctx.finished) return;
  }
}

export type { BpmnReader } from './context.ts';
export { ImportContext } from './context.ts';
export { FLOW_ELEMENT_READERS, type FlowElementReader } from './flowElements.ts';
