/**
 * `preflight validate` on a `.zip` of extracts: each CSV, TSV or Parquet entry is unzipped
 * as a stream (core/compressed `readZipArchive`) into the run's temporary folder and becomes an
 * input named `archive.zip/patients.csv`; the steps after this one (compressed text, Parquet) and
 * the run read it as any file. The entries not read (a PDF, a folder, `__MACOSX`, a zip inside)
 * are the archive's reader account, given to the report on its first input; so is FHIR NDJSON,
 * which a run of tables does not check. `validate --fhir archive.zip` reads the archive the other
 * way round ({@link ArchiveReading}): each FHIR JSON or NDJSON entry is an input, each table is a
 * line of the account.
 *
 * A spreadsheet workbook (`.xlsx`, `.xls`, `.ods`) is refused here, before any byte of it is read
 * as text, with what to do ({@link spreadsheetAction}): read as text it would be a binary
 * windows-1252 "CSV".
 *
 * Constraints:
 * - Memory stays bounded by a slice of the archive: each entry's bytes are written as they are
 *   inflated, waiting for the disk. A Parquet entry, which needs random access, is read from its
 *   file on disk; the archive's bounds (total, ratio, entries) apply to it.
 * - The text holds record content: it lives in a run folder, removed when the run ends or is
 *   stopped (runFolders.ts). An archive that cannot be read, is over its bounds, or holds no
 *   extract stops the run before any row is checked (exit 2), with the archive and the reason.
 */
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import {
  DecompressError,
  isSpreadsheetName,
  isZipName,
  readZipArchive,
  spreadsheetAction,
} from '../core/compressed/index.ts';
import { type AccountLine, accountWords } from '../core/readerAccount/index.ts';
import { type OpenedFile, openFilesForReading } from './openFiles.ts';
import { inRunFolder } from './runFolders.ts';
import { terminalText } from './terminalText.ts';

/** Whether an entry is FHIR NDJSON (possibly compressed): not a table of columns. */
function isNdjsonEntry(name: string): boolean {
  return /\.(ndjson|jsonl)(\.(gz|gzip|zst|zstd))?$/i.test(name);
}

/** Whether an entry is a FHIR JSON resource or Bundle (possibly compressed). */
function isFhirJsonEntry(name: string): boolean {
  return /\.json(\.(gz|gzip|zst|zstd))?$/i.test(name);
}

/** What the account says of an NDJSON entry: `validate` checks tables; FHIR with `--fhir`. */
const NDJSON_HERE =
  'FHIR NDJSON, not a table: not checked here; check the archive with preflight validate --fhir';

/** What the account says of a table (CSV, TSV, Parquet) when the run checks FHIR files. */
const TABLE_HERE =
  'a table, not FHIR: not checked with --fhir; check the archive with preflight validate (without --fhir)';

/** What the run reads of an archive: tables of columns, or FHIR JSON and NDJSON (`--fhir`). */
export type ArchiveReading = 'tables' | 'fhir';

/** Per reading: which entries it leaves out (with the account's effect), and which it reads too. */
const READINGS: Record<
  ArchiveReading,
  { leaveOut: (path: string) => string | undefined; alsoRead?: (path: string) => boolean; holds: string }
> = {
  tables: {
    leaveOut: (entryPath) => (isNdjsonEntry(entryPath) ? NDJSON_HERE : undefined),
    holds: 'CSV, TSV, NDJSON or Parquet file',
  },
  fhir: {
    leaveOut: (entryPath) =>
      isNdjsonEntry(entryPath) || isFhirJsonEntry(entryPath) ? undefined : TABLE_HERE,
    alsoRead: isFhirJsonEntry,
    holds: 'FHIR JSON or NDJSON file',
  },
};

/** The run's inputs with archives replaced by their entries; see {@link readArchiveInputs}. */
export interface ArchiveInputs {
  /** every input of the run, in order: an archive's entries where the archive was */
  files: OpenedFile[];
  /** where each entry's bytes are, by input name (the workers open files by path) */
  paths: Map<string, string>;
  /** the lines of each archive's reader account, by the name of the archive's first input */
  notRead: Map<string, AccountLine[]>;
  /** one line for stderr per archive */
  notes: string[];
  close: () => Promise<void>;
}

/**
 * Replaces each `.zip` of `files` by its extracts (see the file header); a workbook, an archive
 * that cannot be read or one with no extract is `unusable(message)`.
 */
export async function readArchiveInputs(
  files: readonly OpenedFile[],
  command: string,
  unusable: (message: string) => Error,
  reading: ArchiveReading = 'tables',
): Promise<ArchiveInputs> {
  const paths = new Map<string, string>();
  const notRead = new Map<string, AccountLine[]>();
  const notes: string[] = [];
  const workbook = files.find((f) => isSpreadsheetName(f.name));
  if (workbook !== undefined) throw unusable(spreadsheetAction(workbook.name));
  if (!files.some((f) => isZipName(f.name)))
    return { files: [...files], paths, notRead, notes, close: async () => {} };
  const { leaveOut, alsoRead, holds } = READINGS[reading];
  return inRunFolder('decompressed', async ({ folder, closeWhenDone }) => {
    const out: OpenedFile[] = [];
    for (const [i, file] of files.entries()) {
      if (!isZipName(file.name)) {
        out.push(file);
        continue;
      }
      const targets = new Map<string, string>();
      let read: Awaited<ReturnType<typeof readZipArchive>>;
      try {
        read = await readZipArchive(
          file,
          async (entry) => {
            // only the entry's suffixes kept (the next steps read `.gz` and `.parquet` by name): its
            // path is the archive's to choose, and may be long or name no file a disk can hold
            const suffix = /\.[A-Za-z0-9]{1,8}(\.[A-Za-z0-9]{1,8})?$/.exec(entry.path)?.[0] ?? '';
            const target = path.join(folder, `${i}-${targets.size}${suffix}`);
            targets.set(entry.name, target);
            const handle: FileHandle = await open(target, 'w');
            return {
              write: async (bytes) => {
                for (let at = 0; at < bytes.byteLength; )
                  at += (await handle.write(bytes, at, bytes.byteLength - at)).bytesWritten;
              },
              end: () => handle.close(),
            };
          },
          { leaveOut, ...(alsoRead ? { alsoRead } : {}) },
        );
      } catch (error) {
        if (error instanceof DecompressError) throw unusable(error.message);
        throw error;
      }
      if (read.entries.length === 0)
        throw unusable(
          [
            `"${file.name}" holds no ${holds}, so nothing in it could be checked. What it holds:`,
            ...accountWords(read.account).map((line) => `  ${terminalText(line)}`),
          ].join('\n'),
        );
      const opened = await openFilesForReading([...targets.values()], folder, unusable);
      closeWhenDone(opened.close);
      for (const [k, entry] of read.entries.entries()) {
        out.push({ ...(opened.files[k] as OpenedFile), name: entry.name });
        paths.set(entry.name, targets.get(entry.name) as string);
      }
      const first = read.entries[0]?.name as string;
      if (read.account.lines.length > 0) notRead.set(first, read.account.lines);
      const skipped = read.account.lines.reduce((n, line) => n + line.count, 0);
      notes.push(
        `preflight ${command}: "${file.name}" was unzipped: ${read.entries.length} ${read.entries.length === 1 ? 'extract' : 'extracts'} read${skipped > 0 ? `, ${skipped} ${skipped === 1 ? 'entry' : 'entries'} not read (listed under ${first})` : ''}.`,
      );
    }
    return { files: out, paths, notRead, notes };
  });
}
