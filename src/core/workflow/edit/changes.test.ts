/**
 * Every workflow edit, its result and its inverse (table-driven), and the edits the
 * reducer refuses with their error codes.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Step, Workflow } from '../../../formats/workflow.ts';
import {
  applyEdit,
  idBase,
  newDataId,
  newLaneId,
  newStepId,
  type WorkflowEdit,
  WorkflowEditError,
} from './changes.ts';

const newStep: Step = {
  id: 'call',
  label: 'Call patient',
  lane: 'nurse',
  kind: 'task',
  medium: 'phone',
  system: 'Phone',
  touchMin: 3,
  waitMin: 0,
  clicks: 0,
  enters: [],
};

/** The fixture workflow with step `id` drawn at `size` by another tool. */
function withDrawnSize(id: string, size: { width: number; height: number }): Workflow {
  const workflow = fixtureWorkflow();
  return { ...workflow, steps: workflow.steps.map((step) => (step.id === id ? { ...step, size } : step)) };
}

interface Case {
  description: string;
  workflow?: Workflow;
  edit: WorkflowEdit;
  expected: (before: Workflow, after: Workflow) => void;
}

const cases: Case[] = [
  {
    description: 'step/add appends a step',
    edit: { type: 'step/add', step: newStep },
    expected: (before, after) => {
      expect(after.steps).toHaveLength(before.steps.length + 1);
      expect(after.steps.at(-1)).toBe(newStep);
      expect(after.flows).toBe(before.flows);
    },
  },
  {
    description: 'step/add at an index inserts there',
    edit: { type: 'step/add', step: newStep, index: 1 },
    expected: (_, after) => expect(after.steps[1]).toBe(newStep),
  },
  {
    description: 'step/update changes the named fields and keeps the others',
    edit: { type: 'step/update', id: 'form', patch: { label: 'Kiosk form', touchMin: 2, notes: 'faster' } },
    expected: (before, after) => {
      expect(after.steps[1]).toMatchObject({ label: 'Kiosk form', touchMin: 2, notes: 'faster', waitMin: 2 });
      expect(after.steps[0]).toBe(before.steps[0]);
      expect(after.lanes).toBe(before.lanes);
    },
  },
  {
    description: 'step/update with null removes an optional field',
    workflow: fixtureFutureWorkflow(),
    edit: { type: 'step/update', id: 'vitals', patch: { position: null, replaces: null } },
    expected: (_, after) => {
      expect(after.steps[2]).not.toHaveProperty('position');
      expect(after.steps[2]).not.toHaveProperty('replaces');
    },
  },
  {
    description: 'step/update moves a step to another lane',
    edit: { type: 'step/update', id: 'form', patch: { lane: 'nurse', position: { x: 200, y: 200 } } },
    expected: (_, after) =>
      expect(after.steps[1]).toMatchObject({ lane: 'nurse', position: { x: 200, y: 200 } }),
  },
  {
    description: 'step/update of a kind drops the size another tool drew the old shape at',
    workflow: withDrawnSize('insured', { width: 50, height: 50 }),
    edit: { type: 'step/update', id: 'insured', patch: { kind: 'task' } },
    expected: (_, after) => {
      expect(after.steps[2]).toMatchObject({ id: 'insured', kind: 'task' });
      expect(after.steps[2]).not.toHaveProperty('size');
    },
  },
  {
    description: 'step/update keeps a drawn size when the kind stays or the patch sets a size',
    workflow: withDrawnSize('insured', { width: 50, height: 50 }),
    edit: {
      type: 'batch',
      edits: [
        { type: 'step/update', id: 'insured', patch: { kind: 'decision', label: 'Insured?' } },
        { type: 'step/update', id: 'form', patch: { kind: 'approval', size: { width: 120, height: 90 } } },
      ],
    },
    expected: (_, after) => {
      expect(after.steps[2]).toMatchObject({ kind: 'decision', size: { width: 50, height: 50 } });
      expect(after.steps[1]).toMatchObject({ kind: 'approval', size: { width: 120, height: 90 } });
    },
  },
  {
    description: 'step/remove removes the step and every flow touching it',
    edit: { type: 'step/remove', id: 'insured' },
    expected: (_, after) => {
      expect(after.steps.map((s) => s.id)).not.toContain('insured');
      expect(after.flows.some((f) => f.from === 'insured' || f.to === 'insured')).toBe(false);
      expect(after.flows).toHaveLength(3);
    },
  },
  {
    description: 'step/remove of a sub-process moves its inner steps to the page it was on',
    workflow: (() => {
      const w = fixtureWorkflow();
      const [, form, insured, third] = w.steps;
      if (!form || !insured || !third) throw new Error('fixture changed');
      w.steps = w.steps.map((s) =>
        s.id === insured.id
          ? { ...s, within: form.id }
          : s.id === third.id
            ? { ...s, within: insured.id }
            : s,
      );
      return w;
    })(),
    edit: { type: 'step/remove', id: 'insured' },
    expected: (before, after) => {
      const third = before.steps[3]?.id;
      expect(after.steps.find((s) => s.id === third)?.within).toBe('form');
      expect(after.steps.some((s) => s.within === 'insured')).toBe(false);
    },
  },
  {
    description: 'step/remove drops the messages to and from the step and forgets it as a data user',
    workflow: {
      ...fixtureWorkflow(),
      pools: [{ id: 'payer', name: 'Insurer' }],
      lanes: [...fixtureWorkflow().lanes, { id: 'payer', name: 'Insurer', staff: 1, pool: 'payer' }],
      messageFlows: [
        { from: 'insured', to: 'payer', label: 'Eligibility check' },
        { from: 'payer', to: 'form' },
      ],
      dataObjects: [
        { id: 'card', label: 'Insurance card', kind: 'object', readBy: ['insured', 'form'] },
        { id: 'ehr', label: 'EHR', kind: 'store', writtenBy: ['insured'] },
      ],
    },
    edit: { type: 'step/remove', id: 'insured' },
    expected: (_, after) => {
      expect(after.messageFlows).toEqual([{ from: 'payer', to: 'form' }]);
      expect(after.dataObjects).toEqual([
        { id: 'card', label: 'Insurance card', kind: 'object', readBy: ['form'] },
        { id: 'ehr', label: 'EHR', kind: 'store' },
      ]);
    },
  },
  {
    description: 'step/remove forgets the step in the annotations and groups drawn beside it',
    workflow: {
      ...fixtureWorkflow(),
      annotations: [
        { id: 'note', text: 'Often skipped', steps: ['insured'] },
        { id: 'both', text: 'Front desk', steps: ['insured', 'form'] },
      ],
      groups: [
        { id: 'desk', label: 'Desk', steps: ['insured'], bounds: { x: 0, y: 0, width: 200, height: 100 } },
      ],
    },
    edit: { type: 'step/remove', id: 'insured' },
    expected: (_, after) => {
      expect(after.annotations).toEqual([
        { id: 'note', text: 'Often skipped' },
        { id: 'both', text: 'Front desk', steps: ['form'] },
      ]);
      expect(after.groups).toEqual([
        { id: 'desk', label: 'Desk', bounds: { x: 0, y: 0, width: 200, height: 100 } },
      ]);
    },
  },
  {
    description: 'flow/add connects two steps',
    edit: { type: 'flow/add', flow: { from: 'arrive', to: 'roomed', transfer: 'none' } },
    expected: (before, after) => {
      expect(after.flows).toHaveLength(before.flows.length + 1);
      expect(after.steps).toBe(before.steps);
    },
  },
  {
    description: 'flow/update sets a probability and a transfer',
    edit: { type: 'flow/update', from: 'arrive', to: 'form', patch: { probability: 1, transfer: 'manual' } },
    expected: (_, after) =>
      expect(after.flows[0]).toEqual({ from: 'arrive', to: 'form', probability: 1, transfer: 'manual' }),
  },
  {
    description: 'flow/update may leave probabilities that do not sum to 1 (a draft)',
    edit: { type: 'flow/update', from: 'insured', to: 'vitals', patch: { probability: 0.5 } },
    expected: (_, after) => expect(after.flows[3]?.probability).toBe(0.5),
  },
  {
    description: 'flow/update with null removes the probability',
    edit: { type: 'flow/update', from: 'insured', to: 'vitals', patch: { probability: null } },
    expected: (_, after) => expect(after.flows[3]).not.toHaveProperty('probability'),
  },
  {
    description: 'flow/remove removes one flow',
    edit: { type: 'flow/remove', from: 'form', to: 'insured' },
    expected: (_, after) =>
      expect(after.flows.some((f) => f.from === 'form' && f.to === 'insured')).toBe(false),
  },
  {
    description: 'lane/add adds a lane',
    edit: { type: 'lane/add', lane: { id: 'doc', name: 'Physician', staff: 2 }, index: 0 },
    expected: (_, after) => expect(after.lanes[0]).toEqual({ id: 'doc', name: 'Physician', staff: 2 }),
  },
  {
    description: 'lane/update renames and restaffs a lane',
    edit: { type: 'lane/update', id: 'nurse', patch: { name: 'Nurses', staff: 3 } },
    expected: (_, after) => expect(after.lanes[1]).toEqual({ id: 'nurse', name: 'Nurses', staff: 3 }),
  },
  {
    description: 'lane/remove removes the lane with its steps and their flows',
    edit: { type: 'lane/remove', id: 'nurse' },
    expected: (_, after) => {
      expect(after.lanes.map((l) => l.id)).toEqual(['desk']);
      expect(after.steps.every((s) => s.lane === 'desk')).toBe(true);
      expect(after.flows.every((f) => f.to !== 'vitals' && f.from !== 'vitals')).toBe(true);
    },
  },
  {
    description: 'lane/move reorders the lanes',
    edit: { type: 'lane/move', id: 'nurse', index: 0 },
    expected: (_, after) => expect(after.lanes.map((l) => l.id)).toEqual(['nurse', 'desk']),
  },
  {
    description: 'workflow/update changes demand, cases per day and go-live factors',
    edit: {
      type: 'workflow/update',
      patch: {
        arrivalsPerHour: 9,
        casesPerDay: 60,
        goLive: { capacityFactor: 0.6, productivityFactor: 0.8 },
      },
    },
    expected: (_, after) =>
      expect(after).toMatchObject({
        arrivalsPerHour: 9,
        casesPerDay: 60,
        goLive: { capacityFactor: 0.6, productivityFactor: 0.8 },
      }),
  },
  {
    description: 'workflow/update retires baseline steps of a future workflow',
    workflow: fixtureFutureWorkflow(),
    edit: { type: 'workflow/update', patch: { retired: ['form'], description: 'Kiosk' } },
    expected: (_, after) => expect(after).toMatchObject({ retired: ['form'], description: 'Kiosk' }),
  },
  {
    description: 'batch applies its edits in order',
    edit: {
      type: 'batch',
      edits: [
        { type: 'lane/add', lane: { id: 'doc', name: 'Physician', staff: 1 } },
        { type: 'step/add', step: { ...newStep, lane: 'doc' } },
        { type: 'flow/add', flow: { from: 'vitals', to: 'call', transfer: 'electronic' } },
      ],
    },
    expected: (_, after) => {
      expect(after.lanes.at(-1)?.id).toBe('doc');
      expect(after.flows.at(-1)).toEqual({ from: 'vitals', to: 'call', transfer: 'electronic' });
    },
  },
];

