import { describe, expect, it } from 'vitest';
import type { ColumnProfile, Report } from '../../formats/report.ts';
import { withReferenceEstimates } from './reportFindings.ts';

/** A report holding only `profiles` (the one part `withReferenceEstimates` reads). */
function withProfiles(profiles: ColumnProfile[]): Report {
  return { profiles } as unknown as Report;
}

const exact: ColumnProfile = {
  input: 'patients',
  column: 'id',
  count: 200_000,
  empty: 0,
  distinct: 200_000,
  topPartial: true,
};
const estimate: ColumnProfile = {
  input: 'a.csv',
  column: 'id',
  count: 200_000,
  empty: 0,
  distinct: 203_100,
  approximate: true,
};

describe("an exact distinct count against the default engine's estimate", () => {
  it('takes the estimate when the exact count is within four standard errors of it', () => {
    const [p] = withReferenceEstimates(withProfiles([exact]), withProfiles([estimate])).profiles;
    expect(p).toEqual({ ...estimate, input: 'patients' });
  });

  it('leaves a count out of tolerance, an estimate on both sides, or another column to differ', () => {
    const far = { ...estimate, distinct: 220_000 };
    expect(withReferenceEstimates(withProfiles([exact]), withProfiles([far])).profiles).toEqual([exact]);
    const both = { ...exact, approximate: true, topPartial: undefined };
    expect(withReferenceEstimates(withProfiles([both]), withProfiles([estimate])).profiles).toEqual([both]);
    const other = { ...estimate, column: 'mrn' };
    expect(withReferenceEstimates(withProfiles([exact]), withProfiles([other])).profiles).toEqual([exact]);
  });
});
