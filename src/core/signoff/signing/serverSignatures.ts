/**
 * Signatures made on the team server, kept in the review on the lead's computer so every printout
 * and export carries them as it carries the signatures made here: the lead's (or data lead's)
 * sign-off signature, made through the server's ceremony over the same sign-off hash a local
 * signature signs, the reviewers' and adjudicators' signatures over their own decisions, and the
 * data lead's approval (or confirmation) over the fingerprint of the sample's result the server
 * showed her, kept with that result so it verifies against the review's own decisions.
 *
 * Each keeps the WebAuthn assertion the server verified and where it is in the server's log, so
 * it verifies offline (the assertion over {@link signingChallenge}) and against the server
 * (`preflight signoff verify --server`: its entry's hash at its place).
 *
 * Constraints: pure (no clock, no network); what a signature signs is fixed by the server
 * (`signingChallenge`, `reviewedDecisionsHash`): changing either breaks every signature made.
 */
import { type ServerAuditRecord, serverAuditEntryHash } from '../../../formats/projectAudit.ts';
import type {
  Review,
  ServerDecisionsSignature,
  ServerResultSignature,
  ServerReviewSignature,
  ServerSigning,
  Signature,
  WebAuthnAssertion,
} from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { ROLES, type Role } from '../../teamRoles/index.ts';
import { sampleResult, sampleResultFingerprint } from './sampleResult.ts';
import { maySign, reviewedDecisionsHash, SIGNING_MEANINGS } from './serverChain.ts';
import { chainHeadOf, type PreparedSignature, resultsHash } from './signature.ts';
import {
  isPartialScope,
  type SignatureManifest,
  type SignatureScope,
  scopedDecisionsHash,
  scopeShapeProblem,
  scopeText,
} from './signatureScope.ts';
import { assertionChallenge } from './signingChallenge.ts';
import { type PublicKeyJwk, verifyAssertion } from './webauthn.ts';

/**
 * A signature as the team server answers for it (its signing route, and the review's signatures):
 * its entry in the project's log, its manifestation, what it signs and the assertion verified.
 */
export interface ServerSignatureView {
  seq: number;
  projectSeq: number;
  entryHash: string;
  signedAt: string;
  signer: { issuer: string; subject: string; name: string };
  role: string;
  meaning: string;
  hash: string;
  kind?: string;
  /** the review a review or adjudication signature covers */
  review?: string;
  /**
   * a review or adjudication signature made since scopes: how far it reaches and the hash of the
   * decision set it covers; `hash` is then {@link scopedDecisionsHash} of them
   */
  scope?: SignatureManifest;
  /** the signer's membership id on the project */
  member?: string;
  nonce?: string;
  assertion?: {
    credentialId: string;
    algorithm: number;
    publicKeyJwk: PublicKeyJwk;
    authenticatorData: string;
    clientDataJSON: string;
    signature: string;
  };
}

/** Why a signature from the server cannot be kept in the review (said to the lead). */
export class ServerSignatureError extends Error {
  override name = 'ServerSignatureError';
}

function assertionOf(
  view: ServerSignatureView,
  project: string,
): WebAuthnAssertion & { server: ServerSigning } {
  const { assertion, nonce } = view;
  if (assertion === undefined || nonce === undefined)
    throw new ServerSignatureError(
      `the team server did not send the identity check of signature entry ${view.projectSeq}: update the team server, then read its record again`,
    );
  return {
    method: 'webauthn',
    credentialId: assertion.credentialId,
    algorithm: assertion.algorithm,
    publicKeyJwk: assertion.publicKeyJwk as WebAuthnAssertion['publicKeyJwk'],
    authenticatorData: assertion.authenticatorData,
    clientDataJSON: assertion.clientDataJSON,
    signature: assertion.signature,
    server: { project, projectSeq: view.projectSeq, entryHash: view.entryHash, nonce },
  };
}

