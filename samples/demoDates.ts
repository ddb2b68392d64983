/**
 * The demo clinic's dates, planned from the day a demo is opened. The demo's records are written
 * for a go-live on Monday 29 July 2024 (the demo project file keeps them so: its judgement is
 * pinned by tests), which makes every due day of a demo opened later years past. A demo opened in
 * the app moves every date of its records by whole weeks so go-live is again two to three weeks
 * ahead of the day it is opened, as written: what was done is still done before today, what is
 * planned is ahead, and go-live stays a Monday, so "Mon 29 July" in a support shift stays true.
 * Days already past when the project is judged later are flagged as past by the path to go.
 *
 * Pure, plain data, no clock: the caller says which day it is.
 */

/** The go-live day the demo's records are written for. */
export const DEMO_GO_LIVE = '2024-07-29';

/**
 * At least this many days from the day a demo is opened to its go-live: the records are written
 * three weeks out (the first go/no-go checkpoint on the day they were written), so two weeks
 * ahead keeps that checkpoint, the rehearsal and the training behind today.
 */
const DEMO_LEAD_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** "Mon 29 July", "29 July": a day of the written year in words, its weekday optional. */
const WORDED_DAY = new RegExp(`\\b(?:(${WEEKDAYS.join('|')}) )?(\\d{1,2}) (${MONTHS.join('|')})\\b`, 'g');

const utc = (day: string): number => {
  const m = ISO_DAY.exec(day);
  if (!m) throw new Error(`Expected a day as YYYY-MM-DD, got ${JSON.stringify(day.slice(0, 32))}.`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The go-live day of a demo opened on `today` (YYYY-MM-DD, or a timestamp whose day is taken):
 * the first day at least {@link DEMO_LEAD_DAYS} ahead that falls on the written go-live's weekday.
 */
export function demoGoLiveFor(today: string): string {
  const written = utc(DEMO_GO_LIVE);
  const earliest = utc(today) + DEMO_LEAD_DAYS * DAY_MS;
  const weeks = Math.ceil((earliest - written) / (7 * DAY_MS));
  return isoDay(written + weeks * 7 * DAY_MS);
}

/** The days from the written go-live to `goLive`. */
export function demoShiftDays(goLive: string): number {
  return Math.round((utc(goLive) - utc(DEMO_GO_LIVE)) / DAY_MS);
}

/**
 * `value` (a record, a list, a text) with every date in it moved by `days`: ISO days and
 * timestamps keep their time and offset; a day in words ("Mon 29 July", "from 29 July") is read in
 * the written go-live's year and keeps its form. A new object; `value` is not changed.
 */
export function movedDates<T>(value: T, days: number): T {
  if (days === 0) return value;
  const year = Number(DEMO_GO_LIVE.slice(0, 4));
  const text = (s: string): string => {
    const iso = ISO_DAY.exec(s);
    const dated = iso ? `${isoDay(utc(s) + days * DAY_MS)}${s.slice(10)}` : s;
    return dated.replace(WORDED_DAY, (_all, weekday: string | undefined, day: string, month: string) => {
      const at = new Date(
        Date.UTC(year, MONTHS.indexOf(month as (typeof MONTHS)[number]), Number(day)) + days * DAY_MS,
      );
      const words = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
      return weekday === undefined ? words : `${WEEKDAYS[at.getUTCDay()]} ${words}`;
    });
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
