/**
 * The browser's key spill (core keySpill.ts) in the origin private file system (OPFS): issue 8,
 * "memory must not grow with file size", in the browser too. The page starts a run's spill
 * ({@link startRunKeySpill}: one folder per run under {@link KEY_SPILL_FOLDER}); each validator
 * worker writes the key sets of its range to files of that folder through synchronous access
 * handles ({@link openPartKeySpill}), and the page reads them back to check the keys of all ranges
 * at once (the core's merge, splitMerge.ts), then removes the folder.
 *
 * Constraints:
 * - The core's `KeySpill.create` and `KeySpillStore.append` are synchronous (called from the row
 *   loop): only a `FileSystemSyncAccessHandle` writes synchronously, and it exists in dedicated
 *   workers only, and is made asynchronously. So a worker opens one file per key column before the
 *   part starts, and `create` hands them out.
 * - A sync access handle locks its file: the worker closes it before the page reads the file.
 *   Before that, each spilled set is rewritten with its partitions laid end to end
 *   ({@link PartKeySpill.finish}): the page then reads each file front to back in 1 MiB windows
 *   ({@link PAGE_READ_WINDOW_BYTES}) instead of one slice per block of 256 keys (thousands of
 *   small `Blob` reads from the main thread, ≈ 1 ms each however small).
 * - Workers gather appended blocks and write them 512 KiB at a time ({@link WORKER_WRITE_BUFFER_BYTES}):
 *   in a private window a sync handle's write is a message to the browser process.
 * - A part's first key records (up to its share of {@link KEY_SPILL_MEMORY_BYTES}) stay in the
 *   worker's memory and only the rest goes to its files: a whole input checked in its worker then
 *   reads back from memory, not with one sync read per block of 256 keys; a range is laid out for
 *   the page from memory into one file. Memory stays bounded by that share, whatever the file size.
 * - Files hold hashes, row numbers and byte offsets only — never record content.
 * - Cleaned up whatever happens: a finished, failed or cancelled part removes its files; the page
 *   removes the run's folder when the run ends; a folder a crashed tab left behind (no live Web Lock
 *   of its run) is removed when the next run starts.
 * - Any OPFS failure (no OPFS, private mode, quota) is a {@link KeySpillFailed}: the run is done
 *   again with the key sets in memory (workers/validateRun.ts), so no result is lost.
 * - No globals: the OPFS root and the lock manager are injected (vitest runs this against fakes).
 */
import type { KeySpill, KeySpillStore, SpilledKeys } from '../src/core/migration/keySpill.ts';
import type { CsvValidationResult } from '../src/core/migration/validateCsv.ts';

/** The OPFS folder holding one folder per run. */
export const KEY_SPILL_FOLDER = 'preflight-key-spill';

/**
 * Inputs (the files of a run together) below this size keep their key sets in memory: a spilling
 * key set's write buffers (≈ 1.3–2.4 MB per key column and worker) cost about what an in-memory set
 * of ≈ 70,000 keys (≈ 16 MB of a typical extract) costs, and small files gain nothing from OPFS.
 */
export const KEY_SPILL_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of key records a run keeps in its validator workers' memory (divided among its parts)
 * before writing any to OPFS: ≈ 1.8 million keys with four demographic columns (36 bytes each),
 * about what an in-memory key set of the same keys costs. Below it the spill costs no OPFS write
 * or read but a range's laid-out file for the page; above it memory stays bounded. Measured at 1M
 * rows, 1 worker, private window: every key written to and read back from OPFS (thousands of sync
 * reads, each a message to the browser process) was ≈ 2 CPU-s and ≈ 2 s of the run.
 */
export const KEY_SPILL_MEMORY_BYTES = 64 * 1024 * 1024;

/** Wait before a run's folder is removed again (longer than the pool's cancel grace, 1.5 s). */
const RETRY_REMOVE_MS = 3000;
/** Web Lock names of runs start with this (a held lock marks a live run's folder). */
const LOCK_PREFIX = `${KEY_SPILL_FOLDER}/`;
/** File names the spill makes (an id naming anything else is refused). */
const FILE_NAME = /^[\w-]+\.keys$/;

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

/** A store id: the run's folder and the file's name. */
function storeId(run: string, file: string): string {
  return `${run}/${file}`;
}

