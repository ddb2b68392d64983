/**
 * The safety self-assessment's catalogue: the eight 2025 SAFER guides (Safety Assurance Factors
 * for EHR Resilience, ONC/ASTP; Sittig et al., JAMIA 2025, which merged the nine 2016 guides into
 * eight — System Configuration and System Interfaces became System Management) and, under each,
 * the handful of practices a clinic going live can evidence or attest. The practices are in
 * Preflight's own words, chosen from the guides for a go-live; they are not the guides' full text,
 * and the screen says so. Rated as the guides rate them: fully, partially or not implemented, or
 * not applicable.
 *
 * Practice ids are stored in projects (`meta.settings.safetyAssessment`): never rename one
 * without adding it to `RENAMED_SAFETY_ITEMS` (src/formats/steering.ts). Six ids are the items of
 * the earlier seven-item list, kept so older projects keep their answers.
 */
import type { SaferGuideId } from '../../formats/steering.ts';
import type { SafetyItem } from './types.ts';

/** One guide: its name as ONC/ASTP publishes it, what it covers, and its practices. */
interface SaferGuide {
  id: SaferGuideId;
  title: string;
  /** what the guide is about, one sentence */
  about: string;
  practices: readonly Omit<SafetyItem, 'guide'>[];
}

/** The guides in the order a committee goes through them (the foundational guides first). */
export const SAFER_GUIDES: readonly SaferGuide[] = [
  {
    id: 'high-priority-practices',
    title: 'High Priority Practices',
    about: 'The practices the other guides rate most important, cybersecurity included.',
    practices: [
      {
        id: 'live-system-distinct',
        title: 'Live system cannot be confused',
        asks: 'Staff always know they are in the live system: test, training and read-only copies look different and cannot be mistaken for it.',
      },
      {
        id: 'cybersecurity',
        title: 'Cybersecurity basics',
        asks: 'Every user signs in with multi-factor authentication, security patches are applied on schedule, and recovery from a cyber-attack such as ransomware is planned and practised.',
      },
      {
        id: 'safety-team',
        title: 'EHR safety team',
        asks: 'A team of clinicians, IT and leadership reviews EHR-related safety issues and repeats this self-assessment at least once a year.',
      },
    ],
  },
  {
    id: 'organizational-responsibilities',
    title: 'Organizational Responsibilities',
    about: 'Who answers for the EHR’s safe use, how hazards are reported, and how people are prepared.',
    practices: [
      {
        id: 'safety-leadership',
        title: 'Named owner of EHR safety',
        asks: 'Leaders are committed to a culture of safety, and a named person answers for the EHR’s safe use.',
      },
      {
        id: 'hazard-reporting',
        title: 'Hazard reporting',
        asks: 'Staff can report EHR-related hazards, near misses and harm in one known place; reports are reviewed and acted on.',
      },
      {
        id: 'change-communication',
        title: 'Changes communicated, feedback heard',
        asks: 'Users learn of EHR changes promptly and can give feedback on safety concerns.',
      },
      {
        id: 'ai-oversight',
        title: 'AI-enabled features overseen',
        asks: 'AI-enabled features are listed, checked locally before clinical use and monitored; clinicians can tell when a suggestion comes from one.',
      },
      {
        id: 'clinician-training',
        title: 'Clinician training',
        asks: 'Every clinician is trained on the steps of their own work that change, before go-live.',
      },
    ],
  },
  {
    id: 'contingency-planning',
    title: 'Contingency Planning',
    about: 'Working safely when all or part of the EHR is unavailable, planned or not.',
    practices: [
      {
        id: 'downtime-procedures',
        title: 'Downtime procedures',
        asks: 'Written downtime and rollback procedures, paper forms at hand, and staff who have practised them.',
      },
      {
        id: 'backup-recovery',
        title: 'Backup and recovery',
        asks: 'Backups of the new system are taken and a restore has been tested.',
      },
      {
        id: 'downtime-communication',
        title: 'Downtime announced and closed out',
        asks: 'Staff learn at once when the EHR goes down or comes back, and what was recorded on paper meanwhile is entered afterwards.',
      },
    ],
  },
  {
    id: 'system-management',
    title: 'System Management',
    about: 'Configuration, access, testing and interfaces of the EHR and the systems around it.',
    practices: [
      {
        id: 'test-patients-removed',
        title: 'Test patients removed',
        asks: 'Test patients, orders and results made during build and rehearsal are removed from the live system or clearly marked.',
      },
      {
        id: 'interfaces-tested',
        title: 'Interfaces tested',
        asks: 'Every system-to-system interface (lab, pharmacy, billing, devices) is tested end to end; nothing is re-keyed by hand.',
      },
      {
        id: 'access-control',
        title: 'Access by role',
        asks: 'Each person signs in as themselves with the access their role needs; accounts of leavers and temporary staff are closed on time.',
      },
      {
        id: 'change-control',
        title: 'Changes tested before live',
        asks: 'Configuration changes and upgrades are tested outside the live system and released under change control, and users on both sides of an interface are checked after a change.',
      },
    ],
  },
  {
    id: 'patient-identification',
    title: 'Patient Identification',
    about: 'Information is entered into and shown from the right patient’s record.',
    practices: [
      {
        id: 'migrated-records-patient',
        title: 'Migrated records on the right patient',
        asks: 'Every migrated record belongs to the right patient: clinicians found none attached to another patient, in a sample that passes their review.',
      },
      {
        id: 'two-identifiers',
        title: 'Two identifiers at every step',
        asks: 'Patients are identified with two identifiers at registration, ordering, specimen collection and when results are filed.',
      },
      {
        id: 'look-alike-warning',
        title: 'Look-alike patients flagged',
        asks: 'Users are warned when they look up or register a patient whose name or details match another, and duplicates are merged under a set process.',
      },
      {
        id: 'temporary-identifiers',
        title: 'Temporary identifiers',
        asks: 'When registration is down or a patient cannot be identified, a temporary identifier is given and later merged into the permanent record.',
      },
    ],
  },
  {
    id: 'cpoe-decision-support',
    title: 'Computerized Provider Order Entry with Decision Support',
    about: 'Ordering in the EHR and the alerts and order sets that guide it.',
    practices: [
      {
        id: 'alerts-tuned',
        title: 'Alerts limited and tuned',
        asks: 'Interruptive alerts are kept to serious interactions and tuned on their override rates; clinicians can override one with a reason.',
      },
      {
        id: 'order-sets',
        title: 'Order sets reviewed',
        asks: 'Order sets are evidence based, reviewed by clinicians before go-live and kept current.',
      },
      {
        id: 'allergies-medications-present',
        title: 'Allergies and medications in place for checks',
        asks: 'Allergies and active medications are in the new system before ordering starts, so drug–allergy and interaction checks work from day one.',
      },
    ],
  },
  {
    id: 'test-results',
    title: 'Test Results Reporting and Follow-Up',
    about: 'Results reach the person responsible, and their follow-up is tracked.',
    practices: [
      {
        id: 'results-acknowledgement',
        title: 'Results acknowledgement',
        asks: 'Every result reaches the person who ordered it and is acknowledged; nothing ordered is left untracked (closed loop).',
      },
      {
        id: 'result-responsibility',
        title: 'Who follows up each result',
        asks: 'A written policy says who follows up each result, including results that arrive after the patient has left or while the orderer is away.',
      },
      {
        id: 'follow-up-reminders',
        title: 'Follow-up reminders',
        asks: 'Clinicians can set reminders for future follow-up, and abnormal results not acted on are tracked.',
      },
    ],
  },
  {
    id: 'clinician-communication',
    title: 'Clinician Communication',
    about: 'Messages between clinicians, and with patients, reach someone who acts on them.',
    practices: [
      {
        id: 'care-team-contacts',
        title: 'Care-team contact details',
        asks: 'Clinicians can find a patient’s current care team and their contact details in the EHR.',
      },
      {
        id: 'message-routing',
        title: 'Messages reach a person',
        asks: 'Messages and tasks go to a named person or a staffed pool, with cover when someone is away; urgent ones are escalated.',
      },
      {
        id: 'patient-messages',
        title: 'Patient messages answered',
        asks: 'Messages from patients (portal messages, questions on shared notes and results) go to a team that answers them within a set time.',
      },
    ],
  },
];

/** Every practice with its guide, guide by guide. */
export const SAFETY_ITEMS: readonly SafetyItem[] = SAFER_GUIDES.flatMap((g) =>
  g.practices.map((p) => ({ ...p, guide: g.id })),
);
