/**
 * What a signature on a review may mean as the review now stands: an approval for go-live only
 * when every stratum passes AND no dual-review disagreement still waits for an adjudicator AND no
 * record is decided by one of its two reviewers only (it is not counted as reviewed, so the figures
 * are not yet the dual review the plan asked for). The
 * verdict counts an awaiting record at the worse of its two decisions, which can be no error at
 * all (two accepts that differ only in a minor mark) or an error within the plan's acceptance
 * number — so "the verdict passes" alone would let a go-live approval be signed over records
 * nobody has settled. The sign panel, the FHIR Task's status and the report all follow this one
 * rule.
 */
import type { Review, Signature } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { tallies } from './review.ts';
import { GO_LIVE_MEANING, REVIEWED_MEANING } from './signature.ts';
import { type OverallVerdict, overallVerdict } from './verdict.ts';

/** The verdict of a review under its plan's targets (as the review screen shows it). */
export function reviewVerdict(review: Review, plan: SamplePlan): OverallVerdict {
  return overallVerdict(tallies(review), {
    targetErrorRate: plan.targetErrorRate,
    confidence: plan.confidence,
    ...(plan.minorTargetErrorRate === undefined ? {} : { minorTargetErrorRate: plan.minorTargetErrorRate }),
  });
}

/** Why a signature now can, or cannot, approve go-live. */
export type SigningStanding =
  | { approval: true; meaning: typeof GO_LIVE_MEANING }
  | {
      approval: false;
      meaning: typeof REVIEWED_MEANING;
      /**
       * `awaiting-adjudication` wins over `awaiting-other-review`, which wins over `fails`: the
       * records still in review come first (the counts below say each)
       */
      reason: 'fails' | 'awaiting-adjudication' | 'awaiting-other-review';
      /** records whose two reviewers disagree and no adjudicator has decided yet */
      awaitingAdjudication: number;
      /** dual review: records only the second reviewer has decided */
      awaitingFirstReview: number;
      /** dual review: records only the first reviewer has decided */
      awaitingSecondReview: number;
    };

/** The meaning a signature on `review` (of `plan`) carries now, and why. */
export function signingStanding(review: Review, plan: SamplePlan): SigningStanding {
  const counts = tallies(review);
  const sum = (field: 'awaitingAdjudication' | 'awaitingFirstReview' | 'awaitingSecondReview') =>
    counts.reduce((total, t) => total + t[field], 0);
  const pending = {
    awaitingAdjudication: sum('awaitingAdjudication'),
    awaitingFirstReview: sum('awaitingFirstReview'),
    awaitingSecondReview: sum('awaitingSecondReview'),
  };
  const refused = { approval: false, meaning: REVIEWED_MEANING, ...pending } as const;
  if (pending.awaitingAdjudication > 0) return { ...refused, reason: 'awaiting-adjudication' };
  if (pending.awaitingFirstReview + pending.awaitingSecondReview > 0)
    return { ...refused, reason: 'awaiting-other-review' };
  if (!reviewVerdict(review, plan).pass) return { ...refused, reason: 'fails' };
  return { approval: true, meaning: GO_LIVE_MEANING };
}

/**
 * Whether `signature` approves go-live: it says so word for word and the review it signs stands
 * as an approval ({@link signingStanding}). A go-live wording on a review that does not stand as
 * one (edited by hand, or made by an older version) approves nothing.
 */
export function approvesGoLive(signature: Signature, review: Review, plan: SamplePlan): boolean {
  return signature.meaning === GO_LIVE_MEANING && signingStanding(review, plan).approval;
}
