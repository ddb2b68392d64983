/**
 * The narrative check's txt-2 (some text outside the tags) read in place agrees with the reading it
 * replaced — the text with each `<…>` removed, then `/\S/` — on every shape of tag and text below.
 */
import { describe, expect, it } from 'vitest';
import { xhtmlProblem } from './values.ts';

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
