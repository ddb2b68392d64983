/**
 * The surface of the undo/redo engine the editors share (docs/conventions.md#module-surfaces):
 * outside `src/core/history`, import only this file.
 */
export { createHistory, HISTORY_LIMIT, type HistoryModel } from './history.ts';
