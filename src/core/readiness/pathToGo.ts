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
 * runbook's owners of the final extract and of the reconciliation sign-off (else the data lead on
 * the sign-off roster), the practice's owner in the self-assessment, who decides on the rollback.
 * Where no record names an owner, `owner` is null and `ownerNamedBy` says which team role must
 * name one and where it is recorded: an action is never left to nobody.
 *
 * Due is the cutover runbook's freeze for migration and sign-off work (the data must pass before
 * it is frozen), else the planned go-live day, judged on `today`: a day before today is `past`,
 * printed as overdue with a call to set a new go-live day, never as a plan (a demo or a project
 * whose go-live slipped would otherwise show a schedule years gone).
 *
 * Order: by the risk each action removes (`PATH_RISK`, highest first): migrated records no
 * clinician has verified reach patient care unseen (a wrong patient, allergy or medication), so
 * the clinicians' sample leads; then records that fail their checks; then safety practices not in
 * place; then no way back if go-live fails; then workflow problems (delay, workload,
 * workarounds); then anything else. Within one rank, the action that clears more blocking reasons
 * first, then the earlier due day, then the order the reasons came in. Pure; kept apart from the
 * readiness result, whose hash a steering decision binds.
 */
import { readCutoverRunbook } from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import type { SaferGuideId } from '../../formats/steering.ts';
import { rosterState } from '../signoff/signing/index.ts';
import type { Role } from '../teamRoles/index.ts';
import { GATE_NAMES } from './gates.ts';
import { daysBetween, missingEssentials } from './rollback.ts';
import { SAFER_GUIDES } from './safer.ts';
import type { ActOn, BoardSignoff, PhaseId, PhaseReason, ReadinessResult } from './types.ts';
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
  /**
   * when no record names an owner: the team role that must name one, and where it is recorded
   * (absent when `owner` is set, and in paths made before it)
   */
  ownerNamedBy?: { role: Role; where: string };
  /** the day (YYYY-MM-DD) it must be done by; null when the project records no day to hold it to */
  due: string | null;
  /** where the due day comes from, or that none is recorded */
  dueFrom: string;
  /**
   * `due` judged on the day the path was made: `ahead` (today or later), `past` (before today:
   * overdue, never a plan), `none` (no day is recorded); absent in paths made before it
   */
  dueState?: 'ahead' | 'past' | 'none';
  /** the risk the action removes, in words: what the order of the path is by (absent in paths made before it) */
  risk?: string;
  /** the blocking reasons (their texts) it turns into a pass */
  resolves: string[];
  effect: PathToGoEffect;
}

/**
 * The risk each kind of action removes, highest first: the path is ordered by it (see the
 * header). The words say what stays if the action is not done.
 */
export const PATH_RISK: Readonly<Record<PathToGoEffect['kind'], { rank: number; words: string }>> = {
  'sign-off-sample': {
    rank: 1,
    words:
      'migrated records no clinician has verified reach patient care (wrong patient, allergy, medication)',
  },
  'recheck-extract': { rank: 2, words: 'records that fail their checks are migrated' },
  'assess-safety': { rank: 3, words: 'a safety practice is not in place at go-live' },
  'complete-rollback-plan': { rank: 4, words: 'no safe way back or through downtime if go-live fails' },
  'fix-workflow': { rank: 5, words: 'a workflow problem (delay, workload, workarounds) goes live' },
  resolve: { rank: 6, words: 'a blocking reason stays open' },
};

const quoted = (name: string) => `“${name}”`;

/** The longest name of `names` that `matches` `text`, so “Intake” never claims “Intake — future”. */
function subjectOf<T extends { name: string }>(
  text: string,
  items: readonly T[],
  matches: (text: string, name: string) => boolean,
): T | undefined {
  return [...items].sort((a, b) => b.name.length - a.name.length).find((i) => matches(text, i.name));
}

/**
 * The path to go of `project` judged as `result` on `today` (YYYY-MM-DD, the caller's calendar
 * day), ordered by risk (see the header); empty on go.
 */
export function pathToGo(project: Project, result: ReadinessResult, today: string): PathToGoAction[] {
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
  const judgedDue = (due: string, dueFrom: string) => ({
    due,
    dueFrom,
    dueState: daysBetween(today, due) < 0 ? ('past' as const) : ('ahead' as const),
  });
  const byGoLive = goLive
    ? judgedDue(goLive, 'the planned go-live day (rollback plan)')
    : { due: null, dueFrom: 'no go-live day is recorded (rollback plan)', dueState: 'none' as const };
  const beforeFreeze = freeze ? judgedDue(freeze, 'the data freeze of the cutover runbook') : byGoLive;
  const none = (what: string, role: Role, where: string) => ({
    owner: null,
    ownerFrom: `no owner is recorded for ${what}`,
    ownerNamedBy: { role, where },
  });
  // the data lead on the sign-off roster answers for the sample when the runbook names nobody
  const dataLead = [...rosterState(project.meta.roster).members.values()].find((m) =>
    m.roles.includes('lead'),
  );
  const verdicts = new Map(result.board.signoff.map((s) => [s.plan, s.verdict]));

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
          : none(
              `a role of ${quoted(workflow.name)}`,
              'lead',
              'as the owner of one of its roles (Readiness, Role owners)',
            )),
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
          : none(
              `the extract ${dataset.name}`,
              'data',
              'as the owner of the final extract step of the cutover runbook (Readiness, Cutover)',
            )),
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
        action: signoffAction(plan.name, verdicts.get(plan.name)),
        ...(stepOwner('reconciliation')
          ? {
              owner: stepOwner('reconciliation') ?? null,
              ownerFrom: 'the owner of the reconciliation sign-off (cutover runbook)',
            }
          : dataLead
            ? { owner: dataLead.name, ownerFrom: 'the data lead on the sign-off roster' }
            : none(
                `the sample plan ${quoted(plan.name)}`,
                'data',
                'as the owner of the reconciliation sign-off step of the cutover runbook (Readiness, Cutover)',
              )),
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
          : none(
              `${below.length === 1 ? 'the practice' : 'these practices'} in the self-assessment`,
              'lead',
              'as the owner of each practice in the self-assessment (Readiness, Downtime and safety)',
            )),
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
          : none(
              'the rollback plan',
              'lead',
              'as who decides to roll back in the rollback/downtime plan (Readiness, Downtime and safety)',
            )),
        ...byGoLive,
        effect: { kind: 'complete-rollback-plan', missing },
      }));
      continue;
    }
    add(`reason:${actions.size}:${reason.text}`, reason, () => ({
      ...base,
      action: reason.text,
      ...none('this reason', 'lead', 'on the Readiness screen, where the reason says'),
      ...byGoLive,
      effect: { kind: 'resolve', reason: reason.text },
    }));
  }
  return byRisk([...actions.values()]);
}

