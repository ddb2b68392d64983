/**
 * Component tests only (never imported by the app): the FHIR validator worker's client
 * (workers/fhirValidateClient.ts) answered in the test's own process by the same API the worker
 * exposes (`createFhirValidateApi`, over src/core/fhir). jsdom has no Worker, and its Blob has no
 * `stream()`, which the API reads files with and the core decompresses packages with: each file is
 * copied into a Node Blob first, and jsdom's Blob is given a `stream()` of its bytes. Nothing else
 * is faked, so a screen under test shows what the real validator says.
 *
 * Every component file gets it for every import of the client (vite.config.ts, project
 * `component`; the files that run it are named `*.inProcess.test.tsx`); a `*.mocked.test.tsx` file
 * may mock the client with it: `vi.mock('<path>/workers/fhirValidateClient.ts', () => import('<path>/fhirWorkerInProcess.ts'))`.
 * It imports nothing but types from the client it stands for: that import would be itself.
 */
import { Blob as NodeBlob } from 'node:buffer';
import type { FhirPackageSpec, FhirPackagesOutcome } from '../../../workers/fhirPackages.ts';
import {
  createFhirValidateApi,
  type FhirLineIndex,
  type FhirOutcomesFormat,
  type FhirRecordView,
  type FhirValidateOutcome,
  type FhirValidateRequest,
} from '../../../workers/fhirValidateApi.ts';
import type { FhirValidateOptions } from '../../../workers/fhirValidateClient.ts';
import type { InputProblem } from '../../../workers/validateApi.ts';
import { JobCancelledError } from '../../core/jobs/errors.ts';

// jsdom's Blob cannot stream; the browser's and Node's can (the core's gunzip makes one)
if (typeof Blob.prototype.stream !== 'function') {
  Blob.prototype.stream = function stream(this: Blob) {
    const blob = this;
    return new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(await blob.arrayBuffer()));
        controller.close();
      },
    }) as ReturnType<Blob['stream']>;
  };
}

/**
 * The worker's API that answers here, exported so a test can hold one call back at the point the
 * worker would take it (`vi.spyOn`, restored after the test).
 */
export const inProcessFhirApi = createFhirValidateApi();
const api = inProcessFhirApi;
let jobs = 0;

/** A Blob the API can stream (jsdom's cannot). */
async function streamable(file: Blob): Promise<Blob> {
  // the bytes as a Buffer: jsdom's ArrayBuffer is of another realm, which a Node Blob would stringify
  return new NodeBlob([Buffer.from(await file.arrayBuffer())]) as unknown as Blob;
}

async function inProcess(request: FhirValidateRequest): Promise<FhirValidateRequest> {
  const inputs = await Promise.all(
    request.inputs.map(async (i) => ({ ...i, file: await streamable(i.file) })),
  );
  const packages = request.packages
    ? await Promise.all(request.packages.map(async (p) => ({ ...p, file: await streamable(p.file) })))
    : undefined;
  return { ...request, inputs, ...(packages ? { packages } : {}) };
}

/** Runs `work` as job `id`, cancelled through the API when `signal` aborts. */
async function asJob<T>(signal: AbortSignal | undefined, work: (id: string) => Promise<T>): Promise<T> {
  jobs += 1;
  const id = `in-process-${jobs}`;
  if (signal?.aborted) throw new JobCancelledError();
  const cancel = () => api.cancel(id);
  signal?.addEventListener('abort', cancel);
  try {
    const result = await work(id);
    if (signal?.aborted) throw new JobCancelledError();
    return result;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

export function prewarmFhirValidator(): Promise<number> {
  return api.warm();
}

export async function validateFhirInWorker(
  request: FhirValidateRequest,
  options: FhirValidateOptions = {},
): Promise<FhirValidateOutcome> {
  const copied = await inProcess(request);
  return asJob(options.signal, (id) => api.validate(id, copied, () => {}));
}

export async function readFhirRecordInWorker(
  file: Blob,
  name: string,
  row: number,
  location: string,
  index?: FhirLineIndex,
  syntax?: { line: number; column: number },
): Promise<FhirRecordView> {
  const sparse = index ? { lines: index.lines, offsets: index.offsets } : undefined;
  return api.readRecord(await streamable(file), name, row, location, sparse, syntax);
}

export async function fhirOutcomesInWorker(
  request: FhirValidateRequest,
  format: FhirOutcomesFormat,
  options: { signal?: AbortSignal } = {},
): Promise<{ ok: true; blob: Blob } | { ok: false; problem: InputProblem }> {
  const copied = await inProcess(request);
  return asJob(options.signal, (id) => api.outcomes(id, copied, format, () => {}));
}

export async function inspectFhirPackagesInWorker(specs: FhirPackageSpec[]): Promise<FhirPackagesOutcome> {
  return api.inspectPackages(
    await Promise.all(specs.map(async (s) => ({ ...s, file: await streamable(s.file) }))),
  );
}
