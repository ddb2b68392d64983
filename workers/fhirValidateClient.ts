/**
 * The UI's entry point for validating FHIR R4 files: one FHIR validator worker
 * (workers/fhirValidateApi.ts), pre-warmed when the Migration workspace opens so the first file
 * dropped is validated at once.
 *
 * Constraints:
 * - One worker, not hardwareConcurrency − 1: references across the NDJSON files of one export
 *   resolve in one run's state (the core's `createFhirRun`), and one worker already validates tens
 *   of thousands of resources per second.
 * - Every progress report is the job's heartbeat for the pool's stall watchdog
 *   ({@link FHIR_STALL_MS}), so a worker the browser killed silently still ends in a typed error.
 * - Time to first validation is recorded as a `performance.measure` entry
 *   ({@link FIRST_VALIDATION_MEASURE}: from the request to the first validated resource; and
 *   {@link WORKER_READY_MEASURE}: from creating the worker to a warm validator), never logged.
 */
import * as Comlink from 'comlink';
import { createProgressThrottle, type Progress } from '../src/core/jobs/progress.ts';
import { withDigests } from '../src/core/validation/index.ts';
import type { FhirPackageSpec, FhirPackagesOutcome } from './fhirPackages.ts';
import type {
  FhirLineIndex,
  FhirOutcomesFormat,
  FhirRawProgress,
  FhirRecordView,
  FhirValidateOutcome,
  FhirValidateRequest,
  FhirValidateWorkerApi,
} from './fhirValidateApi.ts';
import { hashFileInWorker } from './hashClient.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import type { InputProblem } from './validateApi.ts';

/**
 * No progress report for this long means the worker is gone. Reports come after every 1 MiB chunk
 * (a few per second); one large Bundle is validated in one go and may take tens of seconds.
 */
const FHIR_STALL_MS = 120_000;
/** The `performance.measure` name of the time from a validation request to its first validated resource. */
export const FIRST_VALIDATION_MEASURE = 'preflight:fhir-first-validation';
/** The `performance.measure` name of the time from creating the worker to a warm validator. */
export const WORKER_READY_MEASURE = 'preflight:fhir-worker-ready';

/** Progress of a FHIR run: bytes (with rate and ETA) plus resources validated and the file being read. */
export interface FhirValidationProgress extends Progress {
  resources: number;
  input: string;
}

/** Options of {@link validateFhirInWorker}. */
export interface FhirValidateOptions {
  onProgress?: (progress: FhirValidationProgress) => void;
  /** Aborting it cancels the run (before the next chunk); the promise rejects with JobCancelledError. */
  signal?: AbortSignal;
  stallMs?: number;
}

let pool: WorkerPool<FhirValidateWorkerApi> | undefined;
let warming: Promise<number> | undefined;

