/**
 * The drawing (BPMN DI): the bounds of each shape, which give steps, data and artifacts their
 * places; lanes drawn vertically turn every position by 90°.
 */

import { EXPORTER, isA } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';

/** The shapes of every diagram (a sub-process's own page of another tool's is left to the layout). */
export const diagramReader: BpmnReader = {
  id: 'diagram',
  reads: ['bpmndi:BPMNDiagram', 'bpmndi:BPMNPlane', 'bpmndi:BPMNShape'],
  describe: 'the place and size each shape was drawn at, and whether lanes were drawn vertically',
  read: readDiagrams,
};

function readDiagrams(ctx: ImportContext): void {
  for (const diagram of ctx.definitions.diagrams ?? []) {
    // A plane of a sub-process (a collapsed sub-process drawn on its own page, as bpmn.io does)
    // has coordinates of its own: its steps get no position rather than one on top of the main
    // drawing, and are laid out with the rest.
    // Preflight's own pages hold the inner steps at their places in the workflow's drawing.
    const subProcessPage = diagram.plane?.bpmnElement && isA(diagram.plane.bpmnElement, 'bpmn:SubProcess');
    if (subProcessPage && ctx.definitions.exporter !== EXPORTER) continue;
    for (const shape of diagram.plane?.planeElement ?? []) {
      const target = shape.bpmnElement;
      if (shape.$type !== 'bpmndi:BPMNShape' || !target?.id || !shape.bounds) continue;
      if (!ctx.shapes.has(target.id)) ctx.shapes.set(target.id, { bounds: shape.bounds, element: target });
      const isLaneOrPool = target.$type === 'bpmn:Lane' || target.$type === 'bpmn:Participant';
      if (isLaneOrPool && shape.isHorizontal === false && !ctx.transpose) {
        ctx.transpose = true;
        ctx.drop(
          target,
          'the vertical orientation of its lanes',
          'Preflight draws lanes as horizontal bands; the positions are turned by 90°',
          'bpmndi:BPMNShape@isHorizontal',
        );
      }
    }
  }
}
