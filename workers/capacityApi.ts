/**
 * The API the capacity worker exposes: an adapter from a workflow to src/core's capacity study
 * (src/core/workflow/capacity.ts), kept apart from `capacity.worker.ts` so vitest can drive it
 * through the pool without a real Worker.
 *
 * Constraints:
 * - The study runs unit by unit (peak days, then one go-live week at a time); between units the
 *   worker yields to its event loop, so a soft cancel is seen within one unit and progress reaches
 *   the page while the study runs.
 * - Its jobs run as workers/jobRunner.ts runs every worker's (errors as plain objects, progress
 *   delivered before the result, the progress proxy released when the job settles).
 */

import { JobCancelledError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import {
  type CapacityStudyOptions,
  type CapacityStudyOutcome,
  capacityStudySteps,
} from '../src/core/workflow/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import { createJobRunner } from './jobRunner.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Creates the capacity worker's API; one instance per worker. */
export function createCapacityApi() {
  const jobs = createJobRunner();
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
      return jobs.run(
        jobId,
        async ({ signal, report }) => {
          const started = performance.now();
          const steps = capacityStudySteps(workflow, options);
          for (;;) {
            await yieldToEventLoop();
            if (signal.aborted) throw new JobCancelledError();
            const next = steps.next();
            if (next.done) return next.value;
            const { daysDone, daysTotal } = next.value;
            const seconds = (performance.now() - started) / 1000;
            const ratePerSecond = seconds > 0 ? daysDone / seconds : 0;
            report({
              done: daysDone,
              total: daysTotal,
              unit: 'days',
              ratePerSecond,
              etaSeconds: ratePerSecond > 0 ? (daysTotal - daysDone) / ratePerSecond : null,
            });
          }
        },
        { onProgress },
      );
    },
    /** Soft cancel: job `jobId` stops before its next unit. */
    cancel: jobs.cancel,
  };
}

/** The capacity worker's API as the main thread sees it through `Comlink.Remote`. */
export type CapacityWorkerApi = ReturnType<typeof createCapacityApi>;
