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

/**
 * Five visits with a role and a system per row: Labs is done by the lab (in LIS) in visits 1 and 3;
 * visit 5 has no role or system at all.
 */
const staffed = readCsvLogText(
  [
    'case,activity,time,role,system',
    '1,Check in,2025-06-02T08:00:00Z,Reception,EHR',
    '1,Labs,2025-06-02T08:10:00Z,Lab,LIS',
    '1,Visit,2025-06-02T08:20:00Z,Doctor,EHR',
    '2,Check in,2025-06-02T09:00:00Z,Reception,EHR',
    '2,Visit,2025-06-02T09:20:00Z,Doctor,EHR',
    '3,Check in,2025-06-03T08:00:00Z,Reception,EHR',
    '3,Labs,2025-06-03T08:10:00Z,Lab,LIS',
    '4,Check in,2025-06-03T09:00:00Z,Reception,EHR',
    '4,Visit,2025-06-03T09:20:00Z,Nurse,EHR',
    '5,Check in,2025-06-04T09:00:00Z,,',
    '5,Visit,2025-06-04T09:20:00Z,,',
  ].join('\n'),
  { mapping: { case: 'case', activity: 'activity', timestamp: 'time', role: 'role', system: 'system' } },
).log;

describe('filterLog: cases with or without an attribute value', () => {
  it.each<{ what: string; filters: LogFilters; cases: string[]; instances: number }>([
    {
      what: 'with a role keeps the whole case, every event of it',
      filters: { attribute: { attribute: 'role', values: ['Lab'], keep: 'with' } },
      cases: ['1', '3'],
      instances: 5,
    },
    {
      what: 'without a role keeps the other cases, also those with no role at all',
      filters: { attribute: { attribute: 'role', values: ['Lab'], keep: 'without' } },
      cases: ['2', '4', '5'],
      instances: 6,
    },
    {
      what: 'any of several values',
      filters: { attribute: { attribute: 'role', values: ['Lab', 'Nurse'], keep: 'with' } },
      cases: ['1', '3', '4'],
      instances: 7,
    },
    {
      what: 'by system',
      filters: { attribute: { attribute: 'system', values: ['EHR'], keep: 'without' } },
      cases: ['5'],
      instances: 2,
    },
    {
      what: 'a value the log does not have: no case has it',
      filters: { attribute: { attribute: 'role', values: ['Pharmacy'], keep: 'with' } },
      cases: [],
      instances: 0,
    },
    {
      what: 'a value the log does not have: every case is without it',
      filters: { attribute: { attribute: 'system', values: ['PACS'], keep: 'without' } },
      cases: ['1', '2', '3', '4', '5'],
      instances: 11,
    },
    {
      what: 'no values keeps every case',
      filters: { attribute: { attribute: 'role', values: [], keep: 'with' } },
      cases: ['1', '2', '3', '4', '5'],
      instances: 11,
    },
    {
      what: 'a log without resources: no case has one',
      filters: { attribute: { attribute: 'resource', values: ['Lab'], keep: 'with' } },
      cases: [],
      instances: 0,
    },
    {
      what: 'combined with the dates: cases started on 3 June with the lab',
      filters: {
        dateRange: { from: Date.parse('2025-06-03T00:00:00Z'), to: Date.parse('2025-06-04T00:00:00Z') },
        attribute: { attribute: 'role', values: ['Lab'], keep: 'with' },
      },
      cases: ['3'],
      instances: 2,
    },
    {
      what: 'combined with the variants: the chosen variant among the cases with the lab',
      filters: {
        attribute: { attribute: 'role', values: ['Lab'], keep: 'with' },
        variants: [['Check in', 'Labs']],
      },
      cases: ['3'],
      instances: 2,
    },
  ])('$what', ({ filters, cases, instances }) => {
    const { log: kept, summary } = filterLog(staffed, filters, clock);
    expect(kept.cases).toEqual(cases);
    expect(kept.activity.length).toBe(instances);
    expect(summary.casesAfter).toBe(cases.length);
  });

  it('counts the cases the attribute filter kept, before the filters after it', () => {
    const { summary } = filterLog(
      staffed,
      {
        attribute: { attribute: 'system', values: ['EHR'], keep: 'with' },
        variants: [['Check in', 'Visit']],
      },
      clock,
    );
    expect(summary).toMatchObject({ casesBefore: 5, attributeCases: 4, casesAfter: 2 });
    expect(filterLog(staffed, {}, clock).summary.attributeCases).toBeUndefined();
  });
});
