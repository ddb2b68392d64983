/**
 * Which workflows belong together as one clinic process: the Workflows screen shows each group with
 * its comparison (today's workflow against the planned one, the training checklist per role), and
 * the Readiness screen counts the groups that have one. Both use this, so Readiness never claims a
 * comparison the Workflows screen does not show.
 */
import type { Workflow } from '../../formats/workflow.ts';

/**
 * The workflows grouped by process, current before future inside a group. A workflow's group is
 * its `process`; a planned workflow without one joins its baseline's group (a workflow made in the
 * app names its baseline but no process); anything else stands on its own, under its id.
 */
export function groupByProcess(workflows: readonly Workflow[]): [string, Workflow[]][] {
  const byId = new Map(workflows.map((w) => [w.id, w]));
  const keyOf = (w: Workflow): string => {
    if (w.process) return w.process;
    const baseline = w.state === 'future' && w.baseline ? byId.get(w.baseline) : undefined;
    return baseline ? (baseline.process ?? baseline.id) : w.id;
  };
  const groups = new Map<string, Workflow[]>();
  for (const w of workflows) {
    const key = keyOf(w);
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  // current before future inside a process, so the pair reads left to right
  return [...groups].map(([key, group]) => [key, group.sort((a, b) => a.state.localeCompare(b.state))]);
}

/** The pair a group's comparison shows: its first current and its first planned workflow. */
export function comparedPair(group: readonly Workflow[]): { current?: Workflow; future?: Workflow } {
  const current = group.find((w) => w.state === 'current');
  const future = group.find((w) => w.state === 'future');
  return { ...(current ? { current } : {}), ...(future ? { future } : {}) };
}

/** How many processes show a comparison of today's workflow with a planned one. */
export function comparedProcesses(workflows: readonly Workflow[]): number {
  return groupByProcess(workflows).filter(([, group]) => {
    const { current, future } = comparedPair(group);
    return current !== undefined && future !== undefined;
  }).length;
}
