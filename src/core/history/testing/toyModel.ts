/**
 * A small document and its edits for the history engine's tests: a row of text cells with a
 * revision number. The two models over it are the two ways the editors use the engine — the
 * workflow editor's (a typing run becomes one batch of all its edits) and the mapping editor's
 * (a revision stamp, no step for an edit that changes nothing, a run kept as its last edit, redo
 * as a replace of the content the undo left) — so one table of cases runs against both.
 */
import type { HistoryModel } from '../index.ts';

/** The document: cells of text, and a revision the stamping model raises on every change. */
export interface ToyDoc {
  rev: number;
  cells: readonly string[];
}

/** An edit of a {@link ToyDoc}. */
export type ToyEdit =
  | { type: 'set'; at: number; text: string }
  | { type: 'batch'; edits: ToyEdit[] }
  | { type: 'replace'; cells: readonly string[] };

/** Thrown for an edit the document refuses: a cell that is not there, or text with a `!`. */
export class ToyRefused extends Error {}

/** Applies an edit; a `set` to the text the cell already holds returns the very same document. */
function applyToy(doc: ToyDoc, edit: ToyEdit): { document: ToyDoc; inverse: ToyEdit } {
  switch (edit.type) {
    case 'set': {
      const old = doc.cells[edit.at];
      if (old === undefined || edit.text.includes('!')) throw new ToyRefused(`cell ${edit.at} refused`);
      if (old === edit.text) return { document: doc, inverse: edit };
      const cells = doc.cells.map((cell, i) => (i === edit.at ? edit.text : cell));
      return { document: { ...doc, cells }, inverse: { type: 'set', at: edit.at, text: old } };
    }
    case 'batch': {
      let document = doc;
      const inverses: ToyEdit[] = [];
      for (const each of edit.edits) {
        const result = applyToy(document, each);
        document = result.document;
        inverses.unshift(result.inverse);
      }
      return { document, inverse: { type: 'batch', edits: inverses } };
    }
    case 'replace':
      return { document: { ...doc, cells: edit.cells }, inverse: { type: 'replace', cells: doc.cells } };
  }
}

/** The workflow editor's way: every edit is a step; a typing run is one batch of all its edits. */
export function batchingModel(): HistoryModel<ToyDoc, ToyEdit> {
  return {
    apply: applyToy,
    coalesce: (run, next) => ({
      edit: { type: 'batch', edits: [run.edit, next.edit] },
      inverse: { type: 'batch', edits: [next.inverse, run.inverse] },
    }),
  };
}

/** The mapping editor's way: revision stamps, no-op edits ignored, runs kept as their last edit. */
export function stampingModel(start: ToyDoc): HistoryModel<ToyDoc, ToyEdit> {
  let top = start.rev;
  return {
    apply: applyToy,
    unchanged: (before, after) => before === after,
    coalesce: (run, next) => ({ edit: next.edit, inverse: run.inverse }),
    redoEdit: (_step, before) => ({ type: 'replace', cells: before.cells }),
    settle(next) {
      top = Math.max(top, next.rev) + 1;
      return { ...next, rev: top };
    },
  };
}
