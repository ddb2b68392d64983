import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, DefectClass, Outcome, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { reportDetail } from './reportDetail.ts';

const REVIEWERS = {
  first: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
  second: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
  adjudication: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
} as const;

let next = 0;
function decision(
  key: string,
  stage: DecisionStage,
  outcome: Outcome,
  defectClass?: DefectClass,
  comment?: string,
): Decision {
  next++;
  const base = fixtureDecision(`d${next}`, key, outcome);
  return {
    ...base,
    stage,
    reviewer: REVIEWERS[stage],
    decidedAt: `2025-03-02T09:${String(10 + next).padStart(2, '0')}:00+01:00`,
    findings: defectClass ? [{ field: 'allergies', reason: 'missing', defectClass }] : [],
    ...(comment ? { comment } : {}),
  };
}

function review(decisions: Decision[], dual = false): Review {
  return { ...fixtureReview(), ...(dual ? { dualReview: true } : {}), decisions };
}

/** Which records each section lists, as `key:state`. */
function listed(r: Review) {
  const d = reportDetail(r);
  return {
    rejectedOrCritical: d.rejectedOrCritical.map((x) => `${x.recordKey}:${x.state}`),
    cannotAssess: d.cannotAssess.map((x) => `${x.recordKey}:${x.state}`),
    adjudications: d.adjudications.map(
      (x) =>
        `${x.recordKey}:${x.first?.outcome ?? '-'}/${x.second?.outcome ?? '-'}→${x.adjudication.outcome}`,
    ),
  };
}

describe('reportDetail: which records each section lists', () => {
  const cases: {
    description: string;
    review: () => Review;
    expected: ReturnType<typeof listed>;
  }[] = [
    {
      description: 'accepted records only: nothing listed',
      review: () =>
        review([decision('MRN-1', 'first', 'accept'), decision('MRN-2', 'first', 'accept', 'minor')]),
      expected: { rejectedOrCritical: [], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a rejection with a major finding is listed',
      review: () =>
        review([decision('MRN-1', 'first', 'accept'), decision('MRN-2', 'first', 'reject', 'major')]),
      expected: { rejectedOrCritical: ['MRN-2:final'], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a critical finding is listed',
      review: () => review([decision('MRN-3', 'first', 'reject', 'critical')]),
      expected: { rejectedOrCritical: ['MRN-3:final'], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a changed decision counts as its latest: a rejection changed to accept is not listed',
      review: () =>
        review([decision('MRN-1', 'first', 'reject', 'major'), decision('MRN-1', 'first', 'accept')]),
      expected: { rejectedOrCritical: [], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'cannot assess, not yet adjudicated: listed awaiting',
      review: () => review([decision('MRN-1', 'first', 'cannot-assess')]),
      expected: { rejectedOrCritical: [], cannotAssess: ['MRN-1:awaiting-adjudication'], adjudications: [] },
    },
    {
      description: 'cannot assess, adjudicated to accept: listed final with its adjudication',
      review: () =>
        review([decision('MRN-1', 'first', 'cannot-assess'), decision('MRN-1', 'adjudication', 'accept')]),
      expected: {
        rejectedOrCritical: [],
        cannotAssess: ['MRN-1:final'],
        adjudications: ['MRN-1:cannot-assess/-→accept'],
      },
    },
    {
      description: 'dual review, disagreement overruled: the rejection stays listed with the ruling',
      review: () =>
        review(
          [
            decision('MRN-2', 'first', 'reject', 'critical'),
            decision('MRN-2', 'second', 'accept'),
            decision('MRN-2', 'adjudication', 'accept'),
          ],
          true,
        ),
      expected: {
        rejectedOrCritical: ['MRN-2:final'],
        cannotAssess: [],
        adjudications: ['MRN-2:reject/accept→accept'],
      },
    },
    {
      description: 'dual review, in sample order across records, awaiting while they disagree',
      review: () =>
        review(
          [
            decision('MRN-3', 'first', 'accept'),
            decision('MRN-3', 'second', 'reject', 'major'),
            decision('MRN-1', 'first', 'reject', 'major'),
          ],
          true,
        ),
      expected: {
        rejectedOrCritical: ['MRN-1:open', 'MRN-3:awaiting-adjudication'],
        cannotAssess: [],
        adjudications: [],
      },
    },
  ];
  it.each(cases)('$description', ({ review: make, expected }) => {
    expect(listed(make())).toEqual(expected);
  });
});

describe('reportDetail: what a listed decision carries', () => {
  const r = review([decision('MRN-2', 'first', 'reject', 'critical', 'Allergy to penicillin is missing')]);

  it.each([
    { includeComments: false, comment: undefined },
    { includeComments: true, comment: 'Allergy to penicillin is missing' },
  ])('comments only when asked for (include: $includeComments)', ({ includeComments, comment }) => {
    const [record] = reportDetail(r, { includeComments }).rejectedOrCritical;
    expect(record).toEqual({
      stratum: 'patients',
      recordKey: 'MRN-2',
      row: expect.any(Number),
      state: 'final',
      decisions: [
        {
          stage: 'first',
          outcome: 'reject',
          reviewer: REVIEWERS.first,
          decidedAt: expect.stringMatching(/^2025-03-02T09:\d\d:00\+01:00$/),
          findings: [{ field: 'allergies', reason: 'missing', defectClass: 'critical' }],
          commented: true,
          ...(comment ? { comment } : {}),
        },
      ],
    });
  });

  it('takes the row from the drawn sample', () => {
    const drawn = r.sample.strata[0]?.records.find((x) => x.key === 'MRN-2');
    expect(reportDetail(r).rejectedOrCritical[0]?.row).toBe(drawn?.row);
  });
});
