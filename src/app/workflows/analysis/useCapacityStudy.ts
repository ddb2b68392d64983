/**
 * The capacity study of one workflow as a job of the app (src/app/jobs): it runs in the capacity
 * worker, goes on while the user is elsewhere, shows in the header, and its last result is here on
 * return. One slot per workflow, so studies of two workflows can stand side by side.
 */
import { useCallback } from 'react';
import { runCapacityStudyInWorker } from '../../../../workers/capacityClient.ts';
import type { CapacityStudyOptions, CapacityStudyOutcome } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import type { Job, JobSpec } from '../../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../../jobs/useJobs.ts';

/** Kind of capacity jobs. */
const CAPACITY_KIND = 'capacity';

/** The job slot of `workflowId`'s study. */
function capacityKey(workflowId: string): string {
  return `${CAPACITY_KIND}:${workflowId}`;
}

/**
 * The job that studies `workflow` (a snapshot: later edits need a new run); `href` is the capacity
 * tab it was started on, where the header's note of its end leads.
 */
function capacityJob(
  workflow: Workflow,
  options: CapacityStudyOptions,
  href: string,
): JobSpec<CapacityStudyOutcome> {
  return {
    kind: CAPACITY_KIND,
    key: capacityKey(workflow.id),
    label: 'Go-live simulation',
    subject: workflow.name,
    href,
    run: ({ signal, reportProgress }) =>
      runCapacityStudyInWorker(workflow, options, { signal, onProgress: reportProgress }),
  };
}

/** The outcome of a finished capacity job, or null for any other job or state. */
export function capacityOutcome(job: Job | undefined): CapacityStudyOutcome | null {
  if (job?.kind !== CAPACITY_KIND || job.status !== 'done') return null;
  const outcome = job.result as CapacityStudyOutcome | null;
  return outcome && typeof outcome.ok === 'boolean' ? outcome : null;
}

/** The capacity study's state and actions for `workflowId`, started from the tab at `href`. */
export function useCapacityStudy(workflowId: string, href: string) {
  const registry = useJobRegistry();
  const job = useLatestJob(capacityKey(workflowId));
  const jobId = job?.id;
  const start = useCallback(
    (workflow: Workflow, options: CapacityStudyOptions) =>
      registry?.start(capacityJob(workflow, options, href)),
    [registry, href],
  );
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  return { ready: registry !== null, job, start, cancel };
}
