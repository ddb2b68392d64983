/**
 * Random sequences of edits, undos and redos through the history engine, under both models the
 * editors use, checked step by step against a plain model of the two stacks (fast-check prints a
 * replayable seed on failure; pin it as a case in history.test.ts):
 * - every undo gives back the content before its step, every redo the content before its undo;
 * - a run of edits with one key is one step, and a limit drops the oldest steps;
 * - a refused edit changes nothing;
 * - undoing everything returns the initial content (while no step was dropped), and redoing
 *   everything returns the newest content reached;
 * - with the stamping model, every change carries a revision above every one before it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHistory, type HistoryModel } from './history.ts';
import { batchingModel, stampingModel, type ToyDoc, type ToyEdit, ToyRefused } from './testing/toyModel.ts';

const start: ToyDoc = { rev: 0, cells: ['a', 'b', 'c'] };

const action = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      // cell 3 is not there: refused
      at: fc.nat(3),
      // `!` is refused; a text a cell already holds changes nothing
      text: fc.constantFrom('a', 'b', 'x', 'y', 'z!'),
      // a run's key names the cell it types in, as the editors' keys do
      run: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constantFrom('undo' as const, 'redo' as const) }), weight: 2 },
);

const variants: Array<{ name: string; model: () => HistoryModel<ToyDoc, ToyEdit>; skipsNoOps: boolean }> = [
  { name: 'batching runs (workflow editor)', model: () => batchingModel(), skipsNoOps: false },
  { name: 'stamping versions (mapping editor)', model: () => stampingModel(start), skipsNoOps: true },
];

describe.each(variants)('history engine properties, $name', ({ model, skipsNoOps }) => {
  it('matches a plain model of the stacks; undo all, then redo all, round-trips', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (actions, limit) => {
        const revs: number[] = [];
        const history = createHistory({
          document: start,
          model: model(),
          limit,
          onChange: (doc) => revs.push(doc.rev),
        });
        const content = () => history.document().cells;
        // the plain model: content before each undo step, content each redo returns to
        let undo: Array<readonly string[]> = [];
        let redo: Array<readonly string[]> = [];
        // the last change of the document: a run goes on only right after an edit of its key
        let last: { kind: 'edit'; key: string | undefined } | { kind: 'undo' | 'redo' } | undefined;
        let dropped = false;

        for (const a of actions) {
          const before = content();
          if (a.kind === 'apply') {
            const key = a.run ? `cell:${a.at}` : undefined;
            const refused = a.at >= before.length || a.text.includes('!');
            if (refused) {
              const doc = history.document();
              expect(() => history.apply({ type: 'set', at: a.at, text: a.text }, { coalesce: key })).toThrow(
                ToyRefused,
              );
              expect(history.document()).toBe(doc);
            } else {
              history.apply({ type: 'set', at: a.at, text: a.text }, { coalesce: key });
              if (!(skipsNoOps && before[a.at] === a.text)) {
                const joins = key !== undefined && last?.kind === 'edit' && last.key === key;
                if (!joins) {
                  undo.push(before);
                  if (undo.length > limit) {
                    undo = undo.slice(1);
                    dropped = true;
                  }
                }
                redo = [];
                last = { kind: 'edit', key };
              }
            }
          } else if (a.kind === 'undo') {
            const expected = undo.pop();
            const result = history.undo();
            if (expected === undefined) expect(result).toBeNull();
            else {
              expect(content()).toEqual(expected);
              redo.push(before);
              last = { kind: 'undo' };
            }
          } else {
            const expected = redo.pop();
            const result = history.redo();
            if (expected === undefined) expect(result).toBeNull();
            else {
              expect(content()).toEqual(expected);
              undo.push(before);
              last = { kind: 'redo' };
            }
          }
          expect([history.canUndo(), history.canRedo()]).toEqual([undo.length > 0, redo.length > 0]);
        }

        // redoing everything reaches the newest content: the first one undone, or this one
        const newest = redo[0] ?? content();
        while (history.canUndo()) history.undo();
        if (!dropped) expect(content()).toEqual(start.cells);
        while (history.canRedo()) history.redo();
        expect(content()).toEqual(newest);
        if (skipsNoOps)
          for (let i = 1; i < revs.length; i++) expect(revs[i]).toBeGreaterThan(revs[i - 1] ?? 0);
      }),
      // a few hundred milliseconds: enough runs to meet an undo between two runs of one key
      { numRuns: 1000 },
    );
  });
});
