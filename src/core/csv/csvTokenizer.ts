/**
 * The fast path of the CSV reader (csvRecords.ts): a hand-written scanner that reads the records of
 * well-formed delimited text exactly as papaparse's `Parser` does, and stops at the first record
 * papaparse would have to repair or report, so that papaparse reads that one.
 *
 * Why not papaparse for every record: most of papaparse's time from bytes to records is per-row
 * and per-call overhead around the `indexOf`/`substring` any parser needs (a step result object and
 * an errors array per row, a row array grown by `push`). This scanner does the same jumps with fewer
 * calls and allocates one exactly-sized array per row (tests/bench/csvRecords.bench.ts prints the
 * ratio; tests/bench/RESULTS.md has the figures). Papaparse stays the reference: a property test
 * compares the two on arbitrary input, and every record this scanner does not accept is
 * papaparse's to read, errors included.
 *
 * What the scanner accepts — papaparse's reading of it is then certain:
 * - an unquoted field: the text up to the next delimiter or line break (a quote inside it is text,
 *   as papaparse reads it);
 * - a quoted field: a quote at the field's start, text in which a quote is doubled, and a closing
 *   quote followed at once by the delimiter, the line break or (last record) the end of the input.
 * Anything else in a quoted field — text or spaces after the closing quote, no closing quote — is
 * irregular: papaparse reads the record and says what is wrong with it.
 *
 * Constraints: the line break is given (the reader guesses it first); one-character delimiter and
 * quote (others go to papaparse whole). The last record of the text is read only when the text is
 * final: otherwise it may continue in the next chunk ("ignore the last row", as papaparse's
 * streamers parse).
 *
 * Line endings in the same pass: the validation engine counts every line break outside quotes
 * (lineEndings.ts), which used to be a second pass over the text. With `lineBreaks`, the scanner
 * tells for each record whether its only line-break characters outside quoted fields are its own
 * line break and all its quotes are in well-formed quoted fields ({@link ENDING_PLAIN}): the count
 * then needs no look at its text. CR line breaks are not tracked (whether a CR ends a record as CR
 * or CRLF depends on the next record's first character).
 *
 * One string per field, not offsets into the text: every consumer (the plan's checks, the
 * profiles, the key sets, the row objects for ajv, the issue examples) takes strings, and the
 * alternatives measured so far (offsets, one combined `charCodeAt` loop, a per-column cache of
 * recent cells) were no faster; tests/bench/RESULTS.md keeps the figures.
 */

/** {@link RecordScanner.stop}: the text was read to its end (final text only). */
export const SCAN_END = 0;
/** {@link RecordScanner.stop}: the rest of the text is an unfinished record (more text needed). */
export const SCAN_MORE = 1;
/** {@link RecordScanner.stop}: the record at the returned position is papaparse's to read. */
export const SCAN_IRREGULAR = 2;
/** {@link RecordScanner.stop}: a record ended at or after `stopAfter`. */
export const SCAN_LIMIT = 3;

/** {@link RecordSink} `ending`: a plain record ended by the line break (see the file header). */
export const ENDING_PLAIN = 0;
/** {@link RecordSink} `ending`: a plain record without a line break (the input's last). */
const ENDING_NONE = 1;
/** {@link RecordSink} `ending`: a record whose line endings must be counted from its text. */
export const ENDING_OTHER = 2;

/**
 * Receives a record: its fields, where it starts and ends (after its line break) in the text, and
 * its `ending` ({@link ENDING_PLAIN}, {@link ENDING_NONE}, {@link ENDING_OTHER}; always
 * `ENDING_OTHER` unless the scanner tracks line breaks).
 */
type RecordSink = (fields: string[], start: number, end: number, ending: number) => void;

/** The scanner of one reader. */
export interface RecordScanner {
  /**
   * Reads records of `text` from `from` (a record's start) and returns where it stopped: the start
   * of the first record not read. {@link RecordScanner.stop} says why.
   *
   * @param final the text ends the input: its last record needs no line break
   * @param stopAfter stop once a record ends at or after this position (`Infinity`: never)
   */
  scan(text: string, from: number, final: boolean, stopAfter: number): number;
  /** Why the last scan stopped: {@link SCAN_END}, {@link SCAN_MORE}, {@link SCAN_IRREGULAR} or {@link SCAN_LIMIT}. */
  stop: number;
}

/** Delimiters papaparse refuses (it then reads with ","): such a reader is papaparse's alone. */
const PAPAPARSE_BAD_DELIMITERS = ['\r', '\n', '"', '\ufeff'];

