/**
 * `preflight validate visits/` on a partitioned Parquet folder (`year=2026/month=11/part-0.parquet`,
 * as Spark, Databricks and DuckDB write a table): the folder is one input, its files' rows read
 * one after the other with the partition values as columns (core/parquet `parquetDatasetRecords`),
 * so its findings are those of the same table as one file. The folder's other files (`_SUCCESS`,
 * `.crc`, anything not Parquet) are its reader account, on the input's `notRead`.
 *
 * Constraints:
 * - Every `.parquet` file under the folder is opened (one handle each) and read through the same
 *   records source as a single Parquet file (parquetInputs.ts): memory is a page per column of
 *   the file being read; rows read again are read from their own file by number.
 * - Only the header's line is written, to the run's temporary folder, as for a Parquet file.
 * - A folder whose files are not one table (other columns, other partition keys), or with no
 *   Parquet file, stops the run before any row is checked (exit 2), naming the file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  datasetLayout,
  ParquetReadError,
  parquetDatasetCsvBytes,
  parquetDatasetRecords,
  parquetDatasetRowReader,
} from '../core/parquet/index.ts';
import type { AccountLine } from '../core/readerAccount/index.ts';
import type { RowPlace } from '../core/validation/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { type RunInput, recordsSource } from './parquetInputs.ts';
import { makeStoppableRunFolder } from './runFolders.ts';

/** The run's folders read as datasets; see {@link readParquetFolders}. */
export interface ParquetFolders {
  /** the operands that are folders, as given */
  folders: Set<string>;
  /** one input per folder, named as given without a trailing `/` */
  inputs: RunInput[];
  /** where each folder's header line is written, by input name */
  paths: Map<string, string>;
  /** each folder's files not read, by input name */
  notRead: Map<string, AccountLine[]>;
  /** the file and row of each folder's rows, by input name */
  places: Map<string, RowPlace>;
  close: () => Promise<void>;
}

/** Every file under `root`, as `/`-separated paths relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/**
 * The operands of `files` that are folders, each read as one Parquet dataset (see the file
 * header); a folder that cannot be is `unusable(message)`.
 */
export async function readParquetFolders(
  files: readonly string[],
  cwd: string,
  unusable: (message: string) => Error,
): Promise<ParquetFolders> {
  const folders = new Set<string>();
  for (const file of files) {
    const info = await stat(path.resolve(cwd, file)).catch(() => undefined);
    if (info?.isDirectory()) folders.add(file);
  }
  const paths = new Map<string, string>();
  const notRead = new Map<string, AccountLine[]>();
  const places = new Map<string, RowPlace>();
  if (folders.size === 0) return { folders, inputs: [], paths, notRead, places, close: async () => {} };
  const run = makeStoppableRunFolder('parquet');
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.map((c) => c()));
    run.remove();
  };
  const asRuns = (error: unknown) => (error instanceof ParquetReadError ? unusable(error.message) : error);
  try {
    const inputs: RunInput[] = [];
    for (const [i, folder] of [...folders].entries()) {
      const name = folder.replace(/[\\/]+$/, '');
      const root = path.resolve(cwd, folder);
      const listed = await filesUnder(root);
      const opened = await openFilesForReading(
        listed.filter((file) => /\.parquet$/i.test(file)),
        root,
        unusable,
      );
      closers.push(opened.close);
      const byPath = new Map(opened.files.map((file) => [file.name, file]));
      const layout = (() => {
        try {
          return datasetLayout(
            name,
            listed.map((file) => ({
              path: file,
              // files not Parquet are listed, never opened
              source: byPath.get(file) ?? { name: file, size: 0, read: async () => new Uint8Array(0) },
            })),
          );
        } catch (error) {
          throw asRuns(error);
        }
      })();
      const records = await parquetDatasetRecords(name, layout).catch((error: unknown) => {
        throw asRuns(error);
      });
      const target = path.join(run.folder, `folder-${i}.csv`);
      const fd = openSync(target, 'w');
      closers.push(async () => closeSync(fd));
      writeSync(fd, records.headerText);
      const text = await openFilesForReading([target], run.folder, unusable);
      closers.push(text.close);
      const size = layout.parts.reduce((n, part) => n + part.source.size, 0);
      inputs.push(
        recordsSource({ name, size }, text.files[0] as OpenedFile, fd, records, unusable, {
          rowReader: async () => parquetDatasetRowReader(layout, records),
          csvBytes: () => parquetDatasetCsvBytes(name, layout),
        }),
      );
      paths.set(name, target);
      if (layout.account.lines.length > 0) notRead.set(name, layout.account.lines);
      places.set(name, records.placeOf);
    }
    return { folders, inputs, paths, notRead, places, close };
  } catch (error) {
    await close();
    throw error;
  }
}
