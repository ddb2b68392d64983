import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { FindingsPanel } from './FindingsPanel.tsx';
import { RuleSettings } from './RuleSettings.tsx';
import { analyseProcess } from './useProcessAnalysis.ts';

const current = sampleWorkflow('patient-intake.current');
const future = sampleWorkflow('patient-intake.future');

/** The Check settings tab and the Findings tab over the same project settings, each save kept. */
function Harness({ saved }: { saved: Record<string, unknown>[] }) {
  const [settings, setSettings] = useState<Record<string, unknown>>({});
  const analysis = analyseProcess(current, future, settings).future;
  return (
    <>
      <RuleSettings
        projectSettings={settings}
        onSettingsChange={(next) => {
          saved.push(next);
          setSettings(next);
        }}
      />
      {analysis && (
        <FindingsPanel
          workflow={future}
          baseline={current}
          analysis={analysis}
          onShowSteps={() => {}}
          compact
        />
      )}
    </>
  );
}

const clickFindings = () => screen.queryAllByRole('heading', { level: 6, name: /^Too many clicks/ });

describe('RuleSettings', () => {
  it('refuses a bad threshold where it is typed, keeps it as typed, and saves nothing', async () => {
    const saved: Record<string, unknown>[] = [];
    render(<Harness saved={saved} />);
    const budget = screen.getByRole('spinbutton', { name: 'Clicks one step may take' });
    await userEvent.clear(budget);
    await userEvent.type(budget, '-3');
    expect(budget.getAttribute('aria-invalid')).toBe('true');
    expect((budget as HTMLInputElement).value).toBe('-3');
    expect(budget.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(budget.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /^Not allowed here: /,
    );
    expect(JSON.stringify(saved)).not.toContain('-3');
  });

  it('switching a check off saves it and removes its findings', async () => {
    const saved: Record<string, unknown>[] = [];
    render(<Harness saved={saved} />);
    expect(clickFindings().length).toBeGreaterThan(0);
    const rule = screen.getByRole('combobox', { name: 'Too many clicks' });
    await userEvent.selectOptions(rule, 'Off');
    expect(saved).toHaveLength(1);
    expect(clickFindings()).toEqual([]);
    expect((rule as HTMLSelectElement).value).toBe('off');
  });

  it('restores every default in one step', async () => {
    const saved: Record<string, unknown>[] = [];
    render(<Harness saved={saved} />);
    const restore = screen.getByRole('button', { name: 'Restore every default' });
    expect((restore as HTMLButtonElement).disabled).toBe(true);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Too many clicks' }), 'Off');
    await userEvent.click(restore);
    expect(clickFindings().length).toBeGreaterThan(0);
  });

  it('shows the settings without changing them when the project is read-only', () => {
    render(<RuleSettings projectSettings={{}} />);
    expect(screen.getByRole('combobox', { name: 'Too many clicks' }).matches(':disabled')).toBe(true);
    expect(screen.getByRole('spinbutton', { name: 'Clicks one step may take' }).matches(':disabled')).toBe(
      true,
    );
  });
});
