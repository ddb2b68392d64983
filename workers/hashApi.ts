/**
 * The API the hash worker exposes: an adapter from a `Blob` to src/core's `sha256Chunks`, kept apart
 * from `hash.worker.ts` so vitest can drive it through the pool without a real Worker.
 *
 * Constraints:
 * - Errors leave as `serializeJobError` plain objects so their fields (location, cause) survive
 *   postMessage; the main side rebuilds them with `toJobError` (workers/pool.ts).
 * - The `onProgress` proxy is released when the job settles (workers/releaseRemote.ts), else its
 *   MessagePort stays open on both sides for every hash.
 */
import { type Sha256Digest, sha256Chunks } from '../src/core/hash/sha256Stream.ts';
import { serializeJobError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { releaseRemote } from './releaseRemote.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Name used in error locations when the Blob is not a `File` and so has no name. */
const UNNAMED_FILE = 'the file';

/** Creates the hash worker's API; one instance per worker. */
export function createHashApi() {
  const running = new Map<string, AbortController>();
  return {
    /**
     * SHA-256 of `file`, read in chunks; `onProgress` is a `Comlink.proxy` from the main thread, called
     * ~10 times a second while reading (gaps no longer than one 8 MiB chunk's read) and released (unusable) once the job settles.
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
        const digest = await sha256Chunks(
          async (offset, length) => {
            await yieldToEventLoop();
            return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
          },
          {
            totalBytes: file.size,
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
