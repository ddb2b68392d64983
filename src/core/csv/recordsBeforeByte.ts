/**
 * How far a file was read before a fatal bad byte (not text, or not in its encoding): the data
 * records complete before it. The pass that met the byte stopped and counts none of its records,
 * so "0 records" alone would hide that hundreds were read; this tells where the file broke in the
 * clinic's terms. Reads the file once up to the byte, in chunks: only on such an error, never on a
 * validation's own pass (as {@link lineOfByte}).
 */

import type { CsvLayout } from './csvLayout.ts';
import { createCsvRecordReader } from './csvRecords.ts';
import { createTextStreamDecoder } from './textDecoding.ts';
import type { Utf8ByteSource } from './utf8Stream.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The data records of `source` that end before the byte at `byteOffset` (the header not counted
 * when the layout has one); undefined when the bytes before it cannot be read as records either.
 */
export async function recordsBeforeByte(
  source: Utf8ByteSource & { name?: string },
  layout: CsvLayout,
  byteOffset: number,
): Promise<number | undefined> {
  const decoder = createTextStreamDecoder(layout.encoding, source.name ?? 'input');
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    noHeader: !layout.header,
  });
  const end = Math.min(byteOffset, source.size);
  let records = 0;
  try {
    for (let start = 0; start < end; start += CHUNK_BYTES) {
      const bytes = await source.read(start, Math.min(CHUNK_BYTES, end - start));
      records += reader.push(decoder.decode(bytes).text).length;
    }
  } catch {
    // a record too long, or a character cut by the bad byte: the count so far is no answer
    return undefined;
  }
  // the record the bad byte is in has not ended: it is not counted (no finish())
  return records;
}
