/**
 * Fixed layouts compared character by character mean exactly what their regular expression means
 * ("u" flag, as the `pattern` check runs it): on texts near each layout (every character of the
 * layout's classes, one off, one short or long, non-ASCII digits and letters, surrogate pairs) and
 * on any text. Patterns outside the small grammar are left to the regular expression.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shapeTest } from './textShape.ts';

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
        { numRuns: 2000 },
      );
    });
  }
  it('leaves every other pattern to the regular expression', () => {
    for (const pattern of NOT_SHAPES) expect(shapeTest(pattern), pattern).toBeUndefined();
  });
});
