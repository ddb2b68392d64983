import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createMappingHistory,
  type MappingApplyOptions,
  type MappingEdit,
  MappingEditError,
  type MappingHistory,
} from '../../core/mapping/index.ts';
import type { Mapping } from '../../formats/mapping.ts';

/** What the mapping editor renders from and calls. */
interface MappingEditorState {
  mapping: Mapping;
  /** applies an edit; returns the refusal's message, or null when it applied */
  apply: (edit: MappingEdit, options?: MappingApplyOptions) => string | null;
  /** undoes the last step; returns why it could not, or null (nothing to undo is null too) */
  undo: () => string | null;
  /** redoes the last undone step; returns why it could not, or null */
  redo: () => string | null;
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * Runs `step` (an edit, an undo, a redo) on the history: a refusal comes back as its message and
 * leaves the history as it was, its step still there to try again; any other error is thrown.
 */
function refusalOf(step: () => unknown): string | null {
  try {
    step();
    return null;
  } catch (error) {
    if (error instanceof MappingEditError) return error.message;
    throw error;
  }
}

/**
 * Undoes the last step of `history`; returns why it could not, in words for the form, or null.
 * The mapping an undo brings back passes the same checks as an edit's, so a mapping stored before
 * they held can refuse it.
 */
export function undoStep(history: MappingHistory): string | null {
  const refused = refusalOf(() => history.undo());
  return refused && `Undo would bring back a mapping that is not valid. ${refused}`;
}

/** Redoes the last undone step of `history`; returns why it could not, or null. */
export function redoStep(history: MappingHistory): string | null {
  const refused = refusalOf(() => history.redo());
  return refused && `Redo would bring back a mapping that is not valid. ${refused}`;
}

/**
 * Owns the edit history engine of one mapping (its only owner). Every change — edit, undo, redo — goes to
 * `save` (one `mapping/put` project change: the project's ordinary autosave). A mapping changed
 * from outside (another tab, an import) resets the history.
 *
 * `copyFirst`: when given, the next edit goes to the copy it returns (another id and name) instead
 * of `mapping`: the history moves to the copy before the edit, so Undo takes the copy back to what
 * was copied and never touches the mapping it was copied from.
 */
export function useMappingEditor(
  mapping: Mapping,
  save: (mapping: Mapping) => void,
  copyFirst?: (() => Mapping | undefined) | undefined,
): MappingEditorState {
  const [, setVersion] = useState(0);
  const saveRef = useRef(save);
  saveRef.current = save;
  const historyRef = useRef<MappingHistory | null>(null);
  const idRef = useRef<string | null>(null);

  // created during render, as the workflow editor's: the history holds no resources
  if (historyRef.current === null || idRef.current !== mapping.id) {
    historyRef.current?.destroy();
    idRef.current = mapping.id;
    historyRef.current = createMappingHistory({
      mapping,
      onChange: (next) => {
        saveRef.current(next);
        setVersion((v) => v + 1);
      },
    });
  }
  const history = historyRef.current;

  useEffect(() => {
    if (history.mapping() === mapping) return;
    history.update({ mapping });
    setVersion((v) => v + 1);
  }, [history, mapping]);

  const copyRef = useRef(copyFirst);
  copyRef.current = copyFirst;
  const apply = useCallback(
    (edit: MappingEdit, options?: MappingApplyOptions): string | null =>
      refusalOf(() => {
        const from = history.mapping();
        const copy = copyRef.current?.();
        let applied = edit;
        if (copy) {
          idRef.current = copy.id;
          history.update({ mapping: copy });
          // the whole document given again (its JSON edited) keeps going to the copy
          if (edit.type === 'mapping/replace' && edit.mapping.id === from.id)
            applied = {
              ...edit,
              mapping: {
                ...edit.mapping,
                id: copy.id,
                name: edit.mapping.name === from.name ? copy.name : edit.mapping.name,
              },
            };
        }
        history.apply(applied, options);
      }),
    [history],
  );
  const undo = useCallback(() => undoStep(history), [history]);
  const redo = useCallback(() => redoStep(history), [history]);

  return {
    mapping: history.mapping(),
    apply,
    undo,
    redo,
    canUndo: history.canUndo(),
    canRedo: history.canRedo(),
  };
}
