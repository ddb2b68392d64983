/**
 * Fixed layouts compared character by character mean exactly what their regular expression means
 * ("u" flag, as the `pattern` check runs it): on texts near each layout (every character of the
 * layout's classes, one off, one short or long, non-ASCII digits and letters, surrogate pairs) and
 * on any text. Patterns outside the small grammar are left to the regular expression.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueKind } from '../../../validation/index.ts';
import { isFullDate } from './format.ts';
import { isIsoDateLayout, shapeKind, shapeTest } from './textShape.ts';

/** Layouts compiled: the bench contract's, and the grammar's corners. */
const SHAPES = [
  '^P\\d{7}$',
  '^\\d{8}$',
  '^\\d{3}-\\d{2}-\\d{4}$',
  '^\\d{3}-\\d{3}-\\d{4}$',
  '^[A-Z]{2}$',
  '^\\d{5}(?:-\\d{4})?$',
  '^[A-Z]{3}\\d{9}$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^[A-Za-z0-9]{0}x\\w{2}$',
  '^[a-f\\d]{4}\\.\\$\\/\\(\\)$',
  '^E[0-9]{2}(?:[A-Z]{2})?$',
  '^a b,c:d_e;f\'g"h!#%&=@~`<>$',
];

/** Patterns left to the regular expression. */
const NOT_SHAPES = [
  '^\\S(?:.*\\S)?$',
  '^(?:NKDA|[a-z][a-z ]*(?:;[a-z][a-z ]*)*)$',
  '^\\d+$',
  '^\\d{2,4}$',
  '\\d{4}$',
  '^\\d{4}',
  '^[^A-Z]$',
  '^\\s$',
  '^a?$',
  '^(?:a)(?:b)?$',
  '^(?:ab)$',
  '^[-a]$',
  '^.$',
  '^a|b$',
  '^E[0-9]{2}(?:[A-Z]{1,2})?$',
];

const near = fc.string({
  unit: fc.constantFrom(
    ...'0123456789AZaz-.$/()PEx_ ,:;\'"!#%&=@~`<>bfg'.split(''),
    '٣',
    'Ａ',
    '\u0130',
    '\u017f',
    '\u212a',
    '😀',
    '\ud800',
    '\n',
  ),
  maxLength: 16,
});

describe('fixed layouts without a regular expression', () => {
  for (const pattern of SHAPES) {
    it(`${pattern} agrees with its regular expression on any text`, () => {
      const test = shapeTest(pattern);
      expect(test).toBeDefined();
      const regex = new RegExp(pattern, 'u');
      fc.assert(
        fc.property(fc.oneof(near, fc.string(), fc.stringMatching(regex)), (text) => {
          expect((test as (text: string) => boolean)(text)).toBe(regex.test(text));
        }),
        { numRuns: 200 },
      );
    });
  }
  it('leaves every other pattern to the regular expression', () => {
    for (const pattern of NOT_SHAPES) expect(shapeTest(pattern), pattern).toBeUndefined();
  });
});

/** The kind every text of a layout has, as the profile tells it (undefined: several kinds). */
const SHAPE_KINDS: { description: string; pattern: string; kind: 'text' | 'date:YYYY-MM-DD' | undefined }[] =
  [
    { description: 'an id with a letter first', pattern: '^P\\d{7}$', kind: 'text' },
    { description: 'a code of letters then digits', pattern: '^[A-Z]{3}\\d{9}$', kind: 'text' },
    { description: 'an SSN', pattern: '^\\d{3}-\\d{2}-\\d{4}$', kind: 'text' },
    { description: 'a phone number', pattern: '^\\d{3}-\\d{3}-\\d{4}$', kind: 'text' },
    { description: 'an ISO date layout', pattern: '^\\d{4}-\\d{2}-\\d{2}$', kind: 'date:YYYY-MM-DD' },
    { description: 'digits only: an integer or a YYYYMMDD date', pattern: '^\\d{8}$', kind: undefined },
    { description: 'a ZIP code: an integer or text', pattern: '^\\d{5}(?:-\\d{4})?$', kind: undefined },
    { description: 'two letters (maybe a boolean? no: length 2)', pattern: '^[A-Z]{2}$', kind: 'text' },
    { description: 'four letters that may spell "true"', pattern: '^[a-z]{4}$', kind: undefined },
    { description: 'four letters starting with "x"', pattern: '^x[a-z]{3}$', kind: 'text' },
    { description: 'an "@" in the layout (maybe e-mail-like)', pattern: '^a@b\\.cd$', kind: undefined },
    {
      description: 'a "." in a layout starting with a digit (maybe a decimal)',
      pattern: '^\\d\\.\\d$',
      kind: undefined,
    },
    { description: 'a slash date layout', pattern: '^\\d{2}/\\d{2}/\\d{4}$', kind: undefined },
    { description: 'a date-time prefix layout', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}$', kind: undefined },
    { description: 'a sign then letters', pattern: '^-[A-Z]{3}$', kind: 'text' },
    { description: 'a sign then digits', pattern: '^-\\d{3}$', kind: undefined },
    {
      description: 'an ISO date or more (two kinds)',
      pattern: '^\\d{4}-\\d{2}-\\d{2}(?:x)?$',
      kind: undefined,
    },
    { description: 'not a layout', pattern: '^\\S+$', kind: undefined },
  ];

