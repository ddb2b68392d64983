/**
 * Data associations: a step that reads a document has a `bpmn:DataInputAssociation` from it (onto
 * a placeholder property, bpmn.io's form), one that writes it a `bpmn:DataOutputAssociation`. An
 * association is drawn on the innermost page that shows both ends (pages.ts).
 */

import { associationRoute } from '../../routeGeometry.ts';
import { type BpmnWriter, extension, type ModdleElement } from './context.ts';
import { edge, onPage } from './diagramParts.ts';
import { associationObstacles } from './obstacles.ts';

/** The associations between documents and the steps that read or write them. */
export const dataAssociationWriter: BpmnWriter = {
  id: 'data-associations',
  writes: ['bpmn:DataInputAssociation', 'bpmn:DataOutputAssociation', 'bpmn:Property'],
  describe: 'each read and write of a document by a step, as bpmn.io writes them',
  write(ctx) {
    const { moddle, pages, stepElements } = ctx;
    for (const { element: primary, data, page: dataPage } of ctx.dataElements.values()) {
      for (const [list, reads] of [
        [data.readBy ?? [], true],
        [data.writtenBy ?? [], false],
      ] as const) {
        for (const stepId of list) {
          const inner = stepElements.get(stepId)?.element;
          if (!inner) continue;
          const page = pages.innermostCommonPage(dataPage, stepId);
          // A step on a page above the document's connects to the document's second reference there.
          const ref =
            (page !== dataPage ? ctx.secondElements.get(pages.secondKey(data.id, page)) : undefined) ??
            primary;
          // A step inside a collapsed sub-process that the document's page does not show: the
          // association belongs to the sub-process drawn there (a renderer draws an association
          // only between shapes of one page), and `preflight:dataLink` names the inner step.
          const shown = pages.shownOn(stepId, page) ?? stepId;
          const activity = stepElements.get(shown)?.element ?? inner;
          const link =
            activity !== inner && inner.id
              ? { extensionElements: extension(ctx, moddle.create('preflight:DataLink', { step: inner.id })) }
              : {};
          let association: ModdleElement;
          if (reads) {
            // bpmn.io's form: the input lands on a placeholder property of the activity
            const property = moddle.create('bpmn:Property', {
              id: ctx.allocate(`${activity.id}_in_${ref.id}`),
              name: '__targetRef_placeholder',
            });
            activity.properties = [...(activity.properties ?? []), property];
            association = moddle.create('bpmn:DataInputAssociation', {
              id: ctx.allocate(`DataInput_${ref.id}_${inner.id}`),
              sourceRef: [ref],
              targetRef: property,
              ...link,
            });
            activity.dataInputAssociations = [...(activity.dataInputAssociations ?? []), association];
          } else {
            association = moddle.create('bpmn:DataOutputAssociation', {
              id: ctx.allocate(`DataOutput_${inner.id}_${ref.id}`),
              targetRef: ref,
              ...link,
            });
            activity.dataOutputAssociations = [...(activity.dataOutputAssociations ?? []), association];
          }
          ctx.dataEdges.push({ element: association, data: data.id, step: stepId, reads });
        }
      }
    }
  },
};

/**
 * Each data association's edge, on the innermost page that shows both ends: a step on another
 * page docks on the collapsed sub-process that holds it there (as a message into a sub-process
 * is), a document on another page is its second reference there.
 */
export const dataAssociationEdgeWriter: BpmnWriter = {
  id: 'data-association-edges',
  writes: ['bpmndi:BPMNEdge'],
  describe: 'each data association drawn between its document and step, around the shapes of the page',
  write(ctx) {
    const { pages } = ctx;
    const boxes = associationObstacles(ctx);
    for (const { element, data, step, reads } of ctx.dataEdges) {
      const dataPage = ctx.dataElements.get(data)?.page;
      const page = pages.innermostCommonPage(dataPage, step);
      const dataRect =
        page === dataPage ? ctx.dataShapeOf.get(data) : ctx.secondShapeOf.get(pages.secondKey(data, page));
      const stepRect = ctx.shapeOf.get(pages.shownOn(step, page) ?? '');
      if (!dataRect || !stepRect) continue;
      const [from, to] = reads ? [dataRect, stepRect] : [stepRect, dataRect];
      onPage(ctx, page).push(edge(ctx, element, associationRoute(from, to, boxes.get(page) ?? [])));
    }
  },
};
