/**
 * A `.zip` of extracts chosen on the Check extracts screen: each CSV, TSV or NDJSON entry becomes
 * a `File` named `archive.zip/patients.csv` (the core's streaming reader, `readZipArchive`), which
 * the screen then reads as if it had been chosen on its own; every other entry is a line of the
 * archive's reader account, said in a note and carried on the report of its first extract. A
 * spreadsheet workbook is refused with what to do, never read as a text file.
 *
 * Constraints: an entry's bytes are gathered into a `Blob` a slice at a time (a browser keeps a
 * large Blob out of the page's memory), so memory holds at most one slice of parts; the core
 * bounds what the archive may unpack to (total, ratio, entries) and its refusal names the limit.
 * This screen reads no Parquet: a Parquet entry is a line of the account that points to the
 * `preflight validate` command, which reads it.
 */
import {
  DecompressError,
  isSpreadsheetName,
  isZipName,
  readZipArchive,
  spreadsheetAction,
} from '../../core/compressed/index.ts';
import { type AccountLine, accountWords } from '../../core/readerAccount/index.ts';

/** Parts gathered into the Blob at once: the most of an entry held in the page. */
const SLICE_BYTES = 16 * 1024 * 1024;

/** What the account says of a Parquet entry here. */
const PARQUET_HERE =
  'a Parquet file: this screen reads CSV, TSV and FHIR files, so it was not checked; check it with the preflight validate command, which reads Parquet';

/** Whether an entry is Parquet (possibly compressed): read by the CLI, not on this screen. */
function isParquetEntry(name: string): boolean {
  return /\.parquet(\.(gz|gzip|zst|zstd))?$/i.test(name);
}

/**
 * The files as chosen, each `.zip` replaced by its extracts; workbooks refused. `notRead`: the
 * lines of each archive's account, by the name of its first extract.
 */
export async function unzippedFiles(
  chosen: readonly File[],
  { maxBytes }: { maxBytes?: number } = {},
): Promise<{ files: File[]; notes: string[]; problems: string[]; notRead: Map<string, AccountLine[]> }> {
  const files: File[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const notRead = new Map<string, AccountLine[]>();
  for (const file of chosen) {
    if (isSpreadsheetName(file.name)) {
      problems.push(spreadsheetAction(file.name));
      continue;
    }
    if (!isZipName(file.name)) {
      files.push(file);
      continue;
    }
    const source = {
      name: file.name,
      size: file.size,
      read: async (offset: number, length: number) =>
        new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
    };
    const extracted: File[] = [];
    try {
      const read = await readZipArchive(
        source,
        (entry) => {
          let text = new Blob([]);
          let parts: Uint8Array<ArrayBuffer>[] = [];
          let held = 0;
          return {
            write: (bytes) => {
              parts.push(bytes.slice() as Uint8Array<ArrayBuffer>);
              held += bytes.byteLength;
              if (held >= SLICE_BYTES) {
                text = new Blob([text, ...parts]);
                parts = [];
                held = 0;
              }
            },
            end: () => {
              extracted.push(new File([text, ...parts], entry.name, { type: 'text/plain' }));
            },
          };
        },
        {
          ...(maxBytes === undefined ? {} : { maxBytes }),
          leaveOut: (path) => (isParquetEntry(path) ? PARQUET_HERE : undefined),
        },
      );
      // entries end in archive order; an empty entry has a File too
      files.push(...extracted);
      const skipped = read.account.lines.reduce((n, line) => n + line.count, 0);
      if (extracted.length === 0)
        problems.push(
          [
            `${file.name} holds no CSV, TSV or NDJSON file, so nothing in it could be checked.`,
            ...accountWords(read.account),
          ].join(' '),
        );
      else
        notes.push(
          `${file.name} was unzipped: ${extracted.length} ${extracted.length === 1 ? 'file' : 'files'} read${skipped > 0 ? `, ${skipped} ${skipped === 1 ? 'entry' : 'entries'} not read:` : '.'}`,
        );
      if (extracted.length > 0) notes.push(...accountWords(read.account).map((line) => `  ${line}`));
      const first = extracted[0];
      if (first !== undefined && read.account.lines.length > 0) notRead.set(first.name, read.account.lines);
    } catch (error) {
      if (!(error instanceof DecompressError)) throw error;
      problems.push(error.message);
    }
  }
  return { files, notes, problems, notRead };
}
