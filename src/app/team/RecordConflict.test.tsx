/**
 * A conflict is told beside the form that holds its record: who changed it first and when, each
 * differing field with their value and yours in words (never JSON), and the choice of which to
 * keep; while that place is on screen the top bar knows to summarise it and lead there.
 */
import { act, render, screen, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordConflict } from '../../core/teamRecords/index.ts';
import { ConflictBeside, differences, valueWords } from './RecordConflict.tsx';
import { publishConflicts, usePlacedTest } from './recordConflicts.ts';

const userEvent = userEventBase.setup({ delay: null });

const conflict: RecordConflict = {
  mine: {
    kind: 'readiness-record',
    id: 'steeringMeeting',
    body: {
      attendees: [{ name: 'Sana Yusuf', steering: true, attended: false }],
      quorum: { minSteering: 2 },
      conditions: [],
    },
    sha256: 'a'.repeat(64),
    base: 1,
  } as unknown as RecordConflict['mine'],
  theirs: {
    kind: 'readiness-record',
    id: 'steeringMeeting',
    version: 2,
    body: {
      attendees: [{ name: 'Sana Yusuf', steering: true, attended: true }],
      quorum: { minSteering: 1 },
      conditions: [],
    },
    sha256: 'b'.repeat(64),
    by: 'Dana Data',
    at: '2026-11-27T09:15:00.000Z',
  } as unknown as RecordConflict['theirs'],
};

afterEach(() => act(() => publishConflicts(undefined)));

describe('a conflict beside the field it concerns', () => {
  it('says who changed it first, each differing value as theirs and yours in words, and keeps the one chosen', async () => {
    const settled: [string, string][] = [];
    publishConflicts({
      conflicts: [conflict],
      settle: async (key, choice) => {
        settled.push([key, choice]);
      },
    });
    render(
      <form aria-label="The go/no-go meeting">
        <ConflictBeside kind="readiness-record" id="steeringMeeting" what="go/no-go meeting record" />
        <input aria-label="At least this many steering members attend" defaultValue="2" />
      </form>,
    );
    const place = screen.getByTestId('conflict-beside');
    // beside the field: inside the form that holds the record, right before its fields
    expect(screen.getByRole('form', { name: 'The go/no-go meeting' }).contains(place)).toBe(true);
    expect(place.id).toBe('conflict-readiness-record-steeringMeeting');
    expect(
      within(place).getByText(
        /^Dana Data changed the go\/no-go meeting record on the team server \(2026-11-27 09:15 UTC\)/,
      ),
    ).toBeTruthy();
    const rows = within(place)
      .getAllByRole('row')
      .map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['What differs', 'Dana Data’s value', 'Your value'],
      [
        'attendees “Sana Yusuf”',
        'name Sana Yusuf, steering yes, attended yes',
        'name Sana Yusuf, steering yes, attended no',
      ],
      ['quorum', 'min steering 1', 'min steering 2'],
    ]);
    // in words, never as JSON
    expect(place.textContent).not.toMatch(/[{}"]/);
    await userEvent.click(within(place).getByRole('button', { name: 'Keep my version' }));
    expect(settled).toEqual([['readiness-record/steeringMeeting', 'mine']]);
  });

  it('shows nothing when the record has no conflict', () => {
    publishConflicts({ conflicts: [conflict], settle: async () => {} });
    render(<ConflictBeside kind="readiness-record" id="rollbackPlan" what="rollback plan" />);
    expect(screen.queryByTestId('conflict-beside')).toBeNull();
  });

  it('tells the top bar the record has a place on screen while its form is shown', () => {
    let placed: ((c: RecordConflict) => boolean) | undefined;
    function Bar() {
      placed = usePlacedTest();
      return null;
    }
    const { rerender } = render(
      <>
        <Bar />
        <ConflictBeside kind="readiness-record" id="steeringMeeting" what="go/no-go meeting record" />
      </>,
    );
    expect(placed?.(conflict)).toBe(true);
    rerender(<Bar />);
    expect(placed?.(conflict)).toBe(false);
  });

  it('reads a list as the rows that differ, by their name or their place, never the whole list twice', () => {
    const step = (id: string, owner: string) => ({ id, title: `Step ${id}`, owner });
    expect(
      differences(
        { steps: [step('freeze', 'Ana Ruiz'), step('extract', 'Tom Hale')] },
        { steps: [step('freeze', 'Ana Ruiz'), step('extract', 'Jin Park'), step('delta', 'Tom Hale')] },
      ),
    ).toEqual([
      {
        field: 'steps “extract”',
        theirs: 'id extract, title Step extract, owner Jin Park',
        mine: 'id extract, title Step extract, owner Tom Hale',
      },
      { field: 'steps “delta”', theirs: 'id delta, title Step delta, owner Tom Hale', mine: 'nothing' },
    ]);
    // rows with no name of their own pair by place
    expect(differences({ support: [{ n: 1 }, { n: 2 }] }, { support: [{ n: 1 }, { n: 3 }] })).toEqual([
      { field: 'support row 2', theirs: 'n 3', mine: 'n 2' },
    ]);
  });

  it('reads values as words: yes/no, nothing, lists and records by field', () => {
    expect(valueWords(true)).toBe('yes');
    expect(valueWords(null)).toBe('nothing');
    expect(valueWords([])).toBe('none');
    expect(valueWords({ goLiveDate: '2026-12-01', drills: [1, 2] })).toBe(
      'go live date 2026-12-01, drills 1; 2',
    );
  });
});
