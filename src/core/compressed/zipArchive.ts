/**
 * A `.zip` of extracts, the usual hand-off from a data team: each CSV, TSV, NDJSON or Parquet
 * entry becomes an input of its own, named `archive.zip/patients.csv`, and every other entry
 * (a PDF, a folder, the `__MACOSX` copies the Finder adds, a zip inside the zip, a workbook) is a
 * line of the reader account (reader `zip`, kind `entry`), so the person sees what was not read.
 *
 * Constraints:
 * - Streamed from the first byte to the last through fflate's `Unzip` (the archive's local
 *   headers, as they come): the archive is never held whole. The compressed bytes are pushed a
 *   {@link PUSH_BYTES} slice at a time, so one push inflates to at most ~1,032 times that (the
 *   most deflate can expand), and each entry's text is handed to its sink (a file in the CLI's
 *   run folder, a `Blob` in the browser) before the next slice is pushed.
 * - Parquet needs random access (its footer is at the end): a Parquet entry is written whole to
 *   its sink like a text entry and read from there, so memory stays bounded by a slice; the bound
 *   on its size is the archive's ({@link zipLimits}).
 * - Bounded against zip bombs, with the limit in the refusal's words: every entry, read or not,
 *   counts towards the total it unpacks to (at most {@link decompressedLimit} of the archive:
 *   64 times its size, at least 1 GiB); an entry whose declared sizes expand more than
 *   {@link MAX_ENTRY_RATIO} times is refused before it is inflated; at most
 *   {@link MAX_ENTRIES} entries.
 * - Entries not read are inflated and dropped, never kept: fflate would otherwise hold their
 *   compressed bytes until the end.
 * - Pure: no Node, no DOM; names from the archive are data, shown through the callers' escaping.
 */
import { Unzip, type UnzipDecoder, type UnzipDecoderConstructor, type UnzipFile, UnzipInflate } from 'fflate';
import { byteSizeWords } from '../byteSize/index.ts';
import { createAccount, type ReaderAccount } from '../readerAccount/index.ts';
import { type CompressedSource, DecompressError, decompressedLimit } from './decompress.ts';

/** Compressed bytes pushed at once: one push inflates to at most ~16 MB. */
const PUSH_BYTES = 16 * 1024;
/** Compressed bytes read from the source at once. */
const READ_BYTES = 1024 * 1024;
/** The most entries an archive may have (a real hand-off has tens). */
export const MAX_ENTRIES = 10_000;
/**
 * The most an entry may expand, by its declared sizes (CSV deflates 3 to 20 times; a bomb
 * hundreds of times), for entries of more than {@link RATIO_FLOOR_BYTES}.
 */
export const MAX_ENTRY_RATIO = 200;
/** Entries smaller than this unpacked are never refused for their ratio (a column of zeros). */
const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;

/** Whether a file's name says it is a zip archive (not a workbook, which is one underneath). */
export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** Whether a file's name says it is a spreadsheet workbook (Excel, LibreOffice). */
export function isSpreadsheetName(name: string): boolean {
  return /\.(xlsx|xlsm|xlsb|xls|ods|numbers)$/i.test(name);
}

/**
 * Why a workbook is not read, and what to do: Preflight reads extracts as the data team writes
 * them, not workbooks (their cells' display formats, merged cells and hidden sheets change what a
 * value is).
 */
export function spreadsheetAction(name: string): string {
  return `"${name}" is a spreadsheet workbook, not a CSV extract, so it was not read. Save each sheet as CSV UTF-8 from Excel: File › Save As…, choose "CSV UTF-8 (Comma delimited)", then choose the CSV files.`;
}

/** Entries read as inputs: text extracts and Parquet, possibly gzip- or Zstandard-compressed. */
const READ_ENTRY = /\.(csv|tsv|ndjson|jsonl|parquet)(\.(gz|gzip|zst|zstd))?$/i;

/** What the account says of an entry that is none of the files an archive's extracts are. */
const NOT_AN_EXTRACT =
  'not an extract (CSV, TSV, NDJSON or Parquet): not read, so nothing in it is in the figures';

/** What an entry is: read as an input, or a line of the account with its effect. */
export type ZipEntryUse = { read: true } | { read: false; effect: string };

