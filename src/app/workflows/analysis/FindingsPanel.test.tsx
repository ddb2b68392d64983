import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { FindingsPanel } from './FindingsPanel.tsx';
import { analyseProcess } from './useProcessAnalysis.ts';

const current = sampleWorkflow('patient-intake.current');
const future = sampleWorkflow('patient-intake.future');
const analysis = (() => {
  const { future: planned } = analyseProcess(current, future, {});
  if (!planned) throw new Error('the planned intake has no analysis');
  return planned;
})();

function renderPanel(onShowSteps = vi.fn()) {
  render(
    <FindingsPanel
      workflow={future}
      baseline={current}
      analysis={analysis}
      onShowSteps={onShowSteps}
      compact
    />,
  );
  return onShowSteps;
}

const findingsList = () => screen.getByRole('region', { name: /^What Preflight found in Patient intake/ });

describe('FindingsPanel on the process page', () => {
  it('counts the planted findings of the planned intake, one per root cause', () => {
    renderPanel();
    expect(screen.getByRole('heading', { level: 4 }).textContent).toMatch(
      /8 problems, 4 warnings, 6 notes \(one finding per root cause\)$/,
    );
    const offered = within(screen.getByRole('combobox', { name: 'Check' }))
      .getAllByRole('option')
      .map((o) => o.textContent);
    for (const title of [
      'Paper step rebuilt on screen (1)',
      'Waiting carried over (1)',
      'Approvals in a row (1)',
      'Same data entered twice (1)',
      'Data re-keyed between systems (1)',
      'Print, sign, scan back (1)',
      'Decision that changes nothing (1)',
      'Current step not accounted for (2)',
    ]) {
      expect(offered, title).toContain(title);
    }
  });

  it('folds a root cause’s reason until opened, naming the other checks it trips', async () => {
    renderPanel();
    const summary = screen.getByText(/^Approve self-pay .* → Billing lead co-approves the discount/, {
      selector: 'summary',
    });
    expect(summary.textContent).toMatch(/— also waiting carried over, approvals in a row$/);
    const details = summary.closest('details');
    expect(details?.open).toBe(false);
    await userEvent.click(summary);
    expect(details?.open).toBe(true);
    expect(within(details as HTMLElement).getByText(/still waits 22 of 25 min/)).toBeTruthy();
  });

  it('filters by check and by role, and says how many are shown', async () => {
    renderPanel();
    const check = screen.getByRole('combobox', { name: 'Check' });
    const role = screen.getByRole('combobox', { name: 'Role' });
    await userEvent.selectOptions(check, 'Too many clicks (12)');
    expect(screen.getByText('Showing 12 of 18 findings')).toBeTruthy();
    const headings = within(findingsList())
      .getAllByRole('heading', { level: 6 })
      .map((h) => h.textContent);
    expect(headings).toEqual([
      'Too many clicks click-burden (4)',
      'Too many clicks click-burden (2)',
      'Too many clicks click-burden (6)',
    ]);
    await userEvent.selectOptions(role, 'Front desk (6)');
    expect(screen.getByText('Showing 3 of 18 findings')).toBeTruthy();
    await userEvent.selectOptions(check, 'All checks');
    expect(screen.getByText('Showing 6 of 18 findings')).toBeTruthy();
    await userEvent.selectOptions(role, 'All roles');
    expect(screen.queryByText(/^Showing/)).toBeNull();
  });

  it('a finding’s button asks for its steps, in the workflow the steps belong to', async () => {
    const onShowSteps = renderPanel();
    await userEvent.click(
      screen.getAllByRole('button', {
        name: (name) => name.startsWith('Show the') && name.includes(future.name),
      })[0] as HTMLElement,
    );
    expect(onShowSteps).toHaveBeenLastCalledWith(future.id, expect.any(Array));
    // an untraced step of today is today's, not the plan's
    const untraced = screen.getAllByRole('button', { name: /in Patient intake — current/ })[0] as HTMLElement;
    await userEvent.click(untraced);
    expect(onShowSteps).toHaveBeenLastCalledWith(current.id, expect.any(Array));
    const [, stepIds] = onShowSteps.mock.lastCall as [string, string[]];
    expect(stepIds.every((id) => current.steps.some((s) => s.id === id))).toBe(true);
  });

  it('shows the findings chosen on the diagram first, focused, with a way back', async () => {
    const onClear = vi.fn();
    render(
      <FindingsPanel
        workflow={future}
        baseline={current}
        analysis={analysis}
        onShowSteps={vi.fn()}
        chosen={{ where: 'Check in', findings: analysis.findings.slice(0, 2), onClear, choice: 1 }}
      />,
    );
    const heading = screen.getByRole('heading', { name: /^On the diagram, Check in: / });
    expect(document.activeElement).toBe(heading);
    await userEvent.click(screen.getByRole('button', { name: 'Back to all findings' }));
    expect(onClear).toHaveBeenCalledOnce();
  });
});
