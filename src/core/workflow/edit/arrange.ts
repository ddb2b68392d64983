/**
 * Auto-layout as an edit: the positions `layoutWorkflow` (core/workflow/layout/layout.ts) computed become
 * one `batch` of `step/update` position changes, so "Arrange automatically" is one undo step and
 * goes through the same autosave as every other edit. The layout places Preflight's own shapes, so
 * a size kept from another tool's drawing is dropped with the place it had there (undo restores both). Lanes are never changed: the layout keeps
 * each step in its lane, and the canvas resizes the bands to their content.
 */
import type { Workflow } from '../../../formats/workflow.ts';
import type { WorkflowLayout } from '../layout/layout.ts';
import type { WorkflowEdit } from './changes.ts';

/**
 * The edit that moves every step of `workflow` to its place in `layout`, or null when nothing
 * would move. Steps the layout does not know (added while it ran) keep their place; positions are
 * rounded to whole canvas units, as the editor stores them.
 */
export function arrangeEdit(workflow: Workflow, layout: WorkflowLayout): WorkflowEdit | null {
  const edits: WorkflowEdit[] = [];
  for (const step of workflow.steps) {
    const placed = layout.positions[step.id];
    if (!placed) continue;
    const position = { x: Math.round(placed.x), y: Math.round(placed.y) };
    const moved = step.position?.x !== position.x || step.position.y !== position.y;
    // the layout places Preflight's shapes: a size another tool drew the step at goes with its place
    if (!moved && step.size === undefined) continue;
    edits.push({
      type: 'step/update',
      id: step.id,
      patch: { ...(moved ? { position } : {}), ...(step.size !== undefined ? { size: null } : {}) },
    });
  }
  return edits.length > 0 ? { type: 'batch', edits } : null;
}
