import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { PREVIEW_BYTES, previewLog } from './logPreview.ts';

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
