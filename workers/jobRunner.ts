/**
 * The jobs one worker runs, by the id the page gave each: what every worker API does around its work.
 *
 * Constraints:
 * - A job is soft-cancelled by id ({@link JobRunner.cancel}): its body sees the abort on its signal.
 * - Progress and the result travel on different MessagePorts, which keep no order between each other:
 *   the result is returned only after the last progress report was delivered (a failing callback on
 *   the page does not fail the job).
 * - A job that was cancelled ends cancelled, whatever its body threw on the way out (a read cut
 *   short, a half-written spill): `answer` is not asked.
 * - Other errors leave as `serializeJobError` plain objects (workers/pool.ts rebuilds them), unless
 *   `answer` turns one into the job's own "not done" result (a problem the user can fix).
 * - The `onProgress` proxy is released when the job settles (workers/releaseRemote.ts).
 */
import { isJobCancelled, JobCancelledError, serializeJobError } from '../src/core/jobs/errors.ts';
import { releaseRemote } from './releaseRemote.ts';

/** What a job's body is given. */
export interface RunningJob<P> {
  /** Aborted when the page cancels the job. */
  signal: AbortSignal;
  /** Sends a progress report to the page (delivered before the result). */
  report: (progress: P) => void;
}

/** The options of {@link JobRunner.run}. */
export interface RunOptions<P, F> {
  /** The page's progress callback (a comlink proxy, or a plain function in tests). */
  onProgress?: ((progress: P) => unknown) | undefined;
  /** The job's answer for an error the user can act on; `undefined` sends the error. */
  answer?: (error: unknown, signal: AbortSignal) => F | undefined | Promise<F | undefined>;
}

/** Runs and cancels one worker's jobs. */
export interface JobRunner {
  run<T, P = never, F = never>(
    jobId: string,
    body: (job: RunningJob<P>) => Promise<T>,
    options?: RunOptions<P, F>,
  ): Promise<T | F>;
  /** Soft cancel: job `jobId` stops at its next check of its signal. */
  cancel(jobId: string): void;
}

/** A runner for one worker's jobs. */
export function createJobRunner(): JobRunner {
  const running = new Map<string, AbortController>();
  return {
    async run(jobId, body, options = {}) {
      const { onProgress, answer } = options;
      const controller = new AbortController();
      running.set(jobId, controller);
      let lastReport: Promise<unknown> = Promise.resolve();
      const report = (progress: Parameters<NonNullable<typeof onProgress>>[0]) => {
        if (onProgress) lastReport = Promise.resolve(onProgress(progress));
      };
      try {
        const result = await body({ signal: controller.signal, report });
        await lastReport.catch(() => {});
        return result;
      } catch (error) {
        if (isJobCancelled(error) || controller.signal.aborted)
          throw serializeJobError(new JobCancelledError());
        const answered = await answer?.(error, controller.signal);
        if (answered !== undefined) return answered;
        throw serializeJobError(error);
      } finally {
        running.delete(jobId);
        releaseRemote(onProgress);
      }
    },
    cancel(jobId) {
      running.get(jobId)?.abort();
    },
  };
}
