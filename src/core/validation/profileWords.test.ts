import { describe, expect, it } from 'vitest';
import { reportProfile } from './buildReport.ts';
import { createColumnProfiler, MAX_EXACT_DISTINCT, MAX_TRACKED_VALUES } from './columnProfile.ts';
import { topValuesNote } from './profileWords.ts';

/** Cells: `before` "A"s, then `distinct` different values (each once), then `after` "A"s. */
function cells(before: number, distinct: number, after: number): string[] {
  return [
    ...Array.from({ length: before }, () => 'A'),
    ...Array.from({ length: distinct }, (_, i) => `V${i}`),
    ...Array.from({ length: after }, () => 'A'),
  ];
}

describe('top values of a profile, and what the report says of them', () => {
  const table: {
    description: string;
    cells: () => string[];
    /** the count of "A" the top values list */
    listed: number;
    partial: 'no' | 'topPartial' | 'approximate';
  }[] = [
    {
      description: 'fewer distinct values than are kept: every count exact, no note',
      cells: () => cells(5, MAX_TRACKED_VALUES - 1, 5),
      listed: 10,
      partial: 'no',
    },
    {
      description: 'past the values kept: the count stops where the column passed them',
      cells: () => cells(5, MAX_TRACKED_VALUES + 10, 500),
      listed: 5,
      partial: 'topPartial',
    },
    {
      description: 'past the distinct values counted exactly: an estimate, top values partial too',
      cells: () => cells(3, MAX_EXACT_DISTINCT + 1, 7),
      listed: 3,
      partial: 'approximate',
    },
  ];
  it.each(table)('$description', ({ cells, listed, partial }) => {
    const profiler = createColumnProfiler('c');
    for (const cell of cells()) profiler.add(cell);
    const profile = reportProfile('f.csv', profiler.state, false);
    expect(profile.top?.find((t) => t.value === 'A')?.count).toBe(listed);
    expect(profile.topPartial === true ? 'topPartial' : profile.approximate ? 'approximate' : 'no').toBe(
      partial,
    );
    const note = topValuesNote(profile);
    if (partial === 'no') expect(note).toBeUndefined();
    else expect(note).toContain(`passed ${MAX_TRACKED_VALUES.toLocaleString('en-US')} different values`);
    // redacted, the top values are gone but the profile still says they were partial
    const redacted = reportProfile('f.csv', profiler.state, true);
    expect(redacted.top).toBeUndefined();
    expect(topValuesNote(redacted)).toBe(note);
  });
});
