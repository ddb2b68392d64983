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
export interface MappingEditorState {
  mapping: Mapping;
  /** applies an edit; returns the refusal's message, or null when it applied */
  apply: (edit: MappingEdit, options?: MappingApplyOptions) => string | null;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * Owns the edit history engine of one mapping (its only owner). Every change — edit, undo, redo — goes to
 * `save` (one `mapping/put` project change: the project's ordinary autosave). A mapping changed
 * from outside (another tab, an import) resets the history.
 */
export function useMappingEditor(mapping: Mapping, save: (mapping: Mapping) => void): MappingEditorState {
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

  const apply = useCallback(
    (edit: MappingEdit, options?: MappingApplyOptions): string | null => {
      try {
        history.apply(edit, options);
        return null;
      } catch (error) {
        if (error instanceof MappingEditError) return error.message;
        throw error;
      }
    },
    [history],
  );
  const undo = useCallback(() => {
    history.undo();
  }, [history]);
  const redo = useCallback(() => {
    history.redo();
  }, [history]);

  return {
    mapping: history.mapping(),
    apply,
    undo,
    redo,
    canUndo: history.canUndo(),
    canRedo: history.canRedo(),
  };
}
