/**
 * `format` with ajv-formats' own validators ("full" mode, as the contract compiler uses): the
 * functions and regular expressions are imported, not re-written, so the plan and ajv cannot
 * disagree on what a date or an e-mail address is. They generate no code (CSP-safe).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { CellValue, PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, type PlanCheckRule } from './rule.ts';

type FormatCheck = Extract<PlanCheck, { kind: 'format' }>;

type FormatTest = (text: string) => boolean;

interface FormatValidator {
  /** the JSON type the format applies to (ajv skips other types) */
  type: 'string' | 'number';
  test: (value: never) => boolean;
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ajv-formats' `date` (RFC 3339 full-date: /^(\d\d\d\d)-(\d\d)-(\d\d)$/ and a day that exists)
 * without its regex match array per cell; property-tested to agree with it on any text.
 */
export function isFullDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const y0 = text.charCodeAt(0) - 48;
  const y1 = text.charCodeAt(1) - 48;
  const y2 = text.charCodeAt(2) - 48;
  const y3 = text.charCodeAt(3) - 48;
  const m0 = text.charCodeAt(5) - 48;
  const m1 = text.charCodeAt(6) - 48;
  const d0 = text.charCodeAt(8) - 48;
  const d1 = text.charCodeAt(9) - 48;
  // every one a digit: (x >>> 0) <= 9 also rejects characters below "0"
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9) return false;
  if (m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9) return false;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (DAYS[month] as number);
}

/** Characters of a local part's dot-separated atoms (besides letters and digits). */
const LOCAL_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";
const LOCAL = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch) || LOCAL_SYMBOLS.includes(ch)) LOCAL[c] = 1;
}

/** Classes of a domain's code units (ASCII; 0: not allowed). */
const DOMAIN_ALNUM = 1;
const DOMAIN_HYPHEN = 2;
const DOMAIN_DOT = 3;
const DOMAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) DOMAIN[c] = DOMAIN_ALNUM;
  else if (ch === '-') DOMAIN[c] = DOMAIN_HYPHEN;
  else if (ch === '.') DOMAIN[c] = DOMAIN_DOT;
}

/**
 * ajv-formats' `email` (full mode):
 * /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i
 * in one pass over the characters; property-tested to agree with it on any text. Its "i" flag
 * without "u" folds no character outside ASCII onto one inside, so letters are A–Z and a–z only.
 */
export function isEmail(text: string): boolean {
  const n = text.length;
  const at = text.indexOf('@');
  if (at < 1) return false;
  // the local part: atoms of LOCAL characters joined by single dots
  let afterDot = true;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (afterDot) return false;
      afterDot = true;
    } else if (c < 128 && LOCAL[c] === 1) afterDot = false;
    else return false;
  }
  if (afterDot) return false;
  // the domain: two or more labels of letters, digits and inner hyphens, joined by dots — read
  // once, unit by unit, with the previous unit's class (the domain starts as if after a dot): a
  // hyphen may not start a label, a dot or the end must follow a letter or digit
  let dots = 0;
  let previous = DOMAIN_DOT;
  for (let i = at + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? (DOMAIN[c] as number) : 0;
    if (k === DOMAIN_DOT) {
      if (previous !== DOMAIN_ALNUM) return false;
      dots++;
    } else if (k === 0 || (k === DOMAIN_HYPHEN && previous === DOMAIN_DOT)) return false;
    previous = k;
  }
  // two labels or more: a dot or more between them
  return previous === DOMAIN_ALNUM && dots >= 1;
}

/** Formats the plan checks with an equivalent of ajv-formats' own function (the hot ones). */
const FAST_FORMATS: Readonly<Record<string, FormatTest>> = { date: isFullDate, email: isEmail };

function validatorOf(name: string): FormatValidator | undefined {
  if (!Object.hasOwn(fullFormats, name)) return undefined;
  const fast = Object.hasOwn(FAST_FORMATS, name) ? FAST_FORMATS[name] : undefined;
  if (fast) return { type: 'string', test: fast as (value: never) => boolean };
  const def = (fullFormats as Record<string, unknown>)[name];
  const asTest = (v: unknown): FormatTest | undefined =>
    v instanceof RegExp ? (text) => v.test(text) : typeof v === 'function' ? (v as FormatTest) : undefined;
  const direct = asTest(def);
  if (direct) return { type: 'string', test: direct as (value: never) => boolean };
  if (typeof def === 'object' && def !== null) {
    const object = def as { type?: string; validate?: unknown; async?: boolean };
    if (object.async) return undefined;
    const test = asTest(object.validate);
    if (!test) return undefined;
    return { type: object.type === 'number' ? 'number' : 'string', test: test as (value: never) => boolean };
  }
  return undefined;
}

/** `format` (date, date-time, email, uri, uuid, …): a cell of the format's type meets it. */
export const formatRule: PlanCheckRule<FormatCheck> = {
  id: 'contract.format',
  keyword: 'format',
  severity: 'error',
  code: 'value',
  describe:
    'The cell is not a valid value of its format (e.g. a date that does not exist, an e-mail address without @).',
  compile(value) {
    return typeof value === 'string' && validatorOf(value)
      ? { kind: 'format', format: value }
      : CANNOT_EXPRESS;
  },
  prepare(check) {
    const validator = validatorOf(check.format) as FormatValidator;
    const test = validator.test as (value: CellValue) => boolean;
    return (value: CellValue) => typeof value !== validator.type || test(value);
  },
  prepareText(check) {
    const validator = validatorOf(check.format) as FormatValidator;
    // a format of numbers does not apply to text
    return validator.type === 'string' ? (validator.test as (text: string) => boolean) : true;
  },
  textKind(check) {
    // isFullDate reads exactly the YYYY-MM-DD layout; isEmail accepts one "@", not first, with a
    // dotted domain and no white space: the profile's e-mail-like test
    return check.format === 'date' ? 'date:YYYY-MM-DD' : check.format === 'email' ? 'email' : undefined;
  },
  message(check) {
    return `must be a valid ${check.format}`;
  },
};