/** Whether the scanner reads this syntax exactly as papaparse does. */
export function scannerAccepts(delimiter: string, quote: string): boolean {
  return (
    delimiter.length === 1 &&
    quote.length === 1 &&
    !PAPAPARSE_BAD_DELIMITERS.includes(delimiter) &&
    quote !== delimiter &&
    quote !== '\r' &&
    quote !== '\n'
  );
}

/**
 * Creates a scanner for the syntax, or undefined when it is not one the scanner reads (see
 * {@link scannerAccepts}).
 */
export function createRecordScanner(
  delimiter: string,
  quote: string,
  newline: '\r\n' | '\n' | '\r',
  sink: RecordSink,
  options: { lineBreaks?: boolean } = {},
): RecordScanner | undefined {
  if (!scannerAccepts(delimiter, quote)) return undefined;
  /** find CRs outside quoted fields (LF and CRLF line breaks) */
  const trackCr = options.lineBreaks === true && newline !== '\r';
  /** find LFs outside quoted fields, other than a CRLF's */
  const trackLf = trackCr && newline === '\r\n';
  /** the ending of a plain record with a line break, and without one */
  const plainEnding = trackCr ? ENDING_PLAIN : ENDING_OTHER;
  const plainLastEnding = trackCr ? ENDING_NONE : ENDING_OTHER;
  const quoteCode = quote.charCodeAt(0);
  const delimiterCode = delimiter.charCodeAt(0);
  const newlineFirst = newline.charCodeAt(0);
  /** the second character of "\r\n", or -1 */
  const newlineSecond = newline.length === 2 ? newline.charCodeAt(1) : -1;
  const newlineLength = newline.length;
  const escapedQuote = quote + quote;
  /** fields of the last record: the next record's array is made that long (rows are alike) */
  let width = 1;

  const scanner: RecordScanner = { stop: SCAN_END, scan };

  function scan(text: string, from: number, final: boolean, stopAfter: number): number {
    const at = scanRecords(text, from, final, stopAfter);
    scanner.stop = lastStop;
    return at;
  }

  /**
   * Why {@link scanRecords} stopped, kept in a variable of the closure, not stored on `scanner`
   * at each exit: an exit first taken in optimized code (a chunk ending exactly at a line break,
   * say) deoptimized the whole scanner, with the row loop inlined in it, because its store (or
   * compare) had no type feedback yet; a closure variable's store needs none. The scanner was then
   * compiled again (~0.1 s of compile work each time, measured with --trace-opt/--trace-deopt).
   */
  let lastStop = SCAN_END;

  function scanRecords(text: string, from: number, final: boolean, stopAfter: number): number {
    const n = text.length;
    if (from >= n) {
      lastStop = final ? SCAN_END : SCAN_MORE;
      return from;
    }
    /** "not found" for the cached positions: after every position */
    const none = n + 1;
    let rowStart = from;
    let pos = from;
    let fields: string[] = new Array<string>(width);
    let count = 0;
    let nextDelimiter = text.indexOf(delimiter, pos);
    if (nextDelimiter < 0) nextDelimiter = none;
    let nextNewline = text.indexOf(newline, pos);
    if (nextNewline < 0) nextNewline = none;
    let nextQuote = text.indexOf(quote, pos);
    if (nextQuote < 0) nextQuote = none;
    // the next CR and LF (when tracked) at or after the end of the last quoted field or record
    let nextCr = none;
    let nextLf = none;
    if (trackCr) {
      nextCr = text.indexOf('\r', pos);
      if (nextCr < 0) nextCr = none;
    }
    if (trackLf) {
      nextLf = text.indexOf('\n', pos);
      if (nextLf < 0) nextLf = none;
    }
    /** no line-break character and no quote outside the record's well-formed quoted fields (so far) */
    let plain = true;
    /** the end of the record that just ended (after its line break) */
    let rowEnd: number;

    for (;;) {
      if (nextQuote < pos) {
        nextQuote = text.indexOf(quote, pos);
        if (nextQuote < 0) nextQuote = none;
      }
      if (nextQuote === pos) {
        // a quoted field: it closes at the first quote that is not doubled
        if (nextCr < pos || nextLf < pos) plain = false; // in an unquoted field before it
        let close = pos + 1;
        let escaped = false;
        for (;;) {
          close = text.indexOf(quote, close);
          if (close < 0) {
            // not closed: more text may close it; at the end, papaparse reports it
            lastStop = final ? SCAN_IRREGULAR : SCAN_MORE;
            return rowStart;
          }
          if (close + 1 === n) {
            // a quote at the end: doubled or closing, the next chunk says
            if (final) break;
            lastStop = SCAN_MORE;
            return rowStart;
          }
          if (text.charCodeAt(close + 1) !== quoteCode) break;
          escaped = true;
          close += 2;
        }
        const value = text.substring(pos + 1, close);
        fields[count++] = escaped ? value.replaceAll(escapedQuote, quote) : value;
        pos = close + 1;
        // line breaks inside the field are its text
        if (nextCr < pos) {
          nextCr = text.indexOf('\r', pos);
          if (nextCr < 0) nextCr = none;
        }
        if (nextLf < pos) {
          nextLf = text.indexOf('\n', pos);
          if (nextLf < 0) nextLf = none;
        }
        if (pos === n) {
          // closed at the end of the final text: the last record
          if (count !== fields.length) fields.length = count;
          sink(fields, rowStart, n, plain ? plainLastEnding : ENDING_OTHER);
          lastStop = SCAN_END;
          return n;
        }
        const next = text.charCodeAt(pos);
        if (next === delimiterCode) {
          pos++;
          if (nextDelimiter < pos) {
            nextDelimiter = text.indexOf(delimiter, pos);
            if (nextDelimiter < 0) nextDelimiter = none;
          }
          if (nextNewline < pos) {
            nextNewline = text.indexOf(newline, pos);
            if (nextNewline < 0) nextNewline = none;
          }
          continue;
        }
        if (next !== newlineFirst) {
          lastStop = SCAN_IRREGULAR;
          return rowStart;
        }
        if (newlineSecond < 0) rowEnd = pos + 1;
        else if (pos + 1 === n) {
          // "\r" at the end: "\r\n" cut in two, or text after the quote
          lastStop = final ? SCAN_IRREGULAR : SCAN_MORE;
          return rowStart;
        } else if (text.charCodeAt(pos + 1) === newlineSecond) rowEnd = pos + 2;
        else {
          lastStop = SCAN_IRREGULAR;
          return rowStart;
        }
        if (nextDelimiter < rowEnd) {
          nextDelimiter = text.indexOf(delimiter, rowEnd);
          if (nextDelimiter < 0) nextDelimiter = none;
        }
        if (nextNewline < rowEnd) {
          nextNewline = text.indexOf(newline, rowEnd);
          if (nextNewline < 0) nextNewline = none;
        }
      } else if (nextDelimiter < nextNewline) {
        // an unquoted field ending at a delimiter (a quote inside it is text)
        if (nextQuote < nextDelimiter) plain = false;
        fields[count++] = text.substring(pos, nextDelimiter);
        pos = nextDelimiter + 1;
        nextDelimiter = text.indexOf(delimiter, pos);
        if (nextDelimiter < 0) nextDelimiter = none;
        continue;
      } else if (nextNewline !== none) {
        // an unquoted field ending the record
        if (nextQuote < nextNewline) plain = false;
        fields[count++] = text.substring(pos, nextNewline);
        rowEnd = nextNewline + newlineLength;
        nextNewline = text.indexOf(newline, rowEnd);
        if (nextNewline < 0) nextNewline = none;
      } else {
        // no line break ahead: the last record, when the text is final
        if (!final) {
          lastStop = SCAN_MORE;
          return rowStart;
        }
        fields[count++] = text.substring(pos);
        if (count !== fields.length) fields.length = count;
        if (nextQuote < n || nextCr < n || nextLf < n) plain = false;
        sink(fields, rowStart, n, plain ? plainLastEnding : ENDING_OTHER);
        lastStop = SCAN_END;
        return n;
      }

      // the record ended at a line break: any CR or LF before it is outside quoted fields
      if (count !== fields.length) fields.length = count;
      if (count > 1) width = count;
      if (trackCr) {
        const lineBreak = rowEnd - newlineLength;
        if (nextCr < lineBreak || nextLf < rowEnd - 1) plain = false;
        if (nextCr < rowEnd) {
          nextCr = text.indexOf('\r', rowEnd);
          if (nextCr < 0) nextCr = none;
        }
        if (nextLf < rowEnd) {
          nextLf = text.indexOf('\n', rowEnd);
          if (nextLf < 0) nextLf = none;
        }
      }
      sink(fields, rowStart, rowEnd, plain ? plainEnding : ENDING_OTHER);
      plain = true;
      // compared once for both exits below: the rare one's own compare had no type feedback
      const limit = rowEnd >= stopAfter;
      if (rowEnd === n) {
        if (final) {
          // papaparse reads the empty line after the input's last line break as a record
          sink([''], n, n, plainLastEnding);
          lastStop = SCAN_END;
        } else lastStop = limit ? SCAN_LIMIT : SCAN_MORE;
        return n;
      }
      if (limit) {
        lastStop = SCAN_LIMIT;
        return rowEnd;
      }
      rowStart = rowEnd;
      pos = rowEnd;
      fields = new Array<string>(width);
      count = 0;
    }
  }

  return scanner;
}