/** The file name of a store id of run `run` (a programming error for any other id). */
function fileOf(run: string, id: string): string {
  const slash = id.indexOf('/');
  const file = id.slice(slash + 1);
  if (id.slice(0, slash) !== run || !FILE_NAME.test(file))
    throw new Error('a key spill store outside its run');
  return file;
}

/** A run's key spill on the page: what workers are told, and the reader the merge uses. */
export interface RunKeySpill {
  /** the run's folder name (sent to the workers) */
  readonly run: string;
  /** reads (asynchronously) the stores the workers wrote; it never creates any */
  readonly spill: KeySpill;
  /** Removes the run's folder and releases its lock (call once, when the run ends, whatever happened). */
  remove(): Promise<void>;
}

/** Options of {@link startRunKeySpill}. */
export interface RunKeySpillOptions {
  /** a fresh name for the run (e.g. `crypto.randomUUID()`) */
  run: string;
  /** `navigator.locks`, when there is one: without it, other runs' folders are left alone */
  locks?: SpillLocks;
  /** wait before a folder still in use is removed again (default {@link RETRY_REMOVE_MS}) */
  retryRemoveMs?: number;
  /** bytes the page reads from a key file at once (default {@link PAGE_READ_WINDOW_BYTES}) */
  readWindowBytes?: number;
}

