/**
 * Opening the files a command streams (`preflight sample`, `preflight validate`): each as a
 * `{ name, size, read }` chunk reader over one file handle, with one reusable buffer per file.
 * A file that cannot be opened, or is not a regular file, is refused with `unusable(message)`; the
 * message names the file as the user typed it and the kind of failure, never content.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ReadChunk } from '../core/hash/sha256Stream.ts';

/** One opened file: its name as given, its size, and a reader of byte ranges. */
export interface OpenedFile {
  name: string;
  size: number;
  read: ReadChunk;
}

/**
 * Opens `files` (relative to `cwd`) for reading in chunks. The caller closes them with `close()`;
 * when one cannot be opened, those opened before it are closed and `unusable(message)` is thrown.
 */
export async function openFilesForReading(
  files: readonly string[],
  cwd: string,
  unusable: (message: string) => Error,
): Promise<{ files: OpenedFile[]; close: () => Promise<void> }> {
  const handles: Awaited<ReturnType<typeof open>>[] = [];
  const close = async () => {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  };
  const opened: OpenedFile[] = [];
  try {
    for (const file of files) {
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path.resolve(cwd, file), 'r');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw unusable(
          `cannot read "${file}": ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}.`,
        );
      }
      handles.push(handle);
      const info = await handle.stat();
      if (!info.isFile()) throw unusable(`cannot read "${file}": it is not a regular file.`);
      let buffer = new Uint8Array(0);
      const read: ReadChunk = async (offset, length) => {
        if (buffer.length < length) buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      };
      opened.push({ name: file, size: info.size, read });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { files: opened, close };
}
