/**
 * The undo list of each workflow changed in this tab, by the workflow's id: it outlives the
 * editor, so a change made to a workflow elsewhere in the app (the chances measured from a log,
 * set from the go-live check) is one step of the very list the editor's Undo and Ctrl+Z take back.
 * Module state, like the editor's clipboard: a tab has one list per workflow.
 *
 * A list follows the project's copy: whoever uses it first tells it the workflow as stored
 * (`update`), and a workflow it did not produce (changed in another tab, imported, another
 * project's workflow of the same id) clears it. Every change it makes goes to the `save` of the
 * last caller (the one acting now), which stores it in the project.
 */
import { createEditHistory, type EditHistory } from '../../../core/workflow/edit/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';

interface Entry {
  history: EditHistory;
  save: (workflow: Workflow) => void;
}

const entries = new Map<string, Entry>();

/**
 * The undo list of `workflow` (created at first use), its changes sent to `save` from now on.
 * The caller tells it the stored copy (`update` or `rebase`) before acting.
 */
export function workflowHistory(workflow: Workflow, save: (workflow: Workflow) => void): EditHistory {
  const known = entries.get(workflow.id);
  if (known) {
    known.save = save;
    return known.history;
  }
  const entry: Entry = {
    save,
    history: createEditHistory({ workflow, onChange: (next) => entry.save(next) }),
  };
  entries.set(workflow.id, entry);
  return entry.history;
}

/** Forgets every undo list (a project closed and wiped; tests). */
export function forgetWorkflowHistories(): void {
  for (const { history } of entries.values()) history.destroy();
  entries.clear();
}
