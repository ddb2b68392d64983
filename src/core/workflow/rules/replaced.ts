/**
 * What a future step takes over: the baseline steps named in its `replaces`, and their waits.
 * Shared by `digitized-paper-step` and `carried-over-wait`, which both compare a future step's wait
 * with the wait of the current steps it replaces (`replaces` is the traceability that makes
 * comparison possible; matching by id or label is never assumed here).
 */
import type { Step, Workflow } from '../../../formats/workflow.ts';
import { sortedIds } from './shared.ts';

/** A future step with the baseline steps it replaces. */
export interface Replacement {
  step: Step;
  /** the replaced baseline steps that exist, sorted by id */
  replaced: Step[];
  /** Σ waitMin of the replaced steps */
  replacedWaitMin: number;
}

/** Every future step that replaces at least one existing baseline step, in step-id order. */
export function replacements(workflow: Workflow, baseline: Workflow): Replacement[] {
  const current = new Map(baseline.steps.map((step) => [step.id, step] as const));
  const out: Replacement[] = [];
  for (const step of [...workflow.steps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const replaced = sortedIds(step.replaces ?? [])
      .map((id) => current.get(id))
      .filter((s): s is Step => s !== undefined);
    if (replaced.length === 0) continue;
    const replacedWaitMin = replaced.reduce((sum, s) => sum + s.waitMin, 0);
    out.push({ step, replaced, replacedWaitMin });
  }
  return out;
}