describe('applyEdit', () => {
  it.each(cases)('$description, and its inverse restores the workflow', ({ workflow, edit, expected }) => {
    const before = workflow ?? fixtureWorkflow();
    const frozen = structuredClone(before);
    const { workflow: after, inverse } = applyEdit(before, edit);
    expected(before, after);
    expect(before).toEqual(frozen); // never mutated
    const restored = applyEdit(after, inverse).workflow;
    expect(restored).toEqual(before);
    // and the inverse of the inverse is the edit again
    const again = applyEdit(restored, applyEdit(after, inverse).inverse).workflow;
    expect(again).toEqual(after);
  });
});

interface Refusal {
  description: string;
  workflow?: Workflow;
  edit: WorkflowEdit;
  code: string;
  field?: string;
}

const refusals: Refusal[] = [
  {
    description: 'a step id in use',
    edit: { type: 'step/add', step: { ...newStep, id: 'form' } },
    code: 'duplicate-id',
  },
  {
    description: 'a step in an unknown lane',
    edit: { type: 'step/add', step: { ...newStep, lane: 'nope' } },
    code: 'unknown-lane',
    field: 'lane',
  },
  {
    description: 'a negative touch time',
    edit: { type: 'step/update', id: 'form', patch: { touchMin: -1 } },
    code: 'invalid-value',
    field: 'touchMin',
  },
  {
    description: 'a wait that is not a number',
    edit: { type: 'step/update', id: 'form', patch: { waitMin: Number.NaN } },
    code: 'invalid-value',
    field: 'waitMin',
  },
  {
    description: 'fractional clicks',
    edit: { type: 'step/update', id: 'form', patch: { clicks: 1.5 } },
    code: 'invalid-value',
    field: 'clicks',
  },
  {
    description: 'an empty label',
    edit: { type: 'step/update', id: 'form', patch: { label: '' } },
    code: 'invalid-value',
    field: 'label',
  },
  {
    description: 'an empty data item',
    edit: { type: 'step/update', id: 'form', patch: { enters: ['allergies', ''] } },
    code: 'invalid-value',
    field: 'enters',
  },
  {
    description: 'an unknown kind',
    edit: { type: 'step/update', id: 'form', patch: { kind: 'meeting' as never } },
    code: 'invalid-value',
    field: 'kind',
  },
  {
    description: 'replaces in a current workflow',
    edit: { type: 'step/update', id: 'form', patch: { replaces: ['x'] } },
    code: 'future-only',
    field: 'replaces',
  },
  {
    description: 'a step id in a patch',
    edit: { type: 'step/update', id: 'form', patch: { id: 'other' } as never },
    code: 'invalid-value',
    field: 'id',
  },
  {
    description: 'updating an unknown step',
    edit: { type: 'step/update', id: 'x', patch: {} },
    code: 'unknown-step',
  },
  { description: 'removing an unknown step', edit: { type: 'step/remove', id: 'x' }, code: 'unknown-step' },
  {
    description: 'a flow from an unknown step',
    edit: { type: 'flow/add', flow: { from: 'x', to: 'form', transfer: 'none' } },
    code: 'unknown-step',
  },
  {
    description: 'a second flow between the same steps',
    edit: { type: 'flow/add', flow: { from: 'arrive', to: 'form', transfer: 'paper' } },
    code: 'duplicate-flow',
  },
  {
    description: 'a probability above 1',
    edit: { type: 'flow/update', from: 'arrive', to: 'form', patch: { probability: 1.2 } },
    code: 'invalid-value',
    field: 'probability',
  },
  {
    description: 'updating an unknown flow',
    edit: { type: 'flow/update', from: 'form', to: 'arrive', patch: {} },
    code: 'unknown-flow',
  },
  {
    description: 'a lane id in use',
    edit: { type: 'lane/add', lane: { id: 'desk', name: 'x', staff: 1 } },
    code: 'duplicate-id',
  },
  {
    description: 'fractional staff',
    edit: { type: 'lane/update', id: 'desk', patch: { staff: 1.5 } },
    code: 'invalid-value',
    field: 'staff',
  },
  { description: 'removing an unknown lane', edit: { type: 'lane/remove', id: 'x' }, code: 'unknown-lane' },
  {
    description: 'a go-live factor of 0',
    edit: { type: 'workflow/update', patch: { goLive: { capacityFactor: 0, productivityFactor: 1 } } },
    code: 'invalid-value',
    field: 'capacityFactor',
  },
  {
    description: 'a baseline on a current workflow',
    edit: { type: 'workflow/update', patch: { baseline: 'w0' } },
    code: 'future-only',
    field: 'baseline',
  },
  {
    description: 'a future workflow as its own baseline',
    workflow: fixtureFutureWorkflow(),
    edit: { type: 'workflow/update', patch: { baseline: 'w2' } },
    code: 'invalid-value',
    field: 'baseline',
  },
  {
    description: 'changing the state',
    edit: { type: 'workflow/update', patch: { state: 'future' } as never },
    code: 'invalid-value',
    field: 'state',
  },
  {
    description: 'a batch with one bad edit',
    edit: {
      type: 'batch',
      edits: [
        { type: 'step/add', step: newStep },
        { type: 'step/update', id: 'call', patch: { touchMin: -5 } },
      ],
    },
    code: 'invalid-value',
    field: 'touchMin',
  },
  { description: 'an unknown edit', edit: { type: 'step/rename' } as never, code: 'unknown-edit' },
];

