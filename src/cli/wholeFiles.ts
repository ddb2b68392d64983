/**
 * Files the CLI writes (reports, failing rows, OperationOutcomes) appear whole or not at all. Each
 * is written to `<name>.partial` beside it, flushed to the disk and then renamed over it, so a run
 * killed while it writes (SIGKILL, power loss, a full disk) leaves the earlier file as it was, never
 * a half-written one that a later `--compare` or a pipeline would take as a result.
 *
 * The `.partial` file a killed run leaves is how the next run knows: it says that an earlier run
 * was stopped before it finished the file, and removes the unfinished copy. Every command that
 * writes files makes their copies empty when it starts ({@link claimOutputs},
 * {@link withClaimedOutputs}), so a run killed while it still works is named too; a run that ends,
 * well or with an error, leaves none.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type CliIo, writeData } from './command.ts';

/** The unfinished copy of `target` while it is written. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * Says on stderr when an earlier run was stopped before it finished `target` (its `.partial` copy
 * is still there) and removes that copy. `shown` is the name the user gave.
 */
export async function noteInterruptedWrite(target: string, shown: string, io: CliIo): Promise<void> {
  const partial = target + PARTIAL_SUFFIX;
  const found = await stat(partial).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!found) return;
  await rm(partial, { force: true });
  io.stderr(
    `preflight: an earlier run was stopped before it finished "${shown}": its unfinished copy "${shown}${PARTIAL_SUFFIX}" was removed, and "${shown}" was left as it was before that run.`,
  );
}

/**
 * Marks the files a run will write before it starts its work: an earlier run's unfinished copy of
 * each is named and removed ({@link noteInterruptedWrite}), then an empty `.partial` copy is made,
 * so a run killed while it still validates leaves its mark too. `release()` removes what is left
 * of the copies: called when the run ends, well or not, it leaves them only behind a killed run.
 */
export async function claimOutputs(
  outputs: readonly { target: string; shown: string }[],
  io: CliIo,
): Promise<{ release(): Promise<void> }> {
  for (const { target, shown } of outputs) {
    await noteInterruptedWrite(target, shown, io);
    // a folder that does not exist or a full disk is said when the file is written
    await open(target + PARTIAL_SUFFIX, 'w').then(
      (handle) => handle.close(),
      () => undefined,
    );
  }
  return {
    async release() {
      for (const { target } of outputs) await rm(target + PARTIAL_SUFFIX, { force: true });
    },
  };
}

/**
 * Runs `work` with the files named in `files` (relative to `io.cwd`; undefined for an output the
 * user did not ask for) claimed ({@link claimOutputs}), and releases them when it ends, well or
 * not: the shape of every command that writes files.
 */
export async function withClaimedOutputs<T>(
  files: readonly (string | undefined)[],
  io: CliIo,
  work: () => Promise<T>,
): Promise<T> {
  const outputs = await claimOutputs(outputTargets(files, io), io);
  try {
    return await work();
  } finally {
    await outputs.release();
  }
}

/** The files a command was asked to write, resolved against its folder, with the names the user gave. */
export function outputTargets(
  files: readonly (string | undefined)[],
  io: CliIo,
): { target: string; shown: string }[] {
  return files
    .filter((file): file is string => file !== undefined)
    .map((file) => ({ target: path.resolve(io.cwd, file), shown: file }));
}

/**
 * Writes `text` whole to `file` (relative to `io.cwd`, claimed by the run) or, without one, to
 * stdout; returns what went wrong, in words, or undefined.
 */
export async function writeOutput(
  text: string,
  file: string | undefined,
  io: CliIo,
): Promise<string | undefined> {
  if (file === undefined) {
    writeData(io, text);
    return undefined;
  }
  try {
    await writeWholeFile(path.resolve(io.cwd, file), text.endsWith('\n') ? text : `${text}\n`);
    return undefined;
  } catch (error) {
    return `cannot write "${file}": ${writeFailure(error)}`;
  }
}

/** Flushes the finished copy to the disk and puts it in place of `target` in one step. */
export async function settle(target: string): Promise<void> {
  const partial = target + PARTIAL_SUFFIX;
  const handle = await open(partial, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(partial, target);
}

/** Writes `text` (or bytes) to `target` whole (see the file header); on failure nothing of it is left. */
export async function writeWholeFile(target: string, text: string | Uint8Array): Promise<void> {
  const partial = target + PARTIAL_SUFFIX;
  try {
    const handle = await open(partial, 'w');
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await settle(target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** The file a command read changed on disk before the command replaced it (nothing was written). */
export class ChangedSinceReadError extends Error {
  override name = 'ChangedSinceReadError';
}

/**
 * Writes `text` whole over `target` ({@link writeWholeFile}) only while `target` still holds the
 * bytes whose SHA-256 (lowercase hex) is `readSha256`: the file is read again just before the
 * write, so an edit saved while the command worked is not overwritten. The CLI holds no lock: an
 * edit saved between this read and the rename still loses, but that is a moment, not a whole run.
 *
 * @throws ChangedSinceReadError when the bytes differ or the file is gone (nothing was written)
 */
export async function writeWholeFileIfUnchanged(
  target: string,
  text: string | Uint8Array,
  readSha256: string,
): Promise<void> {
  const now = await readFile(target).then(
    (bytes) => createHash('sha256').update(bytes).digest('hex'),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    },
  );
  if (now !== readSha256) throw new ChangedSinceReadError(`${target} changed since it was read`);
  await writeWholeFile(target, text);
}

/** A stream to `target`'s unfinished copy: `finish()` puts it in place, `abandon()` removes it. */
interface WholeFileStream {
  stream: WriteStream;
  finish(): Promise<void>;
  abandon(): Promise<void>;
}

export function createWholeFileStream(target: string): WholeFileStream {
  const partial = target + PARTIAL_SUFFIX;
  const stream = createWriteStream(partial);
  return {
    stream,
    async finish() {
      stream.end();
      await once(stream, 'close');
      await settle(target);
    },
    async abandon() {
      // the descriptor is closed before the copy is removed: an unlinked file that is still open
      // keeps its space, so a full disk would stay full after the command said it left nothing
      if (!stream.closed) {
        const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        stream.destroy();
        await closed;
      }
      await rm(partial, { force: true });
    },
  };
}

/** Why a write failed, in words, from its error code. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space or write it elsewhere, then run again',
  EDQUOT: 'the disk quota is used up: free some space or write it elsewhere, then run again',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  EROFS: 'the disk is read-only',
  ENOENT: 'its folder does not exist',
  EISDIR: 'it is a folder',
};

/** The words for a failed write's error (its code, when there is no better word). */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return 'write error';
  return WRITE_FAILURES[code] ?? code;
}
