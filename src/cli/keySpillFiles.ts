/**
 * The CLI's key spill (core keySpill.ts): each spilling key set writes its records to its own file
 * in a temporary folder of the run, which {@link createRunKeySpill}'s `remove` deletes when the run
 * ends (whatever happened). Workers write in the same folder (they are given its path); each pass
 * reads back and deletes its own files.
 *
 * Constraints:
 * - Synchronous writes of whole blocks (≈ 9 KB with four demographics) from the row loop: the key
 *   set's `add` is synchronous, and a block written to the page cache costs less than the hash
 *   table probe it replaces. Files hold hashes, row numbers and offsets only — never record content.
 * - A store's file is deleted once its keys are checked; the folder goes at the end of the run,
 *   also when the run is stopped by SIGINT (Ctrl-C) or SIGTERM, and the next run removes that of
 *   a run killed outright (runFolders.ts).
 * - Files only past the pass's memory bound (core keySpill.ts): a file whose key records fit in it
 *   writes none.
 * - Disk: 36 bytes per key with four demographic columns (144 MB for four million keys), for the
 *   length of the run.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { KeySpill, KeySpillStore } from '../core/validation/index.ts';
import { makeStoppableRunFolder } from './runFolders.ts';

let nextStore = 0;

/** The temporary key files could not be made, written or read (a full disk, a read-only TMPDIR). */
export class KeySpillError extends Error {
  constructor(folder: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'file error';
    super(
      `cannot use the temporary key files in ${folder} (${code}): free some disk space there, or set TMPDIR to a folder with room (about 40 bytes per key).`,
    );
    this.name = 'KeySpillError';
  }
}

/** Runs a file operation, turning its failure into a {@link KeySpillError}. */
function guarded<T>(folder: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof KeySpillError) throw error;
    throw new KeySpillError(folder, error);
  }
}

/**
 * A key spill writing one file per store in `folder` (which must exist), created only by a key
 * set whose records go past `memoryBytes` (the core's default when absent).
 */
export function createFileKeySpill(folder: string, memoryBytes?: number): KeySpill {
  const store = (file: string): KeySpillStore => {
    let fd: number | undefined = guarded(folder, () => openSync(file, 'wx'));
    let size = 0;
    return {
      append(bytes) {
        return guarded(folder, () => {
          fd ??= openSync(file, 'a');
          const position = size;
          let written = 0;
          while (written < bytes.byteLength)
            written += writeSync(fd, bytes, written, bytes.byteLength - written, position + written);
          size += bytes.byteLength;
          return position;
        });
      },
      read(position, into) {
        guarded(folder, () => {
          fd ??= openSync(file, 'r');
          const length = into.byteLength;
          let read = 0;
          while (read < length) {
            const n = readSync(fd, into, read, length - read, position + read);
            if (n === 0) throw Object.assign(new Error('short read'), { code: 'a file cut short' });
            read += n;
          }
        });
      },
      close() {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
      dispose() {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        rmSync(file, { force: true });
      },
    };
  };
  return {
    ...(memoryBytes === undefined ? {} : { memoryBytes }),
    // named by process, thread and count: workers write in the same folder
    create: () => store(path.join(folder, `keys-${process.pid}-${threadId}-${nextStore++}.bin`)),
  };
}

/** A file key spill with its folder (workers are sent the folder and make their own). */
export interface FileKeySpill extends KeySpill {
  readonly folder: string;
}

/**
 * A key spill in a new temporary folder for one run; `remove` deletes the folder with any file
 * a failed run left, and the folder goes also when the run is stopped by a signal.
 */
export function createRunKeySpill(memoryBytes?: number): FileKeySpill & { remove(): void } {
  const { folder, remove } = guarded(tmpdir(), () => makeStoppableRunFolder('keys'));
  return { ...createFileKeySpill(folder, memoryBytes), folder, remove };
}
