/**
 * The workflow analysis: metrics at peak and at go-live, then every finding rule of the rule
 * table (rules/index.ts) over one shared context. This is the function the CLI
 * (`preflight workflow analyze`), the compare view and the analysis UI call.
 *
 * Contract (other modules build on it; extend with optional fields only):
 * `analyzeWorkflow(workflow, { baseline?, settings?, baselineMetrics? }) → { metrics, goLive, findings, settings }`.
 * - Rules whose severity is `off` do not run; a rule that needs the baseline (or finite metrics)
 *   and has none is skipped — no finding, not an error.
 * - A workflow whose metrics cannot be computed (a loop cases never leave) still gets its
 *   `structure` findings (and every rule that needs no metrics).
 * - One root cause is one finding: findings of rules sharing a `cause` on nested steps are folded
 *   into the first (rootCauses.ts), which lists every rule id in `rules`; every finding has
 *   `rules`. Counts of findings are counts of root causes.
 * - Findings are sorted: severity (error first), rule table order, step ids, message — the same
 *   whatever the order of steps, lanes or flows in the file (property-tested).
 * Pure and deterministic; never throws for a workflow that passed its schema.
 */
import type { AnalysisSettingsInput } from '../../formats/analysisSettings.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { goLiveMetrics, goLiveSettingsOf, scheduleCutForGoLive } from './goLive.ts';
import type { Visits } from './graph.ts';
import { computeMetrics, type MetricsResult, prepareWorkflow } from './metrics.ts';
import { foldRootCauses } from './rootCauses.ts';
import { WORKFLOW_RULES } from './rules/index.ts';
import { casesPerDayOf, compareIds } from './rules/shared.ts';
import {
  type AnalysisSettings,
  type Finding,
  type GoLiveAnalysis,
  type RuleContext,
  severityRank,
  type WorkflowRule,
} from './rules/types.ts';
import { resolveAnalysisSettings } from './settings.ts';

/** Options of {@link analyzeWorkflow}. */
export interface AnalyzeOptions {
  /** the current workflow a future one replaces (needed by `untraced-current-step`, `handoff-increase`) */
  baseline?: Workflow;
  /** settings as written (all optional); bad values are reported in `settingsProblems` */
  settings?: AnalysisSettingsInput;
  /**
   * The baseline's metrics when the caller already has them (`analyzeWorkflow(baseline).metrics`,
   * as the CLI and the app do to compare the pair), so they are not computed a second time; they
   * must be `computeMetrics(baseline)`. Ignored without a baseline.
   */
  baselineMetrics?: MetricsResult;
}

/** The result of {@link analyzeWorkflow}. */
export interface WorkflowAnalysis {
  /** peak metrics, or the problem that prevents them (a trapped loop) */
  metrics: MetricsResult;
  /** go-live metrics and the schedule cut */
  goLive: GoLiveAnalysis;
  /** one per root cause (rules folded, see the header); sorted: severity, rule table order, step ids, message */
  findings: Finding[];
  /** the resolved settings the rules ran with */
  settings: AnalysisSettings;
  /** problems of the settings given (JSON Pointers into them); empty when they were fine */
  settingsProblems: FormatProblem[];
}

/** Analyses one workflow (see the header for the contract). */
export function analyzeWorkflow(workflow: Workflow, options: AnalyzeOptions = {}): WorkflowAnalysis {
  const { settings, problems } = resolveAnalysisSettings(options.settings);
  // the graph and its expected visits, built once for the peak and go-live metrics and the cut
  const prepared = prepareWorkflow(workflow);
  const { graph } = prepared;
  const metrics = computeMetrics(workflow, {}, prepared);
  const visits: Visits = prepared.solved;
  const goLiveSettings = goLiveSettingsOf(workflow);
  let goLive: GoLiveAnalysis = { settings: goLiveSettings, metrics: null, cut: null };
  if (metrics.ok) {
    const atGoLive = goLiveMetrics(workflow, goLiveSettings, prepared);
    const cut = scheduleCutForGoLive(
      workflow,
      settings.thresholds.utilisationLimit,
      goLiveSettings,
      prepared,
    );
    goLive = {
      settings: goLiveSettings,
      metrics: atGoLive.ok ? atGoLive.metrics : null,
      cut: cut.ok ? cut.cut : null,
    };
  }
  const baseline = options.baseline ?? null;
  const baselineResult = baseline ? (options.baselineMetrics ?? computeMetrics(baseline)) : null;
  const shared: Omit<RuleContext, 'severity'> = {
    workflow,
    baseline,
    graph,
    visits,
    metrics: metrics.ok ? metrics.metrics : null,
    metricsProblem: metrics.ok ? null : metrics.problem,
    goLive,
    baselineMetrics: baselineResult?.ok ? baselineResult.metrics : null,
    casesPerDay: casesPerDayOf(workflow),
    settings,
  };
  const findings: Finding[] = [];
  for (const rule of WORKFLOW_RULES) {
    const severity = settings.severities[rule.id];
    if (severity === 'off' || !requirementsMet(rule, shared)) continue;
    findings.push(...rule.detect({ ...shared, severity }));
  }
  return {
    metrics,
    goLive,
    findings: sortFindings(foldRootCauses(sortFindings(findings))),
    settings,
    settingsProblems: problems,
  };
}

function requirementsMet(rule: WorkflowRule, context: Omit<RuleContext, 'severity'>): boolean {
  return rule.requires.every((need) =>
    need === 'baseline' ? context.baseline !== null : context.metrics !== null,
  );
}

const RULE_ORDER = new Map(WORKFLOW_RULES.map((rule, index) => [rule.id as string, index] as const));

/** Sorts findings: severity (error first), rule table order, step ids, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (RULE_ORDER.get(a.rule) ?? RULE_ORDER.size) - (RULE_ORDER.get(b.rule) ?? RULE_ORDER.size) ||
      compareIdLists(a.stepIds, b.stepIds) ||
      compareIds(a.message, b.message),
  );
}

function compareIdLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareIds(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
