/**
 * Reading the files a command takes (`preflight sample`, `preflight validate`): data files opened
 * as `{ name, size, read }` chunk readers over one file handle each (one reusable buffer per
 * file for chunk reads; a record's small read gets its own, read synchronously), and small JSON
 * inputs (a plan, a contract) read whole.
 * A file that cannot be opened, or is not a regular file, is refused with `unusable(message)`; the
 * message names the file as the user typed it and the kind of failure, never content.
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CsvLayout } from '../core/csv/index.ts';
import type { ReadChunk } from '../core/hash/index.ts';
import { RECORD_MAX_READ_BYTES } from '../core/validation/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../formats/jsonText.ts';

/**
 * A record's synchronous read slower than this (ms) switches its file to asynchronous reads: a
 * page-cache read of up to 64 KiB takes well under a millisecond here.
 */
export const SLOW_SYNC_READ_MS = 2;

/** One opened file: its name as given, its size, and a reader of byte ranges. */
export interface OpenedFile {
  name: string;
  size: number;
  read: ReadChunk;
  /**
   * Reads of up to 64 KiB (a record read again) get a buffer of their own (and are done when the
   * call returns, so several may be asked at once); larger
   * ones (a pass's chunks) share one buffer, and the caller copies what it keeps before the next.
   */
  concurrentReads: true;
  /** the layout its bytes have whatever the options say (a Parquet file's rows as CSV text) */
  layout?: Partial<CsvLayout>;
}

/**
 * Opens `files` (relative to `cwd`) for reading in chunks. The caller closes them with `close()`;
 * when one cannot be opened, those opened before it are closed and `unusable(message)` is thrown.
 */
export async function openFilesForReading(
  files: readonly string[],
  cwd: string,
  unusable: (message: string) => Error,
  { now = () => performance.now() }: { now?: () => number } = {},
): Promise<{ files: OpenedFile[]; close: () => Promise<void> }> {
  const handles: Awaited<ReturnType<typeof open>>[] = [];
  const close = async () => {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  };
  const opened: OpenedFile[] = [];
  try {
    for (const file of files) {
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path.resolve(cwd, file), 'r');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw unusable(
          `cannot read "${file}": ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}.`,
        );
      }
      handles.push(handle);
      const info = await handle.stat();
      if (!info.isFile()) throw unusable(`cannot read "${file}": it is not a regular file.`);
      let buffer = new Uint8Array(0);
      let syncRecordReads = true;
      const read: ReadChunk = async (offset, length) => {
        // a record's read (the merge reads the 1,000 listed keys' texts): bytes of its own, read
        // synchronously — a page-cache read of a few KB costs less CPU than the thread-pool round
        // trip of an asynchronous one (tests/bench/RESULTS.md).
        // A file whose sync read was slow (a network share, a cold disk) reads asynchronously from
        // then on: 1,000 blocking reads of a few ms each would stall cancel, progress and the
        // workers' answers for seconds, and async reads overlap (the merge asks 16 at once).
        if (length <= RECORD_MAX_READ_BYTES) {
          const own = new Uint8Array(length);
          if (syncRecordReads) {
            const start = now();
            const bytesRead = readSync(handle.fd, own, 0, length, offset);
            if (now() - start > SLOW_SYNC_READ_MS) syncRecordReads = false;
            return own.subarray(0, bytesRead);
          }
          const { bytesRead } = await handle.read(own, 0, length, offset);
          return own.subarray(0, bytesRead);
        }
        if (buffer.length < length) buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      };
      opened.push({ name: file, size: info.size, read, concurrentReads: true });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { files: opened, close };
}

/** What a small JSON input is called in messages, and how large it may be. */
interface SmallJsonFile {
  /** the word for it after "cannot read", e.g. "plan" */
  what: string;
  /** what a file too large cannot be, e.g. "a sample plan" */
  tooLargeFor: string;
  maxBytes: number;
}

