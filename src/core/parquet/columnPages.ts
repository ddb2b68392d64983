/**
 * One flat column of one row group, read a page at a time: the reader fetches the column chunk's
 * bytes in windows, unpacks one data page (and the chunk's dictionary page) and hands its values
 * out as rows are asked for. A row group of 5M rows, or 600 columns side by side, then costs one
 * page per column in memory, never the group's values at once.
 *
 * A page is held compactly and its values made a slice at a time: writers put a whole row group
 * in one page (DuckDB writes a 5M-row chunk as one page), and 5M values as JavaScript values take
 * ~100 MB a column where their dictionary indices take 20 MB and their nulls 5 MB. So presence is
 * a byte per row, dictionary pages' values are indices until handed out, and plain byte arrays
 * (strings) are read from the page's bytes as handed out; other encodings are decoded whole
 * (numbers, in typed arrays).
 *
 * hyparquet's `parquetRead` reads a column chunk whole and decodes all of its pages before it
 * answers; its page functions (`parquetHeader`, `decompressPage`, `readRleBitPackedHybrid`,
 * `readPlain`, `convert`, exported under `hyparquet/src/*.js`) decode the same pages, so values
 * are those of the whole read (the differential test holds them to DuckDB's CSV).
 *
 * Constraints: flat columns only (one leaf, not repeated): a nested or repeated column's rows
 * span pages and are assembled across leaves, which hyparquet does for a whole chunk. Errors
 * name the column and the byte where the chunk is damaged, never a value.
 */
import type { AsyncBuffer, ColumnMetaData, DecodedArray } from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { byteSizeWords } from '../byteSize/index.ts';
import { text as utf8Text } from './cellText.ts';

/** hyparquet's decoder of one leaf column (its type is not exported by name). */
export type ColumnDecoder = Parameters<typeof readPage>[2];

/** A column chunk that cannot be read page by page: the message says where. */
export class ColumnPageError extends Error {
  override name = 'ColumnPageError';
}

/** Rows of one column handed out in order. */
export interface ColumnPages {
  /**
   * The next `count` values (nulls as `null` or `undefined`), reading pages as needed, in an
   * array (or typed array) of their own: the caller may keep it or write over it.
   */
  take(count: number): Promise<ArrayLike<unknown>>;
  /**
   * Passes over the next `count` values: a data page whose rows all lie among them is not
   * unpacked (its header says its rows), so reading one row back decodes its own page only.
   */
  skip(count: number): Promise<void>;
  /**
   * true once a string decoded from the chunk holds a zero character (a CSV reader refuses such
   * text as not text), found as strings are made: a dictionary's once, a plain page's as handed
   * out (or passed over)
   */
  readonly zero: boolean;
}

/** Whether a column's strings held a zero character ({@link ColumnPages.zero}). */
interface ZeroSeen {
  zero: boolean;
}

/** Notes in `seen` whether any string of `values` holds a zero character. */
function noteZero(values: ArrayLike<unknown>, seen: ZeroSeen): void {
  if (seen.zero) return;
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (typeof value === 'string' && value.indexOf('\0') !== -1) {
      seen.zero = true;
      return;
    }
  }
}

/** Bytes of one chunk held at most, besides the page being decoded (bounded by the caller). */
export interface WindowBytes {
  window: number;
  maxPageBytes: number;
}

/**
 * The pages of `meta`'s chunk in `file`, decoded with `decoder` (hyparquet's column decoder for
 * the leaf), `rows` values in all.
 */
