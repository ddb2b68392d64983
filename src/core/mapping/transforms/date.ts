/**
 * `date`: reads a date written in one of the mapping's explicit formats and writes it as a FHIR
 * `date` (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the format has no day / month) or `dateTime`.
 *
 * Format tokens (each at most once):
 * | token | meaning |
 * |---|---|
 * | `YYYY` | four-digit year, 0001–9999 |
 * | `MM` / `M` | month, two digits / one or two digits |
 * | `DD` / `D` | day of the month, two digits / one or two digits |
 * | `HH` / `H` | hour 00–23, two digits / one or two digits |
 * | `mm`, `ss` | minutes, seconds (two digits) |
 * | `Z` | time zone: `Z` or `±hh:mm` |
 * Any other character except a letter is literal (`-`, `/`, `.`, space, `:`); the letter `T` is
 * literal too (ISO `2024-07-01T09:30:00Z`). Other letters are refused, so a typo such as `hh` or
 * `yyyy` is an error in the mapping, not a format that silently matches nothing. Two-digit years are
 * not offered: their century is a guess.
 *
 * Constraints:
 * - Never rolled over: 2023-02-30 is `date-impossible`, not 2 March (JavaScript's `Date` would
 *   roll it over, so it is not used; the calendar is proleptic Gregorian, computed here).
 * - Formats are tried in order and the first that gives a real date wins, so with
 *   `["MM/DD/YYYY", "DD/MM/YYYY"]` a value that is only a date read day-first still converts.
 *   A value whose shape matches a format but whose numbers make no date is `date-impossible`;
 *   a value matching no format at all is `date-unrecognised`.
 * - A FHIR `dateTime` with a time must carry a time zone, so `output: "dateTime"` with a format
 *   that has hours but no `Z` is refused when the mapping compiles. With `output: "date"`, a time
 *   in the value is read (and checked) but not written.
 * - No regular expressions: the value is scanned once per format by character codes.
 */
import {
  ready,
  refused,
  type TransformDefinition,
  TransformFailure,
  type TransformParamProblem,
} from './types.ts';

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

type Part =
  | { kind: 'literal'; text: string }
  | { kind: 'number'; field: Field; min: number; max: number }
  | { kind: 'zone' };

/** A compiled date format: its parts and which fields it has. */
interface DateFormat {
  parts: Part[];
  fields: ReadonlySet<Field>;
  zone: boolean;
}

const TOKENS: Readonly<Record<string, { field: Field; min: number; max: number } | 'zone'>> = {
  YYYY: { field: 'year', min: 4, max: 4 },
  MM: { field: 'month', min: 2, max: 2 },
  M: { field: 'month', min: 1, max: 2 },
  DD: { field: 'day', min: 2, max: 2 },
  D: { field: 'day', min: 1, max: 2 },
  HH: { field: 'hour', min: 2, max: 2 },
  H: { field: 'hour', min: 1, max: 2 },
  mm: { field: 'minute', min: 2, max: 2 },
  ss: { field: 'second', min: 2, max: 2 },
  Z: 'zone',
};

/** The token letters; every other letter except the literal `T` is refused. */
const TOKEN_LETTERS = new Set(['Y', 'M', 'D', 'H', 'm', 's', 'Z']);
const LITERAL_LETTER = 'T';
const ASCII_LETTER = /^[A-Za-z]$/;

/** Parses a format string; a string result is why it is refused. */
function parseDateFormat(format: string): DateFormat | string {
  const parts: Part[] = [];
  const fields = new Set<Field>();
  let zone = false;
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    if (TOKEN_LETTERS.has(ch)) {
      let end = i;
      while (end < format.length && format[end] === ch) end++;
      const run = format.slice(i, end);
      const token = TOKENS[run];
      if (token === undefined)
        return `"${run}" is not a date token (use YYYY, MM, M, DD, D, HH, H, mm, ss or Z)`;
      if (token === 'zone') {
        if (zone) return 'the time zone (Z) appears twice';
        zone = true;
        parts.push({ kind: 'zone' });
      } else {
        if (fields.has(token.field)) return `the ${token.field} appears twice`;
        const previous = parts[parts.length - 1];
        if (previous?.kind === 'number' && previous.min !== previous.max) {
          return `"${run}" directly follows a one-or-two-digit token: put a separator between them`;
        }
        if (previous?.kind === 'number' && token.min !== token.max) {
          return `"${run}" (one or two digits) directly follows another number: put a separator between them`;
        }
        fields.add(token.field);
        parts.push({ kind: 'number', ...token });
      }
      i = end;
      continue;
    }
    if (ASCII_LETTER.test(ch) && ch !== LITERAL_LETTER) {
      return `"${ch}" is not a date token (use YYYY, MM, M, DD, D, HH, H, mm, ss or Z; T is the only literal letter)`;
    }
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal') last.text += ch;
    else parts.push({ kind: 'literal', text: ch });
    i++;
  }
  if (!fields.has('year')) return 'a date format needs the year (YYYY)';
  if (fields.has('day') && !fields.has('month')) return 'a format with a day needs the month';
  const hasTime = fields.has('hour') || fields.has('minute') || fields.has('second');
  if (hasTime && !fields.has('day')) return 'a format with a time needs the full date (YYYY, MM and DD)';
  if (hasTime && !(fields.has('hour') && fields.has('minute'))) return 'a time needs hours and minutes';
  if (zone && !hasTime) return 'a time zone (Z) needs a time';
  return { parts, fields, zone };
}

