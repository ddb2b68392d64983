/**
 * The browser's key spill (core keySpill.ts) in the origin private file system (OPFS), so memory
 * does not grow with the number of keys in the browser either. The page starts a run's spill
 * ({@link startRunKeySpill}: one folder per run under {@link KEY_SPILL_FOLDER}, held by a Web Lock);
 * each validator worker writes the key sets of the file it validates to files of that folder
 * through synchronous access handles ({@link openFileKeySpill}), reads them back at the file's end
 * to check its keys, and deletes them; the page removes the folder when the run ends.
 *
 * Constraints:
 * - The core's `KeySpill.create` and `KeySpillStore.append` are synchronous (called from the row
 *   loop): only a `FileSystemSyncAccessHandle` writes synchronously, and it exists in dedicated
 *   workers only, and is made asynchronously. So `create` starts opening its file and the appends
 *   are held in memory, in write buffers, until it is open (the pass awaits its next read
 *   meanwhile); those are the first writes. Besides the bound, a pass's memory holds what its key
 *   sets append while their files open (at the crossing, the bound's records once more, until the
 *   held copies are written and the key set's own are collected).
 * - Workers gather appended blocks and write them {@link WORKER_WRITE_BUFFER_BYTES} at a time: in a
 *   private window a sync handle's write is a message to the browser process.
 * - A file's key sets hold their records in memory up to a bound ({@link keyMemoryBytesFor}: less
 *   on a device with little memory) and open and write key files only past it: an ordinary file
 *   makes no OPFS request in its worker.
 * - Files hold hashes, row numbers and byte offsets only — never record content.
 * - Cleaned up whatever happens: a finished, failed or cancelled pass removes its files; the page
 *   removes the run's folder when the run ends; a folder a crashed tab left behind (no live Web Lock
 *   of its run) is removed when the next run starts.
 * - Any OPFS failure (no OPFS, private mode, quota) is a {@link KeySpillFailed}: the file is
 *   validated again with its key sets in memory (workers/validateRun.ts), so no result is lost.
 * - No globals: the OPFS root and the lock manager are injected (vitest runs this against fakes).
 */
import { KEY_SPILL_MEMORY_BYTES, type KeySpill, type KeySpillStore } from '../src/core/validation/index.ts';

/** The OPFS folder holding one folder per run. */
export const KEY_SPILL_FOLDER = 'preflight-key-spill';

/** Wait before a run's folder is removed again (longer than the pool's cancel grace, 1.5 s). */
const RETRY_REMOVE_MS = 3000;
/** Web Lock names of runs start with this (a held lock marks a live run's folder). */
const LOCK_PREFIX = `${KEY_SPILL_FOLDER}/`;

/** What the spill uses of a `FileSystemSyncAccessHandle`. */
export interface SpillSyncHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  close(): void;
}

/** What the spill uses of a `FileSystemFileHandle`. */
export interface SpillFileHandle {
  /** dedicated workers only */
  createSyncAccessHandle(): Promise<SpillSyncHandle>;
  getFile(): Promise<Blob>;
}

/** What the spill uses of a `FileSystemDirectoryHandle`. */
export interface SpillDirectory {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<SpillDirectory>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<SpillFileHandle>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
}

/** What the spill uses of `navigator.locks`. */
export interface SpillLocks {
  request(name: string, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/**
 * The key files could not be made, written or read (no OPFS, private browsing, storage full). The
 * run is done again in memory; `reason` is the DOMException's name (never file content).
 */
export class KeySpillFailed extends Error {
  constructor(readonly reason: string) {
    super(`key spill failed (${reason})`);
    this.name = 'KeySpillFailed';
  }
}

/** Runs an OPFS operation, turning its failure into a {@link KeySpillFailed}. */
function guarded<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw asSpillFailure(error);
  }
}

function asSpillFailure(error: unknown): KeySpillFailed {
  if (error instanceof KeySpillFailed) return error;
  return new KeySpillFailed((error as Error | undefined)?.name ?? 'Error');
}

/** A run's key spill on the page: the folder its workers write in. */
export interface RunKeySpill {
  /** the run's folder name (sent to the workers) */
  readonly run: string;
  /** Removes the run's folder and releases its lock (call once, when the run ends, whatever happened). */
  remove(): Promise<void>;
}

