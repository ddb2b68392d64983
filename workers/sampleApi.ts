/**
 * The API the sample worker exposes: adapters from `File`s to src/core's sampling pass
 * (`sampleCsvFiles`, the function `preflight sample` runs, so browser and CLI draw the identical
 * list) and to `readCsvRows` (the review screen's on-demand read of the drawn records' cells).
 *
 * Constraints:
 * - Its jobs run as workers/jobRunner.ts runs every worker's (errors as plain objects, progress
 *   delivered before the result, the progress proxy released when the job settles); the sampling
 *   pass's own errors (a missing column, a plan that needs validation strata) are answered as a
 *   message that names files and columns, never values.
 */

import { compilePlan } from '../src/core/contract/index.ts';
import { CsvRecordTooLongError, TextDecodeError, Utf8DecodeError } from '../src/core/csv/index.ts';
import { createProgressThrottle, type Progress } from '../src/core/jobs/progress.ts';
import { readCsvRows } from '../src/core/signoff/review/index.ts';
import {
  drawBytesToRead,
  drawPlanSample,
  MissingColumnError,
  OutcomeRowsMismatchError,
  planSampleSizes,
  planSizes,
  type SampleDocument,
  sampleDocument,
  UnreadableCsvError,
  UnsupportedStratificationError,
  ValidationStrataError,
} from '../src/core/signoff/sampling/index.ts';
import {
  EmptyInputError,
  FullValidationRequiredError,
  UnknownColumnError,
} from '../src/core/validation/index.ts';
import type { SamplePlan } from '../src/formats/samplePlan.ts';
import { createJobRunner } from './jobRunner.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/**
 * A file and its name, sent apart: a `File`'s name does not survive every structured clone (Node's
 * clones a File as a plain Blob), and the name is part of the sample (file strata, record places).
 */
interface NamedBlob {
  name: string;
  data: Blob;
}

/** A drawn sample, or why the files cannot be sampled (a message naming files and columns, never values). */
export type DrawOutcome = { ok: true; document: SampleDocument } | { ok: false; message: string };

/** Errors of the sampling pass that the user fixes by choosing other files or another plan. */
const FIXABLE = [
  MissingColumnError,
  UnreadableCsvError,
  UnsupportedStratificationError,
  Utf8DecodeError,
  CsvRecordTooLongError,
  TextDecodeError,
  UnknownColumnError,
  EmptyInputError,
  ValidationStrataError,
  OutcomeRowsMismatchError,
] as const;

/**
 * A contract with rules only ajv can check: ajv compiles code, which this worker's CSP forbids (it
 * runs only in the validator worker), so validation strata need a contract the fast plan decides.
 */
const NEEDS_FULL_CHECK =
  'The column contract of this data uses rules that only the full check of the Migration workspace can run, so Preflight cannot form the validation strata while drawing. Draw this plan with `npx preflight sample --contract`, or simplify the contract.';

/** A column contract sent with a plan stratified by validation outcome. */
export interface SampleContract {
  /** the contract's name (messages) */
  name: string;
  /** the JSON Schema of rows */
  schema: Record<string, unknown>;
}

/** The per-stratum sizes the plan asks for (census strata excluded: the sampler takes them all). */
export function planGivenSizes(plan: SamplePlan): Record<string, number> {
  const given: Record<string, number> = {};
  for (const s of planSampleSizes(plan).strata) {
    const stratum = plan.population.strata.find((p) => p.id === s.stratumId);
    if (!stratum?.census) given[s.stratumId] = s.n;
  }
  return given;
}

function blobReader(file: Blob, onRead: (bytes: number) => void) {
  return async (offset: number, length: number) => {
    await yieldToEventLoop();
    const bytes = new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    onRead(bytes.byteLength);
    return bytes;
  };
}

/** Creates the sample worker's API; one instance per worker. */
export function createSampleApi() {
  const jobs = createJobRunner();
  return {
    /**
     * Draws `plan`'s sample from `files` (keyed by `keyColumn`): the `preflight.sample/v1` document
     * `preflight sample --json` prints for the same plan and files. Progress in bytes over all files.
     */
    async drawSample(
      jobId: string,
      plan: SamplePlan,
      files: NamedBlob[],
      keyColumn: string,
      onProgress: (progress: Progress) => void,
      contract?: SampleContract,
    ): Promise<DrawOutcome> {
      return jobs.run(
        jobId,
        async ({ signal, report }): Promise<DrawOutcome> => {
          const throttle = createProgressThrottle({
            // a plan stratified by validation reads each file twice: validation, then sampling
            total: drawBytesToRead(
              plan,
              files.map((f) => f.data.size),
            ),
            unit: 'bytes',
            emit: report,
          });
          const sizes = planSizes(plan, planGivenSizes(plan));
          if (!sizes.ok) return { ok: false, message: 'The plan has strata without a sample size.' };
          const result = await drawPlanSample(
            plan,
            files.map((file) => ({
              name: file.name,
              size: file.data.size,
              read: blobReader(file.data, (n) => throttle.advance(n)),
            })),
            {
              sizes: sizes.sizes,
              keyColumn,
              signal,
              // the plan alone (no ajv: this worker runs under the page's CSP)
              ...(contract ? { contract: { plan: compilePlan(contract.schema) } } : {}),
            },
          );
          throttle.finish();
          return { ok: true, document: sampleDocument(plan, result) };
        },
        {
          onProgress,
          // problems the user can fix resolve with their message (files, rows, columns — never values)
          answer: (error): DrawOutcome | undefined => {
            if (error instanceof FullValidationRequiredError) return { ok: false, message: NEEDS_FULL_CHECK };
            if (FIXABLE.some((kind) => error instanceof kind))
              return { ok: false, message: (error as Error).message };
            return undefined;
          },
        },
      );
    },
    /** The header and the cells of data rows `rows` of `file` (record content: shown, never stored). */
    async readRows(
      jobId: string,
      file: NamedBlob,
      rows: number[],
    ): Promise<{ header: string[]; rows: [number, string[]][] }> {
      return jobs.run(jobId, async ({ signal }) => {
        const read = await readCsvRows(
          { name: file.name, size: file.data.size, read: blobReader(file.data, () => {}) },
          rows,
          { signal },
        );
        return { header: read.header, rows: [...read.rows] };
      });
    },
    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel: jobs.cancel,
  };
}

/** The sample worker's API as the main thread sees it through `Comlink.Remote`. */
export type SampleWorkerApi = ReturnType<typeof createSampleApi>;
