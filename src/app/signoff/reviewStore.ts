/**
 * The review screen's state as a small store read through selector hooks: who is reviewing, the
 * decision form of the record in view, the save line, the decisions still being saved and the
 * audit line. The screen and its panels change it only by dispatching a {@link ReviewChange}, which
 * {@link reduceReview} applies without side effects, so every step can be tested as data and each
 * panel re-renders only for the part it shows.
 *
 * Each record opens its own form: the reviewer's own decision on it (its findings and comment) when
 * they revisit it, otherwise empty — no finding, comment, reason or defect class carries over from
 * the record before. The save line is not part of a record's form: "Saved: record 3 accepted."
 * stays in view while record 4 opens.
 *
 * The form says which record it was opened for (`formFor`, {@link formKey}). A record opens on
 * screen a moment before its form is reset, and a key pressed in between must not decide it with the
 * findings and comment of the record before: `draftDecision` refuses a form opened for another
 * record than the one in view.
 *
 * The project (reviews, decisions, the audit chain) is not here: it is the session's, and a
 * decision reaches it through `ReviewActions.commit`.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { recordId } from '../../core/signoff/review/index.ts';
import type { Decision, DefectClass, Finding, ReasonCode, Reviewer } from '../../formats/review.ts';

/** The decision form of the record in view. */
export interface ReviewForm {
  /** the record (and pass) the form was opened for, {@link formKey}; '' until one opens */
  formFor: string;
  findings: readonly Finding[];
  comment: string;
  /** why a decided record's decision is changed (asked only then) */
  changeReason: string;
  /** the field, reason and class about to be marked ('' until chosen) */
  markField: string;
  markReason: ReasonCode | '';
  markClass: DefectClass | '';
  /**
   * Reject was chosen and waits for why: Enter in the comment saves the rejection. Cleared when a
   * decision goes to be saved or another record opens
   */
  rejecting: boolean;
  /**
   * A decision went to be saved from this form and nothing on it changed since: the same key
   * pressed again (a double press) is that decision again, not a second one or a change. Cleared
   * when another record opens, the form is edited, or the save failed
   */
  decided: boolean;
}

/** What the audit export button is doing: idle, waiting for the save, or why it failed. */
export type AuditExport = { state: 'idle' } | { state: 'saving' } | { state: 'failed'; message: string };

/** The review screen's state. */
export interface ReviewState extends ReviewForm {
  /** who is deciding, as typed (remembered on the project once they decide) */
  reviewer: Reviewer;
  /** the save line: what happened to the last decision, or why it was not saved */
  status: string;
  /** ids of decisions committed but not yet durably stored */
  pending: ReadonlySet<string>;
  /** the audit line: the chain's length and head, or where it is broken ('' until read) */
  audit: string;
  auditExport: AuditExport;
}

/** A field of the form typed or chosen. */
export type FormEdit = Partial<Omit<ReviewForm, 'findings' | 'formFor' | 'rejecting' | 'decided'>>;

/** Everything that changes the review screen's state. */
export type ReviewChange =
  | { type: 'reviewer'; reviewer: Reviewer }
  /**
   * record `record` ({@link formKey}) opened: its form starts from `own` (the reviewer's decision
   * on it) or empty
   */
  | { type: 'open'; record: string; own: Decision | undefined }
  | { type: 'edit'; edit: FormEdit }
  /** a row's "Mark wrong": its field is the one to mark, and the save line clears */
  | { type: 'mark-row'; field: string }
  /**
   * marks the chosen field (else `fallbackField`) wrong with the chosen reason and class,
   * replacing an earlier finding on the field; what is missing goes on the save line
   */
  | { type: 'mark'; fallbackField: string | undefined }
  | { type: 'unmark'; field: string }
  | { type: 'say'; status: string }
  /** Reject chosen before saying why: the form waits for the comment, the save line says so */
  | { type: 'reject-needs-why'; status: string }
  /** a decision went to be saved */
  | { type: 'saving'; id: string; status: string }
  /** a decision's save ended, saved or not (`failed`); `status` says which */
  | { type: 'settled'; id: string; status: string; failed?: boolean }
  | { type: 'audit'; text: string }
  | { type: 'audit-export'; export: AuditExport };

const EMPTY_FORM: ReviewForm = {
  formFor: '',
  findings: [],
  comment: '',
  changeReason: '',
  markField: '',
  markReason: '',
  markClass: '',
  rejecting: false,
  decided: false,
};

/** What the mark button says when the reason or class is not chosen. */
export const MARK_INCOMPLETE = 'Choose a reason and a defect class for the field first.';
/** What the mark button says when the record has no field to mark. */
export const NOTHING_TO_MARK = 'There is no field to mark.';

/** Which record a form is for: the reviewer's pass and the record (its stratum and key). */
export function formKey(
  stage: 'first' | 'second',
  record: { stratum: string; record: { key: string } },
): string {
  return `${stage}\u001f${recordId(record.stratum, record.record.key)}`;
}

/** The state of a review screen just opened, for `reviewer` (the one last named on the project). */
export function initialReviewState(reviewer: Reviewer): ReviewState {
  return {
    ...EMPTY_FORM,
    reviewer,
    status: '',
    pending: new Set(),
    audit: '',
    auditExport: { state: 'idle' },
  };
}

/** `state` after `change` (pure: `state` is not modified). */
export function reduceReview(state: ReviewState, change: ReviewChange): ReviewState {
  switch (change.type) {
    case 'reviewer':
      return { ...state, reviewer: change.reviewer };
    case 'open':
      return {
        ...state,
        ...EMPTY_FORM,
        formFor: change.record,
        findings: change.own?.findings ?? [],
        comment: change.own?.comment ?? '',
      };
    case 'edit':
      return { ...state, ...change.edit, decided: false };
    case 'mark-row':
      return { ...state, markField: change.field, status: '', decided: false };
    case 'mark': {
      const field = state.markField || change.fallbackField;
      if (!field) return { ...state, status: NOTHING_TO_MARK };
      if (!state.markReason || !state.markClass) return { ...state, status: MARK_INCOMPLETE };
      const finding: Finding = { field, reason: state.markReason, defectClass: state.markClass };
      return {
        ...state,
        findings: [...state.findings.filter((f) => f.field !== field), finding],
        status: '',
        decided: false,
      };
    }
    case 'unmark':
      return { ...state, findings: state.findings.filter((f) => f.field !== change.field), decided: false };
    case 'say':
      return { ...state, status: change.status };
    case 'reject-needs-why':
      return { ...state, rejecting: true, status: change.status };
    case 'saving':
      return {
        ...state,
        rejecting: false,
        decided: true,
        pending: new Set([...state.pending, change.id]),
        status: change.status,
      };
    case 'settled':
      return {
        ...state,
        pending: new Set([...state.pending].filter((id) => id !== change.id)),
        status: change.status,
        ...(change.failed ? { decided: false } : {}),
      };
    case 'audit':
      return { ...state, audit: change.text };
    case 'audit-export':
      return { ...state, auditExport: change.export };
  }
}

/** The review store (no resources: dropping it is enough). */
export interface ReviewStore {
  get(): ReviewState;
  subscribe(listener: () => void): () => void;
  dispatch(change: ReviewChange): void;
}

/** A review store starting from `initial`. */
export function createReviewStore(initial: ReviewState): ReviewStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(change) {
      const next = reduceReview(state, change);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
  };
}

/** The part of the state `select` picks; re-renders only when it changes (compare by `Object.is`). */
export function useReview<T>(store: ReviewStore, select: (state: ReviewState) => T): T {
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const getSnapshot = useCallback(() => select(store.get()), [store, select]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
