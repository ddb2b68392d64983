/**
 * What the demo clinic's go-live team has recorded for readiness three weeks before go-live
 * (Monday 29 July 2024): a safety self-assessment part-way through the eight SAFER guides, a
 * cutover runbook that still has an unowned step, and a staffed command centre. A realistic
 * partial state, so each of these sections shows content and each kind of state appears — a
 * practice fully, partially, not implemented, not applicable and not assessed; guides meeting
 * their gate and guides below it; a runbook step done, one without an owner.
 *
 * The go-live preparation is part-way too: a dress rehearsal where most roles whose work
 * changes held their mock go-live (one with failed scripts and an open issue, two roles not yet)
 * and a peak-load run that held at the simulated peak; a communication plan with one message
 * still unowned; vendors and interface partners, one interface still in testing.
 *
 * Training is the one phase complete: every role whose work changes was trained on its changed
 * steps in all its planned sessions, at least 90 % of its staff, each with a named super-user. The
 * at-the-elbow support of go-live week is staffed shift by shift; the rollback/downtime plan is
 * written and drilled, but the downtime reports are not printed yet.
 *
 * Left unrated on purpose: the practices the evidence pre-fills (clinician training from the
 * training record, downtime procedures from the rollback plan, results acknowledgement, interfaces
 * tested), so their evidence speaks, and those the steering journey assesses.
 *
 * One source for both demos: the demo project file (`tools/generateProject.ts`, what
 * `preflight readiness` judges) and the app's "Open the demo" write these records through
 * {@link withDemoReadiness}, so both show the same go/no-go. The app's demo then moves every date
 * so go-live is two to three weeks after the day it is opened (demoDates.ts). Plain data and the
 * formats' own writers, so the browser bundle can carry it.
 */
import {
  type CommandCentre,
  type CutoverRunbook,
  withCommandCentre,
  withCutoverRunbook,
} from '../src/formats/cutover.ts';
import {
  type CommunicationPlan,
  type DressRehearsal,
  type PartnerReadiness,
  withCommunicationPlan,
  withDressRehearsal,
  withPartnerReadiness,
} from '../src/formats/goLivePreparation.ts';
import { type RollbackPlan, withRollbackPlan } from '../src/formats/rollbackPlan.ts';
import {
  PROJECT_SAFETY_ASSESSMENT_KEY,
  type SafetyAnswer,
  type SafetyStatus,
} from '../src/formats/steering.ts';
import { type TrainingRecord, withTrainingRecord } from '../src/formats/trainingRecord.ts';

/** When the team rated the practices. */
const RATED_AT = '2024-07-08T10:30:00+02:00';
const BY = 'Dana Whitfield';

const rated = (
  item: string,
  status: SafetyStatus,
  owner: string,
  evidence?: string,
  note?: string,
): SafetyAnswer => ({
  item,
  owner,
  ...(evidence ? { evidence } : {}),
  ...(note ? { note } : {}),
  status,
  by: BY,
  at: RATED_AT,
});

