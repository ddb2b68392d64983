import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeUtf8Strict,
  firstInvalidUtf8Offset,
  locateJsonSyntaxError,
  parseJsonText,
} from './jsonText.ts';
import { textDecodeWords } from './textWords.ts';

describe('parseJsonText', () => {
  const table: {
    description: string;
    input: string;
    expected: { line: number; column: number; kind: string } | null;
  }[] = [
    { description: 'valid JSON', input: '{"a": [1, 2.5e3, true, null, "x\\u00e9"]}', expected: null },
    { description: 'a byte-order mark is ignored', input: '\uFEFF{"a": 1}', expected: null },
    { description: 'empty text', input: '', expected: { line: 1, column: 1, kind: 'the text is empty' } },
    {
      description: 'a missing comma',
      input: '{\n  "a": 1\n  "b": 2\n}',
      expected: { line: 3, column: 3, kind: 'expected "," or "}"' },
    },
    {
      description: 'a trailing comma in a list',
      input: '[1,\n 2,\n]',
      expected: { line: 3, column: 1, kind: 'a comma before "]" (trailing comma)' },
    },
    {
      description: 'a trailing comma in an object',
      input: '{"a":1,}',
      expected: { line: 1, column: 8, kind: 'a comma before "}" (trailing comma)' },
    },
    {
      description: 'a single-quoted key',
      input: "{'a': 1}",
      expected: { line: 1, column: 2, kind: 'expected a property name in double quotes' },
    },
    {
      description: 'an unclosed string',
      input: '{"a": "Smith}',
      expected: { line: 1, column: 7, kind: 'text in quotes that is never closed' },
    },
    {
      description: 'a raw line break in a string',
      input: '["a\nb"]',
      expected: { line: 1, column: 4, kind: 'a line break or control character inside text in quotes' },
    },
    {
      description: 'a bad escape',
      input: '["\\x41"]',
      expected: { line: 1, column: 3, kind: 'an invalid escape' },
    },
    {
      description: 'a leading zero',
      input: '[01]',
      expected: { line: 1, column: 3, kind: 'expected "," or "]"' },
    },
    {
      description: 'text after the value',
      input: '{} {}',
      expected: { line: 1, column: 4, kind: 'unexpected text after the JSON value' },
    },
    {
      description: 'an unclosed object (CRLF lines)',
      input: '{\r\n"a": 1\r\n',
      expected: { line: 3, column: 1, kind: 'the text ends inside an object or list' },
    },
    {
      description: 'a bare word',
      input: '{"a": yes}',
      expected: {
        line: 1,
        column: 7,
        kind: 'expected a value (object, list, text in double quotes, number, true, false or null)',
      },
    },
    {
      description: 'a missing colon',
      input: '{"a" 1}',
      expected: { line: 1, column: 6, kind: 'expected ":" after a property name' },
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    const result = parseJsonText(input);
    if (expected === null) {
      expect(result.ok).toBe(true);
      return;
    }
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.position).toMatchObject({ line: expected.line, column: expected.column });
      expect(result.problem).toEqual({
        path: '',
        code: 'invalid-json',
        message: `not valid JSON: ${expected.kind} at line ${expected.line}, column ${expected.column}`,
      });
    }
  });

  it('never quotes the text in its message', () => {
    const result = parseJsonText('{"name": "Jane Patient", "dob": 1970-01-01}');
    expect(result.ok ? '' : result.problem.message).not.toMatch(/Jane|1970/);
  });

  it('finds an error exactly when JSON.parse fails (seed printed on failure)', () => {
    const tokens = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      '0',
      '1',
      '-',
      '.',
      'e',
      ' ',
      '\n',
      't',
      'true',
      'null',
      'a',
      '"a"',
    ];
    const jsonish = fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join(''));
    const nearlyValid = fc.jsonValue().chain((value) => {
      const text = JSON.stringify(value);
      return fc
        .tuple(fc.nat(text.length), fc.constantFrom('', ',', '}', '"', ' '))
        .map(([at, insert]) => text.slice(0, at) + insert + text.slice(at));
    });
    fc.assert(
      fc.property(fc.oneof(jsonish, nearlyValid), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(locateJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 200 },
    );
  });

  it('handles deep nesting without overflowing the stack', () => {
    expect(locateJsonSyntaxError(`${'['.repeat(200_000)}`)?.kind).toBe(
      'the text ends inside an object or list',
    );
  });
});

describe('decodeUtf8Strict', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  const table: { description: string; input: Uint8Array; expected: string | number }[] = [
    { description: 'ASCII', input: new TextEncoder().encode('{"a":1}'), expected: '{"a":1}' },
    {
      description: 'multi-byte characters',
      input: new TextEncoder().encode('"Zoë 🙂"'),
      expected: '"Zoë 🙂"',
    },
    { description: 'a byte-order mark is dropped', input: bytes(0xef, 0xbb, 0xbf, 0x31), expected: '1' },
    { description: 'a Windows-1252 é', input: bytes(0x22, 0x5a, 0x6f, 0xe9, 0x22), expected: 3 },
    { description: 'a lone continuation byte', input: bytes(0x41, 0x80), expected: 1 },
    { description: 'an overlong encoding', input: bytes(0xc0, 0xaf), expected: 0 },
    { description: 'an encoded surrogate', input: bytes(0x41, 0xed, 0xa0, 0x80), expected: 1 },
    { description: 'a truncated sequence at the end', input: bytes(0x41, 0x42, 0xe2, 0x82), expected: 2 },
    { description: 'above U+10FFFF', input: bytes(0xf4, 0x90, 0x80, 0x80), expected: 0 },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    const result = decodeUtf8Strict(input, 'in.json');
    if (typeof expected === 'string') expect(result).toEqual({ ok: true, text: expected });
    else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.offset).toBe(expected);
        expect(result.problem.message).toBe(
          `in.json is not valid UTF-8 text: the byte at line 1, byte ${expected} cannot be read in that encoding; save it again as UTF-8`,
        );
      }
    }
  });

  it('names the file and the line of the bad byte in the words of every reader (CSV, FHIR)', () => {
    const source = 'project file "p.json"';
    const result = decodeUtf8Strict(new Uint8Array([0x7b, 0x0a, 0x22, 0xe9, 0x22, 0x7d]), source);
    const words = textDecodeWords({ byteOffset: 3, line: 2, encoding: 'utf-8', source });
    expect(result).toMatchObject({
      ok: false,
      offset: 3,
      line: 2,
      message:
        'project file "p.json" is not valid UTF-8 text: the byte at line 2, byte 3 cannot be read in that encoding',
    });
    if (!result.ok) expect(result.message).toBe(words.message);
  });

  it('agrees with the platform decoder on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(input);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8Offset(input) === -1).toBe(valid);
      }),
      { numRuns: 200 },
    );
  });
});
