/**
 * `preflight.review/v1`: the sample drawn from a locked sample plan and the clinicians' decisions
 * on its records (docs/product.md#sign-off). It holds record keys, row numbers and, per decision, the SHA-256
 * of what the reviewer was shown — never the records' content, which is read from the user's own
 * file on demand.
 *
 * Constraint: decisions are append-only. A later decision on the same record replaces the earlier
 * one for the verdict, but the earlier one stays (the audit chain cites every decision's hash).
 */
import { validateReview } from './generated/validators.js';
import {
  duplicateIdProblems,
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  problem,
} from './loading.ts';
import type { ServerAuditRecord } from './projectAudit.ts';

/** Format tag of a review. */
export const REVIEW_FORMAT = 'preflight.review/v1';

/** `$id` of the review JSON Schema (src/formats/review.schema.json). */
export const REVIEW_SCHEMA_ID = 'urn:preflight:format:review:v1';

/** Why a field was marked wrong (public codes: add, never rename). */
export const REASON_CODES = [
  'wrong-value',
  'missing',
  'wrong-patient',
  'units',
  'code-terminology',
  'other',
] as const;
/** A reason code. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** Defect classes (after ISO 2859 / ANSI Z1.4): one critical defect fails the gate. */
export const DEFECT_CLASSES = ['critical', 'major', 'minor'] as const;
/** A defect class. */
export type DefectClass = (typeof DEFECT_CLASSES)[number];

/** A reviewer's decision on a record; cannot-assess counts as an error until adjudicated. */
export const OUTCOMES = ['accept', 'reject', 'cannot-assess'] as const;
/** A decision outcome. */
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Which review a decision belongs to (public codes: add, never rename). Under dual review the
 * first and second reviewers decide independently; an adjudicator decides records they disagree
 * on (or that were marked cannot assess), and that decision is final.
 */
export const DECISION_STAGES = ['first', 'second', 'adjudication'] as const;
/** A decision stage; a decision without one is a `first` decision (files written before dual review). */
export type DecisionStage = (typeof DECISION_STAGES)[number];

/** A mapping and its version. */
export interface MappingRef {
  id: string;
  version: number;
}

/** One field marked wrong. */
export interface Finding {
  /** target field path, e.g. "birthDate", or the legacy column of a field the mapping does not migrate ("allergies") */
  field: string;
  reason: ReasonCode;
  defectClass: DefectClass;
}

/** Who decided. */
export interface Reviewer {
  name: string;
  role: string;
  id: string;
}

/** One reviewer's decision on one record. */
export interface Decision {
  id: string;
  planHash: string;
  stratum: string;
  recordKey: string;
  row?: number;
  file?: string;
  reviewer: Reviewer;
  /** RFC 3339 date-time with zone */
  decidedAt: string;
  outcome: Outcome;
  findings: Finding[];
  comment?: string;
  /** which review this decision belongs to; absent: `first` */
  stage?: DecisionStage;
  /** set when it changes the same stage's earlier decision on the record (src/core/signoff/review/decisionRules.ts) */
  change?: DecisionChange;
  mapping?: MappingRef;
  /** SHA-256 of the canonical JSON of exactly what was shown */
  shownSha256: string;
  /** set on a decision merged from a clinician's results file (src/core/signoff/exports/packets.ts) */
  imported?: ImportedFrom;
}

/** A changed decision: the one it replaces (which stays in the review), that one's outcome, and why. */
export interface DecisionChange {
  /** id of the replaced decision */
  replaces: string;
  previousOutcome: Outcome;
  /** why it was changed, as the reviewer wrote it */
  reason: string;
}

/** Which independent pass of a dual review a review packet is for (the data lead assigns it). */
export type ReviewPass = 'first' | 'second';

/** Where a merged decision came from: the packet, and its entry in the clinician's audit chain. */
export interface ImportedFrom {
  packetSha256: string;
  /** head of the clinician's chain when imported */
  chainHead: string;
  /** 1-based position of the decision's entry in that chain */
  entry: number;
  entryHash: string;
  /** when the results were merged (RFC 3339 with zone); absent in older files */
  mergedAt?: string;
  /** staff id of who merged them; absent in older files */
  mergedBy?: string;
}

