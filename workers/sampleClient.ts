/**
 * The UI's entry point for drawing a plan's sample and reading drawn records: a lazily created
 * pool of sample workers (workers/sampleApi.ts), so a large extract never blocks the page.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { SamplePlan } from '../src/formats/samplePlan.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import type { DrawOutcome, SampleContract, SampleWorkerApi } from './sampleApi.ts';

/** No progress for this long means the worker is gone (as the hash worker's watchdog). */
const SAMPLE_STALL_MS = 30_000;

let pool: WorkerPool<SampleWorkerApi> | undefined;

function samplePool(): WorkerPool<SampleWorkerApi> {
  pool ??= createWorkerPool<SampleWorkerApi>({
    name: 'sample',
    create: () => new Worker(new URL('./sample.worker.ts', import.meta.url), { type: 'module' }),
  });
  return pool;
}

/** Options of {@link drawSampleInPool}. */
interface DrawSampleOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  stallMs?: number;
  /** the column contract, for a plan stratified by validation outcome */
  contract?: SampleContract;
}

/** {@link drawSampleInWorker} on a given pool (tests pass a pool of fake workers). */
export function drawSampleInPool(
  workers: WorkerPool<SampleWorkerApi>,
  plan: SamplePlan,
  files: File[],
  keyColumn: string,
  options: DrawSampleOptions = {},
): Promise<DrawOutcome> {
  const { onProgress, signal, stallMs = SAMPLE_STALL_MS, contract } = options;
  return workers.run<DrawOutcome>(
    (api, jobId, { progress }) => {
      const report = Comlink.proxy(progress<Progress>(onProgress));
      return api.drawSample(
        jobId,
        plan,
        files.map((file) => ({ name: file.name, data: file })),
        keyColumn,
        report,
        contract,
      );
    },
    { signal, stallMs, cancel: (api, jobId) => api.cancel(jobId) },
  );
}

/**
 * Draws `plan`'s sample from `files` in a worker: the document `preflight sample --json` prints.
 *
 * @throws {JobCancelledError} when `signal` aborts; {@link InputReadError}; {@link WorkerCrashedError}.
 */
export function drawSampleInWorker(
  plan: SamplePlan,
  files: File[],
  keyColumn: string,
  options: DrawSampleOptions = {},
): Promise<DrawOutcome> {
  return drawSampleInPool(samplePool(), plan, files, keyColumn, options);
}

/** The header and the cells of `rows` of `file`, read in a worker (on demand, never stored). */
export function readRowsInPool(
  workers: WorkerPool<SampleWorkerApi>,
  file: File,
  rows: number[],
): Promise<{ header: string[]; rows: Map<number, string[]> }> {
  return workers
    .run((api, jobId) => api.readRows(jobId, { name: file.name, data: file }, rows), {
      stallMs: Number.POSITIVE_INFINITY,
    })
    .then((read) => ({ header: read.header, rows: new Map(read.rows) }));
}

/** {@link readRowsInPool} on the app's sample pool. */
export function readRowsInWorker(file: File, rows: number[]) {
  return readRowsInPool(samplePool(), file, rows);
}
