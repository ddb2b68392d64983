/**
 * Tests only: a validation run made as the page makes it — the validator worker's own API
 * (workers/validateApi.ts) and the page's run (workers/validateRun.ts) — but in the test's
 * process, since jsdom has no Worker. Component tests render what the screen shows for a report the
 * real engine wrote, never a report written by hand.
 *
 * Files are Node Blobs: the worker reads them with `Blob.slice().arrayBuffer()`, which jsdom's own
 * Blob lacks.
 */
import { Blob } from 'node:buffer';
import { layoutOf } from '../../../../workers/testing/sniffedLayout.ts';
import {
  createValidateApi,
  type FailingRowIndex,
  type ValidateInputSpec,
  type ValidateRequest,
} from '../../../../workers/validateApi.ts';
import { runValidation } from '../../../../workers/validateRun.ts';
import type { KeySpec, ReferenceLink, RowSetWatch } from '../../../core/validation/index.ts';
import type { Report } from '../../../formats/report.ts';

/** One file of a test run. */
interface TestInput {
  name: string;
  /** the file's bytes, or its text (written as UTF-8) */
  bytes: string | Uint8Array;
  contract?: Record<string, unknown>;
  /** the contract's name as the screen lists it (default: `<file>.contract.json`) */
  contractName?: string;
  keys?: KeySpec[];
  /** the row sets of waivers limited to rows (core `rowSetWatches`), as the page passes them */
  rowSets?: RowSetWatch[];
}

/** What a finished run gives the screen: its report, failing rows per file, and its request. */
export interface TestRun {
  report: Report;
  failing: FailingRowIndex[];
  request: ValidateRequest;
}

/** Validates `inputs` (linked by `links`) as the page does; throws the run's problem, if any. */
export async function runReport(inputs: readonly TestInput[], links: ReferenceLink[] = []): Promise<TestRun> {
  const api = createValidateApi();
  const specs: ValidateInputSpec[] = [];
  for (const input of inputs) {
    const file = new Blob([input.bytes]) as unknown as globalThis.Blob;
    const contractName = input.contractName ?? input.name.replace(/\.\w+$/, '.contract.json');
    specs.push({
      file,
      name: input.name,
      layout: await layoutOf(api, file, input.name),
      keys: input.keys ?? [],
      ...(input.rowSets ? { rowSets: input.rowSets } : {}),
      ...(input.contract
        ? { contract: { id: contractName, name: contractName, schema: input.contract } }
        : {}),
    });
  }
  const request: ValidateRequest = { inputs: specs, links, toolVersion: '0.0.0-test' };
  const outcome = await runValidation(request, {
    filesAtOnce: 1,
    runFile: (task, onProgress) => api.validateFile(`file-${task.name}`, task, onProgress),
  });
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return { report: outcome.report, failing: outcome.failing, request };
}
