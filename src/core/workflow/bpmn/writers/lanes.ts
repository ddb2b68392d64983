/**
 * Lanes: a `bpmn:Lane` per workflow lane (none for a pool that is its one lane), naming the flow
 * nodes it holds, its staff in `preflight:lane`; drawn as a horizontal band of its pool.
 */

import { type BpmnWriter, extension } from './context.ts';
import { onPage, shape } from './diagramParts.ts';
import { isLanelessPool } from './poolGroups.ts';

/** The lanes of every pool, pool by pool. */
export const laneWriter: BpmnWriter = {
  id: 'lanes',
  writes: ['bpmn:Lane'],
  describe: "each lane with the steps it holds (an inner step is in its sub-process's lane)",
  write(ctx) {
    const { workflow, structure, stepsById, stepElements, moddle } = ctx;
    ctx.laneElements = ctx.groups
      .flatMap((group) => (isLanelessPool(group) ? [] : group.lanes))
      .map((lane) => {
        const id = ctx.allocate(lane.id);
        const data: Record<string, unknown> = { staff: lane.staff };
        if (id !== lane.id) data.id = lane.id;
        return {
          lane,
          element: moddle.create('bpmn:Lane', {
            id,
            name: lane.name,
            flowNodeRef: workflow.steps
              // an inner step is in its sub-process's lane unless the lane names it
              .filter((step) => {
                const parent = structure.parentOf.get(step.id);
                return (
                  step.lane === lane.id && (parent === undefined || stepsById.get(parent)?.lane !== lane.id)
                );
              })
              .map((step) => stepElements.get(step.id)?.element),
            extensionElements: extension(ctx, moddle.create('preflight:Lane', data)),
          }),
        };
      });
  },
};

/** A lane's band on the process's page. */
export const laneShapeWriter: BpmnWriter = {
  id: 'lane-shapes',
  writes: ['bpmndi:BPMNShape'],
  describe: 'the band of each lane written, where the layout put it',
  write(ctx) {
    for (const { lane, element } of ctx.laneElements) {
      const rect = ctx.layout.lanes.get(lane.id);
      if (!rect) continue;
      onPage(ctx, undefined).push(shape(ctx, element, rect, { isHorizontal: true }));
    }
  },
};
