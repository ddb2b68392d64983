/**
 * The API the hash worker exposes: an adapter from a `Blob` to src/core's `sha256Chunks`, kept apart
 * from `hash.worker.ts` so vitest can drive it through the pool without a real Worker. The hasher is
 * hash-wasm where WebAssembly works, else fast-sha256 (workers/sha256Hasher.ts); same digest.
 * Its jobs run as workers/jobRunner.ts runs every worker's: cancellable by id, errors sent as plain
 * objects, progress delivered before the result, the progress proxy released when the job settles.
 */
import { type Sha256Digest, sha256Chunks } from '../src/core/hash/index.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { createJobRunner } from './jobRunner.ts';
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
  const jobs = createJobRunner();
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
      return jobs.run(
        jobId,
        async ({ signal, report }) => {
          const { hasher } = await hashers.create();
          return sha256Chunks(
            async (offset, length) => {
              await yieldToEventLoop();
              return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
            },
            {
              totalBytes: file.size,
              chunkBytes: HASH_WORKER_CHUNK_BYTES,
              hasher,
              signal,
              onProgress: report,
              source: typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_FILE,
            },
          );
        },
        { onProgress },
      );
    },
    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel: jobs.cancel,
  };
}

/** The hash worker's API as the main thread sees it through `Comlink.Remote`. */
export type HashWorkerApi = ReturnType<typeof createHashApi>;