/** `path` in the order of the risk each action removes (see the header), each with its risk in words. */
function byRisk(path: PathToGoAction[]): PathToGoAction[] {
  return path
    .map((a, i) => ({ a: { ...a, risk: PATH_RISK[a.effect.kind].words }, i }))
    .sort(
      (x, y) =>
        PATH_RISK[x.a.effect.kind].rank - PATH_RISK[y.a.effect.kind].rank ||
        y.a.resolves.length - x.a.resolves.length ||
        (x.a.due ?? '9999').localeCompare(y.a.due ?? '9999') ||
        x.i - y.i,
    )
    .map(({ a }) => a);
}

/**
 * What to do about a sample plan, by where its sample stands on the board: drawn and failed, the
 * cause is fixed and a new sample drawn with a new seed (a failed sample is never topped up until
 * it passes); drawn and open, its review is finished; passing, it is signed; else drawn first.
 */
function signoffAction(plan: string, verdict: BoardSignoff['verdict'] | undefined): string {
  const name = quoted(plan);
  switch (verdict) {
    case 'fail':
      return `Find on the Sign-off screen what the clinicians marked wrong in ${name}, fix it in the extract or the mapping and check it again, then draw a new sample of ${name} with a new seed, review it and sign it with a signature that approves go-live (never add records to the failed sample).`;
    case 'open':
      return `Finish the review of ${name} on the Sign-off screen (every record decided by each reviewer, disagreements adjudicated), then sign it with a signature that approves go-live.`;
    case 'pass':
      return `Sign ${name} on the Sign-off screen with a signature that approves go-live on its results as they are.`;
    default:
      return `Draw, review and sign ${name} on the Sign-off screen, with a signature that approves go-live.`;
  }
}

/** Who names an owner, as a person reads it. */
const NAMED_BY_WORDS: Readonly<Record<Role, string>> = {
  lead: 'the project lead',
  analyst: 'an analyst',
  data: 'the data lead',
  reviewer: 'a clinician reviewer',
  steering: 'the steering committee',
  viewer: 'a viewer',
};

/** An action's owner in words: the person, or that none is named and who must name one. */
export function pathOwnerWords(a: Pick<PathToGoAction, 'owner' | 'ownerFrom' | 'ownerNamedBy'>): string {
  if (a.owner !== null) return a.owner;
  return a.ownerNamedBy
    ? `none yet: ${NAMED_BY_WORDS[a.ownerNamedBy.role]} names one ${a.ownerNamedBy.where}`
    : `none (${a.ownerFrom})`;
}

/** An action's due day in words: a day ahead as a plan, a day past as overdue, or that none is recorded. */
export function pathDueWords(a: Pick<PathToGoAction, 'due' | 'dueFrom' | 'dueState'>): string {
  if (a.due === null) return `none (${a.dueFrom})`;
  return a.dueState === 'past' ? `OVERDUE: ${a.dueFrom} was ${a.due}` : a.due;
}

/** One sentence on past due days, or null when none is past: what the meeting must do about them. */
export function pathPastWords(path: readonly Pick<PathToGoAction, 'dueState'>[]): string | null {
  const past = path.filter((a) => a.dueState === 'past').length;
  if (past === 0) return null;
  const which =
    past === path.length
      ? `Every due day of the path (${plural(past, 'action')}) is`
      : past === 1
        ? `The due day of 1 of ${plural(path.length, 'action')} is`
        : `The due days of ${past} of ${plural(path.length, 'action')} are`;
  return `${which} already past: set the day the clinic will go live (rollback/downtime plan) and replan the cutover runbook, then the due days follow.`;
}

/** The path in one line per action, the same on the board, in the pack and in the CLI. */
export function pathToGoLines(path: readonly PathToGoAction[]): string[] {
  if (path.length === 0) return ['Path to go: nothing blocks.'];
  const reasons = path.reduce((n, a) => n + a.resolves.length, 0);
  return [
    `Path to go: ${plural(path.length, 'action')} clear ${plural(reasons, 'blocking reason')}, highest risk first.`,
    ...(pathPastWords(path) ? [`  ${pathPastWords(path)}`] : []),
    ...path.map(
      (a, i) =>
        `  ${i + 1}. ${a.action} Gate: ${a.gate === null ? 'none' : GATE_NAMES[a.gate]}; owner: ${pathOwnerWords(a)}; due: ${pathDueWords(a)}.`,
    ),
  ];
}
