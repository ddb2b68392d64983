/**
 * `preflight validate` on `.parquet` files: each is a records source (core validation's
 * `CsvSource.records`) under the Parquet file's name: the pass takes the core Parquet reader's
 * cells (core/parquet), no text is written for them, and a row read again (failing rows, spilled
 * keys, references' examples) is read back from the Parquet file by its row number. The report,
 * row numbers and exit codes are then the default engine's; the file's fingerprint is the Parquet
 * file's own (`digestFiles`), its size in the report too. Until the pass has read it, the source's
 * size is what the footer foretells its CSV text to be (progress is measured against it).
 *
 * Only the header's line is written, to the run's temporary folder, before the run: what reads the
 * source's first bytes reads it. Cells a CSV reader would read otherwise from their text (a zero
 * byte, a cell beyond its bounds) make the pass start again on the text: the rest of it is written
 * then, and rows are read back from it by byte.
 *
 * Constraints:
 * - Memory stays bounded by a page of each column, in the pass and in reading rows back.
 * - A records source is read by the pass on this thread (the workers open files by name).
 * - The text holds record content: it lives in a run folder, removed when the run ends or is
 *   stopped (runFolders.ts). A Parquet file that cannot be read stops the run, with the file and
 *   where (core `ParquetReadError`): a damaged footer before any row is checked, a damaged page
 *   when the pass reaches it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  type Int96Reading,
  ParquetReadError,
  type ParquetRecords,
  type ParquetRecordsPiece,
  type ParquetRowReader,
  parquetCsvBytes,
  parquetRecords,
  parquetRowReader,
} from '../core/parquet/index.ts';
import type { CsvSource, SplitRecords } from '../core/validation/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { inRunFolder } from './runFolders.ts';

/** Whether a file of the run is read as Parquet: by its extension, as the user named it. */
function isParquetFile(name: string): boolean {
  return /\.parquet$/i.test(name);
}

/** The layout of the text the Parquet reader writes, whatever the layout options say. */
const PARQUET_TEXT_LAYOUT = { encoding: 'utf-8', delimiter: ',', header: true } as const;

/** An input of the run: an opened file, or a Parquet file's records source. */
export type RunInput = OpenedFile & Pick<CsvSource, 'records' | 'recordAt' | 'fileFormat' | 'account'>;

/**
 * The run's inputs with each `.parquet` file replaced by its records source (same name),
 * `paths`: where the text of each is written; `close` closes and removes them. A Parquet file that cannot be read is `unusable(message)`.
 */
export async function readParquetInputs(
  files: readonly OpenedFile[],
  unusable: (message: string) => Error,
  /** how INT96 timestamps are read (`--int96`); undefined: by the writer's convention */
  int96?: Int96Reading,
): Promise<{ files: RunInput[]; paths: Map<string, string>; close: () => Promise<void> }> {
  const paths = new Map<string, string>();
  if (!files.some((f) => isParquetFile(f.name))) return { files: [...files], paths, close: async () => {} };
  const options = int96 === undefined ? {} : { int96 };
  return inRunFolder('parquet', async ({ folder, closeWhenDone }) => {
    const out: RunInput[] = [];
    for (const [i, file] of files.entries()) {
      if (!isParquetFile(file.name)) {
        out.push(file);
        continue;
      }
      const target = path.join(folder, `${i}.csv`);
      let parquet: ParquetRecords;
      try {
        parquet = await parquetRecords(file, options);
      } catch (error) {
        if (error instanceof ParquetReadError) throw unusable(error.message);
        throw error;
      }
      const fd = openSync(target, 'w');
      closeWhenDone(async () => closeSync(fd));
      writeSync(fd, parquet.headerText);
      const opened = await openFilesForReading([target], folder, unusable);
      closeWhenDone(opened.close);
      out.push(
        recordsSource(file, opened.files[0] as OpenedFile, fd, parquet, unusable, {
          rowReader: () => parquetRowReader(file, options),
          csvBytes: () => parquetCsvBytes(file, options),
        }),
      );
      paths.set(file.name, target);
    }
    return { files: out, paths };
  });
}

/** How a records source reads its rows again: by number, or all as CSV text (header first). */
export interface RowsAgain {
  rowReader: () => Promise<ParquetRowReader>;
  csvBytes: () => AsyncIterable<Uint8Array>;
}

/**
 * A Parquet file's (or a partitioned folder's) records source (see the file header): `text` reads
 * the CSV text written to `fd` (its header's line, the rest only if the pass asks for it),
 * `parquet` gives the rows, `again` reads them again.
 */
export function recordsSource(
  file: Pick<OpenedFile, 'name' | 'size'>,
  text: OpenedFile,
  fd: number,
  parquet: ParquetRecords,
  unusable: (message: string) => Error,
  again: RowsAgain,
): RunInput {
  let size = Math.max(parquet.expectedTextBytes, parquet.headerText.length);
  let handedOver = false;
  const { pieces, rows } = parquet;
  /** a Parquet read's error as the run's */
  const asRuns = (error: unknown) => (error instanceof ParquetReadError ? unusable(error.message) : error);
  let reader: Promise<ParquetRowReader> | undefined;
  const source: RunInput = {
    name: file.name,
    get size() {
      return size;
    },
    read: text.read,
    concurrentReads: true,
    layout: PARQUET_TEXT_LAYOUT,
    fileFormat: 'parquet',
    account: parquet.account,
    recordAt: async (row, only) => {
      try {
        reader ??= again.rowReader();
        return await (await reader).row(row, only);
      } catch (error) {
        throw asRuns(error);
      }
    },
    records: async () => {
      if (handedOver) {
        // the pass reads the text instead: the rest of it written, rows read back from it by byte
        await pieces.return(undefined);
        delete source.recordAt;
        let written = parquet.headerText.length;
        let header = true;
        try {
          for await (const piece of again.csvBytes()) {
            if (header) {
              header = false;
              continue;
            }
            for (let at = 0; at < piece.length; ) at += writeSync(fd, piece, at);
            written += piece.length;
          }
        } catch (error) {
          throw asRuns(error);
        }
        size = written;
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
                positions: [],
                bytes: file.size,
                longest: 0,
                plain: parquet.plain,
                done: 0,
              };
              return { done: false, value: header };
            }
            let step: IteratorResult<ParquetRecordsPiece>;
            try {
              step = await pieces.next();
            } catch (error) {
              throw asRuns(error);
            }
            if (step.done) return { done: true, value: undefined };
            const piece = step.value;
            return {
              done: false,
              value: {
                columns: piece.columns,
                positions: piece.rows,
                bytes: file.size,
                longest: piece.longest,
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
  return source;
}
