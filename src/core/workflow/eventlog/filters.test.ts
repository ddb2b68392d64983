import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { filterLog, type LogFilters } from './filters.ts';
import { createLocalClock } from './timestamps.ts';

/** Four cases: two straight (A B C), one loop (A B A B C), one short (A C). */
const log = readCsvLogText(
  [
    'case,activity,time',
    ...[
      ['1', 'A B C'],
      ['2', 'A B C'],
      ['3', 'A B A B C'],
      ['4', 'A C'],
    ].flatMap(([id, trace]) =>
      (trace as string)
        .split(' ')
        .map((a, k) => `${id},${a},2025-06-02T08:${String(10 + k).padStart(2, '0')}:00Z`),
    ),
  ].join('\n'),
  { mapping: { case: 'case', activity: 'activity', timestamp: 'time' } },
).log;
const clock = createLocalClock('UTC');

describe('filterLog: chosen variants', () => {
  it.each<{ what: string; filters: LogFilters; cases: string[]; variantsKept: number }>([
    {
      what: 'no choice keeps every case',
      filters: { variants: [] },
      cases: ['1', '2', '3', '4'],
      variantsKept: 3,
    },
    { what: 'one variant', filters: { variants: [['A', 'B', 'C']] }, cases: ['1', '2'], variantsKept: 1 },
    {
      what: 'two variants',
      filters: {
        variants: [
          ['A', 'C'],
          ['A', 'B', 'A', 'B', 'C'],
        ],
      },
      cases: ['3', '4'],
      variantsKept: 2,
    },
    { what: 'a prefix is not the variant', filters: { variants: [['A', 'B']] }, cases: [], variantsKept: 0 },
    {
      what: 'an unknown activity matches nothing',
      filters: { variants: [['A', 'X']] },
      cases: [],
      variantsKept: 0,
    },
    {
      what: 'the choice applies to the sequences the other filters left',
      // B and C (4 times each) are rare at 5: the straight and short cases become "A"
      filters: { minActivityCount: 5, variants: [['A']] },
      cases: ['1', '2', '4'],
      variantsKept: 1,
    },
  ])('$what', ({ filters, cases, variantsKept }) => {
    const { log: kept, summary } = filterLog(log, filters, clock);
    expect(kept.cases).toEqual(cases);
    expect(summary.variantsKept).toBe(variantsKept);
  });
});
