/**
 * Messages. BPMN has message flows only between pools: a message between two steps of one pool
 * (two lanes of a workflow without pools) is an association marked as a message
 * (`preflight:message`), drawn as a message is and read back as one. A message to or from a step
 * inside a collapsed sub-process is written to the sub-process: a renderer connects a message flow
 * only to shapes on the collaboration's page (bpmn-js warns and leaves out one whose end is drawn
 * on a sub-process's page). The inner step is named in `preflight:message` so that Preflight reads
 * the message back between the same steps.
 */

import type { MessageFlow } from '../../../../formats/workflow.ts';
import { type Box, type BpmnWriter, type ExportContext, extension, type ModdleElement } from './context.ts';
import { edge, onPage } from './diagramParts.ts';
import { associationObstacles } from './obstacles.ts';
import { routedMessageWaypoints } from './waypoints.ts';

/** The pool of a message's end: a step's, or the pool it names. */
function endGroup(ctx: ExportContext, id: string): number | undefined {
  if (ctx.stepsById.has(id)) return ctx.pages.groupOfStep(id);
  const index = ctx.groups.findIndex((group) => group.pool?.id === id);
  return index < 0 ? undefined : index;
}

/** Whether a message joins two steps of one pool (written as a marked association). */
function withinOnePool(ctx: ExportContext, message: MessageFlow): boolean {
  const group = endGroup(ctx, message.from);
  return (
    group !== undefined &&
    group === endGroup(ctx, message.to) &&
    ctx.stepElements.has(message.from) &&
    ctx.stepElements.has(message.to)
  );
}

/** Messages within one pool, as associations among its process's artifacts. */
export const poolMessageWriter: BpmnWriter = {
  id: 'pool-messages',
  writes: ['bpmn:Association'],
  describe: 'each message between two steps of one pool, as an association marked preflight:message',
  write(ctx) {
    const { moddle, stepElements } = ctx;
    for (const message of ctx.workflow.messageFlows ?? []) {
      if (!withinOnePool(ctx, message)) continue;
      const group = endGroup(ctx, message.from) ?? 0;
      const source = stepElements.get(message.from)?.element;
      const target = stepElements.get(message.to)?.element;
      const element = moddle.create('bpmn:Association', {
        id: ctx.allocate(message.id ?? `Message_${source.id}_${target.id}`),
        sourceRef: source,
        targetRef: target,
        associationDirection: 'One',
        extensionElements: extension(
          ctx,
          moddle.create('preflight:Message', message.label !== undefined ? { label: message.label } : {}),
        ),
      });
      ctx.topArtifacts[group]?.push(element);
      ctx.poolMessages.push({ element, from: message.from, to: message.to });
    }
  },
};

/** Messages between pools, once the participants are written. */
export const messageFlowWriter: BpmnWriter = {
  id: 'message-flows',
  writes: ['bpmn:MessageFlow'],
  describe: 'each message between pools, docked on the shapes the collaboration page shows',
  write(ctx) {
    const { moddle, pages } = ctx;
    // with several pools a message flow says what passes between them
    const endElement = (id: string): ModdleElement | undefined => {
      const step = ctx.stepElements.get(id)?.element;
      if (step) return step;
      const index = ctx.groups.findIndex((group) => group.pool?.id === id);
      return index < 0 ? undefined : ctx.participants[index];
    };
    ctx.messageFlows = (ctx.workflow.messageFlows ?? []).flatMap((message) => {
      if (withinOnePool(ctx, message)) return [];
      const inner = { from: endElement(message.from), to: endElement(message.to) };
      const source = endElement(pages.onMainPage(message.from));
      const target = endElement(pages.onMainPage(message.to));
      if (!source || !target || !inner.from || !inner.to) return [];
      const nested: Record<string, string> = {};
      if (inner.from !== source && inner.from.id) nested.from = inner.from.id;
      if (inner.to !== target && inner.to.id) nested.to = inner.to.id;
      const element = moddle.create('bpmn:MessageFlow', {
        id: ctx.allocate(message.id ?? `Message_${inner.from.id}_${inner.to.id}`),
        sourceRef: source,
        targetRef: target,
        ...(message.label !== undefined ? { name: message.label } : {}),
        ...(Object.keys(nested).length > 0
          ? { extensionElements: extension(ctx, moddle.create('preflight:Message', nested)) }
          : {}),
      });
      return [{ element, from: message.from, to: message.to }];
    });
  },
};

/**
 * Every message's edge, on the process's page (the collaboration's), between the shapes its
 * message names there (an end inside a sub-process: the collapsed sub-process).
 */
export const messageEdgeWriter: BpmnWriter = {
  id: 'message-edges',
  writes: ['bpmndi:BPMNEdge'],
  describe: 'each message drawn between pools or steps on the collaboration page',
  write(ctx) {
    const { pages } = ctx;
    const rectOf = (id: string): Box | undefined => {
      const index = ctx.groups.findIndex((group) => group.pool?.id === id);
      return index >= 0 ? ctx.poolRects[index] : ctx.shapeOf.get(pages.onMainPage(id));
    };
    const shapes = associationObstacles(ctx).get(undefined) ?? [];
    const pools = ctx.poolRects.map((rect, index) => ({ id: `pool ${index}`, ...rect }));
    for (const { element, from, to } of [...ctx.messageFlows, ...ctx.poolMessages]) {
      const source = rectOf(from);
      const target = rectOf(to);
      if (!source || !target || pages.onMainPage(from) === pages.onMainPage(to)) continue;
      // a message goes around every shape of the page and every pool but its two ends' own
      const ends = new Set([endGroup(ctx, from), endGroup(ctx, to)]);
      const boxes = [...shapes, ...pools.filter((_, index) => !ends.has(index))];
      onPage(ctx, undefined).push(edge(ctx, element, routedMessageWaypoints(source, target, boxes)));
    }
  },
};