export function columnPages(
  file: AsyncBuffer,
  meta: ColumnMetaData,
  decoder: ColumnDecoder,
  rows: number,
  { window, maxPageBytes }: WindowBytes,
): ColumnPages {
  const name = meta.path_in_schema.join('.');
  const chunkStart = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const chunkEnd = chunkStart + Number(meta.total_compressed_size);
  if (!(chunkStart >= 0 && chunkEnd <= file.byteLength && chunkEnd >= chunkStart))
    throw new ColumnPageError(
      `column ${name} names bytes ${chunkStart} to ${chunkEnd}, outside the file's ${file.byteLength} bytes`,
    );
  // the bytes held: [held, held + bytes.length) of the file
  let bytes = new Uint8Array(0);
  let held = chunkStart;
  // where the next page header starts
  let at = chunkStart;
  let dictionary: DecodedArray | undefined;
  let page: FlatPage = EMPTY_PAGE;
  let inPage = 0;
  let handed = 0;
  const seen: ZeroSeen = { zero: false };

  /** Holds at least `length` bytes from `from` (up to the chunk's end), reading a window. */
  const hold = async (from: number, length: number) => {
    if (from >= held && from + length <= held + bytes.length) return;
    const end = Math.min(chunkEnd, from + Math.max(length, window));
    bytes = new Uint8Array((await file.slice(from, end)) as ArrayBuffer);
    held = from;
  };

  /**
   * Decodes the next page: false at the chunk's end. A data page of no more than `passRows` rows
   * is passed over undecoded: its rows, else 0.
   */
  const nextPage = async (passRows = 0): Promise<false | number> => {
    if (at >= chunkEnd) return false;
    // a header is a few dozen bytes (a few KB with statistics): read more until it parses
    let want = Math.min(4096, chunkEnd - at);
    let header: ReturnType<typeof parquetHeader>;
    let headerEnd: number;
    for (;;) {
      await hold(at, want);
      const reader = { view: view(bytes, at - held, bytes.length - (at - held)), offset: 0 };
      try {
        header = parquetHeader(reader);
        headerEnd = at + reader.offset;
        break;
      } catch (error) {
        if (at + want >= chunkEnd || want >= maxPageBytes)
          throw new ColumnPageError(
            `column ${name}: the page header at byte ${at} cannot be read (${error instanceof Error ? error.message : String(error)})`,
          );
        want = Math.min(chunkEnd - at, want * 4);
      }
    }
    const size = header.compressed_page_size;
    if (!(size >= 0 && headerEnd + size <= chunkEnd && size <= maxPageBytes))
      throw new ColumnPageError(
        `column ${name}: the page at byte ${at} claims ${size} bytes, beyond its column chunk or over the ${byteSizeWords(maxPageBytes)} a page may take`,
      );
    await hold(at, headerEnd - at + size);
    const reader = { view: view(bytes, headerEnd - held, size), offset: 0 };
    at = headerEnd + size;
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, decoder, undefined, undefined, 0);
      if (data) {
        dictionary = convert(data, decoder);
        noteZero(dictionary, seen);
      }
      return 0;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') return 0; // an index page
    // a flat column's page holds a value or a null per row: its values are its rows
    const pageRows = header.data_page_header_v2?.num_rows ?? header.data_page_header?.num_values ?? 0;
    if (passRows > 0 && pageRows > 0 && pageRows <= passRows) {
      if (at >= held + bytes.length) bytes = new Uint8Array(0);
      return pageRows;
    }
    page = flatPage(
      new Uint8Array(reader.view.buffer, reader.view.byteOffset, size),
      header,
      decoder,
      dictionary,
      seen,
    );
    inPage = 0;
    // a window read to its end is let go: a page the size of its chunk is held once, unpacked
    if (at >= held + bytes.length) bytes = new Uint8Array(0);
    return 0;
  };

  /** Past the footer's rows, or a chunk that ends before them. */
  const short = (count: number) =>
    new ColumnPageError(`column ${name} holds ${count} values where its footer says ${rows} rows`);

  return {
    get zero() {
      return seen.zero;
    },
    async take(count) {
      /** the values, once the first page read holds fewer than `count` or a null among them */
      let out: unknown[] | undefined;
      /** the values when one page holds them all, none null: its own array, not copied */
      let whole: ArrayLike<unknown> | undefined;
      let filled = 0;
      while (filled < count) {
        if (inPage >= page.rows) {
          page = EMPTY_PAGE;
          if (handed + filled >= rows || (await nextPage()) === false) throw short(handed + filled);
          continue;
        }
        const n = Math.min(count - filled, page.rows - inPage);
        const { present } = page;
        if (present === undefined && n === count) whole = page.next(n);
        else {
          out ??= new Array<unknown>(count);
          if (present === undefined) {
            const values = page.next(n);
            for (let k = 0; k < n; k++) out[filled + k] = values[k];
          } else {
            let some = 0;
            for (let k = inPage; k < inPage + n; k++) some += ((present[k >> 3] as number) >> (k & 7)) & 1;
            const values = page.next(some);
            for (let k = 0, v = 0, r = inPage; k < n; k++, r++)
              out[filled + k] = ((present[r >> 3] as number) >> (r & 7)) & 1 ? values[v++] : null;
          }
        }
        filled += n;
        inPage += n;
      }
      handed += count;
      // the last rows handed out: the chunk's bytes and pages can go
      if (handed >= rows) {
        bytes = new Uint8Array(0);
        page = EMPTY_PAGE;
        dictionary = undefined;
      }
      return whole ?? out ?? [];
    },
    async skip(count) {
      let passed = 0;
      while (passed < count) {
        if (inPage >= page.rows) {
          page = EMPTY_PAGE;
          if (handed + passed >= rows) throw short(handed + passed);
          const over = await nextPage(count - passed);
          if (over === false) throw short(handed + passed);
          passed += over;
          continue;
        }
        // passed over without making their values (a byte array's bytes are still read past)
        const n = Math.min(count - passed, page.rows - inPage, SKIP_SLICE);
        let some = n;
        const { present } = page;
        if (present !== undefined) {
          some = 0;
          for (let k = inPage; k < inPage + n; k++) some += ((present[k >> 3] as number) >> (k & 7)) & 1;
        }
        page.next(some, true);
        passed += n;
        inPage += n;
      }
      handed += count;
    },
  };
}

