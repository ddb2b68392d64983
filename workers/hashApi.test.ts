import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InputReadError,
  JobCancelledError,
  toJobError,
  WorkerCrashedError,
} from '../src/core/jobs/errors.ts';
import { DEFAULT_PROGRESS_INTERVAL_MS, type Progress } from '../src/core/jobs/progress.ts';
import { createHashApi, HASH_WORKER_CHUNK_BYTES, type HashWorkerApi } from './hashApi.ts';
import { type HashFileOptions, hashFileInPool } from './hashClient.ts';
import type { WorkerPool } from './pool.ts';
import { fakePools } from './testing/fakePools.ts';
import { type MessageChannelTracker, observe, trackMessageChannels, until } from './testing/fakeWorker.ts';

// The same path hashFileInWorker takes (hashClient → pool → comlink → hashApi → sha256Chunks), with
// the Worker faked.
const { createPool: createHashPool, workers } = fakePools<HashWorkerApi>('hash', createHashApi);
let defaultPool: WorkerPool<HashWorkerApi> | undefined;
let channels: MessageChannelTracker | undefined;
afterEach(() => {
  defaultPool = undefined;
  channels?.restore();
  channels = undefined;
});

function hashInPool(file: Blob, options: HashFileOptions = {}) {
  defaultPool ??= createHashPool();
  return hashFileInPool(defaultPool, file, options);
}

/** The real hash API, with every Blob it receives passed through `adapt` first (inside the worker). */
function hashApiReading(adapt: (file: Blob) => Blob): () => HashWorkerApi {
  return () => {
    const api = createHashApi();
    return { ...api, hashFile: (jobId, file, onProgress) => api.hashFile(jobId, adapt(file), onProgress) };
  };
}

const MIB = 1024 * 1024;
/**
 * Chunks a soft cancel may still read once the page asked for it: the request crosses two message
 * hops (the progress report to the page, the cancel back to the worker) while the worker reads on,
 * and the worker checks for it between chunks. In practice one; two leaves a margin.
 */
const SOFT_CANCEL_MAX_CHUNKS = 2;
/**
 * Puts the pool's timers (the hard stop after a cancel, the stall watchdog), the slow reads' delays and
 * the progress throttle's clock on vitest's fake clock, so a loaded machine cannot change what a test
 * sees; comlink's MessageChannels stay real.
 */
function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
}
/** A slow read (fake clock): longer than the progress interval, so every chunk sends a report. */
const SLOW_READ_MS = 1.5 * DEFAULT_PROGRESS_INTERVAL_MS;

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

  it('cancels a running hash with JobCancelledError within a chunk or two, without stopping the worker', async () => {
    // fake timers: only the soft cancel can end this job (the hard stop's timer never fires)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controller = new AbortController();
    const chunks = 16;
    const reads = { started: 0 };
    let readsWhenCancelled = -1;
    const pool = createHashPool(hashApiReading((file) => countingReads(file, reads)));
    const job = hashFileInPool(pool, new Blob([new Uint8Array(chunks * HASH_WORKER_CHUNK_BYTES)]), {
      signal: controller.signal,
      onProgress: () => {
        if (readsWhenCancelled >= 0) return;
        readsWhenCancelled = reads.started;
        controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers[0]?.terminated).toBe(false); // a soft cancel: the worker stays for the next job
    expect(readsWhenCancelled).toBeGreaterThan(0);
    expect(reads.started - readsWhenCancelled).toBeLessThanOrEqual(SOFT_CANCEL_MAX_CHUNKS);
    expect(reads.started).toBeLessThan(chunks);
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
    useFakeClock();
    const stallMs = 500;
    const chunks = 5; // 750 ms of reading in all, well past stallMs, with a progress report after each chunk
    const bytes = new Uint8Array(chunks * HASH_WORKER_CHUNK_BYTES);
    const reads = { started: 0 };
    const slowPool = createHashPool(hashApiReading((file) => slowToRead(file, SLOW_READ_MS, reads)));
    const seen: Progress[] = [];
    const job = observe(
      hashFileInPool(slowPool, new Blob([bytes]), { stallMs, onProgress: (p) => seen.push(p) }),
    );
    for (let chunk = 1; chunk <= chunks; chunk++) {
      await until(() => reads.started === chunk); // the worker waits for this read
      await vi.advanceTimersByTimeAsync(SLOW_READ_MS);
      await until(() => seen.length >= chunk); // its progress report, the heartbeat, reached the page
    }
    await until(() => job.status !== 'pending');
    expect(job).toMatchObject({ status: 'resolved', value: { bytes: bytes.byteLength } });
    expect(workers[0]?.terminated).toBe(false);
  });

  it('rejects with WorkerCrashedError "stalled" when the worker dies silently mid-hash', async () => {
    useFakeClock();
    const stallMs = 200;
    const reads = { started: 0 };
    const slowPool = createHashPool(hashApiReading((file) => slowToRead(file, SLOW_READ_MS, reads)));
    let vanished = false;
    const job = observe(
      hashFileInPool(slowPool, new Blob([new Uint8Array(4 * HASH_WORKER_CHUNK_BYTES)]), {
        stallMs,
        onProgress: () => {
          if (vanished) return;
          vanished = true;
          workers[0]?.vanish(); // after this report, no message reaches the page
        },
      }),
    );
    await until(() => reads.started === 1);
    await vi.advanceTimersByTimeAsync(SLOW_READ_MS);
    await until(() => vanished);
    // the last heartbeat came with that report: the watchdog fires exactly stallMs later
    await vi.advanceTimersByTimeAsync(stallMs - 1);
    expect(job.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(job.status).toBe('rejected');
    expect(job.error).toBeInstanceOf(WorkerCrashedError);
    expect(job.error).toMatchObject({ reason: 'stalled' });
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

/** Counts the reads of a Blob (inside the worker): `reads.started` grows as each read begins. */
function countingReads(file: Blob, reads: { started: number }): Blob {
  return {
    size: file.size,
    slice: (start: number, end: number) => ({
      arrayBuffer: () => {
        reads.started += 1;
        return file.slice(start, end).arrayBuffer();
      },
    }),
  } as unknown as Blob;
}

/**
 * A Blob whose reads each take `delayMs` (of the fake clock, when faked), like a slow network share
 * (inside the worker); `reads.started` grows as each read begins waiting.
 */
function slowToRead(file: Blob, delayMs: number, reads: { started: number }): Blob {
  return {
    size: file.size,
    slice: (start: number, end: number) => ({
      arrayBuffer: async () => {
        reads.started += 1;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return file.slice(start, end).arrayBuffer();
      },
    }),
  } as unknown as Blob;
}