describe('the value kind a layout implies', () => {
  for (const { description, pattern, kind } of SHAPE_KINDS) {
    it(`${description} (${pattern}): ${kind ?? 'none'}`, () => {
      expect(shapeKind(pattern)).toBe(kind);
      if (kind === undefined) return;
      // every text the pattern accepts has that kind, as the profile tells it
      const regex = new RegExp(pattern, 'u');
      fc.assert(
        fc.property(fc.stringMatching(regex), (text) => {
          expect(valueKind(text)).toBe(kind);
        }),
        { numRuns: 200 },
      );
    });
  }
  it('implies a kind only for texts of that kind, on every compiled layout', () => {
    for (const pattern of SHAPES) {
      const kind = shapeKind(pattern);
      if (kind === undefined) continue;
      const regex = new RegExp(pattern, 'u');
      fc.assert(
        fc.property(fc.stringMatching(regex), (text) => {
          expect(valueKind(text), `${pattern}: ${text}`).toBe(kind);
        }),
        { numRuns: 500 },
      );
    }
  });
});

describe('the YYYY-MM-DD layout a date format implies', () => {
  const cases: { pattern: string; iso: boolean }[] = [
    { pattern: '^\\d{4}-\\d{2}-\\d{2}$', iso: true },
    { pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', iso: true },
    { pattern: '^\\d\\d\\d\\d-\\d\\d-\\d\\d$', iso: true },
    // narrower than every date: the pattern still decides some cells
    { pattern: '^[0-5]{4}-\\d{2}-\\d{2}$', iso: false },
    { pattern: '^19\\d{2}-\\d{2}-\\d{2}$', iso: false },
    // wider, or another layout
    { pattern: '^[0-9A]{4}-\\d{2}-\\d{2}$', iso: false },
    { pattern: '^\\d{4}-\\d{2}-\\d{2}(?:T\\d{2})?$', iso: false },
    { pattern: '^\\d{4}/\\d{2}/\\d{2}$', iso: false },
    { pattern: '^\\d{4}-\\d{2}-\\d{2}', iso: false },
    { pattern: '\\d{4}-\\d{2}-\\d{2}', iso: false },
  ];
  it.each(cases)('$pattern: $iso', ({ pattern, iso }) => {
    expect(isIsoDateLayout(pattern)).toBe(iso);
  });

  it('is true only of patterns every full date matches (so format: date beside one implies it)', () => {
    const fullDate = fc
      .date({
        min: new Date('0001-01-01T00:00:00Z'),
        max: new Date('9999-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10));
    for (const { pattern } of cases.filter((c) => isIsoDateLayout(c.pattern))) {
      const matches = new RegExp(pattern, 'u');
      fc.assert(
        fc.property(fullDate, (text) => {
          expect(isFullDate(text)).toBe(true);
          expect(matches.test(text)).toBe(true);
        }),
      );
    }
  });

  it('holds every text the layout test accepts to the YYYY-MM-DD regular expression', () => {
    const text = fc.stringMatching(/^[0-9٠-٩-]{10}$/);
    const iso = /^\d{4}-\d{2}-\d{2}$/u;
    for (const { pattern } of cases.filter((c) => c.iso)) {
      const test = shapeTest(pattern) as (text: string) => boolean;
      fc.assert(
        fc.property(text, (t) => {
          expect(test(t)).toBe(iso.test(t));
        }),
      );
    }
  });
});
