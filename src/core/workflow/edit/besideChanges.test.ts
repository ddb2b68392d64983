/**
 * The edits of what travels beside the work — renaming a pool, adding, relabelling and removing a
 * message, adding, changing and removing a document or store with its associations to steps —
 * each with its result, its inverse (applying both gives the workflow back, deep-equal) and a
 * result the format accepts; and the edits the reducer refuses, with their codes.
 */
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { applyEdit, type WorkflowEdit, WorkflowEditError } from './changes.ts';

const step = (id: string, lane: string): Step => ({
  id,
  label: id,
  lane,
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 1,
  waitMin: 0,
  clicks: 0,
  enters: [],
});

const referral: Workflow = {
  format: WORKFLOW_FORMAT,
  id: 'referral',
  name: 'Lab referral',
  state: 'current',
  arrivalsPerHour: 1,
  pools: [
    { id: 'clinic', name: 'Clinic' },
    { id: 'lab', name: 'Reference lab' },
  ],
  lanes: [
    { id: 'md', name: 'Physician', staff: 1, pool: 'clinic' },
    { id: 'desk', name: 'Front desk', staff: 1, pool: 'clinic' },
    { id: 'tech', name: 'Lab technician', staff: 1, pool: 'lab' },
  ],
  steps: [step('order', 'md'), step('file', 'desk'), step('analyse', 'tech')],
  flows: [{ from: 'order', to: 'file', transfer: 'none' }],
  messageFlows: [{ id: 'm1', from: 'order', to: 'lab', label: 'Lab order' }],
  dataObjects: [{ id: 'form', label: 'Order form', kind: 'object', writtenBy: ['order'] }],
};

/** The same work drawn in one pool: messages go between lanes. */
const { pools: _p, messageFlows: _m, dataObjects: _d, ...plain } = referral;
const onePool: Workflow = { ...plain, lanes: referral.lanes.map(({ pool: _, ...lane }) => lane) };

const cases: {
  description: string;
  workflow?: Workflow;
  edit: WorkflowEdit;
  expected: (after: Workflow) => void;
}[] = [
  {
    description: 'pool/update renames a pool',
    edit: { type: 'pool/update', id: 'lab', patch: { name: 'City lab' } },
    expected: (after) => expect(after.pools?.[1]).toEqual({ id: 'lab', name: 'City lab' }),
  },
  {
    description: 'message/add joins steps of two pools',
    edit: { type: 'message/add', message: { from: 'analyse', to: 'order', label: 'Result' } },
    expected: (after) =>
      expect(after.messageFlows?.at(-1)).toEqual({ from: 'analyse', to: 'order', label: 'Result' }),
  },
  {
    description: 'message/add joins steps of two lanes of a workflow with one pool',
    workflow: onePool,
    edit: { type: 'message/add', message: { from: 'order', to: 'analyse' } },
    expected: (after) => expect(after.messageFlows).toEqual([{ from: 'order', to: 'analyse' }]),
  },
  {
    description: 'message/update relabels a message, and removes its label',
    edit: {
      type: 'batch',
      edits: [
        { type: 'message/update', from: 'order', to: 'lab', patch: { label: 'Referral' } },
        { type: 'message/update', from: 'order', to: 'lab', patch: { label: null } },
      ],
    },
    expected: (after) => expect(after.messageFlows).toEqual([{ id: 'm1', from: 'order', to: 'lab' }]),
  },
  {
    description: 'message/remove removes the last message, and the list with it',
    edit: { type: 'message/remove', from: 'order', to: 'lab' },
    expected: (after) => expect('messageFlows' in after).toBe(false),
  },
  {
    description: 'data/add adds a store read by a step',
    edit: { type: 'data/add', data: { id: 'ehr', label: 'EHR', kind: 'store', readBy: ['analyse'] } },
    expected: (after) => expect(after.dataObjects?.map((d) => d.id)).toEqual(['form', 'ehr']),
  },
  {
    description: 'data/add gives a workflow without documents its first',
    workflow: onePool,
    edit: { type: 'data/add', data: { id: 'note', label: 'Note', kind: 'object', writtenBy: ['file'] } },
    expected: (after) => expect(after.dataObjects).toHaveLength(1),
  },
  {
    description: 'data/update renames a document and changes who reads and writes it',
    edit: {
      type: 'data/update',
      id: 'form',
      patch: { label: 'Requisition', readBy: ['analyse'], writtenBy: null },
    },
    expected: (after) =>
      expect(after.dataObjects).toEqual([
        { id: 'form', label: 'Requisition', kind: 'object', readBy: ['analyse'] },
      ]),
  },
  {
    description: 'data/remove removes a document and its associations',
    edit: { type: 'data/remove', id: 'form' },
    expected: (after) => expect('dataObjects' in after).toBe(false),
  },
];

