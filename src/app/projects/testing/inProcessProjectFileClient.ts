/**
 * Tests only: workers/projectFileClient.ts with the project-file worker's own API
 * (workers/projectFileApi.ts) running in the test's thread, for component tests in jsdom, which has
 * no Worker. Every component file gets it for every import of the client (vite.config.ts, project
 * `component`), so a screen that imports a project file or checks an evidence pack is decided by
 * the same code as in the app. Only the transport is replaced: progress is passed straight through,
 * nothing is structured-cloned, and a rejection is the typed job error the pool makes of it.
 * It imports nothing but types from the client it stands for: that import would be itself.
 */

import { createProjectFileApi } from '../../../../workers/projectFileApi.ts';
import type * as Client from '../../../../workers/projectFileClient.ts';
import { JobCancelledError, toJobError } from '../../../core/jobs/errors.ts';

const api = createProjectFileApi();
let jobs = 0;

/** Runs `work` as a job, cancelled through the API when `signal` aborts, as the pool does. */
async function asJob<T>(signal: AbortSignal | undefined, work: (id: string) => Promise<T>): Promise<T> {
  jobs += 1;
  const id = `in-process-${jobs}`;
  if (signal?.aborted) throw new JobCancelledError();
  const cancel = () => api.cancel(id);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const result = await work(id);
    if (signal?.aborted) throw new JobCancelledError();
    return result;
  } catch (error) {
    throw toJobError(error);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

export const readProjectFileInWorker: typeof Client.readProjectFileInWorker = (file, options = {}) =>
  asJob(options.signal, (id) => api.readProjectFile(id, file, (progress) => options.onProgress?.(progress)));

export const verifyEvidencePackInWorker: typeof Client.verifyEvidencePackInWorker = (
  file,
  project,
  options = {},
) =>
  asJob(options.signal, (id) =>
    api.verifyEvidencePackFile(id, file, project, (progress) => options.onProgress?.(progress), options.team),
  );