/**
 * The sign-off signature `prepared` (prepareSignature) as made on the team server project
 * `project`: the server's record of it must sign exactly its sign-off hash.
 */
export function signatureSignedOnServer(
  prepared: PreparedSignature,
  view: ServerSignatureView,
  project: string,
): Signature {
  if (view.hash !== prepared.signoffSha256)
    throw new ServerSignatureError(
      `signature entry ${view.projectSeq} of the team server signs something else than this sign-off`,
    );
  return { ...prepared, reauthentication: assertionOf(view, project) };
}

const STAGES = { review: ['first', 'second'], adjudication: ['adjudication'] } as const;

/** Whether a server signature is a data lead's approval or confirmation of the sample's result. */
export function signsResult<T extends { kind: ServerReviewSignature['kind'] }>(
  signature: T,
): signature is Extract<T, { kind: 'approval' | 'confirmation' }> {
  return signature.kind === 'approval' || signature.kind === 'confirmation';
}

/**
 * What a server signature signs: the hash its assertion was made over — a reviewer's decision
 * set, with its scope when it carries one ({@link scopedDecisionsHash}).
 */
export function serverSignedHash(signature: ServerReviewSignature, reviewId: string): string {
  if (signsResult(signature)) return signature.resultSha256;
  return signature.scope === undefined
    ? signature.decisionsSha256
    : scopedDecisionsHash(reviewId, signature.decisionsSha256, signature.scope);
}

/**
 * How many of the review's decisions a server signature covers: for a reviewer's, the first
 * `covered` of her `of` decisions of its kind in the review's order (decisions she made after
 * signing are not covered); for an approval or confirmation, the first `covered` of the review's
 * `of` decisions, whose results hash is the one in the result she signed. Undefined when it is
 * over no such prefix (a decision was changed or removed, or the result is of another review).
 */
export function serverSignatureCoverage(
  review: Review,
  signature:
    | Pick<ServerDecisionsSignature, 'kind' | 'signer' | 'decisionsSha256'>
    | Pick<ServerResultSignature, 'kind' | 'result'>,
): { covered: number; of: number; decisionIds: string[] } | undefined {
  if (signsResult(signature)) {
    const { result } = signature;
    const n = result.decisions;
    if (result.reviewId !== review.id || result.planHash !== review.plan.hash) return undefined;
    if (!Number.isSafeInteger(n) || n < 0 || n > review.decisions.length) return undefined;
    const prefix = review.decisions.slice(0, n);
    if (resultsHash({ ...review, decisions: prefix }) !== result.resultsSha256) return undefined;
    return { covered: n, of: review.decisions.length, decisionIds: prefix.map((d) => d.id) };
  }
  const stages: readonly string[] = STAGES[signature.kind];
  // her own decisions posted on the server: one the lead merged from a packet is not hers to sign
  const hers = review.decisions.filter(
    (d) =>
      d.reviewer.id === signature.signer.id &&
      d.imported === undefined &&
      stages.includes(d.stage ?? 'first'),
  );
  for (let n = hers.length; n > 0; n--)
    if (reviewedDecisionsHash(review.id, hers.slice(0, n)) === signature.decisionsSha256)
      return { covered: n, of: hers.length, decisionIds: hers.slice(0, n).map((d) => d.id) };
  return undefined;
}

/**
 * The result an approval or confirmation signed on the server over `fingerprint` is of: the
 * server's result of the first decisions of `review` under its locked `plan` (the server states
 * it over the decisions it holds, in its order, which the lead brings in in that order). The
 * latest such prefix, or undefined when no prefix has that fingerprint.
 */
function signedSampleResult(review: Review, plan: SamplePlan, fingerprint: string) {
  for (let n = review.decisions.length; n >= 0; n--) {
    const result = sampleResult({ ...review, decisions: review.decisions.slice(0, n) }, plan);
    if (sampleResultFingerprint(result) === fingerprint) return result;
  }
  return undefined;
}

