/**
 * A crafted project that is a go — every phase ready except go-live's standing risk — for the
 * readiness tests (core and CLI) to flip one phase at a time. Test-only.
 */

import {
  type CommandCentre,
  type CutoverRunbook,
  withCommandCentre,
  withCutoverRunbook,
} from '../../../formats/cutover.ts';
import {
  type CommunicationPlan,
  type DressRehearsal,
  type PartnerReadiness,
  withCommunicationPlan,
  withDressRehearsal,
  withPartnerReadiness,
} from '../../../formats/goLivePreparation.ts';
import type { Project, ProjectReport } from '../../../formats/project.ts';
import type { Outcome, Review, Signature } from '../../../formats/review.ts';
import { type RoleOwners, withRoleOwners } from '../../../formats/roleOwners.ts';
import { type RollbackPlan, withRollbackPlan } from '../../../formats/rollbackPlan.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import {
  PROJECT_SAFETY_ASSESSMENT_KEY,
  type SafetyAssessment,
  type SteeringDecision,
  withSteeringDecision,
} from '../../../formats/steering.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import type { Step, Workflow } from '../../../formats/workflow.ts';
import { createProject } from '../../project/changes.ts';
import { GO_LIVE_MEANING, lockedReview, prepareSignature } from '../../signoff/signing/index.ts';
import { assessReadiness } from '../assess.ts';
import { SAFETY_ITEMS } from '../safety.ts';
import { addSteeringSignature, prepareSteeringSignature, readinessResultHash } from '../steering.ts';

const observed = { n: 40, cases: 40, touch: { n: 40, meanMin: 3, medianMin: 3, p90Min: 4 } };

function step(id: string, lane: string, extra: Partial<Step> = {}): Step {
  return {
    id,
    label: id,
    lane,
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 3,
    waitMin: 0,
    clicks: 2,
    enters: [],
    ...extra,
  };
}

export const current: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'checkin-today',
  name: 'Check-in today',
  process: 'checkin',
  state: 'current',
  arrivalsPerHour: 4,
  lanes: [{ id: 'desk', name: 'Front desk', staff: 2 }],
  steps: [
    step('arrive', 'desk', { kind: 'start', touchMin: 0, clicks: 0, observed }),
    step('check-in', 'desk', { observed }),
    step('done', 'desk', { kind: 'end', touchMin: 0, clicks: 0 }),
  ],
  flows: [
    { from: 'arrive', to: 'check-in', transfer: 'none' },
    { from: 'check-in', to: 'done', transfer: 'none' },
  ],
};

export const planned: Workflow = {
  ...current,
  id: 'checkin-plan',
  name: 'Check-in planned',
  state: 'future',
  baseline: 'checkin-today',
  goLive: { capacityFactor: 0.8, productivityFactor: 0.7 },
  steps: [
    step('arrive', 'desk', { kind: 'start', touchMin: 0, clicks: 0, replaces: ['arrive'] }),
    step('check-in', 'desk', { replaces: ['check-in'] }),
    step('done', 'desk', { kind: 'end', touchMin: 0, clicks: 0, replaces: ['done'] }),
  ],
};

export function report(valid: number, records = 1000, generatedAt = '2026-11-20T10:00:00Z'): ProjectReport {
  return {
    format: 'preflight.report/v1',
    id: `r-${generatedAt}`,
    generatedAt,
    tool: { name: 'preflight', version: '0.1.0' },
    inputs: [{ name: 'patients.csv', kind: 'csv', records, valid, invalid: records - valid }],
    summary: { records, valid, invalid: records - valid, errors: records - valid, warnings: 0 },
    issues: [],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    timings: { startedAt: generatedAt, totalMs: 1 },
  } as ProjectReport;
}

