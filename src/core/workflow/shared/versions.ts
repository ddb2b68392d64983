/**
 * Named versions (milestones) of one shared workflow, compared with the workflow comparison
 * (compare.ts). Two versions of one shared workflow are the same model at two moments, so a step
 * that keeps its id is the same step: the later version is compared as if each of its steps
 * replaced the earlier step of the same id (the comparison itself never matches by id, because two
 * different files share no ids; here the ids are the one model's own).
 */
import type { Workflow } from '../../../formats/workflow.ts';
import { compareWorkflows, type WorkflowComparison } from '../compare.ts';

/** What changed from `older` to `newer`, two versions of the same shared workflow. */
export function compareVersions(older: Workflow, newer: Workflow): WorkflowComparison {
  const olderIds = new Set(older.steps.map((step) => step.id));
  const traced: Workflow = {
    ...newer,
    steps: newer.steps.map((step) => ({ ...step, replaces: olderIds.has(step.id) ? [step.id] : [] })),
    // every step of the older version that is gone was removed on purpose
    retired: older.steps.filter((step) => !newer.steps.some((s) => s.id === step.id)).map((s) => s.id),
  };
  return compareWorkflows(older, traced, { suggestLabels: false });
}