describe('edits beside the work', () => {
  it.each(cases)(
    '$description; its inverse gives the workflow back',
    ({ workflow = referral, edit, expected }) => {
      const { workflow: after, inverse } = applyEdit(workflow, edit);
      expected(after);
      expect(loadWorkflow(after).ok).toBe(true);
      expect(applyEdit(after, inverse).workflow).toEqual(workflow);
      // the analysis never reads them: the order of work is untouched
      expect(after.steps).toBe(workflow.steps);
      expect(after.flows).toBe(workflow.flows);
    },
  );

  const refused: { description: string; workflow?: Workflow; edit: WorkflowEdit; code: string }[] = [
    {
      description: 'an unknown pool',
      edit: { type: 'pool/update', id: 'x', patch: { name: 'X' } },
      code: 'unknown-pool',
    },
    {
      description: 'an empty pool name',
      edit: { type: 'pool/update', id: 'lab', patch: { name: '' } },
      code: 'invalid-value',
    },
    {
      description: 'a message within one pool',
      edit: { type: 'message/add', message: { from: 'order', to: 'file' } },
      code: 'invalid-value',
    },
    {
      description: 'a message to its own pool',
      edit: { type: 'message/add', message: { from: 'order', to: 'clinic' } },
      code: 'invalid-value',
    },
    {
      description: 'a message within one lane of a workflow with one pool',
      workflow: { ...onePool, steps: [...onePool.steps, step('call', 'md')] },
      edit: { type: 'message/add', message: { from: 'order', to: 'call' } },
      code: 'invalid-value',
    },
    {
      description: 'a second message between the same ends',
      edit: { type: 'message/add', message: { from: 'order', to: 'lab' } },
      code: 'duplicate-flow',
    },
    {
      description: 'a message to nowhere',
      edit: { type: 'message/add', message: { from: 'order', to: 'ghost' } },
      code: 'unknown-step',
    },
    {
      description: 'removing a message that is not there',
      edit: { type: 'message/remove', from: 'lab', to: 'order' },
      code: 'unknown-message',
    },
    {
      description: 'a document read by no step of the workflow',
      edit: { type: 'data/add', data: { id: 'x', label: 'X', kind: 'object', readBy: ['ghost'] } },
      code: 'unknown-step',
    },
    {
      description: 'a document id already used',
      edit: { type: 'data/add', data: { id: 'form', label: 'X', kind: 'object' } },
      code: 'duplicate-id',
    },
    {
      description: 'an empty document name',
      edit: { type: 'data/update', id: 'form', patch: { label: '' } },
      code: 'invalid-value',
    },
    { description: 'an unknown document', edit: { type: 'data/remove', id: 'x' }, code: 'unknown-data' },
  ];

  it.each(refused)('refuses $description', ({ workflow = referral, edit, code }) => {
    let error: unknown;
    try {
      applyEdit(workflow, edit);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowEditError);
    expect((error as WorkflowEditError).code).toBe(code);
  });
});
