/**
 * Sequence flows between steps: `bpmn:SequenceFlow` with the flow's chance and transfer in
 * `preflight:flow` (its chance also as the name, for other tools). A flow from a compensation
 * boundary event to its handler is an association (BPMN's rule); a flow out of a sub-process's
 * inner step to a step outside it leaves from the sub-process; the flow from a sub-process into
 * its own inner steps is its start, implied by BPMN; a flow between pools or from a link throw
 * to its catch is not a sequence flow at all (messages.ts, flowNodes.ts).
 */

import { probabilityLabel } from '../model.ts';
import { isInside } from '../structure.ts';
import {
  type BpmnWriter,
  type ExportContext,
  extension,
  type FlowElement,
  flowData,
  hasFlowData,
  into,
} from './context.ts';
import { edge, onPage } from './diagramParts.ts';
import { flowObstacles } from './obstacles.ts';
import { routedWaypoints } from './waypoints.ts';

/** The step a flow from `from` to `to` leaves from: `from`, or the sub-process it must leave. */
function liftSource(ctx: ExportContext, from: string, to: string): string {
  const { structure } = ctx;
  let source = from;
  for (
    let parent = structure.parentOf.get(source);
    parent !== undefined;
    parent = structure.parentOf.get(source)
  ) {
    if (to === parent || isInside(structure, to, parent)) break;
    source = parent;
  }
  return source;
}

/** The workflow's flows that BPMN writes as sequence flows (see the file comment). */
export const sequenceFlowWriter: BpmnWriter = {
  id: 'sequence-flows',
  writes: ['bpmn:SequenceFlow', 'bpmn:Association'],
  describe: 'each flow between two steps of one pool, with its chance and transfer in preflight:flow',
  write(ctx) {
    const { workflow, structure, stepElements, stepsById, moddle, pages } = ctx;
    const written = new Set<string>();
    ctx.flowElements = workflow.flows.flatMap((flow): FlowElement[] => {
      if (structure.attached.get(flow.to) === flow.from || ctx.linkFlows.has(flow)) return [];
      if (isInside(structure, flow.to, flow.from)) return [];
      // BPMN has no sequence flow between pools (a message flow says what passes between them)
      if (pages.groupOfStep(flow.from) !== pages.groupOfStep(flow.to)) return [];
      const sourceId = liftSource(ctx, flow.from, flow.to);
      const source = stepElements.get(sourceId)?.element;
      const target = stepElements.get(flow.to)?.element;
      const key = JSON.stringify([sourceId, flow.to]);
      if (!source || !target || written.has(key)) return [];
      written.add(key);
      const page = structure.parentOf.get(sourceId);
      // a compensation event reaches its handler by an association (BPMN's rule), not a flow
      const from = stepsById.get(sourceId);
      if (structure.attached.has(sourceId) && from?.boundary?.trigger === 'compensation') {
        target.isForCompensation = true;
        const element = moddle.create('bpmn:Association', {
          id: ctx.allocate(`Association_${source.id}_${target.id}`),
          sourceRef: source,
          targetRef: target,
          associationDirection: 'One',
          ...(hasFlowData(flow)
            ? { extensionElements: extension(ctx, moddle.create('preflight:Flow', flowData(flow))) }
            : {}),
        });
        return [{ element, source: sourceId, target: flow.to, page, artifact: true }];
      }
      const attrs: Record<string, unknown> = {
        id: ctx.allocate(`Flow_${source.id}_${target.id}`),
        sourceRef: source,
        targetRef: target,
      };
      if (hasFlowData(flow)) {
        if (flow.probability !== undefined) attrs.name = probabilityLabel(flow.probability);
        attrs.extensionElements = extension(ctx, moddle.create('preflight:Flow', flowData(flow)));
      }
      const element = moddle.create('bpmn:SequenceFlow', attrs);
      source.outgoing.push(element);
      target.incoming.push(element);
      return [{ element, source: sourceId, target: flow.to, page, artifact: false }];
    });
    for (const { element, source, page, artifact } of ctx.flowElements)
      into(ctx, page, pages.groupOfStep(source), element, artifact);
  },
};

/** A flow's edge, routed around the shapes of its page (waypoints.ts). */
export const sequenceFlowEdgeWriter: BpmnWriter = {
  id: 'sequence-flow-edges',
  writes: ['bpmndi:BPMNEdge'],
  describe: 'each sequence flow drawn between its steps, around the shapes in its way',
  write(ctx) {
    const { shapeOf, structure } = ctx;
    const boxesOn = flowObstacles(ctx);
    for (const { element, source, target, page } of ctx.flowElements) {
      const from = shapeOf.get(source);
      const to = shapeOf.get(target);
      if (!from || !to) continue;
      const host = structure.attached.get(source);
      const waypoints = routedWaypoints(
        from,
        to,
        host !== undefined ? shapeOf.get(host) : undefined,
        boxesOn.get(page) ?? [],
      );
      onPage(ctx, page).push(edge(ctx, element, waypoints));
    }
  },
};
