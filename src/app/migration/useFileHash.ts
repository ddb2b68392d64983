/**
 * The file fingerprint as a job of the app's registry (src/app/jobs): the hash runs on while the user
 * moves between workspaces, shows in the header, and its last result (digest, failure or who
 * cancelled it) is there when the user comes back to the Migration workspace.
 *
 * Constraint: the chosen `File` is kept in memory (inside the job's spec, for "Run again") and never
 * stored; the project keeps nothing of it.
 */
import { useCallback } from 'react';
import { hashFileInWorker } from '../../../workers/hashClient.ts';
import type { Sha256Digest } from '../../core/hash/index.ts';
import type { Job, JobSpec } from '../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../jobs/useJobs.ts';

/** Kind (and key: one fingerprint at a time) of fingerprint jobs. */
const FINGERPRINT_KIND = 'fingerprint';

/** The job that fingerprints `file` in the hash worker pool. */
function fingerprintJob(file: File): JobSpec<Sha256Digest> {
  return {
    kind: FINGERPRINT_KIND,
    label: 'Fingerprint',
    subject: file.name,
    href: '#/migration',
    run: ({ signal, reportProgress }) => hashFileInWorker(file, { signal, onProgress: reportProgress }),
  };
}

/** The digest of a finished fingerprint job, or null for any other job or state. */
export function fingerprintResult(job: Job | undefined): Sha256Digest | null {
  if (job?.kind !== FINGERPRINT_KIND || job.status !== 'done') return null;
  const result = job.result as Partial<Sha256Digest> | null;
  return typeof result?.sha256 === 'string' && typeof result.bytes === 'number'
    ? { sha256: result.sha256, bytes: result.bytes }
    : null;
}

/** The fingerprint tool's state and actions, read from and sent to the app's job registry. */
export function useFileHash() {
  const registry = useJobRegistry();
  const job = useLatestJob(FINGERPRINT_KIND);
  const jobId = job?.id;

  const start = useCallback((file: File) => registry?.start(fingerprintJob(file)), [registry]);
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  const runAgain = useCallback(() => {
    if (jobId) registry?.runAgain(jobId);
  }, [registry, jobId]);

  return { ready: registry !== null, job, start, cancel, runAgain };
}
