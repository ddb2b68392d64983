/**
 * A person's undo in a shared workflow after others' changes arrived: the undo list is kept
 * (`rebase` with {@link ownPartOf}); undo takes back the person's own last change, sent to the
 * server as the inverse operations, and never someone else's.
 */
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { applyEdit, type WorkflowEdit } from '../edit/changes.ts';
import { createEditHistory } from '../edit/history.ts';
import { diffWorkflows } from './ops.ts';
import { SharedWorkflowCopy } from './session.ts';
import { MemoryServer } from './testing/memoryServer.ts';
import { ownPartOf } from './undo.ts';

const stepOf = (w: Workflow, id: string) => w.steps.find((s) => s.id === id);
const laneOf = (w: Workflow, id: string) => w.lanes.find((l) => l.id === id);

/**
 * Ana edits in her editor (a history over her copy), Ben edits on his own copy and syncs; Ana
 * hears him, her history is rebased on what she hears, and she undoes.
 */
async function undoAfterOthers(ana: WorkflowEdit[], ben: WorkflowEdit[]) {
  const server = new MemoryServer(fixtureWorkflow());
  const anaCopy = SharedWorkflowCopy.opened('ana', server.document, 0);
  const history = createEditHistory({ workflow: anaCopy.workflow, onChange: (next) => anaCopy.change(next) });
  for (const edit of ana) history.apply(edit);
  await anaCopy.sync(server.transport('Ana'));
  const benCopy = SharedWorkflowCopy.opened('ben', server.document, server.head);
  benCopy.change(ben.reduce((w, edit) => applyEdit(w, edit).workflow, benCopy.workflow));
  await benCopy.sync(server.transport('Ben'));
  await anaCopy.sync(server.transport('Ana'));
  const since = diffWorkflows(history.workflow(), anaCopy.workflow);
  history.rebase({ workflow: anaCopy.workflow, own: (edit) => ownPartOf(edit, since) });
  const canUndo = history.canUndo();
  const headBefore = server.head;
  history.undo();
  const sent = [...anaCopy.pending];
  await anaCopy.sync(server.transport('Ana'));
  return { server, canUndo, sent, headBefore, shown: anaCopy.workflow };
}

describe('undo in a shared workflow after others’ changes arrived', () => {
  it('undoes the person’s own last change, sent as its inverse, keeping the other’s edit', async () => {
    const { server, canUndo, sent, shown } = await undoAfterOthers(
      [{ type: 'step/update', id: 'form', patch: { touchMin: 9 } }],
      [{ type: 'lane/update', id: 'nurse', patch: { name: 'Nursing' } }],
    );
    expect(canUndo).toBe(true);
    expect(sent.map((c) => c.ops)).toEqual([[{ op: 'step/set', id: 'form', field: 'touchMin', value: 4 }]]);
    expect(stepOf(server.document, 'form')?.touchMin).toBe(4);
    expect(laneOf(server.document, 'nurse')?.name, 'Ben’s edit stays').toBe('Nursing');
    expect(shown).toEqual(server.document);
  });

  it('undoes the person’s own field of a step whose other field someone else set', async () => {
    const { server, sent } = await undoAfterOthers(
      [{ type: 'step/update', id: 'form', patch: { touchMin: 9 } }],
      [{ type: 'step/update', id: 'form', patch: { waitMin: 7 } }],
    );
    expect(sent.map((c) => c.ops)).toEqual([[{ op: 'step/set', id: 'form', field: 'touchMin', value: 4 }]]);
    expect(stepOf(server.document, 'form')).toMatchObject({ touchMin: 4, waitMin: 7 });
  });

  it('never takes back someone else’s later edit of the same field', async () => {
    const { server, canUndo, sent, headBefore } = await undoAfterOthers(
      [{ type: 'step/update', id: 'form', patch: { touchMin: 9 } }],
      [{ type: 'step/update', id: 'form', patch: { touchMin: 12 } }],
    );
    expect(canUndo, 'nothing of Ana’s is left to undo').toBe(false);
    expect(sent).toEqual([]);
    expect(server.head).toBe(headBefore);
    expect(stepOf(server.document, 'form')?.touchMin).toBe(12);
  });

  it('skips, rather than fails, an undo of an edit of a step someone else removed', async () => {
    const { server, canUndo, sent } = await undoAfterOthers(
      [
        { type: 'lane/update', id: 'nurse', patch: { staff: 3 } },
        { type: 'step/update', id: 'form', patch: { touchMin: 9 } },
      ],
      [{ type: 'step/remove', id: 'form' }],
    );
    // the edit of the removed step is gone from the list: undo takes back the one before it
    expect(canUndo).toBe(true);
    expect(sent.map((c) => c.ops)).toEqual([[{ op: 'lane/set', id: 'nurse', field: 'staff', value: 1 }]]);
    expect(stepOf(server.document, 'form')).toBeUndefined();
  });
});

describe('ownPartOf', () => {
  const cases: { description: string; edit: WorkflowEdit; expected: WorkflowEdit | null }[] = [
    {
      description: 'a field others set is taken out; the person’s other fields stay',
      edit: { type: 'step/update', id: 'form', patch: { touchMin: 4, label: 'Form' } },
      expected: { type: 'step/update', id: 'form', patch: { label: 'Form' } },
    },
    {
      description: 'nothing left: null',
      edit: { type: 'workflow/update', patch: { name: 'Intake' } },
      expected: null,
    },
    {
      description: 'an edit of a lane others removed: null',
      edit: { type: 'lane/update', id: 'nurse', patch: { staff: 1 } },
      expected: null,
    },
    {
      description: 'a batch keeps what is left of it',
      edit: {
        type: 'batch',
        edits: [
          { type: 'lane/move', id: 'nurse', index: 0 },
          { type: 'lane/update', id: 'desk', patch: { staff: 2 } },
        ],
      },
      expected: { type: 'batch', edits: [{ type: 'lane/update', id: 'desk', patch: { staff: 2 } }] },
    },
  ];
  const since = [
    { op: 'step/set', id: 'form', field: 'touchMin', value: 12 },
    { op: 'workflow/set', field: 'name', value: 'Ward intake' },
    { op: 'lane/remove', id: 'nurse' },
  ] as const;
  for (const { description, edit, expected } of cases)
    it(description, () => {
      expect(ownPartOf(edit, since)).toEqual(expected);
    });
});
