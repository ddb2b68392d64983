/**
 * The go-live what-if of waits kept from today's log, on the demo's refill workflows: today's
 * chart stack (measured from its log) at a hand-off the in-basket design keeps; ticking "release
 * the work as it comes" shows the batching hours saved, the core's figures.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { waitSaving } from '../../../core/workflow/waits/index.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { KeptWaitsWhatIf } from './KeptWaitsWhatIf.tsx';

const current = sampleWorkflow('prescription-refill.current');
const future = sampleWorkflow('prescription-refill.future');
const hours = (h: number) => `${h < 0.1 ? h.toFixed(2) : h.toFixed(1)} h`;

describe('KeptWaitsWhatIf', () => {
  it('names the kept hand-off and shows the waiting saved when the batch is released as it comes', async () => {
    const user = userEvent.setup();
    render(<KeptWaitsWhatIf workflow={future} baseline={current} waitFloorMin={5} />);
    const group = screen.getByRole('group', { name: 'Waiting the plan keeps from today’s log' });
    expect(group.textContent).toContain(
      'Sign the pended refill in the in-basket: today cases wait 1.2 h per case at the hand-off from Medical assistant to Physician',
    );
    expect(screen.getByRole('status').textContent).toBe(
      'Choose what would change to see the waiting it saves.',
    );

    await user.click(screen.getByRole('checkbox', { name: 'Release the work as it comes, not in batches' }));
    const batching = waitSaving(future, current, ['batching'], 5);
    expect(screen.getByRole('status').textContent).toBe(
      `Saves ${hours(batching.savedHoursPerCase)} of waiting per case, ${hours(batching.savedHoursPerDay)} a day over 30 cases.`,
    );

    await user.click(
      screen.getByRole('checkbox', { name: 'Cover the step at every hour cases wait for it today' }),
    );
    const both = waitSaving(future, current, ['batching', 'unavailability'], 5);
    expect(both.savedHoursPerCase).toBeGreaterThan(batching.savedHoursPerCase);
    expect(screen.getByRole('status').textContent).toContain(
      `Saves ${hours(both.savedHoursPerCase)} of waiting`,
    );
  });

  it('shows nothing when today’s workflow carries no measured waits', () => {
    const drawn = sampleWorkflow('patient-intake.current');
    const { container } = render(
      <KeptWaitsWhatIf
        workflow={sampleWorkflow('patient-intake.future')}
        baseline={drawn}
        waitFloorMin={5}
      />,
    );
    expect(container.textContent).toBe('');
  });
});
