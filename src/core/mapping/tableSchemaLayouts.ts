/**
 * Table Schema date, time and datetime `format`s (`%m/%d/%Y`, Python `strptime` directives, as
 * frictionless-py reads them) → one anchored regular expression that accepts exactly the texts
 * `strptime` turns into a real date: the month 1–12, the day within its month, 29 February only
 * in a leap year. A regular expression, not a parser: the column contract's plan, ajv and the SQL
 * engines all run `pattern`, so a Table Schema format is checked the same way everywhere.
 *
 * Directives read as `strptime` reads them: `%m`, `%d`, `%H`, `%I`, `%M`, `%S` take one or two
 * digits (`1/5/1990` is a `%m/%d/%Y` date), `%Y` four digits, `%y` two, `%b`/`%B` English month
 * names in any case, `%p` AM/PM, `%f` one to six digits, `%z` a UTC offset, `%%` a percent sign.
 * White space in the layout matches one white-space character (`strptime` takes a run of them):
 * a run would make the expression too costly for the backtracking check every pattern passes. A directive outside this list (`%j`, `%a`, `%U`…) or
 * one given twice makes the layout unsupported: the caller lists the field as not checked.
 */

/** A layout as a regular expression, or why it cannot be one. */
export type LayoutPattern = { pattern: string } | { unsupported: string };

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
];

