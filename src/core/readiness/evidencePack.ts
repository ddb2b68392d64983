/**
 * The evidence pack: what a steering committee reads and files before it decides. A one-page
 * summary (status per phase, blocking reasons, outstanding risks with their owners, the decision
 * and whether it is current), then the evidence per phase, each phase naming the artefacts it was
 * judged on with their hashes — workflow versions, validation reports, sign-off reviews, the
 * self-assessment — so every figure can be traced to the artefact it came from.
 *
 * The same object is the pack's JSON export and what the printable page renders. Pure: the time
 * it was made is given.
 */

import { readCommandCentre, readCutoverRunbook } from '../../formats/cutover.ts';
import { EVIDENCE_PACK_FORMAT, type EvidencePackArtefact } from '../../formats/evidencePack.ts';
import {
  readCommunicationPlan,
  readDressRehearsal,
  readPartnerReadiness,
} from '../../formats/goLivePreparation.ts';
import type { Project } from '../../formats/project.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import {
  readSafetyAssessment,
  readSteeringDecisions,
  type SteeringDecision,
} from '../../formats/steering.ts';
import { readTrainingRecord } from '../../formats/trainingRecord.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import {
  resultsHash,
  rosterState,
  type ServerSteeringDecision,
  serverSteeringState,
  verifyAuditChain,
} from '../signoff/signing/index.ts';
import type { ReportSummary } from '../teamRecords/index.ts';
import { describeGates } from './gates.ts';
import {
  type GoLiveDay,
  goLiveDay,
  type MeetingAttendance,
  meetingAttendance,
  type RunbookRow,
  runbookRows,
} from './meetingPack.ts';
import { type PathToGoAction, pathToGo } from './pathToGo.ts';
import { latestReview } from './preLaunch.ts';
import {
  EVIDENCE_GRADE_WORDS,
  evidenceGradeOf,
  SAFER_GUIDES,
  SAFER_LEVEL_WORDS,
  SAFETY_STATUS_WORDS,
  saferLevelOf,
} from './safety.ts';
import { type ReviewSigner, type TeamSample, teamSampleOf } from './teamSample.ts';
import type { PhaseId, PhaseReason, PhaseStatus, ReadinessResult } from './types.ts';
import { plural } from './words.ts';

/** Tag of the pack's JSON export (its format: src/formats/evidencePack.ts). */
export { EVIDENCE_PACK_FORMAT };

/** An artefact a phase was judged on, with the hash that identifies the version judged. */
export type PackArtefact = EvidencePackArtefact;

/**
 * The project's audit chain as the pack was made: the one hash chain that records every sign-off
 * step and every steering signature. `intact`: every entry follows the one before and matches
 * its hash, and each steering signature it records is in the project unchanged; `head` is the
 * last entry's hash, which `preflight signoff verify --expect-head` checks an exported log against.
 */
export type PackAuditChain =
  | {
      state: 'intact';
      entries: number;
      head: string;
      /** steering signatures the chain records */
      steeringSignatures: number;
      /** signatures of the latest steering decision the chain does not record (yet) */
      unlogged: number;
    }
  | { state: 'broken'; entry: number; message: string };

/**
 * The audit chain `entries` (oldest first, as storage holds them) checked against the project's
 * steering decisions. Never throws; messages hold no values.
 */
export function packAuditChain(project: Project, entries: readonly unknown[]): PackAuditChain {
  const steering = readSteeringDecisions(project.meta.settings);
  const checked = verifyAuditChain(entries, undefined, { steering });
  if (!checked.ok) return { state: 'broken', entry: checked.entry, message: checked.message };
  const logged = new Set(
    entries.flatMap((e) => {
      const entry = e as { event?: unknown; subjectId?: unknown };
      return entry.event === 'steering-signature' && typeof entry.subjectId === 'string'
        ? [entry.subjectId]
        : [];
    }),
  );
  const latest = steering[steering.length - 1];
  return {
    state: 'intact',
    entries: checked.entries,
    head: checked.head,
    steeringSignatures: logged.size,
    unlogged: latest ? latest.signatures.filter((s) => !logged.has(s.id)).length : 0,
  };
}

