/**
 * Timestamps of event logs: which format a column uses (detected from a sample of its cells,
 * overridable), and parsing a cell to epoch milliseconds.
 *
 * Constraints:
 * - Detection never guesses day/month silently: slash dates where no sampled cell has a first or
 *   second number above 12 are reported `ambiguous`, and reading refuses them until the user
 *   names the order (`dmy` or `mdy`).
 * - A time without a zone ("naive") is read in the `timeZone` option: "UTC" (the default), a fixed
 *   offset ("+02:00") or an IANA name ("Europe/Berlin", resolved with `Intl`, so daylight saving
 *   is applied). A time that carries its own zone (ISO `Z` / `+hh:mm`, epoch numbers) ignores it.
 * - Parsing is hand-written over character codes (no `Date.parse`, whose reading of non-ISO text
 *   differs between engines), and rejects impossible dates (31 April, 25:00).
 * - Pure; errors name formats, never cell text (it may be patient data).
 */

/** The timestamp formats Preflight reads. A public contract (CLI `--timestamp-format`): add, never rename. */
export const TIMESTAMP_FORMATS = ['iso', 'dmy', 'mdy', 'epoch-ms', 'epoch-s'] as const;

/** One of {@link TIMESTAMP_FORMATS}. */
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

/** What the detection found in a sample. */
export interface TimestampDetection {
  /** the format every non-empty sampled cell matched; undefined when none fits them all */
  format: TimestampFormat | undefined;
  /** slash dates whose day/month order the sample does not settle (every number ≤ 12) */
  ambiguous: boolean;
  /** some sampled cells carry their own zone (ISO `Z`/offset, epoch numbers) */
  zoned: boolean;
  /** some sampled cells carry no zone and are read in the `timeZone` option */
  naive: boolean;
  /** non-empty cells looked at */
  sampled: number;
}

/** Human-readable names of the formats, for reports. */
export const TIMESTAMP_FORMAT_NAMES: Record<TimestampFormat, string> = {
  iso: 'ISO 8601 (YYYY-MM-DD[ T]HH:mm[:ss[.sss]][Z|±hh:mm]; also YYYY/MM/DD)',
  dmy: 'DD/MM/YYYY [HH:mm[:ss]] (also with - or .)',
  mdy: 'MM/DD/YYYY [hh:mm[:ss] [AM|PM]] (also with - or .)',
  'epoch-ms': 'milliseconds since 1970-01-01 UTC',
  'epoch-s': 'seconds since 1970-01-01 UTC',
};

