/**
 * What a signature still covers of its review: a signature binds the results as they were when it
 * was made (signature.ts), and review decisions may be recorded after it (a record decided again,
 * an adjudication, the rest of the sample). A compliance officer must see when the signed results
 * no longer cover every decision, on screen and in every export: this module says which decisions
 * came after each signature, and compares the results hash it binds with the review's now.
 *
 * Constraints:
 * - "After" is read from the audit chain, not from clocks: the decisions a signature covers are the
 *   review's decisions logged in the chain up to the head it binds (`chainLength`), exactly as
 *   `verifySignature` recomputes the signed results. A decision not logged there (later, or not yet
 *   logged) is not covered. Decision times (`decidedAt`) are reported as recorded, never compared.
 * - Ids, times and hashes only: never record content (STYLE.md 7).
 * - Pure: no clock.
 */
import type { ChainEntry, DecisionAfterSignature, SignatureCoverage } from '../../formats/auditLog.ts';
import type { Review, Signature } from '../../formats/review.ts';
import { formatRecordedTime } from './recordedTime.ts';
import { resultsHash } from './signature.ts';

export type { DecisionAfterSignature, SignatureCoverage };

/**
 * How far `signature` covers `review` now, given the project's audit chain `entries` (the chain
 * the signature's `chainLength` counts in).
 */
export function signatureCoverage(
  review: Review,
  signature: Signature,
  entries: readonly ChainEntry[],
  current: string = resultsHash(review),
): SignatureCoverage {
  const logged = new Set(
    entries
      .slice(0, signature.chainLength)
      .flatMap((e) => (e.event === 'decision' && e.reviewId === review.id ? [e.decisionId] : [])),
  );
  return {
    signatureId: signature.id,
    reviewId: review.id,
    signedResultsSha256: signature.resultsSha256,
    currentResultsSha256: current,
    coversCurrentResults: signature.resultsSha256 === current,
    decisionsAfter: review.decisions
      .filter((d) => !logged.has(d.id))
      .map((d) => ({ id: d.id, stratum: d.stratum, decidedAt: d.decidedAt })),
  };
}

/** {@link signatureCoverage} of every signature of `review`, in the review's order. */
export function reviewSignatureCoverage(review: Review, entries: readonly ChainEntry[]): SignatureCoverage[] {
  const signatures = review.signatures ?? [];
  if (signatures.length === 0) return [];
  const current = resultsHash(review);
  return signatures.map((s) => signatureCoverage(review, s, entries, current));
}

/**
 * The coverage in one sentence for clinic staff and compliance officers: that the signature covers
 * every decision, or how many were recorded after it and that signing again covers them.
 */
export function coverageText(coverage: SignatureCoverage): string {
  if (coverage.coversCurrentResults) return 'Covers every decision recorded so far.';
  const n = coverage.decisionsAfter.length;
  if (n === 0)
    return 'Does not cover the results now: the decisions differ from those it signed. Check the sign-off file with “npx preflight signoff verify”.';
  const first = coverage.decisionsAfter[0] as DecisionAfterSignature;
  return `Does not cover every decision: ${n.toLocaleString('en-US')} ${n === 1 ? 'decision was' : 'decisions were'} recorded after this signature (the first on ${formatRecordedTime(first.decidedAt)}). The signed results are those before ${n === 1 ? 'it' : 'them'}; sign again to cover ${n === 1 ? 'it' : 'them'}.`;
}
