/**
 * Every signature of one review verified as `preflight signoff verify` verifies it: each sign-off
 * signature against the audit chain and the locked plans (signature.ts) with what it covers now
 * (signatureCoverage.ts), each signature made on the team server against the review's decisions
 * (serverSignatures.ts), and who signed along the chain (signerIdentity.ts).
 *
 * One function for the CLI and the lead's sign panel, so the screen and the command can never
 * disagree on a signature: the panel feeds it the review and chain as stored (after the pending
 * save, with the server's record replayed in), the command the file's.
 *
 * Constraint: pure except WebCrypto. Never throws; messages name signatures and entries, never
 * record content.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Review, ServerReviewSignature, Signature } from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { type ServerReviewSignatureVerification, verifyServerReviewSignature } from './serverSignatures.ts';
import { type SignatureVerification, verifySignature } from './signature.ts';
import { reviewSignatureCoverage, type SignatureCoverage } from './signatureCoverage.ts';
import { verifySignerIdentities } from './signerIdentity.ts';

/** One sign-off signature of the review, verified, with what it covers now. */
export interface CheckedSignature {
  signature: Signature;
  result: SignatureVerification;
  /** what it covers of the decisions now (absent when it cannot be said) */
  coverage?: SignatureCoverage;
}

/** One signature made on the team server over something of the review, verified. */
export interface CheckedServerSignature {
  signature: ServerReviewSignature;
  result: ServerReviewSignatureVerification;
}

/** What {@link checkReviewSignatures} finds. */
export interface ReviewSignatureChecks {
  signatures: CheckedSignature[];
  serverSignatures: CheckedServerSignature[];
  /**
   * with `identities`: why who signed does not hold along the chain (roster, keys), naming the
   * signature when the break is at one; absent when it holds or was not asked
   */
  identity?: { signature?: string; message: string };
}

/**
 * Verifies every signature of `review` against `entries` (its chain, already checked as a chain)
 * and the locked `plans`; with `identities`, also who signed along the chain (`roster`: the
 * file's or the project's).
 */
export async function checkReviewSignatures(
  review: Review,
  entries: readonly ChainEntry[],
  options: { plans?: readonly SamplePlan[]; identities?: boolean; roster?: Roster } = {},
): Promise<ReviewSignatureChecks> {
  const coverage = reviewSignatureCoverage(review, entries);
  const signatures: CheckedSignature[] = [];
  for (const signature of review.signatures ?? []) {
    const result = await verifySignature(review, signature, entries, options.plans);
    const covered = coverage.find((c) => c.signatureId === signature.id);
    signatures.push({ signature, result, ...(covered ? { coverage: covered } : {}) });
  }
  const serverSignatures: CheckedServerSignature[] = [];
  for (const signature of review.serverSignatures ?? [])
    serverSignatures.push({ signature, result: await verifyServerReviewSignature(review, signature) });
  if (!options.identities) return { signatures, serverSignatures };
  const identity = await verifySignerIdentities(entries, [review], options.roster);
  return {
    signatures,
    serverSignatures,
    ...(identity.ok
      ? {}
      : {
          identity: {
            ...(identity.signature === undefined ? {} : { signature: identity.signature }),
            message: identity.message,
          },
        }),
  };
}