function fhirPool(): WorkerPool<FhirValidateWorkerApi> {
  pool ??= createWorkerPool<FhirValidateWorkerApi>({
    name: 'fhir-validate',
    size: 1,
    create: () => new Worker(new URL('./fhirValidate.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

function measure(name: string, start: number): void {
  // a measure is for the tests' and developers' eyes (DevTools); a browser without it loses nothing
  try {
    performance.measure(name, { start, end: performance.now() });
  } catch {}
}

/**
 * Starts the FHIR validator worker and prepares it (digest loaded, FHIRPath.js loading) if not done
 * yet; cheap to call again. Resolves with the milliseconds from creating the worker to ready.
 */
export function prewarmFhirValidator(): Promise<number> {
  if (!warming) {
    const t0 = performance.now();
    warming = fhirPool()
      .run((api) => api.warm() as Promise<number>)
      .then(() => {
        measure(WORKER_READY_MEASURE, t0);
        return performance.now() - t0;
      });
    // a failed warm-up is forgotten: the next call (or the validation itself) tries again
    warming.catch(() => {
      warming = undefined;
    });
  }
  return warming;
}

/** {@link validateFhirInWorker} on a given pool (tests pass one with fake workers). */
export function validateFhirInPool(
  workers: WorkerPool<FhirValidateWorkerApi>,
  request: FhirValidateRequest,
  options: FhirValidateOptions = {},
): Promise<FhirValidateOutcome> {
  const { onProgress, signal, stallMs = FHIR_STALL_MS } = options;
  const t0 = performance.now();
  const total = request.inputs.reduce((n, i) => n + i.file.size, 0);
  let last: FhirRawProgress = { bytes: 0, resources: 0, input: request.inputs[0]?.name ?? '' };
  let first = true;
  const throttle = createProgressThrottle({
    total,
    unit: 'bytes',
    emit: (progress) => onProgress?.({ ...progress, resources: last.resources, input: last.input }),
  });
  return workers
    .run<FhirValidateOutcome>(
      (api, jobId, { progress: live }) => {
        // Released by the worker when the job settles (workers/releaseRemote.ts).
        const report = Comlink.proxy(
          live((progress: FhirRawProgress) => {
            if (first && progress.resources > 0) {
              first = false;
              measure(FIRST_VALIDATION_MEASURE, t0);
            }
            const delta = progress.bytes - last.bytes;
            last = progress;
            throttle.advance(Math.max(0, delta));
          }),
        );
        return api.validate(jobId, request, report) as Promise<FhirValidateOutcome>;
      },
      { ...(signal ? { signal } : {}), stallMs, cancel: (api, jobId) => api.cancel(jobId) },
    )
    .then((outcome) => {
      throttle.finish();
      return outcome;
    });
}

/**
 * Validates FHIR files in the FHIR validator worker: the report and a sparse line index per
 * NDJSON file, or a problem the user can fix.
 * @throws {JobCancelledError} when `signal` aborts; {@link WorkerCrashedError} when the worker dies.
 */
export async function validateFhirInWorker(
  request: FhirValidateRequest,
  options: FhirValidateOptions = {},
): Promise<FhirValidateOutcome> {
  // each file's SHA-256 for the report, in the hash worker pool beside the validation
  const digests = Promise.all(
    request.inputs.map(
      async (i) =>
        [
          i.name,
          (await hashFileInWorker(i.file, options.signal ? { signal: options.signal } : {})).sha256,
        ] as const,
    ),
  );
  digests.catch(() => undefined);
  const outcome = await validateFhirInPool(fhirPool(), request, options);
  if (!outcome.ok) return outcome;
  return { ...outcome, report: withDigests(outcome.report, Object.fromEntries(await digests)) };
}

/** Re-reads one resource of `file` and formats it with the element at `location` highlighted, in the worker. */
export function readFhirRecordInWorker(
  file: Blob,
  name: string,
  row: number,
  location: string,
  index?: FhirLineIndex,
  syntax?: { line: number; column: number },
): Promise<FhirRecordView> {
  const sparse = index ? { lines: index.lines, offsets: index.offsets } : undefined;
  return fhirPool().run<FhirRecordView>(
    (api) => api.readRecord(file, name, row, location, sparse, syntax) as Promise<FhirRecordView>,
  );
}

/**
 * Validates `request` again in the worker and returns one OperationOutcome per resource as a Blob
 * (NDJSON lines `{input, row, outcome}`, or a Bundle), or a problem.
 */
export function fhirOutcomesInWorker(
  request: FhirValidateRequest,
  format: FhirOutcomesFormat,
  options: { signal?: AbortSignal } = {},
): Promise<{ ok: true; blob: Blob } | { ok: false; problem: InputProblem }> {
  return fhirOutcomesInPool(fhirPool(), request, format, options);
}

/** {@link fhirOutcomesInWorker} on a given pool (tests pass one with fake workers). */
export function fhirOutcomesInPool(
  workers: WorkerPool<FhirValidateWorkerApi>,
  request: FhirValidateRequest,
  format: FhirOutcomesFormat,
  options: { signal?: AbortSignal } = {},
): Promise<{ ok: true; blob: Blob } | { ok: false; problem: InputProblem }> {
  return workers.run(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress(() => {}));
      return api.outcomes(jobId, request, format, report) as Promise<
        { ok: true; blob: Blob } | { ok: false; problem: InputProblem }
      >;
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      stallMs: FHIR_STALL_MS,
      cancel: (api, jobId) => api.cancel(jobId),
    },
  );
}

/**
 * Reads implementation guide packages (`.tgz` bytes) in the FHIR validator worker: their names,
 * versions, SHA-256, dependencies and profiles, and what the set misses; the page never parses them.
 */
export function inspectFhirPackagesInWorker(specs: FhirPackageSpec[]): Promise<FhirPackagesOutcome> {
  return fhirPool().run((api) => api.inspectPackages(specs) as Promise<FhirPackagesOutcome>);
}
