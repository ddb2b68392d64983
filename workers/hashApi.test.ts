import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HASH_CHUNK_BYTES } from '../src/core/hash/sha256Stream.ts';
import {
  InputReadError,
  JobCancelledError,
  toJobError,
  WorkerCrashedError,
} from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { createHashApi, type HashWorkerApi } from './hashApi.ts';
import { type HashFileOptions, hashFileInPool } from './hashClient.ts';
import { createWorkerPool, type WorkerPool } from './pool.ts';
import { FakeWorker, type MessageChannelTracker, trackMessageChannels, until } from './testing/fakeWorker.ts';

// The same path hashFileInWorker takes (hashClient → pool → comlink → hashApi → sha256Chunks), with
// the Worker faked.
let pools: WorkerPool<HashWorkerApi>[] = [];
let workers: FakeWorker[] = [];
let channels: MessageChannelTracker | undefined;
afterEach(() => {
  for (const pool of pools) pool.destroy();
  pools = [];
  workers = [];
  channels?.restore();
  channels = undefined;
});

/** A one-worker hash pool whose workers expose `api()` (the real hash API unless a test wraps it). */
function createHashPool(api: () => HashWorkerApi = createHashApi): WorkerPool<HashWorkerApi> {
  const pool = createWorkerPool<HashWorkerApi>({
    name: 'hash',
    size: 1,
    create: () => {
      const worker = new FakeWorker(api());
      workers.push(worker);
      return worker;
    },
  });
  pools.push(pool);
  return pool;
}

function hashInPool(file: Blob, options: HashFileOptions = {}) {
  return hashFileInPool(pools[0] ?? createHashPool(), file, options);
}

/** The real hash API, with every Blob it receives passed through `adapt` first (inside the worker). */
function hashApiReading(adapt: (file: Blob) => Blob): () => HashWorkerApi {
  return () => {
    const api = createHashApi();
    return { ...api, hashFile: (jobId, file, onProgress) => api.hashFile(jobId, adapt(file), onProgress) };
  };
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
    expect(workers[0]?.terminated).toBe(false);
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

  it('leaves no callback port open after hashes that succeed, fail or are cancelled', async () => {
    channels = trackMessageChannels();
    const tracker = channels;
    await hashInPool(new File([new Uint8Array(3 * MIB)], 'a.csv'));
    await hashInPool(new Blob([]));
    const controller = new AbortController();
    const cancelled = hashInPool(new Blob([new Uint8Array(64 * MIB)]), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(cancelled).rejects.toBeInstanceOf(JobCancelledError);
    const failing = hashFileInPool(
      createHashPool(hashApiReading(unreadable)),
      new Blob([new Uint8Array(MIB)]),
    );
    await expect(failing).rejects.toBeInstanceOf(InputReadError);
    expect(tracker.createdCount()).toBeGreaterThanOrEqual(4); // one callback proxy per hash, at least
    await until(() => tracker.openCount() === 0);
    expect(workers.some((w) => w.terminated)).toBe(false); // released by the workers, not by killing them
  });

  it('keeps a slow but progressing hash alive: each progress report is a heartbeat', async () => {
    const stallMs = 500;
    const chunkDelayMs = 150;
    const chunks = 5; // ~750 ms in all, well past stallMs, with progress at least every chunk
    const bytes = new Uint8Array(chunks * DEFAULT_HASH_CHUNK_BYTES);
    const slowPool = createHashPool(hashApiReading((file) => slowToRead(file, chunkDelayMs)));
    const result = await hashFileInPool(slowPool, new Blob([bytes]), { stallMs });
    expect(result.bytes).toBe(bytes.byteLength);
  });

  it('rejects with WorkerCrashedError "stalled" when the worker dies silently mid-hash', async () => {
    const stallMs = 200;
    let vanished = false;
    const job = hashInPool(new Blob([new Uint8Array(256 * MIB)]), {
      stallMs,
      onProgress: () => {
        if (vanished) return;
        vanished = true;
        workers[0]?.vanish();
      },
    });
    const error = await job.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ reason: 'stalled' });
    expect(workers[0]?.terminated).toBe(true);
  });
});

/** A Blob whose every read fails like a file deleted after it was chosen (inside the worker). */
function unreadable(file: Blob): Blob {
  return {
    size: file.size,
    slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) }),
  } as unknown as Blob;
}

/** A Blob whose reads each take `delayMs`, like a slow network share (inside the worker). */
function slowToRead(file: Blob, delayMs: number): Blob {
  return {
    size: file.size,
    slice: (start: number, end: number) => ({
      arrayBuffer: async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return file.slice(start, end).arrayBuffer();
      },
    }),
  } as unknown as Blob;
}
