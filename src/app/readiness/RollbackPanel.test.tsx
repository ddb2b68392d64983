import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../formats/rollbackPlan.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { RollbackPanel } from './RollbackPanel.tsx';

/** The panel as the Readiness screen holds it: the plan in state, every change kept. */
function Harness({ kept, initial = null }: { kept: RollbackPlan[]; initial?: RollbackPlan | null }) {
  const [plan, setPlan] = useState<RollbackPlan | null>(initial);
  return (
    <RollbackPanel
      plan={plan}
      onChange={(next) => {
        kept.push(next);
        setPlan(next);
      }}
    />
  );
}

const status = () => screen.getByTestId('rollback-status').textContent;

describe('RollbackPanel', () => {
  it('tells a colleague’s change made first beside the plan, in words: her go-live day and yours', async () => {
    const settled = publishConflict(
      'readiness-record',
      'rollbackPlan',
      { present: true, goLiveDate: '2026-12-14', paperForms: true },
      { present: true, goLiveDate: '2027-01-11', paperForms: false },
    );
    render(<Harness kept={[]} initial={{ present: true, goLiveDate: '2026-12-14', paperForms: true }} />);
    const rows = conflictBeside(
      screen.getByTestId('rollback-plan'),
      screen.getByRole('radio', { name: 'Yes, a plan is in place' }),
      'rollback and downtime plan',
    );
    expect(rows).toEqual([
      ['go live date', '2027-01-11', '2026-12-14'],
      ['paper forms', 'no', 'yes'],
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Keep Dana Data’s version' }));
    expect(settled).toEqual([['readiness-record/rollbackPlan', 'theirs']]);
  });

  it('says a plan not recorded leaves the go-live at risk, and asks for its essentials once it exists', async () => {
    const user = userEvent.setup();
    const kept: RollbackPlan[] = [];
    render(<Harness kept={kept} />);
    expect(screen.getByText('Not recorded yet: the go-live stays at risk until it is.')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Yes, a plan is in place' }));
    expect(kept.at(-1)).toEqual({ present: true });
    expect(status()).toMatch(
      /^Still to write down: who decides to roll back; the triggers; .+; the day of the last downtime drill; where the plan is kept\.$/,
    );
  });

  it('keeps each essential as it is typed or ticked, until every one is written down', async () => {
    const user = userEvent.setup();
    const kept: RollbackPlan[] = [];
    render(<Harness kept={kept} initial={{ present: true }} />);
    await user.type(screen.getByLabelText('Who decides to roll back (role or name)'), 'Medical director');
    await user.type(screen.getByLabelText('What triggers a rollback'), 'Orders lost');
    await user.type(screen.getByLabelText('Where the plan is kept (binder, shared folder…)'), 'Binder');
    await user.type(screen.getByLabelText('Last downtime drill'), '2025-02-10');
    for (const name of [
      'Paper forms printed and at hand',
      'Read-only access to the old system kept',
      'Downtime reports printed',
    ])
      await user.click(screen.getByRole('checkbox', { name }));
    expect(status()).toBe('Every essential of the plan is written down.');
    expect(kept.at(-1)).toEqual({
      present: true,
      decidedBy: 'Medical director',
      triggers: 'Orders lost',
      location: 'Binder',
      lastDrill: '2025-02-10',
      paperForms: true,
      legacyReadOnly: true,
      downtimeReports: true,
    });
    // unticking removes the essential again
    await user.click(screen.getByRole('checkbox', { name: 'Downtime reports printed' }));
    expect(status()).toMatch(/^Still to write down: [^;]+\.$/);
    // an unticked procedure is left out of the stored plan, not kept as "false"
    expect(kept.at(-1)).not.toHaveProperty('downtimeReports');
  });

  it('marked "No plan yet" and then present again, the plan keeps its essentials as they were', async () => {
    const user = userEvent.setup();
    const kept: RollbackPlan[] = [];
    const written: RollbackPlan = {
      present: true,
      decidedBy: 'Clinical lead on call',
      paperForms: true,
      lastDrill: '2026-08-01',
    };
    render(<Harness kept={kept} initial={written} />);
    await user.click(screen.getByRole('radio', { name: 'No plan yet' }));
    expect(kept.at(-1)?.present).toBe(false);
    await user.click(screen.getByRole('radio', { name: 'Yes, a plan is in place' }));
    expect(kept.at(-1)).toEqual(written);
    expect(screen.getByLabelText('Who decides to roll back (role or name)')).toHaveProperty(
      'value',
      'Clinical lead on call',
    );
    expect(screen.getByLabelText('Paper forms printed and at hand')).toHaveProperty('checked', true);
  });

  it('"No plan yet" is kept as an answer, and a shown-only panel changes nothing', async () => {
    const kept: RollbackPlan[] = [];
    render(<Harness kept={kept} />);
    await userEvent.click(screen.getByRole('radio', { name: 'No plan yet' }));
    expect(kept).toEqual([{ present: false }]);
    render(<RollbackPanel plan={{ present: true }} />);
    for (const radio of screen.getAllByRole('radio', { name: 'Yes, a plan is in place' }).slice(1))
      expect((radio as HTMLInputElement).disabled).toBe(true);
  });
});
