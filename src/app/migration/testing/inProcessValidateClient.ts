/**
 * Tests only: workers/validateClient.ts with the validator worker's own API (workers/validateApi.ts)
 * running in the test's process, for component tests in jsdom, which has no Worker. Every component
 * file gets it for every import of the client (vite.config.ts, project `component`; the files that
 * run it are named `*.inProcess.test.tsx`); a `*.mocked.test.tsx` file may still mock the client
 * with it:
 *
 *   vi.mock('../../../workers/validateClient.ts', () => import('./testing/inProcessValidateClient.ts'));
 *
 * Only the transport is replaced: every answer is the worker API's, run by the page's own run
 * (workers/validateRun.ts). Progress is passed straight through; nothing is structured-cloned.
 */

import type {
  FailingRowsExportOutcome,
  FailingRowsExportTask,
} from '../../../../workers/failingRowsExportTask.ts';
import type { FindRowsOutcome, FindRowsTask } from '../../../../workers/findRowsTask.ts';
import {
  createValidateApi,
  type HeadOutcome,
  type SniffOutcome,
  type ValidateOutcome,
  type ValidateRequest,
} from '../../../../workers/validateApi.ts';
import type { ValidateOptions } from '../../../../workers/validateClient.ts';
import { runValidation } from '../../../../workers/validateRun.ts';
import type { CsvLayout } from '../../../core/csv/index.ts';

export const VALIDATE_STALL_MS = 60_000;

const api = createValidateApi();
let jobs = 0;
const jobId = () => `in-process-${++jobs}`;

/** Cancels the job `id` when `signal` aborts, as the pool does. */
function cancelling(signal: AbortSignal | undefined, id: string): void {
  signal?.addEventListener('abort', () => api.cancel(id), { once: true });
}

export function validateInWorker(
  request: ValidateRequest,
  options: ValidateOptions = {},
): Promise<ValidateOutcome> {
  const { onProgress, signal } = options;
  return runValidation(request, {
    filesAtOnce: 1,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    runFile: (task, fileProgress, fileSignal) => {
      const id = jobId();
      cancelling(fileSignal ?? signal, id);
      return api.validateFile(id, task, fileProgress);
    },
  });
}

export function sniffInWorker(
  file: Blob,
  name: string,
  given: Partial<CsvLayout> = {},
): Promise<SniffOutcome> {
  return api.sniff(file, name, given);
}

export function readRowsInWorker(
  file: Blob,
  name: string,
  layout: CsvLayout,
  offsets: number[],
): Promise<(string[] | null)[]> {
  return api.readRows(file, name, layout, offsets);
}

export function findRowsInWorker(
  task: FindRowsTask,
  options: { onProgress?: (progress: { bytes: number; total: number }) => void; signal?: AbortSignal } = {},
): Promise<FindRowsOutcome> {
  const id = jobId();
  cancelling(options.signal, id);
  const total = task.file.size + (task.orphans?.target.file.size ?? 0);
  return api.findRows(id, task, (p: { bytes: number }) => options.onProgress?.({ bytes: p.bytes, total }));
}

export function exportFailingRowsInWorker(
  task: FailingRowsExportTask,
  options: { onProgress?: (progress: { rows: number; total: number }) => void; signal?: AbortSignal } = {},
): Promise<FailingRowsExportOutcome> {
  const id = jobId();
  cancelling(options.signal, id);
  return api.exportFailingRows(id, task, (p: { rows: number; total: number }) => options.onProgress?.(p));
}

export function readHeadInWorker(
  file: Blob,
  name: string,
  layout: CsvLayout,
  rows: number,
): Promise<HeadOutcome> {
  return api.readHead(file, name, layout, rows);
}
