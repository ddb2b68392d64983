/**
 * Gzipped event logs (`helpdesk.xes.gz`, `log.csv.gz`): decompressed with the platform's streaming
 * `DecompressionStream` (browsers, Node 18+), then read as the name without `.gz` says — XES or CSV.
 *
 * Constraints: the compressed file is read in chunks; the decompressed log is held in memory
 * (the readers ask for bytes by offset and the size up front), so a gzipped log costs its
 * decompressed size in memory, as a log chosen unzipped costs its events. A preview decompresses
 * only its first bytes. Pure (no DOM, no Node): the CLI and the event-log worker share it.
 */
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

/** Thrown when a `.gz` file is not gzip data, or is cut short. */
export class GzipLogError extends Error {}

const CHUNK_BYTES = 1024 * 1024;

function compressedStream(input: LogInput): ReadableStream<BufferSource> {
  let offset = 0;
  return new ReadableStream<BufferSource>({
    async pull(controller) {
      if (offset >= input.size) {
        controller.close();
        return;
      }
      const bytes = await input.read(offset, Math.min(CHUNK_BYTES, input.size - offset));
      if (bytes.byteLength === 0) {
        controller.close();
        return;
      }
      offset += bytes.byteLength;
      // the reader may reuse its buffer: hand the stream a copy
      controller.enqueue(bytes.slice());
    },
  });
}

/**
 * Decompresses `input` (gzip) up to `maxBytes` of output (all of it by default) and returns the
 * log as a {@link LogInput} named without `.gz`. @throws {GzipLogError}
 */
export async function gunzipLog(input: LogInput, maxBytes = Number.POSITIVE_INFINITY): Promise<LogInput> {
  const reader = compressedStream(input).pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.byteLength;
    }
  } catch {
    throw new GzipLogError(
      `"${input.name}" could not be decompressed: it is not gzip data, or the file is cut short.`,
    );
  } finally {
    if (total >= maxBytes) await reader.cancel().catch(() => undefined);
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
