/**
 * What a steering committee records in a project for its go-live: the safety self-assessment
 * (`meta.settings.safetyAssessment`, `#/$defs/safetyAssessment` of project.schema.json) and the
 * signed go/no-go decisions (`meta.settings.steeringDecisions`, `#/$defs/steeringDecision`).
 * Both live in the project's settings, so they are saved and exported with the project like the
 * readiness gates (docs/decisions/0035-steering-records-in-project-settings.md).
 *
 * Public format: both keys are optional (projects written before them have neither) and new
 * fields are added as optional ones only. The project schema refuses a malformed record on
 * import and storage refuses to save one; the readers here still skip a value of the wrong kind,
 * so a project written by hand never breaks the Readiness screen.
 */
import { isPlainObject } from './loading.ts';
import type { NoReauthentication, Reviewer, WebAuthnAssertion } from './review.ts';

/** Where a project keeps its safety self-assessment. */
export const PROJECT_SAFETY_ASSESSMENT_KEY = 'safetyAssessment';
/** Where a project keeps its steering committee's decisions. */
export const PROJECT_STEERING_DECISIONS_KEY = 'steeringDecisions';
/** Where a project keeps the decision being written and not signed yet. */
export const PROJECT_STEERING_DRAFT_KEY = 'steeringDraft';

/** The decision being written: what is chosen and the rationale so far (nothing is signed). */
export interface SteeringDraft {
  decision: 'go' | 'no-go';
  rationale: string;
}

/** The draft of a project's settings, when there is a well-formed one. */
export function readSteeringDraft(settings: Readonly<Record<string, unknown>>): SteeringDraft | undefined {
  const raw = settings[PROJECT_STEERING_DRAFT_KEY];
  if (!isPlainObject(raw) || (raw.decision !== 'go' && raw.decision !== 'no-go') || !text(raw.rationale))
    return undefined;
  return { decision: raw.decision, rationale: raw.rationale };
}

/** `settings` with `draft` kept, or without a draft when `draft` is undefined (a new object). */
export function withSteeringDraft(
  settings: Readonly<Record<string, unknown>>,
  draft: SteeringDraft | undefined,
): Record<string, unknown> {
  const { [PROJECT_STEERING_DRAFT_KEY]: _old, ...rest } = settings;
  return draft ? { ...rest, [PROJECT_STEERING_DRAFT_KEY]: { ...draft } } : rest;
}

/**
 * How far a safety practice is implemented, as the 2025 SAFER guides rate it: fully, partially,
 * not, or not applicable to this clinic (`na`, which the gates leave out).
 */
export type SafetyStatus = 'full' | 'partial' | 'none' | 'na';

/**
 * How far a practice is in place on the 2025 SAFER guides' five-point scale, best first. The
 * earlier guides had three points (fully in place in all areas, partially in place in some areas,
 * not implemented), which are three of these five: {@link saferLevelOfStatus} reads an answer
 * saved before the scale as the point it was, and {@link statusOfSaferLevel} gives the three-level
 * status the gates judge.
 */
export const SAFER_LEVELS = ['full-all', 'full-some', 'partial-all', 'partial-some', 'none'] as const;
export type SaferLevel = (typeof SAFER_LEVELS)[number];

/**
 * The three-level status a point of the five-point scale counts as at the gates: only "fully in
 * place in all areas" is fully implemented; fully in some areas, or partially anywhere, is partial.
 */
export function statusOfSaferLevel(level: SaferLevel): Exclude<SafetyStatus, 'na'> {
  return level === 'full-all' ? 'full' : level === 'none' ? 'none' : 'partial';
}

/**
 * The point of the five-point scale an answer saved on the three-level scale was: fully → fully
 * in place in all areas; partially → partially in place in some areas; not → not implemented
 * (the three points the earlier SAFER checklists offered).
 */
export function saferLevelOfStatus(status: Exclude<SafetyStatus, 'na'>): SaferLevel {
  return status === 'full' ? 'full-all' : status === 'partial' ? 'partial-some' : 'none';
}

/**
 * How strong the evidence for a rating is, strongest first: measured from the project's own
 * records, tested or observed (a drill, a test script run), documented (a written policy or
 * record), or attested (someone says so).
 */
export const EVIDENCE_GRADES = ['measured', 'tested', 'documented', 'attested'] as const;
export type EvidenceGrade = (typeof EVIDENCE_GRADES)[number];

/** The eight 2025 SAFER guides (ONC/ASTP), by id, in the order a committee goes through them. */
export const SAFER_GUIDE_IDS = [
  'high-priority-practices',
  'organizational-responsibilities',
  'contingency-planning',
  'system-management',
  'patient-identification',
  'cpoe-decision-support',
  'test-results',
  'clinician-communication',
] as const;
export type SaferGuideId = (typeof SAFER_GUIDE_IDS)[number];

/**
 * Practice ids of the earlier seven-item self-assessment that were renamed when it became the
 * 2025 SAFER guides' practices; the reader maps them, so an older project keeps its answers.
 * (The other six items kept their ids as practices of a guide.)
 */
export const RENAMED_SAFETY_ITEMS: Readonly<Record<string, string>> = {
  'patient-identification': 'migrated-records-patient',
};

