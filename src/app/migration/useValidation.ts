/**
 * Validation of chosen extracts as a job of the app's registry (src/app/jobs): it runs on while the
 * user is in another workspace, shows in the header, and its last result is here on return.
 *
 * Constraint: the chosen `File`s are kept in memory (in the job's spec and result, for "Run again"
 * and for re-reading failing rows in the drill-down), never stored; the project keeps only a report
 * the user saves.
 */
import { useCallback } from 'react';
import type { ValidateOutcome, ValidateRequest } from '../../../workers/validateApi.ts';
import { validateInWorker } from '../../../workers/validateClient.ts';
import type { Job, JobSpec } from '../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob, useLatestJobStatus } from '../jobs/useJobs.ts';

/** Kind (and key: one validation at a time) of validation jobs. */
const VALIDATION_KIND = 'validation';

/** What a finished validation job holds: the outcome and the request (with its files). */
interface ValidationRun {
  outcome: ValidateOutcome;
  request: ValidateRequest;
}

/** The job that validates `request` in the validator worker pool. */
export function validationJob(request: ValidateRequest): JobSpec<ValidationRun> {
  return {
    kind: VALIDATION_KIND,
    label: 'Validation',
    subject: request.inputs.map((i) => i.name).join(', '),
    href: '#/migration',
    run: async ({ signal, reportProgress }) => ({
      outcome: await validateInWorker(request, { signal, onProgress: reportProgress }),
      request,
    }),
  };
}

/** The run of a finished validation job, or null for any other job or state. */
export function finishedValidationRun(job: Job | undefined): ValidationRun | null {
  if (job?.kind !== VALIDATION_KIND || job.status !== 'done') return null;
  const run = job.result as Partial<ValidationRun> | null;
  return run?.outcome && run.request ? (run as ValidationRun) : null;
}

/**
 * The validation's state and actions, read from and sent to the app's job registry. `job` changes
 * with its status only, not with each progress report (read those with
 * {@link useValidationProgress}).
 */
export function useValidation() {
  const registry = useJobRegistry();
  const job = useLatestJobStatus(VALIDATION_KIND);
  const jobId = job?.id;
  const start = useCallback(
    (request: ValidateRequest) => registry?.start(validationJob(request)),
    [registry],
  );
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  return { ready: registry !== null, job, start, cancel };
}

/** The running validation job with its latest progress (re-renders on every report). */
export function useValidationProgress(): Job | undefined {
  return useLatestJob(VALIDATION_KIND);
}
