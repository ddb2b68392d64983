import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { recordList } from '../../core/signoff/review/index.ts';
import type { Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { RecordList } from './RecordList.tsx';

/**
 * The record list beside the record in view: where each record stands for this reviewer, the
 * flagged mark, the filters by state, stratum and flag, and a click that opens a record.
 */
function review(): Review {
  const base = fixtureReview('rv1', [
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
  ]);
  const [patients] = base.sample.strata;
  if (!patients) throw new Error('the fixture has no stratum');
  return {
    ...base,
    sample: {
      ...base.sample,
      strata: [
        patients,
        {
          id: 'flagged',
          census: true,
          population: 2,
          n: 2,
          records: [
            { file: 'patients.csv', row: 8, key: 'MRN-8' },
            { file: 'patients.csv', row: 9, key: 'MRN-9' },
          ],
        },
      ],
    },
  };
}

function show(opened: number[] = []) {
  const list = recordList(review(), 'first', new Set(['flagged']));
  render(<RecordList list={list} index={2} onOpen={(at) => opened.push(at)} />);
  const nav = screen.getByRole('navigation', { name: 'Records of the sample' });
  const buttons = () =>
    within(nav)
      .queryAllByRole('button')
      .map((b) => b.textContent);
  return { nav, buttons };
}

describe('RecordList', () => {
  it('lists each record with where it stands, the flag, and which one is in view', () => {
    const { nav, buttons } = show();
    expect(within(nav).getByTestId('list-progress').textContent).toBe('2 of 5 reviewed');
    expect(buttons()).toEqual([
      '1 MRN-1 · stratum patients Accepted',
      '2 MRN-2 · stratum patients Rejected · 1 marked',
      '3 MRN-3 · stratum patients Not reviewed',
      '4 MRN-8 · stratum flagged Not reviewed · flagged by validation',
      '5 MRN-9 · stratum flagged Not reviewed · flagged by validation',
    ]);
    expect(within(nav).getByRole('button', { current: true }).textContent).toMatch(/^3 MRN-3/);
  });

  it('filters by state, by stratum and by the flag, and says when nothing matches', async () => {
    const user = userEvent.setup();
    const { nav, buttons } = show();
    await user.click(within(nav).getByLabelText('Flagged by validation only (2)'));
    expect(buttons()).toHaveLength(2);
    await user.selectOptions(within(nav).getByLabelText('Stratum'), 'patients (3)');
    expect(within(nav).getByText('No record matches what is chosen above.')).toBeTruthy();
    await user.click(within(nav).getByLabelText('Flagged by validation only (2)'));
    expect(buttons()).toHaveLength(3);
    await user.selectOptions(within(nav).getByLabelText('Show'), 'Rejected (1)');
    expect(buttons()).toEqual(['2 MRN-2 · stratum patients Rejected · 1 marked']);
  });

  it('opens the record clicked', async () => {
    const opened: number[] = [];
    const { nav } = show(opened);
    await userEvent.click(within(nav).getByRole('button', { name: /^5 MRN-9/ }));
    expect(opened).toEqual([4]);
  });
});
