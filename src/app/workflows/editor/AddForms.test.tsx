import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { AddLaneForm, AddStepForm } from './AddForms.tsx';

const intake = sampleWorkflow('patient-intake.current');

describe('AddLaneForm', () => {
  it('adds a role with its staff on shift, and clears the name for the next', async () => {
    const onAdd = vi.fn();
    render(<AddLaneForm onAdd={onAdd} />);
    const add = screen.getByRole('button', { name: 'Add lane' });
    expect((add as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByRole('textbox', { name: 'Role name' }), '  Triage nurse ');
    const staff = screen.getByRole('textbox', { name: 'Staff on shift' });
    await userEvent.clear(staff);
    await userEvent.type(staff, '2{Enter}');
    expect(onAdd).toHaveBeenCalledWith('Triage nurse', 2);
    expect((screen.getByRole('textbox', { name: 'Role name' }) as HTMLInputElement).value).toBe('');
  });

  it('refuses a staff number that is not whole, saying so at the field', async () => {
    const onAdd = vi.fn();
    render(<AddLaneForm onAdd={onAdd} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Role name' }), 'Scribe');
    const staff = screen.getByRole('textbox', { name: 'Staff on shift' });
    await userEvent.clear(staff);
    await userEvent.type(staff, '1.5');
    expect(staff.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a whole number of 0 or more.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Add lane' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(staff, '{Enter}');
    expect(onAdd).not.toHaveBeenCalled();
  });
});

describe('AddStepForm', () => {
  it('adds a step of the chosen kind to the chosen lane, with the label typed', async () => {
    const onAdd = vi.fn();
    render(<AddStepForm workflow={intake} onAdd={onAdd} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Decision' }));
    const lane = intake.lanes[1];
    if (!lane) throw new Error('the sample has one lane only');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Lane' }), lane.name);
    await userEvent.type(screen.getByRole('textbox', { name: 'Step label' }), 'Insurance on file?');
    await userEvent.click(screen.getByRole('button', { name: 'Add step' }));
    expect(onAdd).toHaveBeenCalledWith('decision', lane.id, 'Insurance on file?');
  });

  it('asks for a lane first in a workflow without one', () => {
    render(<AddStepForm workflow={{ ...intake, lanes: [], steps: [], flows: [] }} onAdd={vi.fn()} />);
    expect((screen.getByRole('button', { name: 'Add step' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Add a lane first: every step belongs to a role.')).toBeTruthy();
  });
});
