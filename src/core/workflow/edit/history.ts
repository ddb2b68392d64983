/**
 * Undo/redo over workflow edits (a plain engine, `createEditHistory(params) → { … }`, owned by one
 * hook in the editor). The history holds the workflow being edited and two stacks of
 * `{ edit, inverse }` pairs; every change of the document — an edit, an undo, a redo — goes out
 * through `onChange`, where the editor turns it into one `workflow/put` project change (the
 * same autosave as every other edit).
 *
 * Constraints:
 * - Pure engine: no DOM, no timers. Coalescing of typing is by an explicit key, not by time, so
 *   tests never depend on the clock.
 * - A failing edit throws `WorkflowEditError` and changes nothing (neither document nor stacks).
 * - When the document is replaced from outside (another tab, an import), the stacks no longer
 *   describe it: `update` with a workflow that is not the one the history produced clears them.
 */

import type { Workflow } from '../../../formats/workflow.ts';
import { applyEdit, type WorkflowEdit } from './changes.ts';

/** Most undo steps kept; older ones are dropped (an analyst's session rarely needs more). */
export const DEFAULT_HISTORY_LIMIT = 200;

/** Parameters of {@link createEditHistory}. */
export interface EditHistoryParams {
  workflow: Workflow;
  /** called after every change of the document, with the edit that was applied (undo: the inverse) */
  onChange?: (workflow: Workflow, edit: WorkflowEdit) => void;
  /** most undo steps kept; {@link DEFAULT_HISTORY_LIMIT} when absent */
  limit?: number;
}

/** Options of one `apply`. */
export interface ApplyOptions {
  /**
   * Edits applied in a row with the same key become one undo step (typing a label letter by
   * letter is undone at once). Any undo, redo, uncoalesced edit or `update` ends the run.
   */
  coalesce?: string;
}

/** The history engine. */
export interface EditHistory {
  /** the workflow as edited so far */
  workflow(): Workflow;
  /** applies an edit; returns the new workflow. @throws WorkflowEditError (nothing changes then) */
  apply(edit: WorkflowEdit, options?: ApplyOptions): Workflow;
  /** undoes the last edit; returns the workflow, or null when there is nothing to undo */
  undo(): Workflow | null;
  /** re-applies the last undone edit; returns the workflow, or null when there is nothing to redo */
  redo(): Workflow | null;
  canUndo(): boolean;
  canRedo(): boolean;
  /**
   * Tells the history the document as stored now. The very workflow it produced changes nothing;
   * any other (changed in another tab, imported) becomes the document and clears both stacks.
   */
  update(params: { workflow: Workflow }): void;
  destroy(): void;
}

interface Entry {
  edit: WorkflowEdit;
  inverse: WorkflowEdit;
  coalesce?: string;
}

/** Creates an undo/redo history over `params.workflow`. */
export function createEditHistory(params: EditHistoryParams): EditHistory {
  let current = params.workflow;
  const limit = Math.max(1, params.limit ?? DEFAULT_HISTORY_LIMIT);
  let onChange = params.onChange;
  const undoStack: Entry[] = [];
  let redoStack: Entry[] = [];
  // the coalescing run ends with anything but another edit of the same key
  let openRun: string | undefined;

  const emit = (edit: WorkflowEdit) => onChange?.(current, edit);

  return {
    workflow: () => current,
    apply(edit, options = {}) {
      const result = applyEdit(current, edit);
      const last = undoStack.at(-1);
      if (options.coalesce !== undefined && options.coalesce === openRun && last) {
        // one undo step for the run: redo re-applies both, undo restores what was before the run
        last.edit = { type: 'batch', edits: [last.edit, edit] };
        last.inverse = { type: 'batch', edits: [result.inverse, last.inverse] };
      } else {
        undoStack.push({ edit, inverse: result.inverse, coalesce: options.coalesce });
        if (undoStack.length > limit) undoStack.shift();
      }
      openRun = options.coalesce;
      redoStack = [];
      current = result.workflow;
      emit(edit);
      return current;
    },
    undo() {
      const entry = undoStack.at(-1);
      if (!entry) return null;
      const result = applyEdit(current, entry.inverse);
      undoStack.pop();
      redoStack.push({ edit: entry.edit, inverse: entry.inverse });
      openRun = undefined;
      current = result.workflow;
      emit(entry.inverse);
      return current;
    },
    redo() {
      const entry = redoStack.at(-1);
      if (!entry) return null;
      const result = applyEdit(current, entry.edit);
      redoStack.pop();
      undoStack.push({ edit: entry.edit, inverse: result.inverse });
      openRun = undefined;
      current = result.workflow;
      emit(entry.edit);
      return current;
    },
    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    update({ workflow }) {
      if (workflow === current) return;
      current = workflow;
      undoStack.length = 0;
      redoStack = [];
      openRun = undefined;
    },
    destroy() {
      onChange = undefined;
      undoStack.length = 0;
      redoStack = [];
    },
  };
}
