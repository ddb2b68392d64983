/**
 * The inputs of a `preflight validate` run on the default engine, opened for streaming: each
 * partitioned Parquet folder as one input (parquetFolders.ts, after the files), each file given
 * opened, a zip's extracts each an input of its own named `archive.zip/<entry>` (archiveInputs.ts),
 * a compressed file's text (compressedInputs.ts) and a `.parquet` file's rows as CSV text
 * (parquetInputs.ts), each read by the run under its name.
 *
 * Constraints:
 * - What is opened is closed by `close`, in the reverse order of opening; when a step fails,
 *   what the steps before it opened is closed before the error is thrown.
 * - The stderr notes (an archive's entries, a file decompressed) name files only, escaped.
 */
import type { Int96Reading } from '../core/parquet/index.ts';
import type { AccountLine } from '../core/readerAccount/index.ts';
import type { RowPlace } from '../core/validation/index.ts';
import { readArchiveInputs } from './archiveInputs.ts';
import { readCompressedInputs } from './compressedInputs.ts';
import { openFilesForReading } from './openFiles.ts';
import { readParquetFolders } from './parquetFolders.ts';
import { type RunInput, readParquetInputs } from './parquetInputs.ts';
import { terminalText } from './terminalText.ts';

/** A run's inputs opened; see {@link openValidateInputs}. */
export interface ValidateInputFiles {
  /** every input's name, in the run's order: the files given (each archive's extracts in its place), then the folders */
  names: string[];
  /** every input, opened for streaming, in the order of `names` */
  sources: RunInput[];
  /** where the text of an input that is no file of its own is, by name (the workers open files by path) */
  textPaths: Map<string, string>;
  /** what the readers saw and did not use, by input name: an archive's other entries, a folder's other files */
  notRead: Map<string, AccountLine[]>;
  /** the file and row of each folder's rows, by input name */
  places: Map<string, RowPlace>;
  /** the inputs that have one fingerprint each (a folder has none: each of its files is its own) */
  fingerprinted: { names: string[]; paths: Map<string, string> };
  close: () => Promise<void>;
}

/**
 * Opens the inputs of `files` (see the file header). A file that cannot be used is
 * `unusable(message)`; `int96` is asked once a Parquet file is to be read.
 */
export async function openValidateInputs(
  files: readonly string[],
  cwd: string,
  options: {
    unusable: (message: string) => Error;
    /** how Parquet INT96 timestamps are read (`--int96`); undefined: by the writer's convention */
    int96: () => Int96Reading | undefined;
    /** a line for stderr */
    note: (line: string) => void;
  },
): Promise<ValidateInputFiles> {
  const { unusable } = options;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const folders = await readParquetFolders(files, cwd, unusable);
    closers.push(folders.close);
    const read = await openFilesForReading(
      files.filter((file) => !folders.folders.has(file)),
      cwd,
      unusable,
    );
    closers.push(read.close);
    const archives = await readArchiveInputs(read.files, 'validate', unusable);
    closers.push(archives.close);
    for (const note of archives.notes) options.note(terminalText(note));
    const unpacked = await readCompressedInputs(archives.files, 'validate', unusable);
    closers.push(unpacked.close);
    for (const note of unpacked.notes) options.note(note);
    const parquet = await readParquetInputs(unpacked.files, unusable, options.int96());
    closers.push(parquet.close);
    return {
      names: [...archives.files.map((f) => f.name), ...folders.inputs.map((f) => f.name)],
      sources: [...parquet.files, ...folders.inputs],
      textPaths: new Map([...archives.paths, ...unpacked.paths, ...parquet.paths, ...folders.paths]),
      notRead: new Map([...archives.notRead, ...folders.notRead]),
      places: folders.places,
      fingerprinted: { names: archives.files.map((f) => f.name), paths: archives.paths },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