/** The chain in one sentence, for the screen and the printed pack. */
export function auditChainWords(chain: PackAuditChain): string {
  if (chain.state === 'broken')
    return `Audit log broken at entry ${chain.entry}: ${chain.message.replace(/^entry \d+: /, '')}. Export it from the Sign-off screen and check it with preflight signoff verify.`;
  const signatures =
    chain.steeringSignatures === 1
      ? '1 steering signature'
      : `${chain.steeringSignatures} steering signatures`;
  const unlogged =
    chain.unlogged > 0
      ? ` ${chain.unlogged} of the latest decision's signatures ${chain.unlogged === 1 ? 'is' : 'are'} not in it yet.`
      : '';
  return `Audit log: ${chain.entries} ${chain.entries === 1 ? 'entry' : 'entries'}, chain intact, ${signatures} recorded; head ${chain.head}.${unlogged}`;
}

/**
 * A reason or a risk, with who answers for it where the project names someone, and (a blocking
 * reason) the day the action that clears it is due, where the project records one.
 */
export type PackReason = PhaseReason & {
  owner?: string;
  due?: string;
  /** `due` was before the day the pack was made: overdue, not a plan (absent otherwise, and in packs made before it) */
  overdue?: true;
};

/**
 * What the meeting reads off the printed pack beside the verdict (see meetingPack.ts); the
 * attendees, quorum and conditions for go are absent in packs made before them.
 */
export interface PackMeeting extends Partial<MeetingAttendance> {
  goLiveDay: GoLiveDay;
  rollbackTriggers?: string;
  rollbackDecidedBy?: string;
  runbook: RunbookRow[];
}

/** The pack (its JSON export). */
export interface EvidencePack {
  format: typeof EVIDENCE_PACK_FORMAT;
  generatedAt: string;
  project: { id: string; name: string };
  /** SHA-256 of the readiness result (what a decision binds) */
  resultSha256: string;
  decision: ReadinessResult['decision'];
  gates: string[];
  phases: {
    id: PhaseId;
    name: string;
    status: PhaseStatus;
    evidence: string[];
    reasons: ReadinessResult['reasons'];
    artefacts: PackArtefact[];
  }[];
  /** why no-go, each with its owner where one is named */
  reasons: PackReason[];
  /** what needs attention without blocking, each with its owner where one is named */
  risks: PackReason[];
  safety: {
    id: string;
    title: string;
    /** the SAFER guide the practice belongs to, by its title (absent in packs made before the 2025 guides) */
    guide?: string;
    status: string;
    /** the point of the 2025 SAFER five-point scale, in words (absent in packs made before it) */
    level?: string;
    /** how strong the evidence for the rating is, in words (absent when not graded, and in packs made before it) */
    grade?: string;
    owner?: string;
    /** where the evidence for the rating is kept, as the clinic recorded it */
    evidenceKept?: string;
    note?: string;
    evidence: string[];
    overridden: boolean;
    by?: string;
    reason?: string;
  }[];
  steering: ReadinessResult['steering'];
  /** the audit chain as the pack was made (absent where the chain was not at hand: a project file) */
  auditChain?: PackAuditChain;
  /**
   * The readiness result the pack was made from, without its steering part: what `resultSha256`
   * is the hash of, so the hash and every status and reason above can be checked against it.
   * Absent in packs made before packs could be verified.
   */
  result?: Omit<ReadinessResult, 'steering'>;
  /** the latest steering decision as signed, signatures and re-authentications included */
  steeringDecision?: SteeringDecision;
  /**
   * what the readiness was judged on, when not the project as one browser holds it:
   * {@link PACK_JUDGED_ON_TEAM} for a project shared with a team server, judged on the team's
   * shared records, its shared workflows, its validation summaries and the server's sample results
   * (absent: the project itself, and in packs made before this was said)
   */
  judgedOn?: typeof PACK_JUDGED_ON_TEAM;
  /**
   * the latest go/no-go signed on the team server, for a shared project: the decision, its
   * rationale, whether the readiness now still hashes as it did, and each signature's
   * manifestation (printed name, date-time with zone, meaning); absent where none was signed there
   */
  serverSteeringDecision?: ServerSteeringDecision & { state: 'current' | 'stale' };
  /**
   * who decides go or no-go: the approvers on the project's roster, by name and title (empty when
   * the roster names none; absent in packs made before the decision summary)
   */
  deciders?: { name: string; title: string }[];
  /** the fewest actions that clear every blocking reason (absent in packs made before) */
  pathToGo?: PathToGoAction[];
  /**
   * who signed each sample plan's review, by plan: for a shared project the signatures on the
   * team server's review, else those kept in the latest review of the plan; a plan nobody signed
   * has none (absent in packs made before it)
   */
  reviewSigners?: { plan: string; signers: ReviewSigner[] }[];
  /** the go-live day judged on the day the pack was made, the rollback triggers, the runbook table (absent in packs made before) */
  meeting?: PackMeeting;
  /** the hash of each other field and of them all (absent in packs made before) */
  seal?: PackSeal;
}

