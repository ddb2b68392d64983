/**
 * A resource's weekly working time, discovered from when it worked in the log: the hours of the
 * week (7 × 24 slots on the log's wall clock) in which it started or completed work. Per weekday,
 * the hours from the first to the last hour worked make one span (a lunch break is not told
 * apart from a quiet hour); a slot counts when the resource worked in it on at least
 * {@link MIN_SLOT_SHARE} of the weeks of its busiest slot, so one evening of overtime does not
 * make every evening working time.
 *
 * The measure of working time between two instants is closed-form (whole weeks, then the hours of
 * the week by a prefix sum), like workingTime.ts, so a wait costs the same for an hour or a year.
 */
import type { LocalClock } from '../eventlog/timestamps.ts';

const MS_PER_HOUR = 3_600_000;
const HOURS_PER_DAY = 24;
const HOURS_PER_WEEK = 168;
const MS_PER_WEEK = HOURS_PER_WEEK * MS_PER_HOUR;
/** 1 January 1970 (day 0 of the wall clock) was a Thursday: hour 0 is Thursday 00:00. */
const THURSDAY_HOURS = 4 * HOURS_PER_DAY;
/** An instance longer than this marks only its start and complete hours (work left open overnight). */
const MAX_SPAN_HOURS = 12;
/** A slot is working time when worked in at least this share of the busiest slot's weeks. */
export const MIN_SLOT_SHARE = 0.05;

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** One working span of a weekday, in whole hours [from, to) of the log's wall clock. */
export interface WorkingSpan {
  day: (typeof WEEKDAYS)[number];
  from: number;
  to: number;
}

/** A resource's discovered calendar: the evidence a wait is put down to unavailability. */
export interface ResourceCalendar {
  resource: string;
  /** working spans, Sunday first; empty only for a resource never seen working */
  spans: WorkingSpan[];
  /** working hours per week */
  hoursPerWeek: number;
  /** 168 slots (Sunday 00:00 first), 1 = working */
  slots: Uint8Array;
}

/** The hour of the week (0 = Sunday 00:00) of a wall-clock instant. */
function hourOfWeek(local: number): number {
  const hour = Math.floor(local / MS_PER_HOUR) + THURSDAY_HOURS;
  return ((hour % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

/** Gathers the hours a resource worked; `calendar()` turns them into its {@link ResourceCalendar}. */
export class CalendarCounter {
  /** per slot, the weeks it was worked in (a slot counts once per week) */
  private readonly weeks = new Uint32Array(HOURS_PER_WEEK);
  private readonly lastWeek = new Float64Array(HOURS_PER_WEEK).fill(Number.NaN);

  constructor(private readonly clock: LocalClock) {}

  /** Records work from `start` to `complete` (epoch ms). */
  add(start: number, complete: number): void {
    const from = Math.floor(this.clock(start) / MS_PER_HOUR);
    // work that ends on the hour does not reach into the next one
    const to = Math.max(from, Math.floor((this.clock(complete) - (complete > start ? 1 : 0)) / MS_PER_HOUR));
    if (to - from > MAX_SPAN_HOURS) {
      this.mark(from);
      this.mark(to);
      return;
    }
    for (let h = from; h <= to; h++) this.mark(h);
  }

  private mark(absoluteHour: number): void {
    const slot = hourOfWeek(absoluteHour * MS_PER_HOUR);
    const week = Math.floor((absoluteHour + THURSDAY_HOURS) / HOURS_PER_WEEK);
    if (this.lastWeek[slot] === week) return;
    this.lastWeek[slot] = week;
    this.weeks[slot] = (this.weeks[slot] as number) + 1;
  }

  calendar(resource: string): ResourceCalendar {
    let busiest = 0;
    for (const w of this.weeks) busiest = Math.max(busiest, w);
    const threshold = Math.max(1, Math.ceil(busiest * MIN_SLOT_SHARE));
    const slots = new Uint8Array(HOURS_PER_WEEK);
    const spans: WorkingSpan[] = [];
    for (let day = 0; day < 7; day++) {
      let first = -1;
      let last = -1;
      for (let h = 0; h < HOURS_PER_DAY; h++) {
        if ((this.weeks[day * HOURS_PER_DAY + h] as number) >= threshold) {
          if (first < 0) first = h;
          last = h;
        }
      }
      if (first < 0) continue;
      slots.fill(1, day * HOURS_PER_DAY + first, day * HOURS_PER_DAY + last + 1);
      spans.push({ day: WEEKDAYS[day] as WorkingSpan['day'], from: first, to: last + 1 });
    }
    const hoursPerWeek = spans.reduce((sum, s) => sum + s.to - s.from, 0);
    return { resource, spans, hoursPerWeek, slots };
  }
}

/** Working ms between two instants under a calendar: `(from, to) => ms`, 0 unless `to > from`. */
export type WorkingMeasure = (from: number, to: number) => number;

/** The working-time measure of a calendar on `clock`. */
export function workingMeasure(calendar: ResourceCalendar, clock: LocalClock): WorkingMeasure {
  const before = new Float64Array(HOURS_PER_WEEK + 1);
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    before[s + 1] = (before[s] as number) + (calendar.slots[s] as number) * MS_PER_HOUR;
  }
  const perWeek = before[HOURS_PER_WEEK] as number;
  if (perWeek === MS_PER_WEEK) return (from, to) => Math.max(0, to - from);
  // working ms from the wall clock's first Sunday 00:00 before 1970 to `local`
  const cumulative = (local: number): number => {
    const shifted = local + THURSDAY_HOURS * MS_PER_HOUR;
    const weeks = Math.floor(shifted / MS_PER_WEEK);
    const inWeek = shifted - weeks * MS_PER_WEEK;
    const slot = Math.floor(inWeek / MS_PER_HOUR);
    const part = (calendar.slots[slot] as number) * (inWeek - slot * MS_PER_HOUR);
    return weeks * perWeek + (before[slot] as number) + part;
  };
  return (from, to) => (to > from ? Math.max(0, cumulative(clock(to)) - cumulative(clock(from))) : 0);
}
