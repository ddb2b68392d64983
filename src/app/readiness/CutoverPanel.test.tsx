import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useMemo, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { assessReadiness } from '../../core/readiness/index.ts';
import { goProject } from '../../core/readiness/testing/crafted.ts';
import {
  type CommandCentre,
  type CutoverRunbook,
  readCommandCentre,
  readCutoverRunbook,
  withCommandCentre,
  withCutoverRunbook,
} from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { CutoverPanel } from './CutoverPanel.tsx';

/** The panel as the Readiness screen holds it: the project in state, the result recomputed. */
function Harness({ initial, kept }: { initial: Project; kept: unknown[] }) {
  const [project, setProject] = useState(initial);
  const result = useMemo(() => assessReadiness(project), [project]);
  const settings = project.meta.settings;
  const keep = (next: Record<string, unknown>) => {
    kept.push(next);
    setProject((p) => ({ ...p, meta: { ...p.meta, settings: next } }));
  };
  return (
    <CutoverPanel
      runbook={readCutoverRunbook(settings)}
      centre={readCommandCentre(settings)}
      summary={result.cutover}
      onRunbook={(r: CutoverRunbook) => keep(withCutoverRunbook(settings, r))}
      onCentre={(c: CommandCentre) => keep(withCommandCentre(settings, c))}
    />
  );
}

/** The go project without a runbook or a command centre. */
function bare(): Project {
  const p = goProject();
  const { cutoverRunbook: _r, commandCentre: _c, ...settings } = p.meta.settings;
  return { ...p, meta: { ...p.meta, settings } };
}