/** Options of {@link startRunKeySpill}. */
interface RunKeySpillOptions {
  /** a fresh name for the run (e.g. `crypto.randomUUID()`) */
  run: string;
  /** `navigator.locks`, when there is one: without it, other runs' folders are left alone */
  locks?: SpillLocks;
  /** wait before a folder still in use is removed again (default {@link RETRY_REMOVE_MS}) */
  retryRemoveMs?: number;
}

/** Removes folders of runs no live tab holds (a crashed or closed tab's leftovers); best effort. */
async function removeStaleRuns(folder: SpillDirectory, locks: SpillLocks): Promise<void> {
  const held = new Set(((await locks.query()).held ?? []).map((l) => l.name));
  const stale: string[] = [];
  for await (const name of folder.keys()) if (!held.has(LOCK_PREFIX + name)) stale.push(name);
  for (const name of stale) await folder.removeEntry(name, { recursive: true }).catch(() => {});
}

/**
 * Removes the key-spill folders of runs no live tab holds — what a crashed or killed tab left —
 * at app start, before any run needs the space. Without Web Locks nothing is removed (a folder
 * may belong to a run in another tab). Best effort: never rejects.
 */
export async function removeStaleKeySpill(
  root: SpillDirectory,
  locks: SpillLocks | undefined,
): Promise<void> {
  if (!locks) return;
  try {
    const folder = await root.getDirectoryHandle(KEY_SPILL_FOLDER);
    await removeStaleRuns(folder, locks);
  } catch {
    // no folder yet, or no OPFS: nothing to clean
  }
}

/**
 * Starts a run's key spill: takes the run's Web Lock, removes stale runs' folders, makes the run's
 * folder. Rejects with {@link KeySpillFailed} when OPFS cannot be used (the run keeps its key sets in
 * memory then).
 */
