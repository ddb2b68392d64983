/**
 * The safety self-assessment for a go-live, by the eight 2025 SAFER guides (safer.ts holds the
 * guides and their practices): each practice fully, partially or not implemented, or not
 * applicable, with an owner, where its evidence is and a note; each guide judged against its own
 * gate (docs/product.md#readiness).
 *
 * Where the project holds evidence about a practice, the practice is pre-filled from it and the
 * evidence says why: an open loop on a planned order (`open-loop-order`) for results
 * acknowledgement, data re-keyed between systems (`manual-transcription`) for interfaces, the
 * clinicians' sign-off for migrated records on the right patient, the training record for
 * clinician training, and the rollback/downtime plan for downtime procedures (marked absent:
 * "not"; present with every downtime procedure ready and a drill within `maxDrillAgeDays` of
 * go-live: "fully"; anything short: "partially", naming what is missing). Evidence that shows a
 * problem pre-fills "not implemented"; the absence of a finding (or a record not kept) pre-fills
 * nothing — nothing passes by absence. A measurement pre-fills "fully" only when it is complete:
 * records reviewed with no wrong patient count only once every sample is fully reviewed and passes
 * (a sample that fails on other errors shows nothing about identity, and the evidence says so).
 * A person may set any status; one that differs from the evidence's is an override and needs who
 * and why.
 *
 * Pure: the same project gives the same assessment.
 */
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates, SafetyGate } from '../../formats/readinessGates.ts';
import type { Review } from '../../formats/review.ts';
import { DOWNTIME_PROCEDURES, type RollbackPlan, readRollbackPlan } from '../../formats/rollbackPlan.ts';
import {
  type EvidenceGrade,
  readSafetyAssessment,
  type SaferLevel,
  type SafetyStatus,
  saferLevelOfStatus,
} from '../../formats/steering.ts';
import { readTrainingRecord } from '../../formats/trainingRecord.ts';
import { ruleFindingsOf } from '../workflow/index.ts';
import { latestReview, verdictOf } from './preLaunch.ts';
import { daysBetween, PROCEDURE_WORDS } from './rollback.ts';
import { SAFER_GUIDES, SAFETY_ITEMS } from './safer.ts';
import { changedRoles } from './training.ts';
import type {
  AssessedSaferGuide,
  AssessedSafetyItem,
  PhaseReadiness,
  ReadinessReason,
  SafetyEvidence,
} from './types.ts';
import { count, list, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

export { SAFER_GUIDES, SAFETY_ITEMS } from './safer.ts';
export type { AssessedSaferGuide, AssessedSafetyItem } from './types.ts';

/** How each status reads (the 2025 SAFER guides rate implementation). */
export const SAFETY_STATUS_WORDS: Readonly<Record<SafetyStatus | 'unassessed', string>> = {
  full: 'fully implemented',
  partial: 'partially implemented',
  none: 'not implemented',
  na: 'not applicable',
  unassessed: 'not assessed',
};

/** How each point of the 2025 SAFER five-point scale reads. */
export const SAFER_LEVEL_WORDS: Readonly<Record<SaferLevel, string>> = {
  'full-all': 'fully in place in all areas',
  'full-some': 'fully in place in some areas',
  'partial-all': 'partially in place in all areas',
  'partial-some': 'partially in place in some areas',
  none: 'not implemented',
};

/** How each evidence grade reads. */
export const EVIDENCE_GRADE_WORDS: Readonly<Record<EvidenceGrade, string>> = {
  measured: "measured from the project's records",
  tested: 'tested or observed',
  documented: 'documented',
  attested: 'attested',
};

/**
 * Where a practice stands on the five-point scale: the point a person set, else the point its
 * three-level status was (an answer saved before the scale, or the evidence's status); `na` and
 * `unassessed` as they are.
 */
export function saferLevelOf(item: AssessedSafetyItem): SaferLevel | 'na' | 'unassessed' {
  if (item.answer?.status !== undefined && item.answer.level !== undefined) return item.answer.level;
  return item.status === 'na' || item.status === 'unassessed' ? item.status : saferLevelOfStatus(item.status);
}

/**
 * How strong the evidence for a practice's rating is: the grade a person recorded, else
 * `measured` when the status in effect is the one the project's own records give; else none.
 */
export function evidenceGradeOf(item: AssessedSafetyItem): EvidenceGrade | undefined {
  if (item.answer?.grade) return item.answer.grade;
  return item.answer?.status === undefined && item.evidence.status !== undefined ? 'measured' : undefined;
}

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

/**
 * Migrated records on the right patient, from each sample plan's latest sample: a record found on
 * the wrong patient is "not implemented"; none found is "fully" only once every sample is fully
 * reviewed and passes — otherwise the evidence informs and says why it does not decide.
 */
function patientEvidence(project: Project): SafetyEvidence | undefined {
  const reviews = project.reviews ?? [];
  const latest = project.samplePlans.flatMap((plan) => {
    const review = latestReview(plan, reviews);
    return review ? [{ plan, review }] : [];
  });
  const decided = latest.flatMap(({ review }) => latestDecisions(review));
  if (decided.length === 0) return undefined;
  const samples = plural(latest.length, 'sign-off sample');
  const wrong = decided.filter((d) => d.findings.some((f) => f.reason === 'wrong-patient'));
  if (wrong.length > 0)
    return {
      status: 'none',
      lines: [
        `Clinicians found ${plural(wrong.length, 'migrated record')} attached to the wrong patient, of ${count(decided.length)} reviewed in ${samples}.`,
      ],
    };
  const why: string[] = [];
  for (const { plan, review } of latest) {
    const verdict = verdictOf(review, plan);
    const drawn = review.sample.strata.reduce((n, st) => n + st.records.length, 0);
    if (!verdict) why.push(`the verdict of “${plan.name}” cannot be computed`);
    else {
      if (verdict.reviewed < drawn)
        why.push(
          `“${plan.name}” has ${count(drawn - verdict.reviewed)} of ${count(drawn)} records still to review`,
        );
      if (!verdict.pass)
        why.push(
          `“${plan.name}” fails the clinicians' review (${plural(verdict.errors, 'record')} in error${verdict.critical > 0 ? `, ${count(verdict.critical)} critical` : ''})`,
        );
    }
  }
  const found = `No wrong patient in ${plural(decided.length, 'migrated record')} clinicians reviewed in ${samples}`;
  if (why.length === 0)
    return { status: 'full', lines: [`${found}, and every sample is fully reviewed and passes.`] };
  return {
    lines: [
      `${found}, but this is not pre-filled: ${list(why)}. A sample that fails on other errors, or is not finished, does not show the records are on the right patients.`,
    ],
  };
}

/**
 * Clinician training, from the training record judged as the Training phase judges it: the phase
 * ready, with at least one role whose work changes, is "fully"; a record with people trained but a gate or a session outstanding is
 * "partially"; a record with nobody trained is "not". No record, or no role's changes known (the
 * phase not started, or no role's work changing), pre-fills nothing.
 */
function trainingEvidence(
  project: Project,
  workflows: WorkflowEvidence,
  training: PhaseReadiness | undefined,
): SafetyEvidence | undefined {
  const record = readTrainingRecord(project.meta.settings);
  if (record.roles.length === 0 || !training) return undefined;
  if (training.status === 'not-started')
    return {
      lines: [
        "Training is recorded, but no planned workflow is compared with today's, so which roles must learn what is not known.",
      ],
    };
  if (!workflows.planned.some((p) => changedRoles(p).length > 0))
    return {
      lines: [
        "Training is recorded, but no role's work changes in the planned workflows, so there is nothing to judge it against; confirm the training on the system itself.",
      ],
    };
  if (training.status === 'ready')
    return {
      status: 'full',
      lines: [
        'The Training phase is ready: every role whose work changes is trained to the gate, with a super-user.',
      ],
    };
  const trained = record.roles.some((r) => (r.trained ?? 0) > 0);
  return {
    status: trained ? 'partial' : 'none',
    lines: [
      trained
        ? 'Training is under way but the Training phase is not ready:'
        : 'Training is recorded but nobody is trained yet:',
      ...training.reasons.map((r) => r.text),
    ],
  };
}

/** What the project holds about each practice (by id; practices without evidence are absent). */
function safetyEvidence(
  project: Project,
  workflows: WorkflowEvidence,
  gates: Pick<ReadinessGates, 'maxDrillAgeDays'>,
  training?: PhaseReadiness,
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
  const patients = patientEvidence(project);
  if (patients) out.set('migrated-records-patient', patients);
  const trained = trainingEvidence(project, workflows, training);
  if (trained) out.set('clinician-training', trained);
  return out;
}

/** Every practice as assessed now: the evidence, a person's answer, and the status in effect. */
export function assessSafety(
  project: Project,
  workflows: WorkflowEvidence,
  gates: Pick<ReadinessGates, 'maxDrillAgeDays'>,
  training?: PhaseReadiness,
): AssessedSafetyItem[] {
  const evidence = safetyEvidence(project, workflows, gates, training);
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

const RANK: Record<SafetyStatus | 'unassessed', number> = {
  unassessed: 0,
  none: 0,
  partial: 1,
  full: 2,
  na: 2,
};
const NEED: Record<SafetyGate, number> = { off: 0, partial: 1, full: 2 };

/** The gate of `guide`: its own, else the one for every practice. */
const gateOf = (guide: string, gates: Pick<ReadinessGates, 'safetyItemsAtLeast' | 'safetyGuides'>) =>
  gates.safetyGuides[guide as keyof typeof gates.safetyGuides] ?? gates.safetyItemsAtLeast;

/** Each SAFER guide against its gate. */
export function assessSaferGuides(
  items: readonly AssessedSafetyItem[],
  gates: Pick<ReadinessGates, 'safetyItemsAtLeast' | 'safetyGuides'>,
): AssessedSaferGuide[] {
  return SAFER_GUIDES.map((guide) => {
    const practices = items.filter((i) => i.guide === guide.id);
    const counts = { full: 0, partial: 0, none: 0, na: 0, unassessed: 0 };
    for (const p of practices) counts[p.status] += 1;
    const gate = gateOf(guide.id, gates);
    const below = practices.some((p) => RANK[p.status] < NEED[gate] || p.status === 'unassessed');
    return {
      id: guide.id,
      title: guide.title,
      gate,
      counts,
      state: gate === 'off' ? ('off' as const) : below ? ('below' as const) : ('met' as const),
    };
  });
}

/** How a guide stands against its gate, the same in the CLI and the printed pack. */
export const SAFER_GUIDE_STATE_WORDS: Readonly<Record<AssessedSaferGuide['state'], string>> = {
  met: 'meets its gate',
  below: 'BELOW ITS GATE',
  off: 'informs only',
};

/** A guide's counts in words, e.g. "1 fully implemented, 2 not assessed". */
export function saferGuideCounts(guide: AssessedSaferGuide): string {
  return list(
    (['full', 'partial', 'none', 'na', 'unassessed'] as const)
      .filter((s) => guide.counts[s] > 0)
      .map((s) => `${count(guide.counts[s])} ${SAFETY_STATUS_WORDS[s]}`),
  );
}

/** A gate in words, as a guide's line prints it. */
export function safetyGateWords(gate: SafetyGate): string {
  return gate === 'off'
    ? 'not judged'
    : gate === 'full'
      ? 'every practice fully'
      : 'every practice at least partly';
}

/**
 * The reasons the self-assessment gives the go-live phase, guide by guide: practices not assessed
 * (one reason per guide) and practices below the guide's gate block; one implemented only partly,
 * under a gate that lets it pass, is a risk. Each names the practice's owner, when there is one.
 */
export function safetyReasons(
  items: readonly AssessedSafetyItem[],
  gates: Pick<ReadinessGates, 'safetyItemsAtLeast' | 'safetyGuides'>,
): ReadinessReason[] {
  const reasons: ReadinessReason[] = [];
  const owner = (i: AssessedSafetyItem) =>
    i.answer?.owner ? ` (owner: ${i.answer.owner})` : ' (no owner named)';
  for (const guide of SAFER_GUIDES) {
    const gate = gateOf(guide.id, gates);
    const practices = items.filter((i) => i.guide === guide.id);
    const unassessed = practices.filter((i) => i.status === 'unassessed');
    if (unassessed.length > 0)
      reasons.push({
        blocks: gate !== 'off',
        text: `Safety self-assessment, ${guide.title}: ${list(unassessed.map((i) => i.title))} ${unassessed.length === 1 ? 'is' : 'are'} not assessed yet. Assess ${unassessed.length === 1 ? 'it' : 'them'} on the Readiness screen.`,
        act: 'readiness',
        gate: 'safetyItemsAtLeast',
      });
    for (const i of practices) {
      if (i.status !== 'none' && i.status !== 'partial') continue;
      const below = RANK[i.status] < NEED[gate];
      reasons.push({
        blocks: below,
        text: `Safety self-assessment: ${i.title} (${guide.title}) is ${SAFETY_STATUS_WORDS[i.status]}${owner(i)}.${i.evidence.status === i.status && !i.answer?.status ? ' Pre-filled from the project’s evidence.' : ''}`,
        act: 'readiness',
        ...(below ? { gate: 'safetyItemsAtLeast' as const } : {}),
      });
    }
  }
  return reasons;
}

/** The evidence line the go-live phase prints for the self-assessment. */
export function safetyEvidenceLine(
  items: readonly AssessedSafetyItem[],
  guides: readonly AssessedSaferGuide[],
): string {
  const counts = (['full', 'partial', 'none', 'na', 'unassessed'] as const)
    .map((s) => [s, items.filter((i) => i.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${count(n)} ${SAFETY_STATUS_WORDS[s]}`);
  const met = guides.filter((g) => g.state === 'met').length;
  return `Safety self-assessment by the ${plural(guides.length, 'SAFER guide')} of 2025 (${plural(items.length, 'practice')}): ${list(counts)}; ${count(met)} of ${count(guides.length)} guides meet their gate.`;
}
