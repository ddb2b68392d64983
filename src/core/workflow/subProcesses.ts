/**
 * Sub-processes as pages: a step that other steps are `within` is a sub-process, drawn as one
 * step on the page it is on, with its inner steps on a page of their own (bpmn.io's drill-down).
 *
 * The workflow keeps the order of work through the inner steps (a flow from the sub-process to
 * its inner first steps, flows out of the sub-process leaving from its inner last steps), so the
 * analysis walks them where a case walks them: the sub-process's time in every total is its inner
 * expected time. Here that time is also given per sub-process, for the one step the page shows.
 *
 * A `within` that names no step, or closes a loop of `within`s, is ignored (the step stays on the
 * page it would otherwise be on), as BPMN export ignores it.
 */
import type { Flow, Step, Workflow } from '../../formats/workflow.ts';
import type { MetricsResult } from './metrics.ts';

/** The page a step is drawn on: the sub-process it is directly inside, or the workflow's own. */
export function pageOfStep(workflow: Workflow, stepId: string): string | undefined {
  return validWithin(workflow).get(stepId);
}

/** `within` of each step whose sub-process chain ends on the workflow's own page. */
function validWithin(workflow: Workflow): Map<string, string> {
  const byId = new Map(workflow.steps.map((step) => [step.id, step]));
  const out = new Map<string, string>();
  for (const step of workflow.steps) {
    if (step.within === undefined || !byId.has(step.within) || step.within === step.id) continue;
    const seen = new Set([step.id]);
    let cursor: string | undefined = step.within;
    while (cursor !== undefined && !seen.has(cursor)) {
      seen.add(cursor);
      cursor = byId.get(cursor)?.within;
      if (cursor !== undefined && !byId.has(cursor)) cursor = undefined;
    }
    if (cursor === undefined) out.set(step.id, step.within);
  }
  return out;
}

/**
 * Step id → the sub-process it is directly inside, for every step inside one (a `within` that
 * names no step or closes a loop is left out, as everywhere).
 */
export function subProcessOf(workflow: Workflow): ReadonlyMap<string, string> {
  return validWithin(workflow);
}

/** Ids of the steps that hold inner steps: the sub-processes. */
export function subProcessIds(workflow: Workflow): Set<string> {
  return new Set(validWithin(workflow).values());
}

/** One entry of the trail from the workflow's own page down to a sub-process's. */
export interface PageTrailEntry {
  id: string;
  label: string;
}

/**
 * The sub-processes from the outermost to `page` (empty for the workflow's own page, or when
 * `page` is not a sub-process of the workflow).
 */
export function pageTrail(workflow: Workflow, page: string | undefined): PageTrailEntry[] {
  if (page === undefined || !subProcessIds(workflow).has(page)) return [];
  const within = validWithin(workflow);
  const label = new Map(workflow.steps.map((step) => [step.id, step.label]));
  const trail: PageTrailEntry[] = [];
  for (let cursor: string | undefined = page; cursor !== undefined; cursor = within.get(cursor)) {
    trail.unshift({ id: cursor, label: label.get(cursor) ?? cursor });
  }
  return trail;
}

/**
 * The workflow as one page shows it: the steps on `page` (undefined: the workflow's own), and the
 * flows between them. On a page, a flow from or to a step inside one of its sub-processes leaves
 * from or enters that sub-process (once per pair), and a flow from a sub-process into its own
 * inner steps, or between steps inside one, is not shown (it is the sub-process's own work). Everything else is kept as it is,
 * so edits made on the page apply to the workflow by id.
 */
export function workflowPage(workflow: Workflow, page: string | undefined): Workflow {
  const within = validWithin(workflow);
  if (within.size === 0 && page === undefined) return workflow;
  const onPage = (id: string) => within.get(id) === page;
  const stepIds = new Set(workflow.steps.map((step) => step.id));
  /** the step on this page that `id` is (or is inside), if any */
  const lift = (id: string): string | undefined => {
    let cursor: string | undefined = id;
    for (let depth = 0; cursor !== undefined && depth <= workflow.steps.length; depth++) {
      if (onPage(cursor)) return cursor;
      cursor = within.get(cursor);
    }
    return undefined;
  };
  const steps: Step[] = workflow.steps.filter((step) => onPage(step.id));
  const seen = new Set<string>();
  const flows: Flow[] = [];
  for (const flow of workflow.flows) {
    if (!stepIds.has(flow.from) || !stepIds.has(flow.to)) continue;
    const from = lift(flow.from);
    const to = lift(flow.to);
    if (from === undefined || to === undefined) continue;
    const lifted = from !== flow.from || to !== flow.to;
    // inside one sub-process (or into its own inner steps): not a flow of this page
    if (lifted && from === to) continue;
    const key = JSON.stringify([from, to]);
    if (seen.has(key)) continue;
    seen.add(key);
    flows.push(lifted ? { ...flow, from, to } : flow);
  }
  const visible = new Set(steps.map((step) => step.id));
  const keepIds = (ids: string[] | undefined) => ids?.filter((id) => visible.has(id));
  return {
    ...workflow,
    steps,
    flows,
    ...(workflow.messageFlows
      ? {
          messageFlows: workflow.messageFlows.filter(
            (m) => (visible.has(m.from) || !stepIds.has(m.from)) && (visible.has(m.to) || !stepIds.has(m.to)),
          ),
        }
      : {}),
    ...(workflow.dataObjects
      ? {
          dataObjects: workflow.dataObjects.map((data) => {
            const readBy = keepIds(data.readBy);
            const writtenBy = keepIds(data.writtenBy);
            const { readBy: _r, writtenBy: _w, ...rest } = data;
            return {
              ...rest,
              ...(readBy && readBy.length > 0 ? { readBy } : {}),
              ...(writtenBy && writtenBy.length > 0 ? { writtenBy } : {}),
            };
          }),
        }
      : {}),
  };
}

/**
 * Each sub-process's inner expected time per case that enters it (minutes): Σ over the steps
 * inside it, at any depth, of their expected visits × time per visit (touch, wait and queueing),
 * over the sub-process's own visits. Absent for a sub-process no case reaches, or without metrics.
 */
export function subProcessMinutes(workflow: Workflow, metrics: MetricsResult): Map<string, number> {
  const out = new Map<string, number>();
  if (!metrics.ok) return out;
  const within = validWithin(workflow);
  const byStep = new Map(metrics.metrics.steps.map((step) => [step.stepId, step]));
  const totals = new Map<string, number>();
  for (const [id] of within) {
    const step = byStep.get(id);
    if (!step || !(step.visits > 0)) continue;
    const minutes = step.visits * step.durationMin;
    for (let cursor = within.get(id); cursor !== undefined; cursor = within.get(cursor)) {
      totals.set(cursor, (totals.get(cursor) ?? 0) + minutes);
    }
  }
  for (const [id, total] of totals) {
    const visits = byStep.get(id)?.visits ?? 0;
    if (visits > 0) out.set(id, total / visits);
  }
  return out;
}
