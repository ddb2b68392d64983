/**
 * The UI's entry point for hashing files: a lazily created pool of hash workers.
 * Keeps hashing off the main thread so a multi-gigabyte file never blocks the page.
 */
import * as Comlink from 'comlink';
import type { Sha256Digest } from '../src/core/hash/sha256Stream.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { HashWorkerApi } from './hashApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';

/** Options of {@link hashFileInWorker}. */
export interface HashFileOptions {
  /** Throttled progress (~10/s) in bytes, ending with `done === file.size`. */
  onProgress?: (progress: Progress) => void;
  /** Aborting it cancels the hash; the promise then rejects with JobCancelledError. */
  signal?: AbortSignal;
}

let pool: WorkerPool<HashWorkerApi> | undefined;

function hashPool(): WorkerPool<HashWorkerApi> {
  pool ??= createWorkerPool<HashWorkerApi>({
    name: 'hash',
    create: () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

const ignoreProgress = () => {};

/**
 * SHA-256 (lowercase hex) and size of `file`, computed in a worker.
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {InputReadError} when the file cannot be read (moved, changed since it was chosen), with its offset.
 * @throws {WorkerCrashedError} when the worker crashed or could not start.
 */
export function hashFileInWorker(file: Blob, options: HashFileOptions = {}): Promise<Sha256Digest> {
  const onProgress = Comlink.proxy(options.onProgress ?? ignoreProgress);
  return hashPool().run((api, jobId) => api.hashFile(jobId, file, onProgress), {
    signal: options.signal,
    cancel: (api, jobId) => api.cancel(jobId),
  });
}

/** Terminates the hash workers (running hashes reject with JobCancelledError); the next hash starts a new pool. */
export function disposeHashPool(): void {
  pool?.destroy();
  pool = undefined;
}
