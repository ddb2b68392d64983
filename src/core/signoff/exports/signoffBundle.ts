/**
 * The sign-off as a FHIR R4 transaction Bundle (docs/product.md#sign-off): one `Provenance` per decision (the
 * reviewed record as target, the reviewer as agent of type verifier, a Verification signature), a
 * `Task` with code `approve` for the go-live sign-off, and a `VerificationResult` per stratum.
 *
 * Constraints:
 * - Every entry is a PUT with a client-assigned id derived from the plan hash and a key (the
 *   decision id, the review id, the stratum id): sending the same Bundle twice, or again after a
 *   failed attempt, updates the same resources instead of making copies.
 * - Record content goes no further than the reviewed record's key (the identifier the target is
 *   found by on the server) — no field value, no comment.
 * - Pure: the caller passes the time; numbers are formatted here, not by the locale.
 * - The Bundle must pass Preflight's own FHIR validator with zero errors (signoffBundle.test.ts).
 * - A signature attests only the results it binds: when decisions were recorded after it (its
 *   results hash is not the review's now), the strata's VerificationResults carry no attestation by
 *   it and the Task is `ready` again (the sign-off is to be signed again), with a note that says so —
 *   never `completed` over decisions nobody signed.
 * - Every current signature is carried (currentSignatures.ts; decision 0062): the sign-off
 *   Provenance holds one Signature per current signature and one agent per signer, the one the
 *   Task records (the latest approval, else the latest) last; the Task's first note is its
 *   meaning, then one note per other current signature, then one per superseded signature (newest
 *   first) saying first that it no longer speaks for the results.
 * - What verifies it travels with it (docs/decisions/0058-verifiable-fhir-bundle.md): each decision's
 *   Provenance names the SHA-256 of the decision as logged; given the audit chain, a Bundle with a
 *   current signature also carries a sign-off Provenance (target the Task) whose `signature.data`
 *   is the Preflight signature (plan, results and chain-head hashes, chain length, WebAuthn
 *   assertion) and a Binary with the chain entries, the strata tallies and the roster — ids,
 *   hashes, outcomes and counts, no record content. `bundleVerify.ts` checks it.
 * - The reviewers' and adjudicators' signatures made on the team server each get a Provenance
 *   (target: the Provenances of the decisions it signs; its signature's data the signature with
 *   its WebAuthn assertion and its entry in the server's log) before the sign-off Provenance, and
 *   are listed in the evidence with the decisions each covers.
 * - A decision replayed from the team server names, in its Provenance, the server's log entry that
 *   recorded it (project, place and hash); the sign-off export carries the entry and its proof.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Mapping } from '../../../formats/mapping.ts';
import type { Decision, Outcome, Review, ServerReviewSignature, Signature } from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalJson, sha256Hex } from '../../hash/index.ts';
import { recordCounts } from '../review/dualReview.ts';
import { formatPercent } from '../sampling/statistics.ts';
import { awaitingOnePassText, type StratumTally, type StratumVerdict } from '../sampling/verdict.ts';
import { decisionHash } from '../signing/auditChain.ts';
import { currentSignatures, signatureStandings } from '../signing/currentSignatures.ts';
import { serverSignatureCoverage } from '../signing/serverSignatures.ts';
import { resultsHash, signoffResults } from '../signing/signature.ts';
import { approvesGoLive } from '../signing/signingMeaning.ts';
import { toBase64Url } from '../signing/webauthn.ts';
import { reviewVerdict } from './signoffReport.ts';

/** ASTM E1762 signature type of a verification signature (FHIR R4 Signature.type). */
export const VERIFICATION_SIGNATURE = {
  system: 'urn:iso-astm:E1762-95:2013',
  code: '1.2.840.10065.1.12.1.5',
  display: 'Verification Signature',
} as const;

/** Provenance participant type "verifier". */
export const VERIFIER_AGENT = {
  system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  code: 'verifier',
  display: 'Verifier',
} as const;

/**
 * The coded activity of every Provenance the Bundle holds: a verification by the person who signs
 * (R4 binds `Provenance.activity` extensibly to a value set that includes it); the text says which.
 */
export const VERIFY_ACTIVITY = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  code: 'VRF',
  display: 'verifier',
} as const;

/** Task code "approve". */
export const APPROVE_TASK_CODE = {
  system: 'http://hl7.org/fhir/CodeSystem/task-code',
  code: 'approve',
  display: 'Activate/approve the focal resource',
} as const;

