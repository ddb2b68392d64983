import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome } from '../../../formats/review.ts';
import { FIXTURE_REVIEWERS, fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import { cohenKappa, formatAgreement, reviewerAgreement } from './agreement.ts';

/** `count` copies of the pair (a, b). */
const times = (count: number, a: string, b: string) => Array.from({ length: count }, () => [a, b] as const);

describe('Cohen’s kappa (kappa by hand; intervals as statsmodels 0.13.5 cohens_kappa gives them)', () => {
  const cases: {
    description: string;
    pairs: (readonly [string, string])[];
    expected: {
      observed: number | null;
      expected: number | null;
      kappa: number | null;
      lower?: number;
      upper?: number;
    };
  }[] = [
    {
      description: '50 records, 35 agree; pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; SE 0.126996',
      pairs: [
        ...times(20, 'accept', 'accept'),
        ...times(5, 'accept', 'reject'),
        ...times(10, 'reject', 'accept'),
        ...times(15, 'reject', 'reject'),
      ],
      expected: {
        observed: 0.7,
        expected: 0.5,
        kappa: 0.4,
        lower: 0.151092290476661,
        upper: 0.6489077095233389,
      },
    },
    {
      description: '10 records, 8 agree; pₑ = 0.49 + 0.09; upper end clipped at 1',
      pairs: [
        ...times(6, 'accept', 'accept'),
        ...times(2, 'reject', 'reject'),
        ['accept', 'reject'],
        ['reject', 'accept'],
      ],
      expected: { observed: 0.8, expected: 0.58, kappa: 0.5238095238, lower: -0.05293110305167281, upper: 1 },
    },
    {
      description: '55 records over three outcomes, 45 agree; SE 0.0916001',
      pairs: [
        ...times(30, 'accept', 'accept'),
        ...times(2, 'accept', 'reject'),
        ...times(1, 'accept', 'cannot-assess'),
        ...times(3, 'reject', 'accept'),
        ...times(10, 'reject', 'reject'),
        ...times(2, 'reject', 'cannot-assess'),
        ...times(1, 'cannot-assess', 'accept'),
        ...times(1, 'cannot-assess', 'reject'),
        ...times(5, 'cannot-assess', 'cannot-assess'),
      ],
      expected: {
        observed: 45 / 55,
        expected: 0.4538842975206612,
        kappa: 0.6670702179176756,
        lower: 0.4875373350799277,
        upper: 0.8466031007554236,
      },
    },
    {
      description: 'perfect agreement over two outcomes: 1, with no spread',
      pairs: [...times(3, 'accept', 'accept'), ['reject', 'reject']],
      expected: { observed: 1, expected: 0.625, kappa: 1, lower: 1, upper: 1 },
    },
    {
      description: 'complete disagreement: −1',
      pairs: [
        ['accept', 'reject'],
        ['reject', 'accept'],
      ],
      expected: { observed: 0, expected: 0.5, kappa: -1, lower: -1, upper: -1 },
    },
    {
      description: 'every record accepted by both: chance agreement is 1, kappa undefined',
      pairs: times(4, 'accept', 'accept'),
      expected: { observed: 1, expected: 1, kappa: null },
    },
    { description: 'no pairs', pairs: [], expected: { observed: null, expected: null, kappa: null } },
  ];
  it.each(cases)('$description', ({ pairs, expected }) => {
    const a = cohenKappa(pairs);
    expect(a.n).toBe(pairs.length);
    for (const field of ['observed', 'expected', 'kappa'] as const) {
      const want = expected[field];
      if (want === null) expect(a[field]).toBeNull();
      else expect(a[field]).toBeCloseTo(want, 9);
    }
    if (expected.lower === undefined) expect(a.interval).toBeNull();
    else {
      expect(a.interval?.lower).toBeCloseTo(expected.lower, 9);
      expect(a.interval?.upper).toBeCloseTo(expected.upper ?? Number.NaN, 9);
    }
  });

  it('says it in words', () => {
    expect(
      formatAgreement(
        cohenKappa([
          ...times(20, 'a', 'a'),
          ...times(5, 'a', 'r'),
          ...times(10, 'r', 'a'),
          ...times(15, 'r', 'r'),
        ]),
      ),
    ).toBe('0.40 (95 % CI 0.15 to 0.65; 50 records)');
    expect(formatAgreement(cohenKappa([]))).toMatch(/no record decided by both/);
    expect(formatAgreement(cohenKappa(times(2, 'a', 'a')))).toMatch(/not defined/);
  });
});

describe('reviewer agreement of a dual review', () => {
  const people = FIXTURE_REVIEWERS;
  const made = (id: string, key: string, stage: DecisionStage, outcome: Outcome): Decision => ({
    ...fixtureDecision(id, key, outcome),
    stage,
    reviewer: people[stage],
  });
  it('pairs the two reviewers’ outcomes on records both decided; adjudication and single decisions do not count', () => {
    const review = {
      ...fixtureReview('rv1', [
        made('1', 'MRN-1', 'first', 'accept'),
        made('2', 'MRN-1', 'second', 'accept'),
        made('3', 'MRN-2', 'first', 'reject'),
        made('4', 'MRN-2', 'second', 'accept'),
        made('5', 'MRN-2', 'adjudication', 'reject'),
        made('6', 'MRN-3', 'first', 'reject'),
      ]),
      dualReview: true,
    };
    // pairs (accept, accept), (reject, accept): pₒ = 0.5, pₑ = 0.5·1 + 0.5·0 = 0.5, kappa 0
    expect(reviewerAgreement(review)).toMatchObject({ n: 2, observed: 0.5, expected: 0.5, kappa: 0 });
  });
});
