import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDurationMinutes, readTimer } from './timers.ts';

describe('isoDurationMinutes', () => {
  it.each([
    { description: 'days', input: 'P5D', expected: 7200 },
    { description: 'hours', input: 'PT4H', expected: 240 },
    { description: 'days, hours and minutes', input: 'P1DT2H30M', expected: 1590 },
    { description: 'seconds', input: 'PT90S', expected: 1.5 },
    { description: 'a decimal comma', input: 'PT0,5H', expected: 30 },
    { description: 'weeks', input: 'P1W', expected: 10080 },
    { description: 'lower case, as some tools write it', input: 'pt15m', expected: 15 },
  ])('reads $description', ({ input, expected }) => {
    expect(isoDurationMinutes(input)).toEqual({ minutes: expected, calendar: false });
  });

  it('reads years and months as 365 and 30 days, saying so', () => {
    expect(isoDurationMinutes('P1M')).toEqual({ minutes: 30 * 1440, calendar: true });
    expect(isoDurationMinutes('P1Y')).toEqual({ minutes: 365 * 1440, calendar: true });
  });

  it.each(['', 'P', 'PT', '5D', 'P5', 'PT5D', 'P1H', 'R3/PT10M', '=due', 'P1DT'])('refuses %j', (input) => {
    expect(isoDurationMinutes(input)).toBeUndefined();
  });

  it('adds up the parts of any duration it is given (property)', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(23), fc.nat(59), fc.nat(59), (days, hours, minutes, seconds) => {
        const text = `P${days}DT${hours}H${minutes}M${seconds}S`;
        const expected = Math.round((days * 1440 + hours * 60 + minutes + seconds / 60) * 100) / 100;
        expect(isoDurationMinutes(text)).toEqual({ minutes: expected, calendar: false });
      }),
      { numRuns: 200 },
    );
  });
});

describe('readTimer', () => {
  it.each([
    { timer: { kind: 'duration', expression: 'P5D' }, status: 'minutes', minutes: 7200 },
    { timer: { kind: 'duration', expression: ' PT4H ' }, status: 'minutes', minutes: 240 },
    { timer: { kind: 'duration', expression: 'P2M' }, status: 'interpreted', minutes: 86400 },
    { timer: { kind: 'cycle', expression: 'R3/PT10M' }, status: 'interpreted', minutes: 10 },
    { timer: { kind: 'cycle', expression: 'R/P1D' }, status: 'interpreted', minutes: 1440 },
    { timer: { kind: 'cycle', expression: 'R3/2026-01-01T00:00:00Z/PT10M' }, status: 'unreadable' },
    { timer: { kind: 'cycle', expression: '0 0 9-17 * * MON-FRI' }, status: 'unreadable' },
    { timer: { kind: 'date', expression: '2026-03-01T09:00:00Z' }, status: 'unreadable' },
    { timer: { kind: 'duration', expression: '=reminderDue' }, status: 'unreadable' },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Camunda 7 expression, as written in the file
    { timer: { kind: 'duration', expression: '${dueIn}' }, status: 'unreadable' },
    { timer: { kind: 'date', expression: '#{due}' }, status: 'unreadable' },
    { timer: { kind: 'duration', expression: 'five days' }, status: 'unreadable' },
  ] as const)('$timer.kind $timer.expression: $status', ({ timer, ...expected }) => {
    const reading = readTimer(timer);
    expect(reading).toMatchObject(expected);
    // the words never quote the timer's text
    if ('why' in reading) expect(reading.why).not.toContain(timer.expression.trim());
  });
});
