/**
 * The API the project-file worker exposes: reads a chosen project file in chunks (with progress and
 * cancel between chunks, each counted against the text bounds as it arrives) and hands the text to
 * src/formats' `parseBoundedProjectFile`, which parses, migrates and checks it; and reads an evidence pack the same way and hands it to src/core's
 * `verifyEvidencePack`, which hashes every field and verifies the signatures — work that belongs
 * off the page for a pack the size of a large project. Kept apart from `projectFile.worker.ts` so
 * vitest drives it without a real Worker.
 *
 * Constraints:
 * - No logic of its own beyond reading (workers are adapters over the core): what a valid project
 *   file is, and every refusal message, comes from `parseProjectFile`, so the app's import says
 *   exactly what the session's `importFile` and the CLI say.
 * - Bytes are decoded like `Blob.text()` (UTF-8, one streaming decoder, so a character split across
 *   two chunks is never corrupted), so moving the import into a worker changes no outcome.
 * - Its jobs run as workers/jobRunner.ts runs every worker's (errors as plain objects, progress
 *   delivered before the result, the progress proxy released when the job settles).
 */
import { InputReadError, JobCancelledError } from '../src/core/jobs/errors.ts';
import { createProgressThrottle, type Progress } from '../src/core/jobs/progress.ts';
import {
  type PackTeamRecord,
  type PackVerification,
  verifyEvidencePack,
} from '../src/core/readiness/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../src/formats/jsonText.ts';
import type { JsonTooLarge } from '../src/formats/jsonTextLimit.ts';
import { isPlainObject, type LoadResult } from '../src/formats/loading.ts';
import {
  createProjectTextLimit,
  type Project,
  type ProjectFile,
  parseBoundedProjectFile,
  projectTextTooLong,
} from '../src/formats/project.ts';
import { createJobRunner } from './jobRunner.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Bytes read per step: small enough for ~10 progress reports a second on slow disks, large enough to be cheap. */
export const PROJECT_FILE_CHUNK_BYTES = 4 * 1024 * 1024;

/** Name used in error locations when the Blob is not a `File`. */
const UNNAMED_FILE = 'the project file';
const UNNAMED_PACK = 'the evidence pack';

/** What the import is doing: reading bytes (with progress), then parsing and checking them (no measure). */
export type ProjectFileProgress = { stage: 'reading'; progress: Progress } | { stage: 'checking' };

/**
 * The verdict on an evidence pack file: `verifyEvidencePack`'s, with `againstProject` saying whether
 * the pack's artefacts were compared with the open project (only when the pack was made from it;
 * a pack of another project is checked on its own). Text that is not UTF-8 or not JSON is
 * `unreadable`, with the byte offset or the line and column.
 */
export type PackFileVerification = PackVerification & { againstProject: boolean };

/**
 * Reads `file` chunk by chunk (cancel and progress between chunks), handing each chunk's bytes on;
 * stops early when `onChunk` returns false (it has seen enough).
 */
async function readChunks(
  file: Blob,
  source: string,
  signal: AbortSignal,
  onChunk: (bytes: Uint8Array) => boolean,
  onProgress: (progress: Progress) => void,
): Promise<void> {
  const throttle = createProgressThrottle({ total: file.size, unit: 'bytes', emit: onProgress });
  for (let offset = 0; offset < file.size; offset += PROJECT_FILE_CHUNK_BYTES) {
    await yieldToEventLoop();
    if (signal.aborted) throw new JobCancelledError();
    let bytes: ArrayBuffer;
    try {
      bytes = await file.slice(offset, offset + PROJECT_FILE_CHUNK_BYTES).arrayBuffer();
    } catch (error) {
      throw new InputReadError(
        { source, byteOffset: offset },
        error instanceof Error ? error.name : 'ReadError',
      );
    }
    if (!onChunk(new Uint8Array(bytes))) return;
    throttle.advance(bytes.byteLength);
  }
  throttle.finish();
}

/** Creates the project-file worker's API; one instance per worker. */
export function createProjectFileApi() {
  const jobs = createJobRunner();
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
      const source = typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_FILE;
      return jobs.run(
        jobId,
        async ({ signal, report }) => {
          const decoder = new TextDecoder();
          const parts: string[] = [];
          // a hostile text of tens of MB is refused where it starts, before the rest is read
          const limit = createProjectTextLimit();
          let long: JsonTooLarge | undefined;
          const take = (text: string) => {
            long = limit.scan(text);
            if (!long) parts.push(text);
            return !long;
          };
          await readChunks(
            file,
            source,
            signal,
            (bytes) => take(decoder.decode(bytes, { stream: true })),
            (progress) => report({ stage: 'reading', progress }),
          );
          if (!long) take(decoder.decode());
          report({ stage: 'checking' });
          const result: LoadResult<ProjectFile> = long
            ? { ok: false, problems: [projectTextTooLong(long)] }
            : parseBoundedProjectFile(parts.join(''));
          return result;
        },
        { onProgress },
      );
    },
    /**
     * Reads an evidence pack file and verifies it (src/core/readiness/verifyPack.ts), against
     * `project` when the pack was made from it, and then against the team's evidence `team` (a
     * shared project, read by a signed-in member) when given. The bytes are decoded strictly: a pack is a file
     * Preflight wrote, and a byte that is not UTF-8 is a change to it, said with its offset.
     */
    async verifyEvidencePackFile(
      jobId: string,
      file: Blob,
      project: Project | undefined,
      onProgress: (progress: ProjectFileProgress) => void,
      team?: PackTeamRecord,
    ): Promise<PackFileVerification> {
      const source = typeof File !== 'undefined' && file instanceof File ? file.name : UNNAMED_PACK;
      return jobs.run(
        jobId,
        async ({ signal, report }) => {
          const bytes = new Uint8Array(file.size);
          let at = 0;
          await readChunks(
            file,
            source,
            signal,
            (chunk) => {
              bytes.set(chunk, at);
              at += chunk.byteLength;
              return true;
            },
            (progress) => report({ stage: 'reading', progress }),
          );
          report({ stage: 'checking' });
          const decoded = decodeUtf8Strict(bytes.subarray(0, at), source);
          const parsed = decoded.ok ? parseJsonText(decoded.text) : null;
          let result: PackFileVerification;
          if (!decoded.ok)
            result = { verdict: 'unreadable', message: decoded.message, againstProject: false };
          else if (!parsed?.ok)
            result = {
              verdict: 'unreadable',
              message: parsed?.problem.message ?? 'not valid JSON',
              againstProject: false,
            };
          else {
            const json = parsed.value;
            const fromProject =
              project !== undefined &&
              isPlainObject(json) &&
              isPlainObject(json.project) &&
              json.project.id === project.meta.id;
            result = {
              ...(await verifyEvidencePack(
                json,
                fromProject ? project : undefined,
                fromProject ? team : undefined,
              )),
              againstProject: fromProject,
            };
          }
          return result;
        },
        { onProgress },
      );
    },
    /** Soft cancel: job `jobId` stops before its next chunk (parsing itself is stopped by the pool's hard stop). */
    cancel: jobs.cancel,
  };
}

/** The project-file worker's API as the main thread sees it through `Comlink.Remote`. */
export type ProjectFileWorkerApi = ReturnType<typeof createProjectFileApi>;
