/**
 * Undo/redo over mapping edits (a plain engine, `createMappingHistory(params) → { … }`, owned by one
 * hook in the mapping editor), the same engine shape as the workflow editor's
 * (src/core/workflow/edit/history.ts). Every change of the document — an edit, an undo, a redo —
 * goes out through `onChange`, where the editor turns it into one `mapping/put` project change.
 *
 * Constraints:
 * - Pure engine: no DOM, no timers. Typing is coalesced by an explicit key, never by time.
 * - A refused edit throws `MappingEditError` and changes nothing (neither document nor stacks).
 * - `version` ("increases with every change; review records cite it"): every document the history
 *   hands out — after an edit, an undo or a redo — carries a version above every version seen so
 *   far. An undo restores the content, never an old version number, so two different contents
 *   never share a version. Content comparisons (tests, "is this unchanged") ignore it.
 * - A document replaced from outside (another tab, an import) clears both stacks: `update`.
 */
import type { Mapping } from '../../formats/mapping.ts';
import { applyMappingEdit, type MappingEdit } from './edit.ts';

/** Most undo steps kept; older ones are dropped. */
export const MAPPING_HISTORY_LIMIT = 200;

/** Parameters of {@link createMappingHistory}. */
export interface MappingHistoryParams {
  mapping: Mapping;
  /** called after every change of the document with the edit applied (undo: the inverse) */
  onChange?: (mapping: Mapping, edit: MappingEdit) => void;
  limit?: number;
}

/** Options of one `apply`. */
export interface MappingApplyOptions {
  /** edits in a row with the same key become one undo step (typing a pattern letter by letter) */
  coalesce?: string;
}

/** The history engine. */
export interface MappingHistory {
  mapping(): Mapping;
  /** @throws MappingEditError (nothing changes then) */
  apply(edit: MappingEdit, options?: MappingApplyOptions): Mapping;
  undo(): Mapping | null;
  redo(): Mapping | null;
  canUndo(): boolean;
  canRedo(): boolean;
  /** the document as stored now: the one this history produced changes nothing; any other resets */
  update(params: { mapping: Mapping }): void;
  destroy(): void;
}

interface Entry {
  edit: MappingEdit;
  inverse: MappingEdit;
}

/** Creates an undo/redo history over `params.mapping`. */
export function createMappingHistory(params: MappingHistoryParams): MappingHistory {
  let current = params.mapping;
  let topVersion = current.version;
  const limit = Math.max(1, params.limit ?? MAPPING_HISTORY_LIMIT);
  let onChange = params.onChange;
  const undoStack: Entry[] = [];
  let redoStack: Entry[] = [];
  let openRun: string | undefined;

  /** the next document, with a version above every one handed out */
  const stamp = (next: Mapping): Mapping => {
    topVersion = Math.max(topVersion, next.version) + 1;
    return { ...next, version: topVersion };
  };

  return {
    mapping: () => current,
    apply(edit, options = {}) {
      const result = applyMappingEdit(current, edit);
      if (result.mapping === current) return current;
      const last = undoStack.at(-1);
      if (options.coalesce !== undefined && options.coalesce === openRun && last) {
        // one undo step for the run: its inverse still restores what was before the run
        last.edit = edit;
      } else {
        undoStack.push({ edit, inverse: result.inverse });
        if (undoStack.length > limit) undoStack.shift();
      }
      openRun = options.coalesce;
      redoStack = [];
      current = stamp(result.mapping);
      onChange?.(current, edit);
      return current;
    },
    undo() {
      const entry = undoStack.pop();
      if (!entry) return null;
      const result = applyMappingEdit(current, entry.inverse);
      redoStack.push({ edit: { type: 'mapping/replace', mapping: current }, inverse: entry.inverse });
      openRun = undefined;
      current = stamp(result.mapping);
      onChange?.(current, entry.inverse);
      return current;
    },
    redo() {
      const entry = redoStack.pop();
      if (!entry) return null;
      const result = applyMappingEdit(current, entry.edit);
      undoStack.push({ edit: entry.edit, inverse: result.inverse });
      openRun = undefined;
      current = stamp(result.mapping);
      onChange?.(current, entry.edit);
      return current;
    },
    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    update({ mapping }) {
      if (mapping === current) return;
      current = mapping;
      topVersion = Math.max(topVersion, mapping.version);
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
