/**
 * The cutover runbook and the go-live command centre, judged for the Go-live phase
 * (docs/product.md#readiness). Neither has a gate of its own: what is missing or wrong is a risk
 * the committee sees, never a pass by absence — a project without them keeps go-live at risk.
 *
 * The runbook is judged on:
 * - its essential steps: the data freeze, the final extract, the delta load, the reconciliation
 *   sign-off and at least one go/no-go checkpoint (conversions are shown, not required: not every
 *   clinic carries open orders or booked appointments over);
 * - each step owned and timed, waiting only for steps that exist, planned no earlier than the
 *   steps it waits for, and no step waiting on itself through others (a cycle);
 * - a reconciliation step marked done while the Pre-launch phase still holds an open reason on
 *   the migration runs or the clinicians' sign-off: the runbook says done, the evidence disagrees.
 *   The reconciliation is linked to that evidence through the Pre-launch judgement itself, so the
 *   two can never count differently.
 *
 * The command centre is judged on where it sits, its hours, an escalation tree whose every role
 * has a person, and triage categories.
 *
 * Pure: the same project gives the same judgement.
 */
import {
  type CommandCentre,
  type CutoverStep,
  type CutoverStepKind,
  type CutoverStepStatus,
  readCommandCentre,
  readCutoverRunbook,
} from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import type {
  CommandCentreSummary,
  CutoverSummary,
  JudgedStep,
  PhaseReadiness,
  ReadinessReason,
  RunbookState,
  RunbookSummary,
} from './types.ts';

export type { CutoverSummary } from './types.ts';

import { count, list, plural } from './words.ts';

/** The steps no cutover can do without, in runbook order. */
const ESSENTIAL_STEP_KINDS: readonly CutoverStepKind[] = [
  'freeze',
  'final-extract',
  'delta-load',
  'reconciliation',
  'checkpoint',
];

/** How each kind of step reads. */
export const STEP_KIND_WORDS: Readonly<Record<CutoverStepKind, string>> = {
  freeze: 'data freeze',
  'final-extract': 'final extract',
  'delta-load': 'delta load',
  reconciliation: 'reconciliation sign-off',
  conversion: 'conversion',
  checkpoint: 'go/no-go checkpoint',
  other: 'other step',
};

/** How each status reads. */
export const STEP_STATUS_WORDS: Readonly<Record<CutoverStepStatus, string>> = {
  planned: 'planned',
  'in-progress': 'in progress',
  done: 'done',
  blocked: 'blocked',
  skipped: 'skipped',
};

/** The reason every go-live carries until the clinic records its cutover runbook. */
export const RUNBOOK_NOT_RECORDED =
  'No cutover runbook is recorded: write the steps from the data freeze to the last go/no-go checkpoint, each with an owner and a time, on the Readiness screen.';
/** The reason every go-live carries until the clinic records its command centre. */
export const COMMAND_CENTRE_NOT_RECORDED =
  'No command centre is recorded: say where it sits, its hours, who is called in what order and how issues are triaged, on the Readiness screen.';

const quoted = (s: Pick<CutoverStep, 'title'>) => `“${s.title}”`;
const when = (s: Pick<CutoverStep, 'plannedAt'>) => s.plannedAt?.replace('T', ' ');

/** The ids of steps that wait on themselves through others. */
function inCycles(steps: readonly CutoverStep[]): Set<string> {
  const after = new Map(steps.map((s) => [s.id, s.after ?? []]));
  const found = new Set<string>();
  for (const start of steps) {
    const seen = new Set<string>();
    const stack = [...(after.get(start.id) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === start.id) {
        found.add(start.id);
        break;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(after.get(id) ?? []));
    }
  }
  return found;
}

function judgeSteps(steps: readonly CutoverStep[]): JudgedStep[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const cycles = inCycles(steps);
  return steps.map((step) => {
    const problems: string[] = [];
    if (!step.owner) problems.push('no owner');
    if (!step.plannedAt) problems.push('no planned time');
    for (const id of step.after ?? []) {
      const before = byId.get(id);
      if (!before) problems.push(`waits for a step that is not in the runbook (${id})`);
      else if (step.plannedAt && before.plannedAt && step.plannedAt < before.plannedAt)
        problems.push(`planned before ${quoted(before)}, which it waits for`);
    }
    if (cycles.has(step.id)) problems.push('waits for itself through other steps');
    return { ...step, problems };
  });
}

/** The Pre-launch reasons on the migration runs and the sign-off: what a reconciliation rests on. */
const migrationReasons = (preLaunch: PhaseReadiness) =>
  preLaunch.reasons.filter((r) => r.blocks && (r.act === 'migration' || r.act === 'signoff'));

function summariseRunbook(steps: readonly CutoverStep[], preLaunch: PhaseReadiness): RunbookSummary {
  const judged = judgeSteps(steps);
  const counts = { planned: 0, 'in-progress': 0, done: 0, blocked: 0, skipped: 0 };
  for (const s of judged) counts[s.status] += 1;
  const missing = ESSENTIAL_STEP_KINDS.filter((k) => !judged.some((s) => s.kind === k));
  const open = judged
    .filter((s) => s.status === 'planned' || s.status === 'in-progress')
    .sort((a, b) => (a.plannedAt ?? '9999').localeCompare(b.plannedAt ?? '9999'));
  const first = open[0];
  const disagree = migrationReasons(preLaunch);
  const reconciliation =
    disagree.length === 0
      ? ['The migration runs and the clinicians’ sign-off pass on the Pre-launch phase.']
      : [
          `The migration runs and the clinicians’ sign-off hold ${plural(disagree.length, 'open reason')} on the Pre-launch phase:`,
          ...disagree.map((r) => r.text),
        ];
  const finished = judged.length > 0 && judged.every((s) => s.status === 'done' || s.status === 'skipped');
  const state: RunbookState =
    missing.length > 0 || judged.some((s) => s.problems.length > 0)
      ? 'incomplete'
      : counts.blocked > 0
        ? 'blocked'
        : finished
          ? 'done'
          : counts.done + counts['in-progress'] > 0
            ? 'under-way'
            : 'planned';
  return {
    state,
    steps: judged,
    counts,
    missing,
    ...(first
      ? {
          next: {
            id: first.id,
            title: first.title,
            ...(first.owner ? { owner: first.owner } : {}),
            ...(first.plannedAt ? { plannedAt: first.plannedAt } : {}),
          },
        }
      : {}),
    reconciliation,
  };
}

