/**
 * A file's bytes for a validator worker's pass, read front to back through one byte stream of the
 * `File` (`Blob.stream()` with a BYOB reader, each chunk read into a buffer of its own), where the
 * pass's other reads (a record read again, a listed key's text) are slices.
 *
 * Why: in Chromium each `slice().arrayBuffer()` is a blob read of its own through the browser
 * process, and its bytes cross in a new data pipe per read. On a 221 MB file read in 4 MiB slices
 * that cost ≈ 3.6 CPU-s (≈ 2 s on the worker's thread, ≈ 1.5 s in the browser process); one byte
 * stream read into the worker's own buffers ≈ 0.4 s (tests/bench/RESULTS.md). The stream's default
 * reader is not used: its 64 KiB chunks, one new buffer each, cost 1.5 s.
 *
 * Constraints:
 * - Reads at the stream's position (the pass's next chunk, the one read ahead, the unread rest
 *   the fingerprint reads) are queued on the stream in the order asked; any other read is a slice.
 * - Each read answers with a buffer of its own, as a slice's `arrayBuffer()` does.
 * - A browser whose `Blob` streams have no BYOB reader reads slices only.
 * - {@link StreamedBlobSource.close} cancels the stream (a pass that stopped early lets go of it).
 */
import { InputReadError } from '../src/core/jobs/errors.ts';
import type { CsvSource } from '../src/core/validation/index.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** A file's source for one pass, and how to let go of its stream. */
export interface StreamedBlobSource {
  source: CsvSource;
  /** Cancels the stream, if one was started (after the pass, whatever happened). */
  close(): void;
}

/**
 * Reads `file` as described in the file header: `sliced` is its source of slices (the worker's
 * `blobSource`), which answers every read off the stream's position and names the file in errors.
 */
export function streamedBlobSource(file: Blob, sliced: CsvSource): StreamedBlobSource {
  const { name } = sliced;
  /** undefined: not started; null: no BYOB reader here, or the stream failed */
  let reader: ReadableStreamBYOBReader | null | undefined;
  /** where the next read queued on the stream starts */
  let next = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const fromStream = async (stream: ReadableStreamBYOBReader, length: number): Promise<Uint8Array> => {
    let buffer = new ArrayBuffer(length);
    let filled = 0;
    while (filled < length) {
      const { done, value } = await stream.read(new Uint8Array(buffer, filled, length - filled));
      // the buffer handed to a read is detached: its bytes come back in `value`'s buffer
      if (value) {
        buffer = value.buffer as ArrayBuffer;
        filled += value.byteLength;
      }
      if (done || !value) break;
    }
    return new Uint8Array(buffer, 0, filled);
  };
  const read = (offset: number, length: number): Promise<Uint8Array> => {
    if (reader === undefined && offset === 0) {
      try {
        reader = file.stream().getReader({ mode: 'byob' });
      } catch {
        reader = null;
      }
    }
    const stream = reader;
    if (!stream || offset !== next || length <= 0) return sliced.read(offset, length);
    next = offset + length;
    const result = queue.then(async () => {
      // lets a cancel sent by the page run between chunks (the stream's reads may not need a task)
      await yieldToEventLoop();
      try {
        return await fromStream(stream, length);
      } catch (error) {
        // where the stream stopped is not known: later reads are slices
        reader = null;
        throw new InputReadError({ source: name, byteOffset: offset }, (error as Error)?.name ?? 'Error');
      }
    });
    queue = result.catch(() => {});
    return result;
  };
  return {
    source: { ...sliced, read },
    close() {
      const stream = reader;
      reader = null;
      stream?.cancel().catch(() => {});
    },
  };
}
