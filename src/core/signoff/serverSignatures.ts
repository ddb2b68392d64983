/**
 * Signatures made on the team server, kept in the review on the lead's computer so every printout
 * and export carries them as it carries the signatures made here: the lead's (or data lead's)
 * sign-off signature, made through the server's ceremony over the same sign-off hash a local
 * signature signs, and the reviewers' and adjudicators' signatures over their own decisions.
 *
 * Each keeps the WebAuthn assertion the server verified and where it is in the server's log, so
 * it verifies offline (the assertion over {@link signingChallenge}) and against the server
 * (`preflight signoff verify --server`: its entry's hash at its place).
 *
 * Constraints: pure (no clock, no network); what a signature signs is fixed by the server
 * (`signingChallenge`, `reviewedDecisionsHash`): changing either breaks every signature made.
 */
import type {
  Review,
  ServerReviewSignature,
  ServerSigning,
  Signature,
  WebAuthnAssertion,
} from '../../formats/review.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS, signingChallenge } from './serverChain.ts';
import type { PreparedSignature } from './signature.ts';
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

/**
 * The challenge `assertion` was made over when it signs `signedHash`: the hash itself for a
 * signature made in this browser, the server's signing challenge for one made on the server.
 */
export function assertionChallenge(assertion: WebAuthnAssertion, signedHash: string): string {
  return assertion.server === undefined ? signedHash : signingChallenge(signedHash, assertion.server.nonce);
}

function assertionOf(
  view: ServerSignatureView,
  project: string,
): WebAuthnAssertion & { server: ServerSigning } {
  const { assertion, nonce } = view;
  if (assertion === undefined || nonce === undefined)
    throw new ServerSignatureError(
      `the team server did not send the identity check of signature entry ${view.projectSeq}: update the team server, then bring it in again`,
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

/**
 * How many of the signer's decisions of its kind a reviewer's server signature covers: the first
 * `covered` of her `of` decisions in the review's order (decisions she made after signing are not
 * covered), or undefined when it is over no such prefix (a decision of hers is missing or changed).
 */
export function serverSignatureCoverage(
  review: Review,
  signature: Pick<ServerReviewSignature, 'kind' | 'signer' | 'decisionsSha256'>,
): { covered: number; of: number; decisionIds: string[] } | undefined {
  const stages: readonly string[] = STAGES[signature.kind];
  const hers = review.decisions.filter(
    (d) => d.reviewer.id === signature.signer.id && stages.includes(d.stage ?? 'first'),
  );
  for (let n = hers.length; n > 0; n--)
    if (reviewedDecisionsHash(review.id, hers.slice(0, n)) === signature.decisionsSha256)
      return { covered: n, of: hers.length, decisionIds: hers.slice(0, n).map((d) => d.id) };
  return undefined;
}

/**
 * A reviewer's or adjudicator's signature on the server, as the review keeps it. Refused when it
 * is not one (another kind, another review), or when its meaning is not the one fixed for it.
 */
export function serverReviewSignatureOf(
  view: ServerSignatureView,
  project: string,
  reviewId: string,
): ServerReviewSignature {
  const kind = view.kind;
  if (kind !== 'review' && kind !== 'adjudication')
    throw new ServerSignatureError(`signature entry ${view.projectSeq} is not a reviewer's signature`);
  if (view.review !== reviewId)
    throw new ServerSignatureError(`signature entry ${view.projectSeq} covers another review`);
  if (view.meaning !== SIGNING_MEANINGS[kind])
    throw new ServerSignatureError(
      `signature entry ${view.projectSeq} does not carry the meaning fixed for what it signs`,
    );
  return {
    id: `server-${project}-${view.projectSeq}`,
    kind,
    signer: { name: view.signer.name, role: view.role, id: view.member ?? view.signer.subject },
    signedAt: view.signedAt,
    meaning: view.meaning,
    decisionsSha256: view.hash,
    reauthentication: assertionOf(view, project),
  };
}

/**
 * Appends a reviewer's server signature to `review` (the reducer of `review/server-signature`):
 * refused when it is there already, or when it is not over the signer's own decisions in this
 * review (bring in her decisions first).
 */
export function addServerSignature(review: Review, signature: ServerReviewSignature): Review {
  const kept = review.serverSignatures ?? [];
  if (kept.some((s) => s.id === signature.id))
    throw new ServerSignatureError(`server signature ${signature.id} is already in review ${review.id}`);
  if (signature.meaning !== SIGNING_MEANINGS[signature.kind])
    throw new ServerSignatureError(
      `server signature ${signature.id} does not carry the meaning fixed for what it signs`,
    );
  if (serverSignatureCoverage(review, signature) === undefined)
    throw new ServerSignatureError(
      `the signature of ${signature.signer.name} (${signature.signedAt}) is over decisions of hers this review does not hold as the server does: bring in the reviewers’ decisions first`,
    );
  return { ...review, serverSignatures: [...kept, signature] };
}

/** What {@link verifyServerReviewSignature} finds. */
export type ServerReviewSignatureVerification =
  | { ok: true; signatureId: string; covered: number; of: number }
  | { ok: false; signatureId: string; message: string };

/**
 * Verifies a reviewer's server signature against the review offline: its meaning is the one fixed
 * for its kind, it is over a prefix of her decisions as the review holds them, and its assertion
 * verifies over the server's signing challenge. (That its entry is the server's is asked of the
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
  const coverage = serverSignatureCoverage(review, signature);
  if (coverage === undefined)
    return no(
      'it is not over her decisions as this review holds them: a decision of hers was changed or removed',
    );
  const checked = await verifyAssertion(
    signature.reauthentication,
    assertionChallenge(signature.reauthentication, signature.decisionsSha256),
  );
  if (!checked.ok) return no(`its WebAuthn assertion does not verify: ${checked.message}`);
  return { ok: true, signatureId: signature.id, covered: coverage.covered, of: coverage.of };
}

/**
 * The sentence a printout says of how far a reviewer's server signature reaches: all her
 * decisions of its kind, or the first of them (she decided more after signing).
 */
export function serverCoverageText(
  coverage: { covered: number; of: number },
  kind: 'review' | 'adjudication',
): string {
  const what = kind === 'review' ? 'review decision' : 'adjudication';
  const plural = (n: number) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return coverage.covered === coverage.of
    ? `Covers all ${plural(coverage.of)} of hers in this review`
    : `Covers the first ${plural(coverage.covered)} of her ${coverage.of}: she decided more after signing`;
}
