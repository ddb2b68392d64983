/**
 * Strict streaming UTF-8 decoding with byte offsets: ONE `TextDecoder` (fatal) for the whole
 * input, so a multi-byte character cut between two chunks decodes correctly (never decode chunks
 * separately), and bytes that are not UTF-8 are an error that says where — never U+FFFD
 * replacement characters, which would change the data unseen.
 *
 * Pure (no Node or DOM APIs beyond `TextDecoder`): the CLI and the migration workers share it.
 */
import { firstInvalidUtf8Offset } from '../../formats/jsonText.ts';
import { textDecodeText } from './textDecoding.ts';

/**
 * Bytes that are not UTF-8; `byteOffset` is where the first bad sequence starts (0-based, BOM
 * included), `line` its 1-based line when known. Worded as every reader words bad bytes.
 */
export class Utf8DecodeError extends Error {
  override name = 'Utf8DecodeError';
  constructor(
    readonly byteOffset: number,
    readonly source: string,
    readonly line?: number,
  ) {
    super(textDecodeText({ byteOffset, encoding: 'utf-8', source, ...(line === undefined ? {} : { line }) }));
  }
}

/** How many line feeds `bytes` holds (a 0x0A byte is never part of a longer UTF-8 character). */
function lineFeeds(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}

/** A streaming decoder: feed chunks in order, then call `end()`. */
interface Utf8StreamDecoder {
  /** Decodes the next chunk (the bytes may be reused by the caller after it returns). */
  decode(chunk: Uint8Array): string;
  /** Flushes the decoder: a character cut off at the end of the input is an error. */
  end(): string;
}

/** Longest UTF-8 sequence minus one: the most bytes a streaming decoder holds back. */
const MAX_HELD_BYTES = 3;

/** How many bytes at the end of `bytes` start a sequence that is not complete yet. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(MAX_HELD_BYTES, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * Creates a strict streaming decoder. A leading byte-order mark is dropped (the decoder's
 * default); offsets still count it, since they are offsets into the file.
 *
 * @param source the input's name for error messages (a file name)
 */
export function createUtf8StreamDecoder(source: string): Utf8StreamDecoder {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** bytes of the input before the current chunk */
  let offset = 0;
  /** the last bytes of the previous chunk that the decoder may still hold (an incomplete character) */
  let held: Uint8Array = new Uint8Array(0);
  /** line feeds of the input before the current chunk: the bad byte's line */
  let feeds = 0;

  function fail(bytes: Uint8Array, start: number): never {
    const at = firstInvalidUtf8Offset(bytes);
    const end = at < 0 ? bytes.length : at;
    // the held bytes start a character (none is a line feed), counted with their chunk already
    throw new Utf8DecodeError(start + end, source, feeds + lineFeeds(bytes.subarray(0, end)) + 1);
  }

  return {
    decode(chunk) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const joined = new Uint8Array(held.length + chunk.length);
        joined.set(held);
        joined.set(chunk, held.length);
        fail(joined, offset - held.length);
      }
      const tailSource = new Uint8Array(held.length + Math.min(chunk.length, MAX_HELD_BYTES));
      tailSource.set(held);
      tailSource.set(chunk.subarray(chunk.length - Math.min(chunk.length, MAX_HELD_BYTES)), held.length);
      held = tailSource.slice(tailSource.length - incompleteTail(tailSource));
      offset += chunk.length;
      feeds += lineFeeds(chunk);
      return text;
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        // only an incomplete character at the very end can fail here
        throw new Utf8DecodeError(offset - held.length, source, feeds + 1);
      }
    },
  };
}

/** A file read by byte range: what the streaming readers of the CLI and the workers are given. */
export interface Utf8ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * The byte offset in `source` of the character at `charOffset` of its decoded text (as
 * {@link createUtf8StreamDecoder} decodes it: a leading byte-order mark dropped, its bytes counted).
 * Reads the file again from its start, so it is for an error's place, never a hot path.
 */
export async function utf8ByteOfChar(
  source: Utf8ByteSource,
  charOffset: number,
  chunkBytes = 1024 * 1024,
): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  // a byte-order mark is 3 bytes the decoded text does not hold
  const head = await source.read(0, Math.min(3, source.size));
  let bytes = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let chars = 0;
  let offset = 0;
  while (offset < source.size && chars < charOffset) {
    const chunk = await source.read(offset, Math.min(chunkBytes, source.size - offset));
    if (chunk.byteLength === 0) break;
    offset += chunk.byteLength;
    const text = decoder.decode(chunk, { stream: true });
    const take = Math.min(text.length, charOffset - chars);
    for (let i = 0; i < take; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      // a surrogate pair is 4 bytes: 2 for each half
      else if (c >= 0xd800 && c <= 0xdfff) bytes += 2;
      else bytes += 3;
    }
    chars += take;
  }
  return bytes;
}
