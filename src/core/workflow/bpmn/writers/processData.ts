/**
 * A process's data inputs and outputs: a document the case arrives with (`io: 'input'`) or leaves
 * with (`io: 'output'`) is a `bpmn:DataInput` or `bpmn:DataOutput` of the input/output
 * specification of its pool's process, drawn on the process's page as a document is; the steps
 * that read or write it have data associations from or to it (dataAssociations.ts). A document
 * drawn inside a sub-process or more than once is a data object (dataObjects.ts): a process's
 * inputs and outputs belong to the process and are drawn once beside it.
 */

import type { DataObject } from '../../../../formats/workflow.ts';
import { processDataOf } from '../../documents.ts';
import type { BpmnWriter, ExportContext, ModdleElement } from './context.ts';

/** Whether a document is written as a data input or output of its process. */
export function isProcessData(document: DataObject): boolean {
  return processDataOf(document) !== undefined;
}

/** The pool of the first step that writes or reads a document, else the workflow's own. */
function groupOf(ctx: ExportContext, document: DataObject): number {
  const user = [...(document.writtenBy ?? []), ...(document.readBy ?? [])].find((id) =>
    ctx.stepsById.has(id),
  );
  return user !== undefined ? ctx.pages.groupOfStep(user) : ctx.firstWithSteps;
}

/** Each process's data inputs and outputs, in an input/output specification per process. */
export const processDataWriter: BpmnWriter = {
  id: 'process-data',
  writes: [
    'bpmn:InputOutputSpecification',
    'bpmn:DataInput',
    'bpmn:DataOutput',
    'bpmn:InputSet',
    'bpmn:OutputSet',
  ],
  describe: 'each document a case arrives or leaves with, as a data input or output of its process',
  write(ctx) {
    const { moddle } = ctx;
    const byGroup = new Map<number, { inputs: ModdleElement[]; outputs: ModdleElement[] }>();
    for (const document of ctx.workflow.dataObjects ?? []) {
      const io = processDataOf(document);
      if (io === undefined) continue;
      const input = io === 'input';
      const element = moddle.create(input ? 'bpmn:DataInput' : 'bpmn:DataOutput', {
        id: ctx.allocate(document.id),
        name: document.label,
      });
      const group = groupOf(ctx, document);
      const entry = byGroup.get(group) ?? { inputs: [], outputs: [] };
      (input ? entry.inputs : entry.outputs).push(element);
      byGroup.set(group, entry);
      ctx.dataElements.set(document.id, { element, data: document });
    }
    for (const [group, { inputs, outputs }] of [...byGroup].sort(([a], [b]) => a - b)) {
      const id = ctx.allocate(`${ctx.processId}_io`);
      // BPMN asks for an input set and an output set, which list the inputs and outputs
      ctx.ioSpecifications.set(
        group,
        moddle.create('bpmn:InputOutputSpecification', {
          id,
          dataInputs: inputs,
          dataOutputs: outputs,
          inputSets: [
            moddle.create('bpmn:InputSet', { id: ctx.allocate(`${id}_inputs`), dataInputRefs: inputs }),
          ],
          outputSets: [
            moddle.create('bpmn:OutputSet', { id: ctx.allocate(`${id}_outputs`), dataOutputRefs: outputs }),
          ],
        }),
      );
    }
  },
};