/**
 * A signature on the server over something of the review, as the review keeps it: a reviewer's
 * or adjudicator's, or — given the review as it now holds the server's decisions and its locked
 * plan (`held`) — a data lead's approval or confirmation, with the result it signed. Refused when
 * it is not one (another kind, another review), when its meaning is not the one fixed for it, or
 * when the review holds no result it signs (its decisions are the server's, replayed first).
 */
export function serverReviewSignatureOf(
  view: ServerSignatureView,
  project: string,
  reviewId: string,
  held?: { review: Review; plan: SamplePlan },
): ServerReviewSignature {
  const kind = view.kind;
  if (kind !== 'review' && kind !== 'adjudication' && kind !== 'approval' && kind !== 'confirmation')
    throw new ServerSignatureError(`signature entry ${view.projectSeq} is not a signature over this review`);
  if (view.review !== reviewId)
    throw new ServerSignatureError(`signature entry ${view.projectSeq} covers another review`);
  if (view.meaning !== SIGNING_MEANINGS[kind])
    throw new ServerSignatureError(
      `signature entry ${view.projectSeq} does not carry the meaning fixed for what it signs`,
    );
  const common = {
    id: `server-${project}-${view.projectSeq}`,
    signer: { name: view.signer.name, role: view.role, id: view.member ?? view.signer.subject },
    signedAt: view.signedAt,
    meaning: view.meaning,
    reauthentication: assertionOf(view, project),
  };
  if (kind === 'review' || kind === 'adjudication') {
    const scope = view.scope;
    if (scope === undefined) return { ...common, kind, decisionsSha256: view.hash };
    const { decisions, decided, assigned, decisionsSha256 } = scope;
    const kept = { decisions, decided, assigned };
    if (scopedDecisionsHash(reviewId, decisionsSha256, kept) !== view.hash)
      throw new ServerSignatureError(
        `signature entry ${view.projectSeq} does not sign the scope it states (${scopeText(kept)})`,
      );
    return { ...common, kind, decisionsSha256, scope: kept };
  }
  const result =
    held && held.review.id === reviewId ? signedSampleResult(held.review, held.plan, view.hash) : undefined;
  if (result === undefined)
    throw new ServerSignatureError(
      `the ${kind === 'approval' ? 'approval' : 'confirmation'} of ${view.signer.name} (${view.signedAt}) is of a result this review does not hold as the server does: read the team server’s record of the review again`,
    );
  return { ...common, kind, resultSha256: view.hash, result };
}

/**
 * The team project roles the server lets sign an approval or confirmation of a result, read from
 * the signing table ({@link maySign}) over the one role list.
 */
export const RESULT_SIGNER_ROLES: readonly Role[] = ROLES.filter(
  (role) => maySign(role, 'approval') || maySign(role, 'confirmation'),
);

/** Why the signer named on an approval or confirmation cannot have signed it, or undefined. */
export function resultSignerProblem(signature: ServerResultSignature): string | undefined {
  return (RESULT_SIGNER_ROLES as readonly string[]).includes(signature.signer.role)
    ? undefined
    : `it names a signer whose role (${signature.signer.role}) cannot ${signature.kind === 'approval' ? 'approve' : 'confirm'} a result on the team server: the signer was changed`;
}

/**
 * Why a data lead's approval or confirmation kept in `review` is not over the review's results,
 * or undefined when it is: the result it carries has the fingerprint it signs, and its results
 * hash is the review's over the decisions it counts.
 */
function resultSignatureProblem(review: Review, signature: ServerResultSignature): string | undefined {
  const roleProblem = resultSignerProblem(signature);
  if (roleProblem !== undefined) return roleProblem;
  if (sampleResultFingerprint(signature.result) !== signature.resultSha256)
    return 'the result it carries is not the result she signed: the result was edited';
  if (serverSignatureCoverage(review, signature) === undefined)
    return 'the result she signed is not this review’s as it holds its decisions: a decision was changed or removed, or the result is of another review';
  return undefined;
}

