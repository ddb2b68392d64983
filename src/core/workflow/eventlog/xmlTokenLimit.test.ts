import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readXesLogText, XesError } from './xesLog.ts';
import { createXmlTokenLimit } from './xmlTokenLimit.ts';

/** Scans `text` cut into pieces at `cuts`; the place found, if any. */
function scanInPieces(text: string, cuts: number[], max: number) {
  const limit = createXmlTokenLimit(max);
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(text.length)) {
    const found = limit.scan(text.slice(from, cut));
    if (found) return found;
    from = cut;
  }
  return undefined;
}

describe('the longest XML run a reader accepts', () => {
  const cases: { name: string; text: string; max: number; at?: { line: number; column: number } }[] = [
    { name: 'short tags and text pass', text: '<log>\n  <e k="v"/>\n  text\n</log>', max: 18 },
    {
      name: 'one character over the bound is too long',
      text: '<log>\n  <e k="v"/>\n  text\n</log>',
      max: 17,
      at: { line: 2, column: 3 },
    },
    {
      name: 'a long attribute value, at its tag',
      text: '<log>\n  <e k="vvvvvvvvvvvvv"/></log>',
      max: 12,
      at: { line: 2, column: 3 },
    },
    {
      name: 'a long text run, from the tag before it',
      text: '<a>\n<b/>xxxxxxxxxxxxxxx</a>',
      max: 12,
      at: { line: 2, column: 1 },
    },
    {
      name: 'a comment is one run, however many < it holds',
      text: '<a>\n<!-- <<<<<<<<<<<<<<<<<< --></a>',
      max: 12,
      at: { line: 2, column: 1 },
    },
    {
      name: 'a CDATA section is one run',
      text: '<a><![CDATA[<x><x><x><x>]]></a>',
      max: 12,
      at: { line: 1, column: 4 },
    },
    { name: 'a short comment and CDATA pass', text: '<a><!--<x>--><![CDATA[<y>]]></a>', max: 15 },
    {
      name: 'line breaks inside a run count',
      text: '<a>\n\n<b\nk="v\nv\nv\nv\nv\nv"/></a>',
      max: 12,
      at: { line: 3, column: 1 },
    },
  ];
  it.each(cases)('$name', ({ text, max, at }) => {
    expect(scanInPieces(text, [], max)).toEqual(at);
  });

  it('finds the same place however the text is cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.nat({ max: 60 }), { maxLength: 12 }),
        ({ text, max, at }, cuts) => {
          expect(
            scanInPieces(
              text,
              cuts.map((c) => Math.min(c, text.length)),
              max,
            ),
          ).toEqual(at);
        },
      ),
    );
  });

  it('refuses an XES attribute longer than the bound, at its line and column, before parsing it', () => {
    const xes = `<?xml version="1.0"?>\n<log>\n<trace>\n  <string key="concept:name" value="${'x'.repeat(1024 * 1024 + 1)}"/>\n</trace>\n</log>`;
    const error = (() => {
      try {
        readXesLogText(xes, { mapping: { case: '', activity: '' } }, 'big.xes');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(XesError);
    expect((error as XesError).line).toBe(4);
    expect((error as XesError).column).toBe(3);
    expect((error as Error).message).toBe(
      "big.xes is not a readable XES log: one element, attribute value, text or comment is longer than 1,048,576 characters (an event log's names and values are short) at line 4, column 3. Export the log again without that long value, then choose the new file",
    );
  });
});
