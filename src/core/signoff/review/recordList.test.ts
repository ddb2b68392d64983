import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome, Review } from '../../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import {
  filterList,
  type ListedRecord,
  type ListedState,
  listCounts,
  nextUnreviewed,
  recordList,
} from './recordList.ts';
import { addDecision } from './review.ts';

let next = 0;
function decision(key: string, outcome: Outcome, stage?: DecisionStage): Decision {
  next++;
  const base = fixtureDecision(`l${next}`, key, outcome);
  const reviewer =
    stage === 'second' ? { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' } : base.reviewer;
  return {
    ...base,
    reviewer,
    ...(stage ? { stage } : {}),
    findings: [],
    ...(outcome === 'reject' ? { comment: 'the date of birth is wrong' } : {}),
  };
}

const review = (decisions: Decision[], dualReview = false): Review =>
  decisions.reduce(addDecision, { ...fixtureReview(), ...(dualReview ? { dualReview: true } : {}) });

describe('recordList', () => {
  const cases: {
    description: string;
    review: () => Review;
    stage: 'first' | 'second';
    states: ListedState[];
  }[] = [
    {
      description: 'nothing decided',
      review: () => review([]),
      stage: 'first',
      states: ['not-reviewed', 'not-reviewed', 'not-reviewed'],
    },
    {
      description: 'each outcome; cannot assess goes to adjudication',
      review: () =>
        review([
          decision('MRN-1', 'accept'),
          decision('MRN-2', 'reject'),
          decision('MRN-3', 'cannot-assess'),
        ]),
      stage: 'first',
      states: ['accepted', 'rejected', 'in-adjudication'],
    },
    {
      description: 'dual review: the second reviewer never sees the first decisions',
      review: () =>
        review([decision('MRN-1', 'accept', 'first'), decision('MRN-2', 'reject', 'first')], true),
      stage: 'second',
      states: ['not-reviewed', 'not-reviewed', 'not-reviewed'],
    },
    {
      description: 'dual review: a disagreement is not revealed to a reviewer',
      review: () =>
        review(
          [
            decision('MRN-1', 'accept', 'first'),
            decision('MRN-1', 'reject', 'second'),
            decision('MRN-2', 'cannot-assess', 'first'),
          ],
          true,
        ),
      // MRN-1 waits for an adjudicator, but the first reviewer sees only their own accept; MRN-2
      // waits for the second reviewer before it can go to adjudication
      stage: 'first',
      states: ['accepted', 'cannot-assess', 'not-reviewed'],
    },
    {
      description: 'dual review: a record both could not assess is in adjudication',
      review: () =>
        review(
          [decision('MRN-2', 'cannot-assess', 'first'), decision('MRN-2', 'cannot-assess', 'second')],
          true,
        ),
      stage: 'second',
      states: ['not-reviewed', 'in-adjudication', 'not-reviewed'],
    },
  ];
  it.each(cases)('$description', ({ review, stage, states }) => {
    const list = recordList(review(), stage);
    expect(list.map((r) => r.state)).toEqual(states);
    expect(list.map((r) => r.index)).toEqual([0, 1, 2]);
    const counts = listCounts(list);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('nextUnreviewed', () => {
  const list = (states: ListedState[]) =>
    states.map((state, index) => ({
      index,
      stratum: 's',
      key: `k${index}`,
      state,
      findings: 0,
      flagged: false,
    }));
  const cases: { states: ListedState[]; from: number; direction: 1 | -1; want: number }[] = [
    { states: ['accepted', 'not-reviewed', 'not-reviewed'], from: 0, direction: 1, want: 1 },
    { states: ['accepted', 'not-reviewed', 'not-reviewed'], from: 1, direction: 1, want: 2 },
    // wraps round
    { states: ['not-reviewed', 'accepted', 'accepted'], from: 1, direction: 1, want: 0 },
    { states: ['not-reviewed', 'accepted', 'not-reviewed'], from: 2, direction: -1, want: 0 },
    { states: ['not-reviewed', 'accepted', 'not-reviewed'], from: 0, direction: -1, want: 2 },
    // nothing else left: stays
    { states: ['accepted', 'rejected', 'not-reviewed'], from: 2, direction: 1, want: 2 },
    { states: ['accepted', 'rejected'], from: 0, direction: 1, want: 0 },
  ];
  it.each(cases)('$states from $from by $direction is $want', ({ states, from, direction, want }) => {
    expect(nextUnreviewed(list(states), from, direction)).toBe(want);
  });
});

describe('flagged records and the list filter', () => {
  it('marks the records of the plan’s flagged strata, and none without them', () => {
    const drawn = review([]);
    expect(recordList(drawn, 'first', new Set(['patients'])).map((r) => r.flagged)).toEqual([
      true,
      true,
      true,
    ]);
    expect(recordList(drawn, 'first').map((r) => r.flagged)).toEqual([false, false, false]);
    expect(recordList(drawn, 'first', new Set(['other'])).map((r) => r.flagged)).toEqual([
      false,
      false,
      false,
    ]);
  });

  const list: ListedRecord[] = [
    { index: 0, stratum: 'flagged', key: 'k0', state: 'accepted', findings: 0, flagged: true },
    { index: 1, stratum: 'flagged', key: 'k1', state: 'not-reviewed', findings: 0, flagged: true },
    { index: 2, stratum: 'clean', key: 'k2', state: 'rejected', findings: 1, flagged: false },
    { index: 3, stratum: 'clean', key: 'k3', state: 'not-reviewed', findings: 0, flagged: false },
  ];
  const cases: { description: string; filter: Parameters<typeof filterList>[1]; want: number[] }[] = [
    { description: 'no filter: all', filter: {}, want: [0, 1, 2, 3] },
    { description: 'by state', filter: { state: 'not-reviewed' }, want: [1, 3] },
    { description: 'by stratum', filter: { stratum: 'clean' }, want: [2, 3] },
    { description: 'flagged only', filter: { flagged: true }, want: [0, 1] },
    { description: 'not flagged only', filter: { flagged: false }, want: [2, 3] },
    {
      description: 'all three at once',
      filter: { state: 'not-reviewed', stratum: 'flagged', flagged: true },
      want: [1],
    },
    { description: 'nothing matches', filter: { stratum: 'clean', flagged: true }, want: [] },
  ];
  it.each(cases)('$description', ({ filter, want }) => {
    expect(filterList(list, filter).map((r) => r.index)).toEqual(want);
  });
});
