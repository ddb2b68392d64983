import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { type WorkflowEdit, WorkflowEditError } from './changes.ts';
import { createEditHistory } from './history.ts';

const rename = (label: string): WorkflowEdit => ({ type: 'step/update', id: 'form', patch: { label } });

describe('createEditHistory', () => {
  it('undoes and redoes, reporting every change', () => {
    const changes: Array<[string, string]> = [];
    const history = createEditHistory({
      workflow: fixtureWorkflow(),
      onChange: (w, edit) => changes.push([w.steps[1]?.label ?? '', edit.type]),
    });
    expect(history.canUndo()).toBe(false);
    history.apply(rename('A'));
    history.apply(rename('B'));
    expect(history.undo()?.steps[1]?.label).toBe('A');
    expect(history.canRedo()).toBe(true);
    expect(history.redo()?.steps[1]?.label).toBe('B');
    expect(history.redo()).toBeNull();
    expect(changes.map(([label]) => label)).toEqual(['A', 'B', 'A', 'B']);
  });

  it('a new edit after an undo drops the redo stack', () => {
    const history = createEditHistory({ workflow: fixtureWorkflow() });
    history.apply(rename('A'));
    history.undo();
    history.apply(rename('C'));
    expect(history.canRedo()).toBe(false);
  });

  it('coalesces edits with one key into one undo step, and ends the run at anything else', () => {
    const original = fixtureWorkflow();
    const history = createEditHistory({ workflow: original });
    for (const label of ['K', 'Ki', 'Kio']) history.apply(rename(label), { coalesce: 'label:form' });
    history.apply({ type: 'step/update', id: 'form', patch: { touchMin: 9 } });
    history.apply(rename('Kios'), { coalesce: 'label:form' });
    expect(history.undo()?.steps[1]?.label).toBe('Kio');
    expect(history.undo()?.steps[1]?.touchMin).toBe(4);
    expect(history.undo()).toEqual(original);
    expect(history.canUndo()).toBe(false);
    history.redo();
    expect(history.workflow().steps[1]?.label).toBe('Kio');
  });

  it('a refused edit changes neither the document nor the stacks', () => {
    const history = createEditHistory({ workflow: fixtureWorkflow() });
    history.apply(rename('A'));
    const before = history.workflow();
    expect(() => history.apply({ type: 'step/update', id: 'form', patch: { touchMin: -1 } })).toThrow(
      WorkflowEditError,
    );
    expect(history.workflow()).toBe(before);
    expect(history.undo()?.steps[1]?.label).toBe('Paper intake form');
  });

  it('keeps at most `limit` undo steps', () => {
    const history = createEditHistory({ workflow: fixtureWorkflow(), limit: 2 });
    for (const label of ['A', 'B', 'C']) history.apply(rename(label));
    history.undo();
    history.undo();
    expect(history.canUndo()).toBe(false);
    expect(history.workflow().steps[1]?.label).toBe('A');
  });

  it('update with its own workflow keeps the stacks; another workflow clears them', () => {
    const history = createEditHistory({ workflow: fixtureWorkflow() });
    const produced = history.apply(rename('A'));
    history.update({ workflow: produced });
    expect(history.canUndo()).toBe(true);
    const fromElsewhere: Workflow = { ...produced, name: 'Changed in another tab' };
    history.update({ workflow: fromElsewhere });
    expect(history.canUndo()).toBe(false);
    expect(history.workflow()).toBe(fromElsewhere);
  });

  it('stops reporting after destroy', () => {
    let calls = 0;
    const history = createEditHistory({ workflow: fixtureWorkflow(), onChange: () => calls++ });
    history.destroy();
    history.apply(rename('A'));
    expect(calls).toBe(0);
  });
});
