import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import { overallVerdict } from '../sampling/verdict.ts';
import {
  addDecision,
  currentDecisions,
  ReviewChangeError,
  type ShownRecord,
  shownHash,
  tallies,
} from './review.ts';

const shown: ShownRecord = {
  planHash: 'a'.repeat(64),
  stratum: 'patients',
  recordKey: 'MRN-1',
  source: { file: 'patients.csv', row: 1, header: ['mrn', 'dob'], cells: ['MRN-1', '1962-04-01'] },
  mapping: { id: 'm1', version: 1 },
  target: { id: 'MRN-1', birthDate: '1962-04-01' },
  alignment: [{ target: 'birthDate', columns: ['dob'] }],
};

describe('shownHash', () => {
  it('is the same for the same content in any key order, and changes with any shown cell', () => {
    const reverse = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverse)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverse(v)]),
            )
          : value;
    const reordered = reverse(shown) as ShownRecord;
    expect(Object.keys(reordered)[0]).toBe('alignment');
    expect(shownHash(reordered)).toBe(shownHash(shown));
    expect(shownHash({ ...shown, source: { ...shown.source, cells: ['MRN-1', '1962-04-02'] } })).not.toBe(
      shownHash(shown),
    );
    expect(shownHash({ ...shown, mapping: { id: 'm1', version: 2 } })).not.toBe(shownHash(shown));
  });
});

describe('addDecision', () => {
  const cases: { description: string; decision: Decision; error: RegExp }[] = [
    {
      description: 'another plan',
      decision: { ...fixtureDecision(), planHash: 'f'.repeat(64) },
      error: /another plan/,
    },
    {
      description: 'a record not drawn',
      decision: fixtureDecision('d9', 'MRN-99'),
      error: /not in the drawn sample/,
    },
  ];
  it.each(cases)('refuses $description', ({ decision, error }) => {
    expect(() => addDecision(fixtureReview(), decision)).toThrow(ReviewChangeError);
    expect(() => addDecision(fixtureReview(), decision)).toThrow(error);
  });
  it('refuses a used id and appends otherwise, the latest decision on a record counting', () => {
    const once = addDecision(fixtureReview(), fixtureDecision('d1', 'MRN-1', 'reject'));
    expect(() => addDecision(once, fixtureDecision('d1', 'MRN-2'))).toThrow(/already used/);
    const twice = addDecision(once, {
      ...fixtureDecision('d2', 'MRN-1', 'accept'),
      change: { replaces: 'd1', previousOutcome: 'reject', reason: 'the value was right' },
    });
    expect(twice.decisions).toHaveLength(2);
    expect(currentDecisions(twice).get('patients\u001fMRN-1')?.id).toBe('d2');
  });
});

describe('tallies', () => {
  it('counts each reviewed record once by its worst class and feeds the verdict', () => {
    const review = fixtureReview('rv1', [
      fixtureDecision('d1', 'MRN-1', 'accept'),
      { ...fixtureDecision('d2', 'MRN-2', 'reject') },
      {
        ...fixtureDecision('d3', 'MRN-3', 'reject'),
        findings: [
          { field: 'id', reason: 'wrong-patient', defectClass: 'critical' },
          { field: 'name', reason: 'other', defectClass: 'minor' },
        ],
      },
    ]);
    expect(tallies(review)).toEqual([
      {
        stratumId: 'patients',
        population: 3,
        reviewed: 3,
        critical: 1,
        major: 1,
        cannotAssess: 0,
        minor: 1,
        awaitingAdjudication: 0,
        awaitingErrors: 0,
        awaitingCritical: 0,
        minorErrors: 1,
        awaitingMinorErrors: 0,
        awaitingFirstReview: 0,
        awaitingSecondReview: 0,
      },
    ]);
    const verdict = overallVerdict(tallies(review), { targetErrorRate: 0.05, confidence: 0.95 });
    expect(verdict.pass).toBe(false);
  });
  it('a cannot-assess decision counts as cannot assess, not as minor', () => {
    const review = fixtureReview('rv1', [
      {
        ...fixtureDecision('d1', 'MRN-1', 'cannot-assess'),
        findings: [{ field: 'name', reason: 'other', defectClass: 'minor' }],
      },
    ]);
    expect(tallies(review)[0]).toMatchObject({ reviewed: 1, cannotAssess: 1, minor: 0 });
  });
});
