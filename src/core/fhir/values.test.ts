/**
 * A `urn:uuid:` URI holds a lowercase UUID; and the narrative check's txt-2 (some text outside the tags) read in place agrees with the reading it
 * replaced — the text with each `<…>` removed, then `/\S/` — on every shape of tag and text below.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { primitiveProblem, xhtmlProblem } from './values.ts';

const EMPTY = 'Expected the narrative to have some text: this <div> is empty (txt-2)';
const OPEN = '<div xmlns="http://www.w3.org/1999/xhtml">';

/** The reading before: the tags removed by a regular expression, then any non-space character. */
const textBefore = (div: string) => /<img\b/i.test(div) || /\S/.test(div.replace(/<[^>]*>/g, ''));

const BODIES = [
  '',
  ' ',
  '\n\t ',
  'text',
  '<p></p>',
  '<p> </p>\n<br/>',
  '<p>x</p>',
  '<p> \u00a0 </p>',
  '<p>\u2028</p>',
  '<p>&amp;</p>',
  '<p a="1>2"></p>',
  '<p<b></p>',
  'a < b',
  '<p></p><',
  '<p></p> < ',
  '<img src="x"/>',
  '<table><tr><td/></tr></table> ',
  '<span>\ufeff</span>',
];

describe('the narrative text check (txt-2)', () => {
  it('agrees with the tags-removed reading on each shape', () => {
    let empty = 0;
    for (const body of BODIES) {
      const div = `${OPEN}${body}</div>`;
      const hasText = xhtmlProblem(div) !== EMPTY;
      expect(hasText, JSON.stringify(body)).toBe(textBefore(div));
      if (!hasText) empty++;
    }
    expect(empty).toBeGreaterThan(3);
  });
});

describe('a urn:uuid URI', () => {
  const UUID = 'c757873d-ec9a-4326-a141-556f43239520';
  it('holds a lowercase UUID, in any URI type', () => {
    for (const type of ['uri', 'url', 'canonical']) {
      expect(primitiveProblem(type, `urn:uuid:${UUID}`)).toBeUndefined();
      for (const bad of [
        `urn:uuid:${UUID}asdf`,
        `urn:uuid:${UUID.toUpperCase()}`,
        'urn:uuid:',
        'urn:uuid:1234',
      ])
        expect(primitiveProblem(type, bad)?.rule, bad).toBe('fhir-invalid-format');
    }
    // other URIs and text are not UUIDs
    expect(primitiveProblem('uri', 'https://example.org/Patient/1')).toBeUndefined();
    expect(primitiveProblem('uri', 'c:\\temp\\example.txt')).toBeUndefined();
    expect(primitiveProblem('string', 'urn:uuid:x')).toBeUndefined();
  });
  it('accepts every UUID written the FHIR way', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        expect(primitiveProblem('uri', `urn:uuid:${uuid.toLowerCase()}`)).toBeUndefined();
      }),
    );
  });
});
