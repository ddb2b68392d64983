/**
 * Text encodings of legacy extracts: detection from the first bytes, an explicit
 * override, and strict streaming decoding that says where the first byte that does not belong
 * to the encoding is — never U+FFFD replacement characters.
 *
 * Constraints:
 * - ONE decoder per input (or per byte range), fed chunks in order: a character cut between two
 *   chunks decodes correctly (decoding chunks separately would corrupt it).
 * - The same bytes give the same text in Node and in browsers. Node 20's
 *   `TextDecoder('windows-1252')` decodes as ISO-8859-1 (0x96 → U+0096 instead of "–"); browsers
 *   follow the WHATWG index. We decode with the platform's single-byte decoder and then map the
 *   0x80–0x9F range through the WHATWG index table ourselves, which is a no-op in browsers and
 *   the fix in Node. (No dependency: the table is 32 entries; iconv-lite would add 300 kB for it.)
 * - Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined. WHATWG decodes them to C1
 *   controls; real text never holds them, so we treat them as bytes that are not Windows-1252
 *   (most likely the file is in another code page) and say where the first one is.
 * - A zero byte in UTF-8 or Windows-1252 is valid in the encoding but never in text: it marks a
 *   binary file (a spreadsheet, a PDF) read as text, and is refused as "not a text file" with its
 *   offset rather than read as cells of garbage.
 * - Each decoded text chunk carries the byte offset its first character starts at, so callers can
 *   map character positions back to byte offsets ({@link createTextPositions}).
 */
import { firstInvalidUtf8Offset } from '../../formats/jsonText.ts';
import { type TextEncodingName, textDecodeText } from '../../formats/textWords.ts';

// the one wording of bad bytes lies in src/formats, where JSON's strict UTF-8 reading says it too
export {
  ENCODING_TITLES,
  TEXT_ENCODINGS,
  type TextDecodeControls,
  type TextEncodingName,
  textDecodeText,
  textDecodeWords,
} from '../../formats/textWords.ts';

/** Bytes that are not valid text in the declared (or detected) encoding. */
export class TextDecodeError extends Error {
  override name = 'TextDecodeError';
  /** 1-based line of the bad byte, when the caller counted it ({@link TextDecodeError.atLine}) */
  readonly line: number | undefined;
  /** the bad byte is a zero byte, which text in a one-byte encoding never holds: a binary file */
  readonly binary: boolean;
  /**
   * data records complete before the bad byte, when the caller counted them
   * ({@link TextDecodeError.afterRecords}): how far the file was read
   */
  readonly records: number | undefined;
  constructor(
    /** 0-based offset into the file (byte-order mark included) of the first bad byte */
    readonly byteOffset: number,
    readonly encoding: TextEncodingName,
    readonly source: string,
    details: { line?: number; binary?: boolean; records?: number } = {},
  ) {
    super(textDecodeText({ byteOffset, encoding, source, ...details }));
    this.line = details.line;
    this.binary = details.binary === true;
    this.records = details.records;
  }

  /** The same error with the bad byte's line. */
  atLine(line: number): TextDecodeError {
    return new TextDecodeError(this.byteOffset, this.encoding, this.source, {
      line,
      binary: this.binary,
      ...(this.records === undefined ? {} : { records: this.records }),
    });
  }

  /** The same error with the records read before the bad byte (undefined: not known). */
  afterRecords(records: number | undefined): TextDecodeError {
    return new TextDecodeError(this.byteOffset, this.encoding, this.source, {
      ...(this.line === undefined ? {} : { line: this.line }),
      binary: this.binary,
      ...(records === undefined ? {} : { records }),
    });
  }
}

/** First zero byte of `chunk`, or -1: text in UTF-8 or Windows-1252 never holds one. */
function zeroByte(chunk: Uint8Array): number {
  return chunk.indexOf(0);
}

/** Length in bytes of each encoding's byte-order mark. */
const BOM_LENGTH: Readonly<Record<TextEncodingName, number>> = {
  'utf-8': 0,
  'utf-8-bom': 3,
  'utf-16le': 2,
  'utf-16be': 2,
  'windows-1252': 0,
};

/**
 * WHATWG index-windows-1252 for 0x80–0x9F (the rest is ISO-8859-1). The five undefined bytes map
 * to themselves here; {@link CP1252_UNDEFINED} rejects them before the table is used.
 */
// biome-ignore format: a code table
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Bytes Windows-1252 leaves undefined. */
export const CP1252_UNDEFINED: readonly number[] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

