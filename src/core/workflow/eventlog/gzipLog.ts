/**
 * Gzipped event logs (`helpdesk.xes.gz`, `log.csv.gz`): decompressed with the platform's streaming
 * `DecompressionStream` (browsers, Node 18+), then read as the name without `.gz` says — XES or CSV.
 *
 * Constraints: the compressed file is read in chunks (core/compressed, bounded like any compressed
 * text); the decompressed log is held in memory
 * (the readers ask for bytes by offset and the size up front), so a gzipped log costs its
 * decompressed size in memory, as a log chosen unzipped costs its events. A preview decompresses
 * only its first bytes. Pure (no DOM, no Node): the CLI and the event-log worker share it.
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

/**
 * Decompresses `input` (gzip) up to `maxBytes` of output (all of it by default: a preview asks
 * for its first bytes) and returns the log as a {@link LogInput} named without `.gz`. A log that
 * unpacks past `limit` (the core's bound on compressed text: 64 times its size, at least 1 GiB)
 * is refused with the limit in the words. @throws {GzipLogError}
 */
export async function gunzipLog(
  input: LogInput,
  maxBytes = Number.POSITIVE_INFINITY,
  { limit = decompressedLimit(input.size) }: { limit?: number } = {},
): Promise<LogInput> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const part of decompressedChunks(input, 'gzip', { maxBytes: limit })) {
      parts.push(part);
      total += part.byteLength;
      // leaving the loop ends the stream: a preview reads no further
      if (total >= maxBytes) break;
    }
  } catch (error) {
    if (error instanceof DecompressError) throw new GzipLogError(error.message);
    throw error;
  }
  const bytes = new Uint8Array(Math.min(total, maxBytes));
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.byteLength, bytes.length - at);
    bytes.set(part.subarray(0, take), at);
    at += take;
    if (at >= bytes.length) break;
  }
  return inMemoryLog(withoutGzip(input.name), bytes);
}

/** A log held in memory, read as a file is. */
export function inMemoryLog(name: string, bytes: Uint8Array): LogInput {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(offset + length, bytes.byteLength)),
  };
}
