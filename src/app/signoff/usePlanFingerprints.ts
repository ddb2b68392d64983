/**
 * Fingerprinting the data files of a sample plan before it is locked, as a job of the app
 * (src/app/jobs): the files are hashed one after the other in the hash worker, with progress in
 * bytes over all of them; the result is the list of fingerprints the lock records. Files are read
 * in place and never stored.
 */
import { useCallback } from 'react';
import { hashFileInWorker } from '../../../workers/hashClient.ts';
import type { Progress } from '../../core/jobs/progress.ts';
import type { PlanDataset } from '../../formats/samplePlan.ts';
import type { Job, JobSpec } from '../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../jobs/useJobs.ts';

const PLAN_FINGERPRINT_KIND = 'plan-fingerprints';

function planFingerprintKey(planId: string): string {
  return `${PLAN_FINGERPRINT_KIND}:${planId}`;
}

/** The job hashing `files` for plan `planId`. */
function planFingerprintJob(planId: string, files: readonly File[]): JobSpec<PlanDataset[]> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  return {
    kind: PLAN_FINGERPRINT_KIND,
    key: planFingerprintKey(planId),
    label: 'Fingerprint for the plan',
    subject: files.length === 1 ? (files[0]?.name ?? '') : `${files.length} files`,
    href: '#/signoff',
    run: async ({ signal, reportProgress }) => {
      const datasets: PlanDataset[] = [];
      let before = 0;
      for (const file of files) {
        const digest = await hashFileInWorker(file, {
          signal,
          onProgress: (p: Progress) =>
            reportProgress({ ...p, done: before + p.done, total, etaSeconds: p.etaSeconds }),
        });
        datasets.push({ name: file.name, bytes: digest.bytes, sha256: digest.sha256 });
        before += file.size;
      }
      return datasets;
    },
  };
}

/** The fingerprints of a finished job, or null. */
export function planFingerprints(job: Job | undefined): PlanDataset[] | null {
  if (job?.kind !== PLAN_FINGERPRINT_KIND || job.status !== 'done' || !Array.isArray(job.result)) return null;
  return job.result as PlanDataset[];
}

/** The fingerprint job of plan `planId`, and how to start and cancel it. */
export function usePlanFingerprints(planId: string) {
  const registry = useJobRegistry();
  const job = useLatestJob(planFingerprintKey(planId));
  const jobId = job?.id;
  const start = useCallback(
    (files: readonly File[]) => registry?.start(planFingerprintJob(planId, files)),
    [registry, planId],
  );
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  return { ready: registry !== null, job, start, cancel };
}