const C1_RANGE = /[\u0080-\u009f]/g;

function fixC1(ch: string): string {
  return String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80] as number);
}

/** The result of {@link detectEncoding}. */
interface DetectedEncoding {
  encoding: TextEncodingName;
  /** how it was decided, for the UI's "detected as …" note */
  reason: 'bom' | 'valid-utf-8' | 'not-utf-8';
}

/**
 * Detects the encoding from a prefix of the file: a byte-order mark decides; otherwise UTF-8 when
 * the prefix is valid UTF-8 (a character cut at the prefix's end is fine), else Windows-1252 —
 * the code page of the legacy Windows exports this tool meets. Never throws: a Windows-1252 guess
 * that is wrong is reported by the decoder with the offset of the first undefined byte.
 */
export function detectEncoding(prefix: Uint8Array): DetectedEncoding {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf)
    return { encoding: 'utf-8-bom', reason: 'bom' };
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return { encoding: 'utf-16le', reason: 'bom' };
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return { encoding: 'utf-16be', reason: 'bom' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return { encoding: 'utf-8', reason: 'valid-utf-8' };
  } catch {
    return { encoding: 'windows-1252', reason: 'not-utf-8' };
  }
}

/** Parses a user's encoding name ("utf8", "UTF-8", "cp1252", "latin1"…); undefined when unknown. */
export function parseEncodingName(name: string): TextEncodingName | undefined {
  const key = name.trim().toLowerCase().replaceAll('_', '-');
  const aliases: Record<string, TextEncodingName> = {
    'utf-8': 'utf-8',
    utf8: 'utf-8',
    'utf-8-bom': 'utf-8-bom',
    'utf-8-sig': 'utf-8-bom',
    'utf-16le': 'utf-16le',
    'utf-16': 'utf-16le',
    'utf-16be': 'utf-16be',
    'windows-1252': 'windows-1252',
    cp1252: 'windows-1252',
    // what spreadsheets call "Latin-1" is in practice Windows-1252 (as in WHATWG)
    latin1: 'windows-1252',
    'iso-8859-1': 'windows-1252',
  };
  return aliases[key];
}

/** One decoded piece of text and where its first character starts in the file. */
interface DecodedText {
  text: string;
  /** byte offset in the file of `text[0]` (when `text` is not empty) */
  byteStart: number;
  /**
   * UTF-8 only, with {@link TextDecoderOptions.charWidths}: where the text's characters of more
   * than one byte per UTF-16 unit are, read off the bytes as they are decoded, so that
   * {@link TextPositions.byteOf} adds them up instead of re-encoding the text.
   */
  wide?: WideChars;
}

/**
 * The characters of a decoded UTF-8 piece that take more bytes than UTF-16 units (é: 2 bytes,
 * 1 unit; €: 3 bytes, 1 unit; 𝄞: 4 bytes, 2 units), in text order.
 */
interface WideChars {
  count: number;
  /** position in the piece's text of each such character */
  at: Int32Array;
  /** bytes beyond one per unit of the characters up to and including this one (a running sum) */
  extra: Int32Array;
}

/** Options of {@link createTextStreamDecoder}. */
interface TextDecoderOptions {
  /**
   * Give UTF-8 pieces their {@link DecodedText.wide} index (the validation engine maps every
   * record's start to a byte offset); costs one pass over the bytes, 4 at a time.
   */
  charWidths?: boolean;
}

/** A strict streaming decoder: feed chunks in order, then `end()`. */
interface TextStreamDecoder {
  readonly encoding: TextEncodingName;
  /** Decodes the next chunk (the caller may reuse the bytes after it returns). */
  decode(chunk: Uint8Array): DecodedText;
  /** Flushes: an incomplete character at the end of the input is an error. */
  end(): DecodedText;
}

/** Offset (in bytes) of the first lone surrogate in UTF-16 bytes, or -1 (an odd last byte is not checked). */
function firstInvalidUtf16Offset(bytes: Uint8Array, littleEndian: boolean): number {
  let pendingHigh = -1;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const unit = littleEndian
      ? (bytes[i] as number) | ((bytes[i + 1] as number) << 8)
      : ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (pendingHigh >= 0) {
      if (!low) return pendingHigh;
      pendingHigh = -1;
    } else if (low) return i;
    else if (high) pendingHigh = i;
  }
  return pendingHigh;
}

