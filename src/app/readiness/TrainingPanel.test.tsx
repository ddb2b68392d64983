import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import type { TrainingRecord } from '../../formats/trainingRecord.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { TrainingPanel } from './TrainingPanel.tsx';

/** The panel as the Readiness screen holds it: the record in state, every change kept. */
function Harness({ kept }: { kept: TrainingRecord[] }) {
  const [record, setRecord] = useState<TrainingRecord>({ roles: [], support: [] });
  return (
    <TrainingPanel
      project={fixtureProject()}
      record={record}
      onChange={(next) => {
        kept.push(next);
        setRecord(next);
      }}
    />
  );
}

const toggles = () =>
  within(screen.getByRole('list', { name: 'Training by role' })).getAllByRole('button', {
    expanded: undefined,
  });

describe('TrainingPanel', () => {
  it('tells a colleague’s change made first beside the training record, by the shift it concerns', () => {
    const shift = (supporters: number) => ({ area: 'Front desk', shift: 'Mon 14 December', supporters });
    publishConflict(
      'readiness-record',
      'trainingRecord',
      { roles: [], support: [shift(2)] },
      { roles: [], support: [shift(3)] },
    );
    render(<Harness kept={[]} />);
    const rows = conflictBeside(
      screen.getByTestId('training-record'),
      screen.getByRole('list', { name: 'Training by role' }),
      'training record',
    );
    expect(rows).toEqual([
      [
        'support “Front desk”',
        'area Front desk, shift Mon 14 December, supporters 3',
        'area Front desk, shift Mon 14 December, supporters 2',
      ],
    ]);
  });

  it('keeps a role’s training as typed and sums it up on the role’s line', async () => {
    const user = userEvent.setup();
    const kept: TrainingRecord[] = [];
    render(<Harness kept={kept} />);
    const [first] = toggles();
    const role = first?.querySelector('.training-role-name')?.textContent ?? '';
    expect(first?.getAttribute('aria-expanded')).toBe('true');
    expect(first?.textContent).toBe(`${role} not recorded`);
    await user.type(screen.getByLabelText(`Staff in ${role}`), '4');
    await user.type(screen.getByLabelText(`Trained in ${role}`), '3');
    await user.type(screen.getByLabelText(`Super-users of ${role} (names, separated by commas)`), 'Ana, Ben');
    expect(kept.at(-1)?.roles).toEqual([{ role, staff: 4, trained: 3, superUsers: ['Ana', 'Ben'] }]);
    expect(first?.textContent).toBe(`${role} 3 of 4 trained · 2 super-users`);
  });

  it('adds a support shift as typed, and removes it again', async () => {
    const user = userEvent.setup();
    const kept: TrainingRecord[] = [];
    render(<Harness kept={kept} />);
    await user.type(screen.getByLabelText('Area'), 'Front desk');
    await user.type(screen.getByLabelText('Shift'), 'Monday morning');
    await user.type(screen.getByLabelText('Supporters'), '0');
    await user.click(screen.getByRole('button', { name: 'Add the support shift' }));
    expect(kept.at(-1)?.support).toEqual([{ area: 'Front desk', shift: 'Monday morning', supporters: 0 }]);
    expect(screen.getByRole('list', { name: 'Support shifts' }).textContent).toMatch(
      /^Front desk, Monday morning: 0 supporters/,
    );
    await user.click(screen.getByRole('button', { name: 'Remove Front desk, Monday morning' }));
    expect(kept.at(-1)?.support).toEqual([]);
    expect(screen.queryByRole('list', { name: 'Support shifts' })).toBeNull();
    expect(screen.getByText('No support shift recorded yet.')).toBeTruthy();
  });

  it('refuses more trained than staff, and a count that is not a whole number, saving neither', async () => {
    const user = userEvent.setup();
    const kept: TrainingRecord[] = [];
    render(<Harness kept={kept} />);
    const role = toggles()[0]?.querySelector('.training-role-name')?.textContent ?? '';
    await user.type(screen.getByLabelText(`Staff in ${role}`), '2');
    await user.type(screen.getByLabelText(`Trained in ${role}`), '5');
    expect(
      screen.getByText(`${role}: more staff trained than work in the role. Not saved yet.`),
    ).toBeTruthy();
    expect(kept.some((r) => r.roles.some((t) => (t.trained ?? 0) > (t.staff ?? 0)))).toBe(false);
    await user.clear(screen.getByLabelText(`Trained in ${role}`));
    await user.type(screen.getByLabelText(`Sessions planned for ${role}`), '1.5');
    expect(
      screen.getByText(`Sessions planned for ${role}: enter a whole number of 0 or more. Not saved yet.`),
    ).toBeTruthy();
    // the "1" typed first was a whole number and is kept; "1.5" is not
    expect(kept.at(-1)?.roles[0]?.sessionsPlanned).toBe(1);
  });

  it('keeps how many passed the proficiency check, never more than were trained', async () => {
    const user = userEvent.setup();
    const kept: TrainingRecord[] = [];
    render(<Harness kept={kept} />);
    const [first] = toggles();
    const role = first?.querySelector('.training-role-name')?.textContent ?? '';
    await user.type(screen.getByLabelText(`Staff in ${role}`), '4');
    await user.type(screen.getByLabelText(`Trained in ${role}`), '3');
    await user.type(screen.getByLabelText(`Passed the proficiency check in ${role}`), '4');
    expect(
      screen.getByText(`${role}: more staff passed the proficiency check than were trained. Not saved yet.`),
    ).toBeTruthy();
    await user.clear(screen.getByLabelText(`Passed the proficiency check in ${role}`));
    await user.type(screen.getByLabelText(`Passed the proficiency check in ${role}`), '2');
    expect(kept.at(-1)?.roles).toEqual([{ role, staff: 4, trained: 3, proficient: 2 }]);
    expect(first?.textContent).toBe(`${role} 3 of 4 trained · 2 proficient · no super-user`);
  });

  it('opens one role at a time', async () => {
    const user = userEvent.setup();
    render(<Harness kept={[]} />);
    const [first, second] = toggles();
    if (!first || !second) throw new Error('the fixture has fewer than two roles');
    await user.click(second);
    expect(second.getAttribute('aria-expanded')).toBe('true');
    expect(first.getAttribute('aria-expanded')).toBe('false');
  });
});
