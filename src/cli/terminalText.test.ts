import { describe, expect, it } from 'vitest';
import { terminalText } from './terminalText.ts';

describe('text written to a terminal', () => {
  it.each([
    ['clear screen and colour', 'a\u001b[2J\u001b[31mred', 'a\\u{1b}[2J\\u{1b}[31mred'],
    ['window title', '\u001b]0;title\u0007', '\\u{1b}]0;title\\u{7}'],
    [
      'a carriage return that rewrites the line',
      'ok\rFAKE: all records valid',
      'ok\\u{d}FAKE: all records valid',
    ],
    ['C1 control', 'x\u009by', 'x\\u{9b}y'],
    ['a right-to-left override', 'abc\u202Edef', 'abc\\u{202e}def'],
  ])('shows %s as escapes', (_, text, shown) => {
    expect(terminalText(text)).toBe(shown);
  });

  it('keeps line feeds, tabs and all other text as it is', () => {
    const text = 'Column\tRows\nbirth_date\t3 — Montréal 😀\n';
    expect(terminalText(text)).toBe(text);
  });
});
