/**
 * FHIR validation of chosen files as a job of the app's registry (src/app/jobs), beside the CSV
 * validation (its own key, so a CSV run and a FHIR run can both be on screen): it runs on while the
 * user is in another workspace, shows in the header, and its last result is here on return.
 *
 * Constraint: the chosen `File`s are kept in memory (in the job's spec and result, for re-reading a
 * resource at an issue's location and for the OperationOutcome export), never stored; the project
 * keeps only a report the user saves.
 */
import { useCallback } from 'react';
import type { FhirValidateOutcome, FhirValidateRequest } from '../../../workers/fhirValidateApi.ts';
import { validateFhirInWorker } from '../../../workers/fhirValidateClient.ts';
import type { Job, JobSpec } from '../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../jobs/useJobs.ts';

import { FHIR_VALIDATION_KIND } from './fhirValidationKind.ts';

/** What a finished FHIR validation job holds: the outcome and the request (with its files). */
interface FhirValidationRun {
  outcome: FhirValidateOutcome;
  request: FhirValidateRequest;
}

/** The job that validates `request` in the FHIR validator worker. */
function fhirValidationJob(request: FhirValidateRequest): JobSpec<FhirValidationRun> {
  return {
    kind: FHIR_VALIDATION_KIND,
    label: 'FHIR validation',
    subject: request.inputs.map((i) => i.name).join(', '),
    href: '#/migration',
    run: async ({ signal, reportProgress }) => ({
      outcome: await validateFhirInWorker(request, { signal, onProgress: reportProgress }),
      request,
    }),
  };
}

/** The run of a finished FHIR validation job, or null for any other job or state. */
export function fhirValidationRun(job: Job | undefined): FhirValidationRun | null {
  if (job?.kind !== FHIR_VALIDATION_KIND || job.status !== 'done') return null;
  const run = job.result as Partial<FhirValidationRun> | null;
  return run?.outcome && run.request ? (run as FhirValidationRun) : null;
}

/** The FHIR validation's state and actions, read from and sent to the app's job registry. */
export function useFhirValidation() {
  const registry = useJobRegistry();
  const job = useLatestJob(FHIR_VALIDATION_KIND);
  const jobId = job?.id;
  const start = useCallback(
    (request: FhirValidateRequest) => registry?.start(fhirValidationJob(request)),
    [registry],
  );
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  return { ready: registry !== null, job, start, cancel };
}
