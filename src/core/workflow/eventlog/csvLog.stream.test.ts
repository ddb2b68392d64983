/**
 * Streaming: reading a CSV log in chunks of any size (cut inside a multi-byte character, a quoted
 * field or a CRLF) gives exactly the log read from the whole text; fast-check prints the seed
 * of a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLog, readCsvLogText } from './csvLog.ts';

const TEXT = [
  'Fall;Tätigkeit;Zeit;Phase;Mitarbeiter',
  '0012;Aufnahme;2024-03-01 08:00:00;start;"Müller, Zoë"',
  '0012;Aufnahme;2024-03-01 08:04:30;complete;"Müller, Zoë"',
  'NA;Aufnahme;2024-03-01 08:10:00;start;José',
  '0012;"Befund ""dringend""\r\nprüfen";2024-03-01 09:00:00;start;Dr. Núñez',
  'NA;Aufnahme;2024-03-01 08:12:00;complete;José',
  '0012;"Befund ""dringend""\r\nprüfen";2024-03-01 09:20:00;complete;Dr. Núñez',
  'NA;Röntgen – Anmeldung;2024-03-01 08:30:00;start;José',
  'NA;Röntgen – Anmeldung;2024-03-01 08:31:00;complete;José',
].join('\r\n');
const OPTIONS = {
  mapping: {
    case: 'Fall',
    activity: 'Tätigkeit',
    timestamp: 'Zeit',
    lifecycle: 'Phase',
    resource: 'Mitarbeiter',
  },
  timeZone: 'Europe/Berlin',
};

describe('readCsvLog streaming', () => {
  const whole = readCsvLogText(TEXT, OPTIONS, 'log.csv');

  it('reads the sample whole: semicolons, quotes, a line break inside a field, zones', () => {
    expect(whole.problems.list()).toEqual([]);
    expect(whole.log.cases).toEqual(['0012', 'NA']);
    expect(whole.log.activities).toContain('Befund "dringend"\r\nprüfen');
    expect(whole.log.resources).toContain('Müller, Zoë');
    expect(whole.log.start[0]).toBe(Date.UTC(2024, 2, 1, 7, 0));
  });

  it('any chunk size gives the same log', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: bytes.length + 1 }), async (chunkBytes) => {
        const streamed = await readCsvLog(
          {
            name: 'log.csv',
            size: bytes.length,
            read: async (offset, length) => bytes.slice(offset, offset + length),
          },
          OPTIONS,
          { chunkBytes },
        );
        expect(streamed.log).toEqual(whole.log);
        expect(streamed.problems.list()).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });
});