/**
 * Creates a strict streaming decoder for `encoding`. For encodings with a byte-order mark the
 * mark is expected at the start of the file (and dropped); offsets count it.
 *
 * @param startOffset the file offset of the first byte fed (a byte range of the file); a range
 *   that does not start at 0 carries no byte-order mark
 * @param source the input's name for error messages
 */
export function createTextStreamDecoder(
  encoding: TextEncodingName,
  source: string,
  startOffset = 0,
  options: TextDecoderOptions = {},
): TextStreamDecoder {
  /** file offset of the next byte fed */
  let offset = startOffset;
  /** bytes of the previous chunks the decoder holds (an incomplete character) */
  let held = new Uint8Array(0);
  /** bytes of a byte-order mark not yet consumed (checked against the first chunk's bytes) */
  let bomLeft = -1;

  if (encoding === 'windows-1252') {
    const platform = new TextDecoder('windows-1252');
    return {
      encoding,
      decode(chunk) {
        const zero = zeroByte(chunk);
        if (zero >= 0) throw new TextDecodeError(offset + zero, encoding, source, { binary: true });
        for (const bad of CP1252_UNDEFINED) {
          const at = chunk.indexOf(bad);
          if (at >= 0) {
            // the earliest of the undefined bytes
            let first = at;
            for (const other of CP1252_UNDEFINED) {
              const o = chunk.indexOf(other);
              if (o >= 0 && o < first) first = o;
            }
            throw new TextDecodeError(offset + first, encoding, source);
          }
        }
        const byteStart = offset;
        offset += chunk.length;
        return { text: platform.decode(chunk).replace(C1_RANGE, fixC1), byteStart };
      },
      end() {
        return { text: '', byteStart: offset };
      },
    };
  }

  if (encoding === 'utf-8' || encoding === 'utf-8-bom')
    return createUtf8Decoder(encoding, source, startOffset, options.charWidths === true);

  // UTF-16: the platform's streaming decoder; ignoreBOM: false drops a leading mark (a range
  // starting mid-file has none)
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: startOffset !== 0 });
  const littleEndian = encoding === 'utf-16le';

  return {
    encoding,
    decode(chunk) {
      if (bomLeft < 0) bomLeft = startOffset === 0 ? bomAt(chunk, encoding) : 0;
      const byteStart = offset - held.length + bomLeft;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const joined = new Uint8Array(held.length + chunk.length);
        joined.set(held);
        joined.set(chunk, held.length);
        const at = firstInvalidUtf16Offset(joined, littleEndian);
        throw new TextDecodeError(offset - held.length + (at < 0 ? joined.length : at), encoding, source);
      }
      // the bytes the decoder still holds: half a UTF-16 unit, or a high surrogate waiting for
      // its low half
      const joinedLength = held.length + chunk.length;
      const joined = new Uint8Array(Math.min(joinedLength, 4));
      const tailFromChunk = Math.min(chunk.length, joined.length);
      const tailFromHeld = joined.length - tailFromChunk;
      joined.set(held.subarray(held.length - tailFromHeld));
      joined.set(chunk.subarray(chunk.length - tailFromChunk), tailFromHeld);
      let keep = joinedLength % 2;
      if (keep === 0 && joinedLength >= 2) {
        const hi = littleEndian ? joined[joined.length - 1] : joined[joined.length - 2];
        if ((hi as number) >= 0xd8 && (hi as number) <= 0xdb) keep = 2;
      }
      held = joined.slice(joined.length - keep);
      offset += chunk.length;
      bomLeft -= Math.min(bomLeft, joinedLength - keep);
      return { text, byteStart };
    },
    end() {
      const byteStart = offset - held.length;
      try {
        return { text: decoder.decode(), byteStart };
      } catch {
        throw new TextDecodeError(offset - held.length, encoding, source);
      }
    },
  };
}

/**
 * How many bytes at the end of `bytes[0, end)` are the start of a UTF-8 character that may still be
 * completed by the next bytes: 0 when the last character is complete, or when its bytes so far are
 * already not UTF-8 (decoding them fails now, at their offset).
 */
function utf8PendingTail(bytes: Uint8Array, end: number): number {
  for (let back = 1; back <= Math.min(3, end); back++) {
    const lead = bytes[end - back] as number;
    if ((lead & 0xc0) === 0x80) continue;
    const length = lead >= 0xf5 || lead < 0xc2 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (length <= back) return 0;
    if (back === 1) return 1;
    // the second byte's range depends on the lead (no overlong forms, surrogates or code points
    // past U+10FFFF); the bytes after it are any continuation byte
    const second = bytes[end - back + 1] as number;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low && second <= high ? back : 0;
  }
  return 0;
}