/** What a page hands back for values passed over. */
const NONE: readonly unknown[] = [];

/** Values passed over at a time within a page. */
const SKIP_SLICE = 4096;

/** One data page of a flat column: its rows, which hold a value, and its values in order. */
interface FlatPage {
  rows: number;
  /** a bit per row (row k: bit k & 7 of byte k >> 3), set for a value, clear for a null; undefined when every row has one */
  present: Uint8Array | undefined;
  /**
   * the next `count` values (of the rows with one), converted as hyparquet converts them, in an
   * array of their own (handed on by `take`)
   */
  next(count: number, pass?: boolean): ArrayLike<unknown>;
}

const EMPTY_PAGE: FlatPage = { rows: 0, present: undefined, next: () => [] };

/**
 * A data page (v1 or v2, `bytes` as stored) of a flat column, its values made as asked for where
 * the encoding allows (see the file header).
 */
function flatPage(
  bytes: Uint8Array,
  header: ReturnType<typeof parquetHeader>,
  decoder: ColumnDecoder,
  dictionary: DecodedArray | undefined,
  seen: ZeroSeen,
): FlatPage {
  const { type, element, codec, compressors } = decoder;
  // a flat column is optional (levels 0 and 1) or required (no levels)
  const optional = element.repetition_type === 'OPTIONAL';
  let rows: number;
  let encoding: string;
  let present: Uint8Array | undefined;
  let page: Uint8Array;
  const v2 = header.data_page_header_v2;
  const v1 = header.data_page_header;
  if (v2 !== undefined) {
    rows = v2.num_values;
    encoding = v2.encoding;
    const levels = { view: view(bytes, 0, bytes.length), offset: v2.repetition_levels_byte_length };
    if (optional) {
      present = levelBits(rows, (out) =>
        readRleBitPackedHybrid(levels, 1, out, v2.definition_levels_byte_length),
      );
    }
    const start = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
    const size = header.uncompressed_page_size - start;
    page = bytes.subarray(start);
    if (v2.is_compressed !== false && size > 0) page = decompressPage(page, size, codec, compressors);
  } else if (v1 !== undefined) {
    rows = v1.num_values;
    encoding = v1.encoding;
    page = decompressPage(bytes, header.uncompressed_page_size, codec, compressors);
  } else throw new Error('a data page has no data page header');
  const values = { view: view(page, 0, page.length), offset: 0 };
  if (v1 !== undefined && optional) {
    present = levelBits(rows, (levels) => readRleBitPackedHybrid(values, 1, levels));
  }
  let count = rows;
  if (present !== undefined) {
    count = 0;
    for (let k = 0; k < rows; k++) count += ((present[k >> 3] as number) >> (k & 7)) & 1;
    if (count === rows) present = undefined;
  }
  if (encoding.endsWith('_DICTIONARY') || (encoding === 'RLE' && type !== 'BOOLEAN')) {
    if (dictionary === undefined)
      throw new Error('a dictionary-encoded page comes before any dictionary page');
    const width = count > 0 ? values.view.getUint8(values.offset++) : 0;
    // the narrowest array that holds every index the page's bit width can write
    const indices =
      width <= 8 ? new Uint8Array(count) : width <= 16 ? new Uint16Array(count) : new Int32Array(count);
    if (width > 0)
      readRleBitPackedHybrid(values, width, indices as unknown as DecodedArray, page.length - values.offset);
    return { rows, present, next: fromDictionary(indices, dictionary) };
  }
  if (encoding === 'PLAIN' && type === 'BYTE_ARRAY' && isText(decoder)) {
    const next = fromText(values, count, seen);
    if (next !== undefined) return { rows, present, next };
  }
  if (encoding === 'PLAIN' && (type === 'BYTE_ARRAY' || type === 'FIXED_LEN_BYTE_ARRAY'))
    return { rows, present, next: fromBytes(values, decoder, seen) };
  // numbers (plain, delta, byte stream split), booleans: compact once decoded, so decoded whole
  let all: DecodedArray;
  if (encoding === 'PLAIN') all = readPlain(values, type, count, element.type_length);
  else if (v2 !== undefined) all = readDataPageV2(bytes, header, decoder).dataPage;
  else all = readDataPage(page, v1 as NonNullable<typeof v1>, decoder).dataPage;
  return { rows, present, next: fromDecoded(all, decoder, seen) };
}

