/**
 * The API the hash worker exposes: an adapter from a `Blob` to src/core's `sha256Chunks`, kept apart
 * from `hash.worker.ts` so vitest can drive it through the pool without a real Worker. The hasher is
 * hash-wasm where WebAssembly works, else fast-sha256 (workers/sha256Hasher.ts); same digest.
 *
 * Constraints:
 * - Errors leave as `serializeJobError` plain objects so their fields (location, cause) survive
 *   postMessage; the main side rebuilds them with `toJobError` (workers/pool.ts).
 * - The `onProgress` proxy is released when the job settles (workers/releaseRemote.ts), else its
 *   MessagePort stays open on both sides for every hash.
 */
import { type Sha256Digest, sha256Chunks } from '../src/core/hash/index.ts';
import { serializeJobError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { releaseRemote } from './releaseRemote.ts';
import { createSha256Hashers, type Sha256Hashers } from './sha256Hasher.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Name used in error locations when the Blob is not a `File` and so has no name. */
const UNNAMED_FILE = 'the file';

const MIB = 1024 * 1024;

/**
 * The worker's read size: 16 MiB. With hash-wasm the per-read cost (`Blob.slice().arrayBuffer()`
 * and the copy into WebAssembly memory) weighs more than with pure JS, so larger reads pay off;
 * cancel latency stays one read plus ~30 ms of hashing. The CLI keeps the core's default.
 */
export const HASH_WORKER_CHUNK_BYTES = 16 * MIB;

/**
 * Creates the hash worker's API; one instance per worker. `hashers` gives each job a fresh hasher
 * (default: hash-wasm, falling back to fast-sha256 without WebAssembly).
 */
export function createHashApi(hashers: Sha256Hashers = createSha256Hashers()) {
  const running = new Map<string, AbortController>();
  return {
    /**
     * SHA-256 of `file`, read in chunks; `onProgress` is a `Comlink.proxy` from the main thread, called
     * ~10 times a second while reading (gaps no longer than one 16 MiB chunk's read) and released (unusable) once the job settles.
     * The result is returned only after the final progress report has been delivered: progress and
     * result travel on different MessagePorts, which do not keep order between each other.
     */
    async hashFile(
      jobId: string,
      file: Blob,
      onProgress: (progress: Progress) => void,
    ): Promise<Sha256Digest> {
      const controller = new AbortController();
      running.set(jobId, controller);
      let lastReport: Promise<unknown> = Promise.resolve();
      try {
        const { hasher } = await hashers.create();
        const digest = await sha256Chunks(
          async (offset, length) => {
            await yieldToEventLoop();
            return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
          },
          {
            totalBytes: file.size,
            chunkBytes: HASH_WORKER_CHUNK_BYTES,
            hasher,
            signal: controller.signal,
            onProgress: (progress) => {
              // Through comlink the call returns a promise that settles once the page ran the callback.
              lastReport = Promise.resolve(onProgress(progress) as unknown);
            },
            source: typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_FILE,
          },
        );
        // A failing progress callback on the page must not fail the hash.
        await lastReport.catch(() => {});
        return digest;
      } catch (error) {
        throw serializeJobError(error);
      } finally {
        running.delete(jobId);
        releaseRemote(onProgress);
      }
    },
    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel(jobId: string): void {
      running.get(jobId)?.abort();
    },
  };
}

/** The hash worker's API as the main thread sees it through `Comlink.Remote`. */
export type HashWorkerApi = ReturnType<typeof createHashApi>;
