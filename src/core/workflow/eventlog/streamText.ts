/**
 * A log file's bytes as text, pushed in order into a streaming reader (XES, OCEL JSON, OCEL XML):
 * read a chunk at a time, decoded as UTF-8 across chunk boundaries, stopping at cancel. The
 * reader's `finish` is the caller's.
 */
import { createUtf8StreamDecoder } from '../../csv/index.ts';
import { JobCancelledError, readInputChunk } from '../../jobs/errors.ts';
import type { LogInput } from './csvLog.ts';

/** How a log is streamed: chunk size (1 MiB by default), cancel, and bytes read so far. */
export interface LogStream {
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number) => void;
}

/** Pushes the whole of `input` as text into `reader`. @throws `InputReadError`, `Utf8DecodeError`, `JobCancelledError` */
export async function pushLogText(
  input: LogInput,
  reader: { push(text: string): void },
  stream: LogStream,
): Promise<void> {
  const chunkBytes = Math.max(stream.chunkBytes ?? 1024 * 1024, 1);
  const decoder = createUtf8StreamDecoder(input.name);
  let offset = 0;
  while (offset < input.size) {
    if (stream.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, input.size - offset);
    const chunk = await readInputChunk(input, offset, length, stream.signal);
    reader.push(decoder.decode(chunk));
    offset += chunk.byteLength;
    stream.onProgress?.(offset);
  }
  reader.push(decoder.end());
}
