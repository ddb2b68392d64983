/**
 * The API the capacity worker exposes: an adapter from a workflow to src/core's capacity study
 * (src/core/workflow/capacity.ts), kept apart from `capacity.worker.ts` so vitest can drive it
 * through the pool without a real Worker.
 *
 * Constraints:
 * - The study runs unit by unit (peak days, then one go-live week at a time); between units the
 *   worker yields to its event loop, so a soft cancel is seen within one unit and progress reaches
 *   the page while the study runs.
 * - Errors leave as `serializeJobError` plain objects (workers/pool.ts rebuilds them).
 * - The `onProgress` proxy is released when the job settles (workers/releaseRemote.ts).
 */

import { JobCancelledError, serializeJobError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import {
  type CapacityStudyOptions,
  type CapacityStudyOutcome,
  capacityStudySteps,
} from '../src/core/workflow/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import { releaseRemote } from './releaseRemote.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Creates the capacity worker's API; one instance per worker. */
export function createCapacityApi() {
  const running = new Map<string, AbortController>();
  return {
    /**
     * Runs the capacity study of `workflow`; `onProgress` (a `Comlink.proxy`) hears simulated clinic
     * days done after each unit. The result is returned after the last progress report was delivered.
     */
    async runStudy(
      jobId: string,
      workflow: Workflow,
      options: CapacityStudyOptions,
      onProgress: (progress: Progress) => void,
    ): Promise<CapacityStudyOutcome> {
      const controller = new AbortController();
      running.set(jobId, controller);
      let lastReport: Promise<unknown> = Promise.resolve();
      const started = performance.now();
      try {
        const steps = capacityStudySteps(workflow, options);
        for (;;) {
          await yieldToEventLoop();
          if (controller.signal.aborted) throw new JobCancelledError();
          const next = steps.next();
          if (next.done) {
            await lastReport.catch(() => {});
            return next.value;
          }
          const { daysDone, daysTotal } = next.value;
          const seconds = (performance.now() - started) / 1000;
          const ratePerSecond = seconds > 0 ? daysDone / seconds : 0;
          lastReport = Promise.resolve(
            onProgress({
              done: daysDone,
              total: daysTotal,
              unit: 'days',
              ratePerSecond,
              etaSeconds: ratePerSecond > 0 ? (daysTotal - daysDone) / ratePerSecond : null,
            }) as unknown,
          );
        }
      } catch (error) {
        throw serializeJobError(error);
      } finally {
        running.delete(jobId);
        releaseRemote(onProgress);
      }
    },
    /** Soft cancel: job `jobId` stops before its next unit. */
    cancel(jobId: string): void {
      running.get(jobId)?.abort();
    },
  };
}

/** The capacity worker's API as the main thread sees it through `Comlink.Remote`. */
export type CapacityWorkerApi = ReturnType<typeof createCapacityApi>;
