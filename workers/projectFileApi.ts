/**
 * The API the project-file worker exposes: reads a chosen project file in chunks (with progress and
 * cancel between chunks) and hands the text to src/formats' `parseProjectFile`, which parses,
 * migrates and checks it. Kept apart from `projectFile.worker.ts` so vitest drives it without a
 * real Worker.
 *
 * Constraints:
 * - No logic of its own beyond reading (workers are adapters over the core): what a valid project
 *   file is, and every refusal message, comes from `parseProjectFile`, so the app's import says
 *   exactly what the session's `importFile` and the CLI say.
 * - Bytes are decoded like `Blob.text()` (UTF-8, one streaming decoder, so a character split across
 *   two chunks is never corrupted), so moving the import into a worker changes no outcome.
 * - Errors leave as `serializeJobError` plain objects (rebuilt by workers/pool.ts); the `onProgress`
 *   proxy is released when the job settles (workers/releaseRemote.ts).
 */
import { InputReadError, JobCancelledError, serializeJobError } from '../src/core/jobs/errors.ts';
import { createProgressThrottle, type Progress } from '../src/core/jobs/progress.ts';
import type { LoadResult } from '../src/formats/loading.ts';
import { type ProjectFile, parseProjectFile } from '../src/formats/project.ts';
import { releaseRemote } from './releaseRemote.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Bytes read per step: small enough for ~10 progress reports a second on slow disks, large enough to be cheap. */
export const PROJECT_FILE_CHUNK_BYTES = 4 * 1024 * 1024;

/** Name used in error locations when the Blob is not a `File`. */
const UNNAMED_FILE = 'the project file';

/** What the import is doing: reading bytes (with progress), then parsing and checking them (no measure). */
export type ProjectFileProgress = { stage: 'reading'; progress: Progress } | { stage: 'checking' };

/** Creates the project-file worker's API; one instance per worker. */
export function createProjectFileApi() {
  const running = new Map<string, AbortController>();
  return {
    /**
     * Reads `file` and returns `parseProjectFile`'s result: the checked project file, or the problems
     * that refuse it. Rejects only when the file cannot be read (InputReadError) or the job is cancelled.
     * The result is returned after the last progress report was delivered (progress and result travel
     * on different MessagePorts, which keep no order between each other).
     */
    async readProjectFile(
      jobId: string,
      file: Blob,
      onProgress: (progress: ProjectFileProgress) => void,
    ): Promise<LoadResult<ProjectFile>> {
      const controller = new AbortController();
      running.set(jobId, controller);
      const source = typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_FILE;
      let lastReport: Promise<unknown> = Promise.resolve();
      const report = (progress: ProjectFileProgress) => {
        lastReport = Promise.resolve(onProgress(progress) as unknown);
      };
      try {
        const throttle = createProgressThrottle({
          total: file.size,
          unit: 'bytes',
          emit: (progress) => report({ stage: 'reading', progress }),
        });
        const decoder = new TextDecoder();
        const parts: string[] = [];
        for (let offset = 0; offset < file.size; offset += PROJECT_FILE_CHUNK_BYTES) {
          await yieldToEventLoop();
          if (controller.signal.aborted) throw new JobCancelledError();
          let bytes: ArrayBuffer;
          try {
            bytes = await file.slice(offset, offset + PROJECT_FILE_CHUNK_BYTES).arrayBuffer();
          } catch (error) {
            throw new InputReadError(
              { source, byteOffset: offset },
              error instanceof Error ? error.name : 'ReadError',
            );
          }
          parts.push(decoder.decode(bytes, { stream: true }));
          throttle.advance(bytes.byteLength);
        }
        parts.push(decoder.decode());
        throttle.finish();
        report({ stage: 'checking' });
        const result = parseProjectFile(parts.join(''));
        await lastReport.catch(() => {});
        return result;
      } catch (error) {
        throw serializeJobError(error);
      } finally {
        running.delete(jobId);
        releaseRemote(onProgress);
      }
    },
    /** Soft cancel: job `jobId` stops before its next chunk (parsing itself is stopped by the pool's hard stop). */
    cancel(jobId: string): void {
      running.get(jobId)?.abort();
    },
  };
}

/** The project-file worker's API as the main thread sees it through `Comlink.Remote`. */
export type ProjectFileWorkerApi = ReturnType<typeof createProjectFileApi>;
