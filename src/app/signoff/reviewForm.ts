/**
 * The decision form of the record in view, as a small store read through selector hooks, so the
 * form's panels re-render only for the part they show and the record screen reads the whole form
 * only when it saves.
 *
 * Each record opens its own form: the reviewer's own decision on it (its findings and comment) when
 * they revisit it, otherwise empty — no finding, comment, reason or defect class carries over from
 * the record before. The save line is not part of a record's form: "Saved: record 3 accepted."
 * stays in view while record 4 opens.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { Decision, DefectClass, Finding, ReasonCode } from '../../formats/review.ts';

/** The form of the record in view. */
export interface ReviewFormState {
  findings: readonly Finding[];
  comment: string;
  /** why a decided record's decision is changed (asked only then) */
  changeReason: string;
  /** the field, reason and class about to be marked ('' until chosen) */
  markField: string;
  markReason: ReasonCode | '';
  markClass: DefectClass | '';
  /** the save line: what happened to the last decision, or why it was not saved */
  status: string;
}

/** The review form store (no resources: dropping it is enough). */
export interface ReviewFormStore {
  get(): ReviewFormState;
  subscribe(listener: () => void): () => void;
  /** a record opened: its form starts from `own` (the reviewer's decision on it) or empty */
  open(own: Decision | undefined): void;
  set(patch: Partial<ReviewFormState>): void;
  /**
   * marks `fallbackField` (or the chosen field) wrong with the chosen reason and class, replacing
   * an earlier finding on the field; returns what is missing in words, or null when marked
   */
  mark(fallbackField: string | undefined): string | null;
  /** removes the finding on `field` */
  unmark(field: string): void;
}

const EMPTY: Omit<ReviewFormState, 'status'> = {
  findings: [],
  comment: '',
  changeReason: '',
  markField: '',
  markReason: '',
  markClass: '',
};

/** A new, empty review form. */
export function createReviewForm(): ReviewFormStore {
  let state: ReviewFormState = { ...EMPTY, status: '' };
  const listeners = new Set<() => void>();
  const set = (patch: Partial<ReviewFormState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    open(own) {
      set({ ...EMPTY, findings: own?.findings ?? [], comment: own?.comment ?? '' });
    },
    set,
    mark(fallbackField) {
      const field = state.markField || fallbackField;
      if (!field) return 'There is no field to mark.';
      if (!state.markReason || !state.markClass)
        return 'Choose a reason and a defect class for the field first.';
      const finding: Finding = { field, reason: state.markReason, defectClass: state.markClass };
      set({ findings: [...state.findings.filter((f) => f.field !== field), finding] });
      return null;
    },
    unmark(field) {
      set({ findings: state.findings.filter((f) => f.field !== field) });
    },
  };
}

/** The part of the form `select` picks; re-renders only when it changes (compare by `Object.is`). */
export function useReviewForm<T>(store: ReviewFormStore, select: (state: ReviewFormState) => T): T {
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const getSnapshot = useCallback(() => select(store.get()), [store, select]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
