/**
 * The sign-off signature (docs/product.md#sign-off): the manifestation — printed name, role, date-time with
 * zone, and the meaning of the signature as shown on screen — and what it binds: the plan hash,
 * the results hash and the audit-chain head. Where the browser offers WebAuthn the signer
 * re-authenticates with an assertion whose challenge is the sign-off hash (webauthn.ts).
 *
 * Constraints (changing any of these breaks every signed file):
 * - results = {@link signoffResults}: the review id, the plan hash, every decision's id and
 *   SHA-256 in the order made, and the per-stratum tallies (integers only — no floating-point
 *   bound, so any engine recomputes the same bytes); resultsSha256 is SHA-256 of its RFC 8785
 *   canonical JSON.
 * - signoffSha256 = SHA-256 of the canonical JSON of {@link SignedContent}: the signature without
 *   `signoffSha256` and `reauthentication`, plus the review id. It is the WebAuthn challenge.
 * - `chainHead` is the hash of entry number `chainLength` (64 zeros for none); the signature's own
 *   entry comes after it (directly, unless another tab recorded a decision meanwhile). The signed
 *   results are those of the decisions logged up to that head: prepare a signature only when
 *   every decision of the review is logged (the sign panel waits for them).
 * - Pure: no clock, no ids made here.
 */

import type { ChainEntry, SignatureAuditEntry } from '../../../formats/auditLog.ts';
import type { Review, Reviewer, Signature } from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { tallies } from '../review/review.ts';
import { planHash } from '../sampling/planLock.ts';
import type { StratumTally } from '../sampling/verdict.ts';
import { decisionHash, GENESIS_HASH } from './auditChain.ts';
import { assertionChallenge } from './signingChallenge.ts';
import { type AssertionVerification, verifyAssertion } from './webauthn.ts';

/**
 * The go-live approval of files signed before meanings followed the signer's role: still an
 * approval where it was signed (older files load and verify), never offered for a new signature —
 * it said "I reviewed" of whoever signed, reviewer or not (signingMeaning.ts gives each their own).
 */
export const GO_LIVE_MEANING =
  'I reviewed this sample and approve the migrated records for go-live, on the results shown.';

/** The review-only meaning of files signed before meanings followed the signer's role (see above). */
export const REVIEWED_MEANING =
  'I reviewed this sample and confirm the results shown are my review; I do not approve the migrated records for go-live.';

/** What a sign-off binds from the review (see the file header). */
export interface SignoffResults {
  reviewId: string;
  planHash: string;
  decisions: { id: string; sha256: string }[];
  strata: StratumTally[];
}

/** The results a signature binds: decision hashes and tallies, integers only. */
export function signoffResults(review: Review): SignoffResults {
  return {
    reviewId: review.id,
    planHash: review.plan.hash,
    decisions: review.decisions.map((d) => ({ id: d.id, sha256: decisionHash(d) })),
    // the tally fields signatures have always bound, and no others: a field added to the tallies
    // later (such as how many errors await adjudication, derivable from the decisions) must not
    // change the results hash of a review signed before it
    strata: tallies(review).map((t) => ({
      stratumId: t.stratumId,
      ...(t.population === undefined ? {} : { population: t.population }),
      reviewed: t.reviewed,
      critical: t.critical,
      major: t.major,
      cannotAssess: t.cannotAssess,
      minor: t.minor,
      awaitingAdjudication: t.awaitingAdjudication,
    })),
  };
}

/** SHA-256 of the canonical JSON of {@link signoffResults}. */
export function resultsHash(review: Review): string {
  return canonicalSha256Hex(signoffResults(review));
}

/** The fields a signature's hash is over. */
type SignedContent = Omit<Signature, 'signoffSha256' | 'reauthentication'> & { reviewId: string };

/** SHA-256 of the signed content: the sign-off hash, and the WebAuthn challenge. */
export function signoffHash(
  reviewId: string,
  signature: Omit<Signature, 'signoffSha256' | 'reauthentication'> &
    Partial<Pick<Signature, 'signoffSha256' | 'reauthentication'>>,
): string {
  const { signoffSha256: _hash, reauthentication: _reauth, ...rest } = signature;
  const content: SignedContent = { ...rest, reviewId };
  return canonicalSha256Hex(content);
}

/** The chain head a signature binds: the last entry's hash and the chain's length. */
export function chainHeadOf(entries: readonly Pick<ChainEntry, 'hash'>[]): { head: string; length: number } {
  const last = entries[entries.length - 1];
  return { head: last?.hash ?? GENESIS_HASH, length: entries.length };
}

/** A signature ready to be re-authenticated: everything but how. */
export type PreparedSignature = Omit<Signature, 'reauthentication'>;

/** Why a signature cannot be made or added (messages name ids, never record content). */
export class SignatureError extends Error {
  override name = 'SignatureError';
}

/**
 * Prepares a signature over the review as it is now, at the chain head given.
 * @throws SignatureError when a manifestation field is blank or the review has no decisions.
 */
