/**
 * A bound on the longest XML token a streaming parser is handed. `saxes` buffers a whole
 * attribute value, text run, comment or CDATA section before it reports it; one hostile 64 MiB
 * attribute cost a hundred times its size in memory. An event log's names and values are short,
 * so any run of characters longer than the bound is refused, before the parser sees it, at the
 * line and column where the run started.
 *
 * What is counted: the characters from one `<` to the next (a tag with its attribute values, then
 * the text after it: neither may hold a raw `<`), and a comment or CDATA section from its `<!--` or
 * `<![CDATA[` to its end (they may hold `<`). Line and column are 1-based, as the parser's.
 */

/** The longest run of characters a reader accepts (1 Mi characters). */
export const MAX_XML_TOKEN_CHARS = 1024 * 1024;

interface XmlTokenTooLong {
  line: number;
  column: number;
}

interface XmlTokenLimit {
  /**
   * Scans the next text of the document; returns where an overlong run started, or undefined.
   * Once it has returned a place, later calls return it again.
   */
  scan(text: string): XmlTokenTooLong | undefined;
}

const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

export function createXmlTokenLimit(max = MAX_XML_TOKEN_CHARS): XmlTokenLimit {
  let line = 1;
  let column = 1;
  /** characters in the current run, and where it started */
  let run = 0;
  let runLine = 1;
  let runColumn = 1;
  /** inside a comment or CDATA section: the text that ends it */
  let closer: string | undefined;
  /** the end of the last text, not yet counted: it may be the start of an opener or a closer */
  let carry = '';
  let found: XmlTokenTooLong | undefined;

  /**
   * counts `text[from, to)` into the run and moves the position over it; false once the run is
   * too long. By index, never a substring: nothing is allocated per token.
   */
  const take = (text: string, from: number, to: number) => {
    run += to - from;
    if (run > max) {
      found = { line: runLine, column: runColumn };
      return false;
    }
    let at = text.indexOf('\n', from);
    if (at === -1 || at >= to) {
      column += to - from;
      return true;
    }
    let last = at;
    while (at !== -1 && at < to) {
      line++;
      last = at;
      at = text.indexOf('\n', at + 1);
    }
    column = to - last;
    return true;
  };
  const startRun = () => {
    run = 0;
    runLine = line;
    runColumn = column;
  };
  /** `rest` is the start of `opener`, cut short by the end of the text */
  const cutShort = (rest: string, opener: string) => rest.length < opener.length && opener.startsWith(rest);

  return {
    scan(input) {
      if (found) return found;
      // one flat string: `carry + input` is a rope, and optimised code searching a rope copies it
      // on every search, so a read grew with the square of its chunk size once the scan was hot
      const text = carry === '' ? input : [carry, input].join('');
      carry = '';
      let i = 0;
      while (i < text.length) {
        if (closer !== undefined) {
          const end = text.indexOf(closer, i);
          if (end === -1) {
            const keep = Math.min(closer.length - 1, text.length - i);
            if (!take(text, i, text.length - keep)) return found;
            carry = text.slice(text.length - keep);
            return undefined;
          }
          if (!take(text, i, end + closer.length)) return found;
          i = end + closer.length;
          closer = undefined;
          startRun();
          continue;
        }
        const next = text.indexOf('<', i);
        if (!take(text, i, next === -1 ? text.length : next)) return found;
        if (next === -1) return undefined;
        // a new run starts at this `<`
        i = next;
        startRun();
        const rest = text.slice(i, i + CDATA_OPEN.length);
        if (cutShort(rest, COMMENT_OPEN) || cutShort(rest, CDATA_OPEN)) {
          carry = text.slice(i);
          return undefined;
        }
        const opener = rest.startsWith(COMMENT_OPEN)
          ? COMMENT_OPEN
          : rest.startsWith(CDATA_OPEN)
            ? CDATA_OPEN
            : '<';
        if (opener === COMMENT_OPEN) closer = COMMENT_CLOSE;
        else if (opener === CDATA_OPEN) closer = CDATA_CLOSE;
        if (!take(text, i, i + opener.length)) return found;
        i += opener.length;
      }
      return undefined;
    },
  };
}