/** How the reader treats an entry at `path` inside the archive. */
export function zipEntryUse(path: string): ZipEntryUse {
  const base = path.replace(/\/+$/, '').split('/').pop() ?? path;
  if (path.endsWith('/'))
    return { read: false, effect: 'a folder of the archive: its files are listed one by one' };
  if (/^__MACOSX\//.test(path) || base.startsWith('._') || base === '.DS_Store')
    return { read: false, effect: 'Finder metadata a Mac adds to an archive: it holds no records' };
  if (isZipName(base))
    return {
      read: false,
      effect:
        'an archive inside the archive: not opened, so its records are not in the figures; unzip it and choose its files',
    };
  if (isSpreadsheetName(base))
    return {
      read: false,
      effect:
        'a spreadsheet workbook: not read, so its records are not in the figures; save each sheet as CSV UTF-8 from Excel (File › Save As…) and choose the CSV files',
    };
  if (READ_ENTRY.test(base)) return { read: true };
  return { read: false, effect: NOT_AN_EXTRACT };
}

/** Where an entry's bytes go: written in order, then ended. */
export interface ZipEntrySink {
  write(bytes: Uint8Array): Promise<void> | void;
  end(): Promise<void> | void;
}

/** An entry read as an input: its input name (`archive.zip/patients.csv`) and its path inside. */
export interface ZipEntry {
  name: string;
  path: string;
}

/** The bounds an archive is read within (see the file header). */
export function zipLimits(archiveBytes: number): { maxBytes: number; maxEntries: number } {
  return { maxBytes: decompressedLimit(archiveBytes), maxEntries: MAX_ENTRIES };
}

/** Stored (0) and deflate (8): the methods of nearly every archive. */
function knownMethod(method: number): boolean {
  return method === 0 || method === 8;
}

/** A decoder for `method` that drops what it is given (an entry not read). */
function droppingDecoder(method: number): UnzipDecoderConstructor {
  return class {
    static compression = method;
    ondata: UnzipDecoder['ondata'] = () => {};
    push(): void {}
  };
}

/** A sink's own failure (a full disk): thrown as it is, never taken for a damaged archive. */
class SinkFailure extends Error {
  constructor(readonly failure: unknown) {
    super('sink');
  }
}

/** Thrown from inside fflate's callbacks; becomes the {@link DecompressError} it carries. */
class Stop extends Error {
  constructor(readonly refusal: DecompressError) {
    super(refusal.message);
  }
}

/**
 * Reads the archive `source` as a stream: each entry {@link zipEntryUse} reads is written to the
 * sink `open` gives for it; the others go into the account. Resolves to the entries read, in
 * archive order, and the account. Throws {@link DecompressError} for data that is not a zip or is
 * cut short, an entry that is encrypted or compressed in a way Preflight cannot read, and an
 * archive over its bounds — as soon as the bound is passed.
 */
export async function readZipArchive(
  source: CompressedSource,
  open: (entry: ZipEntry) => Promise<ZipEntrySink> | ZipEntrySink,
  {
    maxBytes = zipLimits(source.size).maxBytes,
    maxEntries = MAX_ENTRIES,
    leaveOut,
    alsoRead,
  }: {
    maxBytes?: number;
    maxEntries?: number;
    /**
     * the caller's reason not to read an entry this reader would read (a screen that reads no
     * Parquet, a command that reads no NDJSON), as the account's effect; undefined: read it
     */
    leaveOut?: (path: string) => string | undefined;
    /** entries the caller reads that this reader would not (FHIR `.json` for a FHIR check) */
    alsoRead?: (path: string) => boolean;
  } = {},
): Promise<{ entries: ZipEntry[]; account: ReaderAccount }> {
  const account = createAccount('zip');
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  /** bytes handed on, in order: `undefined` ends the entry */
  let queue: { entry: ZipEntry; bytes: Uint8Array | undefined }[] = [];
  let total = 0;
  let count = 0;
  let entryFailed: string | undefined;
  const unfinished = new Set<string>();

  const refuse = (message: string): never => {
    throw new Stop(new DecompressError(message));
  };
  /** set once the archive passes its bound: fflate's decoders catch what their callbacks throw */
  let overBound: DecompressError | undefined;
  const tooLarge = () => {
    overBound ??= new DecompressError(
      `"${source.name}" unpacks to more than ${byteSizeWords(maxBytes)} (the limit: 64 times its ${byteSizeWords(source.size)}, at least ${byteSizeWords(decompressedLimit(0))}), so it was not read: it may be built to fill the disk or the memory. Unzip it and check the files, or send the extracts in smaller archives.`,
    );
  };

  const unzip = new Unzip((file: UnzipFile) => {
    count += 1;
    if (count > maxEntries)
      refuse(
        `"${source.name}" has more than ${maxEntries.toLocaleString('en-GB')} entries, so it was not read. Unzip it and choose the extracts, or send them in smaller archives.`,
      );
    const path = file.name;
    const where = { file: `${source.name}/${path}` };
    if (
      file.size !== undefined &&
      file.originalSize !== undefined &&
      file.originalSize > RATIO_FLOOR_BYTES &&
      file.originalSize > file.size * MAX_ENTRY_RATIO
    )
      refuse(
        `"${source.name}/${path}" would unpack to ${MAX_ENTRY_RATIO}+ times its compressed size, so "${source.name}" was not read: it may be built to fill the disk or the memory. Unzip it and check the file.`,
      );
    const own = zipEntryUse(path);
    const entryUse: ZipEntryUse =
      !own.read && !path.endsWith('/') && own.effect === NOT_AN_EXTRACT && alsoRead?.(path)
        ? { read: true }
        : own;
    const left = entryUse.read ? leaveOut?.(path) : undefined;
    const use: ZipEntryUse = left === undefined ? entryUse : { read: false, effect: left };
    const duplicate = use.read && seen.has(path);
    if (!use.read || duplicate) {
      account.notUsed(
        'entry',
        path,
        duplicate
          ? 'a second entry of the same name: only the first was read'
          : (use as { effect: string }).effect,
        where,
      );
      // inflated and dropped, counted towards the bound: never kept
      file.ondata = (error, data) => {
        if (error || overBound) return;
        total += data.byteLength;
        if (total > maxBytes) tooLarge();
      };
      if (!path.endsWith('/')) startEntry(file);
      return;
    }
    if (!knownMethod(file.compression)) {
      account.notUsed(
        'entry',
        path,
        'compressed in a way Preflight cannot read, or encrypted: not read, so its records are not in the figures; zip it again with standard compression and no password',
        where,
      );
      file.ondata = () => {};
      startEntry(file);
      return;
    }
    seen.add(path);
    account.use(path);
    const entry = { name: `${source.name}/${path}`, path };
    entries.push(entry);
    unfinished.add(path);
    file.ondata = (error, data, final) => {
      if (overBound) return;
      if (error) {
        entryFailed = path;
        return;
      }
      total += data.byteLength;
      if (total > maxBytes) return tooLarge();
      if (data.byteLength > 0) queue.push({ entry, bytes: data });
      if (final) queue.push({ entry, bytes: undefined });
    };
    startEntry(file);
  });
  unzip.register(UnzipInflate);

  /**
   * Starts an entry: one of a method with no decoder gets one that drops its bytes, since fflate
   * keeps the bytes of an entry never started until the end.
   */
  function startEntry(file: UnzipFile): void {
    if (!knownMethod(file.compression)) unzip.register(droppingDecoder(file.compression));
    file.start();
  }

  const sinks = new Map<string, ZipEntrySink>();
  const drain = async () => {
    const items = queue;
    queue = [];
    for (const { entry, bytes } of items) {
      try {
        let sink = sinks.get(entry.path);
        if (sink === undefined) {
          sink = await open(entry);
          sinks.set(entry.path, sink);
        }
        if (bytes === undefined) {
          await sink.end();
          unfinished.delete(entry.path);
        } else await sink.write(bytes);
      } catch (failure) {
        throw new SinkFailure(failure);
      }
    }
  };
  const damaged = () =>
    new DecompressError(
      `"${source.name}" could not be unzipped: it is not a zip archive, an entry is encrypted, or the file is cut short. Zip the files again (no password), or choose them unzipped.`,
    );

  try {
    let headerChecked = false;
    for (let offset = 0; offset < source.size; ) {
      const chunk = (await source.read(offset, Math.min(READ_BYTES, source.size - offset))).slice();
      if (chunk.byteLength === 0) break;
      if (!headerChecked) {
        headerChecked = true;
        // PK\x03\x04 (a local header) or PK\x05\x06 (an empty archive)
        if (chunk[0] !== 0x50 || chunk[1] !== 0x4b) throw damaged();
      }
      offset += chunk.byteLength;
      for (let at = 0; at < chunk.byteLength; at += PUSH_BYTES) {
        const last = offset >= source.size && at + PUSH_BYTES >= chunk.byteLength;
        unzip.push(chunk.subarray(at, at + PUSH_BYTES), last);
        if (overBound) throw overBound;
        if (entryFailed !== undefined) throw damaged();
        await drain();
      }
    }
    if (source.size === 0) throw damaged();
    await drain();
  } catch (error) {
    if (error instanceof SinkFailure) throw error.failure;
    if (error instanceof Stop) throw error.refusal;
    if (error instanceof DecompressError) throw error;
    throw damaged();
  }
  // an entry whose end never came: the archive stops inside it
  if (unfinished.size > 0 || entryFailed !== undefined) throw damaged();
  return { entries, account: account.finish() };
}
