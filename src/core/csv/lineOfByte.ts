/**
 * The line a byte of a file is on, for errors that know only a byte offset (a byte not valid in
 * the encoding, a zero byte): "line 1,204" is what a person finds in an editor. Counted on the
 * bytes, not on decoded text (the text stopped at the bad byte): a line ends at LF, CRLF or a
 * lone CR, in 16-bit units for UTF-16. Reads the file once up to the byte, in chunks: only on
 * such an error, never on a validation's own pass (CSV, and FHIR JSON and NDJSON, read as UTF-8).
 */
import type { CsvLayout } from './csvLayout.ts';
import type { Utf8ByteSource } from './utf8Stream.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/** The 1-based line of the byte at `byteOffset` of `source`, read in `encoding`. */
export async function lineOfByte(
  source: Utf8ByteSource,
  encoding: CsvLayout['encoding'],
  byteOffset: number,
): Promise<number> {
  const width = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
  const low = encoding === 'utf-16be' ? 1 : 0;
  let breaks = 0;
  // the previous unit was a CR: a LF right after it ends the same line
  let afterCr = false;
  const end = Math.min(byteOffset - (byteOffset % width), source.size);
  for (let start = 0; start < end; start += CHUNK_BYTES) {
    const bytes = await source.read(start, Math.min(CHUNK_BYTES, end - start));
    for (let i = 0; i + width <= bytes.length; i += width) {
      const unit = width === 1 ? bytes[i] : (bytes[i + 1 - low] as number) === 0 ? bytes[i + low] : -1;
      if (unit === LF) {
        if (!afterCr) breaks++;
        afterCr = false;
      } else if (unit === CR) {
        breaks++;
        afterCr = true;
      } else afterCr = false;
    }
  }
  return breaks + 1;
}