/**
 * Reads a small JSON file (a plan, a contract): a regular file within `maxBytes`, strict UTF-8,
 * parsed with line and column on error. Every failure is `unusable(message)`, naming the file as
 * typed and the kind of problem, never its content.
 */
export async function readSmallJsonFile(
  file: string,
  cwd: string,
  about: SmallJsonFile,
  unusable: (message: string) => Error,
): Promise<unknown> {
  return parsedJson(await readSmallTextFile(file, cwd, about, unusable), file, about, unusable);
}

/**
 * Reads a small JSON file as {@link readSmallJsonFile} does, with the SHA-256 (lowercase hex) of
 * the bytes read: a command that replaces the file later compares it with the file's bytes then
 * (`writeWholeFileIfUnchanged`), so an edit made meanwhile is not overwritten.
 */
export async function readSmallJsonFileWithSha256(
  file: string,
  cwd: string,
  about: SmallJsonFile,
  unusable: (message: string) => Error,
): Promise<{ value: unknown; sha256: string }> {
  const bytes = await smallFileBytes(file, cwd, about, unusable);
  const value = parsedJson(textOf(bytes, file, about, unusable), file, about, unusable);
  return { value, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function parsedJson(
  text: string,
  file: string,
  about: SmallJsonFile,
  unusable: (message: string) => Error,
): unknown {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw unusable(jsonProblemMessage(about, file, parsed.problem.message));
  return parsed.value;
}

/** The message of a small JSON file that is not JSON, as {@link readSmallJsonFile} gives it. */
function jsonProblemMessage(about: Pick<SmallJsonFile, 'what'>, file: string, problem: string): string {
  return `${about.what} "${file}": ${problem}.`;
}

/**
 * Reads the text of a small JSON file as {@link readSmallJsonFile} does, without parsing it (a
 * caller that parses in steps: a waivers file).
 */
export async function readSmallTextFile(
  file: string,
  cwd: string,
  about: SmallJsonFile,
  unusable: (message: string) => Error,
): Promise<string> {
  return textOf(await smallFileBytes(file, cwd, about, unusable), file, about, unusable);
}

function smallFileBytes(
  file: string,
  cwd: string,
  { what, tooLargeFor, maxBytes }: SmallJsonFile,
  unusable: (message: string) => Error,
): Promise<Uint8Array> {
  return readSmallBytesFile(
    file,
    cwd,
    { what, maxBytes, tooLarge: () => ({ message: `"${file}" is too large to be ${tooLargeFor}.` }) },
    unusable,
  );
}

function textOf(
  bytes: Uint8Array,
  file: string,
  { what }: SmallJsonFile,
  unusable: (message: string) => Error,
): string {
  const decoded = decodeUtf8Strict(bytes, `${what} "${file}"`);
  if (!decoded.ok) throw unusable(`${decoded.problem.message}.`);
  return decoded.text;
}

/**
 * The bytes of a small file: a regular file within `maxBytes` (`tooLarge` words a larger one, from
 * its size, before it is read). Every failure is `unusable(message)`, naming the file as typed.
 */
export async function readSmallBytesFile(
  file: string,
  cwd: string,
  about: {
    what: string;
    maxBytes: number;
    tooLarge: (size: number) => { message: string; advice?: string } | undefined;
  },
  unusable: (message: string) => Error,
): Promise<Uint8Array> {
  const { what, maxBytes } = about;
  const where = path.resolve(cwd, file);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(where);
  } catch (error) {
    throw unusable(`cannot read ${what} "${file}": ${failureOf(error)}.`);
  }
  if (!info.isFile()) throw unusable(`cannot read ${what} "${file}": it is not a regular file.`);
  if (info.size > maxBytes) {
    const words = about.tooLarge(info.size);
    throw unusable(
      words ? [words.message, words.advice].filter(Boolean).join(' ') : `"${file}" is too large.`,
    );
  }
  try {
    return await readFile(where);
  } catch (error) {
    throw unusable(`cannot read ${what} "${file}": ${failureOf(error)}.`);
  }
}

/** "no such file", or the error's code: what went wrong, never a path or content. */
function failureOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? 'read error');
}