export async function startRunKeySpill(
  root: SpillDirectory,
  options: RunKeySpillOptions,
): Promise<RunKeySpill> {
  const { run, locks } = options;
  let release = () => {};
  try {
    if (locks) {
      // the lock is held from before the folder exists until after it is gone
      await new Promise<void>((granted, failed) => {
        locks
          .request(LOCK_PREFIX + run, () => {
            granted();
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch(failed);
      });
    }
    const folder = await root.getDirectoryHandle(KEY_SPILL_FOLDER, { create: true });
    if (locks) await removeStaleRuns(folder, locks);
    await folder.getDirectoryHandle(run, { create: true });
    return {
      run,
      async remove() {
        const removed = await folder.removeEntry(run, { recursive: true }).then(
          () => true,
          () => false,
        );
        if (removed) return release();
        // a cancelled part's worker may still hold a file open: once more when it had time to stop
        setTimeout(() => {
          void folder
            .removeEntry(run, { recursive: true })
            .catch(() => {})
            .finally(release);
        }, options.retryRemoveMs ?? RETRY_REMOVE_MS);
      },
    };
  } catch (error) {
    release();
    throw asSpillFailure(error);
  }
}

/**
 * Bytes a worker gathers before it writes them to a key file. The engine appends one block of 256
 * keys at a time (≈ 9 KB with four demographics): thousands of writes per million rows, each a
 * message to the browser process where the sync handle is one (Chromium's private windows).
 */
const WORKER_WRITE_BUFFER_BYTES = 512 * 1024;

/**
 * Records per block of a spilled key set in OPFS (the core's default is 256): each block is one
 * synchronous read when its partition is checked, and in a private window each read is a round
 * trip to the browser process — 4,096 of them for a million keys at 256, 1,024 at this size. The
 * worker's write buffers grow to 256 blocks of it (≈ 9.4 MB with four demographic columns).
 */
export const OPFS_BLOCK_RECORDS = 1024;

/** Key-record memory per GiB of the device's memory (`navigator.deviceMemory`). */
const KEY_MEMORY_PER_GIB = 16 * 1024 * 1024;

/**
 * The bytes of key records a file's pass holds in memory before it writes its key files: the
 * core's {@link KEY_SPILL_MEMORY_BYTES}, less on a device reporting under 4 GiB of memory (16 MiB
 * per GiB: 4 MiB at the smallest value browsers report, 0.25).
 */
export function keyMemoryBytesFor(deviceMemoryGiB: number | undefined): number {
  if (deviceMemoryGiB === undefined || !(deviceMemoryGiB > 0)) return KEY_SPILL_MEMORY_BYTES;
  return Math.min(KEY_SPILL_MEMORY_BYTES, Math.floor(deviceMemoryGiB * KEY_MEMORY_PER_GIB));
}

/** Options of {@link openFileKeySpill}. */
interface FileKeySpillOptions {
  /** the run's folder name ({@link RunKeySpill.run}) */
  run: string;
  /** files to open: at most this many key sets spill (one per key column) */
  count: number;
  /** a fresh, file-name-safe prefix for this pass's files (e.g. `crypto.randomUUID()`) */
  prefix: string;
  /** bytes gathered before a write (default {@link WORKER_WRITE_BUFFER_BYTES}) */
  writeBufferBytes?: number;
  /** key-record bytes held in memory before the files are written (the core's default) */
  memoryBytes?: number;
}

/** A file's key spill in a validator worker. */
export interface FileKeySpill {
  /** the spill the file's `validateCsv` writes to and checks from */
  readonly spill: KeySpill;
  /** After the pass, whatever happened: closes and removes every file left (best effort). */
  close(): Promise<void>;
}

/** Writes all of `bytes` at `at` (a sync handle may write fewer bytes than asked). */
function writeAll(handle: SpillSyncHandle, bytes: Uint8Array, at: number): void {
  let written = 0;
  while (written < bytes.byteLength) {
    const n = handle.write(bytes.subarray(written), { at: at + written });
    if (n <= 0) throw new KeySpillFailed('a key file write wrote nothing');
    written += n;
  }
}

/** Reads exactly `into.byteLength` bytes at `at`. */
function readAll(handle: SpillSyncHandle, into: Uint8Array, at: number): void {
  let read = 0;
  while (read < into.byteLength) {
    const n = handle.read(into.subarray(read), { at: at + read });
    if (n <= 0) throw new KeySpillFailed('a key file cut short');
    read += n;
  }
}

/** One key file of a worker: its sync handle once open, and the appended bytes not written yet. */
interface WorkerFile {
  name: string;
  handle: SpillSyncHandle | undefined;
  /** settles once the file is open (or could not be opened: then `failure` says why) */
  opening: Promise<void>;
  /** why the file cannot be used (its open or a write failed); every later use throws it */
  failure: KeySpillFailed | undefined;
  /** bytes appended, written or not */
  size: number;
  /**
   * before the file is open, appended bytes in full write buffers (one write each once it is
   * open), in order; `pending` follows them
   */
  held: Uint8Array[];
  /** the last `pendingBytes` appended bytes, not written yet (a write buffer) */
  pending: Uint8Array;
  pendingBytes: number;
  /** writing ended (`close`): what is pending is written as soon as the file is open */
  closed: boolean;
  /** closed and removed (`dispose`, or the pass ended) */
  ended: boolean;
}

/**
 * A file's key spill in the run's folder (in a validator worker). Nothing in OPFS is touched until
 * a key set goes past the pass's memory bound: `create` then starts opening that set's key file,
 * and the set's appends are held in memory until it is open (the pass reads its input between
 * appends, so the open completes within a read or two); the held bytes are its first writes, a
 * write buffer each. A file that cannot be opened or written (no OPFS, its run's folder gone, storage full) makes
 * the pass fail with {@link KeySpillFailed} (the page then validates it in memory).
 */
export async function openFileKeySpill(
  root: SpillDirectory | (() => Promise<SpillDirectory>),
  options: FileKeySpillOptions,
): Promise<FileKeySpill> {
  const { run, count, prefix } = options;
  const bufferBytes = options.writeBufferBytes ?? WORKER_WRITE_BUFFER_BYTES;
  const files: WorkerFile[] = [];
  // not created here: a folder the page already removed (a cancelled run) is not made again
  let folder: Promise<SpillDirectory> | undefined;
  const runFolder = () => {
    folder ??= (async () => {
      const top = typeof root === 'function' ? await root() : root;
      return (await top.getDirectoryHandle(KEY_SPILL_FOLDER)).getDirectoryHandle(run);
    })();
    return folder;
  };
  /** Closes and removes `file` once its open has settled (best effort). */
  const discard = async (file: WorkerFile) => {
    file.ended = true;
    await file.opening;
    try {
      file.handle?.close();
    } catch {
      // already closed or gone with the worker's storage: nothing held
    }
    if (!file.handle) return;
    file.handle = undefined;
    await (await runFolder()).removeEntry(file.name).catch(() => {});
  };
  const closeAll = async () => {
    for (const f of files) await discard(f);
  };
  const writePending = (file: WorkerFile) => {
    const handle = file.handle;
    if (!handle) return;
    let at = file.size - file.pendingBytes - file.held.length * bufferBytes;
    for (const buffer of file.held) {
      writeAll(handle, buffer, at);
      at += buffer.byteLength;
    }
    file.held = [];
    if (file.pendingBytes > 0) writeAll(handle, file.pending.subarray(0, file.pendingBytes), at);
    file.pendingBytes = 0;
  };
  const open = (file: WorkerFile) =>
    (async () => {
      const handle = await (await (await runFolder()).getFileHandle(file.name, { create: true }))
        .createSyncAccessHandle()
        .catch(async (error: unknown) => {
          // made but not opened: not left behind
          await (await runFolder()).removeEntry(file.name).catch(() => {});
          throw error;
        });
      file.handle = handle;
      // what was appended while it opened, unless the pass ended meanwhile
      if (!file.ended) writePending(file);
      if (file.closed) file.pending = new Uint8Array(0);
    })().catch((error: unknown) => {
      file.failure = asSpillFailure(error);
      file.held = [];
      file.pending = new Uint8Array(0);
      file.pendingBytes = 0;
    });
  const storeOf = (file: WorkerFile): KeySpillStore => {
    const usable = () => {
      if (file.ended) throw new Error('a key file used after its pass ended');
      if (file.failure) throw file.failure;
    };
    /**
     * Copies `bytes` into the write buffer; a full buffer is set aside in `held` (before the file
     * is open: once open, appends write a buffer before it fills).
     */
    const hold = (bytes: Uint8Array) => {
      let from = 0;
      while (from < bytes.byteLength) {
        if (file.pendingBytes === bufferBytes) {
          file.held.push(file.pending);
          file.pending = new Uint8Array(0);
          file.pendingBytes = 0;
        }
        if (file.pending.byteLength === 0) file.pending = new Uint8Array(bufferBytes);
        const n = Math.min(bytes.byteLength - from, bufferBytes - file.pendingBytes);
        file.pending.set(bytes.subarray(from, from + n), file.pendingBytes);
        file.pendingBytes += n;
        from += n;
      }
    };
    return {
      append(bytes) {
        usable();
        return guarded(() => {
          const at = file.size;
          const handle = file.handle;
          if (!handle) hold(bytes);
          else {
            if (file.pendingBytes + bytes.byteLength > bufferBytes) writePending(file);
            if (bytes.byteLength >= bufferBytes) writeAll(handle, bytes, at);
            else hold(bytes);
          }
          file.size += bytes.byteLength;
          return at;
        });
      },
      async read(position, into) {
        await file.opening;
        usable();
        const handle = file.handle as SpillSyncHandle;
        guarded(() => {
          writePending(file);
          readAll(handle, into, position);
        });
      },
      close() {
        file.closed = true;
        if (!file.handle) return;
        guarded(() => writePending(file));
        file.pending = new Uint8Array(0);
      },
      dispose: () => discard(file),
    };
  };
  return {
    spill: {
      blockRecords: OPFS_BLOCK_RECORDS,
      ...(options.memoryBytes === undefined ? {} : { memoryBytes: options.memoryBytes }),
      create() {
        if (files.length >= count)
          throw new Error('more spilling key sets than key files opened for the file');
        const file: WorkerFile = {
          name: `${prefix}-${files.length}.keys`,
          handle: undefined,
          opening: Promise.resolve(),
          failure: undefined,
          size: 0,
          held: [],
          pending: new Uint8Array(0),
          pendingBytes: 0,
          closed: false,
          ended: false,
        };
        files.push(file);
        file.opening = open(file);
        return storeOf(file);
      },
    },
    close: closeAll,
  };
}
