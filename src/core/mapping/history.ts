/**
 * Undo/redo over mapping edits (`createMappingHistory(params) → { … }`, owned by one hook in the
 * mapping editor): the shared engine of `src/core/history` with what is the mapping's own — a
 * version stamp, no step for an edit that changes nothing, a typing run kept as its last edit, and
 * redo as a replace of the content the undo left. Every change of the document — an edit, an undo,
 * a redo — goes out through `onChange`, where the editor turns it into one `mapping/put` project
 * change.
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
import { createHistory, HISTORY_LIMIT, type HistoryModel } from '../history/index.ts';
import { applyMappingEdit, type MappingEdit } from './edit.ts';

/** Most undo steps kept; older ones are dropped. */
const MAPPING_HISTORY_LIMIT = HISTORY_LIMIT;

/** Parameters of {@link createMappingHistory}. */
interface MappingHistoryParams {
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

/** Creates an undo/redo history over `params.mapping`. */
export function createMappingHistory(params: MappingHistoryParams): MappingHistory {
  let topVersion = params.mapping.version;
  const model: HistoryModel<Mapping, MappingEdit> = {
    apply(mapping, edit) {
      const result = applyMappingEdit(mapping, edit);
      return { document: result.mapping, inverse: result.inverse };
    },
    // an edit that changes nothing is no undo step and no save
    unchanged: (before, after) => before === after,
    // a run of typing keeps the inverse of its first edit; its last edit alone gives its content
    coalesce: (run, next) => ({ edit: next.edit, inverse: run.inverse }),
    // redo restores the very content the undo left
    redoEdit: (_step, before) => ({ type: 'mapping/replace', mapping: before }),
    // every document handed out carries a version above every one seen so far
    settle(next) {
      topVersion = Math.max(topVersion, next.version) + 1;
      return { ...next, version: topVersion };
    },
  };
  const history = createHistory({
    document: params.mapping,
    model,
    onChange: params.onChange,
    limit: params.limit ?? MAPPING_HISTORY_LIMIT,
  });
  const { document, update, ...rest } = history;
  return {
    ...rest,
    mapping: document,
    update({ mapping }) {
      topVersion = Math.max(topVersion, mapping.version);
      update(mapping);
    },
  };
}