/**
 * The strict decoder of {@link createTextStreamDecoder} for UTF-8: each chunk is decoded whole
 * (not in the decoder's streaming mode, which in Node 20 takes about twice the CPU), less the bytes
 * of a character it cuts, which are held and decoded with the next chunk. A leading byte-order mark
 * of "utf-8-bom" is skipped here; plain "utf-8" keeps it as a U+FEFF character.
 */
function createUtf8Decoder(
  encoding: 'utf-8' | 'utf-8-bom',
  source: string,
  startOffset: number,
  withWidths: boolean,
): TextStreamDecoder {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** file offset of the next byte fed */
  let offset = startOffset;
  /** the last bytes fed that are not decoded yet: a character not complete yet */
  let held = new Uint8Array(0);
  /** bytes of a byte-order mark not yet skipped; -1 until enough bytes came to tell */
  let bomLeft = encoding === 'utf-8-bom' && startOffset === 0 ? -1 : 0;

  function decodeOrFail(bytes: Uint8Array, start: number): string {
    try {
      return decoder.decode(bytes);
    } catch {
      const at = firstInvalidUtf8Offset(bytes);
      throw new TextDecodeError(start + (at < 0 ? bytes.length : at), encoding, source);
    }
  }

  return {
    encoding,
    decode(chunk) {
      const zero = zeroByte(chunk);
      if (zero >= 0) throw new TextDecodeError(offset + zero, encoding, source, { binary: true });
      const previousHeld = held;
      const joinedLength = held.length + chunk.length;
      const joinedStart = offset - held.length;
      let joined = chunk;
      if (held.length > 0) {
        joined = new Uint8Array(joinedLength);
        joined.set(held);
        joined.set(chunk, held.length);
      }
      offset += chunk.length;
      if (bomLeft < 0) {
        // a mark cut by the first chunk: wait for its third byte
        if (joinedLength < 3 && [0xef, 0xbb].every((b, i) => i >= joinedLength || joined[i] === b)) {
          held = joined.slice();
          return { text: '', byteStart: joinedStart };
        }
        bomLeft = bomAt(joined, 'utf-8-bom');
      }
      const keep = utf8PendingTail(joined, joinedLength);
      const skip = Math.min(bomLeft, joinedLength - keep);
      const text = decodeOrFail(joined.subarray(skip, joinedLength - keep), joinedStart + skip);
      held = joined.slice(joinedLength - keep);
      const piece: DecodedText = { text, byteStart: joinedStart + skip };
      // the bytes that made `text`: the held bytes, then this chunk's, less the bytes held now
      // and the byte-order mark skipped here
      if (withWidths) {
        const wide = wideChars(previousHeld, chunk, skip, joinedLength - keep, text.length);
        if (wide !== undefined) piece.wide = wide;
      }
      bomLeft -= skip;
      return piece;
    },
    end() {
      const byteStart = offset - held.length;
      const text = held.length > 0 ? decodeOrFail(held, byteStart) : '';
      held = new Uint8Array(0);
      return { text, byteStart };
    },
  };
}

/** Length of the byte-order mark of `encoding` at the start of `bytes` (0 when absent). */
function bomAt(bytes: Uint8Array, encoding: TextEncodingName): number {
  const marks: Partial<Record<TextEncodingName, number[]>> = {
    'utf-8-bom': [0xef, 0xbb, 0xbf],
    'utf-16le': [0xff, 0xfe],
    'utf-16be': [0xfe, 0xff],
  };
  const mark = marks[encoding];
  if (!mark || bytes.length < mark.length) return 0;
  return mark.every((b, i) => bytes[i] === b) ? BOM_LENGTH[encoding] : 0;
}

/** Bit 7 of each byte of a 32-bit word (as an int32): set in every byte of a multi-byte UTF-8 sequence. */
const HIGH_BITS = 0x80808080 | 0;
/** Bytes per word; the scan tests 4 words (16 bytes) at a time. */
const WORD_BYTES = 4;
const GROUP_BYTES_LOG2 = 4;
const GROUP_BYTES = 1 << GROUP_BYTES_LOG2;