/** A person's answer for one item of the safety self-assessment. */
export interface SafetyAnswer {
  /** the practice's id (src/core/readiness/safer.ts lists them by guide) */
  item: string;
  /** who makes sure it is in place */
  owner?: string;
  /** where the evidence for the rating is kept (a reference, not the document) */
  evidence?: string;
  note?: string;
  /** the status a person set; absent: what the project's evidence gives stands */
  status?: SafetyStatus;
  /**
   * the point of the five-point scale a person set, with `status` (which it counts as); absent in
   * answers saved before the scale, read as {@link saferLevelOfStatus} of their status
   */
  level?: SaferLevel;
  /** how strong the evidence for the rating is */
  grade?: EvidenceGrade;
  /** who set `status` (required with it) */
  by?: string;
  /** when `status` was set (RFC 3339 with zone; required with it) */
  at?: string;
  /** why `status` differs from what the evidence gave, when it does */
  reason?: string;
}

/** `meta.settings.safetyAssessment`. */
export interface SafetyAssessment {
  answers: SafetyAnswer[];
}

/** One signature on a steering decision: the manifestation and how the signer re-authenticated. */
export interface SteeringSignature {
  id: string;
  signer: Reviewer;
  /** RFC 3339 with zone */
  signedAt: string;
  /** the meaning of the signature, exactly as shown */
  meaning: string;
  /**
   * SHA-256 of the RFC 8785 canonical JSON of the decision (without its signatures) and this
   * signature without `signatureSha256` and `reauthentication`: the WebAuthn challenge
   */
  signatureSha256: string;
  reauthentication: WebAuthnAssertion | NoReauthentication;
}

/** The steering committee's go/no-go decision, bound to the readiness result it was taken on. */
export interface SteeringDecision {
  id: string;
  decision: 'go' | 'no-go';
  /** the go/no-go Preflight computed when the decision was taken */
  readiness: 'go' | 'no-go';
  /** SHA-256 of the RFC 8785 canonical JSON of that readiness result */
  resultSha256: string;
  /** why, in the committee's words */
  rationale: string;
  /** RFC 3339 with zone */
  recordedAt: string;
  /** oldest first, at least one */
  signatures: SteeringSignature[];
}

const STATUSES: readonly string[] = ['full', 'partial', 'none', 'na'];
const text = (v: unknown): v is string => typeof v === 'string';

/**
 * The answers of a project's settings, older practice ids migrated to their current ones
 * ({@link RENAMED_SAFETY_ITEMS}; a later answer for a practice still wins); an answer of the
 * wrong shape is skipped. Never throws.
 */
export function readSafetyAssessment(settings: Readonly<Record<string, unknown>>): SafetyAssessment {
  const raw = settings[PROJECT_SAFETY_ASSESSMENT_KEY];
  if (!isPlainObject(raw) || !Array.isArray(raw.answers)) return { answers: [] };
  const answers: SafetyAnswer[] = [];
  for (const a of raw.answers) {
    if (!isPlainObject(a) || !text(a.item)) continue;
    const answer: SafetyAnswer = { item: RENAMED_SAFETY_ITEMS[a.item] ?? a.item };
    if (text(a.owner)) answer.owner = a.owner;
    if (text(a.evidence)) answer.evidence = a.evidence;
    if (text(a.note)) answer.note = a.note;
    if (text(a.status) && STATUSES.includes(a.status) && text(a.by) && text(a.at)) {
      answer.status = a.status as SafetyStatus;
      answer.by = a.by;
      answer.at = a.at;
      if (text(a.reason)) answer.reason = a.reason;
      // a level that disagrees with its status (the status edited by a Preflight before the scale) is dropped
      const level = SAFER_LEVELS.find((l) => l === a.level);
      if (level && answer.status !== 'na' && statusOfSaferLevel(level) === answer.status)
        answer.level = level;
    }
    const grade = EVIDENCE_GRADES.find((g) => g === a.grade);
    if (grade) answer.grade = grade;
    answers.push(answer);
  }
  return { answers };
}

/** `settings` with `answer` replacing the item's earlier answer (a new object). */
export function withSafetyAnswer(
  settings: Readonly<Record<string, unknown>>,
  answer: SafetyAnswer,
): Record<string, unknown> {
  const { answers } = readSafetyAssessment(settings);
  const next = answers.filter((a) => a.item !== answer.item);
  next.push(answer);
  return { ...settings, [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers: next } };
}

function isDecision(value: unknown): value is SteeringDecision {
  return (
    isPlainObject(value) &&
    text(value.id) &&
    (value.decision === 'go' || value.decision === 'no-go') &&
    (value.readiness === 'go' || value.readiness === 'no-go') &&
    text(value.resultSha256) &&
    text(value.rationale) &&
    text(value.recordedAt) &&
    Array.isArray(value.signatures) &&
    value.signatures.every(
      (s) =>
        isPlainObject(s) &&
        text(s.id) &&
        isPlainObject(s.signer) &&
        text(s.signedAt) &&
        text(s.meaning) &&
        text(s.signatureSha256) &&
        isPlainObject(s.reauthentication),
    )
  );
}

/** The decisions of a project's settings, oldest first; one of the wrong shape is skipped. */
export function readSteeringDecisions(settings: Readonly<Record<string, unknown>>): SteeringDecision[] {
  const raw = settings[PROJECT_STEERING_DECISIONS_KEY];
  return Array.isArray(raw) ? raw.filter(isDecision) : [];
}

/** `settings` with `decision` added, or replacing the decision with its id (a new object). */
export function withSteeringDecision(
  settings: Readonly<Record<string, unknown>>,
  decision: SteeringDecision,
): Record<string, unknown> {
  const decisions = readSteeringDecisions(settings);
  const at = decisions.findIndex((d) => d.id === decision.id);
  const next = at < 0 ? [...decisions, decision] : decisions.map((d, i) => (i === at ? decision : d));
  return { ...settings, [PROJECT_STEERING_DECISIONS_KEY]: next };
}
