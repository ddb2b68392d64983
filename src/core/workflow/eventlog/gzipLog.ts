/**
 * Gzipped event logs (`helpdesk.xes.gz`, `log.csv.gz`): decompressed with the platform's streaming
 * `DecompressionStream` (browsers, Node 18+), then read as the name without `.gz` says — XES or CSV.
 *
 * Constraints:
 * - Memory stays bounded by a chunk, whatever the log unpacks to: the decompressed text is never
 *   gathered. A first pass counts it (the readers ask for the size up front, and a gzip trailer
 *   gives it only modulo 4 GiB), refusing a log past its bound before any of it is read; each
 *   read after that is served from a live decompression, restarted from the beginning when a
 *   reader goes back (the readers read front to back, once per pass).
 * - The bound is the one on any compressed text (core/compressed): 64 times the compressed size,
 *   at least 1 GiB. A preview decompresses only its first bytes.
 * - Pure (no DOM, no Node): the CLI and the event-log worker share it.
 */
import { DecompressError, decompressedChunks, decompressedLimit } from '../../compressed/index.ts';
import type { LogInput } from './csvLog.ts';

/** True for a file name ending in `.gz`. */
export function isGzipped(name: string): boolean {
  return /\.gz$/i.test(name);
}

/** The name without `.gz`: what the log is once decompressed (`helpdesk.xes.gz` → `helpdesk.xes`). */
function withoutGzip(name: string): string {
  return name.replace(/\.gz$/i, '');
}

/** True for a log read as XES: `.xes`, or `.xes.gz`. */
export function isXesName(name: string): boolean {
  return /\.xes$/i.test(withoutGzip(name));
}

/** Thrown when a `.gz` file is not gzip data, is cut short, or unpacks past its bound. */
export class GzipLogError extends Error {}

/** The decompressed chunks of `input`, with the core's refusals as {@link GzipLogError}. */
async function* gunzipped(input: LogInput, limit: number): AsyncGenerator<Uint8Array> {
  try {
    yield* decompressedChunks(input, 'gzip', { maxBytes: limit });
  } catch (error) {
    if (error instanceof DecompressError) throw new GzipLogError(error.message);
    throw error;
  }
}

/**
 * Decompresses `input` (gzip) and returns the log as a {@link LogInput} named without `.gz`,
 * read as a stream: a log of any size costs a chunk of memory. With `maxBytes` (a preview), only
 * the first `maxBytes` are decompressed, and held. A log that unpacks past `limit` (the core's
 * bound on compressed text: 64 times its size, at least 1 GiB) is refused with the file, the
 * limit and what to do in the words, before any of it is handed on. @throws {GzipLogError}
 */
export async function gunzipLog(
  input: LogInput,
  maxBytes = Number.POSITIVE_INFINITY,
  { limit = decompressedLimit(input.size) }: { limit?: number } = {},
): Promise<LogInput> {
  const name = withoutGzip(input.name);
  if (Number.isFinite(maxBytes)) return inMemoryLog(name, await firstBytes(input, maxBytes, limit));
  let size = 0;
  for await (const part of gunzipped(input, limit)) size += part.byteLength;
  return streamedLog(name, size, () => gunzipped(input, limit));
}

/** The first `maxBytes` of the decompressed text (fewer when it is shorter). */
async function firstBytes(input: LogInput, maxBytes: number, limit: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(Math.max(0, maxBytes));
  let at = 0;
  // leaving the loop ends the stream: a preview reads no further
  for await (const part of gunzipped(input, limit)) {
    const take = Math.min(part.byteLength, bytes.length - at);
    bytes.set(part.subarray(0, take), at);
    at += take;
    if (at >= bytes.length) break;
  }
  return bytes.subarray(0, at);
}

/**
 * A log of `size` bytes whose text `open` yields front to back, each time it is called: reads in
 * order are served from one pass; a read before the last one starts a new pass. Each read is a
 * copy of at most its length, so no reader holds more than it asked for.
 */
function streamedLog(name: string, size: number, open: () => AsyncGenerator<Uint8Array>): LogInput {
  let chunks: AsyncGenerator<Uint8Array> | undefined;
  /** Offset in the text of `pending`'s first byte. */
  let at = 0;
  /** Decoded bytes not yet handed on. */
  let pending: Uint8Array = new Uint8Array(0);
  /** The next decoded bytes (never empty), or undefined at the end of the text. */
  const next = async (stream: AsyncGenerator<Uint8Array>): Promise<Uint8Array | undefined> => {
    for (;;) {
      const step = await stream.next();
      if (step.done) return undefined;
      if (step.value.byteLength > 0) return step.value;
    }
  };
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    try {
      return await readAt(offset, length);
    } catch (error) {
      // a pass that failed is not resumed: the next read starts a new one
      chunks = undefined;
      throw error;
    }
  };
  const readAt = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset >= size || length <= 0) return new Uint8Array(0);
    if (chunks === undefined || offset < at) {
      await chunks?.return(undefined);
      chunks = open();
      at = 0;
      pending = new Uint8Array(0);
    }
    const stream = chunks;
    while (at + pending.byteLength <= offset) {
      at += pending.byteLength;
      const more = await next(stream);
      if (more === undefined) {
        pending = new Uint8Array(0);
        return pending;
      }
      pending = more;
    }
    pending = pending.subarray(offset - at);
    at = offset;
    const out = new Uint8Array(Math.min(length, size - offset));
    let filled = 0;
    while (filled < out.length) {
      if (pending.byteLength === 0) {
        const more = await next(stream);
        if (more === undefined) break;
        pending = more;
      }
      const take = Math.min(pending.byteLength, out.length - filled);
      out.set(pending.subarray(0, take), filled);
      filled += take;
      at += take;
      pending = pending.subarray(take);
    }
    return out.subarray(0, filled);
  };
  return { name, size, read };
}

/** A log held in memory, read as a file is. */
export function inMemoryLog(name: string, bytes: Uint8Array): LogInput {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(offset + length, bytes.byteLength)),
  };
}
