/** The pools of an exported workflow, each with its lanes. */

import type { Lane, Pool, Workflow } from '../../../../formats/workflow.ts';

/** Staff of a lane that a pool without lanes stands for (import's default). */
const POOL_LANE_STAFF = 1;

/** The lanes of one pool: `pool` absent for the workflow's own pool. */
export interface PoolGroup {
  pool?: Pool;
  lanes: Lane[];
}

/**
 * The pools in the order of their first lane, each with its lanes (lanes without a pool, or
 * naming one the workflow lacks, are the workflow's own pool). A workflow without pools is one.
 */
export function poolGroups(workflow: Workflow): PoolGroup[] {
  const pools = new Map((workflow.pools ?? []).map((pool) => [pool.id, pool]));
  // the workflow's own pool first, then the pools in their order (import's order)
  const groups = new Map<string | undefined, PoolGroup>([[undefined, { lanes: [] }]]);
  for (const pool of pools.values()) groups.set(pool.id, { pool, lanes: [] });
  for (const lane of workflow.lanes) {
    const pool = lane.pool === undefined ? undefined : pools.get(lane.pool);
    const key = pool?.id;
    const group = groups.get(key) ?? (pool ? { pool, lanes: [] } : { lanes: [] });
    group.lanes.push(lane);
    groups.set(key, group);
  }
  return [...groups.values()].filter((group) => group.pool !== undefined || group.lanes.length > 0);
}

/** A pool that is its one lane (a pool without lanes in BPMN): no lane is written for it. */
export function isLanelessPool(group: PoolGroup): boolean {
  const lane = group.lanes[0];
  return (
    group.pool !== undefined &&
    group.lanes.length <= 1 &&
    (lane === undefined ||
      (lane.id === group.pool.id && lane.name === group.pool.name && lane.staff === POOL_LANE_STAFF))
  );
}