/** A review packet exported from a review (results are merged back only for these). */
export interface ExportedPacket {
  id: string;
  /** the packet hash */
  sha256: string;
  createdAt: string;
  /** staff id of who exported it; absent in older files */
  exportedBy?: string;
  /** the dual-review pass it was exported for; absent: `first` */
  pass?: ReviewPass;
  /** the packet's result-key secret, to map keyed hashes in its results back; absent: results carry keys */
  resultKeySecret?: string;
}

/** One drawn record. */
export interface DrawnRecord {
  file?: string;
  row: number;
  key: string;
}

/** One stratum of a drawn sample. */
export interface DrawnStratum {
  id: string;
  census: boolean;
  population: number;
  n: number;
  records: DrawnRecord[];
}

/** A drawn sample. */
export interface DrawnSample {
  drawnAt: string;
  /** staff id of who drew it; absent in older files */
  drawnBy?: string;
  seed: string;
  inputs: { file: string; sha256: string; bytes: number; rows: number }[];
  strata: DrawnStratum[];
}

/** The WebAuthn assertion made at signing (all binary values base64url, no padding). */
export interface WebAuthnAssertion {
  method: 'webauthn';
  /** the credential's id */
  credentialId: string;
  /** COSE algorithm of the key: -7 (ES256) or -257 (RS256) */
  algorithm: number;
  /** the credential's public key as a JWK (EC P-256 or RSA), for verifying offline */
  publicKeyJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } | { kty: 'RSA'; n: string; e: string };
  authenticatorData: string;
  clientDataJSON: string;
  /** the signature (ECDSA: ASN.1 DER) over authenticatorData ‖ SHA-256(clientDataJSON) */
  signature: string;
  /**
   * set when it was made on the team server, through its signing ceremony: the challenge is then
   * the server's signing challenge over the signed hash and `server.nonce`, not the hash itself
   */
  server?: ServerSigning;
}

/** Where a signature made on the team server is in the server's log, and its challenge's nonce. */
export interface ServerSigning {
  /** the team project's id on the server */
  project: string;
  /** the signature's entry number among the team project's log entries */
  projectSeq: number;
  /** SHA-256 of that entry, as the server's log holds it */
  entryHash: string;
  /** the server's one-use nonce the assertion's challenge was made with */
  nonce: string;
}

/** Tag of a sample's result as the team server states it (`src/core/signoff/signing/sampleResult.ts`). */
export const SAMPLE_RESULT_FORMAT = 'preflight.sample-result/v1';

/** Where a sample's result stands for an approval, first reason first. */
export type ResultStanding =
  | 'undecided'
  | 'awaiting-other-review'
  | 'awaiting-adjudication'
  | 'fails'
  | 'passes';

/** Why a stratum (or the sample) fails its targets. */
export type ResultFailureReason = 'critical-defect' | 'bound-above-target' | 'minor-bound-above-target';

/** Where one stratum's (or the whole sample's) records stand. */
export interface ResultCounts {
  drawn: number;
  /** records with a final decision: accepted + rejected */
  final: number;
  accepted: number;
  rejected: number;
  /** records nobody decided */
  undecided: number;
  /** dual review: records only one of the two reviewers decided */
  awaitingOtherReview: number;
  /** records waiting for an adjudicator (the two passes disagree, or "cannot assess") */
  awaitingAdjudication: number;
  /** records counted with a critical, a major defect, cannot assess, or a minor defect (at worst while awaiting) */
  critical: number;
  major: number;
  cannotAssess: number;
  minor: number;
}

/** One stratum of a sample's result: its counts and whether it passes. */
export interface StratumResult extends ResultCounts {
  stratumId: string;
  population: number;
  pass: boolean;
  reasons: ResultFailureReason[];
}

/**
 * A sample's result as the team server computed it, the statement an approval signs (its
 * fingerprint is the SHA-256 of its canonical JSON). No record content: counts, ids and hashes.
 */
