import { describe, expect, it } from 'vitest';
import {
  createLocalClock,
  createTimestampParser,
  createTimeZone,
  detectTimestampFormat,
  type TimestampFormat,
  UnknownTimeZoneError,
} from './timestamps.ts';

const utc = (...parts: [number, number, number, number?, number?, number?, number?]) =>
  Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0, parts[6] ?? 0);

describe('detectTimestampFormat', () => {
  it.each([
    {
      description: 'ISO with Z',
      cells: ['2024-03-01T08:15:00Z', '2024-03-01T09:00:00.250Z'],
      format: 'iso',
      zoned: true,
      naive: false,
    },
    {
      description: 'ISO with offset',
      cells: ['2024-03-01T08:15:00+01:00'],
      format: 'iso',
      zoned: true,
      naive: false,
    },
    {
      description: 'ISO without zone',
      cells: ['2024-03-01 08:15:00', '2024-03-02 10:00'],
      format: 'iso',
      zoned: false,
      naive: true,
    },
    {
      description: 'year first with slashes, as Disco exports (never day/month-ambiguous)',
      cells: ['2024/03/01 08:15:00.000', '2024/03/02 10:00:00.250'],
      format: 'iso',
      zoned: false,
      naive: true,
    },
    {
      description: 'day first (13th)',
      cells: ['01/03/2024 08:15', '13/03/2024 09:00'],
      format: 'dmy',
      zoned: false,
      naive: true,
    },
    {
      description: 'month first with AM/PM',
      cells: ['03/01/2024 08:15 AM', '03/13/2024 01:00 PM'],
      format: 'mdy',
      zoned: false,
      naive: true,
    },
    {
      description: 'epoch ms',
      cells: ['1709280900000', '1709281800123'],
      format: 'epoch-ms',
      zoned: true,
      naive: false,
    },
    {
      description: 'epoch s',
      cells: ['1709280900', '1709281800.5'],
      format: 'epoch-s',
      zoned: true,
      naive: false,
    },
  ])('$description', ({ cells, format, zoned, naive }) => {
    const detection = detectTimestampFormat(cells);
    expect(detection).toMatchObject({ format, ambiguous: false, zoned, naive, sampled: cells.length });
  });

  it('reports slash dates with no number above 12 as ambiguous, never guessing', () => {
    expect(detectTimestampFormat(['01/02/2024 08:00', '03/04/2024 09:00'])).toMatchObject({
      format: undefined,
      ambiguous: true,
    });
  });

  it('finds no format for mixed or foreign cells, and skips empty ones', () => {
    expect(detectTimestampFormat(['2024-03-01T08:00:00Z', '13/03/2024', 'x']).format).toBeUndefined();
    // a minority of broken cells does not hide the format (they are reported by row when read)
    expect(detectTimestampFormat(['2024-03-01T08:00:00Z', '2024-03-01T09:00:00Z', 'x']).format).toBe('iso');
    expect(detectTimestampFormat(['yesterday']).format).toBeUndefined();
    expect(detectTimestampFormat(['', '  ', '2024-03-01']).sampled).toBe(1);
  });
});

describe('createTimestampParser', () => {
  const cases: Array<{ format: TimestampFormat; zone: string; cell: string; expected: number | undefined }> =
    [
      { format: 'iso', zone: 'UTC', cell: '2024-03-01T08:15:30Z', expected: utc(2024, 3, 1, 8, 15, 30) },
      {
        format: 'iso',
        zone: 'UTC',
        cell: '2024-03-01T08:15:30.25+01:00',
        expected: utc(2024, 3, 1, 7, 15, 30, 250),
      },
      { format: 'iso', zone: '+02:00', cell: '2024-03-01 08:15:30', expected: utc(2024, 3, 1, 6, 15, 30) },
      { format: 'iso', zone: '+02:00', cell: '2024-03-01T08:15:30Z', expected: utc(2024, 3, 1, 8, 15, 30) },
      { format: 'iso', zone: 'UTC', cell: '2024-02-30 08:00', expected: undefined },
      { format: 'iso', zone: 'UTC', cell: '2023-02-29', expected: undefined },
      { format: 'iso', zone: 'UTC', cell: '2024-02-29', expected: utc(2024, 2, 29) },
      { format: 'iso', zone: 'UTC', cell: '2024-03-01 25:00', expected: undefined },
      { format: 'dmy', zone: 'UTC', cell: '13/03/2024 09:05', expected: utc(2024, 3, 13, 9, 5) },
      { format: 'dmy', zone: 'UTC', cell: '13.03.2024', expected: utc(2024, 3, 13) },
      { format: 'mdy', zone: 'UTC', cell: '03/13/2024 12:05 AM', expected: utc(2024, 3, 13, 0, 5) },
      { format: 'mdy', zone: 'UTC', cell: '03/13/2024 12:05 pm', expected: utc(2024, 3, 13, 12, 5) },
      { format: 'mdy', zone: 'UTC', cell: '03/13/2024 01:05 PM', expected: utc(2024, 3, 13, 13, 5) },
      { format: 'mdy', zone: 'UTC', cell: '03/13/2024 13:05 PM', expected: undefined },
      { format: 'mdy', zone: 'UTC', cell: '13/03/2024', expected: undefined },
      { format: 'epoch-ms', zone: '+05:00', cell: '1709280900000', expected: 1709280900000 },
      { format: 'epoch-s', zone: 'UTC', cell: '1709280900.5', expected: 1709280900500 },
      { format: 'iso', zone: 'UTC', cell: 'not a date', expected: undefined },
      {
        format: 'iso',
        zone: '+01:00',
        cell: '2024/03/01 08:15:30.250',
        expected: utc(2024, 3, 1, 7, 15, 30, 250),
      },
      { format: 'iso', zone: 'UTC', cell: '2024/02/30 08:00', expected: undefined },
      { format: 'iso', zone: 'UTC', cell: '2024-03/01 08:00', expected: undefined },
    ];
  it.each(cases)('$format in $zone: $cell', ({ format, zone, cell, expected }) => {
    expect(createTimestampParser(format, createTimeZone(zone))(cell)).toBe(expected);
  });
});

describe('time zones', () => {
  it('reads naive times in an IANA zone across daylight saving', () => {
    const berlin = createTimestampParser('iso', createTimeZone('Europe/Berlin'));
    expect(berlin('2024-01-15 08:00')).toBe(utc(2024, 1, 15, 7)); // CET, UTC+1
    expect(berlin('2024-07-15 08:00')).toBe(utc(2024, 7, 15, 6)); // CEST, UTC+2
    const ny = createTimestampParser('mdy', createTimeZone('America/New_York'));
    expect(ny('07/15/2024 08:00 AM')).toBe(utc(2024, 7, 15, 12));
  });

  it('the local clock is the inverse of the zone', () => {
    for (const zone of ['UTC', '+05:30', '-03:00', 'Europe/Berlin', 'America/New_York']) {
      const toUtc = createTimeZone(zone);
      const clock = createLocalClock(zone);
      for (const local of [utc(2024, 1, 15, 9, 30), utc(2024, 7, 1, 17)])
        expect(clock(toUtc(local))).toBe(local);
    }
  });

  it('rejects an unknown zone with a message naming the accepted forms', () => {
    expect(() => createTimeZone('Mars/Olympus')).toThrow(UnknownTimeZoneError);
    expect(() => createTimeZone('Mars/Olympus')).toThrow(/IANA name/);
  });
});
