import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { describeProblem, type LogProblemCode } from './eventLog.ts';
import { BadMappingError, type ColumnMapping, MissingLogColumnError } from './readEvents.ts';

const SINGLE: ColumnMapping = { case: 'case', activity: 'activity', timestamp: 'time' };
const LIFECYCLE: ColumnMapping = { ...SINGLE, lifecycle: 'lifecycle' };
const TWO: ColumnMapping = { case: 'case', activity: 'activity', start: 'start', complete: 'complete' };

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('bad input: a clear problem with row numbers, never a crash', () => {
  const table: Array<{
    description: string;
    input: string;
    mapping: ColumnMapping;
    code: LogProblemCode;
    rows: number[];
  }> = [
    {
      description: 'unparseable timestamps',
      input: csv(
        'case,activity,time',
        '1,A,2024-03-01T08:00:00Z',
        '1,B,2024-03-01T09:00:00Z',
        '2,A,soon',
        '2,B,2024-02-30T09:00:00Z',
      ),
      mapping: SINGLE,
      code: 'unparseable-timestamp',
      rows: [3, 4],
    },
    {
      description: 'missing case ids',
      input: csv(
        'case,activity,time',
        '1,A,2024-03-01T08:00:00Z',
        ',B,2024-03-01T09:00:00Z',
        '  ,C,2024-03-01T09:00:00Z',
        '1,D,2024-03-01T10:00:00Z',
      ),
      mapping: SINGLE,
      code: 'missing-case-id',
      rows: [2, 3],
    },
    {
      description: 'a missing activity',
      input: csv(
        'case,activity,time',
        '1,A,2024-03-01T08:00:00Z',
        '1,,2024-03-01T09:00:00Z',
        '1,C,2024-03-01T10:00:00Z',
      ),
      mapping: SINGLE,
      code: 'missing-activity',
      rows: [2],
    },
    {
      description: 'a one-event log',
      input: csv('case,activity,time', '1,A,2024-03-01T08:00:00Z'),
      mapping: SINGLE,
      code: 'too-few-events',
      rows: [],
    },
    {
      description: 'events out of order within a case (a complete before its start)',
      input: csv(
        'case,activity,time,lifecycle',
        '1,A,2024-03-01T08:00:00Z,start',
        '1,A,2024-03-01T08:05:00Z,complete',
        '1,B,2024-03-01T08:10:00Z,complete',
        '1,B,2024-03-01T08:20:00Z,start',
      ),
      mapping: LIFECYCLE,
      code: 'out-of-order',
      rows: [3],
    },
    {
      description: 'a complete column before the start column',
      input: csv(
        'case,activity,start,complete',
        '1,A,2024-03-01T08:00:00Z,2024-03-01T08:05:00Z',
        '1,B,2024-03-01T09:00:00Z,2024-03-01T08:30:00Z',
      ),
      mapping: TWO,
      code: 'out-of-order',
      rows: [2],
    },
    {
      description: 'ambiguous day/month',
      input: csv('case,activity,time', '1,A,01/02/2024 08:00', '1,B,03/04/2024 09:00'),
      mapping: SINGLE,
      code: 'ambiguous-dates',
      rows: [],
    },
    {
      description: 'no known timestamp format',
      input: csv('case,activity,time', '1,A,Monday', '1,B,Tuesday'),
      mapping: SINGLE,
      code: 'unknown-timestamp-format',
      rows: [],
    },
  ];
  it.each(table)('$description', ({ input, mapping, code, rows }) => {
    const result = readCsvLogText(input, { mapping });
    const problem = result.problems.list().find((p) => p.code === code);
    expect(problem, JSON.stringify(result.problems.list())).toBeDefined();
    expect(problem?.rows).toEqual(rows);
    expect(problem?.severity).toBe('error');
    // the message names columns and rows, never a value from the file
    const line = describeProblem(problem as NonNullable<typeof problem>);
    for (const value of ['soon', 'Monday', 'Tuesday', '2024-02-30']) expect(line).not.toContain(value);
    if (rows.length > 0) expect(line).toContain(`row${rows.length > 1 ? 's' : ''}: ${rows.join(', ')}`);
  });

  it('reads a complete without a start, in a log that has starts, as an atomic event (counted)', () => {
    const result = readCsvLogText(
      csv(
        'case,activity,time,lifecycle',
        '1,A,2024-03-01T08:00:00Z,start',
        '1,A,2024-03-01T08:05:00Z,complete',
        '1,B,2024-03-01T08:10:00Z,complete',
      ),
      { mapping: LIFECYCLE },
    );
    expect(result.problems.list()).toEqual([]);
    expect(result.log.unmatchedCompletes).toBe(1);
    expect(result.log.activity.length).toBe(2);
  });

  it.each([
    {
      description: 'no lifecycle column',
      lines: ['case,activity,time', '1,A,2024-03-01T08:00:00Z', '1,B,', '1,C,2024-03-01T09:00:00Z'],
      mapping: SINGLE,
      atomic: undefined,
    },
    {
      description: 'a lifecycle column with completes only',
      lines: [
        'case,activity,time,lifecycle',
        '1,A,2024-03-01T08:00:00Z,complete',
        '1,B,,complete',
        '1,C,2024-03-01T09:00:00Z,COMPLETE',
      ],
      mapping: LIFECYCLE,
      atomic: true,
    },
  ])(
    'an event without a time is left out and counted, never given one: $description',
    ({ lines, mapping, atomic }) => {
      const result = readCsvLogText(csv(...lines), { mapping });
      expect(result.problems.list()).toMatchObject([
        { code: 'missing-timestamp', severity: 'warning', count: 1, rows: [2] },
      ]);
      expect(result.problems.hasErrors()).toBe(false);
      expect(result.log.activities).toEqual(['A', 'C']);
      expect(Array.from(result.log.start)).toEqual([Date.UTC(2024, 2, 1, 8), Date.UTC(2024, 2, 1, 9)]);
      expect(result.log.atomicCompletes).toBe(atomic);
    },
  );

  it('a start without a complete is a warning: the instance is kept without a touch time', () => {
    const result = readCsvLogText(
      csv(
        'case,activity,time,lifecycle',
        '1,A,2024-03-01T08:00:00Z,start',
        '1,B,2024-03-01T08:10:00Z,start',
        '1,B,2024-03-01T08:20:00Z,complete',
      ),
      { mapping: LIFECYCLE },
    );
    expect(result.problems.list()).toMatchObject([
      { code: 'start-without-complete', severity: 'warning', rows: [1] },
    ]);
    expect(Array.from(result.log.timed)).toEqual([0, 1]);
  });

  it('lists at most ten rows and counts the rest', () => {
    const lines = ['case,activity,time'];
    for (let i = 0; i < 25; i++) lines.push(`1,A,bad${i}`);
    lines.push('1,B,2024-03-01T08:00:00Z');
    const result = readCsvLogText(csv(...lines), { mapping: SINGLE, timestampFormat: 'iso' });
    const problem = result.problems.list().find((p) => p.code === 'unparseable-timestamp');
    expect(problem).toMatchObject({ count: 25 });
    expect(problem?.rows).toHaveLength(10);
    expect(describeProblem(problem as NonNullable<typeof problem>)).toContain(
      '(25 rows: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)',
    );
  });

  it('names a missing column, and refuses an impossible mapping', () => {
    expect(() => readCsvLogText(csv('case,activity,when', '1,A,x'), { mapping: SINGLE })).toThrow(
      MissingLogColumnError,
    );
    expect(() => readCsvLogText(csv('case,activity,when', '1,A,x'), { mapping: SINGLE })).toThrow(
      /no column "time"/,
    );
    expect(() =>
      readCsvLogText(csv('c,a,s', '1,A,x'), { mapping: { case: 'c', activity: 'a', start: 's' } }),
    ).toThrow(BadMappingError);
  });
});

