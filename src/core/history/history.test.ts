import { describe, expect, it } from 'vitest';
import { createHistory, HISTORY_LIMIT, type HistoryModel } from './history.ts';
import { batchingModel, stampingModel, type ToyDoc, type ToyEdit, ToyRefused } from './testing/toyModel.ts';

const start: ToyDoc = { rev: 4, cells: ['a', 'b', 'c'] };
const set = (at: number, text: string): ToyEdit => ({ type: 'set', at, text });

/** The two ways the editors use the engine; every case below holds for both. */
const variants: Array<{ name: string; model: (doc: ToyDoc) => HistoryModel<ToyDoc, ToyEdit> }> = [
  { name: 'batching runs (workflow editor)', model: () => batchingModel() },
  { name: 'stamping versions (mapping editor)', model: stampingModel },
];

function open(model: (doc: ToyDoc) => HistoryModel<ToyDoc, ToyEdit>, doc = start, limit?: number) {
  const reported: Array<{ cells: string; edit: ToyEdit }> = [];
  const history = createHistory({
    document: doc,
    model: model(doc),
    limit,
    onChange: (d, edit) => reported.push({ cells: d.cells.join(''), edit }),
  });
  return { history, reported, cells: () => history.document().cells.join('') };
}

/** One action on the history: an edit (with a coalescing key or none), an undo or a redo. */
type Action = ['set', number, string, string?] | ['undo'] | ['redo'];

function play(history: ReturnType<typeof open>['history'], actions: Action[]) {
  for (const action of actions) {
    if (action[0] === 'set') history.apply(set(action[1], action[2]), { coalesce: action[3] });
    else if (action[0] === 'undo') history.undo();
    else history.redo();
  }
}

/**
 * Runs of one key edit one place, as the editors' keys do (a label, a pattern): the stamping model
 * keeps a run as its last edit, which holds only then.
 */
// biome-ignore format: one line per case keeps the table readable
const runs: Array<{ name: string; actions: Action[]; undone: string[] }> = [
  { name: 'edits without a key are a step each', actions: [['set', 0, 'x'], ['set', 0, 'y']], undone: ['xbc', 'abc'] },
  { name: 'a run with one key is one step', actions: [['set', 0, 'K', 'k'], ['set', 0, 'Ki', 'k'], ['set', 0, 'Kio', 'k']], undone: ['abc'] },
  { name: 'an edit without a key ends the run', actions: [['set', 0, 'K', 'k'], ['set', 1, 'z'], ['set', 0, 'Ki', 'k']], undone: ['Kzc', 'Kbc', 'abc'] },
  { name: 'another key starts another run', actions: [['set', 0, 'K', 'k'], ['set', 1, 'z', 'j'], ['set', 1, 'zz', 'j']], undone: ['Kbc', 'abc'] },
  { name: 'an undo ends the run', actions: [['set', 0, 'K', 'k'], ['set', 0, 'Ki', 'k'], ['undo'], ['set', 0, 'Ko', 'k'], ['set', 0, 'Kok', 'k']], undone: ['abc'] },
  { name: 'an undo ends the run, with an older step beneath it', actions: [['set', 0, 'x'], ['set', 1, 'K', 'k'], ['undo'], ['set', 1, 'Ki', 'k']], undone: ['xbc', 'abc'] },
  { name: 'a redo ends the run', actions: [['set', 0, 'K', 'k'], ['undo'], ['redo'], ['set', 0, 'Ki', 'k']], undone: ['Kbc', 'abc'] },
];

