/**
 * The editor store's actions over a real edit history: what each makes of the workflow, what it
 * selects and what the status line says — without a page.
 */
import { describe, expect, it, vi } from 'vitest';
import { createEditHistory } from '../../../core/workflow/edit/index.ts';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas } from './canvasModel.ts';
import { createEditorStore, type EditorStore, MOVE_SAID_AFTER_MS, PASTE_OFFSET } from './editorStore.ts';
import { flowKey, NOTHING_SELECTED, type Selection } from './selection.ts';
import { applyOrRefuse } from './useWorkflowEditor.ts';

/** A store over an edit history of `workflow`; `workflow()` is the document as edited. */
function editing(workflow: Workflow = fixtureWorkflow(), idTag?: string) {
  const history = createEditHistory({ workflow });
  const store = createEditorStore(
    () => {
      const now = history.workflow();
      return {
        workflow: now,
        layout: layoutCanvas(now),
        apply: (edit, options) => applyOrRefuse(history, edit, options),
      };
    },
    idTag === undefined ? {} : { idTag },
  );
  return { store, history, workflow: () => history.workflow() };
}

const stepIds = (w: Workflow) => w.steps.map((s) => s.id);
const flowsOf = (w: Workflow) => w.flows.map((f) => `${f.from}>${f.to}`);