export interface SampleResult {
  format: typeof SAMPLE_RESULT_FORMAT;
  reviewId: string;
  planHash: string;
  /** the locked plan's numbers the verdict is judged against */
  plan: {
    id: string;
    targetErrorRate: number;
    confidence: number;
    acceptanceNumber: number;
    minorTargetErrorRate?: number;
    dualReview: boolean;
  };
  /** decisions recorded, every pass and adjudication, changes included */
  decisions: number;
  /** the results hash a sign-off signature binds, over those decisions (signature.ts) */
  resultsSha256: string;
  total: ResultCounts;
  strata: StratumResult[];
  /** the gate: every stratum passes, as the counts now stand (records awaiting counted at worst) */
  pass: boolean;
  reasons: ResultFailureReason[];
  standing: ResultStanding;
}

interface ServerSignatureCommon {
  id: string;
  /** her name as the identity provider gives it, her project role, her membership id */
  signer: Reviewer;
  /** RFC 3339 with zone, as the server recorded it */
  signedAt: string;
  /** the meaning fixed for what is signed, as shown */
  meaning: string;
  reauthentication: WebAuthnAssertion & { server: ServerSigning };
  /** when the lead brought it in (RFC 3339 with zone): the audit chain's entry for it is dated so; absent in older files */
  keptAt?: string;
  /** staff id of who brought it in, when known */
  keptBy?: string;
}

/**
 * A reviewer's or adjudicator's signature made on the team server over her own decisions in the
 * review (the server refuses "I reviewed" from someone who decided nothing), brought in with them.
 */
export interface ServerDecisionsSignature extends ServerSignatureCommon {
  kind: 'review' | 'adjudication';
  /** her decisions of that kind in the server's order it covers (`reviewedDecisionsHash`) */
  decisionsSha256: string;
  /**
   * how far it reaches, signed with it: absent in signatures made before scopes (they sign
   * `decisionsSha256` alone); present, the signature signs `scopedDecisionsHash` of it
   * (src/core/signoff/signing/signatureScope.ts)
   */
  scope?: ReviewSignatureScope;
}

/** How far a reviewer's signature on the team server reaches ("86 of 93 decided"). */
export interface ReviewSignatureScope {
  /** how many of her decisions of its kind it covers */
  decisions: number;
  /** how many records assigned to her those decisions decide */
  decided: number;
  /** how many records were assigned to her for its kind when she signed */
  assigned: number;
}

/**
 * A data lead's (or the lead's) approval or confirmation of the sample's result made on the team
 * server, brought in with the reviewers' signatures: it signs the fingerprint of `result`, the
 * result the server showed her, whose results hash is the review's over its first
 * `result.decisions` decisions.
 */
export interface ServerResultSignature extends ServerSignatureCommon {
  kind: 'approval' | 'confirmation';
  /** what is signed: SHA-256 of the canonical JSON of `result` (`sampleResultFingerprint`) */
  resultSha256: string;
  result: SampleResult;
}

/** A signature made on the team server over something of the review, kept with it. */
export type ServerReviewSignature = ServerDecisionsSignature | ServerResultSignature;

/** Signed without re-authentication, and why (the browser offered no WebAuthn). */
export interface NoReauthentication {
  method: 'none';
  reason: string;
}

/**
 * A sign-off signature: the manifestation (printed name, role, date-time with zone,
 * the meaning shown on screen) and the bindings (plan hash, results hash, audit-chain head).
 * `signoffSha256` is the SHA-256 of the canonical JSON of every field but itself and
 * `reauthentication`: the WebAuthn challenge.
 */
export interface Signature {
  id: string;
  signer: Reviewer;
  /** RFC 3339 with zone */
  signedAt: string;
  /** the meaning of the signature, exactly as shown */
  meaning: string;
  planHash: string;
  /** SHA-256 of the canonical JSON of the review's results (src/core/signoff/signing/signature.ts) */
  resultsSha256: string;
  /** the audit chain's head when signed (64 zeros for an empty chain) */
  chainHead: string;
  /** entries in the chain when signed */
  chainLength: number;
  signoffSha256: string;
  reauthentication: WebAuthnAssertion | NoReauthentication;
}

