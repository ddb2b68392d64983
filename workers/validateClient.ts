/**
 * The UI's entry point for validating CSV extracts: a lazily created pool of validator workers
 * (workers/validateApi.ts; hardwareConcurrency − 1 of them). A run (workers/validateRun.ts)
 * validates each file whole in one worker, several files at once; sniffing a file and re-reading
 * failing rows for the drill-down are short jobs on the same pool.
 *
 * Constraint: every progress report is the job's heartbeat for the pool's stall watchdog
 * ({@link VALIDATE_STALL_MS}), so a worker the browser killed silently still ends in a typed error.
 */
import * as Comlink from 'comlink';
import type { CsvLayout } from '../src/core/csv/index.ts';
import type { FailingRowsExportOutcome, FailingRowsExportTask } from './failingRowsExportTask.ts';
import type { FindRowsOutcome, FindRowsTask } from './findRowsTask.ts';
import { hashFileInWorker } from './hashClient.ts';
import { keyMemoryBytesFor, type SpillDirectory, type SpillLocks, startRunKeySpill } from './opfsKeySpill.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import type {
  FileOutcome,
  HeadOutcome,
  SniffOutcome,
  ValidateOutcome,
  ValidateRequest,
  ValidateWorkerApi,
  ValidationProgress,
} from './validateApi.ts';
import { runValidation } from './validateRun.ts';

/**
 * No progress report for this long means the worker is gone. Reports come ~10/s, or once per 4 MiB
 * chunk when slower; a chunk of rows all failing full validation still takes a few seconds at most.
 */
export const VALIDATE_STALL_MS = 60_000;

/** Options of {@link validateInWorker}. */
export interface ValidateOptions {
  onProgress?: (progress: ValidationProgress) => void;
  /** Aborting it cancels the run (between chunks); the promise rejects with JobCancelledError. */
  signal?: AbortSignal;
  stallMs?: number;
  /** each file's SHA-256 for the report (validateInWorker: the hash worker pool) */
  digest?: (file: Blob, signal?: AbortSignal) => Promise<string>;
}

/** A file's SHA-256 from the hash worker pool: the fingerprint the app offers, cited by the report. */
async function digestInWorker(file: Blob, signal?: AbortSignal): Promise<string> {
  return (await hashFileInWorker(file, signal ? { signal } : {})).sha256;
}

let pool: WorkerPool<ValidateWorkerApi> | undefined;

function validatePool(): WorkerPool<ValidateWorkerApi> {
  pool ??= createWorkerPool<ValidateWorkerApi>({
    name: 'validate',
    create: () => new Worker(new URL('./validate.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** {@link validateInWorker} on a given pool (tests pass one with fake workers): one file per worker at once. */
export function validateInPool(
  workers: WorkerPool<ValidateWorkerApi>,
  request: ValidateRequest,
  options: ValidateOptions = {},
): Promise<ValidateOutcome> {
  const { onProgress, signal, stallMs = VALIDATE_STALL_MS } = options;
  return runValidation(request, {
    filesAtOnce: workers.size,
    keySpill: { start: startPageKeySpill, memoryBytes: keyMemoryBytesFor(deviceMemory()) },
    ...(options.digest ? { digest: options.digest } : {}),
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    runFile: (task, fileProgress, fileSignal) =>
      workers.run<FileOutcome>(
        (api, jobId, { progress }) => {
          // Released by the worker when the file settles (workers/releaseRemote.ts).
          const report = Comlink.proxy(progress(fileProgress));
          return api.validateFile(jobId, task, report) as Promise<FileOutcome>;
        },
        { signal: fileSignal ?? signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
      ),
  });
}

/** `navigator.deviceMemory` in GiB, where the browser tells it (Chromium). */
function deviceMemory(): number | undefined {
  return (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
}

/** A run's key spill in this origin's OPFS (rejects where there is none: the run stays in memory). */
async function startPageKeySpill() {
  const storage = globalThis.navigator?.storage;
  if (!storage?.getDirectory) throw new Error('no origin private file system');
  const root = (await storage.getDirectory()) as unknown as SpillDirectory;
  const locks = globalThis.navigator.locks as unknown as SpillLocks | undefined;
  return startRunKeySpill(root, { run: crypto.randomUUID(), ...(locks ? { locks } : {}) });
}

/**
 * Validates the files of `request` in the validator workers: the report, or a problem the user can fix.
 * @throws {JobCancelledError} when `signal` aborts; {@link WorkerCrashedError} when a worker dies.
 */
export function validateInWorker(
  request: ValidateRequest,
  options: ValidateOptions = {},
): Promise<ValidateOutcome> {
  return validateInPool(validatePool(), request, { digest: digestInWorker, ...options });
}

/** Detects the layout of `file` and reads its header, in a worker. */
export function sniffInWorker(
  file: Blob,
  name: string,
  given: Partial<CsvLayout> = {},
): Promise<SniffOutcome> {
  return validatePool().run<SniffOutcome>((api) => api.sniff(file, name, given) as Promise<SniffOutcome>);
}

/** Re-reads the records at `offsets` of `file` (null for a row that cannot be read), in a worker. */
export function readRowsInWorker(
  file: Blob,
  name: string,
  layout: CsvLayout,
  offsets: number[],
): Promise<(string[] | null)[]> {
  return validatePool().run((api) => api.readRows(file, name, layout, offsets));
}

/**
 * Finds the rows of a drill-down filter the run did not keep (workers/findRowsTask.ts), in a
 * worker: one pass over the file (two for an orphan query: the referenced file first), progress
 * as bytes read of all bytes to read, cancelled by `signal`.
 */
export function findRowsInWorker(
  task: FindRowsTask,
  options: {
    onProgress?: (progress: { bytes: number; total: number }) => void;
    signal?: AbortSignal;
    stallMs?: number;
  } = {},
): Promise<FindRowsOutcome> {
  const { onProgress, signal, stallMs = VALIDATE_STALL_MS } = options;
  const total = task.file.size + (task.orphans?.target.file.size ?? 0);
  return validatePool().run<FindRowsOutcome>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(
        progress((p: { bytes: number; rows: number }) => onProgress?.({ bytes: p.bytes, total })),
      );
      return api.findRows(jobId, task, report) as Promise<FindRowsOutcome>;
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Every failing row of a run as one CSV or NDJSON `Blob` (workers/failingRowsExportTask.ts), made
 * in a worker: progress in rows, cancelled by `signal`.
 */
export function exportFailingRowsInWorker(
  task: FailingRowsExportTask,
  options: {
    onProgress?: (progress: { rows: number; total: number }) => void;
    signal?: AbortSignal;
    stallMs?: number;
  } = {},
): Promise<FailingRowsExportOutcome> {
  const { onProgress, signal, stallMs = VALIDATE_STALL_MS } = options;
  return validatePool().run<FailingRowsExportOutcome>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress((p: { rows: number; total: number }) => onProgress?.(p)));
      return api.exportFailingRows(jobId, task, report) as Promise<FailingRowsExportOutcome>;
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/** The header and first `rows` data rows of `file` (mapping preview), in a worker. */
export function readHeadInWorker(
  file: Blob,
  name: string,
  layout: CsvLayout,
  rows: number,
): Promise<HeadOutcome> {
  return validatePool().run<HeadOutcome>(
    (api) => api.readHead(file, name, layout, rows) as Promise<HeadOutcome>,
  );
}
