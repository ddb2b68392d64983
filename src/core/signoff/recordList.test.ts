import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { type ListedState, listCounts, nextUnreviewed, recordList } from './recordList.ts';
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
    states.map((state, index) => ({ index, stratum: 's', key: `k${index}`, state, findings: 0 }));
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
