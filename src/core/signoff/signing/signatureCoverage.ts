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
 *   logged) is not covered. Decision times (`decidedAt`) never decide coverage: a decision merged
 *   from a review packet carries the clinician's own clock and may read earlier than the signature
 *   it was logged after, so the words say "logged after" and, for such a decision, that it was
 *   merged after signing (never "recorded after this signature (the first on <an earlier time>)").
 * - A superseded signature (currentSignatures.ts) is "replaced by a later signature", never told
 *   to sign again; a co-signature over the same results replaces nothing. The sign panel, the
 *   report and `preflight signoff verify` all read it from {@link reviewSignatureCoverage}.
 * - Derived, never stored in an export: `preflight signoff verify` and the report recompute it
 *   from the chain and the reviews (an older Preflight refuses unknown top-level fields).
 * - Ids, times and hashes only: never record content.
 * - Pure: no clock.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Review, Signature } from '../../../formats/review.ts';
import { formatRecordedTime } from '../review/recordedTime.ts';
import { replacedByStanding } from './currentSignatures.ts';
import { resultsHash } from './signature.ts';

/** A decision logged after a signature: what identifies it, never what it says of the record. */
export interface DecisionAfterSignature {
  /** the decision's id */
  id: string;
  /** the stratum of the record decided */
  stratum: string;
  /** when it was decided (RFC 3339 with zone, as stored: the deciding computer's clock) */
  decidedAt: string;
}

/** One signature's coverage of its review's results as they are now. */
export interface SignatureCoverage {
  reviewId: string;
  signatureId: string;
  /** when the signature was made, as stored */
  signedAt: string;
  /** the results hash the signature binds */
  signedResultsSha256: string;
  /** the review's results hash now */
  currentResultsSha256: string;
  /** true when both hashes are equal: the signature covers every decision of the review */
  coversCurrentResults: boolean;
  /** the review's decisions logged after the signature, in the order made */
  decisionsAfter: DecisionAfterSignature[];
  /** the signature that superseded this one (its signer's later one, else the next): it speaks for the review */
  replacedBy?: { signatureId: string; signedAt: string };
}

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
    signedAt: signature.signedAt,
    signedResultsSha256: signature.resultsSha256,
    currentResultsSha256: current,
    coversCurrentResults: signature.resultsSha256 === current,
    decisionsAfter: review.decisions
      .filter((d) => !logged.has(d.id))
      .map((d) => ({ id: d.id, stratum: d.stratum, decidedAt: d.decidedAt })),
  };
}

/**
 * {@link signatureCoverage} of every signature of `review`, in the review's order (the order they
 * were made and logged), each `replacedBy` the signature that superseded it as the screen, the
 * report and the CLI all say it ({@link replacedByStanding}): none for a current one (a
 * co-signature after it replaces nothing).
 */
export function reviewSignatureCoverage(review: Review, entries: readonly ChainEntry[]): SignatureCoverage[] {
  const signatures = review.signatures ?? [];
  if (signatures.length === 0) return [];
  const current = resultsHash(review);
  const replaced = replacedByStanding(review);
  return signatures.map((s, i) => {
    const coverage = signatureCoverage(review, s, entries, current);
    const by = replaced[i];
    return by ? { ...coverage, replacedBy: { signatureId: by.id, signedAt: by.signedAt } } : coverage;
  });
}

/**
 * Which of the decisions logged after the signature comes first, in words: "the first decided
 * 2025-03-03 at 08:05 (UTC+01:00)"; when its own time reads before the signature (a decision merged
 * from a review packet, decided on the clinician's computer before signing), "…, merged after
 * signing", so the time shown never seems to contradict "after". Undefined when none came after.
 */
export function firstDecisionAfterText(coverage: SignatureCoverage): string | undefined {
  const first = coverage.decisionsAfter[0];
  if (!first) return undefined;
  const decided = Date.parse(first.decidedAt);
  const signed = Date.parse(coverage.signedAt);
  const earlier = Number.isFinite(decided) && Number.isFinite(signed) && decided < signed;
  return `the first decided ${formatRecordedTime(first.decidedAt)}${earlier ? ', merged after signing' : ''}`;
}

/**
 * The coverage in one sentence for clinic staff and compliance officers: that the signature covers
 * every decision, or how many were logged after it and — for the latest signature only — that
 * signing again covers them; an older signature says which later one replaced it.
 */
export function coverageText(coverage: SignatureCoverage): string {
  const replaced = coverage.replacedBy
    ? `Replaced by a later signature, signed ${formatRecordedTime(coverage.replacedBy.signedAt)}.`
    : undefined;
  if (coverage.coversCurrentResults)
    return replaced
      ? `Covers every decision recorded so far. ${replaced}`
      : 'Covers every decision recorded so far.';
  const n = coverage.decisionsAfter.length;
  if (n === 0)
    return replaced
      ? `${replaced} It does not cover the results now: the decisions differ from those it signed.`
      : 'Does not cover the results now: the decisions differ from those it signed. Check the sign-off file with “npx preflight signoff verify”.';
  const them = n === 1 ? 'it' : 'them';
  const counted = `${n.toLocaleString('en-US')} ${n === 1 ? 'decision was' : 'decisions were'} logged after this signature (${firstDecisionAfterText(coverage)})`;
  return replaced
    ? `${replaced} It does not cover every decision: ${counted}.`
    : `Does not cover every decision: ${counted}. The signed results are those before ${them}; sign again to cover ${them}.`;
}
