/**
 * Extra columns kept as case attributes (a department, a payer) and the stack of attribute
 * conditions: what the readers keep (CSV columns, XES trace and event attributes, a column with
 * too many values), how several conditions combine (AND across, OR within), and a seeded property
 * that a filtered case is never cut (fast-check prints the seed of a failure; pin it as a case).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { LOG_PROBLEM_CODES, MAX_ATTRIBUTE_VALUES } from './eventLog.ts';
import { type AttributeFilter, filterLog, type LogFilters } from './filters.ts';
import { createLocalClock } from './timestamps.ts';
import { readXesLogText } from './xesLog.ts';

const clock = createLocalClock('UTC');

/**
 * Five visits: department and payer are case attributes (the same on every row); the role varies
 * by event. Visit 5 has no payer.
 */
const CSV = [
  'case,activity,time,role,department,payer,note',
  '1,Check in,2025-06-02T08:00:00Z,Reception,Cardiology,Public,a',
  '1,Labs,2025-06-02T08:10:00Z,Lab,Cardiology,Public,b',
  '1,Visit,2025-06-02T08:20:00Z,Doctor,Cardiology,Public,c',
  '2,Check in,2025-06-02T09:00:00Z,Reception,Oncology,Private,d',
  '2,Visit,2025-06-02T09:20:00Z,Doctor,Oncology,Private,e',
  '3,Check in,2025-06-03T08:00:00Z,Reception,Oncology,Public,f',
  '3,Labs,2025-06-03T08:10:00Z,Lab,Oncology,Public,g',
  '4,Check in,2025-06-03T09:00:00Z,Reception,Cardiology,Private,h',
  '4,Visit,2025-06-03T09:20:00Z,Nurse,Cardiology,Private,i',
  '5,Check in,2025-06-04T09:00:00Z,Reception,Cardiology,,j',
  '5,Visit,2025-06-04T09:20:00Z,Doctor,Cardiology,,k',
].join('\n');
const MAPPING = { case: 'case', activity: 'activity', timestamp: 'time', role: 'role' };
const kept = readCsvLogText(CSV, { mapping: { ...MAPPING, keep: ['department', 'payer'] } }).log;

describe('reading kept columns', () => {
  it('keeps the chosen CSV columns per activity instance, values sorted', () => {
    expect(kept.attributes?.map((a) => [a.name, a.values])).toEqual([
      ['department', ['Cardiology', 'Oncology']],
      ['payer', ['Private', 'Public']],
    ]);
    const payer = kept.attributes?.[1];
    // case 5 (the last two instances) has no payer
    expect(Array.from(payer?.codes ?? []).slice(-2)).toEqual([-1, -1]);
    expect(payer?.codes.length).toBe(kept.activity.length);
  });

  it('keeps nothing extra unless asked', () => {
    expect(readCsvLogText(CSV, { mapping: MAPPING }).log.attributes).toBeUndefined();
  });

  it('names a kept column the file lacks, as for the other columns', () => {
    expect(() => readCsvLogText(CSV, { mapping: { ...MAPPING, keep: ['ward'] } })).toThrow(
      /no column "ward" \(given as the kept column\)/,
    );
  });

  it('does not keep a column with too many values, and says so without a value', () => {
    const rows = Array.from({ length: MAX_ATTRIBUTE_VALUES + 5 }, (_, k) => [
      `${k},A,2025-06-02T08:00:00Z,secret-${k}`,
      `${k},B,2025-06-02T08:05:00Z,secret-${k}`,
    ]).flat();
    const { log, problems } = readCsvLogText(['case,activity,time,note', ...rows].join('\n'), {
      mapping: { case: 'case', activity: 'activity', timestamp: 'time', keep: ['note'] },
    });
    expect(log.attributes?.[0]).toMatchObject({ name: 'note', values: [], tooMany: true });
    expect(Array.from(log.attributes?.[0]?.codes ?? []).every((c) => c === -1)).toBe(true);
    const problem = problems.list().find((p) => p.code === LOG_PROBLEM_CODES.tooManyValues);
    expect(problem?.severity).toBe('warning');
    expect(problem?.message).toContain('"note"');
    expect(problem?.message).not.toContain('secret');
  });

  it('keeps XES trace attributes for every event of the trace, and event attributes per event', () => {
    const trace = (id: string, ward: string, events: Array<[string, string, string?]>) =>
      [
        '<trace>',
        `<string key="concept:name" value="${id}"/>`,
        `<string key="ward" value="${ward}"/>`,
        ...events.map(
          ([activity, time, urgency]) =>
            `<event><string key="concept:name" value="${activity}"/><date key="time:timestamp" value="${time}"/>${urgency ? `<string key="urgency" value="${urgency}"/>` : ''}</event>`,
        ),
        '</trace>',
      ].join('');
    const xes = [
      '<log><global scope="event"><string key="urgency" value="__INVALID__"/></global>',
      trace('a', 'East', [
        ['Triage', '2025-06-02T08:00:00Z', 'high'],
        ['Visit', '2025-06-02T08:30:00Z'],
      ]),
      trace('b', 'West', [
        ['Triage', '2025-06-02T09:00:00Z'],
        ['Visit', '2025-06-02T09:30:00Z'],
      ]),
      '</log>',
    ].join('');
    const { log } = readXesLogText(xes, { mapping: { case: '', activity: '', keep: ['ward', 'urgency'] } });
    const [ward, urgency] = log.attributes ?? [];
    expect(ward?.values).toEqual(['East', 'West']);
    expect(Array.from(ward?.codes ?? [])).toEqual([0, 0, 1, 1]);
    // the `<global>` default is a declaration's placeholder, never a value
    expect(urgency?.values).toEqual(['high']);
    expect(Array.from(urgency?.codes ?? [])).toEqual([0, -1, -1, -1]);
  });
});