/** Removes folders of runs no live tab holds (a crashed or closed tab's leftovers); best effort. */
async function removeStaleRuns(folder: SpillDirectory, locks: SpillLocks): Promise<void> {
  const held = new Set(((await locks.query()).held ?? []).map((l) => l.name));
  const stale: string[] = [];
  for await (const name of folder.keys()) if (!held.has(LOCK_PREFIX + name)) stale.push(name);
  for (const name of stale) await folder.removeEntry(name, { recursive: true }).catch(() => {});
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
    const runFolder = await folder.getDirectoryHandle(run, { create: true });
    return {
      run,
      spill: pageReader(run, runFolder, options.readWindowBytes ?? PAGE_READ_WINDOW_BYTES),
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
 * Bytes the page reads from a key file at once. A `Blob` read costs about a millisecond however
 * small (measured in Chromium on 2 cores: `slice` alone ≈ 0.5 ms), and the check reads each file
 * front to back, one partition (a few KB to ~150 KB) at a time: read 256 times per range it was
 * ≈ 0.6 s of the page's time after the ranges of a 250,000-row run, in series. Read in windows of
 * this size it is 1 read per window. Memory: one window per range's file while they are checked.
 */
export const PAGE_READ_WINDOW_BYTES = 1024 * 1024;

/** The page's side: opens stores by id and reads them with `Blob` slices (no sync handle on a page). */
function pageReader(run: string, folder: SpillDirectory, windowBytes: number): KeySpill {
  return {
    create() {
      throw new Error('the page does not write key files (the validator workers do)');
    },
    open(id): KeySpillStore {
      const name = fileOf(run, id);
      let file: Promise<Blob> | undefined;
      /** the last window read: bytes [`start`, `start + bytes.byteLength`) of the file */
      let window = { start: 0, bytes: new Uint8Array(0) };
      return {
        id,
        append() {
          throw new Error('a key file is read-only on the page');
        },
        async read(position, into) {
          try {
            const end = position + into.byteLength;
            if (position < window.start || end > window.start + window.bytes.byteLength) {
              file ??= folder.getFileHandle(name).then((handle) => handle.getFile());
              // a slice past the end of the file ends at its end
              const length = Math.max(into.byteLength, windowBytes);
              const bytes = await (await file).slice(position, position + length).arrayBuffer();
              if (bytes.byteLength < into.byteLength) throw new KeySpillFailed('a key file cut short');
              window = { start: position, bytes: new Uint8Array(bytes) };
            }
            into.set(window.bytes.subarray(position - window.start, end - window.start));
          } catch (error) {
            throw asSpillFailure(error);
          }
        },
        close() {
          window = { start: 0, bytes: new Uint8Array(0) };
        },
        async dispose() {
          window = { start: 0, bytes: new Uint8Array(0) };
          // the run's folder goes at the end anyway
          await folder.removeEntry(name).catch(() => {});
        },
      };
    },
  };
}

/** A part's key spill in a validator worker. */
export interface PartKeySpill {
  /** the spill the part's `validateCsv` writes to (and, for a whole input, checks from) */
  readonly spill: KeySpill;
  /**
   * After the part: lays each key set the result still holds spilled (a range's, checked by the
   * page) out partition by partition in a new file, and closes and removes every other file.
   * Every file is closed afterwards: the page may read them.
   */
  finish(result: CsvValidationResult): Promise<void>;
  /** After a failed or cancelled part: closes and removes all its files (best effort). */
  abandon(): Promise<void>;
}

/**
 * Bytes a worker gathers before it writes them to a key file. The engine appends one block of 256
 * keys at a time (≈ 9 KB with four demographics): thousands of writes per million rows. Where a
 * sync access handle's write is a message to the browser process (Chromium's private windows,
 * whose OPFS is in memory) each cost ≈ 2 ms on 2 busy cores: ≈ 8 s of a 1M-row run, more than
 * the rest of the key check. Gathered, they are a few dozen writes.
 */
export const WORKER_WRITE_BUFFER_BYTES = 512 * 1024;

/**
 * An open key set of a worker: its bytes (positions as the engine sees them, 0 to `size`) lie in
 * three stretches, in this order: `[0, memoryBytes)` kept in the worker's memory (`segments`),
 * then `[memoryBytes, size − pendingBytes)` in the OPFS file (at position − `memoryBytes`), then
 * the last `pendingBytes` gathered in `pending`. A block of keys lies in one stretch (a block is
 * appended whole into one of them), but reads do not depend on it.
 */
interface WorkerFile {
  name: string;
  handle: SpillSyncHandle | undefined;
  /** bytes of the key set, wherever they are */
  size: number;
  /** appended bytes not settled yet (the set's last `pendingBytes` bytes) */
  pending: Uint8Array;
  pendingBytes: number;
  /** the set's first bytes, kept in memory: `segments[i]` starts at `segmentStarts[i]` */
  segments: Uint8Array[];
  segmentStarts: number[];
  /** bytes of `segments` together */
  memoryBytes: number;
}

/** The memory a part's key sets may still keep before writing to OPFS (shared by its files). */
interface MemoryBudget {
  left: number;
}

/**
 * Whether `bytes` more bytes of `file` are kept in memory: while the budget lasts, and only while
 * nothing of the set went to its OPFS file (memory holds the set's first bytes, the file the rest).
 */
function keepsInMemory(file: WorkerFile, budget: MemoryBudget, bytes: number): boolean {
  return bytes <= budget.left && file.memoryBytes === file.size - file.pendingBytes;
}

/** Keeps a copy of `bytes` (the set's next bytes, after every settled one) in memory. */
function keepSegment(file: WorkerFile, budget: MemoryBudget, bytes: Uint8Array): void {
  file.segments.push(bytes.slice());
  file.segmentStarts.push(file.memoryBytes);
  file.memoryBytes += bytes.byteLength;
  budget.left -= bytes.byteLength;
}

/** Settles a file's gathered bytes: kept in memory while the budget lasts, else written to its file. */
function settlePending(file: WorkerFile, budget: MemoryBudget, handle: () => SpillSyncHandle): void {
  if (file.pendingBytes === 0) return;
  const bytes = file.pending.subarray(0, file.pendingBytes);
  if (keepsInMemory(file, budget, bytes.byteLength)) keepSegment(file, budget, bytes);
  else writeAll(handle(), bytes, file.size - file.pendingBytes - file.memoryBytes);
  file.pendingBytes = 0;
}

/** Lets go of a file's memory (its bytes are not read again), giving it back to the budget. */
function releaseMemory(file: WorkerFile, budget: MemoryBudget): void {
  budget.left += file.memoryBytes;
  file.segments = [];
  file.segmentStarts = [];
  file.memoryBytes = 0;
  file.pending = new Uint8Array(0);
  file.pendingBytes = 0;
}

/**
 * Reads `into.byteLength` bytes of the key set at `position`, from whichever stretches hold them
 * (see {@link WorkerFile}): only bytes in the OPFS file cost a read of it.
 */
function readKeyBytes(
  file: WorkerFile,
  handle: () => SpillSyncHandle,
  position: number,
  into: Uint8Array,
): void {
  const end = position + into.byteLength;
  if (end > file.size) throw new Error('a key block read past the end of its set');
  const pendingStart = file.size - file.pendingBytes;
  let at = position;
  while (at < end) {
    let n: number;
    if (at < file.memoryBytes) {
      // the last segment starting at or before `at`
      let lo = 0;
      let hi = file.segmentStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((file.segmentStarts[mid] as number) <= at) lo = mid;
        else hi = mid - 1;
      }
      const segment = file.segments[lo] as Uint8Array;
      const from = at - (file.segmentStarts[lo] as number);
      n = Math.min(end - at, segment.byteLength - from);
      into.set(segment.subarray(from, from + n), at - position);
    } else if (at < pendingStart) {
      n = Math.min(end, pendingStart) - at;
      readAll(handle(), into.subarray(at - position, at - position + n), at - file.memoryBytes);
    } else {
      n = end - at;
      into.set(file.pending.subarray(at - pendingStart, at - pendingStart + n), at - position);
    }
    // a programming error (stretches out of step), never a loop that reads nothing
    if (n <= 0) throw new Error('a key block read outside its set');
    at += n;
  }
}

/** Options of {@link openPartKeySpill}. */
export interface PartKeySpillOptions {
  /** the run's folder name ({@link RunKeySpill.run}) */
  run: string;
  /** files to open: at most this many key sets spill (one per key column) */
  count: number;
  /** a fresh, file-name-safe prefix for this part's files (e.g. `crypto.randomUUID()`) */
  prefix: string;
  /** bytes gathered before a write (default {@link WORKER_WRITE_BUFFER_BYTES}) */
  writeBufferBytes?: number;
  /**
   * bytes of the part's key sets (all its files together) kept in the worker's memory before any
   * is written to OPFS (default 0: every byte goes to its file)
   */
  memoryBytes?: number;
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

/**
 * Opens a part's key files in the run's folder (in a validator worker). Rejects with
 * {@link KeySpillFailed} when they cannot be opened (the page then runs again in memory).
 */
export async function openPartKeySpill(
  root: SpillDirectory,
  options: PartKeySpillOptions,
): Promise<PartKeySpill> {
  const { run, count, prefix } = options;
  const bufferBytes = options.writeBufferBytes ?? WORKER_WRITE_BUFFER_BYTES;
  const budget: MemoryBudget = { left: Math.max(0, options.memoryBytes ?? 0) };
  const files: WorkerFile[] = [];
  let opened: SpillDirectory | undefined;
  const closeAll = () => {
    for (const f of files) {
      try {
        f.handle?.close();
      } catch {
        // already closed or gone with the worker's storage: nothing held
      }
      f.handle = undefined;
    }
  };
  const removeAll = async (keep: ReadonlySet<string>) => {
    for (const f of files) if (!keep.has(f.name)) await opened?.removeEntry(f.name).catch(() => {});
  };
  try {
    // not created here: a folder the page already removed (a cancelled run) is not made again
    opened = await (await root.getDirectoryHandle(KEY_SPILL_FOLDER)).getDirectoryHandle(run);
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${i}.keys`;
      const file = await opened.getFileHandle(name, { create: true });
      const entry: WorkerFile = {
        name,
        handle: undefined,
        size: 0,
        pending: new Uint8Array(0),
        pendingBytes: 0,
        segments: [],
        segmentStarts: [],
        memoryBytes: 0,
      };
      files.push(entry);
      entry.handle = await file.createSyncAccessHandle();
    }
  } catch (error) {
    closeAll();
    await removeAll(new Set());
    throw asSpillFailure(error);
  }
  const folder = opened;
  let handedOut = 0;
  const byId = new Map<string, { file: WorkerFile; store: KeySpillStore }>();
  const storeOf = (file: WorkerFile): KeySpillStore => {
    const handle = () => {
      if (!file.handle) throw new Error('a key file used after its part ended');
      return file.handle;
    };
    return {
      id: storeId(run, file.name),
      append(bytes) {
        return guarded(() => {
          const at = file.size;
          if (file.pendingBytes + bytes.byteLength > bufferBytes) settlePending(file, budget, handle);
          if (bytes.byteLength >= bufferBytes) {
            if (keepsInMemory(file, budget, bytes.byteLength)) keepSegment(file, budget, bytes);
            else writeAll(handle(), bytes, at - file.memoryBytes);
          } else {
            if (file.pending.byteLength === 0) file.pending = new Uint8Array(bufferBytes);
            file.pending.set(bytes, file.pendingBytes);
            file.pendingBytes += bytes.byteLength;
          }
          file.size += bytes.byteLength;
          return at;
        });
      },
      read(position, into) {
        guarded(() => readKeyBytes(file, handle, position, into));
      },
      // writing ends; the handle stays open until the part ends (a whole input's keys are checked here)
      close() {
        guarded(() => settlePending(file, budget, handle));
        file.pending = new Uint8Array(0);
      },
      async dispose() {
        releaseMemory(file, budget);
        file.handle?.close();
        file.handle = undefined;
        await folder.removeEntry(file.name).catch(() => {});
      },
    };
  };
  return {
    spill: {
      create() {
        const file = files[handedOut];
        if (!file) throw new Error('more spilling key sets than key files opened for the part');
        handedOut++;
        const store = storeOf(file);
        byId.set(store.id, { file, store });
        return store;
      },
      open(id) {
        const entry = byId.get(id);
        if (!entry) throw new Error('a key spill store of another part');
        return entry.store;
      },
    },
    async finish(result) {
      const keep = new Set<string>();
      try {
        for (const key of result.keys) {
          const spilled = key.state.spilled;
          if (!spilled) continue;
          const entry = byId.get(spilled.store);
          if (!entry) throw new Error('a spilled key set of another part');
          const laidOut = await layOut(folder, entry.file, spilled, bufferBytes);
          keep.add(laidOut.name);
          spilled.store = storeId(run, laidOut.name);
          spilled.blocks = laidOut.blocks;
        }
      } catch (error) {
        closeAll();
        for (const f of files) releaseMemory(f, budget);
        await removeAll(new Set());
        for (const name of keep) await folder.removeEntry(name).catch(() => {});
        throw asSpillFailure(error);
      }
      closeAll();
      // laid out in their files for the page: the worker's copies go
      for (const f of files) releaseMemory(f, budget);
      await removeAll(keep);
    },
    async abandon() {
      closeAll();
      for (const f of files) releaseMemory(f, budget);
      await removeAll(new Set());
    },
  };
}

/**
 * Copies a spilled set's blocks into a new file, each partition's blocks end to end in partition
 * order (one block per partition), and closes the new file. Reads one partition at a time (from
 * memory where the set kept it) and writes up to `bufferBytes` at once, whole blocks (in a private
 * window each write is a message to the browser process: 256 partitions were 256 writes per set).
 */
async function layOut(
  folder: SpillDirectory,
  from: WorkerFile,
  spilled: SpilledKeys,
  bufferBytes: number,
): Promise<{ name: string; blocks: number[][] }> {
  const source = () => {
    if (!from.handle) throw new Error('a key file used after its part ended');
    return from.handle;
  };
  source();
  const name = from.name.replace(/\.keys$/, '-laid.keys');
  const target = await (await folder.getFileHandle(name, { create: true })).createSyncAccessHandle();
  try {
    let buffer = new Uint8Array(0);
    /** bytes in `buffer` not written yet, and where they go in the new file */
    let filled = 0;
    let written = 0;
    let at = 0;
    const blocks = spilled.blocks.map((list) => {
      let length = 0;
      for (let i = 1; i < list.length; i += 2) length += list[i] as number;
      if (length === 0) return [];
      // flushed block by block, not partition by partition: a partition is the set's keys / 256
      // (≈ 7 MB of a 10 GB range), and the buffer is outside the part's memory share. The buffer
      // holds at most `bufferBytes`, or one block if larger (a block is 256 keys)
      for (let i = 0; i < list.length; i += 2) {
        const size = list[i + 1] as number;
        if (filled > 0 && filled + size > bufferBytes) {
          writeAll(target, buffer.subarray(0, filled), written);
          written += filled;
          filled = 0;
        }
        if (buffer.byteLength < filled + size)
          buffer = grow(buffer, filled, Math.max(filled + size, Math.min(bufferBytes, 2 * (filled + size))));
        readKeyBytes(from, source, list[i] as number, buffer.subarray(filled, filled + size));
        filled += size;
      }
      const block = [at, length];
      at += length;
      return block;
    });
    if (filled > 0) writeAll(target, buffer.subarray(0, filled), written);
    return { name, blocks };
  } finally {
    target.close();
  }
}

/** A buffer of `size` bytes holding `buffer`'s first `keep` bytes. */
function grow(buffer: Uint8Array, keep: number, size: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(size);
  grown.set(buffer.subarray(0, keep));
  return grown;
}
