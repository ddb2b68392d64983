import { createHash } from 'node:crypto';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { InputReadError, JobCancelledError, toJobError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { createHashApi, type HashWorkerApi } from './hashApi.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';

// The same path hashClient.ts takes (pool → comlink → hashApi → sha256Chunks), with the Worker faked.
let pool: WorkerPool<HashWorkerApi> | undefined;
afterEach(() => {
  pool?.destroy();
  pool = undefined;
});

function hashInPool(file: Blob, options: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}) {
  pool ??= createWorkerPool<HashWorkerApi>({
    name: 'hash',
    size: 1,
    create: () => new FakeWorker(createHashApi()),
  });
  const onProgress = Comlink.proxy(options.onProgress ?? (() => {}));
  return pool.run((api, jobId) => api.hashFile(jobId, file, onProgress), {
    signal: options.signal,
    cancel: (api, jobId) => api.cancel(jobId),
  });
}

const MIB = 1024 * 1024;
const SOFT_CANCEL_BUDGET_MS = 500;

describe('hash worker API through the pool', () => {
  it('hashes a File like node:crypto and reports its progress', async () => {
    const bytes = new Uint8Array(20 * MIB);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    const seen: Progress[] = [];
    const result = await hashInPool(new File([bytes], 'patients.csv'), { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.byteLength,
    });
    expect(seen.at(-1)?.done).toBe(bytes.byteLength); // the final report arrives before the result
  });

  it('cancels a running hash with JobCancelledError', async () => {
    const controller = new AbortController();
    const big = new Blob([new Uint8Array(256 * MIB)]);
    let abortedAt = 0;
    const job = hashInPool(big, {
      signal: controller.signal,
      onProgress: () => {
        abortedAt = performance.now();
        controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    // Soft cancel: stopped within a few chunks, long before the 1.5 s hard stop or the end of the file.
    expect(performance.now() - abortedAt).toBeLessThan(SOFT_CANCEL_BUDGET_MS);
  });

  it('sends read failures as plain objects that become InputReadError with the file and offset', async () => {
    const api = createHashApi();
    const failing = Object.assign(new File([new Uint8Array(10)], 'visits.csv'), {
      slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) }),
    });
    const thrown = await api.hashFile('job-1', failing, () => {}).catch((e: unknown) => e);
    expect(thrown).not.toBeInstanceOf(Error); // survives structured clone with all fields
    const error = toJobError(structuredClone(thrown));
    expect(error).toBeInstanceOf(InputReadError);
    expect(error).toMatchObject({
      location: { source: 'visits.csv', byteOffset: 0 },
      causeName: 'NotReadableError',
    });
  });
});