/**
 * Appends a server signature to `review` (the `review/server-record` change, after its
 * decisions): refused when it is there already, when a reviewer's is not over her own decisions
 * in this review (her decisions are replayed first), or when an approval's or confirmation's result is not the review's
 * results as it holds them — given the review's locked `plan`, not the result the core states of
 * the decisions it counts.
 */
export function addServerSignature(
  review: Review,
  signature: ServerReviewSignature,
  plan?: SamplePlan,
): Review {
  const kept = review.serverSignatures ?? [];
  if (kept.some((s) => s.id === signature.id))
    throw new ServerSignatureError(`server signature ${signature.id} is already in review ${review.id}`);
  if (signature.meaning !== SIGNING_MEANINGS[signature.kind])
    throw new ServerSignatureError(
      `server signature ${signature.id} does not carry the meaning fixed for what it signs`,
    );
  if (signsResult(signature)) {
    const problem = resultSignatureProblem(review, signature);
    if (problem !== undefined)
      throw new ServerSignatureError(
        `the ${signature.kind} of ${signature.signer.name} (${signature.signedAt}) is refused: ${problem}`,
      );
    const { result } = signature;
    if (
      plan !== undefined &&
      sampleResultFingerprint(
        sampleResult({ ...review, decisions: review.decisions.slice(0, result.decisions) }, plan),
      ) !== signature.resultSha256
    )
      throw new ServerSignatureError(
        `the ${signature.kind} of ${signature.signer.name} (${signature.signedAt}) is refused: the result she signed is not the one this review’s decisions give under its plan`,
      );
  } else if (serverSignatureCoverage(review, signature) === undefined)
    throw new ServerSignatureError(
      `the signature of ${signature.signer.name} (${signature.signedAt}) is over decisions of hers this review does not hold as the server does: read the team server’s record of the review again`,
    );
  return { ...review, serverSignatures: [...kept, signature] };
}

/** What {@link verifyServerReviewSignature} finds. */
export type ServerReviewSignatureVerification =
  | { ok: true; signatureId: string; covered: number; of: number; scope?: SignatureScope }
  | { ok: false; signatureId: string; message: string };

/**
 * Verifies a server signature against the review offline: its meaning is the one fixed for its
 * kind, it is over a prefix of her decisions as the review holds them (an approval: the result it
 * carries has the fingerprint signed, and its results hash is the review's over the decisions it
 * counts), and its assertion verifies over the server's signing challenge. (That its entry is the server's is asked of the
 * server: `preflight signoff verify --server`.)
 */
export async function verifyServerReviewSignature(
  review: Review,
  signature: ServerReviewSignature,
): Promise<ServerReviewSignatureVerification> {
  const no = (message: string) => ({
    ok: false as const,
    signatureId: signature.id,
    message: `the signature of ${signature.signer.name} (server entry ${signature.reauthentication.server.projectSeq}): ${message}`,
  });
  if (signature.meaning !== SIGNING_MEANINGS[signature.kind])
    return no('its meaning is not the one fixed for what it signs');
  if (signsResult(signature)) {
    const problem = resultSignatureProblem(review, signature);
    if (problem !== undefined) return no(problem);
  }
  const coverage = serverSignatureCoverage(review, signature);
  if (coverage === undefined)
    return no(
      'it is not over her decisions as this review holds them: a decision of hers was changed or removed',
    );
  const scope = signsResult(signature) ? undefined : signature.scope;
  if (scope !== undefined) {
    const shape = scopeShapeProblem(scope);
    if (shape !== undefined) return no(`its scope cannot be: ${shape}`);
    if (scope.decisions !== coverage.covered)
      return no(
        `its scope says ${scope.decisions} decisions, but it is over ${coverage.covered} of hers: the scope was changed`,
      );
  }
  const checked = await verifyAssertion(
    signature.reauthentication,
    assertionChallenge(signature.reauthentication, serverSignedHash(signature, review.id)),
  );
  if (!checked.ok) return no(`its WebAuthn assertion does not verify: ${checked.message}`);
  return {
    ok: true,
    signatureId: signature.id,
    covered: coverage.covered,
    of: coverage.of,
    ...(scope === undefined ? {} : { scope }),
  };
}

