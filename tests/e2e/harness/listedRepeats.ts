/**
 * Test-only page script (built by tests/e2e/listedRepeats.spec.ts, never shipped): validates a
 * CSV with a key column through pools of real validator workers in the production build — one
 * worker (one pass), two (split: the key listing reads the second range again in a worker,
 * workers/listedRepeatsTask.ts), or two with that read left on the page (the run without its
 * `readRepeats`, as before) — and measures the page's long tasks meanwhile (Long Tasks API).
 */
import * as Comlink from 'comlink';
import type { Report } from '../../../src/formats/report.ts';
import { createWorkerPool, type WorkerPool } from '../../../workers/pool.ts';
import type { PartOutcome, ValidateRequest, ValidateWorkerApi } from '../../../workers/validateApi.ts';
import { validateInPool } from '../../../workers/validateClient.ts';
import { runValidation } from '../../../workers/validateRun.ts';

const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;

/** Calls of the workers' `readListedRepeats` by the pool of the run under way. */
let readsInWorkers = 0;

/** A pool of `size` real validator workers that counts the calls of `readListedRepeats`. */
function newPool(size: number): WorkerPool<ValidateWorkerApi> {
  const pool = createWorkerPool<ValidateWorkerApi>({
    name: 'validate',
    size,
    create: () =>
      new Worker(new URL('../../../workers/validate.worker.ts', import.meta.url), { type: 'module' }),
  });
  const counting: WorkerPool<ValidateWorkerApi> = Object.create(pool);
  counting.run = (task, options) =>
    pool.run((remote, jobId, context) => {
      const counted = new Proxy(remote, {
        get(target, name) {
          if (name === 'readListedRepeats') readsInWorkers++;
          return Reflect.get(target, name);
        },
      });
      return task(counted, jobId, context);
    }, options);
  return counting;
}

/** The run, as validateClient.ts runs it, but with the key listing's read again on this page. */
function readAgainOnPage(workers: WorkerPool<ValidateWorkerApi>, request: ValidateRequest) {
  return runValidation(request, {
    parts: workers.size,
    runPart: (part, onProgress) =>
      workers.run<PartOutcome>((api, jobId, { progress }) => {
        const report = Comlink.proxy(progress(onProgress));
        return api.validatePart(jobId, part, report) as Promise<PartOutcome>;
      }),
  });
}

/** The runs the spec compares: their pool's size and how they run. */
const RUNS = {
  one: { size: 1, run: validateInPool },
  workers: { size: 2, run: validateInPool },
  page: { size: 2, run: readAgainOnPage },
};

function requestOf(file: Blob): ValidateRequest {
  return {
    toolVersion: 'e2e',
    links: [],
    inputs: [
      {
        file,
        name: 'patients.csv',
        layout: LAYOUT,
        keys: [{ column: 'mrn', demographics: ['name', 'birth_date', 'sex'] }],
      },
    ],
  };
}

const api = {
  /** Validates `text` the way `how` says: the report's cross-file section and the page's long tasks. */
  async run(
    text: string,
    how: keyof typeof RUNS,
  ): Promise<{
    crossFile?: Report['crossFile'];
    problem?: string;
    longTaskMs: number;
    readsInWorkers: number;
  }> {
    readsInWorkers = 0;
    const file = new Blob([text]);
    const durations: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const { size, run } = RUNS[how];
    const workers = newPool(size);
    const outcome = await run(workers, requestOf(file)).finally(() => workers.destroy());
    // the observer's last entries are delivered in a later task
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    const longTaskMs = Math.round(durations.reduce((n, d) => n + d, 0));
    return outcome.ok
      ? { crossFile: outcome.report.crossFile, longTaskMs, readsInWorkers }
      : { problem: outcome.problem.message, longTaskMs, readsInWorkers };
  },
};

/** What the spec calls through `page.evaluate`. */
export type ListedRepeatsHarness = typeof api;

(window as unknown as { listedRepeats: ListedRepeatsHarness }).listedRepeats = api;
document.body.dataset.ready = 'true';
