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

/** Where `char` next occurs in `text` from `from`, or the text's length when it does not. */
function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
}

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
  /** The current string is over its bound: found, and kept until the next restart. */
  const over = (): JsonTooLarge => {
    found = { kind, line: runLine, column: runColumn, max: cap };
    return found;
  };

  return {
    scan(text) {
      if (found) return found;
      // where the next quote, backslash and line feed are, from the last search on: inside a
      // string the scan jumps from one to the next (native searches, not a loop per character)
      let nextQuote = -1;
      let nextBackslash = -1;
      let nextLineFeed = -1;
      const end = text.length;
      let i = 0;
      while (i < end) {
        if (inString) {
          if (escaped) {
            // the escaped character counts, whatever it is
            escaped = false;
            if (++run > cap) return over();
            if (text.charCodeAt(i) === LINE_FEED) {
              line++;
              column = 1;
            } else column++;
            i++;
            continue;
          }
          if (nextQuote < i) nextQuote = indexOrEnd(text, '"', i);
          if (nextBackslash < i) nextBackslash = indexOrEnd(text, '\\', i);
          if (nextLineFeed < i) nextLineFeed = indexOrEnd(text, '\n', i);
          const stop = Math.min(nextQuote, nextBackslash, nextLineFeed);
          // the plain characters up to the stop each count one
          const plain = stop - i;
          if (run + plain > cap) return over();
          run += plain;
          column += plain;
          i = stop;
          if (i === end) break;
          const c = text.charCodeAt(i);
          i++;
          if (c === QUOTE) {
            inString = false;
            column++;
            continue;
          }
          if (++run > cap) return over();
          if (c === BACKSLASH) {
            escaped = true;
            column++;
          } else {
            line++;
            column = 1;
          }
          continue;
        }
        const c = text.charCodeAt(i++);
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