/**
 * The sentence a printout says of how far a reviewer's server signature reaches: all her
 * decisions of its kind, or the first of them (she decided more after signing).
 */
export function serverCoverageText(
  coverage: { covered: number; of: number; scope?: SignatureScope },
  kind: ServerReviewSignature['kind'],
): string {
  const scope = coverage.scope;
  if (scope !== undefined && isPartialScope(scope) && (kind === 'review' || kind === 'adjudication'))
    return `Partial scope: signed with ${scopeText(scope)} of the records assigned to her (${scope.assigned - scope.decided} undecided)${coverage.covered === coverage.of ? '' : `; she decided more after signing (${coverage.of} decisions of hers now)`}`;
  if (kind === 'approval' || kind === 'confirmation')
    return coverage.covered === coverage.of
      ? `The sample’s result over all ${coverage.of} decisions of this review`
      : `The sample’s result over the first ${coverage.covered} of this review’s ${coverage.of} decisions: more were made after she signed`;
  const what = kind === 'review' ? 'review decision' : 'adjudication';
  const plural = (n: number) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return coverage.covered === coverage.of
    ? `Covers all ${plural(coverage.of)} of hers in this review`
    : `Covers the first ${plural(coverage.covered)} of her ${coverage.of}: she decided more after signing`;
}

// ---- the server's record of a sign-off export ---------------------------------------------------

/**
 * What the team server records of a sign-off export of one review: its chain's length and head,
 * the results hash, the ids of the review's signatures, and the server entries of those made on
 * the server (the lead's and the reviewers'), in the review's order.
 */
export interface SignoffExportRecord {
  resultsSha256: string;
  chainHead: string;
  chainLength: number;
  signatures: string[];
  serverSignatures: number[];
}

/** The server entries of the signatures `review` keeps that were made on the team server. */
function serverEntriesOf(review: Review): { projectSeq: number; entryHash: string; what: string }[] {
  const out: { projectSeq: number; entryHash: string; what: string }[] = [];
  for (const s of review.signatures ?? [])
    if (s.reauthentication.method === 'webauthn' && s.reauthentication.server)
      out.push({ ...s.reauthentication.server, what: `signature ${s.id} of ${s.signer.name}` });
  for (const s of review.serverSignatures ?? [])
    out.push({ ...s.reauthentication.server, what: `the signature of ${s.signer.name}` });
  return out;
}

/** What the server is to record of exporting `review` with the chain `entries`. */
export function signoffExportRecordOf(
  review: Review,
  entries: readonly { hash: string }[],
): SignoffExportRecord {
  return {
    resultsSha256: resultsHash(review),
    chainHead: chainHeadOf(entries).head,
    chainLength: entries.length,
    signatures: (review.signatures ?? []).map((s) => s.id),
    serverSignatures: serverEntriesOf(review).map((s) => s.projectSeq),
  };
}

/** The first thing of a sign-off export that is not as the server recorded it. */
interface ExportFinding {
  /** the chain entry concerned (1-based), when the damage is at one */
  entry?: number;
  message: string;
}

/**
 * Checks a sign-off export against the server's records of it (`serverRecords`), offline: each
 * record is the server's entry as written (its hash recomputes: an edited record is named), it
 * names a review of the file, and the file holds what it records — as many chain entries with the
 * same head (a cut tail is named at the entry it was cut after), the same results, every signature
 * it names (a rewrite without signatures names the missing one) and the server entries of those
 * made on the server. Returns the first finding, or undefined.
 */
