/**
 * What a decision must say to be recorded (docs/product.md#sign-off), checked by `addDecision` for
 * every path a decision takes (the review screen, the project reducer, merged packet results), and
 * by the screen before it saves, with the same words:
 * - Accept is refused while a major or critical finding is marked: a record with such a defect is
 *   not acceptable, so the reviewer removes the finding first or rejects the record.
 * - Reject needs a finding or a comment: a rejection must say what is wrong.
 * - A reviewer's second decision on a record (same stage) is a change: it names the decision it
 *   replaces, that decision's outcome, and a reason. Nothing else may carry a change. The replaced
 *   decision stays in the review; the audit entry records both ids and both outcomes.
 * - Only the person who made a decision may change it (by roster staff id): another person's view
 *   of the record is a second review or an adjudication, never a replacement of the first.
 *
 * Pure; messages name ids and rules, never record content.
 */
import type { Decision, Review } from '../../../formats/review.ts';
import { stageOf } from './dualReview.ts';

/** Why a decision is refused (public codes: add, never rename). */
export type DecisionRefusal =
  | 'accept-with-defect'
  | 'reject-without-reason'
  | 'change-without-reason'
  | 'change-mismatch'
  | 'change-by-another-reviewer';

/** A refused decision: the rule and what to do, in words for clinic staff. */
interface DecisionProblem {
  reason: DecisionRefusal;
  message: string;
}

/** The decision a new one on the same record and stage would change: the latest of that stage. */
export function decisionToChange(
  review: Pick<Review, 'decisions'>,
  record: Pick<Decision, 'stratum' | 'recordKey' | 'stage'>,
): Decision | undefined {
  const stage = stageOf(record);
  return review.decisions.findLast(
    (d) => d.stratum === record.stratum && d.recordKey === record.recordKey && stageOf(d) === stage,
  );
}

/** The problem with `decision` under the rules of the file header, or null when it may be recorded. */
export function decisionProblem(
  review: Pick<Review, 'decisions'>,
  decision: Decision,
): DecisionProblem | null {
  const blocking = decision.findings.filter((f) => f.defectClass !== 'minor');
  if (decision.outcome === 'accept' && blocking.length > 0)
    return {
      reason: 'accept-with-defect',
      message: `Accept is refused while ${blocking.length === 1 ? 'a major or critical finding is' : `${blocking.length} major or critical findings are`} marked: remove the finding first, or reject the record.`,
    };
  if (decision.outcome === 'reject' && decision.findings.length === 0 && !decision.comment?.trim())
    return {
      reason: 'reject-without-reason',
      message: 'A rejection needs a field marked wrong or a comment that says what is wrong.',
    };
  const earlier = decisionToChange(review, decision);
  if (earlier && earlier.reviewer.id !== decision.reviewer.id)
    return {
      reason: 'change-by-another-reviewer',
      message: `This record was decided by staff id ${earlier.reviewer.id}: only they can change that decision. Record yours as a second review, or ask for adjudication.`,
    };
  const { change } = decision;
  if (earlier && !change?.reason.trim())
    return {
      reason: 'change-without-reason',
      message: 'This record was already decided: changing the decision needs a reason.',
    };
  if (!change) return null;
  if (!earlier)
    return {
      reason: 'change-mismatch',
      message: `decision ${decision.id} says it changes an earlier decision, but there is none on its record`,
    };
  if (change.replaces !== earlier.id || change.previousOutcome !== earlier.outcome)
    return {
      reason: 'change-mismatch',
      message: `decision ${decision.id} does not name the latest earlier decision on its record (${earlier.id}) and its outcome`,
    };
  return null;
}
