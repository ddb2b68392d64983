import { describe, expect, it } from 'vitest';
import type { Decision, Finding, Review } from '../../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import { errorBreakdowns } from './errorBreakdown.ts';
import { addDecision } from './review.ts';

function decided(
  id: string,
  key: string,
  outcome: Decision['outcome'],
  findings: Finding[],
  extra: Partial<Decision> = {},
) {
  return { ...fixtureDecision(id, key, outcome), findings, ...extra };
}
const wrongDob: Finding = { field: 'birthDate', reason: 'wrong-value', defectClass: 'major' };
const missingName: Finding = { field: 'name.family', reason: 'missing', defectClass: 'major' };
const units: Finding = { field: 'birthDate', reason: 'units', defectClass: 'minor' };

describe('errorBreakdowns', () => {
  const cases: {
    description: string;
    review: () => Review;
    expected: {
      records: number;
      findings: number;
      rejectedWithoutFinding: number;
      reasons: Record<string, number>;
      fields: [string, number][];
    };
  }[] = [
    {
      description: 'no decisions: nothing',
      review: () => fixtureReview(),
      expected: { records: 0, findings: 0, rejectedWithoutFinding: 0, reasons: {}, fields: [] },
    },
    {
      description:
        'findings counted by reason and field, fields most first; accepted records without findings not counted',
      review: () =>
        [
          decided('a', 'MRN-1', 'reject', [wrongDob, missingName]),
          decided('b', 'MRN-2', 'accept', [units]),
          decided('c', 'MRN-3', 'accept', []),
        ].reduce(addDecision, fixtureReview()),
      // the accept with a minor finding is not an error (as in the verdict), but its finding is a bar
      expected: {
        records: 1,
        findings: 3,
        rejectedWithoutFinding: 0,
        reasons: { 'wrong-value': 1, missing: 1, units: 1 },
        fields: [
          ['birthDate', 2],
          ['name.family', 1],
        ],
      },
    },
    {
      description:
        'only the latest decision of a record counts; a rejection without a finding is counted apart',
      review: () =>
        [
          decided('a', 'MRN-1', 'reject', [wrongDob]),
          decided('b', 'MRN-1', 'reject', [], {
            comment: 'not this patient’s chart',
            change: { replaces: 'a', previousOutcome: 'reject', reason: 'second look' },
          }),
        ].reduce(addDecision, fixtureReview()),
      expected: { records: 1, findings: 0, rejectedWithoutFinding: 1, reasons: {}, fields: [] },
    },
    {
      description:
        'under dual review, a disagreement awaiting adjudication is left out; its adjudication counts',
      review: () => {
        const review = [
          decided('a', 'MRN-1', 'reject', [wrongDob], { stage: 'first' }),
          decided('b', 'MRN-1', 'accept', [], {
            stage: 'second',
            reviewer: { name: 'S', role: 'MD', id: 'MD-1' },
          }),
        ].reduce(addDecision, { ...fixtureReview(), dualReview: true });
        return review;
      },
      expected: { records: 0, findings: 0, rejectedWithoutFinding: 0, reasons: {}, fields: [] },
    },
  ];
  it.each(cases)('$description', ({ review, expected }) => {
    const { overall, strata } = errorBreakdowns(review());
    expect(overall.recordsWithErrors).toBe(expected.records);
    expect(overall.findings).toBe(expected.findings);
    expect(overall.rejectedWithoutFinding).toBe(expected.rejectedWithoutFinding);
    expect(
      Object.fromEntries(overall.byReason.filter((r) => r.count > 0).map((r) => [r.label, r.count])),
    ).toEqual(expected.reasons);
    expect(overall.byReason).toHaveLength(6);
    expect(overall.byField.map((f) => [f.label, f.count])).toEqual(expected.fields);
    // one stratum: it equals the overall breakdown
    expect(strata).toEqual([{ ...overall, stratumId: 'patients' }]);
  });
});