// year first with dashes, or with slashes as Disco exports it (2024/03/01 08:00:00.000):
// year-first dates have one reading, so they are ISO's, never day/month-ambiguous
const ISO =
  /^(?=\d{4}(?:-\d{2}-|\/\d{2}\/))(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASH =
  /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?$/;
const EPOCH_MS = /^-?\d{12,14}$/;
const EPOCH_S = /^-?\d{9,11}(?:\.\d+)?$/;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MONTHS_IN_YEAR = 12;
const HOURS_ON_CLOCK = 12;

/**
 * Detects the format of a sample of timestamp cells (empty cells are skipped): the format most
 * cells match, provided at least half do — so a few broken cells among the first rows are
 * reported by row later instead of hiding the format. Epoch numbers are told apart by digit
 * count: 12–14 digits are milliseconds (1973–5138), 9–11 seconds. Ties prefer ISO, then epoch
 * milliseconds, epoch seconds, slash dates.
 */
export function detectTimestampFormat(cells: Iterable<string>): TimestampDetection {
  const matches = { iso: 0, 'epoch-ms': 0, 'epoch-s': 0, slash: 0 };
  let firstAbove12 = false;
  let secondAbove12 = false;
  let zonedIso = false;
  let naiveIso = false;
  let sampled = 0;
  for (const raw of cells) {
    const cell = raw.trim();
    if (cell === '') continue;
    sampled++;
    const iso = ISO.exec(cell);
    if (iso) {
      matches.iso++;
      if (iso[8]) zonedIso = true;
      else naiveIso = true;
    }
    const slash = SLASH.exec(cell);
    if (slash) {
      matches.slash++;
      if (Number(slash[1]) > MONTHS_IN_YEAR) firstAbove12 = true;
      if (Number(slash[3]) > MONTHS_IN_YEAR) secondAbove12 = true;
    }
    if (EPOCH_MS.test(cell)) matches['epoch-ms']++;
    if (EPOCH_S.test(cell)) matches['epoch-s']++;
  }
  const none: TimestampDetection = {
    format: undefined,
    ambiguous: false,
    zoned: false,
    naive: false,
    sampled,
  };
  const order = ['iso', 'epoch-ms', 'epoch-s', 'slash'] as const;
  let best: (typeof order)[number] = 'iso';
  for (const candidate of order) if (matches[candidate] > matches[best]) best = candidate;
  if (sampled === 0 || matches[best] * 2 < sampled) return none;
  switch (best) {
    case 'iso':
      return { format: 'iso', ambiguous: false, zoned: zonedIso, naive: naiveIso, sampled };
    case 'epoch-ms':
    case 'epoch-s':
      return { format: best, ambiguous: false, zoned: true, naive: false, sampled };
    case 'slash':
      if (firstAbove12 && secondAbove12) return none;
      if (firstAbove12) return { format: 'dmy', ambiguous: false, zoned: false, naive: true, sampled };
      if (secondAbove12) return { format: 'mdy', ambiguous: false, zoned: false, naive: true, sampled };
      return { format: undefined, ambiguous: true, zoned: false, naive: true, sampled };
  }
}

/** Turns a naive local time (as if UTC) into epoch ms in a zone: see {@link createTimeZone}. */
type ZoneResolver = (localAsUtcMs: number) => number;

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** A time zone name Preflight cannot use. */
export class UnknownTimeZoneError extends Error {
  override name = 'UnknownTimeZoneError';
  constructor(readonly zone: string) {
    super(
      `unknown time zone "${zone}": give "UTC", a fixed offset such as "+02:00", or an IANA name such as "Europe/Berlin"`,
    );
  }
}

/**
 * A resolver for a zone: "UTC", a fixed offset ("+02:00", "-0500") or an IANA name. For an IANA
 * zone, a local time in the hour skipped by a daylight-saving change is read as if the clock had
 * not changed yet (the usual convention), a repeated hour as its first occurrence. Offsets are
 * cached per local hour: a log of a million events asks `Intl` only once per distinct hour.
 *
 * @throws {UnknownTimeZoneError}
 */
export function createTimeZone(zone: string): ZoneResolver {
  if (zone === 'UTC' || zone === 'Z' || zone === 'utc') return (ms) => ms;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) {
    const offset =
      (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * MS_PER_HOUR + Number(fixed[3]) * MS_PER_MINUTE);
    return (ms) => ms - offset;
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new UnknownTimeZoneError(zone);
  }
  /** the zone's offset (local − UTC) at an instant */
  const offsetAt = (instant: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
    const local = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return local - Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND;
  };
  const cache = new Map<number, number>();
  return (localMs) => {
    const hour = Math.floor(localMs / MS_PER_HOUR);
    let offset = cache.get(hour);
    if (offset === undefined) {
      const probe = hour * MS_PER_HOUR;
      // two rounds settle the offset except inside a skipped or repeated hour (see the TSDoc)
      const first = offsetAt(probe - offsetAt(probe));
      offset = Math.max(first, offsetAt(probe - first));
      cache.set(hour, offset);
    }
    return localMs - offset;
  };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > MONTHS_IN_YEAR || day < 1) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

function fraction(digits: string | undefined): number {
  if (!digits) return 0;
  return Math.round(Number(`0.${digits}`) * MS_PER_SECOND);
}

function localMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const ZERO = 48;
/** Digits at `at`…`at+n−1` as a number, or −1 when one is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The common machine form `YYYY-MM-DDTHH:mm:ssZ` (or with `.sss` before the Z), read over
 * character codes: most exported logs use it for every row, and the regular expression costs
 * several times more. Anything else returns undefined and takes the general path.
 */