describe('applyEdit refuses', () => {
  it.each(refusals)('$description ($code)', ({ workflow, edit, code, field }) => {
    const before = workflow ?? fixtureWorkflow();
    const frozen = structuredClone(before);
    let error: unknown;
    try {
      applyEdit(before, edit);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowEditError);
    expect((error as WorkflowEditError).code).toBe(code);
    if (field) expect((error as WorkflowEditError).field).toBe(field);
    expect(before).toEqual(frozen);
  });

  it('never quotes a typed value in its message', () => {
    const secret = 'Jane Doe 1970-01-01';
    try {
      applyEdit(fixtureWorkflow(), { type: 'step/update', id: 'form', patch: { touchMin: secret as never } });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('ids', () => {
  it.each([
    { description: 'a free base', base: 'call', expected: 'call' },
    { description: 'a used base gets a number', base: 'form', expected: 'form-2' },
  ])('newStepId: $description', ({ base, expected }) => {
    expect(newStepId(fixtureWorkflow(), base)).toBe(expected);
  });

  it('newLaneId avoids lane ids in use', () => {
    expect(newLaneId(fixtureWorkflow(), 'desk')).toBe('desk-2');
  });

  it('newDataId avoids the ids of documents and of their further drawings', () => {
    const workflow = {
      ...fixtureWorkflow(),
      dataObjects: [{ id: 'chart', label: 'Chart', kind: 'store' as const, drawings: [{ id: 'chart-2' }] }],
    };
    expect(newDataId(workflow, 'chart')).toBe('chart-3');
  });

  it.each([
    { label: 'Check insurance card', expected: 'check-insurance-card' },
    { label: '  Ärztliche Prüfung! ', expected: 'arztliche-prufung' },
    { label: '???', expected: 'step' },
  ])('idBase("$label") is "$expected"', ({ label, expected }) => {
    expect(idBase(label)).toBe(expected);
  });
});
