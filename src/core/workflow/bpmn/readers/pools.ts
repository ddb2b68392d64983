/**
 * Pools and processes: the collaboration's participants and the processes they hold. With
 * several pools (or a pool beside a process drawn without one) each party is a pool of the
 * workflow and its lanes name it; a process is read through its lanes, its own data inputs and
 * outputs, and the walk over its flow elements (flowElements.ts).
 */

import { type El, isA } from '../model.ts';
import { type BpmnReader, DEFAULT_LANE_STAFF, type ImportContext } from './context.ts';
import { addDataRef } from './dataObjects.ts';
import { walk } from './flowElements.ts';
import { defaultLaneOf, importLaneSet } from './lanes.ts';

/** The file's processes and pools; a file with neither has nothing to read. */
export const definitionsReader: BpmnReader = {
  id: 'definitions',
  reads: ['bpmn:definitions', 'bpmn:collaboration', 'bpmn:process'],
  describe: 'the processes and pools of the file, and whether it has several parties',
  read(ctx) {
    const roots = ctx.definitions.rootElements ?? [];
    ctx.collaborations = roots.filter((r) => r.$type === 'bpmn:Collaboration');
    ctx.processes = roots.filter((r) => r.$type === 'bpmn:Process');
    ctx.participants = ctx.collaborations.flatMap((c) => c.participants ?? []);
    if (ctx.processes.length === 0 && ctx.participants.length === 0) {
      ctx.problems.push({
        severity: 'error',
        code: 'empty',
        message: `the BPMN file has no process and no pool, so there is nothing to import${
          (ctx.definitions.diagrams ?? []).length > 0
            ? ' (it holds only a diagram, whose shapes name elements the file does not define)'
            : ''
        }: export the process again from the modelling tool as BPMN 2.0 with its process, not only its drawing`,
      });
      ctx.finished = true;
      return;
    }
    for (const participant of ctx.participants) {
      if (participant.processRef) ctx.poolOf.set(participant.processRef, participant);
    }
    // a process drawn without a pool beside a pool is a party of its own (a message flow goes
    // between parties), as is each of several pools
    ctx.unpooled = ctx.processes.filter(
      (process) =>
        !ctx.poolOf.has(process) && (process.flowElements ?? []).some((e) => isA(e, 'bpmn:FlowNode')),
    );
    ctx.multiPool = ctx.participants.length > 1 || (ctx.participants.length > 0 && ctx.unpooled.length > 0);
  },
};

/** Each pool, then each process without one, read in the file's order. */
export const poolReader: BpmnReader = {
  id: 'pools',
  // a process's own data inputs and outputs are data objects of the workflow (dataObjects.ts)
  reads: ['bpmn:participant', 'bpmn:dataInput', 'bpmn:dataOutput'],
  describe: 'each pool of several as a pool of the workflow, and each process through its lanes and steps',
  read(ctx) {
    const poolIds = new Set<string>();
    for (const participant of ctx.participants) {
      if (ctx.multiPool) {
        let id = participant.id ?? 'pool';
        for (let n = 2, base = id; poolIds.has(id); n++) id = `${base}-${n}`;
        poolIds.add(id);
        ctx.pools.push({ id, name: ctx.nameOf(participant, 'Pool') });
        ctx.poolIdOf.set(participant, id);
        ctx.currentPool = id;
        if (participant.processRef) ctx.processPool.set(participant.processRef, id);
      }
      const process = participant.processRef;
      if (process && ctx.processes.includes(process)) importProcess(ctx, process, participant);
      else ctx.addLane(participant.id ?? 'pool', ctx.nameOf(participant, 'Pool'), DEFAULT_LANE_STAFF);
    }
    ctx.currentPool = undefined;
    for (const process of ctx.processes) {
      if (ctx.poolOf.has(process)) continue;
      // beside several pools, a process drawn without one is a pool of its own, unless it has no
      // step (a tool's holder of the data and notes drawn outside the pools): what it holds is read
      if (ctx.multiPool && ctx.unpooled.includes(process)) {
        let id = process.id ?? 'process';
        for (let n = 2, base = id; poolIds.has(id); n++) id = `${base}-${n}`;
        poolIds.add(id);
        ctx.pools.push({ id, name: ctx.nameOf(process, 'Process') });
        ctx.processPool.set(process, id);
        ctx.currentPool = id;
      }
      importProcess(ctx, process, undefined);
      ctx.currentPool = undefined;
    }
  },
};

/** A process: its lanes, its own data, then its flow elements and artifacts. */
function importProcess(ctx: ImportContext, process: El, pool: El | undefined): void {
  const poolName = ctx.nameOf(pool ?? process, 'Process');
  // with several pools each lane names its pool (`pool`), so its name stays its own
  const prefix = ctx.multiPool && ctx.currentPool === undefined ? `${poolName} / ` : '';
  for (const laneSet of process.laneSets ?? []) importLaneSet(ctx, laneSet, prefix, poolName);
  // beside other pools, a pool without lanes is its one lane, in the pools' order
  const hasLanes = (process.laneSets ?? []).some((set) => (set.lanes ?? []).length > 0);
  if (
    ctx.currentPool !== undefined &&
    !hasLanes &&
    (process.flowElements ?? []).some((e) => isA(e, 'bpmn:FlowNode'))
  )
    defaultLaneOf(ctx, process);
  // the process's own data inputs and outputs, which its steps read and write
  for (const io of [
    ...(process.ioSpecification?.dataInputs ?? []),
    ...(process.ioSpecification?.dataOutputs ?? []),
  ])
    addDataRef(ctx, io, undefined);
  walk(ctx, process.flowElements ?? [], process, undefined);
  ctx.artifacts.push(...(process.artifacts ?? []));
}