/** A review: a plan's drawn sample and the decisions on it. */
export interface Review {
  format: typeof REVIEW_FORMAT;
  id: string;
  plan: { id: string; hash: string };
  mapping?: MappingRef;
  sample: DrawnSample;
  /** review packets exported from this review */
  packets?: ExportedPacket[];
  /** two reviewers decide every record independently (from the plan's `dualReview`) */
  dualReview?: boolean;
  decisions: Decision[];
  /** sign-off signatures, oldest first (append-only) */
  signatures?: Signature[];
  /** reviewers', adjudicators' and data leads' signatures made on the team server, in the server's order (append-only) */
  serverSignatures?: ServerReviewSignature[];
  /**
   * a review sent to a team project: the server's log entry (kind `review-decision` or
   * `review-adjudication`) of each decision replayed from it, in the server's order, so each
   * decision is proved the server's by that entry (its `decisionSha256`) and the entry by the
   * server's signed tree head; absent in reviews kept before the replay kept them (append-only)
   */
  serverDecisionEntries?: ServerAuditRecord[];
}

/** Migrations from older review tags (none yet: v1 is the first public version). */
export const reviewMigrations: readonly Migration[] = [];

/**
 * Semantic checks: decision and signature ids are unique (the audit chain names them by id); a `second`
 * review only in a dual review; at most one adjudication per record (it is final); a server
 * signature carries what its kind signs and nothing of the other kind's. The full
 * dual-review rules are enforced as decisions are added (src/core/signoff/review/dualReview.ts).
 */
export function checkReview(review: Review): FormatProblem[] {
  const problems = [
    ...duplicateIdProblems(review.decisions, '/decisions', 'decision'),
    ...duplicateIdProblems(review.signatures ?? [], '/signatures', 'signature'),
    ...duplicateIdProblems(review.serverSignatures ?? [], '/serverSignatures', 'server signature'),
  ];
  const adjudicated = new Set<string>();
  review.decisions.forEach((d, i) => {
    if (d.stage === 'second' && review.dualReview !== true) {
      problems.push(
        problem(
          `/decisions/${i}/stage`,
          PROBLEM_CODES.inconsistent,
          'a second review in a review that is not a dual review',
        ),
      );
    }
    if (d.stage !== 'adjudication') return;
    const record = `${d.stratum}\u001f${d.recordKey}`;
    if (adjudicated.has(record)) {
      problems.push(
        problem(
          `/decisions/${i}/stage`,
          PROBLEM_CODES.inconsistent,
          'a second adjudication of a record (the first is final)',
        ),
      );
    }
    adjudicated.add(record);
  });
  (review.serverSignatures ?? []).forEach((s, i) => {
    const result = s.kind === 'approval' || s.kind === 'confirmation';
    const stray = result ? 'decisionsSha256' in s || 'scope' in s : 'resultSha256' in s || 'result' in s;
    if (stray)
      problems.push(
        problem(
          `/serverSignatures/${i}`,
          PROBLEM_CODES.inconsistent,
          result
            ? 'an approval or confirmation signs the result it carries, not decisions: remove decisionsSha256 and scope'
            : "a reviewer's signature signs her decisions, not a result: remove resultSha256 and result",
        ),
      );
  });
  return problems;
}

/** How `preflight.review/v1` is loaded. */
export const reviewFormat: FormatDefinition<Review> = {
  tag: REVIEW_FORMAT,
  title: FORMAT_FAMILIES.review,
  schemaId: REVIEW_SCHEMA_ID,
  validate: validateReview,
  check: checkReview,
  migrations: reviewMigrations,
};

/** Loads a review from parsed JSON (tag, migrations, schema, {@link checkReview}). Never throws. */
export function loadReview(json: unknown): LoadResult<Review> {
  return loadDocument(reviewFormat, json);
}
