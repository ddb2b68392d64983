import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Step } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { AppendDialog, ConnectDialog } from './KeyboardDialogs.tsx';
import { defaultLabel } from './labels.ts';

const intake = sampleWorkflow('patient-intake.current');

function stepNamed(label: RegExp): Step {
  const step = intake.steps.find((s) => label.test(s.label));
  if (!step) throw new Error(`no step ${label}`);
  return step;
}

describe('ConnectDialog ("C": connect the focused step to another)', () => {
  it('takes the typed name, lists the matching steps, and Enter connects the first', async () => {
    const from = intake.steps[1] as Step;
    const onConnect = vi.fn();
    render(<ConnectDialog workflow={intake} from={from} onConnect={onConnect} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: `Connect “${from.label}” to…` });
    const name = within(dialog).getByRole('combobox', { name: /^Step to go to next/ });
    expect(document.activeElement).toBe(name);
    const target = stepNamed(/^Check out/);
    await userEvent.type(name, 'check out');
    const options = within(dialog).getAllByRole('option');
    expect(options[0]?.textContent).toContain(target.label);
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    expect(name.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
    await userEvent.keyboard('{Enter}');
    expect(onConnect).toHaveBeenCalledWith(target.id);
  });

  it('moves the choice with the arrow keys, and lists neither start steps nor steps already connected', async () => {
    const from = intake.steps.find((s) => intake.flows.some((f) => f.from === s.id && s.kind !== 'start'));
    if (!from) throw new Error('no connected step');
    const onConnect = vi.fn();
    render(<ConnectDialog workflow={intake} from={from} onConnect={onConnect} onClose={vi.fn()} />);
    const listed = within(screen.getByRole('listbox', { name: 'Steps' }))
      .getAllByRole('option')
      .map((o) => o.textContent ?? '');
    const next = intake.flows.filter((f) => f.from === from.id).map((f) => f.to);
    for (const step of intake.steps.filter((s) => s.kind === 'start' || next.includes(s.id) || s === from)) {
      expect(
        listed.some((text) => text.startsWith(`${step.label} ·`)),
        step.label,
      ).toBe(false);
    }
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}{Enter}');
    expect(onConnect).toHaveBeenCalledWith(
      intake.steps.find((s) => listed[1]?.startsWith(`${s.label} ·`))?.id,
    );
  });

  it('says when no step has the typed name, and connects nothing', async () => {
    const onConnect = vi.fn();
    render(
      <ConnectDialog
        workflow={intake}
        from={intake.steps[1] as Step}
        onConnect={onConnect}
        onClose={vi.fn()}
      />,
    );
    await userEvent.keyboard('zzzz{Enter}');
    expect(screen.getByText(/^No step to connect has this name/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);
    expect(onConnect).not.toHaveBeenCalled();
  });
});

describe('AppendDialog ("A": add a step after the focused one)', () => {
  it('starts on Task in the lane of the step in focus; arrows change the kind; Enter adds', async () => {
    const after = intake.steps[1] as Step;
    const onAdd = vi.fn();
    render(
      <AppendDialog
        workflow={intake}
        after={after}
        defaultLabel={defaultLabel}
        onAdd={onAdd}
        onClose={vi.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: `Add a step after “${after.label}”` });
    const task = within(dialog).getByRole('radio', { name: 'Task' });
    expect(document.activeElement).toBe(task);
    // a start is never offered: nothing leads to one
    expect(within(dialog).queryByRole('radio', { name: 'Start' })).toBeNull();
    await userEvent.keyboard('{ArrowRight}');
    expect((within(dialog).getByRole('radio', { name: 'Decision' }) as HTMLInputElement).checked).toBe(true);
    const lane = within(dialog).getByRole('combobox', { name: 'Lane' }) as HTMLSelectElement;
    expect(lane.value).toBe(after.lane);
    const label = within(dialog).getByRole('textbox', { name: 'Step label' });
    expect(label.getAttribute('placeholder')).toBe('New decision');
    await userEvent.type(label, 'Paid?{Enter}');
    expect(onAdd).toHaveBeenCalledWith({ kind: 'decision', lane: after.lane, label: 'Paid?' });
  });
});