/** The tag of the verification evidence a signed Bundle carries in a Binary. */
export const SIGNOFF_EVIDENCE_FORMAT = 'preflight.signoffevidence/v1';

/** What a signed Bundle's Binary holds: enough to verify it, no record content. */
export interface SignoffEvidence {
  format: typeof SIGNOFF_EVIDENCE_FORMAT;
  reviewId: string;
  planHash: string;
  /** the per-stratum tallies the signed results bind (integers only) */
  strata: StratumTally[];
  /** the project's audit chain as exported (ids, hashes, outcomes) */
  entries: ChainEntry[];
  /** the roster the data lead kept (names, staff ids, roles, public keys), when there is one */
  roster?: Roster;
  /**
   * the signatures made on the team server (reviewers', adjudicators', a data lead's approval or
   * confirmation with the result she signed), each with the ids of the decisions it signs or whose
   * result it signs (in order), one Provenance each before the sign-off Provenance; absent
   * when there are none (and in Bundles made before they were carried)
   */
  serverSignatures?: { signature: ServerReviewSignature; decisionIds: string[] }[];
}

/** The client-assigned key of the Provenance of a reviewer's signature made on the team server. */
export function serverSignatureProvenanceKey(signatureId: string): string {
  return `server-signature\u001f${signatureId}`;
}

/** The activity of the Provenance of a reviewer's signature made on the team server. */
export function serverSignatureActivityText(signature: ServerReviewSignature): string {
  return `Signed on the team server (entry ${signature.reauthentication.server.projectSeq} of its log): ${signature.meaning}`;
}

/** The MIME type of a signature's `data`: the Preflight signature as canonical JSON. */
const SIGNATURE_SIG_FORMAT = 'application/json';

/** The client-assigned key of the sign-off Provenance (its target is the Task). */
export function signoffProvenanceKey(reviewId: string): string {
  return `signoff\u001f${reviewId}`;
}