/** One byte per level while a page's levels are read, reused: kept as bits (a page is 1M+ rows). */
let scratch = new Uint8Array(0);

/** The definition levels `read` writes (0 or 1 for a flat column), `rows` of them, as bits. */
function levelBits(rows: number, read: (levels: Uint8Array) => void): Uint8Array {
  if (scratch.length < rows) scratch = new Uint8Array(rows);
  const levels = scratch.subarray(0, rows);
  levels.fill(0);
  read(levels);
  const bits = new Uint8Array((rows + 7) >> 3);
  for (let k = 0; k < rows; k++) if (levels[k]) bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
  return bits;
}

// Each page's values are made by a function of its own, so that it holds only what it reads (a
// closure keeps its whole scope: the page's bytes would stay with its indices).

/** Values of dictionary `indices` in order. */
function fromDictionary(indices: ArrayLike<number>, dictionary: DecodedArray): FlatPage['next'] {
  let at = 0;
  return (n, pass) => {
    if (pass) {
      at += n;
      return NONE;
    }
    const out = new Array<unknown>(n);
    for (let k = 0; k < n; k++) {
      const index = indices[at + k] as number;
      if (!(index < dictionary.length))
        throw new Error(`a dictionary index (${index}) is beyond its dictionary`);
      out[k] = dictionary[index];
    }
    at += n;
    return out;
  };
}

/** Byte arrays read from the page's bytes (`values`, at the first) as they are asked for. */
function fromBytes(
  values: { view: DataView; offset: number },
  decoder: ColumnDecoder,
  seen: ZeroSeen,
): FlatPage['next'] {
  return (n, pass) => {
    const plain = readPlain(values, decoder.type, n, decoder.element.type_length);
    if (pass) return NONE;
    const out = convert(plain, decoder);
    noteZero(out, seen);
    return out;
  };
}

/** Whether `decoder`'s column holds UTF-8 text, which hyparquet converts with `stringFromBytes`. */
function isText(decoder: ColumnDecoder): boolean {
  const { converted_type: ctype, logical_type: ltype } = decoder.element;
  return ctype === 'UTF8' || ltype?.type === 'STRING';
}

