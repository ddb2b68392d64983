import { act, fireEvent, render, renderHook, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../../core/project/changes.ts';
import type { BoundaryChanceEstimate } from '../../../core/workflow/eventlog/index.ts';
import { flow, step, workflow } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { useWorkflowEditor } from '../editor/useWorkflowEditor.ts';
import { BoundaryChances } from './BoundaryChances.tsx';

const design = workflow(
  [{ id: 'n', name: 'Nurse', staff: 1 }],
  [
    step('s', 'n', 0, { kind: 'start' }),
    step('triage', 'n', 5, { label: 'Triage' }),
    step('late', 'n', 0, {
      label: 'Too long',
      kind: 'wait',
      boundary: { attachedTo: 'triage', trigger: 'timer', interrupting: true },
    }),
    step('bill', 'n', 2, { label: 'Bill' }),
    step('unpaid', 'n', 0, {
      label: 'Unpaid',
      kind: 'wait',
      boundary: { attachedTo: 'bill', trigger: 'timer', interrupting: true },
    }),
    step('e', 'n', 0, { kind: 'end' }),
  ],
  [
    flow('s', 'triage'),
    flow('triage', 'bill'),
    flow('triage', 'late'),
    flow('late', 'e'),
    flow('bill', 'e'),
    flow('bill', 'unpaid', 0.1),
    flow('unpaid', 'e'),
  ],
);

const estimates: BoundaryChanceEstimate[] = [
  {
    flowIndex: 2,
    taskId: 'triage',
    boundaryId: 'late',
    firstSteps: ['e'],
    estimate: { chance: 0.25, cases: 3, ofCases: 12 },
  },
  {
    flowIndex: 5,
    taskId: 'bill',
    boundaryId: 'unpaid',
    current: 0.1,
    firstSteps: [],
    noEstimate: 'task-not-in-log',
  },
];

function Harness({ saved }: { saved: Workflow[] }) {
  const [current, setCurrent] = useState(design);
  return (
    <BoundaryChances
      estimates={estimates}
      workflow={current}
      onWorkflowChange={(next) => {
        saved.push(next);
        setCurrent(next);
      }}
    />
  );
}

describe('BoundaryChances', () => {
  it('shows what the log measured, sets it as one change, and puts the earlier chances back', () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} />);
    const triage = screen.getByRole('row', { name: /Triage → Too long/ });
    expect(triage.textContent).toContain('25.0 % (3 of 12 cases)');
    expect(triage.textContent).toContain('5.0 % (the default)');
    expect(screen.getByRole('row', { name: /Bill → Unpaid/ }).textContent).toContain(
      'Not measured: the step never appears in the log',
    );

    fireEvent.click(screen.getByRole('button', { name: /Use the measured chances/ }));
    expect(saved).toHaveLength(1);
    expect(saved[0]?.flows.map((f) => f.probability)).toEqual([
      undefined,
      undefined,
      0.25,
      undefined,
      undefined,
      0.1,
      undefined,
    ]);
    const now = within(screen.getByRole('row', { name: /Triage → Too long/ })).getAllByRole('cell');
    expect(now.map((cell) => cell.textContent)).toEqual(['25.0 % (3 of 12 cases)', '25.0 %']);
    expect(screen.getByRole('status').textContent).toContain('The measured chances are set');
    expect(screen.queryByRole('button', { name: /Use the measured chances/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Put the earlier chances back' }));
    expect(saved).toHaveLength(2);
    expect(saved[1]?.flows).toEqual(design.flows);
    // announced as the editor announces an undo
    expect(screen.getByRole('status').textContent).toBe('Undone: changed a connection. Redo puts it back.');
    expect(screen.getByRole('button', { name: /Use the measured chances/ })).toBeTruthy();
  });

  it('is one step of the undo list: Ctrl+Z takes it back here, once', () => {
    const saved: Workflow[] = [];
    render(<Harness saved={saved} />);
    const use = screen.getByRole('button', { name: /Use the measured chances/ });
    fireEvent.click(use);
    fireEvent.keyDown(screen.getByRole('button', { name: 'Put the earlier chances back' }), {
      key: 'z',
      ctrlKey: true,
    });
    expect(saved.map((w) => w.flows[2]?.probability)).toEqual([0.25, undefined]);
    expect(saved[1]?.flows).toEqual(design.flows);
    expect(screen.getByRole('status').textContent).toBe('Undone: changed a connection. Redo puts it back.');
    // nothing more of this change to undo: a second Ctrl+Z changes nothing
    fireEvent.keyDown(screen.getByRole('button', { name: /Use the measured chances/ }), {
      key: 'z',
      ctrlKey: true,
    });
    expect(saved).toHaveLength(2);
  });

  it('is a step of the editor’s undo: the editor opened afterwards takes it back, announced', () => {
    const saved: Workflow[] = [];
    const { unmount } = render(<Harness saved={saved} />);
    fireEvent.click(screen.getByRole('button', { name: /Use the measured chances/ }));
    unmount();
    const stored = saved[0] as Workflow;

    const put: Workflow[] = [];
    const said: string[] = [];
    const dispatch = (change: ProjectChange) => {
      if (change.type === 'workflow/put') put.push(change.workflow);
    };
    const { result } = renderHook(() => useWorkflowEditor(stored, dispatch, (m) => said.push(m)));
    expect(result.current.canUndo).toBe(true);
    act(() => result.current.undo());
    expect(put.at(-1)?.flows).toEqual(design.flows);
    expect(said).toEqual(['Undone: changed a connection. Redo puts it back.']);
    act(() => result.current.redo());
    expect(put.at(-1)?.flows[2]?.probability).toBe(0.25);
  });

  it('offers no change without a way to save', () => {
    render(<BoundaryChances estimates={estimates} workflow={design} />);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