function summariseCentre(centre: CommandCentre): CommandCentreSummary {
  const missing: string[] = [];
  if (!centre.location) missing.push('where it sits');
  if (!centre.hours) missing.push('its hours');
  if (centre.escalation.length === 0) missing.push('the escalation tree');
  const empty = centre.escalation.filter((e) => e.people.length === 0).map((e) => e.role);
  if (empty.length > 0) missing.push(`a person for ${list(empty)}`);
  if (centre.triage.length === 0) missing.push('the triage categories');
  return { state: missing.length > 0 ? 'incomplete' : 'ready', missing, centre };
}

/** How the runbook's state reads. */
export const RUNBOOK_STATE_WORDS: Readonly<Record<RunbookState, string>> = {
  incomplete: 'incomplete',
  planned: 'planned, not started',
  'under-way': 'under way',
  blocked: 'blocked',
  done: 'done',
};

/** The runbook in one line: its state, its steps by status and what comes next. */
export function runbookLine(runbook: RunbookSummary | null): string {
  if (!runbook) return 'Cutover runbook: not recorded.';
  const counts = (['done', 'in-progress', 'planned', 'blocked', 'skipped'] as const)
    .filter((s) => runbook.counts[s] > 0)
    .map((s) => `${count(runbook.counts[s])} ${STEP_STATUS_WORDS[s]}`);
  const next = runbook.next
    ? `; next: ${quoted(runbook.next)}${runbook.next.plannedAt ? ` at ${when(runbook.next)}` : ''}${runbook.next.owner ? ` (${runbook.next.owner})` : ''}`
    : '';
  return `Cutover runbook: ${RUNBOOK_STATE_WORDS[runbook.state]} — ${plural(runbook.steps.length, 'step')}${counts.length > 0 ? ` (${list(counts)})` : ''}${next}.`;
}

/** The command centre in one line. */
export function commandCentreLine(summary: CommandCentreSummary | null): string {
  if (!summary) return 'Command centre: not recorded.';
  const { centre } = summary;
  const parts = [
    centre.location ?? 'location not recorded',
    centre.hours ?? 'hours not recorded',
    centre.escalation.length > 0
      ? `escalation: ${centre.escalation.map((e) => `${e.role} (${e.people.length > 0 ? list(e.people) : 'nobody named'})`).join(' → ')}`
      : 'no escalation tree',
    centre.triage.length > 0
      ? `triage: ${list(centre.triage.map((t) => (t.response ? `${t.name} (${t.response})` : t.name)))}`
      : 'no triage categories',
  ];
  return `Command centre: ${summary.state === 'ready' ? 'ready' : 'incomplete'} — ${parts.join('; ')}.`;
}

/** The cutover's evidence and reasons for the Go-live phase, and its summary for the result. */
export function judgeCutover(
  project: Project,
  preLaunch: PhaseReadiness,
): { summary: CutoverSummary; evidence: string[]; reasons: ReadinessReason[] } {
  const book = readCutoverRunbook(project.meta.settings);
  const centre = readCommandCentre(project.meta.settings);
  const runbook = book ? summariseRunbook(book.steps, preLaunch) : null;
  const commandCentre = centre ? summariseCentre(centre) : null;
  const reasons: ReadinessReason[] = [];
  const risk = (text: string) => reasons.push({ blocks: false, text, act: 'readiness' });
  if (!runbook) risk(RUNBOOK_NOT_RECORDED);
  else {
    if (runbook.missing.length > 0)
      risk(
        `Cutover runbook: no step for the ${list(runbook.missing.map((k) => STEP_KIND_WORDS[k]))}. Add ${runbook.missing.length === 1 ? 'it' : 'them'} with an owner and a time.`,
      );
    const wanting = runbook.steps.filter((s) => s.problems.length > 0);
    if (wanting.length > 0)
      risk(`Cutover runbook: ${wanting.map((s) => `${quoted(s)} has ${list(s.problems)}`).join('; ')}.`);
    for (const s of runbook.steps.filter((x) => x.status === 'blocked'))
      risk(
        `Cutover runbook: ${quoted(s)} is blocked${s.owner ? ` (owner: ${s.owner})` : ''}${s.note ? `: ${s.note}` : ''}.`,
      );
    const disagree = migrationReasons(preLaunch);
    for (const s of runbook.steps.filter((x) => x.kind === 'reconciliation' && x.status === 'done'))
      if (disagree.length > 0)
        risk(
          `Cutover runbook: ${quoted(s)} is marked done, but the migration runs and the clinicians’ sign-off hold ${plural(disagree.length, 'open reason')} on the Pre-launch phase. Reconcile them, or reopen the step.`,
        );
  }
  if (!commandCentre) risk(COMMAND_CENTRE_NOT_RECORDED);
  else if (commandCentre.missing.length > 0)
    risk(`Command centre: still to record ${list(commandCentre.missing)}.`);
  return {
    summary: { runbook, commandCentre },
    evidence: [runbookLine(runbook), commandCentreLine(commandCentre)],
    reasons,
  };
}
