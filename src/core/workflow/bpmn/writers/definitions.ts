/**
 * The file's root: a `bpmndi:BPMNDiagram` per page (the collaboration's, then each collapsed
 * sub-process's, which bpmn-js opens as a drill-down), and the `bpmn:Definitions` that holds the
 * collaboration, the processes, the data stores, the categories and the diagrams.
 */

import { EXPORTER } from '../model.ts';
import type { BpmnWriter } from './context.ts';

/** Target namespace of exported definitions. */
const TARGET_NAMESPACE = 'urn:preflight:workflow';

/** The diagrams and the definitions around everything written. */
export const definitionsWriter: BpmnWriter = {
  id: 'definitions',
  writes: ['bpmndi:BPMNDiagram', 'bpmndi:BPMNPlane', 'bpmn:Definitions'],
  describe: 'a diagram per page, and the definitions that hold every root element',
  write(ctx) {
    const { moddle, processId, collaboration } = ctx;
    const diagrams = [...ctx.pageElements].map(([page, planeElement]) => {
      const owner = page === undefined ? collaboration : ctx.stepElements.get(page)?.element;
      const base = page === undefined ? processId : (owner?.id ?? page);
      return moddle.create('bpmndi:BPMNDiagram', {
        id: ctx.allocate(`${base}_diagram`),
        plane: moddle.create('bpmndi:BPMNPlane', {
          id: ctx.allocate(`${base}_plane`),
          bpmnElement: owner,
          planeElement,
        }),
      });
    });
    ctx.definitions = moddle.create('bpmn:Definitions', {
      id: ctx.allocate(`${processId}_definitions`),
      targetNamespace: TARGET_NAMESPACE,
      exporter: EXPORTER,
      ...(ctx.groups.length > 1 ? { name: ctx.workflow.name } : {}),
      rootElements: [collaboration, ...ctx.processes, ...ctx.dataStores, ...ctx.categories],
      diagrams,
    });
  },
};
