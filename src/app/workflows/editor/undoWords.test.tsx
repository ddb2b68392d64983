import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { changeWords, undoMessage } from './undoWords.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';

const intake = sampleWorkflow('patient-intake.current');
const task = intake.steps.find((s) => s.kind === 'task');
if (!task) throw new Error('the intake has no task');

describe('changeWords', () => {
  it('names a moved step, a changed step, and steps added or removed with their connections', () => {
    const moved = {
      ...intake,
      steps: intake.steps.map((s) => (s.id === task.id ? { ...s, position: { x: 999, y: 5 } } : s)),
    };
    expect(changeWords(intake, moved)).toBe(`moved step “${task.label}”`);
    const relabelled = {
      ...intake,
      steps: intake.steps.map((s) => (s.id === task.id ? { ...s, touchMin: 99 } : s)),
    };
    expect(changeWords(intake, relabelled)).toBe(`changed step “${task.label}”`);
    const removed = {
      ...intake,
      steps: intake.steps.filter((s) => s.id !== task.id),
      flows: intake.flows.filter((f) => f.from !== task.id && f.to !== task.id),
    };
    // its connections go with it: not listed apart
    expect(changeWords(intake, removed)).toBe(`removed step “${task.label}”`);
    expect(changeWords(removed, intake)).toBe(`added step “${task.label}”`);
  });

  it('names pools renamed and documents, and counts messages', () => {
    const [a, b] = intake.steps;
    if (!a || !b) throw new Error('the intake has no steps');
    const beside: Workflow = {
      ...intake,
      pools: [{ id: 'clinic', name: 'Clinic' }],
      messageFlows: [{ from: a.id, to: b.id }],
      dataObjects: [{ id: 'form', label: 'Form', kind: 'object' }],
    };
    expect(changeWords(beside, { ...beside, pools: [{ id: 'clinic', name: 'Northside' }] })).toBe(
      'renamed pool “Northside”',
    );
    const { messageFlows: _, ...noMessages } = beside;
    expect(changeWords(beside, noMessages)).toBe('removed a message');
    expect(changeWords(noMessages, beside, 'brought back')).toBe('brought back a message');
    expect(changeWords(beside, { ...beside, dataObjects: [] })).toBe('removed document “Form”');
    expect(
      changeWords(beside, { ...beside, dataObjects: [{ id: 'form', label: 'Form', kind: 'store' }] }),
    ).toBe('changed document “Form”');
  });

  it('counts connections and names lanes; many steps are counted, not named', () => {
    const flow = intake.flows[0] as Workflow['flows'][number];
    expect(changeWords(intake, { ...intake, flows: intake.flows.slice(1) })).toBe('removed a connection');
    expect(
      changeWords(intake, {
        ...intake,
        flows: intake.flows.map((f) => (f === flow ? { ...f, transfer: 'paper' } : f)),
      }),
    ).toBe('changed a connection');
    const lane = intake.lanes[0] as Workflow['lanes'][number];
    expect(
      changeWords(intake, {
        ...intake,
        lanes: intake.lanes.map((l) => (l === lane ? { ...l, name: 'Reception' } : l)),
      }),
    ).toBe('changed lane “Reception”');
    expect(changeWords(intake, { ...intake, lanes: [...intake.lanes].reverse() })).toBe('moved a lane');
    const allMoved = { ...intake, steps: intake.steps.map((s) => ({ ...s, position: { x: 1, y: 1 } })) };
    expect(changeWords(intake, allMoved)).toBe(`moved ${intake.steps.length} steps`);
    expect(changeWords(intake, { ...intake, name: 'Renamed' })).toBe('changed the workflow’s details');
    expect(changeWords(intake, intake)).toBe('');
  });

  it('says which way it went: an undo of a removal brings the step back', () => {
    expect(undoMessage('undo', intake, intake)).toBe('Undone. Redo puts it back.');
    const without = { ...intake, steps: intake.steps.filter((s) => s.id !== task.id) };
    expect(undoMessage('undo', without, intake)).toBe(
      `Undone: brought back step “${task.label}”. Redo puts it back.`,
    );
    expect(undoMessage('redo', without, intake)).toBe(
      `Redone: added step “${task.label}”. Undo takes it back.`,
    );
    expect(undoMessage('redo', intake, { ...intake, name: 'x' })).toBe(
      'Redone: changed the workflow’s details. Undo takes it back.',
    );
  });
});

/** The editor's history with a status line that is a live region, as the editor has. */
function Harness() {
  const [workflow, setWorkflow] = useState<Workflow>(intake);
  const [message, setMessage] = useState('');
  const editor = useWorkflowEditor(
    workflow,
    (change) => {
      if (change.type === 'workflow/put') setWorkflow(change.workflow);
    },
    setMessage,
  );
  return (
    <>
      <button
        type="button"
        onClick={() => {
          editor.apply({ type: 'step/update', id: task?.id ?? '', patch: { position: { x: 500, y: 80 } } });
          setMessage(`Moved “${task?.label}”.`);
        }}
      >
        Move
      </button>
      <button type="button" onClick={editor.undo}>
        Undo
      </button>
      <button type="button" onClick={editor.redo}>
        Redo
      </button>
      <p role="status" aria-live="polite">
        {message}
      </p>
    </>
  );
}

describe('undo and redo on the status line', () => {
  it('announce what they did, never the message of the edit undone', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const status = screen.getByRole('status');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(status.textContent).toBe('Nothing to undo.');
    await user.click(screen.getByRole('button', { name: 'Move' }));
    expect(status.textContent).toBe(`Moved “${task.label}”.`);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(status.textContent).toBe(`Undone: moved step “${task.label}”. Redo puts it back.`);
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(status.textContent).toBe(`Redone: moved step “${task.label}”. Undo takes it back.`);
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(status.textContent).toBe('Nothing to redo.');
  });
});
