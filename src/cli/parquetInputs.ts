/**
 * `preflight validate` on `.parquet` files: each is read by the core's Parquet reader
 * (core/parquet) into CSV text in the run's temporary folder, and the run reads that text as it
 * reads any CSV extract, under the Parquet file's name. The report, row numbers and exit codes are
 * then the default engine's; the file's fingerprint is the Parquet file's own (`digestFiles`).
 *
 * Constraints:
 * - Memory stays bounded by a page of each column: the text is written a slice of rows at a time.
 * - The text holds record content: it lives in a run folder, removed when the run ends or is
 *   stopped (runFolders.ts). A Parquet file that cannot be read stops the run before any row is
 *   checked, with the file and where (core `ParquetReadError`).
 */
import path from 'node:path';
import { ParquetReadError, parquetCsvBytes } from '../core/parquet/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { makeStoppableRunFolder } from './runFolders.ts';
import { writeChunksTo } from './writeChunks.ts';

/** Whether a file of the run is read as Parquet: by its extension, as the user named it. */
function isParquetFile(name: string): boolean {
  return /\.parquet$/i.test(name);
}

/** The layout of the text the Parquet reader writes, whatever the layout options say. */
const PARQUET_TEXT_LAYOUT = { encoding: 'utf-8', delimiter: ',', header: true } as const;

/**
 * The run's inputs with each `.parquet` file replaced by its rows as CSV text (same name),
 * `paths`: where the text of each is, for the workers that open files themselves; `close` closes
 * and removes them. A Parquet file that cannot be read is `unusable(message)`.
 */
export async function readParquetInputs(
  files: readonly OpenedFile[],
  unusable: (message: string) => Error,
): Promise<{ files: OpenedFile[]; paths: Map<string, string>; close: () => Promise<void> }> {
  const paths = new Map<string, string>();
  if (!files.some((f) => isParquetFile(f.name))) return { files: [...files], paths, close: async () => {} };
  const folder = makeStoppableRunFolder('parquet');
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.map((c) => c()));
    folder.remove();
  };
  try {
    const out: OpenedFile[] = [];
    for (const [i, file] of files.entries()) {
      if (!isParquetFile(file.name)) {
        out.push(file);
        continue;
      }
      const target = path.join(folder.folder, `${i}.csv`);
      await writeText(file, target, unusable);
      const opened = await openFilesForReading([target], folder.folder, unusable);
      closers.push(opened.close);
      const text = opened.files[0] as OpenedFile;
      out.push({ ...text, name: file.name, layout: PARQUET_TEXT_LAYOUT });
      paths.set(file.name, target);
    }
    return { files: out, paths, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Writes the Parquet file's rows as CSV text to `target`, waiting for the disk between slices of rows. */
function writeText(file: OpenedFile, target: string, unusable: (message: string) => Error): Promise<void> {
  return writeChunksTo(
    target,
    parquetCsvBytes(file),
    (error): error is Error => error instanceof ParquetReadError,
    unusable,
  );
}
