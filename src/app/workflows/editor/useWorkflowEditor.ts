import { useCallback, useRef, useState } from 'react';
import type { ProjectChange } from '../../../core/project/changes.ts';
import {
  type ApplyOptions,
  type EditHistory,
  type WorkflowEdit,
  WorkflowEditError,
} from '../../../core/workflow/edit/index.ts';
import { diffWorkflows, ownPartOf } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { undoMessage } from './undoWords.ts';
import { workflowHistory } from './workflowHistories.ts';

/** What the editor renders from and calls. */
export interface WorkflowEditorState {
  workflow: Workflow;
  /** applies an edit; returns the refusal's message, or null when it applied */
  apply: (edit: WorkflowEdit, options?: ApplyOptions) => string | null;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

/** Applies `edit` to `history`; returns the refusal's message, or null when it applied. */
export function applyOrRefuse(
  history: EditHistory,
  edit: WorkflowEdit,
  options?: ApplyOptions,
): string | null {
  try {
    history.apply(edit, options);
    return null;
  } catch (error) {
    if (error instanceof WorkflowEditError) return error.message;
    throw error;
  }
}

/**
 * Drives the undo list of one workflow (`workflowHistory`: kept for the tab, so a change made
 * outside the editor is undone here too). Every change of the document — edit, undo,
 * redo — becomes one `workflow/put` project change, so it goes through the project's ordinary
 * autosave. A workflow changed from outside (another tab, an import) resets the history.
 * `announce`, when given, hears what each undo and redo did (or that there was nothing to undo),
 * for the editor's status line: the message of the edit undone must not stay there.
 */
export function useWorkflowEditor(
  workflow: Workflow,
  dispatch: (change: ProjectChange) => void,
  announce?: (message: string) => void,
  options: {
    /**
     * when given, the workflow is only looked at: every edit, undo and redo is refused with these
     * words (a shared workflow the person's role may not change)
     */
    readOnly?: string;
    /**
     * others edit this workflow at the same time (a shared workflow): their edits arriving keep
     * the undo list, reduced to what is still the person's own, instead of clearing it
     */
    othersEdit?: boolean;
  } = {},
): WorkflowEditorState {
  const { readOnly, othersEdit = false } = options;
  const announceRef = useRef(announce);
  announceRef.current = announce;
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const [, setVersion] = useState(0);
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;
  const saveRef = useRef((next: Workflow) => {
    dispatchRef.current({ type: 'workflow/put', workflow: next });
    setVersion((v) => v + 1);
  });
  const seenRef = useRef<Workflow | null>(null);

  // the workflow's undo list in this tab, which a change made outside the editor also joins;
  // taken during render, not in an effect: it holds no resources, and StrictMode's simulated
  // unmount must not leave callbacks bound to a list the editor no longer saves from
  const history = workflowHistory(workflow, saveRef.current);

  // The project's copy is the one the history produced, unless something else replaced it (another
  // tab, a team member's edit heard from the team server). Told during render, not in an effect:
  // this render must show the workflow it was given, and an effect's update re-renders nothing, so
  // the screen kept the old workflow until something else happened to draw it again. Telling the
  // history the workflow it handed out changes nothing, so a render React repeats or drops is safe.
  if (seenRef.current !== workflow) {
    seenRef.current = workflow;
    const before = history.workflow();
    if (othersEdit && before !== workflow && before.id === workflow.id) {
      // what others changed since; undo and redo keep only what is still the person's own
      const since = diffWorkflows(before, workflow);
      history.rebase({ workflow, own: (edit) => ownPartOf(edit, since) });
    } else history.update({ workflow });
  }

  const apply = useCallback(
    (edit: WorkflowEdit, options?: ApplyOptions): string | null =>
      readOnlyRef.current ?? applyOrRefuse(history, edit, options),
    [history],
  );
  const undo = useCallback(() => {
    if (readOnlyRef.current !== undefined) {
      announceRef.current?.(readOnlyRef.current);
      return;
    }
    const before = history.workflow();
    try {
      const after = history.undo();
      announceRef.current?.(after ? undoMessage('undo', before, after) : 'Nothing to undo.');
    } catch (error) {
      // others' edits can leave an undo that no longer fits (a shared workflow): said, not thrown
      if (!(error instanceof WorkflowEditError)) throw error;
      announceRef.current?.(`Cannot undo: ${error.message}`);
    }
  }, [history]);
  const redo = useCallback(() => {
    if (readOnlyRef.current !== undefined) {
      announceRef.current?.(readOnlyRef.current);
      return;
    }
    const before = history.workflow();
    try {
      const after = history.redo();
      announceRef.current?.(after ? undoMessage('redo', before, after) : 'Nothing to redo.');
    } catch (error) {
      if (!(error instanceof WorkflowEditError)) throw error;
      announceRef.current?.(`Cannot redo: ${error.message}`);
    }
  }, [history]);

  return {
    workflow: history.workflow(),
    apply,
    undo,
    redo,
    canUndo: history.canUndo(),
    canRedo: history.canRedo(),
  };
}