/** A word in any case, letter by letter (`[Jj][Aa][Nn]`): the "u" flag's patterns have no "i". */
function anyCase(word: string): string {
  return [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('');
}

/** The months of one day-count group, as `%m`, `%b` and `%B` write them. */
interface MonthGroup {
  numbers: string;
  names: number[];
  day: string;
}

const DAY_31 = '(?:3[01]|[12][0-9]|0?[1-9])';
const DAY_30 = '(?:30|[12][0-9]|0?[1-9])';
const DAY_28 = '(?:2[0-8]|1[0-9]|0?[1-9])';

/** Months by their number of days; February twice: up to the 28th, and the 29th (leap years). */
const MONTH_GROUPS: readonly MonthGroup[] = [
  { numbers: '(?:0?[13578]|1[02])', names: [1, 3, 5, 7, 8, 10, 12], day: DAY_31 },
  { numbers: '(?:0?[469]|11)', names: [4, 6, 9, 11], day: DAY_30 },
  { numbers: '0?2', names: [2], day: DAY_28 },
  { numbers: '0?2', names: [2], day: '29' },
];
const ANY_MONTH: MonthGroup = {
  numbers: '(?:1[0-2]|0?[1-9])',
  names: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  day: DAY_31,
};

/** Four-digit leap years: divisible by 4, and centuries by 400. */
const LEAP_YEAR_4 = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
/** Two-digit years `strptime` puts in 1969–2068: a leap year when divisible by 4 (2000 is one). */
const LEAP_YEAR_2 = '(?:[02468][048]|[13579][26])';

const FIXED: Readonly<Record<string, string>> = {
  H: '(?:2[0-3]|[01]?[0-9])',
  I: '(?:1[0-2]|0?[1-9])',
  M: '[0-5]?[0-9]',
  S: '[0-5]?[0-9]',
  p: `(?:${anyCase('am')}|${anyCase('pm')})`,
  f: '[0-9]{1,6}',
  z: '(?:Z|[+-][0-9]{2}:?[0-5][0-9])',
  '%': '%',
};
const DATE_DIRECTIVES = new Set(['Y', 'y', 'm', 'd', 'b', 'B']);

/** A literal character of the layout, escaped for a "u" regular expression. */
function literal(ch: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(ch) ? `\\${ch}` : ch;
}

type Token = { directive: string } | { text: string } | { space: true };

function tokenize(layout: string): Token[] | { unsupported: string } {
  const tokens: Token[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < layout.length; i++) {
    const ch = layout[i] as string;
    if (ch === '%') {
      const directive = layout[i + 1];
      i++;
      if (directive === undefined) return { unsupported: 'a "%" at the end' };
      if (!(directive in FIXED) && !DATE_DIRECTIVES.has(directive))
        return { unsupported: `the directive %${directive}` };
      if (directive !== '%' && seen.has(directive))
        return { unsupported: `the directive %${directive} given twice` };
      seen.add(directive);
      tokens.push({ directive });
    } else if (/\s/.test(ch)) {
      if (!('space' in (tokens.at(-1) ?? {}))) tokens.push({ space: true });
    } else tokens.push({ text: ch });
  }
  const months = ['m', 'b', 'B'].filter((d) => seen.has(d));
  if (months.length > 1) return { unsupported: 'the month given twice' };
  if (seen.has('Y') && seen.has('y')) return { unsupported: 'the year given twice' };
  if (seen.has('I') !== seen.has('p')) return { unsupported: '%I without %p (or %p without %I)' };
  if (seen.has('H') && seen.has('I')) return { unsupported: 'the hour given twice' };
  return tokens;
}

/** The layout's regular expression body for one month group (unanchored). */
function body(tokens: readonly Token[], group: MonthGroup, leapOnly: boolean): string {
  return tokens
    .map((token) => {
      if ('space' in token) return '\\s';
      if ('text' in token) return literal(token.text);
      switch (token.directive) {
        case 'Y':
          return leapOnly ? LEAP_YEAR_4 : '[0-9]{4}';
        case 'y':
          return leapOnly ? LEAP_YEAR_2 : '[0-9]{2}';
        case 'm':
          return group.numbers;
        case 'd':
          return group.day;
        case 'b':
        case 'B': {
          const names = group.names.map((n) => MONTHS[n - 1] as string);
          const words = token.directive === 'b' ? names.map((name) => name.slice(0, 3)) : names;
          return `(?:${words.map(anyCase).join('|')})`;
        }
        default:
          return FIXED[token.directive] as string;
      }
    })
    .join('');
}

/**
 * The anchored regular expression ("u" flag) of a `strptime` layout, or what makes it
 * unsupported. With a month and a day, the day is checked against its month (and 29 February
 * against the year; without a year, `strptime` takes 1900, which is not a leap year).
 */
export function layoutPattern(layout: string): LayoutPattern {
  const tokens = tokenize(layout);
  if (!Array.isArray(tokens)) return tokens;
  if (tokens.length === 0) return { unsupported: 'an empty layout' };
  const has = (d: string) => tokens.some((t) => 'directive' in t && t.directive === d);
  const hasMonth = has('m') || has('b') || has('B');
  const hasYear = has('Y') || has('y');
  if (!hasMonth || !has('d')) return { pattern: `^(?:${body(tokens, ANY_MONTH, false)})$` };
  const alternatives = MONTH_GROUPS.filter((g) => g.day !== '29' || hasYear).map((g) =>
    body(tokens, g, g.day === '29'),
  );
  return { pattern: `^(?:${alternatives.join('|')})$` };
}

/**
 * The layouts a Table Schema `format: "any"` date accepts: ISO and the layouts spreadsheets and
 * legacy systems write (month first and day first both, since "any" does not say which).
 */
export const ANY_DATE_LAYOUTS = [
  '%Y-%m-%d',
  '%Y/%m/%d',
  '%Y%m%d',
  '%m/%d/%Y',
  '%d/%m/%Y',
  '%d.%m.%Y',
  '%d-%m-%Y',
  '%d %b %Y',
  '%d %B %Y',
  '%b %d %Y',
  '%B %d %Y',
  '%b %d, %Y',
  '%B %d, %Y',
] as const;

/** The layouts a Table Schema `format: "any"` time accepts. */
export const ANY_TIME_LAYOUTS = ['%H:%M', '%H:%M:%S', '%H:%M:%S.%f', '%I:%M %p', '%I:%M:%S %p'] as const;

/** One anchored regular expression accepting any of `layouts` (each must be supported). */
export function anyOfLayouts(layouts: readonly string[]): string {
  const bodies = layouts.map((layout) => {
    const result = layoutPattern(layout);
    if (!('pattern' in result)) throw new Error(`unsupported built-in layout ${layout}`);
    return result.pattern.slice(1, -1);
  });
  return `^(?:${bodies.join('|')})$`;
}

const EXAMPLE: Readonly<Record<string, string>> = {
  Y: '2024',
  y: '24',
  m: '01',
  d: '31',
  b: 'Jan',
  B: 'January',
  H: '14',
  I: '02',
  M: '30',
  S: '00',
  p: 'PM',
  f: '000000',
  z: '+01:00',
  '%': '%',
};

/** A supported layout written out for 31 January 2024, 14:30 (`%m/%d/%Y` → `01/31/2024`). */
export function layoutExample(layout: string): string {
  return layout.replace(/%(.)/g, (all, directive: string) => EXAMPLE[directive] ?? all);
}
