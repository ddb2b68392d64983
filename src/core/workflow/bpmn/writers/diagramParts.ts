/**
 * Diagram interchange shared by the writers: a page's list of shapes and edges, whole-pixel
 * bounds, and the boxes documents are drawn in.
 */

import type { DataObject } from '../../../../formats/workflow.ts';
import { STEP_BOX } from '../geometry.ts';
import type { Box, ExportContext, ModdleElement } from './context.ts';

/** The diagram elements of a page, made when the page gets its first. */
export function onPage(ctx: ExportContext, page: string | undefined): unknown[] {
  let list = ctx.pageElements.get(page);
  if (!list) {
    list = [];
    ctx.pageElements.set(page, list);
  }
  return list;
}

/**
 * `dc:Bounds` in whole pixels, each edge rounded once: bpmn-js rounds a shape's position and size
 * apart, so a pool at y 44.5, 395.5 tall, would end at 441 and overlap the pool drawn from 440.
 */
export function bounds(ctx: ExportContext, rect: Box): ModdleElement {
  const x = Math.round(rect.x);
  const y = Math.round(rect.y);
  return ctx.moddle.create('dc:Bounds', {
    x,
    y,
    width: Math.round(rect.x + rect.width) - x,
    height: Math.round(rect.y + rect.height) - y,
  });
}

/** A `bpmndi:BPMNShape` of an element, its id the element's with `_di`. */
export function shape(
  ctx: ExportContext,
  element: ModdleElement,
  rect: Box,
  extra: Record<string, unknown> = {},
): ModdleElement {
  return ctx.moddle.create('bpmndi:BPMNShape', {
    id: ctx.allocate(`${element.id}_di`),
    bpmnElement: element,
    ...extra,
    bounds: bounds(ctx, rect),
  });
}

/** A `bpmndi:BPMNEdge` of an element along the given points. */
export function edge(
  ctx: ExportContext,
  element: ModdleElement,
  points: readonly { x: number; y: number }[],
) {
  return ctx.moddle.create('bpmndi:BPMNEdge', {
    id: ctx.allocate(`${element.id}_di`),
    bpmnElement: element,
    waypoint: points.map((point) => ctx.moddle.create('dc:Point', { ...point })),
  });
}

/** The shape of a data object (36×50) or store (50×50), centred in its box as a step's is. */
export function dataBounds(data: Pick<DataObject, 'kind'>, position: { x: number; y: number }): Box {
  const size = data.kind === 'store' ? { width: 50, height: 50 } : { width: 36, height: 50 };
  return {
    x: position.x + (STEP_BOX.width - size.width) / 2,
    y: position.y + (STEP_BOX.height - size.height) / 2,
    ...size,
  };
}
