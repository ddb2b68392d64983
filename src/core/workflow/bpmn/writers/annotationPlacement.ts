/**
 * Where annotations are drawn, before any association is routed (associations go around them).
 * Annotations and groups keep where they were drawn, moved as their first step was moved by the
 * layout; an annotation without bounds goes above its first step.
 */

import type { Box, ExportContext, ModdleElement } from './context.ts';

/** bpmn-js's default size of a text annotation, for one drawn where none was. */
const ANNOTATION_SIZE = { width: 100, height: 40 } as const;
/** Room between an annotation placed above its step and the step. */
const ANNOTATION_GAP = 20;

/** How far the layout moved a step from where it was drawn (none for a step drawn nowhere). */
export function movedBy(ctx: ExportContext, id: string | undefined): { x: number; y: number } {
  const step = id !== undefined ? ctx.stepsById.get(id) : undefined;
  const placed = id !== undefined ? ctx.layout.positions.get(id) : undefined;
  return step?.position && placed
    ? { x: placed.x - step.position.x, y: placed.y - step.position.y }
    : { x: 0, y: 0 };
}

/** Each annotation that can be drawn with its rectangle, once the steps' shapes are placed. */
export function annotationRects(
  ctx: ExportContext,
): { element: ModdleElement; page?: string; links: { element: ModdleElement; step: string }[]; rect: Box }[] {
  ctx.annotationRects ??= ctx.annotationElements.flatMap(({ element, annotation, page, links }) => {
    const first = links[0] ? ctx.shapeOf.get(links[0].step) : undefined;
    const shift = movedBy(ctx, links[0]?.step);
    const rect: Box | undefined = annotation.bounds
      ? { ...annotation.bounds, x: annotation.bounds.x + shift.x, y: annotation.bounds.y + shift.y }
      : first
        ? {
            ...ANNOTATION_SIZE,
            x: first.x + first.width / 2,
            y: first.y - ANNOTATION_SIZE.height - ANNOTATION_GAP,
          }
        : undefined;
    return rect ? [{ element, page, links, rect }] : [];
  });
  return ctx.annotationRects;
}
