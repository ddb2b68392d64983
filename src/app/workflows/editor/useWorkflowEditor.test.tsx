/**
 * The editor's history hook with a workflow changed from outside (another tab, a team member's
 * edit heard from the team server): the very render that receives it shows it.
 */
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../core/workflow/edit/changes.ts';
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
});
