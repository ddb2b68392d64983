/**
 * Counting a JSON text's strings as it streams in, before `JSON.parse` sees it: the first text
 * value or property name over its bound is found at its line and column, so a reader can stop
 * and refuse it instead of gathering, parsing and walking a hostile file whole.
 *
 * What is counted: characters (UTF-16 code units) as written, from a string's opening quote to its
 * closing one, escapes included (`\u00e9` counts 6). A string is a property name when it stands
 * where an object expects one (after `{` or, inside an object, after `,`). Nesting is not counted.
 */

/** Which bound a text is over (`line`: an NDJSON line, counted by the readers that split lines). */
export type JsonLimitKind = 'string' | 'name' | 'line';

/** Where a text over a bound starts (1-based line and column) and the bound. */
export interface JsonTooLarge {
  kind: JsonLimitKind;
  line: number;
  column: number;
  max: number;
}

/** Counts one JSON text as it streams in. */
export interface JsonTextLimit {
  /**
   * Counts the next text; returns the first string over its bound, or undefined. Once it has
   * returned one, later calls return it again (until {@link JsonTextLimit.restart}).
   */
  scan(text: string): JsonTooLarge | undefined;
  /** Starts a new JSON text (the next NDJSON line) at `line`, column 1. */
  restart(line: number): void;
}

const QUOTE = 34;
const BACKSLASH = 92;
const LINE_FEED = 10;

/** A counter with the longest text value and property name it lets through. */
export function createJsonStringLimit(
  bounds: { maxStringChars: number; maxNameChars: number },
  firstLine = 1,
): JsonTextLimit {
  const maxString = bounds.maxStringChars;
  const maxName = bounds.maxNameChars;
  let line = firstLine;
  let column = 1;
  let inString = false;
  let escaped = false;
  /** characters of the current string so far, its bound and kind, where it started */
  let run = 0;
  let cap = maxString;
  let kind: JsonLimitKind = 'string';
  let runLine = 1;
  let runColumn = 1;
  /** open containers: 1 an object, 0 a list */
  const open: number[] = [];
  /** the next string is a property name */
  let expectName = false;
  let found: JsonTooLarge | undefined;

  return {
    scan(text) {
      if (found) return found;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            column++;
            continue;
          }
          if (++run > cap) {
            found = { kind, line: runLine, column: runColumn, max: cap };
            return found;
          }
          if (c === LINE_FEED) {
            line++;
            column = 1;
          } else column++;
          continue;
        }
        switch (c) {
          case QUOTE:
            inString = true;
            run = 0;
            kind = expectName ? 'name' : 'string';
            cap = expectName ? maxName : maxString;
            runLine = line;
            runColumn = column;
            expectName = false;
            break;
          case 123: // {
            open.push(1);
            expectName = true;
            break;
          case 91: // [
            open.push(0);
            expectName = false;
            break;
          case 125: // }
          case 93: // ]
            open.pop();
            expectName = false;
            break;
          case 44: // ,
            expectName = open[open.length - 1] === 1;
            break;
          case 58: // :
            expectName = false;
            break;
          case LINE_FEED:
            line++;
            column = 1;
            continue;
        }
        column++;
      }
      return undefined;
    },
    restart(next) {
      line = next;
      column = 1;
      inString = false;
      escaped = false;
      open.length = 0;
      expectName = false;
      found = undefined;
    },
  };
}
