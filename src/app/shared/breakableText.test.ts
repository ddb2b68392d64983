import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakablePieces, MAX_UNBROKEN } from './breakableText.ts';

describe('breakablePieces', () => {
  it.each([
    { description: 'an empty value', text: '', pieces: [''] },
    { description: 'an MRN stays whole', text: '17500962', pieces: ['17500962'] },
    { description: 'a member id stays whole', text: 'DMP234963148', pieces: ['DMP234963148'] },
    {
      description: 'a phone number breaks only at its hyphens',
      text: '802-555-0143',
      pieces: ['802-', '555-', '0143'],
    },
    { description: 'a date breaks at its hyphens', text: '1997-06-05', pieces: ['1997-', '06-', '05'] },
    {
      description: 'a column name breaks after underscores',
      text: 'insurance_member_id',
      pieces: ['insurance_', 'member_', 'id'],
    },
    {
      description: 'a field path breaks after dots and brackets',
      text: 'identifier[0].type',
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
      description: 'a run longer than the limit is cut into pieces of the limit',
      text: 'A'.repeat(MAX_UNBROKEN * 2 + 3),
      pieces: ['A'.repeat(MAX_UNBROKEN), 'A'.repeat(MAX_UNBROKEN), 'AAA'],
    },
    {
      description: 'an emoji with a modifier is never cut',
      text: `${'x'.repeat(MAX_UNBROKEN - 1)}👍🏽y`,
      pieces: [`${'x'.repeat(MAX_UNBROKEN - 1)}👍🏽`, 'y'],
    },
  ])('$description', ({ text, pieces }) => {
    expect(breakablePieces(text)).toEqual(pieces);
  });

  it.each([
    { text: 'generalPractitioner[0]', camelCase: true, pieces: ['general', 'Practitioner[', '0]'] },
    { text: 'generalPractitioner[0]', camelCase: false, pieces: ['generalPractitio', 'ner[', '0]'] },
    { text: 'McDonald', camelCase: false, pieces: ['McDonald'] },
    { text: 'HTTPServer', camelCase: true, pieces: ['HTTPServer'] },
  ])(
    'field paths break between words, values never: $text (camelCase $camelCase)',
    ({ text, camelCase, pieces }) => {
      expect(breakablePieces(text, { camelCase })).toEqual(pieces);
    },
  );

  it('joins back to the text, and no piece holds a run longer than the limit (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.boolean(), (text, camelCase) => {
        const pieces = breakablePieces(text, { camelCase });
        expect(pieces.join('')).toBe(text);
        for (const piece of pieces) {
          const runs = piece.split(/\s+/).map((r) => [...new Intl.Segmenter().segment(r)].length);
          expect(Math.max(...runs)).toBeLessThanOrEqual(MAX_UNBROKEN);
        }
      }),
    );
  });
});
