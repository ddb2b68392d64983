/**
 * Tests only: workers/bpmnClient.ts with the BPMN worker's own API (workers/bpmnApi.ts) running in
 * the test's thread, for component tests in jsdom, which has no Worker. Every component file gets
 * it for every import of the client (vite.config.ts, project `component`), so what a BPMN file
 * imports as, or a workflow exports as, is the same code's answer as in the app. Only the
 * transport is replaced: a rejection is the typed job error the pool makes of it.
 * It imports nothing but types from the client it stands for: that import would be itself.
 */

import { createBpmnApi } from '../../../../../workers/bpmnApi.ts';
import type * as Client from '../../../../../workers/bpmnClient.ts';
import { JobCancelledError, toJobError } from '../../../../core/jobs/errors.ts';

const api = createBpmnApi();

function typed<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    throw toJobError(error);
  });
}

export const importBpmnInWorker: typeof Client.importBpmnInWorker = async (file, options = {}) => {
  if (options.signal?.aborted) throw new JobCancelledError();
  const result = await typed(api.importFile(file));
  if (options.signal?.aborted) throw new JobCancelledError();
  return result;
};

export const exportBpmnInWorker: typeof Client.exportBpmnInWorker = (workflow) =>
  typed(api.exportWorkflow(workflow));
