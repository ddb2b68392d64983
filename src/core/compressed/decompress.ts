/**
 * Compressed text files (`patients.csv.gz`, `Patient.ndjson.gz`, `visits.csv.zst`), as warehouse
 * unloads and FHIR bulk exports routinely are: decompressed as a stream, chunk by chunk, so the
 * reader after it (a file in the CLI's run folder, a `Blob` in the browser) sees the text as if it
 * had been chosen uncompressed. Lines and byte positions are then those of the decompressed text,
 * and the words that name them say so ({@link DECOMPRESSED_POSITIONS}).
 *
 * Constraints:
 * - gzip through the platform's `DecompressionStream` (browsers, Node 18+); Zstandard through
 *   fzstd's streaming decoder (pure JS, the one hyparquet-compressors uses), block by block.
 * - The output is bounded ({@link decompressedLimit}): a file that unpacks to more is refused with
 *   the limit in the words, as soon as the bound is passed — never after filling the disk or the
 *   memory (a compression bomb).
 * - Pure: no Node, no DOM beyond the streams every platform has.
 */
import { Decompress } from 'fzstd';
import { byteSizeWords } from '../byteSize/index.ts';

/** A compression a text file may come in. */
export type Compression = 'gzip' | 'zstd';

/** The compression a file's name says (`.gz`, `.gzip`; `.zst`, `.zstd`), or undefined. */
export function compressionOf(name: string): Compression | undefined {
  if (/\.gz(ip)?$/i.test(name)) return 'gzip';
  if (/\.zstd?$/i.test(name)) return 'zstd';
  return undefined;
}

/** The name without its compression suffix: what the text is (`patients.csv.gz` → `patients.csv`). */
export function withoutCompression(name: string): string {
  return name.replace(/\.(gz|gzip|zst|zstd)$/i, '');
}

/** What every message about a position in a compressed file adds. */
export const DECOMPRESSED_POSITIONS = 'lines and byte positions are those of the decompressed text';

/** Smallest bound on a file's decompressed text, whatever its compressed size. */
const MIN_DECOMPRESSED_BYTES = 1024 * 1024 * 1024;
/** How many times its compressed size a text may unpack to (real CSV: 3 to 15 times). */
const EXPANSION = 64;

/** The most text a file of `compressedBytes` may unpack to: 64 times its size, at least 1 GiB. */
export function decompressedLimit(compressedBytes: number): number {
  return Math.max(MIN_DECOMPRESSED_BYTES, compressedBytes * EXPANSION);
}

/** A compressed file that cannot be read: not that compression, cut short, or over the bound. */
export class DecompressError extends Error {
  override name = 'DecompressError';
}

/** A compressed input: its name in messages, its size and a reader of byte ranges. */
export interface CompressedSource {
  name: string;
  size: number;
  read: (offset: number, length: number) => Promise<Uint8Array>;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * A read of the compressed file failed or was stopped (a cancelled job): passed on as it is, not
 * worded as damaged data.
 */
class SourceFailed extends Error {
  constructor(readonly reason: unknown) {
    super('the compressed file could not be read');
  }
}

/** The compressed bytes, a chunk at a time (each a copy: a reader may reuse its buffer). */
async function* compressedChunks(source: CompressedSource): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; ) {
    let bytes: Uint8Array;
    try {
      bytes = await source.read(offset, Math.min(CHUNK_BYTES, source.size - offset));
    } catch (error) {
      throw new SourceFailed(error);
    }
    if (bytes.byteLength === 0) return;
    offset += bytes.byteLength;
    yield bytes.slice();
  }
}

function tooLarge(source: CompressedSource, limit: number): DecompressError {
  return new DecompressError(
    `"${source.name}" unpacks to more than ${byteSizeWords(limit)} of text (the limit: ${EXPANSION} times its ${byteSizeWords(source.size)} compressed, at least ${byteSizeWords(MIN_DECOMPRESSED_BYTES)}), so it was not read: it may be built to fill the disk or the memory. Decompress it and check the file, or split it into smaller files.`,
  );
}

function damaged(source: CompressedSource, compression: Compression): DecompressError {
  const what = compression === 'gzip' ? 'gzip' : 'Zstandard';
  return new DecompressError(
    `"${source.name}" could not be decompressed: it is not ${what} data, or the file is cut short. Compress it again, or choose the file uncompressed.`,
  );
}

/**
 * Compressed bytes handed to the gzip stream at once. The stream decodes a piece it is given
 * whole before it waits for its reader, and deflate unpacks up to about 1,032 times: 16 KiB
 * bounds what one piece can pile up to about 17 MB, where a 1 MiB chunk could pile up 1 GB.
 */
const GZIP_PIECE_BYTES = 16 * 1024;

/** gzip through the platform's stream, fed a piece at a time as its reader asks for more. */
async function* gunzipped(source: CompressedSource): AsyncGenerator<Uint8Array> {
  const chunks = compressedChunks(source);
  let rest: Uint8Array = new Uint8Array(0);
  const input = new ReadableStream<BufferSource>(
    {
      async pull(controller) {
        if (rest.byteLength === 0) {
          const next = await chunks.next();
          if (next.done) {
            controller.close();
            return;
          }
          rest = next.value;
        }
        controller.enqueue(rest.subarray(0, GZIP_PIECE_BYTES) as Uint8Array<ArrayBuffer>);
        rest = rest.subarray(GZIP_PIECE_BYTES);
      },
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Thrown from inside a decoder once its output passes the bound, so it stops at once. */
class OverBound extends Error {}

/**
 * Zstandard through fzstd's streaming decoder: each block (at most 128 KiB) handed on as it is
 * decoded. One compressed chunk may hold thousands of blocks, so the bound is checked as each is
 * decoded, not after the chunk.
 */
async function* unzstd(source: CompressedSource, maxBytes: number): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let total = 0;
  const decoder = new Decompress((data) => {
    total += data.byteLength;
    if (total > maxBytes) throw new OverBound();
    out.push(data);
  });
  let last: Uint8Array | undefined;
  for await (const chunk of compressedChunks(source)) {
    if (last !== undefined) decoder.push(last);
    last = chunk;
    for (const data of out) yield data;
    out = [];
  }
  decoder.push(last ?? new Uint8Array(0), true);
  for (const data of out) yield data;
}

/**
 * The decompressed text of `source`, in chunks as they are decoded. Throws
 * {@link DecompressError} for data that is not of `compression` or is cut short, and as soon as
 * the text passes `maxBytes` (by default {@link decompressedLimit}).
 */
export async function* decompressedChunks(
  source: CompressedSource,
  compression: Compression,
  { maxBytes = decompressedLimit(source.size) }: { maxBytes?: number } = {},
): AsyncGenerator<Uint8Array> {
  const chunks = compression === 'gzip' ? gunzipped(source) : unzstd(source, maxBytes);
  let total = 0;
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      if (error instanceof SourceFailed) throw error.reason;
      throw error instanceof OverBound ? tooLarge(source, maxBytes) : damaged(source, compression);
    }
    if (next.done) return;
    total += next.value.byteLength;
    if (total > maxBytes) {
      await chunks.return(undefined);
      throw tooLarge(source, maxBytes);
    }
    yield next.value;
  }
}
