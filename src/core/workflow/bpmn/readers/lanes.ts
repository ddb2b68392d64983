/**
 * Lanes: every leaf lane of a lane set is a lane, nested lanes flattened with their path as their
 * name; a pool or process without lanes is one lane (its default lane, made on first use). A
 * step's lane is the lane that names it, else its boundary event's activity's or its
 * sub-process's lane, else its process's default lane.
 */

import { type El, extensionOf, type PfLane } from '../model.ts';
import { type BpmnReader, DEFAULT_LANE_STAFF, type ImportContext, type PendingStep } from './context.ts';

/** Each step's lane, once every lane and every host of a boundary event is known. */
export const laneReader: BpmnReader = {
  id: 'lanes',
  reads: ['bpmn:laneSet', 'bpmn:lane', 'bpmn:childLaneSet', 'bpmn:flowNodeRef'],
  describe:
    'the lane each step is in: the lane that names it, its activity’s or sub-process’s, else its pool’s',
  read: resolveLanes,
};

/** A lane's staff from its `preflight:lane`, else 1. */
function laneStaff(ctx: ImportContext, lane: El): number {
  const staff = extensionOf<PfLane>(lane, 'preflight:Lane')?.staff;
  if (staff === undefined) return DEFAULT_LANE_STAFF;
  if (Number.isInteger(staff) && staff >= 0) return staff;
  ctx.warnExtension(lane, 'preflight:lane staff is not a whole number ≥ 0; 1 is used');
  return DEFAULT_LANE_STAFF;
}

/** Flattens a lane set; returns the leaf lane ids created, in order. */
export function importLaneSet(ctx: ImportContext, laneSet: El, prefix: string, outer: string): string[] {
  const leaves: string[] = [];
  for (const lane of laneSet.lanes ?? []) {
    // a lane without a name is named after what it is part of (its pool or parent lane)
    const name = lane.name?.trim() ? `${prefix}${lane.name}` : outer;
    const children = lane.childLaneSet?.lanes ?? [];
    let laneIds: string[];
    if (children.length > 0) {
      ctx.drop(
        lane,
        'the nesting of lanes',
        'Preflight lanes are one level deep; the inner lanes are kept, named with their path',
        'bpmn:lane/bpmn:childLaneSet',
      );
      laneIds = lane.childLaneSet ? importLaneSet(ctx, lane.childLaneSet, `${name} / `, name) : [];
    } else {
      const ext = extensionOf<PfLane>(lane, 'preflight:Lane');
      laneIds = [ctx.addLane(ext?.id || lane.id || 'lane', name, laneStaff(ctx, lane))];
    }
    // a node a parent lane names but none of its children do goes to its first child
    const first = laneIds[0];
    if (first !== undefined) {
      for (const node of lane.flowNodeRef ?? []) {
        if (children.length === 0 || !ctx.nodeLane.has(node)) ctx.nodeLane.set(node, first);
      }
    }
    leaves.push(...laneIds);
  }
  return leaves;
}

/** The lane of a process's steps that no lane names (its pool's), made on first use. */
export function defaultLaneOf(ctx: ImportContext, process: El): string {
  let id = ctx.defaultLane.get(process);
  if (id === undefined) {
    const pool = ctx.poolOf.get(process);
    const hasLanes = (process.laneSets ?? []).some((set) => (set.lanes ?? []).length > 0);
    const name = ctx.nameOf(pool ?? process, 'Process');
    id = ctx.addLane(
      pool?.id ?? process.id ?? 'process',
      hasLanes ? `${name} (no lane)` : name,
      DEFAULT_LANE_STAFF,
      ctx.processPool.get(process),
    );
    ctx.defaultLane.set(process, id);
  }
  return id;
}

/** Sets each step's lane (see the file comment). */
function resolveLanes(ctx: ImportContext): void {
  const memo = new Map<El, string>();
  const laneOf = (pending: PendingStep, depth: number): string => {
    const known = memo.get(pending.element);
    if (known !== undefined) return known;
    let lane = ctx.nodeLane.get(pending.element);
    const host = pending.element.attachedToRef;
    const hostStep = host ? ctx.stepOf.get(host) : undefined;
    const containerStep = pending.container ? ctx.stepOf.get(pending.container) : undefined;
    if (lane === undefined && hostStep && depth < 64) lane = laneOf(hostStep, depth + 1);
    if (lane === undefined && containerStep && depth < 64) lane = laneOf(containerStep, depth + 1);
    lane ??= defaultLaneOf(ctx, pending.process);
    memo.set(pending.element, lane);
    return lane;
  };
  for (const pending of ctx.steps) pending.step.lane = laneOf(pending, 0);
}
