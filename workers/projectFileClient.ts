/**
 * The UI's entry point for importing project files: a lazily created one-worker pool that reads,
 * parses and checks the file off the main thread, so a 50 MB project never freezes the page. The
 * main thread only receives the checked result (or the problems that refuse the file). The same
 * worker verifies evidence packs, which are read and hashed the same way.
 *
 * Constraint: parsing and checking report no progress (JSON.parse is one call), so the stall watchdog
 * ({@link PROJECT_FILE_STALL_MS}) must outlast checking the largest accepted file on a slow machine.
 */
import * as Comlink from 'comlink';
import type { PackTeamRecord } from '../src/core/readiness/index.ts';
import type { LoadResult } from '../src/formats/loading.ts';
import type { Project, ProjectFile } from '../src/formats/project.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import type { PackFileVerification, ProjectFileProgress, ProjectFileWorkerApi } from './projectFileApi.ts';

/**
 * No progress report for this long means the worker is gone (killed for memory). Checking a 200 MB
 * file (the largest the app reads) takes seconds; two minutes leaves room for a slow, busy machine.
 */
const PROJECT_FILE_STALL_MS = 120_000;

/** One import at a time: a second worker would only double the memory a large file needs. */
const PROJECT_FILE_WORKERS = 1;

/** Options of {@link readProjectFileInWorker}. */
interface ReadProjectFileOptions {
  /** Reading progress (~10/s, in bytes), then one `checking` report. */
  onProgress?: (progress: ProjectFileProgress) => void;
  /** Aborting it cancels the import; the promise then rejects with JobCancelledError. */
  signal?: AbortSignal;
  /** Stall watchdog override in milliseconds; defaults to {@link PROJECT_FILE_STALL_MS}. */
  stallMs?: number;
}

let pool: WorkerPool<ProjectFileWorkerApi> | undefined;

function projectFilePool(): WorkerPool<ProjectFileWorkerApi> {
  pool ??= createWorkerPool<ProjectFileWorkerApi>({
    name: 'project-file',
    size: PROJECT_FILE_WORKERS,
    create: () => new Worker(new URL('./projectFile.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** {@link readProjectFileInWorker} on a given pool, exported so tests run it against fake workers. */
export function readProjectFileInPool(
  workers: WorkerPool<ProjectFileWorkerApi>,
  file: Blob,
  options: ReadProjectFileOptions = {},
): Promise<LoadResult<ProjectFile>> {
  const { onProgress, signal, stallMs = PROJECT_FILE_STALL_MS } = options;
  return workers.run<LoadResult<ProjectFile>>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress<ProjectFileProgress>(onProgress));
      return api.readProjectFile(jobId, file, report);
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Reads and checks a project file in a worker: `parseProjectFile`'s result for its text.
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {InputReadError} when the file cannot be read (moved, changed since it was chosen).
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function readProjectFileInWorker(
  file: Blob,
  options: ReadProjectFileOptions = {},
): Promise<LoadResult<ProjectFile>> {
  return readProjectFileInPool(projectFilePool(), file, options);
}

/** How a pack is checked: as a project file is read, and against the team's evidence when given. */
export interface VerifyEvidencePackOptions extends ReadProjectFileOptions {
  /** a shared project's evidence on the team server, as a signed-in member's browser read it */
  team?: PackTeamRecord;
}

/** {@link verifyEvidencePackInWorker} on a given pool, exported so tests run it against fake workers. */
export function verifyEvidencePackInPool(
  workers: WorkerPool<ProjectFileWorkerApi>,
  file: Blob,
  project: Project | undefined,
  options: VerifyEvidencePackOptions = {},
): Promise<PackFileVerification> {
  const { onProgress, signal, stallMs = PROJECT_FILE_STALL_MS, team } = options;
  return workers.run<PackFileVerification>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress<ProjectFileProgress>(onProgress));
      return api.verifyEvidencePackFile(jobId, file, project, report, team);
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Verifies an evidence pack file in a worker (the hashing and the signature checks stay off the
 * page): `verifyEvidencePack`'s verdict, against `project` when the pack was made from it, and
 * against the team's evidence (`options.team`) when the pack was judged on the team's record.
 *
 * @throws {JobCancelledError} when `signal` aborts.
 * @throws {InputReadError} when the file cannot be read (moved, changed since it was chosen).
 * @throws {WorkerCrashedError} when the worker crashed, could not start or stopped responding.
 */
export function verifyEvidencePackInWorker(
  file: Blob,
  project: Project | undefined,
  options: VerifyEvidencePackOptions = {},
): Promise<PackFileVerification> {
  return verifyEvidencePackInPool(projectFilePool(), file, project, options);
}
