/** Auto-layout applied as one edit: every step moves, none changes lane, one inverse restores all. */
import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { layoutWorkflow } from '../layout/layout.ts';
import { arrangeEdit } from './arrange.ts';
import { applyEdit } from './changes.ts';

describe('arrangeEdit', () => {
  it.each([
    { description: 'a current workflow', workflow: fixtureWorkflow() },
    { description: 'a future workflow', workflow: fixtureFutureWorkflow() },
  ])('moves $description to the layout in one batch that undoes as one', async ({ workflow }) => {
    const layout = await layoutWorkflow(workflow);
    const edit = arrangeEdit(workflow, layout);
    expect(edit?.type).toBe('batch');
    if (!edit) return;
    const { workflow: arranged, inverse } = applyEdit(workflow, edit);
    for (const step of arranged.steps) {
      const placed = layout.positions[step.id];
      expect(step.position).toEqual(placed && { x: Math.round(placed.x), y: Math.round(placed.y) });
      expect(step.lane).toBe(workflow.steps.find((s) => s.id === step.id)?.lane);
    }
    expect(applyEdit(arranged, inverse).workflow).toEqual(workflow);
    // arranging an arranged workflow changes nothing
    expect(arrangeEdit(arranged, layout)).toBeNull();
  });

  it('leaves steps the layout does not know where they are, and rounds positions', () => {
    const workflow = fixtureWorkflow();
    const [first, second] = workflow.steps;
    if (!first || !second) throw new Error('fixture changed');
    const edit = arrangeEdit(workflow, { positions: { [first.id]: { x: 10.4, y: 20.6 } }, lanes: {} });
    expect(edit).toEqual({
      type: 'batch',
      edits: [{ type: 'step/update', id: first.id, patch: { position: { x: 10, y: 21 } } }],
    });
  });

  it("draws Preflight's own shapes: a size kept from another tool goes, and undo brings it back", async () => {
    const base = fixtureWorkflow();
    const workflow = {
      ...base,
      steps: base.steps.map((step) => ({ ...step, size: { width: 36, height: 36 } })),
    };
    const layout = await layoutWorkflow(workflow);
    const edit = arrangeEdit(workflow, layout);
    if (!edit) throw new Error('nothing arranged');
    const { workflow: arranged, inverse } = applyEdit(workflow, edit);
    expect(arranged.steps.filter((step) => step.size !== undefined)).toEqual([]);
    expect(applyEdit(arranged, inverse).workflow).toEqual(workflow);
    // a step already at its place still loses the drawn size
    const settled = {
      ...arranged,
      steps: arranged.steps.map((step) => ({ ...step, size: { width: 50, height: 50 } })),
    };
    expect(applyEdit(settled, arrangeEdit(settled, layout) ?? { type: 'batch', edits: [] }).workflow).toEqual(
      arranged,
    );
  });
});
