/**
 * Reading Preflight files from bytes and text: strict UTF-8 decoding with the offset of the first
 * bad byte, and JSON parsing whose errors give a line and column.
 *
 * Constraint: errors name where and what kind only. The engine's own JSON.parse
 * message is never shown: V8 quotes the text around the error, which may be patient data.
 */
import { type FormatProblem, PROBLEM_CODES, problem } from './loading.ts';
import { textDecodeText, textDecodeWords } from './textWords.ts';

/** U+FEFF at the start of a text: some editors write it; RFC 8259 lets parsers ignore it. */
const BYTE_ORDER_MARK = '\uFEFF';

/** Where a JSON syntax error is: 0-based UTF-16 offset, 1-based line and column (as editors count). */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

/** The outcome of parsing JSON text. */
export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; problem: FormatProblem; position: TextPosition };

/** Parses JSON text (a leading byte-order mark is ignored); a syntax error comes with its line and column. */
export function parseJsonText(text: string): JsonParseResult {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    const found = locateJsonSyntaxError(body) ?? { offset: 0, kind: 'not valid JSON' };
    const position = positionOf(body, found.offset);
    return {
      ok: false,
      position,
      problem: problem(
        '',
        PROBLEM_CODES.invalidJson,
        `not valid JSON: ${found.kind} at line ${position.line}, column ${position.column}`,
      ),
    };
  }
}

/** Line and column (1-based; CRLF, LF and CR each end a line) of a UTF-16 offset in `text`. */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

/**
 * Finds the first JSON syntax error (RFC 8259) in `text`: its offset and a description of the
 * kind of error; null when the text is valid JSON. Iterative, so deep nesting cannot overflow.
 */
export function locateJsonSyntaxError(text: string): { offset: number; kind: string } | null {
  const stack: ('{' | '[')[] = [];
  let expect = 'value' as Expect; // widened: afterValue() assigns it too
  let i = 0;
  const afterValue = () => {
    expect = stack.length > 0 ? 'comma-or-close' : 'end';
  };
  const fail = (offset: number, kind: string) => ({ offset, kind });
  while (true) {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
    if (i >= text.length) {
      return expect === 'end'
        ? null
        : fail(i, stack.length > 0 ? 'the text ends inside an object or list' : 'the text is empty');
    }
    const c = text[i] as string;
    switch (expect) {
      case 'end':
        return fail(i, 'unexpected text after the JSON value');
      case 'colon':
        if (c !== ':') return fail(i, 'expected ":" after a property name');
        i++;
        expect = 'value';
        continue;
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        const close = top === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
        } else if (c === close) {
          stack.pop();
          i++;
          afterValue();
        } else {
          return fail(i, `expected "," or "${close}"`);
        }
        continue;
      }
      case 'key':
      case 'key-or-close': {
        if (c === '}') {
          if (expect === 'key') return fail(i, 'a comma before "}" (trailing comma)');
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (c !== '"') return fail(i, 'expected a property name in double quotes');
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        expect = 'colon';
        continue;
      }
      case 'value':
      case 'value-or-close': {
        if (c === ']') {
          if (expect === 'value') {
            return fail(
              i,
              stack[stack.length - 1] === '[' ? 'a comma before "]" (trailing comma)' : 'expected a value',
            );
          }
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          expect = c === '{' ? 'key-or-close' : 'value-or-close';
          continue;
        }
        if (c === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          afterValue();
          continue;
        }
        if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const match = NUMBER.exec(text);
          if (!match) return fail(i, 'a malformed number');
          i += match[0].length;
          afterValue();
          continue;
        }
        const literal = LITERALS.find((word) => text.startsWith(word, i));
        if (literal) {
          i += literal.length;
          afterValue();
          continue;
        }
        return fail(i, 'expected a value (object, list, text in double quotes, number, true, false or null)');
      }
    }
  }
}

/** Scans a string starting at the quote at `start`; returns the offset after its closing quote, or the error. */
function scanString(text: string, start: number): number | { offset: number; kind: string } {
  let j = start + 1;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return { offset: j, kind: 'a line break or control character inside text in quotes' };
    if (code === 0x5c) {
      const next = text[j + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6)))
          return { offset: j, kind: 'a malformed \\u escape' };
        j += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) return { offset: j, kind: 'an invalid escape' };
      j += 2;
      continue;
    }
    j++;
  }
  return { offset: start, kind: 'text in quotes that is never closed' };
}

/** The outcome of decoding bytes as UTF-8. */
export type Utf8DecodeResult =
  | { ok: true; text: string }
  | {
      ok: false;
      /** 0-based byte offset of the first invalid byte (a byte-order mark counted) */
      offset: number;
      /** its 1-based line */
      line: number;
      /** what and where, in the one wording of bad bytes ({@link textDecodeWords}), naming the file */
      message: string;
      /** the message and what to do: save the file as UTF-8 */
      problem: FormatProblem;
    };

/**
 * Decodes UTF-8 strictly: invalid bytes are an error with the byte offset and line of the first
 * one, said in the one wording of bad bytes and naming `source` (the file as the user knows it:
 * its name, or "it" in a sentence that names it), never U+FFFD replacement characters (silent
 * replacement would change patient data unseen). A leading byte-order mark is dropped.
 */
export function decodeUtf8Strict(bytes: Uint8Array, source: string): Utf8DecodeResult {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const words = { byteOffset: offset, line, encoding: 'utf-8', source, utf8Only: true } as const;
    return {
      ok: false,
      offset,
      line,
      message: textDecodeWords(words).message,
      problem: problem('', PROBLEM_CODES.invalidUtf8, textDecodeText(words)),
    };
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence; -1 when all are valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min2 = 0x80;
    let max2 = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 === 0xe0) min2 = 0xa0; // overlong
      if (b0 === 0xed) max2 = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 === 0xf0) min2 = 0x90; // overlong
      if (b0 === 0xf4) max2 = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      if (b === undefined) return i;
      const [lo, hi] = k === 1 ? [min2, max2] : [0x80, 0xbf];
      if (b < lo || b > hi) return i;
    }
    i += length;
  }
  return -1;
}
