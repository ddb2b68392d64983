/**
 * The one table of finding rules (docs/architecture.md#adding-a-finding-rule): the analysis runs them in
 * this order, and the docs (rules/README.md), the UI legend and the tests iterate over it.
 * Rule ids are public (extend, never rename); a test checks this table against
 * `WORKFLOW_RULE_IDS` of the settings format and against the README.
 */
import { carriedOverWait } from './carried-over-wait.ts';
import { clickBurden } from './click-burden.ts';
import { delegableTask } from './delegable-task.ts';
import { digitizedPaperStep } from './digitized-paper-step.ts';
import { duplicateEntry } from './duplicate-entry.ts';
import { goliveCapacity } from './golive-capacity.ts';
import { handoffIncrease } from './handoff-increase.ts';
import { handoffPingPong } from './handoff-ping-pong.ts';
import { keptHandoffWait } from './kept-handoff-wait.ts';
import { longWait } from './long-wait.ts';
import { manualTranscription } from './manual-transcription.ts';
import { noOpDecision } from './no-op-decision.ts';
import { openLoopOrder } from './open-loop-order.ts';
import { printScanLoop } from './print-scan-loop.ts';
import { reworkLoop } from './rework-loop.ts';
import { roleOverload } from './role-overload.ts';
import { serialApproval } from './serial-approval.ts';
import { structure } from './structure.ts';
import type { WorkflowRule } from './types.ts';
import { untracedCurrentStep } from './untraced-current-step.ts';

// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { chain, flows, LANES, startEnd, step } from './testing/builders.ts';
export type { AnalysisSettings, Finding, FindingSeverity, GoLiveAnalysis, WorkflowRuleId } from './types.ts';

/** Every finding rule, in the order the analysis runs and the docs list them. */
export const WORKFLOW_RULES: readonly WorkflowRule[] = [
  digitizedPaperStep,
  carriedOverWait,
  duplicateEntry,
  manualTranscription,
  serialApproval,
  clickBurden,
  handoffIncrease,
  roleOverload,
  untracedCurrentStep,
  structure,
  printScanLoop,
  delegableTask,
  openLoopOrder,
  noOpDecision,
  goliveCapacity,
  longWait,
  reworkLoop,
  handoffPingPong,
  keptHandoffWait,
];

/** The rule with `id`, if any. */
export function ruleById(id: string): WorkflowRule | undefined {
  return WORKFLOW_RULES.find((rule) => rule.id === id);
}