describe.each(variants)('createHistory, $name', ({ model }) => {
  it('undoes and redoes, reporting every change with the edit applied', () => {
    const { history, reported, cells } = open(model);
    expect([history.canUndo(), history.canRedo()]).toEqual([false, false]);
    history.apply(set(0, 'x'));
    history.apply(set(1, 'y'));
    expect(history.undo()?.cells).toEqual(['x', 'b', 'c']);
    expect(history.canRedo()).toBe(true);
    expect(history.redo()?.cells).toEqual(['x', 'y', 'c']);
    expect(history.redo()).toBeNull();
    expect(cells()).toBe('xyc');
    expect(reported.map((r) => r.cells)).toEqual(['xbc', 'xyc', 'xbc', 'xyc']);
    // the undo reports the inverse it applied; the redo, what brings the edit back
    expect(reported[2]?.edit).toEqual({ type: 'set', at: 1, text: 'b' });
  });

  it('has nothing to undo or redo at the start', () => {
    const { history, reported } = open(model);
    expect(history.undo()).toBeNull();
    expect(history.redo()).toBeNull();
    expect(history.document()).toBe(start);
    expect(reported).toEqual([]);
  });

  it('drops the redo stack at a new edit', () => {
    const { history } = open(model);
    history.apply(set(0, 'x'));
    history.undo();
    history.apply(set(0, 'z'));
    expect(history.canRedo()).toBe(false);
  });

  it.each(runs)('coalescing: $name', ({ actions, undone }) => {
    const { history, cells } = open(model);
    play(history, actions);
    const final = cells();
    const seen: string[] = [];
    while (history.canUndo()) {
      history.undo();
      seen.push(cells());
    }
    expect(seen).toEqual(undone);
    while (history.canRedo()) history.redo();
    expect(cells()).toBe(final);
  });

  it('a refused edit changes neither the document nor the stacks, and is not reported', () => {
    const { history, reported } = open(model);
    history.apply(set(0, 'x'), { coalesce: 'k' });
    history.undo();
    history.redo();
    const before = history.document();
    expect(() => history.apply(set(1, 'no!'), { coalesce: 'k' })).toThrow(ToyRefused);
    expect(() => history.apply(set(7, 'y'))).toThrow(ToyRefused);
    expect(history.document()).toBe(before);
    expect(reported).toHaveLength(3);
    expect(history.undo()?.cells).toEqual(['a', 'b', 'c']);
    expect(history.canUndo()).toBe(false);
  });

  it('a refused undo changes nothing and keeps its step', () => {
    const { history } = open(model, { rev: 1, cells: ['a!', 'b', 'c'] });
    const edited = history.apply(set(0, 'x'));
    expect(() => history.undo()).toThrow(ToyRefused);
    expect(history.document()).toBe(edited);
    expect([history.canUndo(), history.canRedo()]).toEqual([true, false]);
  });

  it('a refused undo or redo changes nothing, is not reported, and keeps both stacks', () => {
    // a document refuses only what it holds, so a redo of what it took is refused only by a
    // model told to refuse
    let refuse = false;
    const refusing = (doc: ToyDoc): HistoryModel<ToyDoc, ToyEdit> => {
      const inner = model(doc);
      return {
        ...inner,
        apply: (d, edit) => {
          if (refuse) throw new ToyRefused('refused');
          return inner.apply(d, edit);
        },
      };
    };
    const { history, reported } = open(refusing);
    history.apply(set(0, 'x'));
    history.apply(set(1, 'y'));
    history.undo();
    const before = history.document();
    refuse = true;
    expect(() => history.undo()).toThrow(ToyRefused);
    expect(() => history.redo()).toThrow(ToyRefused);
    expect(history.document()).toBe(before);
    expect([history.canUndo(), history.canRedo()]).toEqual([true, true]);
    expect(reported).toHaveLength(3);
    refuse = false;
    expect(history.redo()?.cells).toEqual(['x', 'y', 'c']);
    expect(history.undo()?.cells).toEqual(['x', 'b', 'c']);
    expect(history.undo()?.cells).toEqual(['a', 'b', 'c']);
  });

  it.each([1, 2, 5])('keeps at most %i undo steps', (limit) => {
    const { history, cells } = open(model, start, limit);
    const texts = ['p', 'q', 'r', 's', 't', 'u', 'v'];
    for (const text of texts) history.apply(set(0, text));
    let undone = 0;
    while (history.undo()) undone++;
    expect(undone).toBe(limit);
    expect(cells()).toBe(`${texts[texts.length - limit - 1]}bc`);
  });

  it(`keeps ${HISTORY_LIMIT} undo steps when no limit is named`, () => {
    const { history } = open(model);
    for (let i = 0; i <= HISTORY_LIMIT; i++) history.apply(set(0, `t${i}`));
    let undone = 0;
    while (history.undo()) undone++;
    expect(undone).toBe(HISTORY_LIMIT);
  });

  it('update with its own document keeps the stacks; another document clears them', () => {
    const { history } = open(model);
    const produced = history.apply(set(0, 'x'), { coalesce: 'k' });
    history.update(produced);
    expect(history.canUndo()).toBe(true);
    const fromElsewhere: ToyDoc = { rev: 20, cells: ['o', 't', 'h'] };
    history.update(fromElsewhere);
    expect([history.canUndo(), history.canRedo()]).toEqual([false, false]);
    expect(history.document()).toBe(fromElsewhere);
    history.apply(set(0, 'xx'), { coalesce: 'k' });
    expect(history.undo()?.cells).toEqual(['o', 't', 'h']);
  });

  it('stops reporting and forgets its steps after destroy', () => {
    const { history, reported } = open(model);
    history.apply(set(0, 'x'));
    history.destroy();
    expect(history.canUndo()).toBe(false);
    history.apply(set(1, 'y'));
    expect(reported).toHaveLength(1);
  });
});

describe('createHistory, what differs between the models', () => {
  it('without `unchanged`, an edit that changes nothing is still a step and is reported', () => {
    const { history, reported } = open(() => batchingModel());
    history.apply(set(0, 'a'));
    expect(history.canUndo()).toBe(true);
    expect(reported).toHaveLength(1);
  });

  it('with `unchanged`, an edit that changes nothing is no step, no report, and keeps redo', () => {
    const { history, reported } = open(stampingModel);
    history.apply(set(0, 'x'));
    history.undo();
    expect(history.apply(set(1, 'b'))).toBe(history.document());
    expect([history.canUndo(), history.canRedo()]).toEqual([false, true]);
    expect(reported).toHaveLength(2);
  });

  it('batching keeps every edit of a run, so a run may edit several places', () => {
    const { history, cells } = open(() => batchingModel());
    play(history, [
      ['set', 0, 'x', 'k'],
      ['set', 1, 'y', 'k'],
    ]);
    expect(history.undo()?.cells).toEqual(['a', 'b', 'c']);
    expect(history.redo()?.cells).toEqual(['x', 'y', 'c']);
    expect(cells()).toBe('xyc');
  });

  it('`settle` stamps every change, undo and redo included, above every revision seen', () => {
    const revs: number[] = [];
    const history = createHistory({
      document: start,
      model: stampingModel(start),
      onChange: (d) => revs.push(d.rev),
    });
    history.apply(set(0, 'x'));
    history.undo();
    history.redo();
    expect(revs).toEqual([5, 6, 7]);
    expect(history.document().rev).toBe(7);
  });

  it('`redoEdit` chooses what redo applies; absent, redo applies the step’s own edit', () => {
    const applied: ToyEdit['type'][] = [];
    for (const model of [batchingModel(), stampingModel(start)]) {
      const history = createHistory({ document: start, model, onChange: (_d, e) => applied.push(e.type) });
      history.apply(set(0, 'x'));
      history.undo();
      history.redo();
    }
    expect(applied).toEqual(['set', 'set', 'set', 'set', 'set', 'replace']);
  });
});
