/**
 * The plan's own `date` check is ajv-formats' `date`, faster: the two agree on any text (dates
 * near every edge — month 0/13, day 0/32, 29 February in leap and common years, 1900 and 2000 —
 * and arbitrary strings).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmail, isFullDate } from './format.ts';

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
      { numRuns: 3000 },
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
      { numRuns: 3000 },
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
      { numRuns: 5000 },
    );
  });
});
