import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READINESS_GATES, type ReadinessGates } from '../../core/readiness/index.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { GatesForm } from './GatesForm.tsx';

/** The form as the Readiness screen holds it: its gates in state, every change kept. */
function Harness({ kept }: { kept: ReadinessGates[] }) {
  const [gates, setGates] = useState(DEFAULT_READINESS_GATES);
  return (
    <GatesForm
      gates={gates}
      onChange={(next) => {
        kept.push(next);
        setGates(next);
      }}
    />
  );
}

describe('GatesForm', () => {
  it('tells a colleague’s change made first beside the gates, each as her value and yours', () => {
    publishConflict(
      'readiness-record',
      'readinessGates',
      { ...DEFAULT_READINESS_GATES, minValidShare: 0.97 },
      { ...DEFAULT_READINESS_GATES, minValidShare: 0.95 },
    );
    render(<Harness kept={[]} />);
    const form = document.getElementById('readiness-gates') as HTMLElement;
    const field = screen.getByRole('spinbutton', { name: /Valid records in every extract/ });
    expect(conflictBeside(form, field, 'readiness gates')).toEqual([['min valid share', '0.95', '0.97']]);
  });

  it('turns the dress rehearsal and the partners into gates', async () => {
    const kept: ReadinessGates[] = [];
    render(<Harness kept={kept} />);
    await userEvent.click(screen.getByRole('checkbox', { name: /A complete dress rehearsal/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /Every vendor and interface partner ready/ }));
    expect(kept.at(-1)).toMatchObject({ requireDressRehearsal: true, requirePartnersReady: true });
  });

  it('keeps a valid percentage as a share', async () => {
    const kept: ReadinessGates[] = [];
    render(<Harness kept={kept} />);
    const field = screen.getByRole('spinbutton', { name: /Valid records in every extract/ });
    await userEvent.clear(field);
    await userEvent.type(field, '97.5');
    expect(kept.at(-1)?.minValidShare).toBe(0.975);
    expect(field.getAttribute('aria-invalid')).toBeNull();
  });

  it('says what is wrong with an entry out of range, keeps it as typed and saves nothing', async () => {
    const kept: ReadinessGates[] = [];
    render(<Harness kept={kept} />);
    const field = screen.getByRole('spinbutton', { name: /Busiest role at the peak hour/ });
    await userEvent.clear(field);
    await userEvent.type(field, '120');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect((field as HTMLInputElement).value).toBe('120');
    expect(screen.getByText('The peak-hour limit must be at most 100.')).toBeTruthy();
    expect(kept.some((g) => g.maxPeakUtilisation > 1)).toBe(false);
  });

  it('refuses a fractional number of supporters', async () => {
    const kept: ReadinessGates[] = [];
    render(<Harness kept={kept} />);
    const field = screen.getByRole('spinbutton', { name: /At-the-elbow supporters/ });
    await userEvent.clear(field);
    await userEvent.type(field, '1.5');
    expect(screen.getByText('The number of supporters must be a whole number.')).toBeTruthy();
    expect(kept.at(-1)?.minSupportPerShift).not.toBe(1.5);
  });

  it('sets a gate for one SAFER guide and takes it back to the one for every guide', async () => {
    const kept: ReadinessGates[] = [];
    render(<Harness kept={kept} />);
    const select = screen.getByRole('combobox', { name: 'Patient Identification: practices that block' });
    await userEvent.selectOptions(select, 'Anything not fully implemented');
    expect(kept.at(-1)?.safetyGuides).toEqual({ 'patient-identification': 'full' });
    await userEvent.selectOptions(select, 'As for every guide');
    expect(kept.at(-1)?.safetyGuides).toEqual({});
  });

  it('shows the gates without fields when they cannot be changed', () => {
    render(<GatesForm gates={DEFAULT_READINESS_GATES} />);
    expect(screen.queryByRole('spinbutton')).toBeNull();
    expect(screen.getByText('Gates in effect')).toBeTruthy();
  });
});