/**
 * The pack's own integrity: SHA-256 of the RFC 8785 canonical JSON of each top-level field (so a
 * verifier names the field that changed) and of those hashes together. Anyone can recompute it:
 * it finds a changed or damaged pack, and the steering signatures and the project's artefacts are
 * what a forger cannot recompute.
 */
export interface PackSeal {
  fields: Record<string, string>;
  sha256: string;
}

/** The seal of `pack` (its `seal` field, if any, left out). */
export function packSeal(pack: Readonly<Record<string, unknown>>): PackSeal {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(pack))
    if (key !== 'seal' && value !== undefined) fields[key] = canonicalSha256Hex(value);
  return { fields, sha256: canonicalSha256Hex(fields) };
}

const hash = (value: unknown) => canonicalSha256Hex(value);

type AssessedItem = ReadinessResult['safety'][number];
/** a practice's point on the five-point scale, in words */
const levelWords = (i: AssessedItem) => {
  const level = saferLevelOf(i);
  return level === 'na' || level === 'unassessed' ? SAFETY_STATUS_WORDS[level] : SAFER_LEVEL_WORDS[level];
};
/** a practice's evidence grade, in words, when it has one */
const gradeWords = (i: AssessedItem) => {
  const grade = evidenceGradeOf(i);
  return grade ? EVIDENCE_GRADE_WORDS[grade] : undefined;
};

/** Who decides, in one sentence, for the CLI and the printed pack. */
export function decidersLine(who: readonly { name: string; title: string }[] | undefined): string {
  return who && who.length > 0
    ? `Who decides: the steering committee — ${who.map((d) => `${d.name} (${d.title})`).join(', ')}, the approvers on the project's roster.`
    : 'Who decides: the steering committee. No approver is on the project’s roster yet, so anyone recorded may sign: add the committee to the roster.';
}

/**
 * Who signed each sample plan's review (see {@link EvidencePack.reviewSigners}): a shared
 * project's from the team server when it holds the plan's sample, else the latest review here.
 */
export function reviewSigners(
  project: Project,
  teamSamples: readonly TeamSample[] | undefined,
): { plan: string; signers: ReviewSigner[] }[] {
  return project.samplePlans.map((plan) => {
    const onServer = teamSamples ? teamSampleOf(plan, teamSamples) : undefined;
    if (onServer) return { plan: plan.name, signers: [...(onServer.signers ?? [])] };
    const review = latestReview(plan, project.reviews ?? []);
    return {
      plan: plan.name,
      signers: (review?.signatures ?? []).map((s) => ({
        name: s.signer.name,
        role: s.signer.role,
        meaning: s.meaning,
        signedAt: s.signedAt,
      })),
    };
  });
}

/** Who decides go or no-go: the approvers on the project's roster, in the roster's order. */
export function deciders(project: Project): { name: string; title: string }[] {
  return [...rosterState(project.meta.roster).members.values()]
    .filter((m) => m.roles.includes('approver'))
    .map((m) => ({ name: m.name, title: m.title }));
}

/** A pack's `judgedOn` for a project shared with a team server (see {@link EvidencePack.judgedOn}). */
export const PACK_JUDGED_ON_TEAM = 'team-shared-record';

/**
 * The kinds of artefact a pack judged on the team's shared record lists as the team server holds
 * them: the shared workflows, the validation summaries and the samples' results. A project file
 * is one browser's copy and does not hold the team's, so it cannot speak for them.
 */
export const TEAM_HELD_ARTEFACTS: ReadonlySet<PackArtefact['kind']> = new Set([
  'workflow',
  'validation-report',
  'sign-off',
]);

/**
 * A shared project's sign-off and validation evidence as the team server holds it: the pack lists
 * these instead of the browser's own reviews and reports, as its Readiness judged them.
 */
export interface PackTeamEvidence {
  /** the validation summaries on the server, in the order the extracts read them */
  reportSummaries: readonly ReportSummary[];
  /** the server's result of each sample (absent: they could not be read) */
  teamSamples?: readonly TeamSample[];
}

/**
 * The artefacts each phase reads, as the pack of `project` lists them; with `team` (a shared
 * project), the reports and reviews are the team server's: each validation summary, by the
 * SHA-256 of the whole report it summarises (so it matches the report in the browser that ran it),
 * and each sample's result on the server, by its results hash.
 */