export function prepareSignature(params: {
  id: string;
  review: Review;
  signer: Reviewer;
  signedAt: string;
  meaning: string;
  chain: { head: string; length: number };
}): PreparedSignature {
  const signer = {
    name: params.signer.name.trim(),
    role: params.signer.role.trim(),
    id: params.signer.id.trim(),
  };
  if (!signer.name || !signer.role || !signer.id)
    throw new SignatureError('Enter your printed name, role and staff id to sign.');
  if (!params.meaning.trim()) throw new SignatureError('The meaning of the signature is missing.');
  if (params.review.decisions.length === 0)
    throw new SignatureError('Nothing to sign yet: no record of this sample has been decided.');
  const body = {
    id: params.id,
    signer,
    signedAt: params.signedAt,
    meaning: params.meaning,
    planHash: params.review.plan.hash,
    resultsSha256: resultsHash(params.review),
    chainHead: params.chain.head,
    chainLength: params.chain.length,
  };
  return { ...body, signoffSha256: signoffHash(params.review.id, body) };
}

/**
 * Appends `signature` to `review` (the reducer of `review/sign`). Refused when it cites another
 * plan, its id is taken, its sign-off hash does not match its content, or its results hash is not
 * the review's as it now is (a decision was made after it was prepared: sign again).
 */
export function addSignature(review: Review, signature: Signature): Review {
  if (signature.planHash !== review.plan.hash)
    throw new SignatureError(`signature ${signature.id} cites another plan than review ${review.id}`);
  if (review.signatures?.some((s) => s.id === signature.id))
    throw new SignatureError(`signature id ${signature.id} is already used in review ${review.id}`);
  if (signoffHash(review.id, signature) !== signature.signoffSha256)
    throw new SignatureError(`signature ${signature.id}: its sign-off hash does not match what it says`);
  if (resultsHash(review) !== signature.resultsSha256)
    throw new SignatureError(
      'The results changed after signing began (a decision was added): review them and sign again.',
    );
  return { ...review, signatures: [...(review.signatures ?? []), signature] };
}

// ---- verifying ---------------------------------------------------------------------------------

/** Why a signature does not verify (public codes: add, never rename). */
export type SignatureBreak =
  | 'signoff-hash'
  | 'plan-hash'
  | 'plan-missing'
  | 'results-hash'
  | 'chain-head'
  | 'entry-missing'
  | 'webauthn';

/** One signature's verification. */
export type SignatureVerification =
  | {
      ok: true;
      signatureId: string;
      reviewId: string;
      reauthentication: 'webauthn' | 'none';
      /** for WebAuthn: the origin signed at and whether the user was verified */
      webauthn?: { origin: string; userVerified: boolean; credentialId: string };
    }
  | { ok: false; signatureId: string; reviewId: string; reason: SignatureBreak; message: string };

/**
 * Verifies one signature of `review` against the file's chain (`entries`, already verified as a
 * chain) and, when given, the file's locked plans: its sign-off hash, plan hash (and the plan
 * itself hashing to it), the chain head (an entry before its own), the results hash (recomputed
 * from the review's decisions logged up to that head), and the WebAuthn assertion. Never throws.
 */
export async function verifySignature(
  review: Review,
  signature: Signature,
  entries: readonly ChainEntry[],
  plans?: readonly SamplePlan[],
): Promise<SignatureVerification> {
  const base = { signatureId: signature.id, reviewId: review.id };
  const broken = (reason: SignatureBreak, message: string): SignatureVerification => ({
    ok: false,
    ...base,
    reason,
    message: `signature ${signature.id}: ${message}`,
  });
  try {
    if (signoffHash(review.id, signature) !== signature.signoffSha256)
      return broken(
        'signoff-hash',
        'its content (name, role, time, meaning or a bound hash) was changed after signing',
      );
    if (signature.planHash !== review.plan.hash)
      return broken('plan-hash', 'it binds another plan than the review it is in');
    if (plans) {
      const plan = plans.find((p) => p.id === review.plan.id);
      if (!plan) return broken('plan-missing', 'the locked plan it binds is not in the file');
      if (planHash(plan) !== signature.planHash)
        return broken(
          'plan-hash',
          'the locked plan in the file does not hash to the plan hash it binds: the plan was changed',
        );
    }
    const entryIndex = entries.findIndex(
      (e): e is SignatureAuditEntry =>
        e.event === 'signature' && e.reviewId === review.id && e.signatureId === signature.id,
    );
    if (entryIndex < 0) return broken('entry-missing', 'the audit log has no entry for it');
    const signedHead = entries.slice(0, signature.chainLength);
    if (signature.chainLength > entryIndex || chainHeadOf(signedHead).head !== signature.chainHead)
      return broken('chain-head', 'the audit-chain head it binds is not an entry before its own');
    // the results as they were at signing: the review's decisions logged up to the signed head
    const logged = new Set(
      signedHead.flatMap((e) => (e.event === 'decision' && e.reviewId === review.id ? [e.decisionId] : [])),
    );
    const atSigning: Review = { ...review, decisions: review.decisions.filter((d) => logged.has(d.id)) };
    if (resultsHash(atSigning) !== signature.resultsSha256)
      return broken(
        'results-hash',
        'the results it binds differ from the decisions in the file: a decision was changed, added or removed',
      );
  } catch {
    return broken('signoff-hash', 'it is not plain JSON data');
  }
  const reauth = signature.reauthentication;
  if (reauth.method === 'none') return { ok: true, ...base, reauthentication: 'none' };
  const checked: AssertionVerification = await verifyAssertion(
    reauth,
    assertionChallenge(reauth, signature.signoffSha256),
  );
  if (!checked.ok) return broken('webauthn', `its WebAuthn assertion does not verify: ${checked.message}`);
  return {
    ok: true,
    ...base,
    reauthentication: 'webauthn',
    webauthn: {
      origin: checked.origin,
      userVerified: checked.userVerified,
      credentialId: reauth.credentialId,
    },
  };
}
