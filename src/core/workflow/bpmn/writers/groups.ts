/**
 * Groups: artifacts of the page and pool of their first step; a group's name is a category value,
 * as BPMN has it. A group keeps where it was drawn, moved as its first step was moved by the
 * layout, and grown to hold its steps.
 */

import { movedBy } from './annotationPlacement.ts';
import { type Box, type BpmnWriter, into, type ModdleElement } from './context.ts';
import { onPage, shape } from './diagramParts.ts';

/** Room between a group's frame and the steps inside it. */
const GROUP_PADDING = 10;

/** Each group, with its category when it is named. */
export const groupWriter: BpmnWriter = {
  id: 'groups',
  writes: ['bpmn:Group', 'bpmn:Category', 'bpmn:CategoryValue'],
  describe: 'each group of steps, its name as a category value',
  write(ctx) {
    const { moddle, pages, stepElements } = ctx;
    for (const drawn of ctx.workflow.groups ?? []) {
      const steps = (drawn.steps ?? []).filter((id) => stepElements.has(id));
      const page = pages.pageOfStep(steps[0]);
      const id = ctx.allocate(drawn.id);
      let categoryValueRef: ModdleElement | undefined;
      if (drawn.label !== undefined) {
        categoryValueRef = moddle.create('bpmn:CategoryValue', {
          id: ctx.allocate(`${id}_value`),
          value: drawn.label,
        });
        ctx.categories.push(
          moddle.create('bpmn:Category', {
            id: ctx.allocate(`${id}_category`),
            categoryValue: [categoryValueRef],
          }),
        );
      }
      const element = moddle.create('bpmn:Group', { id, ...(categoryValueRef ? { categoryValueRef } : {}) });
      into(
        ctx,
        page,
        steps[0] !== undefined ? pages.groupOfStep(steps[0]) : ctx.firstWithSteps,
        element,
        true,
      );
      ctx.groupElements.push({
        element,
        drawn: { ...drawn, steps },
        ...(page !== undefined ? { page } : {}),
      });
    }
  },
};

/** Each group's frame: its drawn bounds (moved) and its steps' shapes on its page, padded. */
export const groupShapeWriter: BpmnWriter = {
  id: 'group-shapes',
  writes: ['bpmndi:BPMNShape'],
  describe: 'each group drawn around its steps',
  write(ctx) {
    for (const { element, drawn, page } of ctx.groupElements) {
      // only the steps drawn on the group's page (a step inside a collapsed sub-process is on its own)
      const inside = (drawn.steps ?? []).flatMap((id) => {
        const rect = ctx.pages.pageOfStep(id) === page ? ctx.shapeOf.get(id) : undefined;
        return rect ? [rect] : [];
      });
      const shift = movedBy(ctx, drawn.steps?.[0]);
      const boxes: Box[] = [
        ...(drawn.bounds
          ? [{ ...drawn.bounds, x: drawn.bounds.x + shift.x, y: drawn.bounds.y + shift.y }]
          : []),
        ...inside.map((rect) => ({
          x: rect.x - GROUP_PADDING,
          y: rect.y - GROUP_PADDING,
          width: rect.width + 2 * GROUP_PADDING,
          height: rect.height + 2 * GROUP_PADDING,
        })),
      ];
      if (boxes.length === 0) continue;
      const x = Math.min(...boxes.map((box) => box.x));
      const y = Math.min(...boxes.map((box) => box.y));
      const rect = {
        x,
        y,
        width: Math.max(...boxes.map((box) => box.x + box.width)) - x,
        height: Math.max(...boxes.map((box) => box.y + box.height)) - y,
      };
      onPage(ctx, page).push(shape(ctx, element, rect));
    }
  },
};
