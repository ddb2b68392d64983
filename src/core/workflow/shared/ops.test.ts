/**
 * The merge rules of shared workflow changes, one concurrent pair at a time, in both server
 * orders: both edits kept when they touch different things, the removal winning against an edit,
 * and a merged workflow that breaks a rule shown (a finding), never repaired.
 */
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { checkWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { applyEdit, type WorkflowEdit } from '../edit/changes.ts';
import { applyOps, diffWorkflows } from './ops.ts';
import { SharedWorkflowCopy } from './session.ts';
import { MemoryServer } from './testing/memoryServer.ts';
import { compareVersions } from './versions.ts';

const edited = (w: Workflow, ...edits: WorkflowEdit[]) =>
  edits.reduce((acc, edit) => applyEdit(acc, edit).workflow, w);

/** Ana and Ben each make one edit on the same base, offline from each other; both orders. */
async function concurrently(anaEdit: WorkflowEdit[], benEdit: WorkflowEdit[], anaFirst: boolean) {
  const server = new MemoryServer(fixtureWorkflow());
  const ana = SharedWorkflowCopy.opened('ana', server.document, 0);
  const ben = SharedWorkflowCopy.opened('ben', server.document, 0);
  ana.change(edited(ana.workflow, ...anaEdit));
  ben.change(edited(ben.workflow, ...benEdit));
  const [first, second] = anaFirst ? [ana, ben] : [ben, ana];
  await first.sync(server.transport(anaFirst ? 'Ana' : 'Ben'));
  await second.sync(server.transport(anaFirst ? 'Ben' : 'Ana'));
  await first.sync(server.transport(anaFirst ? 'Ana' : 'Ben'));
  expect(ana.workflow).toEqual(server.document);
  expect(ben.workflow).toEqual(server.document);
  return { merged: server.document, ana, ben };
}

const ORDERS = [
  ['Ana first', true],
  ['Ben first', false],
] as const;

describe('diffWorkflows', () => {
  it('replays to exactly the workflow after any editor edit', () => {
    const before = fixtureWorkflow();
    const after = edited(
      before,
      { type: 'step/update', id: 'form', patch: { label: 'Intake form', touchMin: 3, notes: 'x' } },
      { type: 'lane/add', lane: { id: 'md', name: 'Physician', staff: 1 }, index: 0 },
      { type: 'lane/move', id: 'nurse', index: 0 },
      { type: 'step/remove', id: 'scan-card' },
      { type: 'workflow/update', patch: { arrivalsPerHour: 12, description: null } },
    );
    const ops = diffWorkflows(before, after);
    expect(applyOps(before, ops)).toEqual({ workflow: after, skipped: [] });
    expect(diffWorkflows(after, after)).toEqual([]);
  });

  it('carries pools, messages and data objects, and a lane’s pool', () => {
    const before: Workflow = {
      ...fixtureWorkflow(),
      pools: [{ id: 'payer', name: 'Insurer' }],
      messageFlows: [{ from: 'insured', to: 'payer' }],
      dataObjects: [{ id: 'card', label: 'Insurance card', kind: 'object', readBy: ['insured'] }],
    };
    // removing a step drops its message and forgets it as a data user
    const after = edited(before, { type: 'step/remove', id: 'insured' });
    const moved = {
      ...after,
      lanes: after.lanes.map((lane, i) => (i === 0 ? { ...lane, pool: 'payer' } : lane)),
    };
    for (const target of [after, moved]) {
      const ops = diffWorkflows(before, target);
      expect(applyOps(before, ops)).toEqual({ workflow: target, skipped: [] });
    }
  });
});

describe.each(ORDERS)('two analysts at once (%s)', (_order, anaFirst) => {
  it('keeps both edits to different fields of one step', async () => {
    const { merged } = await concurrently(
      [{ type: 'step/update', id: 'form', patch: { label: 'Intake form' } }],
      [{ type: 'step/update', id: 'form', patch: { touchMin: 9 } }],
      anaFirst,
    );
    expect(merged.steps.find((s) => s.id === 'form')).toMatchObject({ label: 'Intake form', touchMin: 9 });
  });

  it('keeps a new step of one and a renamed lane of the other', async () => {
    const { merged } = await concurrently(
      [
        {
          type: 'step/add',
          step: { ...fixtureWorkflow().steps[1], id: 'ana-1', label: 'Check ID' } as never,
        },
      ],
      [{ type: 'lane/update', id: 'nurse', patch: { name: 'Nursing' } }],
      anaFirst,
    );
    expect(merged.steps.some((s) => s.id === 'ana-1')).toBe(true);
    expect(merged.lanes.find((l) => l.id === 'nurse')?.name).toBe('Nursing');
  });

  it('lets the same field go to the change the server ordered last', async () => {
    const { merged } = await concurrently(
      [{ type: 'step/update', id: 'form', patch: { touchMin: 1 } }],
      [{ type: 'step/update', id: 'form', patch: { touchMin: 2 } }],
      anaFirst,
    );
    expect(merged.steps.find((s) => s.id === 'form')?.touchMin).toBe(anaFirst ? 2 : 1);
  });

  it('lets a removal win against an edit of the same step, and says so', async () => {
    const { merged, ana, ben } = await concurrently(
      [{ type: 'step/update', id: 'vitals', patch: { touchMin: 7 } }],
      [{ type: 'step/remove', id: 'vitals' }],
      anaFirst,
    );
    expect(merged.steps.some((s) => s.id === 'vitals')).toBe(false);
    if (!anaFirst) expect(ben.notes.length + ana.notes.length).toBeGreaterThan(0);
  });

  it('shows a flow drawn to a step the other removed, as a structure finding', async () => {
    const { merged } = await concurrently(
      [{ type: 'flow/add', flow: { from: 'arrive', to: 'vitals', transfer: 'none' } }],
      [{ type: 'step/remove', id: 'vitals' }],
      anaFirst,
    );
    expect(merged.steps.some((s) => s.id === 'vitals')).toBe(false);
    expect(merged.flows).toContainEqual({ from: 'arrive', to: 'vitals', transfer: 'none' });
    expect(checkWorkflow(merged).map((p) => p.message)).toContain(
      'flow ends at a step that is not in this workflow',
    );
    const structure = analyzeWorkflow(merged).findings.filter((f) => f.rule === 'structure');
    expect(structure.map((f) => f.evidence.check)).toContain('missing-step');
  });
});

describe('compareVersions', () => {
  it('compares two versions of one workflow step by step, by their ids', () => {
    const older = fixtureWorkflow();
    const newer = edited(
      older,
      { type: 'step/update', id: 'form', patch: { touchMin: 1, medium: 'digital' } },
      { type: 'step/remove', id: 'scan-card' },
    );
    const compared = compareVersions(older, newer);
    const form = compared.matches.find((m) => m.current.stepId === 'form');
    expect(form?.by).toBe('replaces');
    expect(form?.changes.map((c) => c.attribute).sort()).toEqual(['medium', 'touchMin']);
    expect(compared.removed.retired.map((r) => r.step.stepId)).toEqual(['scan-card']);
    expect(compared.added).toEqual([]);
  });
});

describe('SharedWorkflowCopy', () => {
  it('keeps the shown workflow itself when only its own changes come back (the editor keeps its undo list)', async () => {
    const server = new MemoryServer(fixtureWorkflow());
    const ana = SharedWorkflowCopy.opened('ana', server.document, 0);
    ana.change(edited(ana.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 1 } }));
    const shown = ana.workflow;
    await ana.sync(server.transport('Ana'));
    expect(ana.workflow).toBe(shown);
    expect(ana.pending).toEqual([]);
    const ben = SharedWorkflowCopy.opened('ben', server.document, server.head);
    ben.change(edited(ben.workflow, { type: 'step/update', id: 'form', patch: { clicks: 3 } }));
    await ben.sync(server.transport('Ben'));
    await ana.sync(server.transport('Ana'));
    expect(ana.workflow).not.toBe(shown);
    expect(ana.workflow).toEqual(server.document);
  });
});
