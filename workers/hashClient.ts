/**
 * The UI's entry point for hashing files: a lazily created pool of hash workers.
 * Keeps hashing off the main thread so a multi-gigabyte file never blocks the page.
 *
 * Constraint: every progress report is the job's heartbeat for the pool's stall watchdog
 * ({@link HASH_STALL_MS}), so a worker the browser killed silently still ends in a typed error.
 */
import * as Comlink from 'comlink';
import type { Sha256Digest } from '../src/core/hash/index.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { HashWorkerApi } from './hashApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/**
 * No progress report for this long means the hash worker is gone (killed for memory, renderer shut
 * down). Reports come ~10/s, or once per 16 MiB chunk (HASH_WORKER_CHUNK_BYTES) when reads are
 * slower, so 60 s tolerates reads down to ~280 KB/s (a slow network share) before a live job would be
 * stopped.
 */
const HASH_STALL_MS = 60_000;

/** Options of {@link hashFileInWorker}. */
export interface HashFileOptions {
  /** Throttled progress (~10/s) in bytes, ending with `done === file.size`. */
  onProgress?: (progress: Progress) => void;
  /** Aborting it cancels the hash; the promise then rejects with JobCancelledError. */
  signal?: AbortSignal;
  /** Stall watchdog override in milliseconds (positive, or `Infinity` for none); defaults to {@link HASH_STALL_MS}. */
  stallMs?: number;
}

let pool: WorkerPool<HashWorkerApi> | undefined;

function hashPool(): WorkerPool<HashWorkerApi> {
  pool ??= createWorkerPool<HashWorkerApi>({
    name: 'hash',
    create: () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/**
 * {@link hashFileInWorker} on a given pool: the whole main-thread side of a hash, exported so tests
 * run it against fake workers.
 */
export function hashFileInPool(
  hashWorkers: WorkerPool<HashWorkerApi>,
  file: Blob,
  options: HashFileOptions = {},
): Promise<Sha256Digest> {
  const { onProgress, signal, stallMs = HASH_STALL_MS } = options;
  return hashWorkers.run(
    (api, jobId, { progress }) => {
      // Released by the worker when the job settles (workers/releaseRemote.ts).
      const report = Comlink.proxy(progress<Progress>(onProgress));
      return api.hashFile(jobId, file, report);
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * SHA-256 (lowercase hex) and size of `file`, computed in a worker.
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {InputReadError} when the file cannot be read (moved, changed since it was chosen), with its offset.
 * @throws {WorkerCrashedError} when the worker crashed, could not start, or stopped responding
 *   (reason `stalled`: no progress for {@link HASH_STALL_MS}).
 */
export function hashFileInWorker(file: Blob, options: HashFileOptions = {}): Promise<Sha256Digest> {
  return hashFileInPool(hashPool(), file, options);
}
