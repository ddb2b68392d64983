/**
 * `preflight validate` and `validate --fhir` on compressed text (`patients.csv.gz`,
 * `Patient.ndjson.gz`, `visits.csv.zst`): each is decompressed as a stream (core/compressed) into
 * the run's temporary folder, and the run reads that text as it reads any file, under the name
 * the user gave. Lines and byte positions are those of the decompressed text; one line on stderr
 * says so for each such file.
 *
 * Constraints:
 * - Memory stays bounded by a chunk: the text is written as it is decoded, waiting for the disk.
 * - The text holds record content: it lives in a run folder, removed when the run ends or is
 *   stopped (runFolders.ts). A file that cannot be decompressed, or unpacks past its bound, stops
 *   the run before any row is checked (exit 2), with the file and the limit.
 */
import path from 'node:path';
import {
  type Compression,
  compressionOf,
  DECOMPRESSED_POSITIONS,
  DecompressError,
  decompressedChunks,
} from '../core/compressed/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { inRunFolder } from './runFolders.ts';
import { writeChunksTo } from './writeChunks.ts';

/** The line stderr gets for a file read decompressed. */
export function decompressedNote(command: string, name: string, compression: Compression): string {
  return `preflight ${command}: "${name}" was read decompressed (${compression === 'gzip' ? 'gzip' : 'Zstandard'}): ${DECOMPRESSED_POSITIONS}.`;
}

/**
 * The run's inputs with each compressed file replaced by its decompressed text (same name),
 * `paths`: where the text of each is, for the workers that open files themselves; `notes`: the
 * stderr line of each; `close` closes and removes them. A file that cannot be decompressed is
 * `unusable(message)`.
 */
export async function readCompressedInputs(
  files: readonly OpenedFile[],
  command: string,
  unusable: (message: string) => Error,
): Promise<{ files: OpenedFile[]; paths: Map<string, string>; notes: string[]; close: () => Promise<void> }> {
  const paths = new Map<string, string>();
  const notes: string[] = [];
  if (!files.some((f) => compressionOf(f.name) !== undefined))
    return { files: [...files], paths, notes, close: async () => {} };
  return inRunFolder('decompressed', async ({ folder, closeWhenDone }) => {
    const out: OpenedFile[] = [];
    for (const [i, file] of files.entries()) {
      const compression = compressionOf(file.name);
      if (compression === undefined) {
        out.push(file);
        continue;
      }
      const target = path.join(folder, `${i}.txt`);
      await decompressTo(file, compression, target, unusable);
      const opened = await openFilesForReading([target], folder, unusable);
      closeWhenDone(opened.close);
      out.push({ ...(opened.files[0] as OpenedFile), name: file.name });
      paths.set(file.name, target);
      notes.push(decompressedNote(command, file.name, compression));
    }
    return { files: out, paths, notes };
  });
}

/** Writes the decompressed text of `file` to `target`, waiting for the disk between chunks. */
export function decompressTo(
  file: Pick<OpenedFile, 'name' | 'size' | 'read'>,
  compression: Compression,
  target: string,
  unusable: (message: string) => Error,
): Promise<void> {
  return writeChunksTo(
    target,
    decompressedChunks(file, compression),
    (error): error is Error => error instanceof DecompressError,
    unusable,
  );
}
