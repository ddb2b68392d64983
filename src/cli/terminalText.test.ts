import { describe, expect, it } from 'vitest';
import { MAX_TERMINAL_LINE, oneLineStrings, shownText, terminalText } from './terminalText.ts';

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

  it('cuts a line past the bound and says how much it left out, keeping the lines around it', () => {
    // a package name of 32 MiB, in one line of a summary
    const name = 'n'.repeat(32 * 1024 * 1024);
    const shown = terminalText(`Package: ${name}\nNext line\n`);
    const [first = '', second, end] = shown.split('\n');
    const note = '… (33,544,441 more characters not shown; write the output to a file to see them)';
    expect(first.endsWith(note)).toBe(true);
    expect(first.length).toBe(MAX_TERMINAL_LINE + note.length);
    expect(second).toBe('Next line');
    expect(end).toBe('');
    // what a cut line still holds is shown as escapes too
    expect(terminalText(`\u001b[2J${'x'.repeat(MAX_TERMINAL_LINE)}`)).toMatch(
      /^\\u\{1b\}\[2Jx+… \(4 more characters/,
    );
  });

  it('never cuts a character in two', () => {
    const shown = terminalText(`${'a'.repeat(MAX_TERMINAL_LINE - 1)}😀😀`);
    expect(shown.startsWith(`${'a'.repeat(MAX_TERMINAL_LINE - 1)}… (4 more characters`)).toBe(true);
  });

  it('leaves a line at the bound whole', () => {
    const line = 'a'.repeat(MAX_TERMINAL_LINE);
    expect(terminalText(`${line}\n${line}`)).toBe(`${line}\n${line}`);
  });

  it('shows text for a pipe as for a terminal, with no line cut', () => {
    const long = `\u001b[2J${'x'.repeat(MAX_TERMINAL_LINE)}\ttab\nnext`;
    expect(shownText(long)).toBe(`\\u{1b}[2J${'x'.repeat(MAX_TERMINAL_LINE)}\ttab\nnext`);
  });

  it('writes every string of a file as one line, however deep, and keeps everything else', () => {
    const report = {
      issues: [{ location: 'name\nResult: passes', count: 2, examples: [{ column: 'a\tb', row: 3 }] }],
      redacted: true,
      missing: null,
    };
    expect(oneLineStrings(report)).toEqual({
      issues: [
        { location: 'name\\u{a}Result: passes', count: 2, examples: [{ column: 'a\\u{9}b', row: 3 }] },
      ],
      redacted: true,
      missing: null,
    });
    // what is not plain data is kept as it is
    const when = new Date(0);
    expect(oneLineStrings({ when }).when).toBe(when);
  });
});
