/**
 * After go-live: the first weeks as the project's own records show them — each planned workflow's
 * last go-live check (an event log aligned with the designed future workflow, kept in the project
 * as `workflowChecks`) and the command centre's issue log — with thresholds that turn into risks
 * of the Go-live phase:
 * - conformance: the mean alignment fitness under {@link DEFAULT_MIN_FITNESS} (the bound
 *   `preflight workflow conform` exits 1 under) means work drifted from the design;
 * - workarounds: activities the design lacks on more than {@link MAX_WORKAROUND_SHARE} of cases;
 * - waits: a step whose median wait is more than {@link WAIT_TOLERANCE} above the designed wait;
 * - slower steps: a step whose typical touch time is beyond the check's own tolerance
 *   (`isSlowerThanDesigned`);
 * - the issue log: an issue still open in the first triage category (the most urgent, as the
 *   command centre lists them).
 * A check of a workflow edited since (its hash differs) is named stale and judged on nothing.
 * Before go-live there is nothing to judge, and nothing is a risk for its absence. Pure.
 */
import type { CommandCentre } from '../../formats/cutover.ts';
import type { Project, WorkflowCheck } from '../../formats/project.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import { DEFAULT_MIN_FITNESS, isSlowerThanDesigned } from '../workflow/eventlog/index.ts';
import type { JudgedPart } from './preparation.ts';
import type { AfterGoLive, AfterGoLiveWorkflow, ReadinessReason } from './types.ts';

import { count, day, list, minutes, percent, plural } from './words.ts';

/** Share of cases with a workaround above which the workarounds are a risk. */
const MAX_WORKAROUND_SHARE = 0.05;
/** Share above the designed wait beyond which a step's median wait is a risk. */
const WAIT_TOLERANCE = 0.5;

function workflowFigures(check: WorkflowCheck, project: Project): AfterGoLiveWorkflow | null {
  const workflow = project.workflows.find((w) => w.id === check.id);
  if (!workflow) return null;
  const r = check.result;
  const labels = new Map(workflow.steps.map((s) => [s.id, s.label]));
  const workarounds = Object.values(r.workarounds).reduce((n, x) => n + x, 0);
  const longerWaits = Object.entries(r.times).flatMap(([id, t]) =>
    t.wait && t.designedWaitMin > 0 && t.wait.medianMin > t.designedWaitMin * (1 + WAIT_TOLERANCE)
      ? [{ step: labels.get(id) ?? id, medianMin: t.wait.medianMin, designedMin: t.designedWaitMin }]
      : [],
  );
  const slowerSteps = Object.entries(r.times)
    .filter(([, t]) => isSlowerThanDesigned(t, r.slowerTolerance))
    .map(([id]) => labels.get(id) ?? id);
  return {
    workflow: workflow.name,
    log: check.log,
    checkedAt: check.checkedAt,
    stale: canonicalSha256Hex(workflow) !== check.workflowSha256,
    cases: r.cases,
    fitness: r.fitness,
    conformingShare: r.cases === 0 ? 1 : r.conformingCases / r.cases,
    workaroundShare: r.cases === 0 ? 0 : workarounds / r.cases,
    longerWaits,
    slowerSteps,
  };
}

function issueLog(centre: CommandCentre | null): Pick<AfterGoLive, 'issuesByDay' | 'openIssues'> {
  const byDay = new Map<string, Record<string, number>>();
  for (const issue of centre?.issues ?? []) {
    const counts = byDay.get(issue.day) ?? {};
    counts[issue.category] = (counts[issue.category] ?? 0) + 1;
    byDay.set(issue.day, counts);
  }
  return {
    issuesByDay: [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, counts]) => ({ day: d, counts, total: Object.values(counts).reduce((n, x) => n + x, 0) })),
    openIssues: (centre?.issues ?? []).filter((i) => i.status === 'open').length,
  };
}

/** The first weeks of `project` and what of them is a risk (see the header). */
export function judgeAfterGoLive(
  project: Project,
  centre: CommandCentre | null,
): JudgedPart & { summary: AfterGoLive } {
  const workflows = (project.workflowChecks ?? [])
    .map((c) => workflowFigures(c, project))
    .filter((w): w is AfterGoLiveWorkflow => w !== null);
  const log = issueLog(centre);
  const summary: AfterGoLive = { workflows, ...log };
  const evidence: string[] = [];
  const reasons: ReadinessReason[] = [];
  const risk = (text: string) => reasons.push({ blocks: false, text, act: 'workflows' });
  for (const w of workflows) {
    const head = `After go-live, “${w.workflow}” (${w.log}, checked ${day(w.checkedAt)})`;
    if (w.stale) {
      evidence.push(
        `${head}: the workflow was edited after this check, so its figures no longer describe it.`,
      );
      continue;
    }
    evidence.push(
      `${head}: ${plural(w.cases, 'case')}, ${percent(w.conformingShare)} as designed (fitness ${w.fitness.toFixed(2)}), workarounds in ${percent(w.workaroundShare)} of cases, ${plural(w.longerWaits.length, 'step')} waiting longer and ${plural(w.slowerSteps.length, 'step')} slower than designed.`,
    );
    if (w.fitness < DEFAULT_MIN_FITNESS)
      risk(
        `After go-live, “${w.workflow}” drifted from its design: fitness ${w.fitness.toFixed(2)}, under ${DEFAULT_MIN_FITNESS.toFixed(2)}. See where on the Workflows screen (check against the plan).`,
      );
    if (w.workaroundShare > MAX_WORKAROUND_SHARE)
      risk(
        `After go-live, “${w.workflow}”: workarounds in ${percent(w.workaroundShare, 'up')} of cases, over ${percent(MAX_WORKAROUND_SHARE)}. Ask the roles why and fix the design or the system.`,
      );
    if (w.longerWaits.length > 0)
      risk(
        `After go-live, “${w.workflow}”: ${list(w.longerWaits.map((x) => `${x.step} waits ${minutes(x.medianMin)} (designed ${minutes(x.designedMin)})`))}, more than ${percent(WAIT_TOLERANCE)} over the design.`,
      );
    if (w.slowerSteps.length > 0)
      risk(`After go-live, “${w.workflow}”: ${list(w.slowerSteps)} slower than designed.`);
  }
  if (log.issuesByDay.length > 0) {
    const categories = centre?.triage.map((t) => t.name) ?? [];
    evidence.push(
      `Command centre issue log: ${log.issuesByDay.map((d) => `${d.day} ${count(d.total)}`).join(', ')}; ${count(log.openIssues)} open.`,
    );
    const urgent = categories[0];
    const open = (centre?.issues ?? []).filter((i) => i.status === 'open' && i.category === urgent);
    if (urgent && open.length > 0)
      risk(
        `Command centre: ${plural(open.length, 'issue')} still open under “${urgent}”: ${list(open.map((i) => `“${i.title}” (${i.day})`))}.`,
      );
  }
  return {
    evidence,
    reasons: reasons.map((r) => (r.text.startsWith('Command centre') ? { ...r, act: 'readiness' } : r)),
    summary,
  };
}
