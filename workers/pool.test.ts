import { afterEach, describe, expect, it } from 'vitest';
import { JobCancelledError, serializeJobError, WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { createWorkerPool, type PoolWorker, type WorkerPool } from './pool.ts';
import { FakeWorker, until } from './testing/fakeWorker.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The worker-side API of the fake: jobs wait until the test releases them or they are cancelled. */
function createFakeApi(options: { ignoreCancel?: boolean } = {}) {
  const gates = new Map<string, { release: () => void; cancel: () => void }>();
  const started: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const api = {
    async work(jobId: string, input: number): Promise<number> {
      started.push(jobId);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      const done = deferred<'released' | 'cancelled'>();
      gates.set(jobId, { release: () => done.resolve('released'), cancel: () => done.resolve('cancelled') });
      try {
        if ((await done.promise) === 'cancelled') throw serializeJobError(new JobCancelledError());
        return input * 2;
      } finally {
        running -= 1;
        gates.delete(jobId);
      }
    },
    cancel(jobId: string): void {
      if (!options.ignoreCancel) gates.get(jobId)?.cancel();
    },
  };
  return {
    api,
    started,
    maxRunning: () => maxRunning,
    release: (jobId: string) => gates.get(jobId)?.release(),
    releaseAll: () => {
      for (const gate of gates.values()) gate.release();
    },
  };
}

type FakeApi = ReturnType<typeof createFakeApi>['api'];

const GRACE_MS = 50;
let pools: WorkerPool<FakeApi>[] = [];

function setup(options: { size?: number; ignoreCancel?: boolean; create?: () => PoolWorker } = {}) {
  const fake = createFakeApi(options);
  const workers: FakeWorker[] = [];
  const pool = createWorkerPool<FakeApi>({
    name: 'test',
    size: options.size ?? 2,
    cancelGraceMs: GRACE_MS,
    create:
      options.create ??
      (() => {
        const worker = new FakeWorker(fake.api);
        workers.push(worker);
        return worker;
      }),
  });
  pools.push(pool);
  const work = (input: number, signal?: AbortSignal) =>
    pool.run((api, jobId) => api.work(jobId, input), { signal, cancel: (api, jobId) => api.cancel(jobId) });
  return { pool, fake, workers, work };
}

afterEach(() => {
  for (const pool of pools) pool.destroy();
  pools = [];
});

describe('createWorkerPool', () => {
  it('defaults to at least one worker', () => {
    const pool = createWorkerPool<FakeApi>({ name: 'x', create: () => new FakeWorker({}) });
    expect(pool.size).toBeGreaterThanOrEqual(1);
    pool.destroy();
  });

  it('creates workers lazily and queues jobs beyond its size', async () => {
    const { fake, workers, work } = setup({ size: 2 });
    expect(workers).toHaveLength(0);
    const results = [1, 2, 3, 4, 5].map((n) => work(n));
    await until(() => fake.started.length === 2);
    expect(workers).toHaveLength(2);
    // Release jobs one by one; each frees a worker for the next queued job.
    for (let i = 0; i < 5; i++) {
      await until(() => fake.started.length >= Math.min(i + 2, 5));
      fake.release(`test-${i + 1}`);
    }
    expect(await Promise.all(results)).toEqual([2, 4, 6, 8, 10]);
    expect(fake.maxRunning()).toBe(2);
    expect(workers).toHaveLength(2);
  });

  it('cancels a queued job without starting it', async () => {
    const { fake, work } = setup({ size: 1 });
    const first = work(1);
    const controller = new AbortController();
    const second = work(2, controller.signal);
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(JobCancelledError);
    await until(() => fake.started.length === 1);
    fake.releaseAll();
    expect(await first).toBe(2);
    expect(fake.started).toEqual(['test-1']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { workers, work } = setup();
    await expect(work(1, AbortSignal.abort())).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers).toHaveLength(0);
  });

  it('soft-cancels a running job and keeps the worker', async () => {
    const { fake, workers, work } = setup({ size: 1 });
    const controller = new AbortController();
    const job = work(1, controller.signal);
    await until(() => fake.started.length === 1);
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers[0]?.terminated).toBe(false);
    const next = work(21);
    await until(() => fake.started.length === 2);
    fake.releaseAll();
    expect(await next).toBe(42);
    expect(workers).toHaveLength(1);
  });

  it('terminates and replaces a worker that ignores the soft cancel past the grace period', async () => {
    const { fake, workers, work } = setup({ size: 1, ignoreCancel: true });
    const controller = new AbortController();
    const job = work(1, controller.signal);
    const queued = work(2);
    await until(() => fake.started.length === 1);
    const abortedAt = Date.now();
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(GRACE_MS - 5);
    expect(workers[0]?.terminated).toBe(true);
    await until(() => fake.started.length === 2);
    expect(workers).toHaveLength(2);
    fake.release('test-2');
    expect(await queued).toBe(4);
  });

  it('rejects the running job with WorkerCrashedError on a crash, replaces the worker, and runs the queue', async () => {
    const { fake, workers, work } = setup({ size: 1 });
    const job = work(1);
    const queued = work(2);
    await until(() => fake.started.length === 1);
    workers[0]?.crash();
    const error = await job.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ reason: 'crashed' });
    expect(workers[0]?.terminated).toBe(true);
    await until(() => fake.started.length === 2);
    expect(workers).toHaveLength(2);
    fake.release('test-2');
    expect(await queued).toBe(4);
  });

  it('treats a messageerror like a crash', async () => {
    const { fake, workers, work } = setup({ size: 1 });
    const job = work(1);
    await until(() => fake.started.length === 1);
    workers[0]?.dispatchEvent(new Event('messageerror'));
    await expect(job).rejects.toBeInstanceOf(WorkerCrashedError);
  });

  it('rejects with WorkerCrashedError when a worker cannot be created, and recovers', async () => {
    const fake = createFakeApi();
    let attempts = 0;
    const { work } = setup({
      size: 1,
      create: () => {
        attempts += 1;
        if (attempts === 1) throw new DOMException('blocked', 'SecurityError');
        return new FakeWorker(fake.api);
      },
    });
    await expect(work(1)).rejects.toMatchObject({
      name: 'WorkerCrashedError',
      reason: 'failedToStart',
      causeName: 'SecurityError',
    });
    const next = work(5);
    await until(() => fake.started.length === 1);
    fake.releaseAll();
    expect(await next).toBe(10);
  });

  it('turns errors thrown in the worker into typed errors', async () => {
    const workers: FakeWorker[] = [];
    const pool = createWorkerPool<{ fail(): Promise<void> }>({
      name: 'fail',
      size: 1,
      create: () => {
        const worker = new FakeWorker({
          fail: async () => {
            throw new TypeError('secret value');
          },
        });
        workers.push(worker);
        return worker;
      },
    });
    const error = await pool.run((api) => api.fail()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ reason: 'unexpectedError', causeName: 'TypeError' });
    pool.destroy();
  });

  it('destroy terminates the workers and rejects running, queued and later jobs', async () => {
    const { pool, fake, workers, work } = setup({ size: 1 });
    const running = work(1);
    const queued = work(2);
    await until(() => fake.started.length === 1);
    pool.destroy();
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    await expect(queued).rejects.toBeInstanceOf(JobCancelledError);
    await expect(work(3)).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });
});