/**
 * One byte a character (windows-1252, as WHATWG names Latin-1): a page's bytes decoded at once,
 * each ASCII cell then a slice of that text; undefined where the runtime has no such decoder.
 */
const bytewise: TextDecoder | undefined = (() => {
  try {
    return new TextDecoder('windows-1252');
  } catch {
    return undefined;
  }
})();

/** Any character a byte of 0x80 or more decodes to. */
const NOT_ASCII = /[\u0080-\uffff]/g;

/**
 * Bytes of a page decoded at once by {@link fromText}. A cell sliced from their text keeps it
 * alive while the cell is held (the engine detaches what it keeps, but its caches hold cells): at
 * 64 KiB a window the bench's CLI run peaked 60 MB higher than at 8 KiB, which cost no more CPU.
 */
const TEXT_WINDOW_BYTES = 8 * 1024;

/**
 * The `count` strings of a plain page of UTF-8 byte arrays (`values`, at the first): the page is
 * decoded a window at a time, a byte a character; an ASCII value is a slice of that text (the
 * characters its UTF-8 decodes to), any other decoded on its own as `stringFromBytes` does (its
 * parser: the text, or the marker of bytes that are not UTF-8). A decoder call per value cost
 * more than Snappy.
 */
function fromText(
  values: { view: DataView; offset: number },
  count: number,
  seen: ZeroSeen,
): FlatPage['next'] | undefined {
  if (bytewise === undefined) return undefined;
  const decoder = bytewise;
  const { view } = values;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let at = values.offset;
  let made = 0;
  // the window's text (length prefixes included, skipped when sliced) and its first byte
  let text = '';
  let textAt = at;
  // the next character not ASCII in the window (a length's byte, or a value's), or its end
  let high = -1;
  return (n, pass) => {
    if (made + n > count) throw new Error(`a page holds ${count} values, not ${made + n}`);
    if (pass) {
      // passed over by their lengths, no string made
      for (let k = 0; k < n; k++) {
        if (at + 4 > bytes.length) throw new Error('a value runs past the end of its page');
        at += 4 + view.getUint32(at, true);
        if (at > bytes.length) throw new Error('a value runs past the end of its page');
      }
      made += n;
      return NONE;
    }
    const out = new Array<unknown>(n);
    for (let k = 0; k < n; k++) {
      if (at + 4 > bytes.length) throw new Error('a value runs past the end of its page');
      const length = view.getUint32(at, true);
      const from = at + 4;
      const to = from + length;
      if (to > bytes.length) throw new Error('a value runs past the end of its page');
      if (to > textAt + text.length) {
        text = decoder.decode(
          bytes.subarray(at, Math.min(bytes.length, Math.max(to, at + TEXT_WINDOW_BYTES))),
        );
        textAt = at;
        high = -1;
      }
      if (high < from) {
        NOT_ASCII.lastIndex = from - textAt;
        high = NOT_ASCII.test(text) ? NOT_ASCII.lastIndex - 1 + textAt : textAt + text.length;
      }
      const value = high < to ? utf8Text(bytes.subarray(from, to)) : text.slice(from - textAt, to - textAt);
      if (typeof value === 'string' && value.indexOf('\0') !== -1) seen.zero = true;
      out[k] = value;
      at = to;
    }
    made += n;
    return out;
  };
}

/** Values decoded whole (`all`), converted as they are asked for. */
function fromDecoded(all: DecodedArray, decoder: ColumnDecoder, seen: ZeroSeen): FlatPage['next'] {
  let at = 0;
  return (n, pass) => {
    if (pass) {
      at += n;
      return NONE;
    }
    const slice = all.slice(at, at + n) as DecodedArray;
    at += n;
    const out = convert(slice, decoder);
    noteZero(out, seen);
    return out;
  };
}

/** A view of `length` bytes of `bytes` from `offset`. */
function view(bytes: Uint8Array, offset: number, length: number): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, length);
}
