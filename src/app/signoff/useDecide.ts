/**
 * Saving a decision from the record screen: drafts it from the store (`draftDecision.ts`), says
 * why when it is refused, remembers the reviewer on the project, and commits it with
 * `session.commit` — "Saved" shows only once its strict-durability transaction (which also appends
 * its audit entry) completed. A saved decision opens the next record, with the save line still
 * saying what happened to this one. Reject chosen before anything says what is wrong waits for
 * why: the comment takes the keyboard and the save line says what to do (Enter there saves it).
 * A key pressed again before anything on the form changed (a double press) is ignored: the
 * record gets one decision, not a second or a change.
 */
import type { RefObject } from 'react';
import { rememberReviewer } from '../../core/project/signoffSettings.ts';
import type { RecordView } from '../../core/signoff/review/index.ts';
import type { Outcome, Review } from '../../formats/review.ts';
import { type DraftedDecision, draftDecision } from './draftDecision.ts';
import type { ReviewActions } from './reviewActions.ts';
import { OUTCOME_LABELS } from './reviewLabels.ts';
import { formKey, type ReviewStore } from './reviewStore.ts';
import type { SampledRecord } from './useReviewNavigation.ts';

/** What {@link useDecide} needs from the record screen. */
interface DecideContext {
  store: ReviewStore;
  actions: ReviewActions | undefined;
  review: Review;
  /** the project's settings, where the reviewer is remembered */
  settings: Record<string, unknown>;
  entry: SampledRecord | undefined;
  view: RecordView | null;
  stage: 'first' | 'second';
  index: number;
  total: number;
  /** opens record `at` keeping the save line (after a save) */
  openSaved: (at: number) => void;
  /** the change-reason field, focused when a change is refused for want of a reason */
  changeRef: RefObject<HTMLTextAreaElement | null>;
  /** the comment, focused when Reject is chosen before anything says what is wrong */
  commentRef?: RefObject<HTMLTextAreaElement | null>;
}

/**
 * Says why a decision was not drafted, on the save line, and gives the keyboard to what the
 * reviewer must fill: the comment when Reject waits for why (Enter there saves it), the change's
 * reason when a change lacks one. Every screen that decides a record says it this way.
 */
export function sayNotDrafted(
  store: ReviewStore,
  drafted: Extract<DraftedDecision, { ok: false }>,
  refs: Pick<DecideContext, 'changeRef' | 'commentRef'>,
): void {
  if (drafted.askWhyRejected) {
    store.dispatch({ type: 'reject-needs-why', status: drafted.status });
    refs.commentRef?.current?.focus();
    return;
  }
  store.dispatch({ type: 'say', status: drafted.status });
  if (drafted.askReason) refs.changeRef.current?.focus();
}

/** The record screen's decide: saves `outcome` for the record in view (see the file header). */
export function useDecide(context: DecideContext): (outcome: Outcome) => Promise<void> {
  const {
    store,
    actions,
    review,
    settings,
    entry,
    view,
    stage,
    index,
    total,
    openSaved,
    changeRef,
    commentRef,
  } = context;
  return async (outcome) => {
    if (!actions || !entry || !view) return;
    const state = store.get();
    // a double press: the decision is already on its way, and is the one the record gets
    if (state.decided && state.formFor === formKey(stage, entry)) return;
    const drafted = draftDecision({
      review,
      entry,
      view,
      stage,
      reviewer: state.reviewer,
      form: state,
      outcome,
      id: actions.newId(),
      now: actions.now(),
    });
    if (!drafted.ok) {
      sayNotDrafted(store, drafted, { changeRef, commentRef });
      return;
    }
    const { decision, earlier } = drafted;
    store.dispatch({ type: 'saving', id: decision.id, status: `Saving: ${OUTCOME_LABELS[outcome]}…` });
    const remember = rememberReviewer(settings, state.reviewer);
    if (remember) void actions.commit(remember).catch(() => undefined); // best effort: the decision names the reviewer anyway
    const at = index;
    try {
      await actions.commit({ type: 'review/decide', reviewId: review.id, decision });
      store.dispatch({
        type: 'settled',
        id: decision.id,
        status: `Saved: record ${at + 1} ${OUTCOME_LABELS[outcome].toLowerCase()}${earlier ? ` (changed from ${OUTCOME_LABELS[earlier.outcome].toLowerCase()})` : ''}.`,
      });
      // the save line stays: "Saved: record 3 accepted." is read while record 4 opens
      if (at < total - 1) openSaved(at + 1);
    } catch (error) {
      store.dispatch({
        type: 'settled',
        id: decision.id,
        status: `Not saved: ${(error as Error).message}`,
        failed: true,
      });
    }
  };
}
