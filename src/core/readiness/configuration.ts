/**
 * Configuration: are paper habits being rebuilt in software? Judged on the findings of each planned
 * workflow (the analysis the Workflows screen shows), the current steps it leaves untraced, and
 * the today → planned deltas. Findings at or above the `findingsBlockAt` gate block; the rest put
 * the phase at risk. Capacity findings (`role-overload`, `golive-capacity`) are left to the peak
 * and go-live gates, which judge the same numbers against the clinic's own limits.
 */
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { hasRule, type MetricDelta, ruleTagsOf } from '../workflow/index.ts';
import { type Finding, type FindingSeverity, ruleById } from '../workflow/rules/index.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { count, list, minutes, plural } from './words.ts';
import type { PlannedWorkflow, WorkflowEvidence } from './workflowEvidence.ts';

/** Rules judged by the capacity gates instead (pre-launch and go-live). */
const CAPACITY_RULES: ReadonlySet<string> = new Set(['role-overload', 'golive-capacity']);

const SEVERITY_WORDS: Record<FindingSeverity, [string, string]> = {
  error: ['problem', 'problems'],
  warn: ['warning', 'warnings'],
  info: ['note', 'notes'],
};

const RANK: Record<FindingSeverity, number> = { error: 2, warn: 1, info: 0 };

function findingCounts(findings: readonly Finding[]): string {
  const parts = (['error', 'warn', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, ...SEVERITY_WORDS[s]));
  return parts.length === 0 ? 'no open finding' : list(parts);
}

function ruleTitles(findings: readonly Finding[]): string {
  return list([
    ...new Set(findings.flatMap((f) => ruleTagsOf(f).map((rule) => ruleById(rule)?.title ?? rule))),
  ]);
}

/** The compared metrics a manager reads, each with its label and unit. */
const DELTAS: ReadonlyArray<[MetricDelta['metric'], string, (v: number) => string]> = [
  ['touchMin', 'staff time', minutes],
  ['waitMin', 'waits', minutes],
  ['handoffs', 'handoffs', (v) => String(Math.round(v * 10) / 10)],
  ['clicks', 'clicks', (v) => count(Math.round(v))],
];

const paperSteps = (w: Workflow) => w.steps.filter((s) => s.medium === 'paper').length;

function deltas(p: PlannedWorkflow): string | null {
  if (!p.comparison || !p.baseline) return null;
  const parts: string[] = [];
  for (const [metric, label, format] of DELTAS) {
    const d = p.comparison.metrics.deltas.find((x) => x.metric === metric);
    if (d) parts.push(`${label} ${format(d.current)} → ${format(d.future)}`);
  }
  parts.push(`paper steps ${paperSteps(p.baseline)} → ${paperSteps(p.workflow)}`);
  return `“${p.workflow.name}”, today → planned per case: ${parts.join('; ')}.`;
}

export function configurationPhase(workflows: WorkflowEvidence, gates: ReadinessGates): PhaseReadiness {
  const base = { id: 'configuration', name: 'Configuration', act: 'workflows' } as const;
  if (workflows.planned.length === 0) {
    return notStarted(
      base,
      'No planned workflow is in the project.',
      'Not started: no planned workflow to check. Add the planned workflow on the Workflows screen.',
    );
  }
  const evidence: string[] = [];
  const blocking: ReadinessReason[] = [];
  const risks: ReadinessReason[] = [];
  const gateWords = gates.findingsBlockAt === 'error' ? 'no open problem' : 'no open problem or warning';
  for (const p of workflows.planned) {
    const name = p.workflow.name;
    const findings = p.analysis.findings.filter(
      (f) => !ruleTagsOf(f).every((rule) => CAPACITY_RULES.has(rule)),
    );
    const untraced = findings.filter((f) => hasRule(f, 'untraced-current-step')).length;
    evidence.push(
      // the analysis gives one finding per root cause, whatever number of checks it tripped
      `“${name}”: ${findingCounts(findings)}${findings.length > 0 ? ', counted by root cause' : ''}${p.baseline ? `; ${plural(untraced, 'current step')} of today's workflow untraced` : ''}.`,
    );
    const line = deltas(p);
    if (line) evidence.push(line);
    if (!p.analysis.metrics.ok) {
      blocking.push({
        blocks: true,
        text: `“${name}” cannot be measured: ${p.analysis.metrics.problem.message}`,
        act: 'workflows',
      });
    }
    const blockers = findings.filter((f) => RANK[f.severity] >= RANK[gates.findingsBlockAt]);
    if (blockers.length > 0)
      blocking.push({
        blocks: true,
        text: `“${name}” has ${findingCounts(blockers)} open (${ruleTitles(blockers)}); the gate is ${gateWords}.`,
        act: 'workflows',
        gate: 'findingsBlockAt',
      });
    const others = findings.filter(
      (f) => f.severity === 'warn' && RANK[f.severity] < RANK[gates.findingsBlockAt],
    );
    if (others.length > 0)
      risks.push({
        blocks: false,
        text: `“${name}” has ${findingCounts(others)} open (${ruleTitles(others)}).`,
        act: 'workflows',
      });
  }
  const reasons = [...blocking, ...risks];
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