/** A locked review of the fixture sample decided `outcomes`, signed once with `meaning`. */
export function signedReview(
  outcomes: Outcome[],
  meaning = GO_LIVE_MEANING,
): { plan: SamplePlan; review: Review } {
  const { plan, review } = lockedReview(outcomes.map((o, i) => fixtureDecision(`d${i}`, `MRN-${i + 1}`, o)));
  const signature = {
    ...prepareSignature({
      id: 's1',
      review,
      signer: { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' },
      signedAt: '2026-11-21T09:00:00+01:00',
      meaning,
      chain: { head: '0'.repeat(64), length: outcomes.length },
    }),
    reauthentication: { method: 'none', reason: 'no WebAuthn' },
  } as Signature;
  return { plan, review: { ...review, signatures: [signature] } };
}

/**
 * A dual review of the go project's plan, unsigned, whose two reviewers disagree on MRN-1 (accept
 * against reject) and agree on the other two records: one record awaiting adjudication.
 */
export function openDisagreement(): { plan: SamplePlan; review: Review } {
  const { plan, review } = signedReview(['accept']);
  const second = { name: 'Kim Ode', role: 'Physician', id: 'MD-17' };
  const decisions = [
    { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' as const },
    {
      ...fixtureDecision('d2', 'MRN-1', 'reject'),
      stage: 'second' as const,
      reviewer: second,
      comment: 'the date of birth is wrong',
    },
    ...['MRN-2', 'MRN-3'].flatMap((key, i) => [
      { ...fixtureDecision(`d${3 + 2 * i}`, key, 'accept'), stage: 'first' as const },
      { ...fixtureDecision(`d${4 + 2 * i}`, key, 'accept'), stage: 'second' as const, reviewer: second },
    ]),
  ].map((d) => ({ ...d, planHash: review.plan.hash }));
  return { plan, review: { ...review, dualReview: true, decisions, signatures: [] } };
}

/** The go project's review under dual review, with one record decided by its first reviewer only. */
export function secondPassMissing(): { plan: SamplePlan; review: Review } {
  const { plan, review } = openDisagreement();
  // MRN-1's second pass (a rejection) is not merged yet
  const decisions = review.decisions.filter((d) => !(d.recordKey === 'MRN-1' && d.stage === 'second'));
  return { plan, review: { ...review, decisions } };
}

/** The self-assessment of the go project: every item fully in place, answered by its owner. */
export const FULL_SAFETY: SafetyAssessment = {
  answers: SAFETY_ITEMS.map((item) => ({
    item: item.id,
    owner: 'Rae Lindqvist',
    status: 'full',
    by: 'Rae Lindqvist',
    at: '2026-11-23T16:00:00+01:00',
  })),
};

/** The rollback/downtime plan of the go project: every essential written, drilled a month before go-live. */
export const COMPLETE_ROLLBACK: RollbackPlan = {
  present: true,
  decidedBy: 'Clinical lead on call',
  triggers: 'Check-in down for more than 30 minutes, or results not reaching clinicians',
  paperForms: true,
  legacyReadOnly: true,
  downtimeReports: true,
  lastDrill: '2026-11-02',
  goLiveDate: '2026-12-01',
  location: 'Shared drive, Go-live folder, Downtime plan v3',
};

/** The go project's cutover runbook: every essential step, owned, timed and in order, none started. */
export const COMPLETE_RUNBOOK: CutoverRunbook = {
  steps: [
    {
      id: 'freeze',
      kind: 'freeze',
      title: 'Freeze the old system',
      owner: 'Ana Ruiz',
      plannedAt: '2026-11-27T18:00',
      status: 'planned',
    },
    {
      id: 'extract',
      kind: 'final-extract',
      title: 'Final extract',
      owner: 'Data lead',
      plannedAt: '2026-11-27T19:00',
      after: ['freeze'],
      status: 'planned',
    },
    {
      id: 'delta',
      kind: 'delta-load',
      title: 'Delta load',
      owner: 'Data lead',
      plannedAt: '2026-11-28T08:00',
      after: ['extract'],
      status: 'planned',
    },
    {
      id: 'reconcile',
      kind: 'reconciliation',
      title: 'Reconciliation sign-off',
      owner: 'Sam Okafor',
      plannedAt: '2026-11-28T12:00',
      after: ['delta'],
      status: 'planned',
    },
    {
      id: 'go',
      kind: 'checkpoint',
      title: 'Final go/no-go',
      owner: 'Rae Lindqvist',
      plannedAt: '2026-11-30T16:00',
      after: ['reconcile'],
      status: 'planned',
    },
  ],
};

/** The go project's command centre: where, when, whom to call and how issues are triaged. */
export const COMMAND_CENTRE: CommandCentre = {
  location: 'Meeting room 2',
  hours: '07:00–19:00, go-live week',
  escalation: [
    { role: 'Super-user on the floor', people: ['Ana Ruiz'] },
    { role: 'Clinical lead', people: ['Sam Okafor'] },
  ],
  triage: [{ name: 'Patient safety', response: '15 minutes' }, { name: 'Question' }],
};

/** The owner and stakeholders of the crafted workflows' one role. */
/** A dress rehearsal with nothing wanting: the front desk's mock go-live and a peak-load run above the planned peak. */
export const COMPLETE_REHEARSAL: DressRehearsal = {
  roles: [
    {
      role: 'Front desk',
      date: '2026-11-20',
      scriptsRun: 12,
      scriptsPassed: 12,
      issuesFound: 3,
      issuesOpen: 0,
    },
  ],
  peakLoad: { date: '2026-11-21', casesPerHour: 6, outcome: 'held' },
};

/** A communication plan with every item owned and due. */
const COMMUNICATION: CommunicationPlan = {
  items: [
    {
      id: 'c1',
      audience: 'Patients',
      message: 'Check-in takes longer in go-live week',
      channel: 'Letter',
      owner: 'Ana Ruiz',
      due: '2026-11-25',
      status: 'done',
    },
  ],
};

/** Every vendor and interface partner ready, owned and tested. */
export const PARTNERS: PartnerReadiness = {
  partners: [
    { id: 'v1', name: 'EHR vendor', kind: 'vendor', owner: 'Sam Okafor', status: 'ready' },
    {
      id: 'i1',
      name: 'Lab results interface',
      kind: 'interface',
      owner: 'Sam Okafor',
      status: 'ready',
      tested: '2026-11-19',
    },
  ],
};

export const OWNERS: RoleOwners = {
  roles: [{ role: 'Front desk', owner: 'Ana Ruiz', stakeholders: ['Kim Ode', 'Lee Park'] }],
};

/** `settings` with the three complete preparation records. */
function withPreparation(settings: Record<string, unknown>): Record<string, unknown> {
  return withPartnerReadiness(
    withCommunicationPlan(withDressRehearsal(settings, COMPLETE_REHEARSAL), COMMUNICATION),
    PARTNERS,
  );
}

export function goProject(): Project {
  const { plan, review } = signedReview(['accept', 'accept', 'accept']);
  const base = createProject({ id: 'p', name: 'Clinic', now: '2026-11-24T00:00:00Z' });
  return {
    ...base,
    meta: {
      ...base.meta,
      settings: withPreparation(
        withCommandCentre(
          withCutoverRunbook(
            withRoleOwners(
              withRollbackPlan(
                { ...base.meta.settings, [PROJECT_SAFETY_ASSESSMENT_KEY]: FULL_SAFETY },
                COMPLETE_ROLLBACK,
              ),
              OWNERS,
            ),
            COMPLETE_RUNBOOK,
          ),
          COMMAND_CENTRE,
        ),
      ),
    },
    workflows: [current, planned],
    datasets: [
      {
        id: 'd1',
        name: 'patients.csv',
        kind: 'csv',
        bytes: 1200,
        origin: { type: 'file' },
      },
    ],
    reports: [report(1000)],
    samplePlans: [plan],
    reviews: [review],
  };
}

/**
 * `project` with the steering committee's decision on its readiness as it is now, signed by
 * `signer` without re-authentication (the browser's WebAuthn is proven end to end).
 */
export function decidedProject(
  project: Project,
  signer = { name: 'Dr Ines Moreau', role: 'Medical director', id: 'MD-1' },
): { project: Project; decision: SteeringDecision } {
  const result = assessReadiness(project);
  const hash = readinessResultHash(result);
  const content = {
    id: 'dec-1',
    decision: result.decision,
    readiness: result.decision,
    resultSha256: hash,
    rationale: 'Every gate passes; the support rota is agreed.',
    recordedAt: '2026-11-24T10:00:00+01:00',
  };
  const prepared = prepareSteeringSignature({
    id: `sig-${signer.id}`,
    decision: content,
    signer,
    signedAt: '2026-11-24T10:00:00+01:00',
  });
  const decision = addSteeringSignature(
    content,
    { ...prepared, reauthentication: { method: 'none', reason: 'This browser offers no WebAuthn.' } },
    hash,
  );
  return {
    project: {
      ...project,
      meta: { ...project.meta, settings: withSteeringDecision(project.meta.settings, decision) },
    },
    decision,
  };
}
