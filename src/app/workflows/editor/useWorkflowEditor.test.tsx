/**
 * The editor's history hook with a workflow changed from outside (another tab, a team member's
 * edit heard from the team server): the very render that receives it shows it.
 */
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../../core/project/changes.ts';
import { applyEdit } from '../../../core/workflow/edit/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';

const intake = sampleWorkflow('patient-intake.current');
const task = intake.steps.find((s) => s.kind === 'task');
if (!task) throw new Error('the intake has no task');
const touchOf = (workflow: Workflow) => workflow.steps.find((s) => s.id === task.id)?.touchMin;

describe('useWorkflowEditor with a workflow changed from outside', () => {
  it('shows the outside workflow in the render that receives it, with nothing else re-rendering', () => {
    const { result, rerender } = renderHook(({ workflow }) => useWorkflowEditor(workflow, () => {}), {
      initialProps: { workflow: intake },
    });
    const outside = applyEdit(intake, { type: 'step/update', id: task.id, patch: { touchMin: 42 } }).workflow;
    rerender({ workflow: outside });
    expect(touchOf(result.current.workflow)).toBe(42);
    expect(result.current.canUndo).toBe(false);
  });

  it('keeps the person’s undo when others edit too: undo takes back their own last edit only', () => {
    const lane = intake.lanes[0];
    if (!lane) throw new Error('the intake has no lane');
    const put: Workflow[] = [];
    const dispatch = (change: ProjectChange) => {
      if (change.type === 'workflow/put') put.push(change.workflow);
    };
    const { result, rerender } = renderHook(
      ({ workflow }) => useWorkflowEditor(workflow, dispatch, undefined, { othersEdit: true }),
      { initialProps: { workflow: intake } },
    );
    act(() => {
      result.current.apply({ type: 'step/update', id: task.id, patch: { touchMin: 42 } });
    });
    const mine = put.at(-1) as Workflow;
    rerender({ workflow: mine });
    // a team member renames a lane: the workflow arrives from outside
    const theirs = applyEdit(mine, {
      type: 'lane/update',
      id: lane.id,
      patch: { name: 'Reception' },
    }).workflow;
    rerender({ workflow: theirs });
    expect(result.current.workflow).toBe(theirs);
    expect(result.current.canUndo).toBe(true);
    act(() => result.current.undo());
    const undone = put.at(-1) as Workflow;
    expect(touchOf(undone)).toBe(touchOf(intake));
    expect(undone.lanes.find((l) => l.id === lane.id)?.name, 'their edit stays').toBe('Reception');
  });
});
