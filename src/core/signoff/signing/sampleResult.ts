/**
 * A sample's result as one fixed, hashable statement: where its records stand (counts per
 * outcome, what still waits for a decision or an adjudicator), the verdict against the locked
 * plan's targets, and the plan's numbers. The team server computes it from the review it holds
 * and serves it to the lead and the data lead; "I approve this sample's result" signed on the
 * server signs exactly its {@link sampleResultFingerprint}, so an approval is over the result its
 * signer was shown, and goes stale when a decision comes in after she looked.
 *
 * Every figure comes from the functions the review screen uses (`recordCounts`, `reviewVerdict`,
 * `signingStanding`, `resultsHash`): nothing here counts or judges records a second way.
 *
 * Constraints: no record content (keys, values, findings' words): counts, stratum ids and hashes
 * only. Only integers, booleans, strings and the plan's own numbers: no computed floating-point
 * bound, so any engine (the server, a browser, the CLI) hashes the same bytes. Changing what goes
 * into {@link SampleResult} changes every fingerprint: signatures made over an earlier shape no
 * longer match the server's current one, so the shape is versioned by `format`.
 */
import {
  type ResultCounts,
  type Review,
  SAMPLE_RESULT_FORMAT,
  type SampleResult,
} from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { type RecordCounts, recordCounts } from '../review/dualReview.ts';
import { resultsHash } from './signature.ts';
import { reviewVerdict, signingStanding } from './signingMeaning.ts';

export type { ResultCounts, SampleResult };

function countsOf(c: RecordCounts): ResultCounts {
  return {
    drawn: c.drawn,
    final: c.final,
    accepted: c.accepted,
    rejected: c.rejected,
    undecided: c.open,
    awaitingOtherReview: c.partly,
    awaitingAdjudication: c.awaitingAdjudication,
    critical: c.critical,
    major: c.major,
    cannotAssess: c.cannotAssess,
    minor: c.minor,
  };
}

/** The result of `review` under its locked `plan` (the caller checks that `plan` is the review's). */
export function sampleResult(review: Review, plan: SamplePlan): SampleResult {
  const counts = recordCounts(review);
  const verdict = reviewVerdict(review, plan);
  const standing = signingStanding(review, plan);
  const total = countsOf(counts.total);
  const byStratum = new Map(verdict.strata.map((s) => [s.stratumId, s]));
  return {
    format: SAMPLE_RESULT_FORMAT,
    reviewId: review.id,
    planHash: review.plan.hash,
    plan: {
      id: plan.id,
      targetErrorRate: plan.targetErrorRate,
      confidence: plan.confidence,
      acceptanceNumber: plan.acceptanceNumber,
      ...(plan.minorTargetErrorRate === undefined ? {} : { minorTargetErrorRate: plan.minorTargetErrorRate }),
      dualReview: review.dualReview === true,
    },
    decisions: review.decisions.length,
    resultsSha256: resultsHash(review),
    total,
    strata: counts.strata.map((c) => {
      const judged = byStratum.get(c.stratumId);
      return {
        stratumId: c.stratumId,
        population: c.population ?? 0,
        ...countsOf(c),
        pass: judged?.pass ?? false,
        reasons: judged?.reasons ?? [],
      };
    }),
    pass: verdict.pass,
    reasons: verdict.reasons,
    standing:
      total.undecided > 0
        ? 'undecided'
        : standing.approval
          ? 'passes'
          : standing.reason === 'awaiting-other-review'
            ? 'awaiting-other-review'
            : standing.reason === 'awaiting-adjudication'
              ? 'awaiting-adjudication'
              : 'fails',
  };
}

/**
 * A review's result as the team server answers for it: the result and its fingerprint, or why
 * there is none yet (the lead has not sent the locked plan it is judged against); `sentAt`, when
 * the lead sent the sample to the team (ISO 8601; absent from servers before it was given), names
 * the sample for people and is not part of what an approval signs.
 */
export type ServedSampleResult = { review: string; sentAt?: string } & (
  | { result: SampleResult; fingerprint: string }
  | { planMissing: string }
);

/** What an approval of the result signs: SHA-256 of the result's RFC 8785 canonical JSON. */
export function sampleResultFingerprint(result: SampleResult): string {
  return canonicalSha256Hex(result);
}

/**
 * Why "I approve this sample's result" cannot be signed over `result`, in the words the signer
 * is told, or undefined when it stands as an approval. Records still in review come first.
 */
export function approvalRefusal(result: SampleResult): string | undefined {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const { total } = result;
  switch (result.standing) {
    case 'passes':
      return undefined;
    case 'undecided':
      return `${n(total.undecided, 'record of this sample has', 'records of this sample have')} no decision yet: a result is approved once every record is decided`;
    case 'awaiting-other-review':
      return `${n(total.awaitingOtherReview, 'record waits', 'records wait')} for the other reviewer’s pass: a result is approved once both reviewers decided every record`;
    case 'awaiting-adjudication':
      return `${n(total.awaitingAdjudication, 'record waits', 'records wait')} for the adjudicator: a result is approved once every disagreement is adjudicated`;
    case 'fails':
      return 'the result does not pass the plan’s targets: it cannot be approved for go-live (sign that you confirm it as shown instead)';
  }
}
