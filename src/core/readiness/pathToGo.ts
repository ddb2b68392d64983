/**
 * The shortest path to go: the fewest actions that turn every blocking reason of a readiness
 * result into a pass, each with the gate it clears, who does it and by when.
 *
 * One action per subject a gate judges: a planned workflow's open problems, an extract's rehearsal
 * (its share and its findings across files are one re-check), a sample plan's sign-off, a SAFER
 * guide's practices, the rollback plan. Blocking reasons of the same subject fold into one action,
 * so the path is never longer than the list of reasons and usually much shorter. Each action says
 * the evidence it records (`effect`, data not prose): recording that evidence clears its reasons,
 * which a test proves on the demo project by applying every effect and judging again.
 *
 * Owner and due day come from the project's own records, never invented: the role owners, the
 * runbook's owners of the final extract and of the reconciliation sign-off, the practice's owner in the self-assessment, who decides on the rollback;
 * due is the cutover runbook's freeze for migration and sign-off work (the data must pass before
 * it is frozen), else the planned go-live day. Where no record names one, it is null and
 * `ownerFrom`/`dueFrom` say so. Pure; kept apart from the readiness result, whose hash a steering
 * decision binds.
 */
import { readCutoverRunbook } from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import type { SaferGuideId } from '../../formats/steering.ts';
import { GATE_NAMES } from './gates.ts';
import { missingEssentials } from './rollback.ts';
import { SAFER_GUIDES } from './safer.ts';
import type { ActOn, PhaseId, PhaseReason, ReadinessResult } from './types.ts';
import { list, plural } from './words.ts';

/** The evidence an action records: what, applied to the project, clears its reasons. */
export type PathToGoEffect =
  /** the planned workflow redesigned until its analysis has no open finding at the gate */
  | { kind: 'fix-workflow'; workflowId: string }
  /** the extract checked again: a run at or over the valid-share gate, with no finding across files */
  | { kind: 'recheck-extract'; datasetId: string }
  /** the plan's sample drawn, reviewed, passing and signed as approving go-live */
  | { kind: 'sign-off-sample'; planId: string }
  /** the guide's practices assessed at or above its gate */
  | { kind: 'assess-safety'; guide: SaferGuideId; itemIds: string[]; atLeast: 'full' | 'partial' }
  /** the rollback/downtime plan's missing essentials written down and its drill recent */
  | { kind: 'complete-rollback-plan'; missing: string[] }
  /** any other blocking reason, acted on where it says */
  | { kind: 'resolve'; reason: string };

/** One action of the path. */
export interface PathToGoAction {
  /** what to do, in the clinic's words */
  action: string;
  /** the gate it clears; null for a reason no gate names (a phase not started, a workflow that cannot be measured) */
  gate: keyof ReadinessGates | null;
  phase: PhaseId;
  /** the workspace where it is done */
  act: ActOn;
  /** who does it, from the project's records; null when none names anyone */
  owner: string | null;
  /** where the owner comes from, or that no record names one */
  ownerFrom: string;
  /** the day (YYYY-MM-DD) it must be done by; null when the project records no day to hold it to */
  due: string | null;
  /** where the due day comes from, or that none is recorded */
  dueFrom: string;
  /** the blocking reasons (their texts) it turns into a pass */
  resolves: string[];
  effect: PathToGoEffect;
}

const quoted = (name: string) => `“${name}”`;

/** The longest name of `names` that `matches` `text`, so “Intake” never claims “Intake — future”. */
function subjectOf<T extends { name: string }>(
  text: string,
  items: readonly T[],
  matches: (text: string, name: string) => boolean,
): T | undefined {
  return [...items].sort((a, b) => b.name.length - a.name.length).find((i) => matches(text, i.name));
}

