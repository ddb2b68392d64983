/**
 * What of a person's changes lost to someone else's removal, one kind of conflict per row, in
 * both server orders: Ana is told what of hers was lost, by whom and when; Ben, who removed it,
 * is told nothing; the lost edits survive a reload until dismissed; putting the item back mends
 * what was left pointing at it.
 */
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { checkWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { applyEdit, type WorkflowEdit } from '../edit/changes.ts';
import { isBack, type LostEdit, putBack } from './conflicts.ts';
import { SharedWorkflowCopy } from './session.ts';
import { MemoryServer } from './testing/memoryServer.ts';

const edited = (w: Workflow, ...edits: WorkflowEdit[]) =>
  edits.reduce((acc, edit) => applyEdit(acc, edit).workflow, w);

const HEARD_AT = '2026-11-26T14:05:00.000Z';
const now = () => Date.parse(HEARD_AT);

/** Ana and Ben each make their edits on the same base, offline from each other; then both sync. */
async function concurrently(anaEdits: WorkflowEdit[], benEdits: WorkflowEdit[], anaFirst: boolean) {
  const server = new MemoryServer(fixtureWorkflow());
  const ana = SharedWorkflowCopy.opened('ana', server.document, 0);
  const ben = SharedWorkflowCopy.opened('ben', server.document, 0);
  ana.change(edited(ana.workflow, ...anaEdits));
  ben.change(edited(ben.workflow, ...benEdits));
  const sync = (who: 'Ana' | 'Ben') => (who === 'Ana' ? ana : ben).sync(server.transport(who), now);
  const order = anaFirst ? (['Ana', 'Ben', 'Ana', 'Ben'] as const) : (['Ben', 'Ana', 'Ben', 'Ana'] as const);
  for (const who of order) await sync(who);
  expect(ana.workflow).toEqual(server.document);
  expect(ben.workflow).toEqual(server.document);
  return { server, ana, ben };
}

/** A lost edit in short: the removed item, who removed it, and the kinds of the person's operations lost. */
const told = (lost: readonly LostEdit[]) =>
  lost.map((l) => ({
    key: l.key,
    by: l.removal?.author,
    mine: l.mine.map((op) => ('field' in op ? `${op.op} ${op.field}` : op.op)),
  }));

const vitals = 'step:vitals';
const newStep = {
  ...(fixtureWorkflow().steps[4] as Workflow['steps'][number]),
  id: 'ana-1',
  label: 'Weigh patient',
};

/** Each kind of conflict: Ana's edits, Ben's, and what Ana is told when the server orders Ben's first / hers first. */
const CONFLICTS: {
  description: string;
  ana: WorkflowEdit[];
  ben: WorkflowEdit[];
  benFirst: ReturnType<typeof told>;
  anaFirst: ReturnType<typeof told>;
}[] = [
  {
    description: 'a rename of a step the other removed',
    ana: [{ type: 'step/update', id: 'vitals', patch: { label: 'Vitals and weight' } }],
    ben: [{ type: 'step/remove', id: 'vitals' }],
    benFirst: [{ key: vitals, by: 'Ben', mine: ['step/set label'] }],
    // ordered before the removal: Ben may have seen it, and removed the step on purpose
    anaFirst: [],
  },
  {
    description: 'a move of a step the other removed',
    ana: [{ type: 'step/update', id: 'vitals', patch: { position: { x: 40, y: 80 } } }],
    ben: [{ type: 'step/remove', id: 'vitals' }],
    benFirst: [{ key: vitals, by: 'Ben', mine: ['step/set position'] }],
    anaFirst: [],
  },
  {
    description: 'flows drawn to a step the other removed (they point nowhere)',
    ana: [
      { type: 'flow/add', flow: { from: 'arrive', to: 'vitals', transfer: 'none' } },
      { type: 'flow/add', flow: { from: 'form', to: 'vitals', transfer: 'none' } },
    ],
    ben: [{ type: 'step/remove', id: 'vitals' }],
    benFirst: [{ key: vitals, by: 'Ben', mine: ['flow/put', 'flow/put'] }],
    // Ben's removal took only the flows he saw: the ones left were drawn meanwhile
    anaFirst: [{ key: vitals, by: 'Ben', mine: ['flow/put', 'flow/put'] }],
  },
  {
    description: 'a rename of a lane the other removed',
    ana: [{ type: 'lane/update', id: 'nurse', patch: { name: 'Nursing' } }],
    ben: [{ type: 'lane/remove', id: 'nurse' }],
    benFirst: [{ key: 'lane:nurse', by: 'Ben', mine: ['lane/set name'] }],
    anaFirst: [],
  },
  {
    description: 'a step added to a lane the other removed',
    ana: [{ type: 'step/add', step: { ...newStep, lane: 'nurse' } }],
    ben: [{ type: 'lane/remove', id: 'nurse' }],
    benFirst: [{ key: 'lane:nurse', by: 'Ben', mine: ['step/put'] }],
    anaFirst: [{ key: 'lane:nurse', by: 'Ben', mine: ['step/put'] }],
  },
  {
    description: 'a change to a flow the other removed',
    ana: [{ type: 'flow/update', from: 'arrive', to: 'form', patch: { transfer: 'paper' } }],
    ben: [{ type: 'flow/remove', from: 'arrive', to: 'form' }],
    benFirst: [{ key: 'flow:["arrive","form"]', by: 'Ben', mine: ['flow/set transfer'] }],
    anaFirst: [],
  },
  {
    description: 'edits of different steps (nothing lost)',
    ana: [{ type: 'step/update', id: 'form', patch: { touchMin: 9 } }],
    ben: [{ type: 'step/remove', id: 'vitals' }],
    benFirst: [],
    anaFirst: [],
  },
  {
    description: 'both removing one step (nothing lost)',
    ana: [{ type: 'step/remove', id: 'vitals' }],
    ben: [{ type: 'step/remove', id: 'vitals' }],
    benFirst: [],
    anaFirst: [],
  },
];

describe.each(CONFLICTS)('$description', ({ ana: anaEdits, ben: benEdits, benFirst, anaFirst }) => {
  it.each([
    ['Ben’s removal ordered first', false, benFirst],
    ['Ana’s edit ordered first', true, anaFirst],
  ] as const)(
    '%s: Ana is told what of hers was lost; Ben is told nothing',
    async (_order, first, expected) => {
      const { ana, ben } = await concurrently(anaEdits, benEdits, first);
      expect(told(ana.lost)).toEqual(expected);
      expect(ben.lost).toEqual([]);
    },
  );
});

describe('a lost edit', () => {
  it('names the removed step as it was, and when the removal was heard (the server’s time when it says)', async () => {
    const { ana } = await concurrently(
      [{ type: 'step/update', id: 'vitals', patch: { label: 'Vitals and weight' } }],
      [{ type: 'step/remove', id: 'vitals' }],
      false,
    );
    const removal = ana.lost[0]?.removal;
    expect(removal).toMatchObject({ author: 'Ben', at: HEARD_AT, atExact: false, seq: 1 });
    expect(removal?.item).toMatchObject({ kind: 'step', step: { id: 'vitals', label: 'Take vitals' } });

    const exact = SharedWorkflowCopy.opened('ana', fixtureWorkflow(), 0);
    exact.change(edited(exact.workflow, { type: 'lane/update', id: 'nurse', patch: { staff: 3 } }));
    exact.hear({
      head: 2,
      changes: [
        {
          seq: 1,
          id: 'ben:1',
          author: 'Ben',
          at: '2026-11-26T14:02:00.000Z',
          ops: [{ op: 'lane/remove', id: 'nurse' }],
        },
        {
          seq: 2,
          id: 'ana:1',
          author: 'Ana',
          ops: [{ op: 'lane/set', id: 'nurse', field: 'staff', value: 3 }],
        },
      ],
    });
    expect(exact.lost[0]?.removal).toMatchObject({ at: '2026-11-26T14:02:00.000Z', atExact: true });
  });

  it('survives a reload until dismissed', async () => {
    const { ana } = await concurrently(
      [{ type: 'flow/add', flow: { from: 'arrive', to: 'vitals', transfer: 'none' } }],
      [{ type: 'step/remove', id: 'vitals' }],
      true,
    );
    const reloaded = new SharedWorkflowCopy(JSON.parse(JSON.stringify(ana.snapshot())));
    expect(told(reloaded.lost)).toEqual(told(ana.lost));
    reloaded.dismissLost(reloaded.lost[0]?.id as string);
    expect(reloaded.lost).toEqual([]);
    expect(new SharedWorkflowCopy(reloaded.snapshot()).lost).toEqual([]);
    // a damaged memory in the page's storage starts afresh rather than failing to open
    const damaged = { ...ana.snapshot(), conflicts: { removals: 5, own: null, lost: 'x' } } as never;
    expect(new SharedWorkflowCopy(damaged).lost).toEqual([]);
  });

  it('is mended by putting the removed step back: the flows that pointed at it lead to it again', async () => {
    const { ana } = await concurrently(
      [{ type: 'flow/add', flow: { from: 'arrive', to: 'vitals', transfer: 'none' } }],
      [{ type: 'step/remove', id: 'vitals' }],
      false,
    );
    const lost = ana.lost[0] as LostEdit;
    expect(checkWorkflow(ana.workflow).map((p) => p.message)).toContain(
      'flow ends at a step that is not in this workflow',
    );
    const mended = putBack(ana.workflow, lost);
    expect(isBack(mended, lost)).toBe(true);
    // back with the flows Ben's removal took with it
    expect(checkWorkflow(mended)).toEqual([]);
    expect(mended.flows).toContainEqual(expect.objectContaining({ from: 'vitals', to: 'roomed' }));
    expect(mended.flows).toContainEqual({ from: 'arrive', to: 'vitals', transfer: 'none' });
  });

  it('is put back with the person’s own edit replayed on it', async () => {
    const { ana } = await concurrently(
      [{ type: 'step/update', id: 'vitals', patch: { label: 'Vitals and weight' } }],
      [{ type: 'step/remove', id: 'vitals' }],
      false,
    );
    const mended = putBack(ana.workflow, ana.lost[0] as LostEdit);
    expect(mended.steps.find((s) => s.id === 'vitals')?.label).toBe('Vitals and weight');
  });

  it('puts a removed lane back with the steps and flows its removal took', async () => {
    const { ana } = await concurrently(
      [{ type: 'step/add', step: { ...newStep, lane: 'nurse' } }],
      [{ type: 'lane/remove', id: 'nurse' }],
      true,
    );
    const mended = putBack(ana.workflow, ana.lost[0] as LostEdit);
    expect(mended.lanes.map((l) => l.id)).toEqual(fixtureWorkflow().lanes.map((l) => l.id));
    expect(mended.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['vitals', 'roomed', 'ana-1']));
    expect(checkWorkflow(mended)).toEqual([]);
  });
});