function fastIsoUtc(text: string): number | undefined {
  const n = text.length;
  if ((n !== 20 && n !== 24) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  let ms = 0;
  if (n === 24) {
    if (text[19] !== '.') return undefined;
    ms = digitsAt(text, 20, 3);
  }
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || ms < 0) return undefined;
  return localMs(year, month, day, hour, minute, second, ms);
}

/**
 * A cell parser for one format and zone: epoch ms, or undefined when the cell does not hold a
 * valid time in that format (the caller reports the row).
 */
export function createTimestampParser(
  format: TimestampFormat,
  zone: ZoneResolver,
): (cell: string) => number | undefined {
  switch (format) {
    case 'iso':
      return (raw) => {
        const fast = fastIsoUtc(raw);
        if (fast !== undefined) return fast;
        const m = ISO.exec(raw.trim());
        if (!m) return undefined;
        const local = localMs(
          Number(m[1]),
          Number(m[2]),
          Number(m[3]),
          Number(m[4] ?? 0),
          Number(m[5] ?? 0),
          Number(m[6] ?? 0),
          fraction(m[7]),
        );
        if (local === undefined) return undefined;
        const tz = m[8];
        if (!tz) return zone(local);
        if (tz === 'Z' || tz === 'z') return local;
        const sign = tz[0] === '-' ? -1 : 1;
        const digits = tz.slice(1).replace(':', '');
        const offset =
          Number(digits.slice(0, 2)) * MS_PER_HOUR + Number(digits.slice(2) || '0') * MS_PER_MINUTE;
        return local - sign * offset;
      };
    case 'dmy':
    case 'mdy':
      return (raw) => {
        const m = SLASH.exec(raw.trim());
        if (!m) return undefined;
        const a = Number(m[1]);
        const b = Number(m[3]);
        let hour = Number(m[5] ?? 0);
        const meridiem = m[9]?.toLowerCase();
        if (meridiem) {
          if (hour < 1 || hour > HOURS_ON_CLOCK) return undefined;
          hour = (hour % HOURS_ON_CLOCK) + (meridiem === 'pm' ? HOURS_ON_CLOCK : 0);
        }
        const [day, month] = format === 'dmy' ? [a, b] : [b, a];
        const local = localMs(
          Number(m[4]),
          month,
          day,
          hour,
          Number(m[6] ?? 0),
          Number(m[7] ?? 0),
          fraction(m[8]),
        );
        return local === undefined ? undefined : zone(local);
      };
    case 'epoch-ms':
      return (raw) => {
        const cell = raw.trim();
        return EPOCH_MS.test(cell) ? Number(cell) : undefined;
      };
    case 'epoch-s':
      return (raw) => {
        const cell = raw.trim();
        return EPOCH_S.test(cell) ? Math.round(Number(cell) * MS_PER_SECOND) : undefined;
      };
  }
}

/** Turns an instant (epoch ms) into its local wall-clock time in a zone, as if UTC (read with `getUTC*`). */
export type LocalClock = (instant: number) => number;

/**
 * The wall clock of a zone ("UTC", "+02:00" or an IANA name): for hours of the day and calendar
 * days in the log's own zone (arrivals per hour, working hours). IANA offsets are cached per UTC
 * hour (zones change offset on the hour or half hour; a half-hour change is off by at most its
 * first half hour, which only moves events across an hour boundary once a year).
 *
 * @throws {UnknownTimeZoneError}
 */
export function createLocalClock(zone: string): LocalClock {
  if (zone === 'UTC' || zone === 'Z' || zone === 'utc') return (ms) => ms;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) {
    const offset =
      (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * MS_PER_HOUR + Number(fixed[3]) * MS_PER_MINUTE);
    return (ms) => ms + offset;
  }
  const toUtc = createTimeZone(zone);
  const cache = new Map<number, number>();
  return (instant) => {
    const hour = Math.floor(instant / MS_PER_HOUR);
    let offset = cache.get(hour);
    if (offset === undefined) {
      // find the local time whose UTC reading is this hour: start from the UTC value, correct once or twice
      const probe = hour * MS_PER_HOUR;
      let local = probe;
      for (let i = 0; i < 3; i++) local += probe - toUtc(local);
      offset = local - probe;
      cache.set(hour, offset);
    }
    return instant + offset;
  };
}