describe('the editor store', () => {
  const cases: {
    action: string;
    run: (store: EditorStore) => unknown;
    /** what the workflow is then (steps and flows), when it changed */
    steps?: string[];
    flows?: string[];
    selected: Selection;
    /** the workflow is left as it was */
    same?: true;
    message: string;
    returns?: unknown;
  }[] = [
    {
      action: 'adds a step to a lane and selects it',
      run: (s) => s.addStep('task', 'nurse', ' Check the allergies '),
      steps: ['arrive', 'form', 'insured', 'scan-card', 'vitals', 'roomed', 'check-the-allergies'],
      selected: { steps: ['check-the-allergies'], flows: [], lane: null },
      message: 'Added task “Check the allergies” to Nurse.',
      returns: true,
    },
    {
      action: 'names an unlabelled step after its kind',
      run: (s) => s.addStep('approval', 'desk', '  '),
      selected: { steps: ['new-approval'], flows: [], lane: null },
      message: 'Added approval “New approval” to Front desk.',
      returns: true,
    },
    {
      action: 'adds a lane and selects it',
      run: (s) => s.addLane('Triage nurse', 3),
      selected: { steps: [], flows: [], lane: 'triage-nurse' },
      message: 'Added lane “Triage nurse”.',
      returns: 'triage-nurse',
    },
    {
      action: 'removes a step with its flows, not its flows twice',
      run: (s) => {
        s.select({ steps: ['scan-card'], flows: [flowKey('insured', 'scan-card')], lane: null });
        return s.removeSelection();
      },
      steps: ['arrive', 'form', 'insured', 'vitals', 'roomed'],
      flows: ['arrive>form', 'form>insured', 'insured>vitals', 'vitals>roomed'],
      selected: NOTHING_SELECTED,
      message: 'Removed. Undo brings it back.',
      returns: true,
    },
    {
      action: 'removes a flow and a step apart from it, in one go',
      run: (s) => {
        s.select({ steps: ['roomed'], flows: [flowKey('arrive', 'form')], lane: null });
        return s.removeSelection();
      },
      flows: ['form>insured', 'insured>scan-card', 'insured>vitals', 'scan-card>vitals'],
      selected: NOTHING_SELECTED,
      message: 'Removed 2 items. Undo brings them back.',
      returns: true,
    },
    {
      action: 'removes the selected lane when no step or flow is selected',
      run: (s) => {
        s.select({ steps: [], flows: [], lane: 'nurse' });
        return s.removeSelection();
      },
      steps: ['arrive', 'form', 'insured', 'scan-card'],
      selected: NOTHING_SELECTED,
      message: 'Removed. Undo brings it back.',
      returns: true,
    },
    {
      action: 'removes nothing when nothing is selected',
      same: true,
      run: (s) => s.removeSelection(),
      selected: NOTHING_SELECTED,
      message: '',
      returns: false,
    },
    {
      action: 'connects two steps and selects the first',
      run: (s) => {
        s.openStepDialog('connect', 'arrive');
        return s.connect('arrive', 'roomed');
      },
      flows: [
        'arrive>form',
        'form>insured',
        'insured>scan-card',
        'insured>vitals',
        'scan-card>vitals',
        'vitals>roomed',
        'arrive>roomed',
      ],
      selected: { steps: ['arrive'], flows: [], lane: null },
      message: 'Connected “Patient arrives” to “Patient roomed”.',
      returns: true,
    },
    {
      action: 'refuses a second flow between the same steps',
      same: true,
      run: (s) => s.connect('arrive', 'form'),
      selected: NOTHING_SELECTED,
      message: expect.stringMatching(/\S/) as unknown as string,
      returns: false,
    },
    {
      action: 'adds a step after another, connected from it, in the lane chosen',
      run: (s) => s.appendAfter('vitals', { kind: 'task', lane: 'desk', label: 'Book a follow-up' }),
      selected: { steps: ['book-a-follow-up'], flows: [], lane: null },
      message: 'Added task “Book a follow-up” to Front desk after “Take vitals”.',
      returns: 'book-a-follow-up',
    },
    {
      action: 'goes to the next step along a flow',
      same: true,
      run: (s) => s.neighbour('arrive', 'right'),
      selected: { steps: ['form'], flows: [], lane: null },
      message: '',
      returns: 'form',
    },
    {
      action: 'says when nothing comes before a step',
      same: true,
      run: (s) => s.neighbour('arrive', 'left'),
      selected: NOTHING_SELECTED,
      message: 'Nothing comes before “Patient arrives”.',
      returns: null,
    },
    {
      action: 'moves a step to the lane below',
      run: (s) => {
        s.select({ steps: ['form'], flows: [], lane: null });
        s.moveSelectedLane('down');
      },
      selected: { steps: ['form'], flows: [], lane: null },
      message: 'Moved “Paper intake form” to Nurse.',
    },
    {
      action: 'says a step in the bottom lane cannot go lower',
      same: true,
      run: (s) => {
        s.select({ steps: ['vitals'], flows: [], lane: null });
        s.moveSelectedLane('down');
      },
      selected: { steps: ['vitals'], flows: [], lane: null },
      message: '“Take vitals” is in the bottom lane already.',
    },
    {
      action: 'selects all steps',
      same: true,
      run: (s) => s.selectAllSteps(),
      selected: {
        steps: ['arrive', 'form', 'insured', 'scan-card', 'vitals', 'roomed'],
        flows: [],
        lane: null,
      },
      message: 'Selected all 6 steps.',
    },
    {
      action: 'selects the flow whose finding mark was chosen',
      same: true,
      run: (s) => s.showMarkedFindings({ kind: 'flow', from: 'form', to: 'insured' }),
      selected: { steps: [], flows: [flowKey('form', 'insured')], lane: null },
      message: '',
    },
    {
      action: "selects a finding's steps of this workflow and returns them as laid out",
      same: true,
      run: (s) => s.selectFindingSteps('w1', ['vitals', 'gone'])?.map((p) => p.step.id),
      selected: { steps: ['vitals'], flows: [], lane: null },
      message: '',
      returns: ['vitals'],
    },
  ];

  it.each(cases)('$action', ({ run, steps, flows, selected, message, returns, same }) => {
    const { store, workflow } = editing();
    const before = workflow();
    const result = run(store);
    if (returns !== undefined) expect(result).toEqual(returns);
    if (same) expect(workflow()).toBe(before);
    else expect(workflow()).not.toBe(before);
    if (steps) expect(stepIds(workflow())).toEqual(steps);
    if (flows) expect(flowsOf(workflow())).toEqual(flows);
    expect(store.get().selection).toEqual(selected);
    expect(store.get().message).toEqual(message);
  });

  it('copies and pastes steps with the flows among them, offset, under new names', () => {
    const { store, workflow } = editing();
    store.select({ steps: ['insured', 'scan-card'], flows: [], lane: null });
    store.copy();
    expect(store.get().message).toBe('Copied 2 steps.');
    store.paste();
    const pasted = workflow().steps.slice(-2);
    expect(pasted.map((s) => s.id)).toEqual(['insured-2', 'scan-card-2']);
    expect(flowsOf(workflow())).toContain('insured-2>scan-card-2');
    expect(flowsOf(workflow()).filter((f) => f.includes('-2'))).toEqual(['insured-2>scan-card-2']);
    const layout = layoutCanvas(fixtureWorkflow());
    const original = layout.steps.find((p) => p.step.id === 'insured');
    expect(pasted[0]?.position?.x).toBeGreaterThan((original?.x ?? 0) + PASTE_OFFSET - 1);
    expect(store.get().selection.steps).toEqual(['insured-2', 'scan-card-2']);
    expect(store.get().message).toBe('Pasted 2 steps.');
  });

  it('pastes into another workflow, and a copy into a current workflow drops what it replaced', () => {
    const future = editing(fixtureFutureWorkflow());
    const replacing = future.workflow().steps.find((s) => s.replaces?.length);
    expect(replacing).toBeDefined();
    future.store.select({ steps: [replacing?.id ?? ''], flows: [], lane: null });
    future.store.copy();
    const current = editing();
    current.store.paste();
    const pasted = current.workflow().steps.at(-1);
    expect(pasted?.label).toBe(replacing?.label);
    expect(pasted?.replaces).toBeUndefined();
    // a lane the current workflow lacks: the copy goes to its first lane
    expect(current.workflow().lanes.some((l) => l.id === pasted?.lane)).toBe(true);
  });

  it('duplicates the selection without touching what was copied', () => {
    const { store, workflow } = editing();
    store.select({ steps: ['form'], flows: [], lane: null });
    store.copy();
    store.select({ steps: ['vitals'], flows: [], lane: null });
    store.duplicate();
    expect(stepIds(workflow()).at(-1)).toBe('vitals-2');
    expect(store.get().message).toBe('Pasted one step.');
    store.paste();
    expect(stepIds(workflow()).at(-1)).toBe('form-2');
  });

  it('moves the selected steps along their lane, a run of moves being one undo', () => {
    const { store, workflow, history } = editing();
    const x = (w: Workflow) => layoutCanvas(w).steps.find((p) => p.step.id === 'form')?.x ?? Number.NaN;
    const start = x(workflow());
    store.select({ steps: ['form'], flows: [], lane: null });
    store.moveSelected(20, 0);
    store.moveSelected(20, 0);
    expect(x(workflow())).toBe(start + 40);
    history.undo();
    expect(x(workflow())).toBe(start);
    expect(history.canUndo()).toBe(false);
  });

  it('leaves a boundary event on its activity’s border when the arrow keys move it alone', () => {
    const base = fixtureWorkflow();
    const form = base.steps.find((s) => s.id === 'form');
    if (!form) throw new Error('the fixture has no form step');
    const timer = {
      ...form,
      id: 'timer',
      label: 'After a day',
      kind: 'wait' as const,
      boundary: { attachedTo: 'form', trigger: 'timer' as const, interrupting: false },
    };
    const { store, workflow } = editing({
      ...base,
      steps: [...base.steps, timer],
      flows: [...base.flows, { from: 'form', to: 'timer', transfer: 'none' }],
    });
    const before = workflow();
    store.select({ steps: ['timer'], flows: [], lane: null });
    store.moveSelected(20, 0);
    store.moveSelectedLane('down');
    expect(workflow()).toBe(before);
    expect(store.get().message).toBe(
      'A boundary event sits on its activity’s border and moves with it: move the activity.',
    );
    // with its activity, the activity moves and the event with it
    const x = (id: string) => layoutCanvas(workflow()).steps.find((p) => p.step.id === id)?.x ?? Number.NaN;
    const [formAt, timerAt] = [x('form'), x('timer')];
    store.select({ steps: ['form', 'timer'], flows: [], lane: null });
    store.moveSelected(20, 0);
    expect([x('form') - formAt, x('timer') - timerAt]).toEqual([20, 20]);
    expect(workflow().steps.find((s) => s.id === 'timer')).toEqual(timer);
  });

  it('says what a run of keyboard moves did once, when it stops, and never after what came next', () => {
    vi.useFakeTimers();
    try {
      const { store, workflow } = editing();
      const at = (w: Workflow) => layoutCanvas(w).steps.find((p) => p.step.id === 'form');
      const laneOf = at(workflow())?.step.lane;
      const rightOfForm = layoutCanvas(workflow())
        .steps.filter((p) => p.step.lane === laneOf && p.x > (at(workflow())?.x ?? 0))
        .sort((a, b) => a.x - b.x)[0];
      if (!rightOfForm) throw new Error('the fixture has no step right of the form in its lane');
      store.select({ steps: ['form'], flows: [], lane: null });
      // a held key: a move every 30 ms, past the next step in the lane; nothing said while it repeats
      const steps = Math.ceil((rightOfForm.x - (at(workflow())?.x ?? 0)) / 20) + 2;
      for (let i = 0; i < steps; i++) {
        store.moveSelected(20, 0);
        vi.advanceTimersByTime(30);
        expect(store.get().message).toBe('');
      }
      vi.advanceTimersByTime(MOVE_SAID_AFTER_MS);
      expect(store.get().message).toBe(
        `Moved “${at(workflow())?.step.label}” right: now after “${rightOfForm.step.label}” in ${
          workflow().lanes.find((l) => l.id === laneOf)?.name
        }.`,
      );
      // one announcement per run: it is not said again
      store.say('');
      vi.advanceTimersByTime(MOVE_SAID_AFTER_MS * 2);
      expect(store.get().message).toBe('');
      // a run back to where it was says so
      store.moveSelected(-20, 0);
      store.moveSelected(20, 0);
      vi.advanceTimersByTime(MOVE_SAID_AFTER_MS);
      expect(store.get().message).toBe(`“${at(workflow())?.step.label}” is back where it was.`);
      // what is said after the run's last move (an undo's words) is not overwritten by the run
      store.moveSelected(-20, 0);
      store.say('Undone: moved step.');
      vi.advanceTimersByTime(MOVE_SAID_AFTER_MS * 2);
      expect(store.get().message).toBe('Undone: moved step.');
      store.moveSelected(20, 0);
      store.selectAllSteps();
      vi.advanceTimersByTime(MOVE_SAID_AFTER_MS * 2);
      expect(store.get().message).toMatch(/^Selected all \d+ steps\.$/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says a step cannot be dropped before there is a lane', () => {
    const { store, workflow } = editing({ ...fixtureWorkflow(), lanes: [], steps: [], flows: [] });
    store.dropKind('task', { x: 100, y: 100 });
    expect(workflow().steps).toEqual([]);
    expect(store.get().message).toBe('Add a lane first: every step belongs to a role.');
  });

  it('drops a kind into the lane under it', () => {
    const { store, workflow } = editing();
    const nurse = layoutCanvas(workflow()).lanes.find((l) => l.id === 'nurse');
    store.dropKind('wait', { x: 900, y: (nurse?.top ?? 0) + 20 });
    expect(workflow().steps.at(-1)).toMatchObject({ kind: 'wait', lane: 'nurse', label: 'New wait' });
  });

  it('keeps only what is still there in the live selection after an undo', () => {
    const { store, history } = editing();
    store.addStep('task', 'desk', 'Call the patient');
    const chosen = store.get().selection;
    expect(store.live()).toBe(chosen);
    history.undo();
    expect(store.live()).toEqual(NOTHING_SELECTED);
  });

  it('opens the comparison for a finding that names the current workflow’s steps', () => {
    const { store } = editing(fixtureFutureWorkflow());
    expect(store.selectFindingSteps('w1', ['form'])).toBeNull();
    expect(store.get()).toMatchObject({
      compare: true,
      baselineSelection: { steps: ['form'], flows: [], lane: null },
      selection: NOTHING_SELECTED,
    });
  });

  it('closes a step dialog and gives back its step', () => {
    const { store } = editing();
    store.openStepDialog('append', 'form');
    expect(store.get().stepDialog).toEqual({ kind: 'append', step: 'form' });
    expect(store.closeStepDialog()).toBe('form');
    expect(store.get().stepDialog).toBeNull();
  });

  it('keeps drafts until they are valid, and tells its readers of each change', () => {
    const { store } = editing();
    let told = 0;
    const stop = store.subscribe(() => {
      told += 1;
    });
    store.setDraft('step:form:touchMin', 'ten');
    expect([...store.get().drafts]).toEqual([['step:form:touchMin', 'ten']]);
    store.setDraft('step:form:touchMin', null);
    expect(store.get().drafts.size).toBe(0);
    stop();
    store.setDraft('step:form:clicks', 'x');
    expect(told).toBe(2);
  });
});

describe('a workflow shared with the team', () => {
  it('gives new steps and lanes ids with the copy’s tag, so two people adding “Triage” make two steps', () => {
    const { store, workflow } = editing(fixtureWorkflow(), 'a1b2c3');
    store.addStep('task', 'desk', 'Triage');
    store.addLane('Physician', 1);
    expect(stepIds(workflow())).toContain('triage-a1b2c3');
    expect(workflow().lanes.map((l) => l.id)).toContain('physician-a1b2c3');
  });
});

describe('the editor store on a sub-process’s page', () => {
  it('puts the steps it adds, appends and pastes inside the sub-process', () => {
    const history = createEditHistory({ workflow: fixtureWorkflow() });
    const store = createEditorStore(() => {
      const now = history.workflow();
      return {
        workflow: now,
        layout: layoutCanvas(now),
        apply: (edit, options) => applyOrRefuse(history, edit, options),
        page: 'form',
      };
    });
    expect(store.addStep('task', 'nurse', 'Check allergies')).toBe(true);
    const added = history.workflow().steps.find((s) => s.id === 'check-allergies');
    expect(added?.within).toBe('form');
  });
});
