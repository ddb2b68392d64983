/**
 * The last go-live check of a planned workflow as the project keeps it (`WorkflowCheck`,
 * `#/$defs/workflowCheck` of preflight.project/v1): the conformance result, the log's name, when
 * it finished, and the canonical hash of the workflow as it was checked.
 *
 * Why the hash: a check names steps by id and compares measured times with the planned ones. Once
 * the workflow is edited (a step removed, a time re-planned), the marks of an older check may
 * point at the wrong things; {@link checkFreshness} says so, and the app shows such a check as out
 * of date instead of reusing it as if it were current. The hash is over RFC 8785 canonical JSON,
 * so it does not depend on key order or on how the workflow was stored or imported.
 */
import type { CheckResult, GoLiveObservation, WorkflowCheck } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import type { ConformanceResult } from './conform.ts';

/** The stored shape is exactly the conformance result's (checked by the type checker, both ways). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const RESULT_IS_STORED_SHAPE: Same<ConformanceResult, CheckResult> = true;
void RESULT_IS_STORED_SHAPE;

/**
 * The check of `workflow` against the log named `log`, finished at `checkedAt` (the caller's
 * clock); `observed`: what the same log shows of the go-live forecast's load (src/core/forecast),
 * kept beside it when given.
 */
export function workflowCheckOf(
  workflow: Workflow,
  log: string,
  checkedAt: string,
  result: ConformanceResult,
  observed?: GoLiveObservation,
): WorkflowCheck {
  return {
    id: workflow.id,
    workflowSha256: canonicalSha256Hex(workflow),
    log,
    checkedAt,
    result,
    ...(observed ? { observed } : {}),
  };
}

/**
 * Whether `check` was made on `workflow` as it is now (`current`), on an earlier version of it
 * (`stale`: edited since), or is not a check of this workflow at all (`other`).
 */
export function checkFreshness(check: WorkflowCheck, workflow: Workflow): 'current' | 'stale' | 'other' {
  if (check.id !== workflow.id) return 'other';
  let hash: string;
  try {
    hash = canonicalSha256Hex(workflow);
  } catch {
    return 'stale'; // a workflow JSON cannot carry was never the one checked
  }
  return hash === check.workflowSha256 ? 'current' : 'stale';
}

/**
 * Why the check `result` cannot be kept as its workflow's last go-live check, or null when it can.
 * A log none of whose activities matches a step of the workflow (another process's log, or labels
 * the design does not use) is no go-live of this workflow: kept, it would replace the last check
 * with one in which every step was skipped, and its observation would measure no role.
 */
export function unfitLogReason(result: ConformanceResult): string | null {
  if (result.cases === 0) return 'the log has no cases';
  if (Object.keys(result.matched).length === 0)
    return 'none of the log’s activities matches a step of the workflow, so it is not a log of this workflow as read';
  return null;
}
