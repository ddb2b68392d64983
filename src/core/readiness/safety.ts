/**
 * The safety self-assessment for a go-live, in the form of the ONC SAFER guides (each item fully,
 * partially or not in place, with an owner and a note) but with Preflight's own short list of the
 * practices a go-live depends on, in its own words (docs/product.md#readiness).
 *
 * Where the project holds evidence about an item, the item is pre-filled from it and the evidence
 * is shown: an open loop on a planned order (`open-loop-order`) for results acknowledgement, data
 * re-keyed between systems (`manual-transcription`) for interfaces, wrong-patient findings in the
 * clinicians' sign-off for patient identification, and the rollback/downtime plan for downtime
 * procedures: marked absent pre-fills "not in place"; present with every downtime procedure ready
 * and a drill within `maxDrillAgeDays` of go-live pre-fills "fully"; anything short of that pre-fills
 * "partially" and names what is missing. Evidence that shows a problem pre-fills "not in place";
 * the absence of a finding (or a plan not recorded) pre-fills nothing (nothing passes by absence),
 * except a measurement: records reviewed with no wrong patient. A person may set any status; one
 * that differs from the evidence's is an override and needs who and why.
 *
 * Pure: the same project gives the same assessment.
 */
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates, SafetyGate } from '../../formats/readinessGates.ts';
import type { Review } from '../../formats/review.ts';
import { DOWNTIME_PROCEDURES, type RollbackPlan, readRollbackPlan } from '../../formats/rollbackPlan.ts';
import { readSafetyAssessment, type SafetyStatus } from '../../formats/steering.ts';
import { ruleFindingsOf } from '../workflow/rootCauses.ts';
import { daysBetween, PROCEDURE_WORDS } from './rollback.ts';
import type { AssessedSafetyItem, ReadinessReason, SafetyEvidence, SafetyItem } from './types.ts';
import { count, list, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

export type { AssessedSafetyItem, SafetyEvidence, SafetyItem } from './types.ts';

/** The items, in the order a committee goes through them. */
export const SAFETY_ITEMS: readonly SafetyItem[] = [
  {
    id: 'downtime-procedures',
    title: 'Downtime procedures',
    asks: 'Written downtime and rollback procedures, paper forms at hand, and staff who have practised them.',
  },
  {
    id: 'test-patients-removed',
    title: 'Test patients removed',
    asks: 'Test patients, orders and results made during build and rehearsal are removed from the live system or clearly marked.',
  },
  {
    id: 'results-acknowledgement',
    title: 'Results acknowledgement',
    asks: 'Every result reaches the person who ordered it and is acknowledged; nothing ordered is left untracked (closed loop).',
  },
  {
    id: 'patient-identification',
    title: 'Patient identification',
    asks: 'Patients are identified with two identifiers at every step, and migrated records belong to the right patient.',
  },
  {
    id: 'interfaces-tested',
    title: 'Interfaces tested',
    asks: 'Every system-to-system interface (lab, pharmacy, billing, devices) is tested end to end; nothing is re-keyed by hand.',
  },
  {
    id: 'backup-recovery',
    title: 'Backup and recovery',
    asks: 'Backups of the new system are taken and a restore has been tested.',
  },
  {
    id: 'clinician-training',
    title: 'Clinician training',
    asks: 'Every clinician is trained on the steps of their own work that change, before go-live.',
  },
];

/** How each status reads. */
export const SAFETY_STATUS_WORDS: Readonly<Record<SafetyStatus | 'unassessed', string>> = {
  full: 'fully in place',
  partial: 'partially in place',
  none: 'not in place',
  unassessed: 'not assessed',
};

/** The latest decision per record of a review (later decisions change earlier ones). */
function latestDecisions(review: Review) {
  const byRecord = new Map<string, Review['decisions'][number]>();
  for (const d of review.decisions) byRecord.set(d.recordKey, d);
  return [...byRecord.values()];
}

/**
 * The plan's last downtime drill against the gate: its age in days before go-live when it is within
 * the gate, else what is missing, in a clinic's words.
 */
function drillJudged(plan: RollbackPlan, maxDrillAgeDays: number): { age: number } | { missing: string } {
  const within = `a downtime drill at most ${plural(maxDrillAgeDays, 'day')} before go-live`;
  if (!plan.lastDrill) return { missing: `${within} (none recorded)` };
  if (!plan.goLiveDate)
    return { missing: 'the planned go-live day, to judge the last downtime drill against' };
  const age = daysBetween(plan.lastDrill, plan.goLiveDate);
  if (age < 0)
    return { missing: `${within} (the last, ${plan.lastDrill}, is after go-live on ${plan.goLiveDate})` };
  if (age > maxDrillAgeDays) return { missing: `${within} (the last was ${plural(age, 'day')} before)` };
  return { age };
}

/**
 * The downtime-procedures evidence of a recorded plan: marked absent is "not in place"; every
 * downtime procedure ready and a drill within the gate is "fully"; anything less is "partially".
 */
function downtimeEvidence(plan: RollbackPlan, maxDrillAgeDays: number): SafetyEvidence {
  if (!plan.present)
    return {
      status: 'none',
      lines: [
        'The rollback/downtime plan is marked absent: no downtime procedure is written down or practised.',
      ],
    };
  const ready = DOWNTIME_PROCEDURES.filter((p) => plan[p] === true).map((p) => PROCEDURE_WORDS[p]);
  const missing = DOWNTIME_PROCEDURES.filter((p) => plan[p] !== true).map((p) => PROCEDURE_WORDS[p]);
  const drill = drillJudged(plan, maxDrillAgeDays);
  if ('missing' in drill) missing.push(drill.missing);
  else if (missing.length === 0)
    return {
      status: 'full',
      lines: [
        `The rollback/downtime plan has ${list(ready)}; the last downtime drill was ${plural(drill.age, 'day')} before go-live (the gate is ${plural(maxDrillAgeDays, 'day')}).`,
      ],
    };
  return {
    status: 'partial',
    lines: [
      `The rollback/downtime plan is present but lacks ${list(missing)}.`,
      ...(ready.length > 0 ? [`Ready: ${list(ready)}.`] : []),
    ],
  };
}

/** What the project holds about each item (by id; items without evidence are absent). */
export function safetyEvidence(
  project: Project,
  workflows: WorkflowEvidence,
  gates: Pick<ReadinessGates, 'maxDrillAgeDays'>,
): Map<string, SafetyEvidence> {
  const out = new Map<string, SafetyEvidence>();
  const plan = readRollbackPlan(project.meta.settings);
  if (plan) out.set('downtime-procedures', downtimeEvidence(plan, gates.maxDrillAgeDays));
  // each rule's own finding (and message), also where it is one part of a root cause
  const findingsOf = (rule: string) =>
    workflows.planned.flatMap((p) =>
      ruleFindingsOf(p.analysis.findings)
        .filter((f) => f.rule === rule)
        .map((f) => ({ name: p.workflow.name, finding: f })),
    );
  if (workflows.planned.length > 0) {
    const open = findingsOf('open-loop-order');
    out.set(
      'results-acknowledgement',
      open.length > 0
        ? {
            status: 'none',
            lines: open.map(
              ({ name, finding }) => `“${name}” leaves an order's result unacknowledged: ${finding.message}`,
            ),
          }
        : {
            lines: [
              `No planned workflow leaves an order's result unacknowledged (${plural(workflows.planned.length, 'planned workflow')} checked); confirm the live system's results inbox.`,
            ],
          },
    );
    const keyed = findingsOf('manual-transcription');
    out.set(
      'interfaces-tested',
      keyed.length > 0
        ? {
            status: 'none',
            lines: keyed.map(
              ({ name, finding }) => `“${name}” re-keys data between systems: ${finding.message}`,
            ),
          }
        : {
            lines: [
              `No planned workflow re-keys data between systems (${plural(workflows.planned.length, 'planned workflow')} checked); confirm each interface was tested end to end.`,
            ],
          },
    );
  }
  const reviews = project.reviews ?? [];
  const decided = reviews.flatMap(latestDecisions);
  if (decided.length > 0) {
    const wrong = decided.filter((d) => d.findings.some((f) => f.reason === 'wrong-patient'));
    out.set(
      'patient-identification',
      wrong.length > 0
        ? {
            status: 'none',
            lines: [
              `Clinicians found ${plural(wrong.length, 'migrated record')} attached to the wrong patient, of ${count(decided.length)} reviewed in ${plural(reviews.length, 'sign-off sample')}.`,
            ],
          }
        : {
            status: 'full',
            lines: [
              `No wrong patient in ${plural(decided.length, 'migrated record')} clinicians reviewed in ${plural(reviews.length, 'sign-off sample')}.`,
            ],
          },
    );
  }
  return out;
}

/** Every item as assessed now: the evidence, a person's answer, and the status in effect. */
export function assessSafety(
  project: Project,
  workflows: WorkflowEvidence,
  gates: Pick<ReadinessGates, 'maxDrillAgeDays'>,
): AssessedSafetyItem[] {
  const evidence = safetyEvidence(project, workflows, gates);
  const answers = new Map(readSafetyAssessment(project.meta.settings).answers.map((a) => [a.item, a]));
  return SAFETY_ITEMS.map((item) => {
    const found = evidence.get(item.id) ?? { lines: [] };
    const answer = answers.get(item.id);
    const status = answer?.status ?? found.status ?? 'unassessed';
    const overridden =
      answer?.status !== undefined && answer.status !== found.status && found.lines.length > 0;
    return { ...item, status, evidence: found, ...(answer ? { answer } : {}), overridden };
  });
}

const RANK: Record<SafetyStatus | 'unassessed', number> = { unassessed: 0, none: 0, partial: 1, full: 2 };

/**
 * The reasons the self-assessment gives the go-live phase: an item below the gate (or not
 * assessed) blocks; one in place only partly, under a gate that lets it pass, is a risk. Each
 * names the item's owner, when there is one.
 */
export function safetyReasons(items: readonly AssessedSafetyItem[], gate: SafetyGate): ReadinessReason[] {
  const reasons: ReadinessReason[] = [];
  const owner = (i: AssessedSafetyItem) =>
    i.answer?.owner ? ` (owner: ${i.answer.owner})` : ' (no owner named)';
  const unassessed = items.filter((i) => i.status === 'unassessed');
  if (unassessed.length > 0)
    reasons.push({
      blocks: gate !== 'off',
      text: `Safety self-assessment: ${list(unassessed.map((i) => i.title))} ${unassessed.length === 1 ? 'is' : 'are'} not assessed yet. Assess ${unassessed.length === 1 ? 'it' : 'them'} on the Readiness screen.`,
      act: 'readiness',
      gate: 'safetyItemsAtLeast',
    });
  const need = gate === 'full' ? 2 : 1;
  for (const i of items) {
    if (i.status === 'unassessed' || i.status === 'full') continue;
    const below = gate !== 'off' && RANK[i.status] < need;
    reasons.push({
      blocks: below,
      text: `Safety self-assessment: ${i.title} is ${SAFETY_STATUS_WORDS[i.status]}${owner(i)}.${i.evidence.status === i.status && !i.answer?.status ? ' Pre-filled from the project’s evidence.' : ''}`,
      act: 'readiness',
      ...(below ? { gate: 'safetyItemsAtLeast' as const } : {}),
    });
  }
  return reasons;
}

/** The evidence line the go-live phase prints for the self-assessment. */
export function safetyEvidenceLine(items: readonly AssessedSafetyItem[]): string {
  const counts = (['full', 'partial', 'none', 'unassessed'] as const)
    .map((s) => [s, items.filter((i) => i.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${count(n)} ${SAFETY_STATUS_WORDS[s]}`);
  return `Safety self-assessment (${plural(items.length, 'item')}): ${list(counts)}.`;
}
