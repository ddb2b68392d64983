/**
 * The compression codecs a Parquet file's pages may use, each with a bound on what one page may
 * unpack to. Writers in use (pyarrow, DuckDB, Spark, parquet-mr) write Snappy, GZIP, ZSTD, Brotli,
 * LZ4 (Hadoop's framing or raw blocks) and LZ4_RAW; all of these are read. LZO (deprecated by the
 * format, written by no current writer) is refused before any row is read, naming the codec, the
 * column and the writer, so the user knows which setting to change in the export.
 *
 * Constraints:
 * - Each decompressor allocates the page's uncompressed size as its header says it: a header that
 *   claims more than {@link MAX_PAGE_BYTES} is refused before the allocation (a page built to fill
 *   the memory: a dictionary bomb), with the limit in the words. An uncompressed page is already
 *   in memory at its stored size, which the file's own size bounds.
 * - Snappy stays hyparquet's own JS decoder: the WebAssembly one grows a memory that never shrinks.
 */
import type { CompressionCodec, Compressors, FileMetaData } from 'hyparquet';
import { snappyUncompress } from 'hyparquet';
import {
  decompressBrotli,
  decompressGzip,
  decompressLz4,
  decompressLz4Raw,
  decompressZstd,
} from 'hyparquet-compressors';
import { byteSizeWords } from '../byteSize/index.ts';

/**
 * The most one page may unpack to. Writers cut pages at about 1 MB (a dictionary page at the
 * column chunk's distinct values, rarely over a few tens of MB); a page over this is damaged or
 * hostile.
 */
export const MAX_PAGE_BYTES = 256 * 1024 * 1024;

/** A page whose header claims more than the bound ({@link MAX_PAGE_BYTES} by default) unpacked. */
export class PageTooLarge extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `a page claims ${byteSizeWords(bytes)} unpacked, over the ${byteSizeWords(limit)} a page may unpack to`,
    );
  }
}

type Decode = (input: Uint8Array, outputLength: number) => Uint8Array;

/** The decoders by codec, each refusing a page over `maxPageBytes` before it allocates. */
export function boundedCompressors(maxPageBytes = MAX_PAGE_BYTES): Compressors {
  const capped =
    (decode: Decode): Decode =>
    (input, outputLength) => {
      if (!(outputLength >= 0 && outputLength <= maxPageBytes))
        throw new PageTooLarge(outputLength, maxPageBytes);
      return decode(input, outputLength);
    };
  return {
    SNAPPY: capped((input, length) => {
      const output = new Uint8Array(length);
      snappyUncompress(input, output);
      return output;
    }),
    GZIP: capped(decompressGzip),
    BROTLI: capped(decompressBrotli),
    // the output buffer is the page's size: a frame that unpacks to more fails, never grows
    ZSTD: capped((input, length) => decompressZstd(input, new Uint8Array(length))),
    LZ4: capped(decompressLz4),
    LZ4_RAW: capped(decompressLz4Raw),
  };
}

/** The decoders by codec with the default bound (handed to hyparquet's reader). */
export const COMPRESSORS: Compressors = boundedCompressors();

/** Whether pages of `codec` can be read. */
function readable(codec: CompressionCodec): boolean {
  return codec === 'UNCOMPRESSED' || COMPRESSORS[codec] !== undefined;
}

/**
 * The first column chunk whose codec cannot be read, as words naming the codec, the column and the
 * writer (the footer's `created_by`); undefined when every chunk can be read.
 */
export function unreadableCodec(metadata: FileMetaData): string | undefined {
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || readable(meta.codec)) continue;
      const writer = metadata.created_by ? `"${metadata.created_by}"` : 'a writer that does not name itself';
      return `column ${meta.path_in_schema.join('.')} is compressed with ${meta.codec}, which Preflight does not read (written by ${writer}). Export it again with Snappy, GZIP, ZSTD, Brotli, LZ4 or no compression`;
    }
  }
  return undefined;
}
