/**
 * A sign-off sample as the team server holds it, for a project shared there: the server keeps the
 * locked sample, every decision in its order and the data lead's approvals, and computes the
 * sample's result with the review screen's own functions (`src/core/signoff/signing/sampleResult.ts`).
 * The readiness of a shared project judges that result, not the browser's own copy of the review,
 * which holds only the decisions made or brought into this browser.
 *
 * Constraints: pure; the result holds counts, stratum ids and hashes only, so the words here name
 * plans and strata, never records. An approval counts only over the result as it stands now (its
 * fingerprint, or for a signature kept in the review, its results hash): a decision that came in
 * after it leaves the sample unapproved, as it does for a review kept in one browser.
 */
import type { Review, SampleResult } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { approvesGoLive } from '../signoff/signing/index.ts';
import type { BoardSignoff } from './types.ts';
import { count, day, list, plural } from './words.ts';

/** One sample's result on the team server, with who approved that very result there. */
export interface TeamSample {
  result: SampleResult;
  /** when the lead sent the sample to the team (ISO 8601), when the server says */
  sentAt?: string;
  /** the approvals ("I approve this sample's result") signed on the server over this result as it is now */
  approvals: readonly { name: string; signedAt: string }[];
  /**
   * every signature on the review as the server holds it, in its order: reviewers, adjudicators,
   * the lead's sign-off and approvals, each with the signer's role on the team (absent: not read)
   */
  signers?: readonly ReviewSigner[];
}

/** One signature on a sample's review, as the pack names its signer. */
export interface ReviewSigner {
  name: string;
  /** the signer's role: a team role code (`reviewer`, `lead`, `data`) for a signature on the server, else the job title signed with */
  role: string;
  /** what the signature means, word for word */
  meaning: string;
  /** RFC 3339 */
  signedAt: string;
}

/** The team server's latest sample of `plan` among `samples`, if it holds one. */
export function teamSampleOf(plan: SamplePlan, samples: readonly TeamSample[]): TeamSample | undefined {
  return samples.findLast((s) => s.result.plan.id === plan.id);
}

/** What the team server's sample of `plan` shows, and why it blocks go-live. */
export function judgeTeamSample(
  plan: SamplePlan,
  sample: TeamSample,
  /** the same review as this browser holds it, for the sign-off signatures kept in it */
  local: Review | undefined,
): { evidence: string; failures: string[] } {
  const { result } = sample;
  const { total } = result;
  const name = `Sample plan “${plan.name}”`;
  const passed = result.strata.filter((s) => s.pass).length;
  const waiting = [
    ...(total.awaitingAdjudication > 0
      ? [`${count(total.awaitingAdjudication)} not yet adjudicated, counted at worst`]
      : []),
    ...(total.awaitingOtherReview > 0
      ? [`${plural(total.awaitingOtherReview, 'record')} decided by one reviewer only, not counted`]
      : []),
  ];
  const sent = sample.sentAt ? ` sent to the team ${day(sample.sentAt)},` : '';
  const evidence = `${name}: on the team server,${sent} ${count(total.final)} of ${count(total.drawn)} records reviewed${waiting.length > 0 ? ` (${waiting.join('; ')})` : ''}, ${passed} of ${plural(result.strata.length, 'stratum', 'strata')} passed.`;
  const failures: string[] = [];
  const undecided = result.strata
    .filter((s) => s.undecided + s.awaitingOtherReview > 0)
    .map((s) => s.stratumId);
  if (undecided.length > 0)
    failures.push(
      `${name}: ${plural(undecided.length, 'stratum', 'strata')} not fully reviewed on the team server (${list(undecided)}).`,
    );
  if (total.awaitingOtherReview > 0)
    failures.push(
      `${name}: ${plural(total.awaitingOtherReview, 'record')} decided by one reviewer only, not counted as reviewed until both have decided.`,
    );
  if (total.awaitingAdjudication > 0)
    failures.push(
      `${name}: ${plural(total.awaitingAdjudication, 'record')} waiting for an adjudicator, counted at ${total.awaitingAdjudication === 1 ? 'its' : 'their'} worst in the verdict until decided.`,
    );
  const failing = result.strata.filter((s) => !s.pass).map((s) => s.stratumId);
  if (failing.length > 0)
    failures.push(
      `${name}: ${failing.length === 1 ? 'stratum' : 'strata'} ${list(failing)} ${failing.length === 1 ? 'fails' : 'fail'} the clinicians' review.`,
    );
  // the lead's sign-off signature, made on the server and kept in the review, over these very results
  const keptApproval = (local?.signatures ?? []).some(
    (s) => s.resultsSha256 === result.resultsSha256 && local !== undefined && approvesGoLive(s, local, plan),
  );
  if (result.standing === 'passes' && failures.length === 0 && sample.approvals.length === 0 && !keptApproval)
    failures.push(
      `${name}: no signature approves go-live on the team server’s result as it is. The data lead approves it from the team project’s page.`,
    );
  return { evidence, failures };
}

/** The board's line of the team server's sample of `plan`. */
export function teamSampleBoard(plan: SamplePlan, sample: TeamSample): BoardSignoff {
  const { total } = sample.result;
  const waiting = total.undecided + total.awaitingOtherReview + total.awaitingAdjudication > 0;
  return {
    plan: plan.name,
    verdict: waiting ? 'open' : sample.result.pass ? 'pass' : 'fail',
    target: plan.targetErrorRate,
    confidence: plan.confidence,
    reviewed: total.final,
    drawn: total.drawn,
  };
}
