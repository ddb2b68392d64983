/**
 * One undo/redo engine for the editors that edit a document by typed edits, each of which comes
 * back with the edit that undoes it (the workflow editor's `src/core/workflow/edit/history.ts`,
 * the mapping editor's `src/core/mapping/history.ts`). The engine holds the document and two stacks
 * of `{ edit, inverse }` steps; what an edit does, how a run of typing joins into one step and what
 * a document carries on each change belong to the document's own {@link HistoryModel}.
 *
 * Constraints:
 * - Pure engine: no DOM, no timers. Typing is coalesced by an explicit key, never by time, so tests
 *   never depend on the clock.
 * - A refused edit (the model's `apply` throws) changes nothing: neither document nor stacks. An
 *   undo or redo applies its edit before it touches a stack, so a refusal there changes nothing
 *   either.
 * - Every change of the document (an edit, an undo, a redo) goes out through `onChange` with the
 *   edit applied (for an undo, the inverse), where an editor turns it into one project change.
 * - A document replaced from outside (another tab, an import) is no longer what the stacks
 *   describe: `update` with any document but the one the engine handed out clears both stacks.
 *   Where the caller knows what changed (others' edits merged into a shared document), `rebase`
 *   keeps the stacks, each step reduced to what is still the person's own.
 */

/** Most undo steps kept when the caller names no limit; older ones are dropped. */
export const HISTORY_LIMIT = 200;

/** One undo step: the edit as applied and the edit that undoes it. */
export interface HistoryStep<E> {
  edit: E;
  inverse: E;
}

/** What the engine needs to know of one kind of document and its edits. */
export interface HistoryModel<D, E> {
  /** applies `edit` to `document`: the next document and the edit that undoes it. Throws to refuse. */
  apply(document: D, edit: E): { document: D; inverse: E };
  /**
   * Joins the next edit of a coalesced run to the run's step so far, into one undo step whose
   * inverse still restores the document as it was before the run.
   */
  coalesce(run: HistoryStep<E>, next: HistoryStep<E>): HistoryStep<E>;
  /** the edit redo applies after `step` was undone from `before`; absent: `step.edit` */
  redoEdit?(step: HistoryStep<E>, before: D): E;
  /** true when an edit left the document as it was: then no step is kept and nothing is reported */
  unchanged?(before: D, after: D): boolean;
  /** the document handed out after every change, from the one the edit produced; absent: as is */
  settle?(next: D): D;
}

/** Parameters of {@link createHistory}. */
interface HistoryParams<D, E> {
  document: D;
  model: HistoryModel<D, E>;
  /** called after every change of the document with the edit applied (undo: the inverse) */
  onChange?: (document: D, edit: E) => void;
  /** most undo steps kept (at least one); {@link HISTORY_LIMIT} when absent */
  limit?: number;
}

/** Options of one `apply`. */
interface HistoryApplyOptions {
  /**
   * Edits applied in a row with the same key become one undo step (typing letter by letter is
   * undone at once). Any undo, redo, uncoalesced edit or `update` ends the run.
   */
  coalesce?: string;
}

/** The history engine over documents `D` edited by edits `E`. */
export interface History<D, E> {
  /** the document as edited so far */
  document(): D;
  /** applies an edit; returns the new document. Throws what the model's `apply` throws (nothing changes then) */
  apply(edit: E, options?: HistoryApplyOptions): D;
  /** undoes the last step; returns the document, or null when there is nothing to undo */
  undo(): D | null;
  /** re-applies the last undone step; returns the document, or null when there is nothing to redo */
  redo(): D | null;
  canUndo(): boolean;
  canRedo(): boolean;
  /**
   * Tells the history the document as stored now. The very document it handed out changes nothing;
   * any other becomes the document and clears both stacks.
   */
  update(document: D): void;
  /**
   * Tells the history the document as stored now, changed from outside by edits that were not
   * this history's (others' edits in a shared document): the stacks are kept, each step passed
   * through `own` first — what it returns replaces the step, null drops it. Nothing is reported.
   */
  rebase(document: D, own: (step: HistoryStep<E>, stack: 'undo' | 'redo') => HistoryStep<E> | null): void;
  /** stops reporting changes and drops both stacks */
  destroy(): void;
}

/** Creates an undo/redo history over `params.document`. */
export function createHistory<D, E>(params: HistoryParams<D, E>): History<D, E> {
  const { model } = params;
  let current = params.document;
  const limit = Math.max(1, params.limit ?? HISTORY_LIMIT);
  let onChange = params.onChange;
  const undoStack: HistoryStep<E>[] = [];
  let redoStack: HistoryStep<E>[] = [];
  // the coalescing run ends with anything but another edit of the same key
  let openRun: string | undefined;

  /** hands out the next document; `run` is the coalescing run left open (none after undo, redo) */
  const change = (next: D, edit: E, run?: string): D => {
    openRun = run;
    current = model.settle ? model.settle(next) : next;
    onChange?.(current, edit);
    return current;
  };

  return {
    document: () => current,
    apply(edit, options = {}) {
      const result = model.apply(current, edit);
      if (model.unchanged?.(current, result.document)) return current;
      const step = { edit, inverse: result.inverse };
      const last = undoStack.at(-1);
      if (options.coalesce !== undefined && options.coalesce === openRun && last) {
        undoStack[undoStack.length - 1] = model.coalesce(last, step);
      } else {
        undoStack.push(step);
        if (undoStack.length > limit) undoStack.shift();
      }
      redoStack = [];
      return change(result.document, edit, options.coalesce);
    },
    undo() {
      const step = undoStack.at(-1);
      if (!step) return null;
      const result = model.apply(current, step.inverse);
      undoStack.pop();
      const redo = model.redoEdit ? model.redoEdit(step, current) : step.edit;
      redoStack.push({ edit: redo, inverse: step.inverse });
      return change(result.document, step.inverse);
    },
    redo() {
      const step = redoStack.at(-1);
      if (!step) return null;
      const result = model.apply(current, step.edit);
      redoStack.pop();
      undoStack.push({ edit: step.edit, inverse: result.inverse });
      return change(result.document, step.edit);
    },
    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    update(document) {
      if (document === current) return;
      current = document;
      undoStack.length = 0;
      redoStack = [];
      openRun = undefined;
    },
    rebase(document, own) {
      if (document === current) return;
      current = document;
      const kept = (stack: HistoryStep<E>[], which: 'undo' | 'redo') =>
        stack.map((step) => own(step, which)).filter((step): step is HistoryStep<E> => step !== null);
      const undo = kept(undoStack, 'undo');
      undoStack.length = 0;
      undoStack.push(...undo);
      redoStack = kept(redoStack, 'redo');
      openRun = undefined;
    },
    destroy() {
      onChange = undefined;
      undoStack.length = 0;
      redoStack = [];
    },
  };
}