/** The answers, guide by guide. */
const DEMO_SAFETY_ANSWERS: SafetyAnswer[] = [
  // High Priority Practices
  rated(
    'live-system-distinct',
    'full',
    'Tom Hale',
    'Test and training systems carry a red banner (screenshots in the go-live folder)',
  ),
  rated(
    'cybersecurity',
    'partial',
    'Tom Hale',
    'IT security checklist v2',
    'Multi-factor sign-in for remote access only; on site after go-live.',
  ),
  rated('safety-team', 'full', 'Dr Ines Moreau', 'Safety team terms of reference, monthly minutes'),
  // Organizational Responsibilities
  rated(
    'safety-leadership',
    'full',
    'Dr Ines Moreau',
    'Board minutes, 3 June: Dr Moreau named EHR safety lead',
  ),
  rated(
    'hazard-reporting',
    'partial',
    'Grace Lin',
    'Incident form, category "EHR"',
    'Reports are collected; nobody reviews them weekly yet.',
  ),
  rated('change-communication', 'full', 'Dana Whitfield', 'Go-live newsletter and the huddle board'),
  rated(
    'ai-oversight',
    'na',
    'Dr Ines Moreau',
    undefined,
    'No AI-enabled feature is switched on at go-live.',
  ),
  { item: 'clinician-training', owner: 'Rosa Diaz' },
  // Contingency Planning
  { item: 'downtime-procedures', owner: 'Dana Whitfield' },
  rated('backup-recovery', 'full', 'Tom Hale', 'Restore test of 28 June, ticket IT-2291'),
  // System Management
  rated(
    'test-patients-removed',
    'partial',
    'Tom Hale',
    undefined,
    'Rehearsal patients are marked ZZTEST; removal is step 8 of the runbook.',
  ),
  rated('access-control', 'full', 'Tom Hale', 'Role matrix signed by the practice manager'),
  rated(
    'change-control',
    'partial',
    'Tom Hale',
    'Change log in the vendor portal',
    'Configuration freeze from 22 July; no written release procedure yet.',
  ),
  // Patient Identification
  { item: 'migrated-records-patient', owner: 'Dr Sam Okafor' },
  rated(
    'two-identifiers',
    'full',
    'Ana Ruiz',
    'Registration procedure RP-3 (name and date of birth at every step)',
  ),
  rated('temporary-identifiers', 'full', 'Ana Ruiz', 'Downtime registration sheet with temporary numbers'),
  // Computerized Provider Order Entry with Decision Support
  rated(
    'alerts-tuned',
    'partial',
    'Dr Ines Moreau',
    undefined,
    'Interaction alerts at vendor defaults; tuning after the first month.',
  ),
  rated('order-sets', 'full', 'Dr Ines Moreau', 'Five order sets reviewed by the physicians on 1 July'),
  rated(
    'allergies-medications-present',
    'partial',
    'Grace Lin',
    undefined,
    'Allergies migrate; active medications are reconciled at each first visit.',
  ),
  // Test Results Reporting and Follow-Up
  rated('result-responsibility', 'full', 'Dr Ines Moreau', 'Results policy RES-1'),
  // Clinician Communication
  rated('care-team-contacts', 'full', 'Dana Whitfield', 'Staff directory in the EHR, checked 5 July'),
  rated(
    'message-routing',
    'partial',
    'Grace Lin',
    undefined,
    'Pools set up for nurses and front desk; cover rules still by e-mail.',
  ),
  rated(
    'patient-messages',
    'partial',
    'Dana Whitfield',
    undefined,
    'Portal messages go to the front desk pool; no answer-time target yet.',
  ),
];

/** The cutover runbook: the weekend before go-live, the first checkpoint held. */
const DEMO_CUTOVER_RUNBOOK: CutoverRunbook = {
  steps: [
    {
      id: 'checkpoint-1',
      kind: 'checkpoint',
      title: 'Go/no-go checkpoint 1 (three weeks out)',
      owner: 'Steering committee',
      plannedAt: '2024-07-08T12:00',
      status: 'done',
      note: 'No-go for now: sample review and two safety practices outstanding.',
    },
    {
      id: 'freeze',
      kind: 'freeze',
      title: 'Freeze new registrations in the old system',
      owner: 'Ana Ruiz',
      plannedAt: '2024-07-26T17:00',
      after: ['checkpoint-1'],
      status: 'planned',
    },
    {
      id: 'final-extract',
      kind: 'final-extract',
      title: 'Final extract of patients and encounters',
      owner: 'Tom Hale',
      plannedAt: '2024-07-26T18:00',
      after: ['freeze'],
      status: 'planned',
    },
    {
      id: 'delta-load',
      kind: 'delta-load',
      title: 'Delta load of the week’s changes',
      owner: 'Tom Hale',
      plannedAt: '2024-07-27T09:00',
      after: ['final-extract'],
      status: 'planned',
    },
    {
      id: 'appointments',
      kind: 'conversion',
      title: 'Convert booked appointments',
      owner: 'Ana Ruiz',
      plannedAt: '2024-07-27T10:00',
      after: ['delta-load'],
      status: 'planned',
    },
    {
      id: 'open-orders',
      kind: 'conversion',
      title: 'Re-enter open lab orders',
      plannedAt: '2024-07-27T13:00',
      after: ['delta-load'],
      status: 'planned',
    },
    {
      id: 'reconciliation',
      kind: 'reconciliation',
      title: 'Reconciliation sign-off: record counts and the clinicians’ sample',
      owner: 'Dr Sam Okafor',
      plannedAt: '2024-07-27T15:00',
      after: ['delta-load'],
      status: 'planned',
    },
    {
      id: 'test-patients',
      kind: 'other',
      title: 'Remove rehearsal test patients (ZZTEST)',
      owner: 'Tom Hale',
      plannedAt: '2024-07-28T09:00',
      after: ['reconciliation'],
      status: 'planned',
    },
    {
      id: 'final-go',
      kind: 'checkpoint',
      title: 'Final go/no-go',
      owner: 'Steering committee',
      plannedAt: '2024-07-28T18:00',
      after: ['reconciliation'],
      status: 'planned',
    },
  ],
};

