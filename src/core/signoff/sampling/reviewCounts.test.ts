import { describe, expect, it } from 'vitest';
import type { DrawnSample, DrawnStratum } from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { reviewCounts } from './reviewCounts.ts';
import { planSampleSizes } from './statistics.ts';

/** The demo main plan's shape (samples/plans/patients.sampleplan.json): 4,738 clean rows, 262 flagged (census). */
const plan = {
  format: 'preflight.sampleplan/v1',
  id: 'p',
  name: 'Patients',
  population: {
    dataset: 'patients.csv',
    stratifyBy: 'validation',
    strata: [
      { id: 'clean', label: 'Clean', size: 4738 },
      { id: 'flagged', label: 'Flagged', size: 262, flagged: true, census: true },
    ],
  },
  targetErrorRate: 0.02,
  confidence: 0.95,
  acceptanceNumber: 0,
  seed: 's',
  createdAt: '2024-07-08T09:00:00-04:00',
} as SamplePlan;

const stratum = (
  id: string,
  census: boolean,
  population: number,
  n: number,
  records: number,
): DrawnStratum => ({
  id,
  census,
  population,
  n,
  records: Array.from({ length: records }, (_, i) => ({ row: i + 2, key: `k${i}` })),
});
const sample = (...strata: DrawnStratum[]): DrawnSample => ({
  drawnAt: '2024-07-09T10:00:00-04:00',
  seed: 's',
  inputs: [],
  strata,
});

const cases: {
  description: string;
  drawn?: DrawnSample;
  expected: { total: number; planned: number; atMost: boolean; notes: (string | undefined)[] };
}[] = [
  {
    description: 'before drawing: the plan sizes, an upper bound since the flagged stratum is a census',
    expected: { total: 408, planned: 408, atMost: true, notes: [undefined, undefined] },
  },
  {
    description: 'the demo draw: 262 flagged rows hold 250 distinct MRNs, so 146 + 250 = 396 records',
    drawn: sample(stratum('clean', false, 4738, 146, 146), stratum('flagged', true, 262, 262, 250)),
    expected: {
      total: 396,
      planned: 408,
      atMost: false,
      notes: [undefined, '262 rows, 250 records: rows with the same key (mrn) are one record, reviewed once'],
    },
  },
  {
    description: 'no repeated keys: drawn equals planned, no note',
    drawn: sample(stratum('clean', false, 4738, 146, 146), stratum('flagged', true, 262, 262, 262)),
    expected: { total: 408, planned: 408, atMost: false, notes: [undefined, undefined] },
  },
  {
    description: 'a sampled stratum with fewer distinct keys than its sample size',
    drawn: sample(stratum('clean', false, 4738, 146, 120), stratum('flagged', true, 262, 262, 262)),
    expected: {
      total: 382,
      planned: 408,
      atMost: false,
      notes: ['only 120 distinct keys (mrn) in 4,738 rows: each is reviewed once', undefined],
    },
  },
  {
    description: 'one row, one record: singular words',
    drawn: sample(stratum('clean', false, 4738, 146, 146), stratum('flagged', true, 2, 2, 1)),
    expected: {
      total: 147,
      planned: 148,
      atMost: false,
      notes: [undefined, '2 rows, 1 record: rows with the same key (mrn) are one record, reviewed once'],
    },
  },
];

describe('reviewCounts', () => {
  it.each(cases)('$description', ({ drawn, expected }) => {
    const counts = reviewCounts(planSampleSizes(plan), drawn, 'mrn');
    expect({
      total: counts.total,
      planned: counts.planned,
      atMost: counts.atMost,
      notes: counts.strata.map((s) => s.note),
    }).toEqual(expected);
    expect(counts.total).toBe(counts.strata.reduce((sum, s) => sum + (s.drawn ?? s.planned), 0));
    expect(counts.drawn).toBe(drawn !== undefined);
  });

  it('says "key" alone when the key column is not known', () => {
    const drawn = sample(stratum('clean', false, 4738, 146, 146), stratum('flagged', true, 262, 262, 250));
    expect(reviewCounts(planSampleSizes(plan), drawn).strata[1]?.note).toBe(
      '262 rows, 250 records: rows with the same key are one record, reviewed once',
    );
  });
});
