/**
 * Counts record terminators outside quoted fields — CRLF, LF and CR — in a decoded text stream,
 * so the pre-pass can report mixed line endings, which papaparse would silently swallow (it splits
 * on one line ending; a record ending in another is glued to the next one). A line break inside a
 * quoted field is data, not a terminator, and is not counted.
 *
 * Constraints: streaming over text pieces cut anywhere (a CR at a piece's end waits for the next
 * piece); native `indexOf` jumps rather than a character loop, since this runs over every byte.
 * The CSV reader feeds it record by record ({@link LineEndingFeed}) and tells it which records are
 * plain, so most of the text is counted without a second look: a plain record from a clean state
 * (outside quotes, no CR pending, no record open) adds exactly one expected terminator, or none for
 * an empty line, and leaves the state clean — what scanning its text would do.
 */
import type { LineEnding } from './csvLayout.ts';
import type { LineEndingFeed } from './csvRecords.ts';

/** Rows listed per line ending that is not the file's. */
const MAX_LINE_ENDING_EXAMPLES = 20;

/** Counts of terminators and where the unexpected ones are. */
export interface LineEndingCounts {
  crlf: number;
  lf: number;
  cr: number;
  /** 1-based data rows (header not counted, blank lines skipped) ending with a terminator other than the expected one */
  unexpectedRows: number[];
  unexpected: number;
}

/** The scanner: push text in order (or let the CSV reader feed it), then `finish()`. */
interface LineEndingScanner extends LineEndingFeed {
  push(text: string): void;
  finish(): LineEndingCounts;
}

/**
 * Creates a scanner. `expected` is the file's line ending (the one papaparse splits on); `header`
 * says whether the first record is a header (not a data row). `firstRow` re-bases rows for a
 * byte range of a file.
 */
export function createLineEndingScanner(
  expected: LineEnding,
  quote: string,
  header: boolean,
  firstRow = 1,
): LineEndingScanner {
  const counts: LineEndingCounts = { crlf: 0, lf: 0, cr: 0, unexpectedRows: [], unexpected: 0 };
  let quoted = false;
  let pendingCr = false;
  /** a record has started since the last terminator (blank lines are not records) */
  let recordOpen = false;
  /** records completed */
  let records = 0;
  const dataRowsBefore = header ? 1 : 0;

  function terminate(kind: LineEnding): void {
    if (!recordOpen) return; // a blank line: papaparse skips it, and so do row numbers
    recordOpen = false;
    records++;
    if (kind === '\r\n') counts.crlf++;
    else if (kind === '\n') counts.lf++;
    else counts.cr++;
    if (kind !== expected) {
      const row = records - dataRowsBefore + firstRow - 1;
      counts.unexpected++;
      if (counts.unexpectedRows.length < MAX_LINE_ENDING_EXAMPLES && row >= 1)
        counts.unexpectedRows.push(row);
    }
  }

  return {
    push(text) {
      let i = 0;
      const n = text.length;
      if (n === 0) return;
      // next positions, searched again only once passed (a file without CR must not rescan to its end)
      let nextQuote = -1;
      let nextLf = -1;
      let nextCr = -1;
      const find = (what: string, cached: number) =>
        cached >= i ? cached : (text.indexOf(what, i) + 1 || n + 1) - 1;
      if (pendingCr) {
        pendingCr = false;
        if (text.charCodeAt(0) === 10) {
          terminate('\r\n');
          i = 1;
        } else terminate('\r');
      }
      while (i < n) {
        if (quoted) {
          nextQuote = find(quote, nextQuote);
          const close = nextQuote;
          if (close >= n) return;
          quoted = false; // a doubled quote reopens at once below
          i = close + 1;
          continue;
        }
        // next quote, CR or LF, whichever comes first
        nextQuote = find(quote, nextQuote);
        nextLf = find('\n', nextLf);
        nextCr = find('\r', nextCr);
        const next = Math.min(nextQuote, nextLf, nextCr);
        if (next > i) recordOpen = true;
        if (next === n) return;
        const c = text.charCodeAt(next);
        if (c === 10) {
          terminate('\n');
          i = next + 1;
        } else if (c === 13) {
          if (next + 1 === n) {
            pendingCr = true;
            return;
          }
          if (text.charCodeAt(next + 1) === 10) {
            terminate('\r\n');
            i = next + 2;
          } else {
            terminate('\r');
            i = next + 1;
          }
        } else {
          quoted = true;
          recordOpen = true;
          i = next + 1;
        }
      }
    },
    plainRecord(terminated, empty) {
      if (quoted || pendingCr || recordOpen) return false;
      if (!empty) {
        recordOpen = true;
        if (terminated) terminate(expected);
      }
      return true;
    },
    finish() {
      if (pendingCr) terminate('\r');
      pendingCr = false;
      return counts;
    },
  };
}
