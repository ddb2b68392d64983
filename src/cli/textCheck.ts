/**
 * Whether a CSV file is text in its encoding, judged as the default engine's strict decoder
 * judges it (src/core/csv/textDecoding.ts), for an engine that reads the file itself (DuckDB):
 * the first byte that is not valid in the encoding, or a zero byte (not a text file), as a
 * {@link TextDecodeError} with its line, so the file can be reported as one problem and the run
 * go on. A file that is not UTF-8 is copied as UTF-8 on the way (the engine reads UTF-8 only).
 *
 * A UTF-8 file is checked with Node's native validation (`isUtf8`, about three times faster than
 * decoding, and no text kept); only when it finds a bad byte is the file decoded again with the
 * core's decoder, which says where, in the default engine's words.
 */
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type CsvLayout, createTextStreamDecoder, lineOfByte, TextDecodeError } from '../core/csv/index.ts';
import type { CsvSource } from '../core/validation/index.ts';

const CHUNK_BYTES = 1024 * 1024;
/**
 * Bytes decoded at a time, as the default engine slices its chunks: the decoder looks for a zero
 * byte in a slice before decoding it, so with the same slices the first problem it names is the
 * same one (a zero byte after an invalid byte of the same slice is still "not a text file").
 */
const DECODE_SLICE_BYTES = 128 * 1024;

/** How many bytes at the end of `bytes` start a UTF-8 character that the next chunk completes. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** Whether every byte of `source` is UTF-8 text (no zero byte, no invalid sequence). */
async function isUtf8Text(source: CsvSource): Promise<boolean> {
  let held = new Uint8Array(0);
  for (let offset = 0; offset < source.size; offset += CHUNK_BYTES) {
    const chunk = await source.read(offset, Math.min(CHUNK_BYTES, source.size - offset));
    if (chunk.indexOf(0) >= 0) return false;
    const joined = new Uint8Array(held.length + chunk.length);
    joined.set(held);
    joined.set(chunk, held.length);
    const keep = incompleteTail(joined);
    if (!isUtf8(joined.subarray(0, joined.length - keep))) return false;
    held = joined.slice(joined.length - keep);
  }
  return held.length === 0;
}

/** Decodes `source` with the core's strict decoder, writing the text to `copy` when given. */
async function decodeAll(
  source: CsvSource,
  encoding: CsvLayout['encoding'],
  copy: string | undefined,
): Promise<void> {
  const decoder = createTextStreamDecoder(encoding, source.name);
  const out = copy === undefined ? undefined : createWriteStream(copy);
  try {
    for (let offset = 0; offset < source.size; offset += CHUNK_BYTES) {
      const chunk = await source.read(offset, Math.min(CHUNK_BYTES, source.size - offset));
      for (let at = 0; at < chunk.length; at += DECODE_SLICE_BYTES) {
        const { text } = decoder.decode(chunk.subarray(at, at + DECODE_SLICE_BYTES));
        if (out && !out.write(text)) await once(out, 'drain');
      }
    }
    const { text } = decoder.end();
    out?.write(text);
  } finally {
    if (out) {
      out.end();
      await once(out, 'close');
    }
  }
}

/**
 * Checks that `source` is text in `encoding`; a file not in UTF-8 is written to `copy` as UTF-8
 * (a UTF-8 file with a byte-order mark keeps it: the reader drops it). Returns the first bad
 * byte with its line, or undefined when the file is text.
 */
export async function checkText(
  source: CsvSource,
  encoding: CsvLayout['encoding'],
  copy: string | undefined,
): Promise<TextDecodeError | undefined> {
  try {
    if ((encoding === 'utf-8' || encoding === 'utf-8-bom') && (await isUtf8Text(source))) return undefined;
    await decodeAll(source, encoding, encoding === 'utf-8' || encoding === 'utf-8-bom' ? undefined : copy);
    return undefined;
  } catch (error) {
    if (!(error instanceof TextDecodeError)) throw error;
    return error.line === undefined
      ? error.atLine(await lineOfByte(source, encoding, error.byteOffset))
      : error;
  }
}