export function packArtefacts(project: Project, team?: PackTeamEvidence): Record<PhaseId, PackArtefact[]> {
  const current = project.workflows.filter((w) => w.state === 'current');
  const future = project.workflows.filter((w) => w.state === 'future');
  const workflow = (w: Project['workflows'][number]): PackArtefact => ({
    kind: 'workflow',
    id: w.id,
    name: w.name,
    sha256: hash(w),
    detail: w.state === 'current' ? 'today' : 'planned',
  });
  const reportArtefact = (
    r: { id: string; generatedAt: string; inputs: readonly { name: string }[] },
    sha256: string,
  ): PackArtefact => ({
    kind: 'validation-report',
    id: r.id,
    name: r.inputs.map((i) => i.name).join(', ') || 'validation report',
    sha256,
    detail: `checked ${r.generatedAt}`,
  });
  const reports = team
    ? team.reportSummaries.map((r) => ({
        ...reportArtefact(r, r.sha256),
        detail: `checked ${r.generatedAt}, summary on the team server`,
      }))
    : project.reports.map((r) => reportArtefact(r, hash(r)));
  const plans = new Map(project.samplePlans.map((p) => [p.id, p.name]));
  const onServer = (team?.teamSamples ?? []).map(
    ({ result, approvals }): PackArtefact => ({
      kind: 'sign-off',
      id: result.reviewId,
      name: `Sign-off of “${plans.get(result.plan.id) ?? result.plan.id}”`,
      sha256: result.resultsSha256,
      detail: `result on the team server, plan ${result.planHash.slice(0, 12)}…, ${plural(result.decisions, 'decision')}, ${plural(approvals.length, 'approval')}`,
    }),
  );
  const reviews = team
    ? onServer
    : (project.reviews ?? []).map(
        (r): PackArtefact => ({
          kind: 'sign-off',
          id: r.id,
          name: `Sign-off of “${plans.get(r.plan.id) ?? r.plan.id}”`,
          sha256: hash(r),
          detail: `plan ${r.plan.hash.slice(0, 12)}…, results ${resultsHash(r).slice(0, 12)}…, ${plural(r.signatures?.length ?? 0, 'signature')}`,
        }),
      );
  const safety: PackArtefact = {
    kind: 'safety-assessment',
    id: 'safety-assessment',
    name: 'Safety self-assessment',
    sha256: hash(readSafetyAssessment(project.meta.settings)),
  };
  /** a record the project keeps once, by its kind: 'not recorded' while it is absent */
  const kept = <T>(kind: PackArtefact['kind'], name: string, value: T | null, detail: (v: T) => string) => ({
    kind,
    id: kind,
    name,
    sha256: hash(value),
    detail: value === null ? 'not recorded' : detail(value),
  });
  const training = kept(
    'training-record',
    'Training and go-live support record',
    readTrainingRecord(project.meta.settings),
    (r) => `${plural(r.roles.length, 'role')}, ${plural(r.support.length, 'support shift')}`,
  );
  const rollback = kept(
    'rollback-plan',
    'Rollback/downtime plan',
    readRollbackPlan(project.meta.settings),
    (plan) =>
      plan.present
        ? `present${plan.location ? `, kept at ${plan.location}` : ''}${plan.lastDrill ? `, last drill ${plan.lastDrill}` : ''}`
        : 'marked absent',
  );
  const roleOwners = kept(
    'role-owners',
    'Role owners and stakeholders',
    readRoleOwners(project.meta.settings),
    (owners) =>
      `${plural(owners.roles.length, 'role')} recorded, ${owners.roles.filter((r) => r.owner !== undefined).length} with an owner`,
  );
  const runbook = kept(
    'cutover-runbook',
    'Cutover runbook',
    readCutoverRunbook(project.meta.settings),
    (book) => plural(book.steps.length, 'step'),
  );
  const commandCentre = kept(
    'command-centre',
    'Command centre',
    readCommandCentre(project.meta.settings),
    (centre) =>
      `${plural(centre.escalation.length, 'escalation role')}, ${plural(centre.triage.length, 'triage category', 'triage categories')}`,
  );
  const rehearsal = kept(
    'dress-rehearsal',
    'Dress rehearsal',
    readDressRehearsal(project.meta.settings),
    (r) => `${plural(r.roles.length, 'role')}${r.peakLoad ? ', peak-load run' : ''}`,
  );
  const communication = kept(
    'communication-plan',
    'Communication plan',
    readCommunicationPlan(project.meta.settings),
    (plan) => plural(plan.items.length, 'communication'),
  );
  const partners = kept(
    'partner-readiness',
    'Vendor and interface readiness',
    readPartnerReadiness(project.meta.settings),
    (r) => plural(r.partners.length, 'partner'),
  );
  return {
    discovery: [...[...current, ...future].map(workflow), roleOwners],
    configuration: [...current, ...future].map(workflow),
    training: [...[...current, ...future].map(workflow), training],
    'pre-launch': [...reports, ...reviews, ...future.map(workflow), rehearsal],
    'go-live': [
      ...future.map(workflow),
      safety,
      training,
      rollback,
      runbook,
      commandCentre,
      communication,
      partners,
    ],
  };
}

