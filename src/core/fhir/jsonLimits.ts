/**
 * Bounds on FHIR JSON text, checked while it streams in, before `JSON.parse` sees it. A 100 MB
 * text value in one NDJSON line used to be gathered whole, parsed and walked: about 1.4 GB at the
 * peak for the CLI. Every text value, property name and NDJSON line is counted as it arrives, and
 * the first one over its bound is refused at its line and column; the reader drops the rest of
 * that resource's text instead of holding it.
 *
 * What is counted: characters (UTF-16 code units) as written, from a string's opening quote to its
 * closing one, escapes included (`\u00e9` counts 6). A string is a property name when it stands
 * where an object expects one (after `{` or, inside an object, after `,`). Nesting is not bounded
 * here: `JSON.parse` reads any depth without recursion, and nesting.ts refuses a resource deeper
 * than every layer can walk, at its element.
 */
import type { FhirIssue } from './issues.ts';
import { fhirIssue } from './issues.ts';

/** Longest text value accepted: 16 Mi characters (FHIR's own bound on a string is 1 MB). */
export const MAX_JSON_STRING_CHARS = 16 * 1024 * 1024;
/** Longest property name accepted: 1,024 characters (FHIR's element names are under 64). */
export const MAX_JSON_NAME_CHARS = 1024;
/** Longest NDJSON line (one resource) accepted: 64 Mi characters. */
export const MAX_NDJSON_LINE_CHARS = 64 * 1024 * 1024;

/** Which bound a text is over. */
export type JsonLimitKind = 'string' | 'name' | 'line';

/** Where a text over a bound starts (1-based line and column) and the bound. */
export interface JsonTooLarge {
  kind: JsonLimitKind;
  line: number;
  column: number;
  max: number;
}

/** The bounds of one reader; every one has its default above. */
export interface JsonLimitOptions {
  maxStringChars?: number;
  maxNameChars?: number;
  maxLineChars?: number;
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

export function createJsonTextLimit(options: JsonLimitOptions = {}, firstLine = 1): JsonTextLimit {
  const maxString = options.maxStringChars ?? MAX_JSON_STRING_CHARS;
  const maxName = options.maxNameChars ?? MAX_JSON_NAME_CHARS;
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

/** The one issue of a resource whose text is over a bound: it was not read, the rest of the run was. */
export function jsonTooLargeIssue(found: JsonTooLarge): FhirIssue {
  const bound = found.max.toLocaleString('en-US');
  const where = `line ${found.line.toLocaleString('en-US')}, column ${found.column.toLocaleString('en-US')}`;
  const message =
    found.kind === 'line'
      ? `This line is longer than ${bound} characters, more than any one resource needs, so it was not read. Export it in smaller resources (large attachments as Binary resources fetched by URL), then validate again`
      : found.kind === 'name'
        ? `The property name starting at ${where} is longer than ${bound} characters, which no FHIR element has, so this resource was not read. Check that the file is a FHIR export, then validate again`
        : `The text starting at ${where} is longer than ${bound} characters, so this resource was not read. Export it without that element (a large attachment as a Binary resource fetched by URL), then validate again`;
  return { ...fhirIssue('fhir-json-too-long', '', message), line: found.line, column: found.column };
}