describe('CutoverPanel', () => {
  it('tells a colleague’s change made first beside the runbook, by the step it concerns, and the command centre’s beside it', () => {
    const settings = goProject().meta.settings;
    const runbook = readCutoverRunbook(settings) as CutoverRunbook;
    const first = runbook.steps[0] as CutoverRunbook['steps'][number];
    publishConflict('readiness-record', 'cutoverRunbook', runbook, {
      steps: [{ ...first, owner: 'Jin Park' }, ...runbook.steps.slice(1)],
    });
    const { unmount } = render(<Harness initial={goProject()} kept={[]} />);
    const rows = conflictBeside(
      screen.getByRole('region', { name: /Cutover runbook/ }),
      screen.getByRole('textbox', { name: 'Step 1: what is done' }),
      'cutover runbook',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe(`steps “${first.id}”`);
    expect(rows[0]?.[1]).toContain('owner Jin Park');
    expect(
      within(screen.getByRole('region', { name: /Command centre/ })).queryByTestId('conflict-beside'),
    ).toBeNull();
    unmount();

    const centre = readCommandCentre(settings) as CommandCentre;
    publishConflict('readiness-record', 'commandCentre', centre, { ...centre, location: 'Room 3.01' });
    render(<Harness initial={goProject()} kept={[]} />);
    expect(
      conflictBeside(
        screen.getByRole('region', { name: /Command centre/ }),
        screen.getByLabelText('Where it sits'),
        'command centre',
      ),
    ).toEqual([['location', 'Room 3.01', centre.location ?? 'nothing']]);
  });

  it('starts a runbook step by step and says what it still lacks', async () => {
    const user = userEvent.setup();
    const kept: Record<string, unknown>[] = [];
    render(<Harness initial={bare()} kept={kept} />);
    expect(screen.getByTestId('runbook-state').textContent).toBe('Not recorded');
    await user.click(screen.getByRole('button', { name: 'Add a step' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Step 1: kind' }), 'Data freeze');
    fireEvent.change(screen.getByRole('textbox', { name: 'Step 1: what is done' }), {
      target: { value: 'Freeze the old system' },
    });
    expect(screen.getByTestId('runbook-state').textContent).toBe('Incomplete');
    expect(
      screen.getByText(
        'Still missing: final extract, delta load, reconciliation sign-off, go/no-go checkpoint.',
      ),
    ).toBeTruthy();
    expect(screen.getByText('No owner; no planned time.')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Step 1: owner' }), {
      target: { value: 'Ana Ruiz' },
    });
    fireEvent.change(screen.getByLabelText('Step 1: planned time'), {
      target: { value: '2026-11-27T18:00' },
    });
    expect(screen.queryByText(/^No owner/)).toBeNull();
    expect(readCutoverRunbook(kept.at(-1) ?? {})?.steps).toEqual([
      {
        id: 'step-1',
        kind: 'freeze',
        title: 'Freeze the old system',
        status: 'planned',
        owner: 'Ana Ruiz',
        plannedAt: '2026-11-27T18:00',
      },
    ]);
  });

  it('shows a complete runbook as planned and marks a step done', async () => {
    const user = userEvent.setup();
    const kept: Record<string, unknown>[] = [];
    render(<Harness initial={goProject()} kept={kept} />);
    expect(screen.getByTestId('runbook-state').textContent).toBe('Planned, not started');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Step 1: status' }), 'Done');
    expect(screen.getByTestId('runbook-state').textContent).toBe('Under way');
    expect(readCutoverRunbook(kept.at(-1) ?? {})?.steps[0]?.status).toBe('done');
  });

  it('records the command centre: where, hours, escalation tree with people, triage', async () => {
    const user = userEvent.setup();
    const kept: Record<string, unknown>[] = [];
    render(<Harness initial={bare()} kept={kept} />);
    fireEvent.change(screen.getByLabelText('Where it sits'), { target: { value: 'Meeting room 2' } });
    fireEvent.change(screen.getByLabelText('Hours'), { target: { value: '07:00–19:00' } });
    await user.click(screen.getByRole('button', { name: 'Add a level' }));
    expect(screen.getByText('Still to record: a person for Level 1; the triage categories.')).toBeTruthy();
    const people = screen.getByRole('textbox', { name: 'Escalation level 1: people, first to call first' });
    fireEvent.change(people, { target: { value: 'Ana Ruiz, Kim Ode' } });
    fireEvent.blur(people);
    await user.click(screen.getByRole('button', { name: 'Add a category' }));
    expect(screen.getByTestId('command-centre-state').textContent).toBe('Ready');
    // each row is edited in place; a response time cleared is gone, not kept empty
    fireEvent.change(screen.getByLabelText('Escalation level 1: role'), {
      target: { value: 'Clinical lead' },
    });
    fireEvent.change(screen.getByLabelText('Triage category 1: name'), {
      target: { value: 'Patient safety' },
    });
    const response = screen.getByLabelText('Triage category 1: response time');
    fireEvent.change(response, { target: { value: '15 minutes' } });
    expect(readCommandCentre(kept.at(-1) ?? {})?.triage).toEqual([
      { name: 'Patient safety', response: '15 minutes' },
    ]);
    fireEvent.change(response, { target: { value: '' } });
    expect(readCommandCentre(kept.at(-1) ?? {})).toEqual({
      location: 'Meeting room 2',
      hours: '07:00–19:00',
      escalation: [{ role: 'Clinical lead', people: ['Ana Ruiz', 'Kim Ode'] }],
      triage: [{ name: 'Patient safety' }],
    });
    expect(
      within(screen.getByRole('list', { name: 'Escalation tree' })).getAllByRole('listitem'),
    ).toHaveLength(1);
  });

  it('logs issues after go-live under a triage category and counts them by day', () => {
    const kept: Record<string, unknown>[] = [];
    render(<Harness initial={goProject()} kept={kept} />);
    expect(screen.getByText('No issue logged yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Log an issue' }));
    fireEvent.change(screen.getByLabelText('Issue 1: day'), { target: { value: '2026-12-01' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Issue 1: what happened' }), {
      target: { value: 'Allergy banner missing' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Log an issue' }));
    fireEvent.click(
      within(screen.getByRole('list', { name: 'Issue log' })).getAllByRole('checkbox')[1] as HTMLElement,
    );
    expect(screen.getByTestId('issue-counts').textContent).toBe('By day: 2026-12-01: 2; 1 open.');
    const centre = kept.at(-1)?.commandCentre as { issues: unknown[] };
    expect(centre.issues).toEqual([
      expect.objectContaining({ day: '2026-12-01', title: 'Allergy banner missing', status: 'open' }),
      expect.objectContaining({ day: '2026-12-01', status: 'closed' }),
    ]);
  });
});