export function checkSignoffExportRecords(file: {
  entries: readonly { hash: string }[];
  reviews?: readonly Review[];
  serverRecords?: readonly ServerAuditRecord[];
}): ExportFinding | undefined {
  for (const record of file.serverRecords ?? []) {
    const at = record.projectSeq ?? record.seq;
    const name = `the team server's record of this export (its entry ${at})`;
    const { hash, ...rest } = record;
    if (record.kind !== 'signoff-exported' || serverAuditEntryHash(rest) !== hash)
      return { message: `${name} was edited: it is not the entry the server wrote` };
    const d = record.detail;
    const review = file.reviews?.find((r) => r.id === d.review);
    if (review === undefined)
      return { message: `${name} is of review ${d.review ?? '?'}, which the file no longer holds` };
    const length = Number(d.chainLength);
    if (file.entries.length < length)
      return {
        entry: file.entries.length,
        message: `the audit chain ends at entry ${file.entries.length}, but ${name} says it had ${length}: entries after it were cut`,
      };
    if (file.entries.length > length)
      return {
        entry: length + 1,
        message: `entries from ${length + 1} on were added after ${name}`,
      };
    if (chainHeadOf(file.entries).head !== d.chainHead)
      return {
        entry: length,
        message: `entry ${length} is not the chain head ${name} holds: the chain was rewritten`,
      };
    const ids = new Set((review.signatures ?? []).map((s) => s.id));
    const missing = (d.signatures ?? '').split(',').find((id) => id !== '' && !ids.has(id));
    if (missing !== undefined)
      return {
        message: `signature ${missing}, which ${name} holds, is not in the file: a signature was removed`,
      };
    const kept = new Set(serverEntriesOf(review).map((s) => String(s.projectSeq)));
    const gone = (d.serverSignatures ?? '').split(',').find((seq) => seq !== '' && !kept.has(seq));
    if (gone !== undefined)
      return {
        message: `the signature at the server's entry ${gone}, which ${name} holds, is not in the file: a signature was removed`,
      };
    if (resultsHash(review) !== d.resultsSha256)
      return {
        message: `the results of review ${review.id} differ from those ${name} holds: a decision was changed`,
      };
  }
  return undefined;
}

/** The hashes a sign-off export asks the server about, each with its place and what it is. */
export function signoffAnchorQuestions(file: {
  reviews?: readonly Review[];
  serverRecords?: readonly ServerAuditRecord[];
}): { hash: string; projectSeq: number; what: string }[] {
  return [
    ...(file.serverRecords ?? []).map((r) => ({
      hash: r.hash,
      projectSeq: r.projectSeq ?? 0,
      what: `the team server's record of this export (its entry ${r.projectSeq ?? 0})`,
    })),
    ...(file.reviews ?? []).flatMap((r) =>
      serverEntriesOf(r).map((s) => ({ hash: s.entryHash, projectSeq: s.projectSeq, what: s.what })),
    ),
    // the entry of each decision replayed from the server
    ...(file.reviews ?? []).flatMap((r) =>
      (r.serverDecisionEntries ?? []).map((e) => ({
        hash: e.hash,
        projectSeq: e.projectSeq ?? 0,
        what: `the team server's entry of decision ${e.detail.decision ?? '?'} (its entry ${e.projectSeq ?? 0})`,
      })),
    ),
  ];
}

/**
 * The server's answers for {@link signoffAnchorQuestions}: each must be the server's entry at the
 * place the file says. Returns the first that is not, or undefined.
 */
export function checkSignoffAgainstServer(
  questions: readonly { hash: string; projectSeq: number; what: string }[],
  reply: { entries: readonly { hash: string; known: boolean; projectSeq?: number }[] },
): ExportFinding | undefined {
  const answers = new Map(reply.entries.map((a) => [a.hash, a]));
  for (const q of questions) {
    const answer = answers.get(q.hash);
    if (answer?.known !== true || answer.projectSeq !== q.projectSeq)
      return {
        message: `${q.what} is not the team server's entry ${q.projectSeq}: the file was changed after it left the server`,
      };
  }
  return undefined;
}
