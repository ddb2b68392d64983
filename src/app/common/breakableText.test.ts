import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakablePieces, MAX_UNBROKEN, MAX_UNBROKEN_NAME } from './breakableText.ts';

describe('breakablePieces', () => {
  it.each([
    { description: 'an empty value', text: '', pieces: [''] },
    { description: 'an MRN stays whole', text: '17500962', pieces: ['17500962'] },
    {
      description: 'a 10-digit phone number without punctuation stays whole',
      text: '8025550143',
      pieces: ['8025550143'],
    },
    {
      description: 'a member id over the limit: two equal halves (the browser breaks there only if it must)',
      text: 'DMP234963148',
      pieces: ['DMP234', '963148'],
    },
    {
      description: 'an all-digit id of 25: nearly equal parts, the longer first, none over the limit',
      text: '1010472920250001234567890',
      pieces: ['101047292', '02500012', '34567890'],
    },
    {
      description: 'a phone number breaks only at its hyphens',
      text: '802-555-0143',
      pieces: ['802-', '555-', '0143'],
    },
    { description: 'a date breaks at its hyphens', text: '1997-06-05', pieces: ['1997-', '06-', '05'] },
    {
      description: 'a no-break space is no break point: the run it joins is still cut',
      text: '1234567890\u00a01234567890',
      pieces: ['1234567', '890\u00a0123', '4567890'],
    },
    {
      description: 'a column name breaks after underscores',
      text: 'insurance_member_id',
      pieces: ['insurance_', 'member_', 'id'],
    },
    {
      description: 'a field path (camelCase) breaks after dots and brackets, its words kept whole',
      text: 'identifier[0].type',
      camelCase: true,
      pieces: ['identifier[', '0].', 'type'],
    },
    {
      description: 'a URL breaks after its punctuation',
      text: 'http://hl7.org/fhir/sid/us-ssn',
      pieces: ['http:', '/', '/', 'hl7.', 'org/', 'fhir/', 'sid/', 'us-', 'ssn'],
    },
    {
      description: 'words: spaces break already',
      text: 'Dr. Amara Okafor',
      pieces: ['Dr.', ' Amara Okafor'],
    },
    {
      description: 'a run of twice the limit and 3: three parts, not two of the limit and a stub',
      text: 'A'.repeat(23),
      pieces: ['AAAAAAAA', 'AAAAAAAA', 'AAAAAAA'],
    },
    {
      description: 'a run of exactly the limit stays whole',
      text: 'B'.repeat(MAX_UNBROKEN),
      pieces: ['B'.repeat(MAX_UNBROKEN)],
    },
    {
      description: 'each word of a value is cut on its own; the spaces stay where they were',
      text: `ab ${'9'.repeat(MAX_UNBROKEN + 2)} cd`,
      pieces: [`ab ${'9'.repeat(MAX_UNBROKEN / 2 + 1)}`, `${'9'.repeat(MAX_UNBROKEN / 2 + 1)} cd`],
    },
    {
      description: 'an emoji with a modifier is never cut',
      text: `${'x'.repeat(MAX_UNBROKEN - 1)}👍🏽y`,
      pieces: [`${'x'.repeat(MAX_UNBROKEN / 2 + 1)}`, `${'x'.repeat(MAX_UNBROKEN / 2 - 2)}👍🏽y`],
    },
  ])(
    '$description',
    ({ text, pieces, camelCase }: { text: string; pieces: string[]; camelCase?: boolean }) => {
      expect(MAX_UNBROKEN).toBe(10);
      expect(breakablePieces(text, camelCase ? { camelCase } : {})).toEqual(pieces);
    },
  );

  it.each([
    { text: 'generalPractitioner[0]', camelCase: true, pieces: ['general', 'Practitioner[', '0]'] },
    { text: 'generalPractitioner[0]', camelCase: false, pieces: ['generalPra', 'ctitioner[', '0]'] },
    { text: 'McDonald', camelCase: false, pieces: ['McDonald'] },
    { text: 'HTTPServer', camelCase: true, pieces: ['HTTPServer'] },
  ])(
    'field paths break between words, values never: $text (camelCase $camelCase)',
    ({ text, camelCase, pieces }) => {
      expect(breakablePieces(text, { camelCase })).toEqual(pieces);
    },
  );

  it('joins back to the text, no piece holds a run longer than the limit, and a run cut is cut evenly (any text)', () => {
    const length = (text: string) => [...new Intl.Segmenter().segment(text)].length;
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.boolean(), (text, camelCase) => {
        const limit = camelCase ? MAX_UNBROKEN_NAME : MAX_UNBROKEN;
        const pieces = breakablePieces(text, { camelCase });
        expect(pieces.join('')).toBe(text);
        for (const piece of pieces) {
          const runs = piece.split(/\s+/).map(length);
          expect(Math.max(...runs)).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('cuts a long run of any characters into the fewest parts that fit, their lengths at most one apart', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '7', 'A', 'z', 'é'), minLength: 1, maxLength: 120 }),
        (text) => {
          const lengths = breakablePieces(text).map((p) => p.length);
          expect(lengths).toHaveLength(Math.ceil(text.length / MAX_UNBROKEN));
          expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
          expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
        },
      ),
    );
  });
});
