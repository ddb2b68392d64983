/**
 * The shapes in a route's way, per page: a flow goes around steps and documents, an association
 * around those and the annotations too. Asked once every shape is placed (the diagram writers
 * that route run after those that place).
 */

import type { StepBox } from '../../routeGeometry.ts';
import { annotationRects } from './annotationPlacement.ts';
import type { ExportContext } from './context.ts';

function obstacles(ctx: ExportContext): NonNullable<ExportContext['obstacles']> {
  if (ctx.obstacles) return ctx.obstacles;
  const flows = new Map<string | undefined, StepBox[]>();
  const addBox = (page: string | undefined, box: StepBox) => {
    const list = flows.get(page);
    if (list) list.push(box);
    else flows.set(page, [box]);
  };
  for (const [id, rect] of ctx.shapeOf) addBox(ctx.structure.parentOf.get(id), { id, ...rect });
  // documents drawn on a page are in a flow's way as much as steps
  for (const { data, page } of ctx.dataElements.values()) {
    const rect = ctx.dataShapeOf.get(data.id);
    if (rect) addBox(page, { id: data.id, ...rect });
  }
  for (const [key, rect] of ctx.secondShapeOf) addBox(ctx.seconds.get(key)?.page, { id: key, ...rect });
  // an association goes around every shape of its page: steps, documents and notes
  const associations = new Map<string | undefined, StepBox[]>();
  for (const [page, list] of flows) associations.set(page, [...list]);
  for (const { element, page, rect } of annotationRects(ctx)) {
    const list = associations.get(page);
    const box = { id: element.id ?? '', ...rect };
    if (list) list.push(box);
    else associations.set(page, [box]);
  }
  ctx.obstacles = { flows, associations };
  return ctx.obstacles;
}

/** The shapes a sequence flow goes around, by page. */
export function flowObstacles(ctx: ExportContext): Map<string | undefined, StepBox[]> {
  return obstacles(ctx).flows;
}

/** The shapes an association goes around, by page. */
export function associationObstacles(ctx: ExportContext): Map<string | undefined, StepBox[]> {
  return obstacles(ctx).associations;
}