const department = (values: string[], keep: 'with' | 'without' = 'with'): AttributeFilter => ({
  attribute: 'column',
  column: 'department',
  values,
  keep,
});
const payer = (values: string[], keep: 'with' | 'without' = 'with'): AttributeFilter => ({
  attribute: 'column',
  column: 'payer',
  values,
  keep,
});

describe('filterLog: a stack of attribute conditions', () => {
  it.each<{ what: string; filters: LogFilters; cases: string[]; counts: number[] }>([
    {
      what: 'a kept column keeps whole cases',
      filters: { attributes: [department(['Oncology'])] },
      cases: ['2', '3'],
      counts: [2],
    },
    {
      what: 'OR among the values of one attribute',
      filters: { attributes: [payer(['Private', 'Public'])] },
      cases: ['1', '2', '3', '4'],
      counts: [4],
    },
    {
      what: 'AND across attributes',
      filters: { attributes: [department(['Cardiology']), payer(['Public'])] },
      cases: ['1'],
      counts: [3, 2],
    },
    {
      what: 'with one, without another: leaving out a value keeps the cases without any value',
      filters: { attributes: [department(['Cardiology']), payer(['Private'], 'without')] },
      cases: ['1', '5'],
      counts: [3, 3],
    },
    {
      what: 'a kept column and a role together',
      filters: {
        attributes: [department(['Oncology']), { attribute: 'role', values: ['Lab'], keep: 'with' }],
      },
      cases: ['3'],
      counts: [2, 2],
    },
    {
      what: 'a condition with no values keeps every case',
      filters: { attributes: [department([]), payer(['Private'])] },
      cases: ['2', '4'],
      counts: [5, 2],
    },
    {
      what: 'a column the log did not keep: no case has a value of it',
      filters: { attributes: [{ attribute: 'column', column: 'ward', values: ['East'], keep: 'with' }] },
      cases: [],
      counts: [0],
    },
    {
      what: 'the older single condition and the stack apply together',
      filters: {
        attribute: { attribute: 'role', values: ['Nurse'], keep: 'without' },
        attributes: [department(['Cardiology'])],
      },
      cases: ['1', '5'],
      counts: [3],
    },
  ])('$what', ({ filters, cases, counts }) => {
    const { log: out, summary } = filterLog(kept, filters, clock);
    expect(out.cases).toEqual(cases);
    expect(summary.attributeCases).toBe(cases.length);
    expect(summary.attributeCounts).toEqual(counts);
    // the kept columns travel with the instances they belong to
    expect(out.attributes?.[0]?.codes.length).toBe(out.activity.length);
  });
});

describe('filterLog: a case is never cut', () => {
  const DEPARTMENTS = ['Cardiology', 'Oncology', 'Surgery'];
  const PAYERS = ['Public', 'Private', ''];
  const ROLES = ['Reception', 'Lab', 'Doctor', 'Nurse'];
  const condition = fc.oneof(
    fc.record({
      attribute: fc.constant('column' as const),
      column: fc.constantFrom('department', 'payer'),
      values: fc.subarray([...DEPARTMENTS, 'Public', 'Private']),
      keep: fc.constantFrom('with' as const, 'without' as const),
    }),
    fc.record({
      attribute: fc.constant('role' as const),
      values: fc.subarray(ROLES),
      keep: fc.constantFrom('with' as const, 'without' as const),
    }),
  );
  const logArbitrary = fc.array(
    fc.record({
      department: fc.constantFrom(...DEPARTMENTS),
      payer: fc.constantFrom(...PAYERS),
      roles: fc.array(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 20 },
  );

  it('keeps every event of a kept case, and each kept case passes every condition', () => {
    fc.assert(
      fc.property(logArbitrary, fc.array(condition, { maxLength: 3 }), (cases, conditions) => {
        const rows = cases.flatMap((c, k) =>
          c.roles.map(
            (role, i) =>
              `${k},Step ${i},2025-06-02T${String(8 + i).padStart(2, '0')}:00:00Z,${role},${c.department},${c.payer}`,
          ),
        );
        const log = readCsvLogText(['case,activity,time,role,department,payer', ...rows].join('\n'), {
          mapping: { ...MAPPING, keep: ['department', 'payer'] },
        }).log;
        const { log: out, summary } = filterLog(log, { attributes: conditions }, clock);
        const sizeOf = (l: typeof log, id: string) => {
          const c = l.cases.indexOf(id);
          return (l.caseOffsets[c + 1] as number) - (l.caseOffsets[c] as number);
        };
        for (const id of out.cases) expect(sizeOf(out, id)).toBe(sizeOf(log, id));
        for (const id of out.cases) {
          const source = cases[Number(id)] as (typeof cases)[number];
          for (const cond of conditions) {
            if (cond.values.length === 0) continue;
            const has =
              cond.attribute === 'role'
                ? source.roles.some((r) => cond.values.includes(r))
                : cond.values.includes(cond.column === 'department' ? source.department : source.payer);
            expect(has).toBe(cond.keep === 'with');
          }
        }
        // every count is of the whole log, and the stack keeps no more than its strictest condition
        for (const n of summary.attributeCounts ?? []) expect(n).toBeGreaterThanOrEqual(out.cases.length);
      }),
      { seed: 20261124, numRuns: 200 },
    );
  });
});