/** Base64 (RFC 4648 §4, padded), as FHIR's base64Binary writes it. */
export function toBase64(bytes: Uint8Array): string {
  const url = toBase64Url(bytes).replaceAll('-', '+').replaceAll('_', '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
}

/** The display of the entity that names a decision's SHA-256 as logged in the audit chain. */
export const DECISION_HASH_DISPLAY = 'The decision as logged in the sign-off audit chain (SHA-256)';

/**
 * What a decision Provenance's entity naming the team server's log entry that recorded the
 * decision says: the project and the entry's place (the entity's identifier is the entry's hash).
 */
export function serverEntryDisplay(project: string, projectSeq: number): string {
  return `The team server's log entry recording this decision: project ${project}, entry ${projectSeq} (SHA-256 of the entry)`;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  accept: 'accepted',
  reject: 'rejected',
  'cannot-assess': 'could not be assessed',
};

/** The activity text of a decision's Provenance. */
export function decisionActivityText(outcome: Outcome): string {
  return `Clinician review: the migrated record ${OUTCOME_TEXT[outcome]}`;
}

/** A plain FHIR resource (JSON). */
export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

/** A FHIR R4 transaction Bundle. */
export interface TransactionBundle {
  resourceType: 'Bundle';
  type: 'transaction';
  entry: { fullUrl: string; resource: FhirResource; request: { method: 'PUT'; url: string } }[];
}

/** Where a reviewed record is on the FHIR server, when known (a versioned reference is best). */
type TargetReference = { reference: string } | undefined;

/** Options of {@link signoffBundle}. */
interface SignoffBundleOptions {
  plan: SamplePlan;
  review: Review;
  /** the mapping the migrated records came from (its FHIR resource type types the targets) */
  mapping?: Mapping;
  /**
   * the one signature to carry and record in the Task (default: every current one, the Task
   * recording the latest approval, else the latest); absent: the Task is not done yet
   */
  signature?: Signature;
  /** when the Bundle is made (RFC 3339 with zone): the status date of unsigned results */
  now: string;
  /** the identifier system of record keys on the server (default: none given) */
  keySystem?: string;
  /** a reviewed record's server reference (`Patient/123/_history/2`), when known */
  targetFor?: (decision: Decision) => TargetReference;
  /**
   * the project's audit chain: with a signature that covers the results, the Bundle carries the
   * sign-off Provenance and the evidence Binary (see the file header)
   */
  entries?: readonly ChainEntry[];
  /** the roster the data lead kept, carried with the evidence so verify checks bound keys */
  roster?: Roster;
}

/** A client-assigned FHIR id from the plan hash and a key: 64 hex digits fit FHIR's id rule. */
export function clientId(planHash: string, kind: string, key: string): string {
  return sha256Hex(`${planHash}\u001f${kind}\u001f${key}`);
}

/** A `urn:uuid:` from the same hash (fullUrl of the entry; version nibble 5, RFC 4122 variant). */
export function uuidOf(hex: string): string {
  const v = `${hex.slice(0, 12)}5${hex.slice(13, 16)}${((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 32)}`;
  return `urn:uuid:${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

function person(name: string, id: string): Record<string, unknown> {
  return { identifier: { value: id }, display: name };
}

function stratumText(s: StratumVerdict, sampled: number, plan: SamplePlan): string {
  const bound = formatPercent(s.major.clopperPearsonUpper);
  return [
    `Clinician review of ${s.reviewed} of ${sampled} sampled records${s.population === null ? '' : ` (stratum of ${s.population})`}:`,
    `${s.major.errors} with errors, one-sided Clopper–Pearson upper bound ${bound} at ${formatPercent(plan.confidence)} confidence`,
    `against a target of ${formatPercent(plan.targetErrorRate)}; ${s.critical} critical.`,
    ...(s.awaitingAdjudication > 0
      ? [
          `${s.awaitingAdjudication} not yet adjudicated, counted at their worst until an adjudicator decides`,
          `(${s.major.awaitingErrors} of the errors, ${s.awaitingCritical} of the critical).`,
        ]
      : []),
    ...(s.awaitingFirstReview + s.awaitingSecondReview > 0
      ? [
          `${awaitingOnePassText(s)}, not counted as reviewed until both have decided ${s.awaitingFirstReview + s.awaitingSecondReview === 1 ? 'it' : 'them'}.`,
        ]
      : []),
  ].join(' ');
}

/** A Task note by `signature`'s signer at its time. */
function signatureNote(signature: Signature, text: string): Record<string, unknown> {
  return {
    authorString: `${signature.signer.name}, ${signature.signer.role}`,
    time: signature.signedAt,
    text,
  };
}

/**
 * The Task note of a signature that no longer speaks for the results: replaced by its signer's
 * later one, or made before decisions logged after it. Said first, before the meaning it quotes:
 * it must not read as the approval it quotes.
 */
function supersededNote(
  signature: Signature,
  replacedBy: Signature | undefined,
  anyCurrent: boolean,
): Record<string, unknown> {
  const day = signature.signedAt.slice(0, 10);
  const why = replacedBy
    ? `Signature of ${day} was replaced by the same signer's signature of ${replacedBy.signedAt.slice(0, 10)}.`
    : `Signature of ${day} no longer covers the results: review decisions were logged after it.`;
  const then = anyCurrent
    ? replacedBy
      ? ''
      : ' The current signatures of this sign-off are those on the results as they are now.'
    : ' The sign-off is to be signed again on the results as they are now.';
  return signatureNote(signature, `${why} It read: “${signature.meaning}”${then}`);
}

/** The sign-off as a FHIR R4 transaction Bundle (see the file header). */
export function signoffBundle(options: SignoffBundleOptions): TransactionBundle {
  const { plan, review } = options;
  const planHash = review.plan.hash;
  // the signatures that speak for the results now, and the one the Task records (currentSignatures.ts);
  // a signature attests the results as they are only if it binds them (see the file header)
  const standings = signatureStandings(review);
  const chosen = options.signature;
  const { current, recorded } = chosen
    ? chosen.resultsSha256 === resultsHash(review)
      ? { current: [chosen], recorded: chosen }
      : { current: [], recorded: undefined }
    : currentSignatures(review, plan);
  const signature = recorded;
  // the Provenance carries every current signature, the one the Task records last
  const carried = [...current.filter((s) => s !== signature), ...(signature ? [signature] : [])];
  // what no longer speaks for the results, newest first, said in the Task's notes
  const superseded = standings
    .filter((s) => !s.current && !(chosen && s.signature === chosen))
    .reverse()
    .map((s) => supersededNote(s.signature, s.current ? undefined : s.replacedBy, current.length > 0));
  const resourceType =
    options.mapping?.target.type === 'fhir' ? options.mapping.target.resourceType : undefined;
  const verdict = reviewVerdict(review, plan);
  const entries: TransactionBundle['entry'] = [];
  const add = (kind: string, key: string, resource: Record<string, unknown>) => {
    const hash = clientId(planHash, kind, key);
    entries.push({
      fullUrl: uuidOf(hash),
      resource: { resourceType: kind, id: hash, ...resource },
      request: { method: 'PUT', url: `${kind}/${hash}` },
    });
    return uuidOf(hash);
  };

  const verificationUrls: string[] = [];
  // drawn per stratum, counted where every other count is
  const sampled = new Map(recordCounts(review).strata.map((s) => [s.stratumId, s.drawn]));
  for (const s of verdict.strata) {
    verificationUrls.push(
      add('VerificationResult', s.stratumId, {
        target: [{ display: `Migrated records of stratum ${s.stratumId} (plan ${plan.name})` }],
        need: { text: 'Initial verification before go-live' },
        // a stratum that passes so far while records wait for their other pass is not yet validated
        status: !s.pass
          ? 'val-fail'
          : s.awaitingFirstReview + s.awaitingSecondReview > 0
            ? 'in-process'
            : 'validated',
        statusDate: signature?.signedAt ?? options.now,
        validationType: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/validation-type',
              code: 'multiple',
              display: 'Multiple Sources',
            },
          ],
          text: 'Sampled records compared with their legacy source',
        },
        validationProcess: [{ text: stratumText(s, sampled.get(s.stratumId) ?? 0, plan) }],
        ...(s.pass
          ? {}
          : { failureAction: { text: 'Fix the migration and re-sample this stratum with a new seed' } }),
        ...(signature
          ? {
              attestation: {
                who: person(signature.signer.name, signature.signer.id),
                date: signature.signedAt.slice(0, 10),
                sourceSignature: {
                  type: [VERIFICATION_SIGNATURE],
                  when: signature.signedAt,
                  who: person(signature.signer.name, signature.signer.id),
                },
              },
            }
          : {}),
      }),
    );
  }

  const approved = signature !== undefined && approvesGoLive(signature, review, plan);
  const taskUrl = add('Task', review.id, {
    status: signature === undefined ? 'ready' : approved ? 'completed' : 'failed',
    intent: 'order',
    code: { coding: [APPROVE_TASK_CODE], text: 'Go-live sign-off of migrated records' },
    description: `Approve the migrated records for go-live on the clinician review of plan "${plan.name}" (SHA-256 ${planHash}).`,
    authoredOn: review.sample.drawnAt,
    ...(signature
      ? {
          lastModified: signature.signedAt,
          owner: person(signature.signer.name, signature.signer.id),
          executionPeriod: { end: signature.signedAt },
        }
      : {}),
    // the recorded signature's meaning first (verify reads it there), then the other current
    // signatures, then the superseded ones: each says what it is before the meaning it quotes
    ...(signature || superseded.length > 0
      ? {
          note: [
            ...(signature ? [signatureNote(signature, signature.meaning)] : []),
            ...carried
              .filter((s) => s !== signature)
              .map((s) =>
                signatureNote(
                  s,
                  `Also signed by ${s.signer.name} (${s.signer.role}) on ${s.signedAt.slice(0, 10)} over the same results: “${s.meaning}”`,
                ),
              ),
            ...superseded,
          ],
        }
      : {}),
    output: verificationUrls.map((url) => ({
      type: { text: 'Verification result of a stratum' },
      valueReference: { reference: url },
    })),
  });

  const serverEntryOf = new Map((review.serverDecisionEntries ?? []).map((e) => [e.detail.decision, e]));
  for (const decision of review.decisions) {
    const serverEntry = serverEntryOf.get(decision.id);
    const target = options.targetFor?.(decision) ?? {
      ...(resourceType ? { type: resourceType } : {}),
      identifier: { ...(options.keySystem ? { system: options.keySystem } : {}), value: decision.recordKey },
    };
    add('Provenance', decision.id, {
      target: [target],
      occurredDateTime: decision.decidedAt,
      recorded: decision.decidedAt,
      activity: { coding: [VERIFY_ACTIVITY], text: decisionActivityText(decision.outcome) },
      agent: [
        {
          type: { coding: [VERIFIER_AGENT] },
          role: [{ text: decision.reviewer.role }],
          who: person(decision.reviewer.name, decision.reviewer.id),
        },
      ],
      entity: [
        {
          role: 'source',
          what: {
            identifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${decision.shownSha256}` },
            display:
              'What the reviewer was shown: legacy and migrated record, mapping version, field alignment (SHA-256)',
          },
        },
        {
          role: 'source',
          what: {
            identifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${decisionHash(decision)}` },
            display: DECISION_HASH_DISPLAY,
          },
        },
        // a decision replayed from the team server: the server's log entry that recorded it
        ...(serverEntry === undefined
          ? []
          : [
              {
                role: 'source',
                what: {
                  identifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${serverEntry.hash}` },
                  display: serverEntryDisplay(serverEntry.detail.project ?? '', serverEntry.projectSeq ?? 0),
                },
              },
            ]),
      ],
      signature: [
        {
          type: [VERIFICATION_SIGNATURE],
          when: decision.decidedAt,
          who: person(decision.reviewer.name, decision.reviewer.id),
        },
      ],
    });
  }
  if (signature && options.entries) {
    // the signatures on the team server, over the decisions whose Provenances they name (a data
    // lead's approval: the decisions the result she signed counts)
    const serverSignatures = (review.serverSignatures ?? []).flatMap((s) => {
      const coverage = serverSignatureCoverage(review, s);
      return coverage && coverage.decisionIds.length > 0
        ? [{ signature: s, decisionIds: coverage.decisionIds }]
        : [];
    });
    for (const { signature: s, decisionIds } of serverSignatures)
      add('Provenance', serverSignatureProvenanceKey(s.id), {
        target: decisionIds.map((id) => ({ reference: uuidOf(clientId(planHash, 'Provenance', id)) })),
        recorded: s.signedAt,
        activity: { coding: [VERIFY_ACTIVITY], text: serverSignatureActivityText(s) },
        agent: [
          {
            type: { coding: [VERIFIER_AGENT] },
            role: [{ text: s.signer.role }],
            who: person(s.signer.name, s.signer.id),
          },
        ],
        signature: [
          {
            type: [VERIFICATION_SIGNATURE],
            when: s.signedAt,
            who: person(s.signer.name, s.signer.id),
            sigFormat: SIGNATURE_SIG_FORMAT,
            data: toBase64(new TextEncoder().encode(canonicalJson(s))),
          },
        ],
      });
    const heads = [...new Map(carried.map((s) => [`${s.chainLength}\u001f${s.chainHead}`, s])).values()];
    const hash = (value: string, display: string) => ({
      role: 'source',
      what: { identifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${value}` }, display },
    });
    const utf8 = (value: unknown) => toBase64(new TextEncoder().encode(canonicalJson(value)));
    add('Provenance', signoffProvenanceKey(review.id), {
      target: [{ reference: taskUrl }],
      recorded: signature.signedAt,
      activity: { coding: [VERIFY_ACTIVITY], text: `Go-live sign-off: ${signature.meaning}` },
      // one agent per signer, one Signature per current signature (the Task's last)
      agent: [...new Map(carried.map((s) => [s.signer.id, s])).values()].map((s) => ({
        type: { coding: [VERIFIER_AGENT] },
        role: [{ text: s.signer.role }],
        who: person(s.signer.name, s.signer.id),
      })),
      entity: [
        hash(signature.planHash, 'The locked sample plan (SHA-256)'),
        hash(signature.resultsSha256, 'The signed results: every decision and the strata tallies (SHA-256)'),
        ...heads.map((s) =>
          hash(
            s.chainHead,
            heads.length === 1
              ? `The sign-off audit chain head the signature binds: entry ${s.chainLength} (SHA-256)`
              : `The sign-off audit chain head the signature of ${s.signedAt} binds: entry ${s.chainLength} (SHA-256)`,
          ),
        ),
      ],
      signature: carried.map((s) => ({
        type: [VERIFICATION_SIGNATURE],
        when: s.signedAt,
        who: person(s.signer.name, s.signer.id),
        sigFormat: SIGNATURE_SIG_FORMAT,
        data: utf8(s),
      })),
    });
    const evidence: SignoffEvidence = {
      format: SIGNOFF_EVIDENCE_FORMAT,
      reviewId: review.id,
      planHash,
      strata: signoffResults(review).strata,
      entries: [...options.entries],
      ...(options.roster ? { roster: options.roster } : {}),
      ...(serverSignatures.length > 0 ? { serverSignatures } : {}),
    };
    add('Binary', review.id, { contentType: 'application/json', data: utf8(evidence) });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}