/** Whether `year` is a leap year of the proleptic Gregorian calendar. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MAX_ZONE_HOURS = 14;

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** "no match" (the value does not have the format's shape) or "impossible" (no such date). */
type ParseOutcome = string | 'no-match' | 'impossible';
const NO_MATCH = 'no-match';
const IMPOSSIBLE = 'impossible';

/** Reads `value` with one format; writes ISO text (see the file header). */
function readDate(value: string, format: DateFormat, output: 'date' | 'dateTime'): ParseOutcome {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let zone = '';
  let at = 0;
  for (const part of format.parts) {
    if (part.kind === 'literal') {
      if (!value.startsWith(part.text, at)) return NO_MATCH;
      at += part.text.length;
    } else if (part.kind === 'number') {
      let digits = 0;
      let n = 0;
      while (digits < part.max && at < value.length && isDigit(value.charCodeAt(at))) {
        n = n * 10 + value.charCodeAt(at) - DIGIT_0;
        at++;
        digits++;
      }
      if (digits < part.min) return NO_MATCH;
      if (part.field === 'year') year = n;
      else if (part.field === 'month') month = n;
      else if (part.field === 'day') day = n;
      else if (part.field === 'hour') hour = n;
      else if (part.field === 'minute') minute = n;
      else second = n;
    } else {
      if (value[at] === 'Z') {
        zone = 'Z';
        at++;
      } else {
        const sign = value[at];
        if (sign !== '+' && sign !== '-') return NO_MATCH;
        const c = (k: number) => value.charCodeAt(at + k);
        if (!(isDigit(c(1)) && isDigit(c(2)) && value[at + 3] === ':' && isDigit(c(4)) && isDigit(c(5)))) {
          return NO_MATCH;
        }
        const zoneHours = (c(1) - DIGIT_0) * 10 + c(2) - DIGIT_0;
        const zoneMinutes = (c(4) - DIGIT_0) * 10 + c(5) - DIGIT_0;
        if (zoneHours > MAX_ZONE_HOURS || zoneMinutes > 59) return IMPOSSIBLE;
        zone = value.slice(at, at + 6);
        at += 6;
      }
    }
  }
  if (at !== value.length) return NO_MATCH;
  const { fields } = format;
  if (year < 1) return IMPOSSIBLE;
  if (fields.has('month') && (month < 1 || month > 12)) return IMPOSSIBLE;
  if (fields.has('day') && (day < 1 || day > daysInMonth(year, month))) return IMPOSSIBLE;
  if (hour > 23 || minute > 59 || second > 59) return IMPOSSIBLE;
  let text = pad(year, 4);
  if (fields.has('month')) text += `-${pad(month, 2)}`;
  if (fields.has('day')) text += `-${pad(day, 2)}`;
  if (output === 'dateTime' && fields.has('hour')) {
    text += `T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${zone}`;
  }
  return text;
}

/** The `date` transform. */
export const dateTransform: TransformDefinition<'date'> = {
  id: 'date',
  describe:
    'Reads a date written in one of the listed formats (tried in order) and writes it the FHIR way (YYYY-MM-DD).',
  codes: {
    'date-unrecognised': 'the value is written in none of the listed date formats',
    'date-impossible': 'the value has a listed format but is no real date (such as 30 February)',
  },
  produces: 'text',
  compile(params) {
    const output = params.output ?? 'date';
    const problems: TransformParamProblem[] = [];
    const formats: DateFormat[] = [];
    params.formats.forEach((text, index) => {
      const format = parseDateFormat(text);
      if (typeof format === 'string') {
        problems.push({ path: `/formats/${index}`, code: 'invalid-date-format', message: format });
      } else if (output === 'dateTime' && format.fields.has('hour') && !format.zone) {
        problems.push({
          path: `/formats/${index}`,
          code: 'invalid-date-format',
          message:
            'a FHIR dateTime with a time needs a time zone: add Z to the format, or output "date" to keep only the date',
        });
      } else {
        formats.push(format);
      }
    });
    if (problems.length > 0) return refused(...problems);
    const list = params.formats.join(', ');
    const unrecognised = new TransformFailure(
      'date-unrecognised',
      `the date is written in none of the formats ${list}: correct it, or add its format to the mapping`,
    );
    const impossible = new TransformFailure(
      'date-impossible',
      `no such date (a day or month out of range, such as 30 February) in the formats ${list}: correct it in the source`,
    );
    return ready((value) => {
      let sawImpossible = false;
      for (const format of formats) {
        const outcome = readDate(value, format, output);
        if (outcome === IMPOSSIBLE) sawImpossible = true;
        else if (outcome !== NO_MATCH) return outcome;
      }
      return sawImpossible ? impossible : unrecognised;
    });
  },
};
