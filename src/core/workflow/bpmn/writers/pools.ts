/**
 * Pools and their processes. Each pool is a `bpmn:Participant`; the workflow's own pool (or the
 * first with steps) holds the process that carries the workflow's id and its Preflight
 * attributes (`preflight:workflow`), and every other pool with steps or lanes has a process of its
 * own. A party seen from outside (a pool without steps that is its one lane) has no process. The
 * collaboration holds the participants and the message flows between them.
 */

import type { Workflow } from '../../../../formats/workflow.ts';
import { type BpmnWriter, extension } from './context.ts';
import { onPage, shape } from './diagramParts.ts';
import { isLanelessPool } from './poolGroups.ts';

/** The attributes of the workflow's `preflight:workflow`. */
function workflowData(workflow: Workflow, processId: string): Record<string, unknown> {
  const data: Record<string, unknown> = {
    state: workflow.state,
    arrivalsPerHour: workflow.arrivalsPerHour,
  };
  if (processId !== workflow.id) data.id = workflow.id;
  if (workflow.process !== undefined) data.process = workflow.process;
  if (workflow.description !== undefined) data.description = workflow.description;
  if (workflow.baseline !== undefined) data.baseline = workflow.baseline;
  if (workflow.casesPerDay !== undefined) data.casesPerDay = workflow.casesPerDay;
  if (workflow.goLive) {
    data.capacityFactor = workflow.goLive.capacityFactor;
    data.productivityFactor = workflow.goLive.productivityFactor;
  }
  if (workflow.retired && workflow.retired.length > 0) data.retired = [...workflow.retired];
  return data;
}

/** The id of the workflow's process (after the steps' and lanes', which keep theirs first). */
export const processIdWriter: BpmnWriter = {
  id: 'process-id',
  writes: ['bpmn:Process'],
  describe: "the id of the workflow's process, the workflow's own when it is free",
  write(ctx) {
    ctx.processId = ctx.allocate(ctx.workflow.id);
  },
};

/** A participant per pool, with its process. */
export const poolWriter: BpmnWriter = {
  id: 'pools',
  writes: ['bpmn:Participant', 'bpmn:Process', 'bpmn:LaneSet'],
  describe: 'each pool as a participant with its process, lanes, flow elements and artifacts',
  write(ctx) {
    const { moddle, workflow, processId } = ctx;
    ctx.participants = ctx.groups.map((group, index) => {
      const own = index === ctx.firstWithSteps;
      const hasSteps = (ctx.topLevel[index]?.length ?? 0) > 0;
      const laneless = isLanelessPool(group);
      const name = group.pool?.name ?? workflow.name;
      const participantAttrs: Record<string, unknown> = {
        id: ctx.poolElementIds[index] ?? ctx.allocate(`${processId}_pool`),
        name,
      };
      // a party seen from outside (a pool without steps that is its one lane) has no process
      if (own || hasSteps || !laneless) {
        const lanes = ctx.laneElements
          .filter((l) => ctx.groupOfLane.get(l.lane.id) === index)
          .map((l) => l.element);
        const process = moddle.create('bpmn:Process', {
          id: own ? processId : ctx.allocate(`${participantAttrs.id as string}_process`),
          name: own ? workflow.name : name,
          isExecutable: false,
          ...(ctx.ioSpecifications.has(index) ? { ioSpecification: ctx.ioSpecifications.get(index) } : {}),
          ...(own
            ? {
                extensionElements: extension(
                  ctx,
                  moddle.create('preflight:Workflow', workflowData(workflow, processId)),
                ),
              }
            : {}),
          ...(lanes.length > 0 || !laneless
            ? { laneSets: [moddle.create('bpmn:LaneSet', { id: ctx.allocate(`${processId}_lanes`), lanes })] }
            : {}),
          flowElements: ctx.topLevel[index] ?? [],
          ...((ctx.topArtifacts[index]?.length ?? 0) > 0 ? { artifacts: ctx.topArtifacts[index] } : {}),
        });
        ctx.processes.push(process);
        participantAttrs.processRef = process;
      }
      return moddle.create('bpmn:Participant', participantAttrs);
    });
  },
};

/** The collaboration of the pools and the messages between them. */
export const collaborationWriter: BpmnWriter = {
  id: 'collaboration',
  writes: ['bpmn:Collaboration'],
  describe: 'the collaboration: every participant and message flow',
  write(ctx) {
    ctx.collaboration = ctx.moddle.create('bpmn:Collaboration', {
      id: ctx.allocate(`${ctx.processId}_collaboration`),
      participants: ctx.participants,
      ...(ctx.messageFlows.length > 0 ? { messageFlows: ctx.messageFlows.map((m) => m.element) } : {}),
    });
  },
};

/** Each pool's band: its lanes' extent (the whole diagram's when it is the only pool). */
export const poolShapeWriter: BpmnWriter = {
  id: 'pool-shapes',
  writes: ['bpmndi:BPMNShape'],
  describe: 'each pool drawn around its lanes',
  write(ctx) {
    const { groups, layout } = ctx;
    ctx.poolRects = groups.map((group) => {
      const rects = group.lanes.flatMap((lane) => {
        const rect = layout.lanes.get(lane.id);
        return rect ? [rect] : [];
      });
      if (groups.length === 1 || rects.length === 0) return layout.pool;
      const top = Math.min(...rects.map((rect) => rect.y));
      const bottom = Math.max(...rects.map((rect) => rect.y + rect.height));
      return { x: layout.pool.x, y: top, width: layout.pool.width, height: bottom - top };
    });
    ctx.participants.forEach((participant, index) => {
      onPage(ctx, undefined).push(
        shape(ctx, participant, ctx.poolRects[index] ?? layout.pool, { isHorizontal: true }),
      );
    });
  },
};
