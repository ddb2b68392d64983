import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalClock } from './timestamps.ts';
import { createWorkingTime, elapsedMinutes, type OpeningHours } from './workingTime.ts';

const WEEKDAYS_8_18: OpeningHours = { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 };
const utc = createLocalClock('UTC');
const at = (text: string) => Date.parse(`${text}:00Z`);

describe('createWorkingTime', () => {
  // 2025-06-06 is a Friday, 2025-06-09 the Monday after
  it.each([
    { what: 'inside one working day', from: '2025-06-02T09:00', to: '2025-06-02T10:30', minutes: 90 },
    { what: 'starting before opening', from: '2025-06-02T06:00', to: '2025-06-02T09:00', minutes: 60 },
    { what: 'overnight', from: '2025-06-02T17:00', to: '2025-06-03T09:00', minutes: 120 },
    { what: 'over a weekend', from: '2025-06-06T17:00', to: '2025-06-09T09:00', minutes: 120 },
    { what: 'all within a weekend', from: '2025-06-07T09:00', to: '2025-06-08T17:00', minutes: 0 },
    { what: 'a whole week', from: '2025-06-02T00:00', to: '2025-06-09T00:00', minutes: 5 * 600 },
    {
      what: 'three whole weeks and a day',
      from: '2025-06-02T00:00',
      to: '2025-06-24T00:00',
      minutes: 16 * 600,
    },
    {
      what: 'before 1970 (negative instants)',
      from: '1969-12-29T08:00',
      to: '1969-12-29T09:00',
      minutes: 60,
    },
    { what: 'backwards', from: '2025-06-02T10:00', to: '2025-06-02T09:00', minutes: 0 },
  ])('counts $what', ({ from, to, minutes }) => {
    expect(createWorkingTime(WEEKDAYS_8_18, utc)(at(from), at(to))).toBeCloseTo(minutes, 9);
  });

  it('reads opening hours on the log zone’s wall clock', () => {
    // 07:00–08:00 UTC is 09:00–10:00 in Berlin in June: open there, closed in UTC
    const berlin = createWorkingTime(WEEKDAYS_8_18, createLocalClock('Europe/Berlin'));
    expect(berlin(at('2025-06-02T07:00'), at('2025-06-02T08:00'))).toBe(60);
    expect(createWorkingTime(WEEKDAYS_8_18, utc)(at('2025-06-02T06:00'), at('2025-06-02T07:00'))).toBe(0);
  });

  it('counts nothing with no working days or an inverted day', () => {
    expect(createWorkingTime({ days: [], startHour: 8, endHour: 18 }, utc)(0, 1e10)).toBe(0);
    expect(createWorkingTime({ days: [1], startHour: 18, endHour: 8 }, utc)(0, 1e10)).toBe(0);
  });

  const instant = fc.integer({ min: -2e12, max: 4e12 });
  const hours = fc
    .record({
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }),
      startHour: fc.integer({ min: 0, max: 23 }),
      length: fc.integer({ min: 1, max: 24 }),
    })
    .map(({ days, startHour, length }) => ({ days, startHour, endHour: Math.min(24, startHour + length) }));

  it('adds up over consecutive spans and never exceeds the elapsed time', () => {
    fc.assert(
      fc.property(hours, instant, instant, instant, (h, a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        const w = createWorkingTime(h, utc);
        expect(w(x, z)).toBeCloseTo(w(x, y) + w(y, z), 6);
        expect(w(x, z)).toBeLessThanOrEqual(elapsedMinutes(x, z) + 1e-9);
        expect(w(x, z)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('equals the elapsed time when open around the clock every day', () => {
    const always = createWorkingTime({ days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 }, utc);
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 1e10 }), (from, span) => {
        expect(always(from, from + span)).toBeCloseTo(span / 60_000, 6);
      }),
    );
  });

  it('counts a whole week as the open days times the day’s hours, wherever it starts', () => {
    fc.assert(
      fc.property(hours, instant, (h, from) => {
        const w = createWorkingTime(h, utc);
        const perWeek = h.days.length * (h.endHour - h.startHour) * 60;
        expect(w(from, from + 7 * 86_400_000)).toBeCloseTo(perWeek, 6);
      }),
    );
  });
});
