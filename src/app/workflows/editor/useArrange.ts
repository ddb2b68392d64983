/**
 * "Arrange automatically": lays the workflow out with elkjs in the layout worker
 * (workers/layoutClient.ts) and applies the positions as one edit (core/workflow/edit/arrange.ts),
 * so one undo puts every step back. A large workflow takes seconds: after {@link SLOW_AFTER_MS}
 * the editor shows that it is working, with a way to stop. The layout is of a snapshot: if the
 * workflow changes while it runs, the result is dropped rather than undoing the user's edit.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { layoutWorkflowInWorker } from '../../../../workers/layoutClient.ts';
import { JobCancelledError } from '../../../core/jobs/errors.ts';
import { arrangeEdit, type WorkflowEdit } from '../../../core/workflow/edit/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { ARRANGE_OPTIONS } from './canvasModel.ts';

/** A layout that has not finished after this long shows as running, with a Stop button. */
const SLOW_AFTER_MS = 300;

/** What the toolbar shows and calls. */
export interface ArrangeState {
  /** a layout is running */
  running: boolean;
  /** it has run for longer than {@link SLOW_AFTER_MS}: show progress and Stop */
  slow: boolean;
  arrange: () => void;
  stop: () => void;
}

/**
 * Owns the running layout of the editor's workflow. `apply` is the editor's (returns a refusal's
 * message or null); `report` puts a sentence in the editor's status line.
 */
export function useArrange(
  workflow: Workflow,
  apply: (edit: WorkflowEdit) => string | null,
  report: (message: string) => void,
  /** arranging ended with the steps arranged: `moved` when it moved any (to show the result whole) */
  onArranged?: (moved: boolean) => void,
): ArrangeState {
  const [running, setRunning] = useState(false);
  const [slow, setSlow] = useState(false);
  const controllerRef = useRef<AbortController | null>(null);
  const latestRef = useRef(workflow);
  latestRef.current = workflow;

  useEffect(() => () => controllerRef.current?.abort(), []);

  const arrange = useCallback(() => {
    if (controllerRef.current) return;
    const snapshot = latestRef.current;
    const controller = new AbortController();
    controllerRef.current = controller;
    setRunning(true);
    const slowTimer = setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    const finish = (message: string) => {
      clearTimeout(slowTimer);
      controllerRef.current = null;
      setRunning(false);
      setSlow(false);
      report(message);
    };
    layoutWorkflowInWorker(snapshot, { ...ARRANGE_OPTIONS, signal: controller.signal }).then(
      (layout) => {
        if (controller.signal.aborted) return;
        if (latestRef.current !== snapshot) {
          finish('The workflow changed while it was being arranged, so nothing was moved. Arrange again.');
          return;
        }
        const edit = arrangeEdit(snapshot, layout);
        if (!edit) {
          onArranged?.(false);
          finish('The steps are already arranged.');
          return;
        }
        const refused = apply(edit);
        if (!refused) onArranged?.(true);
        finish(
          refused ??
            `Arranged the workflow: moved ${plural(edit.type === 'batch' ? edit.edits.length : 1, 'step')}, each kept in its lane. Undo puts them back.`,
        );
      },
      (error: unknown) => {
        finish(
          error instanceof JobCancelledError
            ? 'Arranging stopped. Nothing was moved.'
            : 'The steps could not be arranged automatically. Nothing was moved; try again, or move them by hand.',
        );
      },
    );
  }, [apply, report, onArranged]);

  const stop = useCallback(() => controllerRef.current?.abort(), []);

  return { running, slow, arrange, stop };
}