/** The path to go of `project` judged as `result` (see the header); empty on go. */
export function pathToGo(project: Project, result: ReadinessResult): PathToGoAction[] {
  const owners = new Map(
    readRoleOwners(project.meta.settings).roles.flatMap((r) => (r.owner ? [[r.role, r.owner] as const] : [])),
  );
  const rollback = readRollbackPlan(project.meta.settings);
  const goLive = rollback?.goLiveDate;
  const runbook = readCutoverRunbook(project.meta.settings)?.steps ?? [];
  // the runbook step of a kind that has an owner answers for that kind of work
  const stepOwner = (kind: string) => runbook.find((s) => s.kind === kind && s.owner)?.owner;
  const freeze = runbook
    .filter((s) => s.kind === 'freeze' && s.plannedAt)
    .map((s) => s.plannedAt?.slice(0, 10) ?? '')
    .sort()[0];
  const byGoLive = goLive
    ? { due: goLive, dueFrom: 'the planned go-live day (rollback plan)' }
    : { due: null, dueFrom: 'no go-live day is recorded (rollback plan)' };
  const beforeFreeze = freeze ? { due: freeze, dueFrom: 'the data freeze of the cutover runbook' } : byGoLive;
  const none = (what: string) => ({ owner: null, ownerFrom: `no owner is recorded for ${what}` });

  const actions = new Map<string, PathToGoAction>();
  const add = (key: string, reason: PhaseReason, make: () => Omit<PathToGoAction, 'resolves'>) => {
    const found = actions.get(key);
    if (found) found.resolves.push(reason.text);
    else actions.set(key, { ...make(), resolves: [reason.text] });
  };
  const planned = project.workflows.filter((w) => w.state === 'future');

  for (const reason of result.reasons) {
    const base = { gate: reason.gate ?? null, phase: reason.phase, act: reason.act };
    const workflow =
      reason.gate === 'findingsBlockAt' || (reason.phase === 'configuration' && !reason.gate)
        ? subjectOf(reason.text, planned, (t, n) => t.startsWith(quoted(n)))
        : undefined;
    if (workflow) {
      // the workflow's first role with an owner answers for its redesign
      const role = workflow.lanes.find((l) => owners.has(l.name));
      add(`workflow:${workflow.id}`, reason, () => ({
        ...base,
        action: `Redesign ${quoted(workflow.name)} on the Workflows screen until it has no open finding at the gate.`,
        ...(role
          ? { owner: owners.get(role.name) ?? null, ownerFrom: `the owner of the role ${role.name}` }
          : none(`a role of ${quoted(workflow.name)}`)),
        ...byGoLive,
        effect: { kind: 'fix-workflow', workflowId: workflow.id },
      }));
      continue;
    }
    const dataset =
      reason.gate === 'minValidShare'
        ? subjectOf(reason.text, project.datasets, (t, n) => t.startsWith(`${n}:`) || t.startsWith(`${n} `))
        : undefined;
    if (dataset) {
      add(`extract:${dataset.id}`, reason, () => ({
        ...base,
        action: `Fix ${dataset.name} (extract or mapping) and check it again on the Migration screen: at or over the valid-share gate, no finding across files.`,
        ...(stepOwner('final-extract')
          ? {
              owner: stepOwner('final-extract') ?? null,
              ownerFrom: 'the owner of the final extract (cutover runbook)',
            }
          : none(`the extract ${dataset.name}`)),
        ...beforeFreeze,
        effect: { kind: 'recheck-extract', datasetId: dataset.id },
      }));
      continue;
    }
    const plan =
      reason.gate === 'requireSignoff'
        ? subjectOf(reason.text, project.samplePlans, (t, n) => t.includes(quoted(n)))
        : undefined;
    if (plan) {
      add(`signoff:${plan.id}`, reason, () => ({
        ...base,
        action: `Draw, review and sign ${quoted(plan.name)} on the Sign-off screen, with a signature that approves go-live.`,
        ...(stepOwner('reconciliation')
          ? {
              owner: stepOwner('reconciliation') ?? null,
              ownerFrom: 'the owner of the reconciliation sign-off (cutover runbook)',
            }
          : none(`the sample plan ${quoted(plan.name)}`)),
        ...beforeFreeze,
        effect: { kind: 'sign-off-sample', planId: plan.id },
      }));
      continue;
    }
    const guide =
      reason.gate === 'safetyItemsAtLeast'
        ? SAFER_GUIDES.find(
            (g) => reason.text.includes(`, ${g.title}:`) || reason.text.includes(`(${g.title})`),
          )
        : undefined;
    if (guide) {
      const judged = result.safetyGuides.find((g) => g.id === guide.id);
      const atLeast = judged?.gate === 'full' ? 'full' : 'partial';
      const below = result.safety.filter(
        (i) =>
          i.guide === guide.id &&
          (i.status === 'unassessed' ||
            i.status === 'none' ||
            (atLeast === 'full' && i.status === 'partial')),
      );
      const owner = below.find((i) => i.answer?.owner)?.answer?.owner;
      add(`safety:${guide.id}`, reason, () => ({
        ...base,
        action: `Put in place and assess ${list(below.map((i) => i.title))} (SAFER ${guide.title}) ${atLeast === 'full' ? 'as fully' : 'as at least partly'} implemented on the Readiness screen.`,
        ...(owner
          ? { owner, ownerFrom: 'the owner of the practice in the self-assessment' }
          : none(`${below.length === 1 ? 'the practice' : 'these practices'} in the self-assessment`)),
        ...byGoLive,
        effect: { kind: 'assess-safety', guide: guide.id, itemIds: below.map((i) => i.id), atLeast },
      }));
      continue;
    }
    if ((reason.gate === 'requireRollbackPlan' || reason.gate === 'maxDrillAgeDays') && rollback) {
      const missing = missingEssentials(rollback);
      add('rollback', reason, () => ({
        ...base,
        action:
          missing.length > 0
            ? `Complete the rollback/downtime plan on the Readiness screen: ${list(missing)}.`
            : 'Hold a downtime drill and record it on the Readiness screen.',
        ...(rollback.decidedBy
          ? { owner: rollback.decidedBy, ownerFrom: 'who decides to roll back (rollback plan)' }
          : none('the rollback plan')),
        ...byGoLive,
        effect: { kind: 'complete-rollback-plan', missing },
      }));
      continue;
    }
    add(`reason:${actions.size}:${reason.text}`, reason, () => ({
      ...base,
      action: reason.text,
      ...none('this reason'),
      ...byGoLive,
      effect: { kind: 'resolve', reason: reason.text },
    }));
  }
  return [...actions.values()];
}

/** The path in one line per action, the same on the board, in the pack and in the CLI. */
export function pathToGoLines(path: readonly PathToGoAction[]): string[] {
  if (path.length === 0) return ['Path to go: nothing blocks.'];
  const reasons = path.reduce((n, a) => n + a.resolves.length, 0);
  return [
    `Path to go: ${plural(path.length, 'action')} clear ${plural(reasons, 'blocking reason')}.`,
    ...path.map(
      (a, i) =>
        `  ${i + 1}. ${a.action} Gate: ${a.gate === null ? 'none' : GATE_NAMES[a.gate]}; owner: ${a.owner ?? `none (${a.ownerFrom})`}; due: ${a.due ?? `none (${a.dueFrom})`}.`,
    ),
  ];
}
