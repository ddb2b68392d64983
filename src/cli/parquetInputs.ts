/**
 * `preflight validate` on `.parquet` files: each is read by the core's Parquet reader
 * (core/parquet) as CSV text in the run's temporary folder, under the Parquet file's name. The
 * report, row numbers and exit codes are then the default engine's; the file's fingerprint is the
 * Parquet file's own (`digestFiles`).
 *
 * A file of two columns or more is a records source (core validation's `CsvSource.records`): only
 * the header's line is written before the run; the pass takes each slice of rows as the reader's
 * cells while its text is written beside them, so the text is not split again, and every record
 * read again by offset (failing rows, spilled keys) is read from it. Until the pass has read it,
 * its size is what the footer foretells. A one-column file's text is written whole first (its
 * empty rows are blank lines to a CSV reader, which only the text's pass follows).
 *
 * Constraints:
 * - Memory stays bounded by a page of each column: the text is written a slice of rows at a time.
 * - A records source is read by the pass on this thread (the workers open files by name).
 * - The text holds record content: it lives in a run folder, removed when the run ends or is
 *   stopped (runFolders.ts). A Parquet file that cannot be read stops the run, with the file and
 *   where (core `ParquetReadError`): a damaged footer before any row is checked, a damaged page
 *   when the pass reaches it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  ParquetReadError,
  type ParquetRecords,
  type ParquetRecordsPiece,
  parquetCsvBytes,
  parquetRecords,
} from '../core/parquet/index.ts';
import type { SplitRecords } from '../core/validation/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { makeStoppableRunFolder } from './runFolders.ts';
import { writeChunksTo } from './writeChunks.ts';

/** Whether a file of the run is read as Parquet: by its extension, as the user named it. */
function isParquetFile(name: string): boolean {
  return /\.parquet$/i.test(name);
}

/** The layout of the text the Parquet reader writes, whatever the layout options say. */
const PARQUET_TEXT_LAYOUT = { encoding: 'utf-8', delimiter: ',', header: true } as const;

/** An input of the run: an opened file, or a Parquet file's records source. */
export type RunInput = OpenedFile & { records?: () => Promise<AsyncIterable<SplitRecords> | undefined> };

/**
 * The run's inputs with each `.parquet` file replaced by its rows as CSV text (same name),
 * `paths`: where the text of each is, for the workers that open files themselves; `close` closes
 * and removes them. A Parquet file that cannot be read is `unusable(message)`.
 */
export async function readParquetInputs(
  files: readonly OpenedFile[],
  unusable: (message: string) => Error,
): Promise<{ files: RunInput[]; paths: Map<string, string>; close: () => Promise<void> }> {
  const paths = new Map<string, string>();
  if (!files.some((f) => isParquetFile(f.name))) return { files: [...files], paths, close: async () => {} };
  const folder = makeStoppableRunFolder('parquet');
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.map((c) => c()));
    folder.remove();
  };
  try {
    const out: RunInput[] = [];
    for (const [i, file] of files.entries()) {
      if (!isParquetFile(file.name)) {
        out.push(file);
        continue;
      }
      const target = path.join(folder.folder, `${i}.csv`);
      let parquet: ParquetRecords;
      try {
        parquet = await parquetRecords(file);
      } catch (error) {
        if (error instanceof ParquetReadError) throw unusable(error.message);
        throw error;
      }
      if (parquet.header.length <= 1) {
        await parquet.pieces.return(undefined);
        await writeText(file, target, unusable);
      } else {
        const fd = openSync(target, 'w');
        closers.push(async () => closeSync(fd));
        writeSync(fd, parquet.headerText);
        const opened = await openFilesForReading([target], folder.folder, unusable);
        closers.push(opened.close);
        out.push(recordsSource(file.name, opened.files[0] as OpenedFile, fd, parquet, unusable));
        paths.set(file.name, target);
        continue;
      }
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

/**
 * A Parquet file's records source (see the file header): `text` reads the CSV text being written
 * to `fd` (its header's line written), `parquet` gives the rows.
 */
function recordsSource(
  name: string,
  text: OpenedFile,
  fd: number,
  parquet: ParquetRecords,
  unusable: (message: string) => Error,
): RunInput {
  let size = Math.max(parquet.expectedTextBytes, parquet.headerText.length);
  let written = parquet.headerText.length;
  let handedOver = false;
  const { pieces, rows } = parquet;
  /** the next piece, its text written; undefined once the text is whole */
  const next = async () => {
    let step: IteratorResult<ParquetRecordsPiece>;
    try {
      step = await pieces.next();
    } catch (error) {
      if (error instanceof ParquetReadError) throw unusable(error.message);
      throw error;
    }
    if (step.done) {
      size = written;
      return undefined;
    }
    const piece = step.value;
    for (let at = 0; at < piece.text.length; ) at += writeSync(fd, piece.text, at);
    written += piece.text.length;
    return piece;
  };
  return {
    name,
    get size() {
      return size;
    },
    read: text.read,
    concurrentReads: true,
    layout: PARQUET_TEXT_LAYOUT,
    records: async () => {
      if (handedOver) {
        // the pass reads the text instead: the rest of it written first
        while ((await next()) !== undefined);
        return undefined;
      }
      handedOver = true;
      let headed = false;
      return {
        // the pass may stop early (and read the text): its iteration ends, the rows stay
        [Symbol.asyncIterator]: () => ({
          next: async (): Promise<IteratorResult<SplitRecords>> => {
            if (!headed) {
              headed = true;
              const header: SplitRecords = {
                header: parquet.header,
                records: [],
                offsets: [],
                bytes: written,
                plain: parquet.plain,
                done: 0,
              };
              return { done: false, value: header };
            }
            const piece = await next();
            if (piece === undefined) return { done: true, value: undefined };
            return {
              done: false,
              value: {
                records: piece.records,
                offsets: piece.offsets,
                bytes: written,
                plain: piece.plain,
                done: rows > 0 ? piece.rowsRead / rows : 1,
              },
            };
          },
          return: async (): Promise<IteratorResult<SplitRecords>> => ({ done: true, value: undefined }),
        }),
      };
    },
  };
}
