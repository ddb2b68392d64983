import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import {
  describeCaseColumn,
  FEW_CASES_MIN_ROWS,
  hasFewCases,
  PREVIEW_BYTES,
  type PreviewColumn,
  previewLog,
  proposeCaseColumn,
  XES_CASE_COLUMN,
} from './logPreview.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('previewLog proposes a column mapping', () => {
  const cases: Array<{ description: string; name: string; text: string; expected: Record<string, string> }> =
    [
      {
        description: 'a lifecycle column with one time column',
        name: 'log.csv',
        text: 'case,activity,timestamp,lifecycle,resource\nC1,Check in,2026-01-05T08:00:00Z,start,Ann\nC1,Check in,2026-01-05T08:05:00Z,complete,Ann\n',
        expected: {
          case: 'case',
          activity: 'activity',
          timestamp: 'timestamp',
          lifecycle: 'lifecycle',
          resource: 'resource',
        },
      },
      {
        description: 'start and complete columns, semicolons, a patient id as the case',
        name: 'log.csv',
        text: 'Patient ID;Task;Start time;End time;User\n0012;Triage;05/01/2026 08:00;05/01/2026 08:10;u1\n0013;Triage;13/01/2026 09:00;13/01/2026 09:10;u2\n',
        expected: {
          case: 'Patient ID',
          activity: 'Task',
          start: 'Start time',
          complete: 'End time',
          resource: 'User',
        },
      },
      {
        description: 'unknown names leave case and activity empty for the user',
        name: 'log.csv',
        text: 'a,b,when\nx,y,2026-01-05 08:00\n',
        expected: { case: '', activity: '', timestamp: 'when' },
      },
      {
        description: 'XES without lifecycle or resource gets the standard keys it has',
        name: 'log.xes',
        text: '<log><trace><string key="concept:name" value="1"/><event><string key="concept:name" value="A"/><date key="time:timestamp" value="2026-01-05T08:00:00Z"/></event></trace></log>',
        expected: { case: 'concept:name', activity: 'concept:name', timestamp: 'time:timestamp' },
      },
      {
        description: 'XES with lifecycle, resource and role',
        name: 'log.XES',
        text: '<log><trace><string key="concept:name" value="1"/><event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/><string key="org:resource" value="Ann"/><string key="org:role" value="Nurse"/><date key="time:timestamp" value="2026-01-05T08:00:00Z"/></event></trace></log>',
        expected: {
          case: 'concept:name',
          activity: 'concept:name',
          timestamp: 'time:timestamp',
          lifecycle: 'lifecycle:transition',
          resource: 'org:resource',
          role: 'org:role',
        },
      },
    ];
  it.each(cases)('$description', ({ name, text, expected }) => {
    expect(previewLog(bytes(text), name).proposal).toEqual(expected);
  });

  it('reports formats of time columns and never carries cell values', () => {
    const preview = previewLog(
      bytes('case,activity,time\nSECRET-1,Check in,02/03/2026 08:00\nSECRET-2,Check in,03/04/2026 09:00\n'),
      'log.csv',
    );
    const time = preview.columns.find((c) => c.name === 'time');
    expect(time?.timestamps.ambiguous).toBe(true);
    expect(JSON.stringify(preview)).not.toContain('SECRET');
    expect(preview.sampledRows).toBe(2);
  });

  it('leaves out a row cut by the end of the prefix', () => {
    const preview = previewLog(
      bytes('case,activity,time\nC1,A,2026-01-05T08:00:00Z\nC2,B,2026-01'),
      'log.csv',
    );
    expect(preview.sampledRows).toBe(1);
    expect(preview.columns.find((c) => c.name === 'time')?.timestamps.format).toBe('iso');
  });

  it('proposes the eventdataR patients mapping the CLI test uses', () => {
    const prefix = readFileSync(externalFixture('eventdataR-patients', 'patients.csv')).subarray(
      0,
      PREVIEW_BYTES,
    );
    expect(previewLog(prefix, 'patients.csv').proposal).toEqual({
      case: 'patient',
      activity: 'handling',
      timestamp: 'time',
      lifecycle: 'registration_type',
      resource: 'employee',
    });
  });
});

describe('the case column: the XES convention first, then names, with a warning when cases are few', () => {
  /** A log flattened from XES as PM4Py writes it: `case:channel` (5 values) before the case id. */
  const flattened = (cases: number, eventsPerCase: number, withXesCase = true) => {
    const lines = [
      `case:channel,${withXesCase ? 'case:concept:name,' : ''}concept:name,time:timestamp,org:resource`,
    ];
    for (let c = 0; c < cases; c++) {
      for (let e = 0; e < eventsPerCase; e++) {
        const minute = String(e).padStart(2, '0');
        lines.push(
          `Channel ${c % 5},${withXesCase ? `case-${c},` : ''}Step ${e},2026-01-05T08:${minute}:00Z,Clerk ${e % 3}`,
        );
      }
    }
    return bytes(`${lines.join('\n')}\n`);
  };

  it('proposes case:concept:name over an earlier column that has "case" in its name', () => {
    const preview = previewLog(flattened(60, 6), 'receipt.csv');
    expect(preview.proposal).toMatchObject({
      case: XES_CASE_COLUMN,
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      resource: 'org:resource',
    });
    const choice = describeCaseColumn(preview, preview.proposal.case, preview.proposal.case);
    expect(choice).toMatchObject({ how: 'xes-convention', fewCases: false, distinct: 60, sampledRows: 360 });
    expect(choice.message).toBe(
      'Cases are told apart by the column "case:concept:name" (the XES convention for the case id).',
    );
  });

  it('warns, in the words shown on screen and by the CLI, when the chosen column has few cases for the rows', () => {
    const preview = previewLog(flattened(60, 6), 'receipt.csv');
    const choice = describeCaseColumn(preview, 'case:channel', preview.proposal.case);
    expect(choice).toMatchObject({ how: 'chosen', fewCases: true, distinct: 5 });
    expect(choice.message).toContain('It has only 5 different values in the first 360 rows');
    expect(choice.message).not.toContain('Channel');
  });

  it('without the XES column, proposes the named column and says when it has few cases', () => {
    const preview = previewLog(flattened(60, 6, false), 'receipt.csv');
    expect(preview.proposal.case).toBe('case:channel');
    expect(describeCaseColumn(preview, 'case:channel', 'case:channel')).toMatchObject({
      how: 'name',
      fewCases: true,
    });
  });

  it('prefers a named column that does not have few cases', () => {
    const columns = [
      { name: 'case type', distinct: 3, filled: 400 },
      { name: 'case id', distinct: 90, filled: 400 },
    ].map((c) => ({
      ...c,
      lifecycle: false,
      timestamps: { ambiguous: false } as PreviewColumn['timestamps'],
    }));
    expect(proposeCaseColumn(columns, 400)).toBe('case id');
    expect(hasFewCases({ distinct: 3 }, 400)).toBe(true);
    // a short prefix says nothing about cases
    expect(hasFewCases({ distinct: 1 }, FEW_CASES_MIN_ROWS - 1)).toBe(false);
  });

  it('says so when no column is named like a case id', () => {
    const preview = previewLog(bytes('a,b,when\nx,y,2026-01-05 08:00\n'), 'log.csv');
    expect(describeCaseColumn(preview, preview.proposal.case, undefined)).toMatchObject({ how: 'none' });
  });
});