/** Scratch lists, grown as needed; each piece gets a copy of what it uses. */
let scratchAt = new Int32Array(4096);
let scratchExtra = new Int32Array(4096);
let scratchCount = 0;
/** the extra bytes of the wide characters listed so far */
let scratchExtraSoFar = 0;

/**
 * Lists the lead bytes of multi-byte characters in `bytes[from, to)`; `shift` turns an index of
 * `bytes` into a byte offset of the piece being decoded.
 */
function listLeads(bytes: Uint8Array, from: number, to: number, shift: number): void {
  let count = scratchCount;
  let extraSoFar = scratchExtraSoFar;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if (b < 0xc0) continue; // ASCII, or a continuation byte
    if (count === scratchAt.length) {
      const at = new Int32Array(count * 2);
      at.set(scratchAt);
      scratchAt = at;
      const extra = new Int32Array(count * 2);
      extra.set(scratchExtra);
      scratchExtra = extra;
    }
    scratchAt[count] = i + shift - extraSoFar;
    // 2 bytes for 1 unit, 3 bytes for 1 unit, 4 bytes for 2 units (a surrogate pair)
    extraSoFar += b >= 0xe0 ? 2 : 1;
    scratchExtra[count] = extraSoFar;
    count++;
  }
  scratchCount = count;
  scratchExtraSoFar = extraSoFar;
}

/** {@link listLeads} for a chunk: whole 16-byte groups of ASCII are skipped with 4 word tests. */
function listChunkLeads(chunk: Uint8Array, from: number, to: number, shift: number): void {
  const misaligned = (chunk.byteOffset + from) & (WORD_BYTES - 1);
  let i = misaligned === 0 ? from : from + WORD_BYTES - misaligned;
  if (i > to) i = to;
  listLeads(chunk, from, i, shift);
  const groups = (to - i) >>> GROUP_BYTES_LOG2;
  if (groups > 0) {
    listGroupLeads(
      chunk,
      new Int32Array(chunk.buffer, chunk.byteOffset + i, groups * (GROUP_BYTES / WORD_BYTES)),
      i,
      shift,
    );
    i += groups * GROUP_BYTES;
  }
  listLeads(chunk, i, to, shift);
}

/**
 * The word loop of {@link listChunkLeads}, alone in its function: nothing after the loop, so the
 * code optimized while the loop runs (on-stack replacement) has nothing to learn after it.
 */
function listGroupLeads(chunk: Uint8Array, words: Int32Array, start: number, shift: number): void {
  const wordCount = words.length;
  for (let w = 0; w < wordCount; w += 4) {
    const a = words[w] as number;
    const b = words[w + 1] as number;
    const c = words[w + 2] as number;
    const d = words[w + 3] as number;
    if (((a | b | c | d) & HIGH_BITS) === 0) continue;
    const at = start + w * WORD_BYTES;
    if ((a & HIGH_BITS) !== 0) listLeads(chunk, at, at + 4, shift);
    if ((b & HIGH_BITS) !== 0) listLeads(chunk, at + 4, at + 8, shift);
    if ((c & HIGH_BITS) !== 0) listLeads(chunk, at + 8, at + 12, shift);
    if ((d & HIGH_BITS) !== 0) listLeads(chunk, at + 12, at + 16, shift);
  }
}

/** The {@link WideChars} of a piece without any (shared: nobody writes into it). */
const NO_WIDE_CHARS: WideChars = Object.freeze({ count: 0, at: new Int32Array(0), extra: new Int32Array(0) });

/**
 * Why the index is built for (nearly) every piece of the bench extract, ASCII-heavy as it is: its
 * names carry accents (Chloé, Peña), 2.03 wide characters a row, so 12.5 % of its 16-byte groups
 * hold one and every 128 KiB piece has some; each row's byte offset is asked for (the key sets
 * keep it), so the whole index is read. Its cost is small next to the pass (tests/bench/RESULTS.md);
 * a piece with no wide character skips it.
 *
 * The {@link WideChars} of the valid UTF-8 bytes `held ++ chunk` from `from` to `to` (offsets in
 * that joined sequence, both on character boundaries), which decoded to `units` UTF-16 units;
 * undefined when they do not add up to `units` (then byteOf counts the text itself). ASCII is
 * skipped 16 bytes at a time: most bytes of an extract are ASCII.
 */
