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
 *
 * What a signature says is true of its signer (21 CFR 11.50(a)(3)): the meaning follows what the
 * signer did in the sample and their role, never one wording for everyone. Only someone with
 * decisions of their own signs "I reviewed" (or "I adjudicated"); an approver who decided nothing
 * — the data lead, the medical director — approves the sample's result, or, when it cannot be
 * approved or they may not approve it, confirms the result as shown without approving it.
 */
import type { Review, Signature } from '../../../formats/review.ts';
import type { RosterRole } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { tallies } from '../review/review.ts';
import { type OverallVerdict, overallVerdict } from '../sampling/verdict.ts';
import { GO_LIVE_MEANING, REVIEWED_MEANING } from './signature.ts';

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
  | { approval: true }
  | {
      approval: false;
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
  const refused = { approval: false, ...pending } as const;
  if (pending.awaitingAdjudication > 0) return { ...refused, reason: 'awaiting-adjudication' };
  if (pending.awaitingFirstReview + pending.awaitingSecondReview > 0)
    return { ...refused, reason: 'awaiting-other-review' };
  if (!reviewVerdict(review, plan).pass) return { ...refused, reason: 'fails' };
  return { approval: true };
}

/**
 * Whether `signature` approves go-live: it says so word for word and the review it signs stands
 * as an approval ({@link signingStanding}). A go-live wording on a review that does not stand as
 * one (edited by hand, or made by an older version) approves nothing.
 */
export function approvesGoLive(signature: Signature, review: Review, plan: SamplePlan): boolean {
  return isApprovalMeaning(signature.meaning) && signingStanding(review, plan).approval;
}

/** The meaning of a steering committee signature on a go decision, stored with it word for word. */
export const STEERING_GO_MEANING =
  'As an approver of the steering committee, I decide that the clinic goes live, on the readiness shown.';
/** The meaning of a signature on a no-go decision. */
export const STEERING_NO_GO_MEANING =
  'As an approver of the steering committee, I decide that the clinic does not go live yet, on the readiness shown.';

/** A reviewer's meaning: they decided records of the sample (a first or second review). */
export const REVIEWER_MEANING =
  'I reviewed these records: the decisions recorded under my name in this sample are my own review. My signature does not approve the migrated records for go-live.';

/** An adjudicator's meaning: they decided records the two reviewers disagreed on. */
export const ADJUDICATOR_MEANING =
  'I adjudicated these records: the adjudications recorded under my name in this sample are my own decision. My signature does not approve the migrated records for go-live.';

/** An approver's meaning (the data lead, the medical director) when the result stands as an approval. */
export const APPROVAL_MEANING =
  'I approve the result of this sample: the migrated records may go live, on the results shown.';

/** Someone who reviewed and may also approve (the plan allows it, or no roster says otherwise). */
export const REVIEWED_AND_APPROVED_MEANING =
  'I reviewed these records, the decisions under my name are my own review, and I approve the result of this sample: the migrated records may go live, on the results shown.';

/** Someone who decided nothing and does not approve: the result cannot be approved, or they may not. */
export const RESULT_CONFIRMED_MEANING =
  'I confirm the result of this sample is as shown. My signature does not approve the migrated records for go-live.';

/** Every wording that approves go-live (where the review stands as an approval), older files' included. */
const APPROVAL_MEANINGS: readonly string[] = [
  GO_LIVE_MEANING,
  APPROVAL_MEANING,
  REVIEWED_AND_APPROVED_MEANING,
];

/** True when `meaning` is worded as a go-live approval. */
export function isApprovalMeaning(meaning: string): boolean {
  return APPROVAL_MEANINGS.includes(meaning);
}

/** The meaning a signer's signature carries, and whether it is an approval. */
export interface SignerMeaning {
  meaning: string;
  approval: boolean;
}

/**
 * The meaning `signerId` signs on `review` now (see the file header). `roles` are their roster
 * roles when the project keeps a roster: then only an approver approves, and someone who decided
 * records approves only where the plan lets a reviewer approve. Without a roster anyone may
 * approve a result that stands as an approval, as before rosters.
 */
export function signerMeaning(
  review: Review,
  plan: SamplePlan,
  signerId: string,
  roles?: readonly RosterRole[],
): SignerMeaning {
  const own = review.decisions.filter((d) => d.reviewer.id === signerId);
  const reviewed = own.some((d) => d.stage !== 'adjudication');
  const adjudicated = own.some((d) => d.stage === 'adjudication');
  const mayApprove =
    roles === undefined ||
    (roles.includes('approver') && (own.length === 0 || plan.reviewerMayApprove === true));
  if (signingStanding(review, plan).approval && mayApprove)
    return { meaning: own.length > 0 ? REVIEWED_AND_APPROVED_MEANING : APPROVAL_MEANING, approval: true };
  if (reviewed) return { meaning: REVIEWER_MEANING, approval: false };
  if (adjudicated) return { meaning: ADJUDICATOR_MEANING, approval: false };
  return { meaning: RESULT_CONFIRMED_MEANING, approval: false };
}

/**
 * Why `signature`'s meaning is not true of its signer in `review`, or undefined: "I reviewed" with
 * no first or second decision of their own, "I adjudicated" with no adjudication of their own. The
 * older single wording ("I reviewed this sample…") is judged the same way, so a file signed before
 * meanings followed the signer says where a lead or an approver signed a review they never made.
 */
export function untrueMeaning(signature: Signature, review: Review): string | undefined {
  const own = review.decisions.filter((d) => d.reviewer.id === signature.signer.id);
  const claimsReview = [
    REVIEWER_MEANING,
    REVIEWED_AND_APPROVED_MEANING,
    GO_LIVE_MEANING,
    REVIEWED_MEANING,
  ].includes(signature.meaning);
  if (claimsReview && !own.some((d) => d.stage !== 'adjudication'))
    return `signature ${signature.id} says its signer reviewed records, but staff id ${signature.signer.id} decided none of this sample${
      signature.meaning === GO_LIVE_MEANING || signature.meaning === REVIEWED_MEANING
        ? ' (the single wording older versions gave every signer)'
        : ''
    }`;
  if (signature.meaning === ADJUDICATOR_MEANING && !own.some((d) => d.stage === 'adjudication'))
    return `signature ${signature.id} says its signer adjudicated records, but staff id ${signature.signer.id} adjudicated none of this sample`;
  return undefined;
}
