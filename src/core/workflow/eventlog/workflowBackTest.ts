/**
 * The last back-test of a workflow as the project keeps it (`WorkflowBackTest`,
 * `#/$defs/workflowBackTest` of preflight.project/v1): the comparison's figures per step, the
 * log's name (and SHA-256 when the file could be read), when it finished, and the canonical hash
 * of the workflow as it was tested.
 *
 * Why the hash: a back-test holds for the staff and times the workflow had. Once the workflow is
 * edited (a nurse added, a step re-timed) its verdict no longer speaks for it;
 * {@link backTestFreshness} says so, and the app shows such a result as out of date instead of
 * as the model's standing. The hash is over RFC 8785 canonical JSON, so it does not depend on key
 * order or on how the workflow was stored or imported.
 *
 * Only the fields of the format are copied, field by field: figures, step ids, labels and lane
 * ids — never the log, case ids or people, whatever else a result object carries. Pure.
 */
import type { WorkflowBackTest } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import type { BackTest } from './backTest.ts';

/** The log a back-test ran on: its file name, and its SHA-256 (lowercase hex) when known. */
interface BackTestLog {
  name: string;
  sha256?: string;
}

/** The record to keep for `result`, the back-test of `workflow` on `log`, finished at `testedAt`. */
export function workflowBackTestOf(
  workflow: Workflow,
  log: BackTestLog,
  testedAt: string,
  result: BackTest,
): WorkflowBackTest {
  return {
    id: workflow.id,
    workflowSha256: canonicalSha256Hex(workflow),
    log: { name: log.name, ...(log.sha256 !== undefined ? { sha256: log.sha256 } : {}) },
    testedAt,
    result: {
      seed: result.seed,
      replications: result.replications,
      cases: result.cases,
      from: result.from,
      to: result.to,
      toleranceMin: result.toleranceMin,
      toleranceShare: result.toleranceShare,
      steps: result.steps.map((s) => ({
        stepId: s.stepId,
        label: s.label,
        laneId: s.laneId,
        staff: s.staff,
        observed: { n: s.observed.n, meanMin: s.observed.meanMin, medianMin: s.observed.medianMin },
        delayMeanMin: s.delayMeanMin,
        simulatedMeanMin: {
          mean: s.simulatedMeanMin.mean,
          low: s.simulatedMeanMin.low,
          high: s.simulatedMeanMin.high,
        },
        expectedRange: { low: s.expectedRange.low, high: s.expectedRange.high },
        toleranceMin: s.toleranceMin,
        status: s.status,
        touchFromWorkflow: s.touchFromWorkflow,
      })),
      checked: result.checked,
      reproduced: result.reproduced,
      verdict: result.verdict,
    },
  };
}

/**
 * Whether `kept` was made on `workflow` as it is now (`current`), on an earlier version of it
 * (`stale`: edited since), or is not a back-test of this workflow at all (`other`).
 */
export function backTestFreshness(kept: WorkflowBackTest, workflow: Workflow): 'current' | 'stale' | 'other' {
  if (kept.id !== workflow.id) return 'other';
  let hash: string;
  try {
    hash = canonicalSha256Hex(workflow);
  } catch {
    return 'stale'; // a workflow JSON cannot carry was never the one tested
  }
  return hash === kept.workflowSha256 ? 'current' : 'stale';
}
