/**
 * Text annotations: artifacts of the page and pool of their first step, with an association to
 * each of their steps on that page (a renderer draws an association only between shapes of one
 * page); drawn where annotationPlacement.ts puts them.
 */

import { associationRoute } from '../../routeGeometry.ts';
import { annotationRects } from './annotationPlacement.ts';
import { type BpmnWriter, into } from './context.ts';
import { edge, onPage, shape } from './diagramParts.ts';
import { associationObstacles } from './obstacles.ts';

/** Each annotation and its associations. */
export const annotationWriter: BpmnWriter = {
  id: 'annotations',
  writes: ['bpmn:TextAnnotation', 'bpmn:Association'],
  describe: 'each note as a text annotation joined to its steps',
  write(ctx) {
    const { moddle, pages, stepElements } = ctx;
    for (const annotation of ctx.workflow.annotations ?? []) {
      const steps = (annotation.steps ?? []).filter((id) => stepElements.has(id));
      const page = pages.pageOfStep(steps[0]);
      const group = steps[0] !== undefined ? pages.groupOfStep(steps[0]) : ctx.firstWithSteps;
      const element = moddle.create('bpmn:TextAnnotation', {
        id: ctx.allocate(annotation.id),
        text: annotation.text,
      });
      into(ctx, page, group, element, true);
      const links = steps
        .filter((id) => pages.pageOfStep(id) === page)
        .map((id) => {
          const link = moddle.create('bpmn:Association', {
            id: ctx.allocate(`Association_${stepElements.get(id)?.element.id ?? id}_${element.id}`),
            sourceRef: stepElements.get(id)?.element,
            targetRef: element,
          });
          into(ctx, page, group, link, true);
          return { element: link, step: id };
        });
      ctx.annotationElements.push({ element, annotation, links, ...(page !== undefined ? { page } : {}) });
    }
  },
};

/** Each annotation's shape, then the edges of its associations. */
export const annotationShapeWriter: BpmnWriter = {
  id: 'annotation-shapes',
  writes: ['bpmndi:BPMNShape', 'bpmndi:BPMNEdge'],
  describe: 'each annotation drawn, with its associations routed around the shapes of the page',
  write(ctx) {
    const boxes = associationObstacles(ctx);
    for (const { element, page, links, rect } of annotationRects(ctx)) {
      onPage(ctx, page).push(shape(ctx, element, rect));
      for (const link of links) {
        const from = ctx.shapeOf.get(link.step);
        if (!from) continue;
        onPage(ctx, page).push(edge(ctx, link.element, associationRoute(from, rect, boxes.get(page) ?? [])));
      }
    }
  },
};
