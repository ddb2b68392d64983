import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { ComparePanel } from './ComparePanel.tsx';
import { RoleChecklist } from './RoleChecklist.tsx';
import { analyseProcess } from './useProcessAnalysis.ts';

const { comparison } = analyseProcess(
  sampleWorkflow('patient-intake.current'),
  sampleWorkflow('patient-intake.future'),
  {},
);
if (!comparison) throw new Error('the intake pair has no comparison');

describe('ComparePanel (Today vs planned)', () => {
  it('puts a wait kept from today among the findings that stay, not those the plan introduces', () => {
    render(<ComparePanel comparison={comparison} />);
    const introduced = screen.getByRole('region', { name: 'Findings the plan introduces' });
    expect(introduced.textContent).not.toMatch(/still waits/);
    const stay = screen.getByRole('region', { name: 'Findings that stay' });
    expect(stay.textContent).toMatch(/Approve self-pay .* still waits 22 of 25 min/);
  });

  it('gives each metric its change in words, and names the steps nobody planned for', () => {
    render(<ComparePanel comparison={comparison} />);
    expect(screen.getByText("18 planned steps replace 19 of today's steps", { exact: false })).toBeTruthy();
    const table = screen.getByRole('table', { name: /Per patient at the morning peak/ });
    expect(within(table).getByRole('row', { name: /Clicks per patient/ }).textContent).toMatch(/worse/);
    expect(screen.getByText(/Today's steps nobody planned for \(2\)/)).toBeTruthy();
  });
});

describe('RoleChecklist (Training by role)', () => {
  it('has a sheet per role in words: no end event to train on, data named, not by its id', () => {
    render(<RoleChecklist comparison={comparison} />);
    expect(screen.getByRole('article', { name: /^Medical assistant/ }).textContent).toMatch(/vitals/i);
    const sheets = screen
      .getAllByRole('article')
      .map((a) => a.textContent)
      .join('\n');
    expect(sheets).not.toContain('Visit closed and billed');
    expect(sheets).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
    expect(screen.getByRole('article', { name: /^Front desk/ }).textContent).toContain('document (consent)');
    expect(screen.getAllByRole('article').length).toBeGreaterThanOrEqual(5);
  });

  it('prints the checklist alone: marked while the print dialog is open, unmarked after', async () => {
    const print = vi.spyOn(window, 'print').mockImplementation(() => {
      expect(document.body.classList.contains('printing-checklist')).toBe(true);
      expect(document.querySelector('[data-printing] .role-page')).not.toBeNull();
    });
    render(<RoleChecklist comparison={comparison} />);
    await userEvent.click(screen.getByRole('button', { name: /Print the checklists/ }));
    expect(print).toHaveBeenCalledOnce();
    window.dispatchEvent(new Event('afterprint'));
    expect(document.body.classList.contains('printing-checklist')).toBe(false);
    expect(document.querySelector('[data-printing]')).toBeNull();
    print.mockRestore();
  });
});