describe('reading', () => {
  it('keeps case ids as text: "NA" and "0012" stay themselves', () => {
    const result = readCsvLogText(
      csv(
        'case,activity,time',
        'NA,A,2024-03-01T08:00:00Z',
        '0012,A,2024-03-01T08:00:00Z',
        '12,A,2024-03-01T08:00:00Z',
        'NA,B,2024-03-01T09:00:00Z',
      ),
      { mapping: SINGLE },
    );
    expect(result.log.cases).toEqual(['0012', '12', 'NA']);
  });

  it('reads start and complete columns as one instance per row, with touch times', () => {
    const result = readCsvLogText(
      csv(
        'case;activity;start;complete',
        '1;A;2024-03-01 08:00;2024-03-01 08:05',
        '1;B;2024-03-01 08:10;2024-03-01 08:30',
      ),
      { mapping: TWO, timeZone: '+01:00' },
    );
    expect(result.problems.list()).toEqual([]);
    expect(result.timestamps).toMatchObject({
      format: 'iso',
      timeZone: '+01:00',
      detection: { naive: true },
    });
    expect(Array.from(result.log.start)).toEqual([Date.UTC(2024, 2, 1, 7, 0), Date.UTC(2024, 2, 1, 7, 10)]);
    expect(Array.from(result.log.timed)).toEqual([1, 1]);
  });

  it('pairs lifecycle events first-in-first-out and ignores other transitions with a warning', () => {
    const result = readCsvLogText(
      csv(
        'case,activity,time,lifecycle',
        '1,A,2024-03-01T08:00:00Z,START',
        '1,A,2024-03-01T08:01:00Z,start',
        '1,A,2024-03-01T08:02:00Z,assign',
        '1,A,2024-03-01T08:05:00Z,complete',
        '1,A,2024-03-01T08:09:00Z,Complete',
      ),
      { mapping: LIFECYCLE },
    );
    expect(result.problems.list()).toMatchObject([
      { code: 'ignored-lifecycle', severity: 'warning', rows: [3] },
    ]);
    const minutes = Array.from(result.log.complete, (c, i) => (c - (result.log.start[i] as number)) / 60000);
    expect(minutes).toEqual([5, 8]);
  });

  it('maps resources to roles with the role map', () => {
    const result = readCsvLogText(
      csv(
        'case,activity,time,who',
        '1,A,2024-03-01T08:00:00Z,Dr Lee',
        '1,B,2024-03-01T08:10:00Z,Sam',
        '1,C,2024-03-01T08:20:00Z,Kim',
      ),
      { mapping: { ...SINGLE, resource: 'who' }, roleMap: { 'Dr Lee': 'Physician', Sam: 'Front desk' } },
    );
    expect(result.log.roles).toEqual(['Front desk', 'Kim', 'Physician']);
    expect(result.log.resources).toEqual(['Dr Lee', 'Kim', 'Sam']);
  });

  it('settles ambiguous dates with an explicit order', () => {
    const input = csv('case,activity,time', '1,A,01/02/2024 08:00', '1,B,03/04/2024 09:00');
    const dmy = readCsvLogText(input, { mapping: SINGLE, timestampFormat: 'dmy' });
    expect(dmy.problems.list()).toEqual([]);
    expect(dmy.log.start[0]).toBe(Date.UTC(2024, 1, 1, 8));
    const mdy = readCsvLogText(input, { mapping: SINGLE, timestampFormat: 'mdy' });
    expect(mdy.log.start[0]).toBe(Date.UTC(2024, 0, 2, 8));
  });
});
