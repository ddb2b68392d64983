/**
 * The decision a reviewer's key press makes, or why it is not saved, in the words the save line
 * shows. Pure: the record screen commits what it returns. A form opened for another record than
 * the one in view (the next record is on screen, its form not yet reset) decides nothing. The other
 * checks run in the order a reviewer can act on them: who is deciding, then free text that
 * identifies the patient (results files and the audit chain hold no record content), then the rules
 * the project applies (`decisionRefusal`, the same words `addDecision` refuses with).
 */
import {
  decisionIdentifierProblem,
  decisionProblem,
  decisionRefusal,
  decisionToChange,
  identifyingValues,
  type RecordView,
  shownHash,
} from '../../core/signoff/review/index.ts';
import type { Decision, Outcome, Review, Reviewer } from '../../formats/review.ts';
import { formKey, type ReviewForm } from './reviewStore.ts';
import type { SampledRecord } from './useReviewNavigation.ts';

/** What the reviewer asked for, with the id and time the decision gets. */
export interface DecisionRequest {
  review: Review;
  entry: SampledRecord;
  view: RecordView;
  stage: 'first' | 'second';
  reviewer: Reviewer;
  form: Pick<ReviewForm, 'formFor' | 'findings' | 'comment' | 'changeReason'>;
  outcome: Outcome;
  id: string;
  /** RFC 3339 with zone */
  now: string;
}

/** A decision to commit (and the earlier one it changes), or the save line saying why not. */
export type DraftedDecision =
  | { ok: true; decision: Decision; earlier: Decision | undefined }
  | {
      ok: false;
      status: string;
      /** the refusal asks for the reason of a change: the reason field takes the keyboard */
      askReason: boolean;
      /**
       * Reject was chosen with nothing said about what is wrong: the comment takes the keyboard,
       * and the rejection is saved once the reviewer says why
       */
      askWhyRejected?: boolean;
    };

/** Whether the reviewer's name, role and staff id are all given. */
function reviewerReady(reviewer: Reviewer): boolean {
  return reviewer.name.trim() !== '' && reviewer.role.trim() !== '' && reviewer.id.trim() !== '';
}

/** What the save line says when the form in hand was opened for another record than the one in view. */
export const FORM_NOT_OPENED = 'Not saved: this record was still opening. Decide again.';

/**
 * What the save line says when Reject is chosen before anything says what is wrong: a rejection is
 * saved once the comment or a field marked wrong says why (decisionRules.ts).
 */
export const SAY_WHY_REJECTED =
  'Rejecting this record: write what is wrong in the comment and press Enter, or mark a field wrong and press Reject.';

/** The decision `request` makes, or why it is not saved (see the file header). */
export function draftDecision(request: DecisionRequest): DraftedDecision {
  const { review, entry, view, stage, reviewer, form, outcome } = request;
  if (form.formFor !== formKey(stage, entry)) return { ok: false, status: FORM_NOT_OPENED, askReason: false };
  if (!reviewerReady(reviewer))
    return { ok: false, status: 'Enter your name, role and staff id before deciding.', askReason: false };
  const staged = review.dualReview ? { stage } : {};
  const earlier = decisionToChange(review, {
    stratum: entry.stratum,
    recordKey: entry.record.key,
    ...staged,
  });
  const decision: Decision = {
    id: request.id,
    planHash: review.plan.hash,
    stratum: entry.stratum,
    recordKey: entry.record.key,
    row: entry.record.row,
    ...(entry.record.file === undefined ? {} : { file: entry.record.file }),
    reviewer: { name: reviewer.name.trim(), role: reviewer.role.trim(), id: reviewer.id.trim() },
    decidedAt: request.now,
    outcome,
    findings: [...form.findings],
    ...(form.comment.trim() ? { comment: form.comment.trim() } : {}),
    ...staged,
    ...(earlier
      ? {
          change: {
            replaces: earlier.id,
            previousOutcome: earlier.outcome,
            reason: form.changeReason.trim(),
          },
        }
      : {}),
    ...(view.shown.mapping ? { mapping: view.shown.mapping } : {}),
    shownSha256: shownHash(view.shown),
  };
  const identifies = decisionIdentifierProblem(decision, identifyingValues(view.shown));
  if (identifies) return { ok: false, status: `Not saved: ${identifies.message}`, askReason: false };
  const refusal = decisionRefusal(review, decision);
  // only when the rejection's want of a why is the refusal: a closed or adjudicated record says so
  const problem = refusal ? decisionProblem(review, decision) : null;
  if (problem?.reason === 'reject-without-reason' && refusal === problem.message)
    return { ok: false, status: SAY_WHY_REJECTED, askReason: false, askWhyRejected: true };
  if (refusal)
    return {
      ok: false,
      status: `Not saved: ${refusal}`,
      askReason: earlier !== undefined && !form.changeReason.trim(),
    };
  return { ok: true, decision, earlier };
}
