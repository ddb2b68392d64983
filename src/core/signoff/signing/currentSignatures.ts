/**
 * Which signatures of a review speak for it now (docs/decisions/0062-every-current-signature-in-the-bundle.md).
 * A sign-off can carry several: a reviewer's and an approver's over the same results, or a signature
 * made again after decisions changed the results.
 *
 * Rules:
 * - A signature is *current* while it binds the results as they are now (its results hash is the
 *   review's) and its signer has not signed again since.
 * - Otherwise it is *superseded*: `replacedBy` is its signer's later signature when there is one;
 *   else it no longer covers the results (decisions were logged after it).
 * - The signature a go-live record rests on (the FHIR Task's) is the latest current one that
 *   approves go-live, else the latest current one: a reviewer's "reviewed" signature made after
 *   the approval over the same results does not undo it.
 */
import type { Review, Signature } from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { resultsHash } from './signature.ts';
import { approvesGoLive } from './signingMeaning.ts';

/** A signature of a review and whether it speaks for the review now. */
type SignatureStanding =
  | { signature: Signature; index: number; current: true }
  | {
      signature: Signature;
      index: number;
      current: false;
      /** the same signer's later signature; absent: decisions were logged after it */
      replacedBy?: Signature;
    };

/** Every signature of `review` in signing order, current or superseded (see the file header). */
export function signatureStandings(review: Review): SignatureStanding[] {
  const signatures = review.signatures ?? [];
  const now = resultsHash(review);
  return signatures.map((signature, index) => {
    const replacedBy = signatures.slice(index + 1).find((later) => later.signer.id === signature.signer.id);
    if (replacedBy) return { signature, index, current: false, replacedBy };
    return signature.resultsSha256 === now
      ? { signature, index, current: true }
      : { signature, index, current: false };
  });
}

/** The current signatures and the one the go-live record rests on (undefined: none is current). */
export function currentSignatures(
  review: Review,
  plan: SamplePlan,
): { current: Signature[]; recorded: Signature | undefined } {
  const current = signatureStandings(review)
    .filter((s) => s.current)
    .map((s) => s.signature);
  const approving = current.filter((s) => approvesGoLive(s, review, plan));
  return { current, recorded: approving[approving.length - 1] ?? current[current.length - 1] };
}

/**
 * The signature that replaced each signature of `review` (by index), as the report and the sign
 * panel say it: none for a current one (a co-signature after it does not replace it), else its
 * signer's later signature, else the one after it; none for the latest.
 */
export function replacedByStanding(review: Review): (Signature | undefined)[] {
  const signatures = review.signatures ?? [];
  return signatureStandings(review).map((s) =>
    s.current ? undefined : (s.replacedBy ?? signatures[s.index + 1]),
  );
}
