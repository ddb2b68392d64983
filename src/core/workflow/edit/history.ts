/**
 * Undo/redo over workflow edits (`createEditHistory(params) → { … }`, owned by one hook in the
 * editor): the shared engine of `src/core/history` over workflows, where a run of typing becomes
 * one `batch` step of all its edits. The history holds the workflow being edited and two stacks of
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
import { createHistory, HISTORY_LIMIT, type HistoryModel } from '../../history/index.ts';
import { applyEdit, type WorkflowEdit } from './changes.ts';

/** Most undo steps kept; older ones are dropped (an analyst's session rarely needs more). */
const DEFAULT_HISTORY_LIMIT = HISTORY_LIMIT;

/** Parameters of {@link createEditHistory}. */
interface EditHistoryParams {
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
  /**
   * Tells the history the workflow as stored now, changed by others' edits (a shared workflow):
   * the undo and redo lists are kept, each step's edits passed through `own` (what of them is
   * still the person's; null: nothing), a step left with nothing to undo (or redo) dropped.
   */
  rebase(params: { workflow: Workflow; own: (edit: WorkflowEdit) => WorkflowEdit | null }): void;
  destroy(): void;
}

const model: HistoryModel<Workflow, WorkflowEdit> = {
  apply(workflow, edit) {
    const result = applyEdit(workflow, edit);
    return { document: result.workflow, inverse: result.inverse };
  },
  // one undo step for the run: redo re-applies every edit of it, undo restores what was before it
  coalesce: (run, next) => ({
    edit: { type: 'batch', edits: [run.edit, next.edit] },
    inverse: { type: 'batch', edits: [next.inverse, run.inverse] },
  }),
};

/** Creates an undo/redo history over `params.workflow`. */
export function createEditHistory(params: EditHistoryParams): EditHistory {
  const history = createHistory({
    document: params.workflow,
    model,
    onChange: params.onChange,
    limit: params.limit ?? DEFAULT_HISTORY_LIMIT,
  });
  const { document, update, rebase, ...rest } = history;
  const nothing: WorkflowEdit = { type: 'batch', edits: [] };
  return {
    ...rest,
    workflow: document,
    update: ({ workflow }) => update(workflow),
    rebase: ({ workflow, own }) =>
      rebase(workflow, (step, stack) => {
        const edit = own(step.edit);
        const inverse = own(step.inverse);
        // undo applies the inverse, redo the edit: a step without it has nothing left to do
        if ((stack === 'undo' ? inverse : edit) === null) return null;
        return { edit: edit ?? nothing, inverse: inverse ?? nothing };
      }),
  };
}
