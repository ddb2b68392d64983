/**
 * Limits on what a client may send, applied before any route sees a body: a hostile or broken
 * client cannot make the server hold a huge body or walk a deeply nested one.
 */

/** The largest request body accepted: a project's shared records are far smaller. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The deepest nesting of arrays and objects accepted in a JSON body. */
export const MAX_JSON_DEPTH = 32;

/** Thrown for a body nested deeper than {@link MAX_JSON_DEPTH}. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
}

/**
 * Parses `text` as JSON and refuses nesting deeper than `maxDepth`. The depth is counted on the
 * text before parsing (brackets outside strings), so a deep body is refused without building it.
 *
 * @throws {JsonTooDeepError} for a body nested too deeply; SyntaxError for one that is not JSON.
 */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth)
        throw new JsonTooDeepError(
          `the request body is nested more than ${maxDepth} levels deep (at character ${i}): send a flatter body`,
        );
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return JSON.parse(text);
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
