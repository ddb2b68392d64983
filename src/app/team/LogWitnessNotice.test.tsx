/**
 * The witness's words in the sharing bar: an alarm is an alert a screen reader announces; a first
 * sync that could not check against the team's heads is a quiet note, not an alarm; an alarm
 * outranks the note; nothing is shown when there is nothing to say.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LogWitnessNotice } from './LogWitnessNotice.tsx';

const ALARM = 'The team server’s audit log for this project was changed after Vic Viewer’s browser saw it';
const NOTE =
  'This browser could not check the team server’s audit log for this project against what the team saw';

describe('the witness’s words in the sharing bar', () => {
  it.each([
    { description: 'an alarm, as an alert', alarm: ALARM, note: undefined, alert: ALARM, hint: null },
    { description: 'a note, not as an alert', alarm: undefined, note: NOTE, alert: null, hint: NOTE },
    { description: 'the alarm over the note', alarm: ALARM, note: NOTE, alert: ALARM, hint: null },
    { description: 'nothing', alarm: undefined, note: undefined, alert: null, hint: null },
  ])('shows $description', ({ alarm, note, alert, hint }) => {
    const { container } = render(<LogWitnessNotice alarm={alarm} note={note} />);
    expect(screen.queryByRole('alert')?.textContent ?? null).toBe(alert);
    expect(container.querySelector('p.hint')?.textContent ?? null).toBe(hint);
  });
});
