/**
 * The layout of a delimited text file as the validation engine reads it — encoding, delimiter,
 * quote, header, line ending — detected from its first bytes, shown, and overridable. Extends
 * {@link sniffHeader}'s first look with UTF-16, explicit overrides and the line ending.
 */
import { guessDelimiter } from './sniffHeader.ts';
import {
  createTextStreamDecoder,
  detectEncoding,
  TextDecodeError,
  type TextEncodingName,
} from './textDecoding.ts';

/** Line endings (record terminators). */
export type LineEnding = '\r\n' | '\n' | '\r';

/** How a CSV file is read. */
export interface CsvLayout {
  encoding: TextEncodingName;
  delimiter: string;
  quote: string;
  /** the first record names the columns */
  header: boolean;
  lineEnding: LineEnding;
}

/** What was detected and what was given (the UI shows "detected" next to each overridable field). */
export interface SniffedLayout extends CsvLayout {
  detected: { encoding: boolean; delimiter: boolean; lineEnding: boolean };
}

/** Bytes read to detect the layout. */
export const LAYOUT_SNIFF_BYTES = 64 * 1024;

/** The first line break outside quotes; undefined when the text has none. */
function firstLineEnding(text: string, quote = '"'): LineEnding | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === quote) quoted = !quoted;
    else if (!quoted && ch === '\n') return '\n';
    else if (!quoted && ch === '\r') return text[i + 1] === '\n' || i + 1 === text.length ? '\r\n' : '\r';
  }
  return undefined;
}

/** Decodes as much of a prefix as is valid (the main pass reports the bad byte with its offset). */
function decodePrefix(prefix: Uint8Array, encoding: TextEncodingName): string {
  const decoder = createTextStreamDecoder(encoding, 'prefix');
  try {
    return decoder.decode(prefix).text;
  } catch (error) {
    if (!(error instanceof TextDecodeError) || error.byteOffset === 0) return '';
    return decodePrefix(prefix.subarray(0, error.byteOffset), encoding);
  }
}

/**
 * Detects the layout from the first bytes (pass up to {@link LAYOUT_SNIFF_BYTES}); each field of
 * `given` overrides detection. Never throws: an empty prefix gives the defaults (UTF-8, comma, CRLF).
 */
export function sniffCsvLayout(prefix: Uint8Array, given: Partial<CsvLayout> = {}): SniffedLayout {
  const encoding = given.encoding ?? detectEncoding(prefix).encoding;
  const quote = given.quote ?? '"';
  const text = decodePrefix(prefix, encoding).replace(/^\ufeff/, '');
  const ending = firstLineEnding(text, quote);
  const firstLine = ending === undefined ? text : text.slice(0, text.indexOf(ending));
  return {
    encoding,
    delimiter: given.delimiter ?? guessDelimiter(firstLine),
    quote,
    header: given.header ?? true,
    lineEnding: given.lineEnding ?? ending ?? '\r\n',
    detected: {
      encoding: given.encoding === undefined,
      delimiter: given.delimiter === undefined,
      lineEnding: given.lineEnding === undefined && ending !== undefined,
    },
  };
}
