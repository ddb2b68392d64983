/**
 * The plan's own `date` check is ajv-formats' `date`, faster: the two agree on any text (dates
 * near every edge — month 0/13, day 0/32, 29 February in leap and common years, 1900 and 2000 —
 * and arbitrary strings).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueKind } from '../../../validation/index.ts';
import { formatRule, isEmail, isFullDate } from './format.ts';

const ajvDate = fullFormats.date as { validate: (text: string) => boolean };
const ajvEmail = fullFormats.email as RegExp;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('the plan’s date format', () => {
  it('agrees with ajv-formats on dates near every edge', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 4, 100, 400, 1900, 1999, 2000, 2024, 2100, 9999),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isFullDate(text)).toBe(ajvDate.validate(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees with ajv-formats on any text', () => {
    const near = fc.string({
      unit: fc.constantFrom('0', '1', '2', '9', '-', '/', 'a', '٣', ' ', '\n'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.oneof(near, fc.string()), (text) => {
        expect(isFullDate(text)).toBe(ajvDate.validate(text));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the plan’s email format', () => {
  it('agrees with ajv-formats on texts near addresses and on any text', () => {
    const part = fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '0',
        '.',
        '-',
        '_',
        '+',
        '!',
        '~',
        '@',
        ' ',
        'é',
        '\u017f',
        '\u212a',
        'İ',
        '😀',
      ),
      maxLength: 8,
    });
    const address = fc
      .tuple(part, fc.constantFrom('@', '@@', ''), part, fc.constantFrom('.', '..', '-.', '.-', ''), part)
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(address, fc.string(), fc.emailAddress()), (text) => {
        expect(isEmail(text)).toBe(ajvEmail.test(text));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    'a@-b.co',
    'a@b-.co',
    'a@b.-co',
    'a@b.co-',
    'a@b..co',
    'a@.b.co',
    'a@b.co.',
    'a@b',
    'a@b-c.d-e.f',
    'a@b--c.d',
    'a@1.2',
    'a@b.c',
    'a@',
    'a@.',
  ])('agrees with ajv-formats on the domain of %s', (text) => {
    expect(isEmail(text)).toBe(ajvEmail.test(text));
  });

  it('agrees with ajv-formats on any domain of letters, digits, hyphens and dots', () => {
    const domain = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_'), maxLength: 9 });
    fc.assert(
      fc.property(domain, (d) => {
        expect(isEmail(`x@${d}`)).toBe(ajvEmail.test(`x@${d}`));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the value kind a format implies (the profile skips classifying accepted cells)', () => {
  const date = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    );
  const cases = [
    { format: 'date', kind: 'date:YYYY-MM-DD', test: isFullDate, texts: fc.oneof(date, fc.string()) },
    { format: 'email', kind: 'email', test: isEmail, texts: fc.oneof(fc.emailAddress(), fc.string()) },
  ] as const;
  for (const { format, kind, test, texts } of cases) {
    it(`every text the ${format} format accepts is of kind ${kind}`, () => {
      expect(formatRule.textKind?.({ kind: 'format', format })).toBe(kind);
      fc.assert(
        fc.property(texts, (text) => {
          if (test(text)) expect(valueKind(text)).toBe(kind);
        }),
        { numRuns: 200 },
      );
    });
  }
  it('implies no kind for other formats', () => {
    expect(formatRule.textKind?.({ kind: 'format', format: 'uri' })).toBeUndefined();
  });
});