/** The command centre of go-live week. */
const DEMO_COMMAND_CENTRE: CommandCentre = {
  location: 'Practice office, room 2.14 (call bridge 4410)',
  hours: '07:00–19:00, 29 July to 2 August; on call after hours',
  escalation: [
    { role: 'Super-user on the floor', people: ['Rosa Diaz', 'Jin Park'] },
    { role: 'Application analyst', people: ['Tom Hale'] },
    { role: 'Vendor support', people: ['Vendor go-live desk'] },
    { role: 'Clinical lead', people: ['Dr Ines Moreau', 'Dr Sam Okafor'] },
  ],
  triage: [
    {
      name: 'Patient safety',
      description: 'Wrong patient, wrong result, a missed order',
      response: '15 minutes',
    },
    { name: 'Cannot work', description: 'A role is stopped', response: '1 hour' },
    { name: 'Workaround exists', response: 'same day' },
    { name: 'Question', response: 'next working day' },
  ],
};

/** The dress rehearsal of 3 July: the mock go-live per role and the peak-load run. */
const DEMO_DRESS_REHEARSAL: DressRehearsal = {
  roles: [
    {
      role: 'Front desk',
      date: '2024-07-03',
      scriptsRun: 24,
      scriptsPassed: 22,
      issuesFound: 5,
      issuesOpen: 1,
    },
    {
      role: 'Physician',
      date: '2024-07-03',
      scriptsRun: 18,
      scriptsPassed: 18,
      issuesFound: 2,
      issuesOpen: 0,
    },
    {
      role: 'Medical assistant',
      date: '2024-07-03',
      scriptsRun: 16,
      scriptsPassed: 16,
      issuesFound: 3,
      issuesOpen: 0,
    },
    { role: 'Nurse', date: '2024-07-03', scriptsRun: 6, scriptsPassed: 6, issuesFound: 0, issuesOpen: 0 },
    { role: 'Billing', date: '2024-07-04', scriptsRun: 8, scriptsPassed: 8, issuesFound: 1, issuesOpen: 0 },
    {
      role: 'Practice manager',
      date: '2024-07-04',
      scriptsRun: 4,
      scriptsPassed: 4,
      issuesFound: 0,
      issuesOpen: 0,
    },
  ],
  peakLoad: {
    date: '2024-07-04',
    casesPerHour: 10,
    outcome: 'held',
    note: 'Monday-morning intake replayed with staff playing patients',
  },
};

/** Who is told what about go-live. */
const DEMO_COMMUNICATION_PLAN: CommunicationPlan = {
  items: [
    {
      id: 'staff-briefing',
      audience: 'All staff',
      message: 'Go-live day, the command centre and how to log an issue',
      channel: 'Staff meeting',
      owner: 'Dana Whitfield',
      due: '2024-07-22',
      status: 'planned',
    },
    {
      id: 'patient-letter',
      audience: 'Patients',
      message: 'Check-in takes longer in the week of 29 July; bring your insurance card',
      channel: 'Letter and website',
      owner: 'Ana Ruiz',
      due: '2024-07-15',
      status: 'done',
    },
    {
      id: 'referrers',
      audience: 'Referring practices',
      message: 'Send referrals through the new EHR referral queue from 29 July',
      channel: 'Email',
      due: '2024-07-19',
      status: 'planned',
    },
  ],
};

/** The vendor and each interface partner. */
const DEMO_PARTNER_READINESS: PartnerReadiness = {
  partners: [
    { id: 'ehr-vendor', name: 'EHR vendor', kind: 'vendor', owner: 'Sam Okafor', status: 'ready' },
    {
      id: 'lab-interface',
      name: 'Lab orders and results interface (reference lab)',
      kind: 'interface',
      owner: 'Sam Okafor',
      status: 'in-progress',
      note: 'results messages pass; order cancellations still fail in the lab’s test system',
    },
    {
      id: 'payer-portal',
      name: 'Payer portal',
      kind: 'interface',
      owner: 'Billing lead',
      status: 'ready',
      tested: '2024-07-02',
    },
  ],
};

