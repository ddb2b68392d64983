import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { SteeringMeeting } from '../../formats/steeringMeeting.ts';
import { MeetingPanel } from './MeetingPanel.tsx';

const STEERING = [
  { name: 'Dr Ada Osei', title: 'CMIO' },
  { name: 'Lee Park', title: 'Clinic manager' },
];

/** The panel as the Readiness screen holds it: the record in state, every save kept. */
function Harness({ kept }: { kept: SteeringMeeting[] }) {
  const [meeting, setMeeting] = useState<SteeringMeeting | null>(null);
  return (
    <MeetingPanel
      meeting={meeting}
      suggested={STEERING}
      onChange={(next) => {
        kept.push(next);
        setMeeting(next);
      }}
    />
  );
}

describe('MeetingPanel', () => {
  it('records who attended, says when the quorum is not met, and saves conditions only once they have a text', async () => {
    const user = userEvent.setup();
    const kept: SteeringMeeting[] = [];
    render(<Harness kept={kept} />);
    expect(screen.getByRole('status').textContent).toMatch(/no rule set/);
    await user.click(
      screen.getByRole('button', { name: 'Add the steering members (Dr Ada Osei, Lee Park)' }),
    );
    await user.type(
      screen.getByRole('spinbutton', { name: 'At least this many steering members attend' }),
      '2',
    );
    const attended = screen.getAllByRole('checkbox', { name: 'Attended' });
    await user.click(attended[0] as HTMLElement);
    expect(screen.getByRole('status').textContent).toMatch(
      /^QUORUM NOT MET: 1 of the 2 steering members needed attended/,
    );
    await user.click(attended[1] as HTMLElement);
    expect(screen.getByRole('status').textContent).toMatch(/^Quorum met: 2 steering members attended/);

    await user.click(screen.getByRole('button', { name: 'Add a condition' }));
    expect(kept.at(-1)?.conditions).toEqual([]);
    await user.type(screen.getByRole('textbox', { name: 'Condition' }), 'Pharmacy list rechecked');
    await user.type(screen.getByRole('textbox', { name: 'Owner' }), 'Lee Park');
    await user.type(screen.getByLabelText('Due'), '2027-01-10');
    expect(kept.at(-1)).toEqual({
      attendees: [
        { name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true },
        { name: 'Lee Park', role: 'Clinic manager', steering: true, attended: true },
      ],
      quorum: { minSteering: 2 },
      conditions: [{ text: 'Pharmacy list rechecked', owner: 'Lee Park', due: '2027-01-10' }],
    });
  });
});
