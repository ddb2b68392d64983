/**
 * The shape of a finding rule and of its findings (one rule per file, declared as data, registered
 * in the one table of rules/index.ts: docs/architecture.md#adding-a-finding-rule).
 *
 * Severity model (documented in rules/README.md): each rule has a default severity, which a
 * project may change per rule (`off` | `info` | `warn` | `error`, as in bpmnlint). A rule's
 * ordinary findings take the configured severity; where a rule's documentation says so, a finding
 * is raised one level (a bottleneck on the critical path, clinical data re-keyed, ρ ≥ 1) or
 * lowered one level (a rare click-heavy step). Raising `error` stays `error`; lowering `info`
 * stays `info`.
 *
 * Public contract: `Finding`, `WorkflowRule` and the rule ids are read by the CLI's `--json`,
 * the compare view and the UI legend. Extend with optional fields only.
 */
import type { AnalysisThresholds, RuleSeverity, WorkflowRuleId } from '../../../formats/analysisSettings.ts';
import type { GoLiveSettings, Workflow } from '../../../formats/workflow.ts';
import type { ScheduleCut } from '../goLive.ts';
import type { Visits, WorkflowGraph } from '../graph.ts';
import type { MetricsProblem, WorkflowMetrics } from '../metrics.ts';

export type { RuleSeverity, WorkflowRuleId } from '../../../formats/analysisSettings.ts';

/** The severity of a finding (a rule that is `off` has none). */
export type FindingSeverity = Exclude<RuleSeverity, 'off'>;

/** A JSON value: what a finding's evidence may hold (it goes into `--json` output as is). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One thing the analysis found in a workflow. */
export interface Finding {
  /** the rule's id, e.g. `digitized-paper-step` */
  rule: string;
  severity: FindingSeverity;
  /** the steps involved (ids of the analysed workflow; ids of the baseline for `untraced-current-step`) */
  stepIds: string[];
  /** one or two sentences for a clinic manager: what, where (step labels) and why it matters */
  message: string;
  /** the numbers behind the message (finite numbers only), e.g. `{ replacedWaitMin: 25, futureWaitMin: 22 }` */
  evidence: Record<string, JsonValue>;
  /**
   * Every rule id of this root cause, `rule` first, each once (set by the analysis on every
   * finding it returns: `rootCauses.ts`). A consumer asking "did rule X fire?" reads this list,
   * not `rule` alone.
   */
  rules?: string[];
  /**
   * Every finding of this root cause as its rule gave it, the leading one (this `rule`, `message`
   * and `evidence`) first, then the folded ones in analysis order; all their steps are in
   * `stepIds`. Absent when the root cause has one finding.
   */
  parts?: Finding[];
}

/** Resolved analysis settings: every threshold and every rule's severity. */
export interface AnalysisSettings {
  thresholds: AnalysisThresholds;
  severities: Record<WorkflowRuleId, RuleSeverity>;
}

/** Go-live numbers shared by the rules and returned by the analysis. */
export interface GoLiveAnalysis {
  /** the go-live settings used (the workflow's `goLive`, or normal bookings at 70 % productivity) */
  settings: GoLiveSettings;
  /** metrics at those settings; null when the workflow has no finite metrics (trapped loop) */
  metrics: WorkflowMetrics | null;
  /** the smallest schedule cut keeping every role at or under the utilisation limit; null as above */
  cut: ScheduleCut | null;
}

/**
 * Everything a rule may read, computed once per analysis and shared by all rules (no rule
 * re-derives visits, metrics or ρ).
 */
export interface RuleContext {
  workflow: Workflow;
  /** the current workflow a future one replaces, when given */
  baseline: Workflow | null;
  graph: WorkflowGraph;
  /** expected visits per case (graph.ts); trapped steps have NaN */
  visits: Visits;
  /** peak metrics; null when a trapped loop makes them infinite (see `metricsProblem`) */
  metrics: WorkflowMetrics | null;
  metricsProblem: MetricsProblem | null;
  goLive: GoLiveAnalysis;
  /** the baseline's peak metrics (null without a baseline or when it has none) */
  baselineMetrics: WorkflowMetrics | null;
  /** cases per day: the workflow's `casesPerDay`, else arrivals per hour × 8 */
  casesPerDay: number;
  settings: AnalysisSettings;
  /** this rule's configured severity (never `off`: such rules do not run) */
  severity: FindingSeverity;
}

/**
 * Kinds of root cause shared by several rules: `kept-wait` (a step of today keeps its wait:
 * a paper step digitized, a wait carried over, a chain of approvals), `typed-twice` (the same
 * data keyed again: a duplicate entry, a manual transcription between systems).
 */
export type RootCauseKind = 'kept-wait' | 'typed-twice';

/** What a rule needs besides the workflow; without it the rule is skipped (no finding). */
export type RuleRequirement = 'baseline' | 'metrics';

/** One finding rule, declared as data. */
export interface WorkflowRule {
  id: WorkflowRuleId;
  /** default severity (a project may override it) */
  severity: RuleSeverity;
  /** a short name for the legend, e.g. "Paper step rebuilt on screen" */
  title: string;
  /** why it matters, in a clinic manager's words, naming its source */
  describe: string;
  /** what the rule needs; a rule whose need is unmet is skipped */
  requires: readonly RuleRequirement[];
  /**
   * The kind of root cause its findings point at. Findings of different rules with the same
   * `cause` whose steps nest (one's steps all among the other's) are one root cause: one finding
   * carrying every rule id (rootCauses.ts). Rules without a cause are never folded.
   */
  cause?: RootCauseKind;
  detect(context: RuleContext): Finding[];
}

/** What a rule reading a log's evidence needs: the workflow (its `observed`), settings, severity. */
export type LogRuleContext = Pick<RuleContext, 'workflow' | 'settings' | 'severity'>;

/**
 * A rule that reads only what an event log showed (the workflow's `observed` evidence), so it
 * runs without metrics, right after discovery (`logFindings` in ../logFindings.ts).
 */
export interface LogRule extends WorkflowRule {
  detect(context: LogRuleContext): Finding[];
}

const ORDER: readonly FindingSeverity[] = ['info', 'warn', 'error'];

/** One level above `severity` (error stays error). */
export function raised(severity: FindingSeverity): FindingSeverity {
  return ORDER[Math.min(ORDER.length - 1, ORDER.indexOf(severity) + 1)] as FindingSeverity;
}

/** One level below `severity` (info stays info). */
export function lowered(severity: FindingSeverity): FindingSeverity {
  return ORDER[Math.max(0, ORDER.indexOf(severity) - 1)] as FindingSeverity;
}

/** Severity rank for sorting: error first. */
export function severityRank(severity: FindingSeverity): number {
  return ORDER.length - 1 - ORDER.indexOf(severity);
}