/**
 * Training by role, as the trainers' sign-in sheets give it: staff in the role, how many attended
 * the role's sessions on its changed steps, sessions planned and delivered, how many then did the
 * role's changed tasks unaided in the training system (the proficiency check; none for the
 * reference lab's staff, trained by their own employer, nor for patients), and the super-users.
 */
const DEMO_TRAINING_RECORD: TrainingRecord = {
  roles: [
    {
      role: 'Physician',
      staff: 4,
      trained: 4,
      sessionsPlanned: 2,
      sessionsDelivered: 2,
      proficient: 4,
      superUsers: ['Dr Sam Okafor'],
    },
    {
      role: 'Medical assistant',
      staff: 6,
      trained: 6,
      sessionsPlanned: 3,
      sessionsDelivered: 3,
      proficient: 6,
      superUsers: ['Rosa Diaz', 'Jin Park'],
    },
    {
      role: 'Front desk',
      staff: 6,
      trained: 6,
      sessionsPlanned: 3,
      sessionsDelivered: 3,
      proficient: 6,
      superUsers: ['Ana Ruiz'],
    },
    {
      role: 'Nurse',
      staff: 3,
      trained: 3,
      sessionsPlanned: 1,
      sessionsDelivered: 1,
      proficient: 3,
      superUsers: ['Grace Lin'],
    },
    {
      role: 'Practice manager',
      staff: 1,
      trained: 1,
      sessionsPlanned: 1,
      sessionsDelivered: 1,
      proficient: 1,
      superUsers: ['Dana Whitfield'],
    },
    {
      role: 'Billing',
      staff: 2,
      trained: 2,
      sessionsPlanned: 1,
      sessionsDelivered: 1,
      proficient: 2,
      superUsers: ['Amal Haddad'],
    },
    {
      role: 'Reference lab',
      staff: 3,
      trained: 3,
      sessionsPlanned: 1,
      sessionsDelivered: 1,
      superUsers: ['Lab client services lead'],
    },
    // patients learn the portal check-in from a leaflet; the patient advisory group tried it first
    {
      role: 'Patient (self-service)',
      staff: 8,
      trained: 8,
      sessionsPlanned: 1,
      sessionsDelivered: 1,
      superUsers: ['Dana Whitfield'],
    },
  ],
  support: [
    { area: 'Front desk', shift: 'Mon 29 July, morning', supporters: 2 },
    { area: 'Front desk', shift: 'Mon 29 July, afternoon', supporters: 2 },
    { area: 'Exam rooms', shift: 'Mon 29 July, all day', supporters: 3 },
    { area: 'Lab draw station', shift: 'Mon 29 July, all day', supporters: 1 },
    { area: 'Front desk', shift: 'Tue 30 July to Fri 2 August', supporters: 1 },
    { area: 'Exam rooms', shift: 'Tue 30 July to Fri 2 August', supporters: 2 },
  ],
};

/** The rollback/downtime plan: written and drilled; the downtime reports are not printed yet. */
const DEMO_ROLLBACK_PLAN: RollbackPlan = {
  present: true,
  decidedBy: 'Dr Ines Moreau, clinical lead, with the practice manager',
  triggers:
    'Check-in or results unavailable for more than 2 hours, or a patient-safety issue the command centre cannot contain',
  paperForms: true,
  legacyReadOnly: true,
  downtimeReports: false,
  lastDrill: '2024-06-27',
  goLiveDate: '2024-07-29',
  location: 'Go-live binder at the front desk; shared drive, folder Go-live',
};

/**
 * `settings` with every readiness record of the demo written (a new object): the safety answers,
 * the training record, the rollback plan, the runbook, the command centre, the dress rehearsal,
 * the communication plan and the partners, in that order of keys.
 */
export function withDemoReadiness(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const recorded = withRollbackPlan(
    withTrainingRecord(
      {
        ...settings,
        [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers: DEMO_SAFETY_ANSWERS.map((a) => ({ ...a })) },
      },
      DEMO_TRAINING_RECORD,
    ),
    DEMO_ROLLBACK_PLAN,
  );
  return withPartnerReadiness(
    withCommunicationPlan(
      withDressRehearsal(
        withCommandCentre(withCutoverRunbook(recorded, DEMO_CUTOVER_RUNBOOK), DEMO_COMMAND_CENTRE),
        DEMO_DRESS_REHEARSAL,
      ),
      DEMO_COMMUNICATION_PLAN,
    ),
    DEMO_PARTNER_READINESS,
  );
}