function wideChars(
  held: Uint8Array,
  chunk: Uint8Array,
  from: number,
  to: number,
  units: number,
): WideChars | undefined {
  // as many bytes as units: every character is one byte (a wide one has more bytes than units),
  // so an ASCII piece (most of an extract, all of many) needs no pass over its bytes
  if (to - from === units) return NO_WIDE_CHARS;
  scratchCount = 0;
  scratchExtraSoFar = 0;
  const heldLength = held.length;
  // offsets in the piece: joined offset - from
  if (from < heldLength) listLeads(held, from, to < heldLength ? to : heldLength, -from);
  const chunkFrom = from > heldLength ? from - heldLength : 0;
  const chunkTo = to - heldLength;
  if (chunkTo > chunkFrom) listChunkLeads(chunk, chunkFrom, chunkTo, heldLength - from);
  if (to - from - scratchExtraSoFar !== units) return undefined;
  const count = scratchCount;
  return { count, at: scratchAt.slice(0, count), extra: scratchExtra.slice(0, count) };
}

/** UTF-8 length of `text` from `from` to `to` (code units; surrogate pairs are 4 bytes). */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Maps character positions of the decoded text stream (0 = the first character decoded) back to
 * byte offsets in the file, for the decoded pieces still held. Queries must not go backwards past
 * {@link TextPositions.forgetBefore}; memory is the text not yet forgotten (about one chunk).
 */
interface TextPositions {
  /** Records the next decoded piece. */
  add(piece: DecodedText): void;
  /** Byte offset of the character at `charPos` (or of the end of the text when it equals the length). */
  byteOf(charPos: number): number;
  /** Drops pieces wholly before `charPos`: no later query will ask for them. */
  forgetBefore(charPos: number): void;
}

/** Creates a {@link TextPositions} for `encoding`. */
export function createTextPositions(encoding: TextEncodingName): TextPositions {
  const unitBytes = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
  const fixedWidth = unitBytes === 2 || encoding === 'windows-1252';
  const pieces: { charStart: number; byteStart: number; text: string; wide: WideChars | undefined }[] = [];
  let chars = 0;
  let bytesEnd = 0;
  // per-piece cursor so that increasing queries walk each piece once: the characters counted
  // (without `wide`) or the wide characters passed (with it), and the bytes they add
  let cursorPiece = -1;
  let cursorChar = 0;
  let cursorByte = 0;
  return {
    add(piece) {
      if (piece.text.length === 0) {
        bytesEnd = piece.byteStart;
        return;
      }
      // in UTF-8 a piece is ASCII exactly when it has as many bytes as characters; the next
      // piece's byteStart tells its byte length, so byteOf decides lazily
      pieces.push({ charStart: chars, byteStart: piece.byteStart, text: piece.text, wide: piece.wide });
      chars += piece.text.length;
      bytesEnd = piece.byteStart;
    },
    byteOf(charPos) {
      let index = pieces.length - 1;
      while (index > 0 && (pieces[index] as { charStart: number }).charStart > charPos) index--;
      const piece = pieces[index];
      if (!piece) return bytesEnd;
      const within = charPos - piece.charStart;
      if (fixedWidth) return piece.byteStart + within * unitBytes;
      const wide = piece.wide;
      if (wide !== undefined) {
        // bytes = one per unit, plus the extra bytes of the wide characters before `within`
        if (wide.count === 0) return piece.byteStart + within;
        if (cursorPiece !== index || (cursorChar > 0 && (wide.at[cursorChar - 1] as number) >= within)) {
          cursorPiece = index;
          cursorChar = 0;
        }
        let k = cursorChar;
        while (k < wide.count && (wide.at[k] as number) < within) k++;
        cursorChar = k;
        return piece.byteStart + within + (k > 0 ? (wide.extra[k - 1] as number) : 0);
      }
      const next = pieces[index + 1];
      if (next && next.byteStart - piece.byteStart === piece.text.length) return piece.byteStart + within;
      if (cursorPiece !== index || cursorChar > within) {
        cursorPiece = index;
        cursorChar = 0;
        cursorByte = 0;
      }
      cursorByte += utf8Length(piece.text, cursorChar, within);
      cursorChar = within;
      return piece.byteStart + cursorByte;
    },
    forgetBefore(charPos) {
      let drop = 0;
      while (drop + 1 < pieces.length && (pieces[drop + 1] as { charStart: number }).charStart <= charPos)
        drop++;
      if (drop > 0) {
        pieces.splice(0, drop);
        cursorPiece = cursorPiece >= drop ? cursorPiece - drop : -1;
      }
    },
  };
}