/**
 * The evidence pack of `project` judged as `result`, made at `generatedAt`, with the audit chain
 * as checked by {@link packAuditChain} when it is at hand.
 */
export function evidencePack(
  project: Project,
  result: ReadinessResult,
  generatedAt: string,
  auditChain?: PackAuditChain,
  /** the go/no-go decisions signed on the team server, oldest first, for a shared project */
  serverSteering?: readonly ServerSteeringDecision[],
  /** a shared project's validation summaries and sample results on the team server */
  team?: PackTeamEvidence,
): EvidencePack {
  const byPhase = packArtefacts(project, team);
  const owners = new Map(result.safety.map((i) => [i.title, i.answer?.owner]));
  const ownerOf = (text: string) => {
    for (const [title, owner] of owners)
      if (owner && text.startsWith(`Safety self-assessment: ${title} `)) return owner;
    return undefined;
  };
  const path = pathToGo(project, result, generatedAt.slice(0, 10));
  // a blocking reason takes the owner and due day of the action that clears it
  const actionOf = (r: PhaseReason) => (r.blocks ? path.find((a) => a.resolves.includes(r.text)) : undefined);
  const withOwner = (r: PhaseReason): PackReason => {
    const action = actionOf(r);
    const owner = ownerOf(r.text) ?? action?.owner ?? undefined;
    const due = action?.due ?? undefined;
    return {
      ...r,
      ...(owner ? { owner } : {}),
      ...(due ? { due } : {}),
      ...(due && action?.dueState === 'past' ? { overdue: true as const } : {}),
    };
  };
  const rollback = readRollbackPlan(project.meta.settings);
  const meeting: PackMeeting = {
    goLiveDay: goLiveDay(project, generatedAt.slice(0, 10)),
    ...(rollback?.triggers ? { rollbackTriggers: rollback.triggers } : {}),
    ...(rollback?.decidedBy ? { rollbackDecidedBy: rollback.decidedBy } : {}),
    runbook: runbookRows(project),
    ...meetingAttendance(project),
  };
  const { steering: _steering, ...judged } = result;
  const decision = readSteeringDecisions(project.meta.settings).at(-1);
  const onServer = serverSteeringState(serverSteering ?? [], result.steering.resultSha256).latest;
  const pack: Omit<EvidencePack, 'seal'> = {
    format: EVIDENCE_PACK_FORMAT,
    generatedAt,
    project: { id: project.meta.id, name: project.meta.name },
    resultSha256: result.steering.resultSha256,
    decision: result.decision,
    gates: describeGates(result.gates),
    phases: result.phases.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      evidence: p.evidence,
      reasons: p.reasons.map((r) => ({ ...r, phase: p.id })),
      artefacts: byPhase[p.id],
    })),
    reasons: result.reasons.map(withOwner),
    risks: result.risks.map(withOwner),
    safety: result.safety.map((i) => ({
      id: i.id,
      title: i.title,
      guide: SAFER_GUIDES.find((g) => g.id === i.guide)?.title ?? i.guide,
      status: SAFETY_STATUS_WORDS[i.status],
      level: levelWords(i),
      ...(gradeWords(i) ? { grade: gradeWords(i) } : {}),
      ...(i.answer?.owner ? { owner: i.answer.owner } : {}),
      ...(i.answer?.evidence ? { evidenceKept: i.answer.evidence } : {}),
      ...(i.answer?.note ? { note: i.answer.note } : {}),
      evidence: i.evidence.lines,
      overridden: i.overridden,
      ...(i.answer?.by ? { by: i.answer.by } : {}),
      ...(i.answer?.reason ? { reason: i.answer.reason } : {}),
    })),
    steering: result.steering,
    ...(auditChain ? { auditChain } : {}),
    result: judged,
    ...(decision ? { steeringDecision: decision } : {}),
    ...(onServer ? { serverSteeringDecision: onServer } : {}),
    ...(team ? { judgedOn: PACK_JUDGED_ON_TEAM } : {}),
    deciders: deciders(project),
    pathToGo: path,
    reviewSigners: reviewSigners(project, team?.teamSamples),
    meeting,
  };
  return { ...pack, seal: packSeal(pack) };
}
