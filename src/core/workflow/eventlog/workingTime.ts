/**
 * Durations in working hours: how much of the time between two instants falls inside the clinic's
 * opening hours (given days of the week, the same hours each of those days, in the log's zone).
 * A wait from Friday 17:00 to Monday 09:00 with opening hours 08–18 is 2 working hours, not 64.
 *
 * How: W(t), the working time from a fixed origin to t, is closed-form (whole weeks, up to six
 * whole days, then the part of t's own day), so a duration W(to) − W(from) costs the same for a
 * minute or a year. The count runs on the wall clock of the log's zone (the {@link LocalClock}):
 * on a day when clocks change, an hour of opening is counted as the wall clock shows it.
 *
 * Pure; no dates are constructed.
 */
import type { LocalClock } from './timestamps.ts';

/** Opening hours: days of the week (0 = Sunday … 6 = Saturday) and [startHour, endHour) each day. */
export interface OpeningHours {
  days: readonly number[];
  startHour: number;
  endHour: number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const DAYS_PER_WEEK = 7;
/** 1 January 1970 (day 0 of the wall clock) was a Thursday. */
const THURSDAY = 4;

/** The weekday (0 = Sunday) of wall-clock day `day` (days since 1970-01-01, may be negative). */
function weekday(day: number): number {
  return (((day + THURSDAY) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
}

/** A duration measure: minutes between two instants (epoch ms), `to` after `from`. */
export type DurationMeasure = (from: number, to: number) => number;

/** Elapsed minutes, the whole clock. */
export const elapsedMinutes: DurationMeasure = (from, to) => (to - from) / MS_PER_MINUTE;

/**
 * The working minutes between two instants under `hours`, read on `clock`; 0 when `to` is not
 * after `from`. Hours outside 0–24 are clamped; an empty or inverted day counts nothing.
 */
export function createWorkingTime(hours: OpeningHours, clock: LocalClock): DurationMeasure {
  const open = Math.min(Math.max(hours.startHour, 0), 24) * MS_PER_HOUR;
  const close = Math.max(open, Math.min(Math.max(hours.endHour, 0), 24) * MS_PER_HOUR);
  const dayLength = close - open;
  const working = new Uint8Array(DAYS_PER_WEEK);
  for (const d of hours.days) if (Number.isInteger(d) && d >= 0 && d < DAYS_PER_WEEK) working[d] = 1;
  let perWeek = 0;
  for (const w of working) perWeek += w * dayLength;

  /** Working ms from wall-clock 1970-01-01 00:00 to wall-clock time `local` (negative before it). */
  const cumulative = (local: number): number => {
    const day = Math.floor(local / MS_PER_DAY);
    const weeks = Math.floor(day / DAYS_PER_WEEK);
    let total = weeks * perWeek;
    for (let d = weeks * DAYS_PER_WEEK; d < day; d++) total += (working[weekday(d)] as number) * dayLength;
    if (working[weekday(day)]) {
      const timeOfDay = local - day * MS_PER_DAY;
      total += Math.min(Math.max(timeOfDay, open), close) - open;
    }
    return total;
  };

  return (from, to) => {
    if (!(to > from)) return 0;
    return Math.max(0, cumulative(clock(to)) - cumulative(clock(from))) / MS_PER_MINUTE;
  };
}
