import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobCancelledError, serializeJobError, WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { createWorkerPool, defaultPoolSize, type PoolWorker, type WorkerPool } from './pool.ts';
import { releaseRemote } from './releaseRemote.ts';
import { FakeWorker, observe, trackMessageChannels, until } from './testing/fakeWorker.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * The worker-side API of the fake: jobs wait until the test releases them or they are cancelled, and
 * send a heartbeat through their `onBeat` proxy when the test says so. Like a real worker API, a job
 * releases its callback proxy when it settles.
 */
function createFakeApi(options: { ignoreCancel?: boolean } = {}) {
  const gates = new Map<string, { release: () => void; cancel: () => void; beat: () => Promise<void> }>();
  const started: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const api = {
    async work(jobId: string, input: number, onBeat?: () => void): Promise<number> {
      started.push(jobId);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      const done = deferred<'released' | 'cancelled'>();
      gates.set(jobId, {
        release: () => done.resolve('released'),
        cancel: () => done.resolve('cancelled'),
        // Through comlink the call resolves once the main thread has run the callback.
        beat: async () => {
          await onBeat?.();
        },
      });
      try {
        if ((await done.promise) === 'cancelled') throw serializeJobError(new JobCancelledError());
        return input * 2;
      } finally {
        running -= 1;
        gates.delete(jobId);
        releaseRemote(onBeat);
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
    /** Makes job `jobId` report progress; resolves once the main thread received it. */
    beat: (jobId: string) => gates.get(jobId)?.beat() ?? Promise.reject(new Error(`no running job ${jobId}`)),
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
  /** A job under the stall watchdog whose worker-side progress (`fake.beat`) is its heartbeat. */
  const watchedWork = (input: number, stallMs: number, signal?: AbortSignal) =>
    pool.run((api, jobId, { heartbeat }) => api.work(jobId, input, Comlink.proxy(heartbeat)), {
      signal,
      stallMs,
      cancel: (api, jobId) => api.cancel(jobId),
    });
  return { pool, fake, workers, work, watchedWork };
}

let restoreChannels: (() => void) | undefined;

afterEach(() => {
  for (const pool of pools) pool.destroy();
  pools = [];
  restoreChannels?.();
  restoreChannels = undefined;
  vi.useRealTimers();
});

describe('defaultPoolSize', () => {
  it.each([
    { description: '8 cores keep one free', hardwareConcurrency: 8, expected: 7 },
    { description: '2 cores keep one free', hardwareConcurrency: 2, expected: 1 },
    { description: '1 core still gets a worker', hardwareConcurrency: 1, expected: 1 },
    { description: 'unknown cores get one worker', hardwareConcurrency: undefined, expected: 1 },
    { description: 'a nonsensical 0 gets one worker', hardwareConcurrency: 0, expected: 1 },
    { description: 'NaN gets one worker', hardwareConcurrency: Number.NaN, expected: 1 },
  ])('$description', ({ hardwareConcurrency, expected }) => {
    expect(defaultPoolSize(hardwareConcurrency)).toBe(expected);
  });

  it('is the size of a pool created without one', () => {
    const pool = createWorkerPool<FakeApi>({ name: 'x', create: () => new FakeWorker({}) });
    expect(pool.size).toBe(defaultPoolSize(globalThis.navigator?.hardwareConcurrency));
    pool.destroy();
  });
});

describe('createWorkerPool', () => {
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, work } = setup({ size: 1, ignoreCancel: true });
    const controller = new AbortController();
    const job = observe(work(1, controller.signal));
    const queued = work(2);
    await until(() => fake.started.length === 1);
    controller.abort();
    await vi.advanceTimersByTimeAsync(GRACE_MS - 1);
    expect(job.status).toBe('pending'); // the soft cancel gets the whole grace period
    expect(workers[0]?.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(job.status).toBe('rejected');
    expect(job.error).toBeInstanceOf(JobCancelledError);
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
    expect(workers[0]?.releasesReceived).toBe(1); // the remote was released before termination
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
    expect(workers.map((w) => w.releasesReceived)).toEqual([1]);
  });

  it('releases the remote of a worker terminated after an ignored cancel', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, work } = setup({ size: 1, ignoreCancel: true });
    const controller = new AbortController();
    const job = work(1, controller.signal);
    await until(() => fake.started.length === 1);
    controller.abort();
    const cancelled = expect(job).rejects.toBeInstanceOf(JobCancelledError);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    await cancelled;
    expect(workers[0]).toMatchObject({ terminated: true, releasesReceived: 1 });
  });

  it('closes the callback ports of jobs that settle, and of jobs on a worker it terminates', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const channels = trackMessageChannels();
    restoreChannels = channels.restore;
    const { fake, workers, watchedWork } = setup({ size: 2, ignoreCancel: true });
    const finished = [watchedWork(1, 60_000), watchedWork(2, 60_000)];
    await until(() => fake.started.length === 2);
    fake.releaseAll();
    expect(await Promise.all(finished)).toEqual([2, 4]);
    await until(() => channels.openCount() === 0); // the worker side released its proxies
    const controller = new AbortController();
    const hardStopped = watchedWork(3, 60_000, controller.signal);
    await until(() => fake.started.length === 3);
    controller.abort();
    const cancelled = expect(hardStopped).rejects.toBeInstanceOf(JobCancelledError);
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    await cancelled;
    await until(() => channels.openCount() === 0);
    expect(channels.createdCount()).toBe(3);
    expect(workers.filter((w) => w.terminated)).toHaveLength(1);
  });
});

describe('stall watchdog', () => {
  const STALL_MS = 1000;

  it('stops a job whose worker died silently with WorkerCrashedError "stalled", and runs the queue', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, work, watchedWork } = setup({ size: 1 });
    const job = observe(watchedWork(1, STALL_MS));
    const queued = work(2);
    await until(() => fake.started.length === 1);
    workers[0]?.vanish(); // no error event, no answer: what an out-of-memory kill looks like
    await vi.advanceTimersByTimeAsync(STALL_MS - 1);
    expect(job.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(job.status).toBe('rejected');
    expect(job.error).toBeInstanceOf(WorkerCrashedError);
    expect(job.error).toMatchObject({ reason: 'stalled' });
    expect((job.error as Error).message).toMatch(/stopped responding.*free memory.*Try again/);
    expect(workers[0]).toMatchObject({ terminated: true, releasesReceived: 1 });
    await until(() => fake.started.length === 2);
    expect(workers).toHaveLength(2);
    fake.release('test-2');
    expect(await queued).toBe(4);
  });

  it('restarts the countdown on every heartbeat, so a job that keeps reporting is never stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, watchedWork } = setup({ size: 1 });
    const job = observe(watchedWork(21, STALL_MS));
    await until(() => fake.started.length === 1);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(STALL_MS - 100);
      await fake.beat('test-1');
    }
    expect(job.status).toBe('pending'); // 4.5 × STALL_MS in all, never STALL_MS without a beat
    fake.release('test-1');
    await until(() => job.status !== 'pending');
    expect(job).toMatchObject({ status: 'resolved', value: 42 });
    await vi.advanceTimersByTimeAsync(10 * STALL_MS); // no timer outlives the job
    expect(workers[0]?.terminated).toBe(false);
  });

  it("drops a progress report that arrives after the job's result (ports are not ordered)", async () => {
    const { pool } = setup({ size: 1 });
    const heard: number[] = [];
    let report: ((progress: number) => void) | undefined;
    const value = await pool.run(async (_api, _jobId, { progress }) => {
      report = progress((p: number) => heard.push(p));
      report(50);
      report(100);
      return 'done';
    });
    expect(value).toBe('done');
    report?.(100); // the worker's last report, delivered late on the callback's own port
    expect(heard).toEqual([50, 100]);
  });

  it('stops a live job that stops reporting', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, watchedWork } = setup({ size: 1 });
    const job = observe(watchedWork(1, STALL_MS));
    await until(() => fake.started.length === 1);
    await vi.advanceTimersByTimeAsync(STALL_MS / 2);
    await fake.beat('test-1');
    await vi.advanceTimersByTimeAsync(STALL_MS);
    expect(job.status).toBe('rejected');
    expect(job.error).toMatchObject({ name: 'WorkerCrashedError', reason: 'stalled' });
  });

  it('does not watch jobs without stallMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, work } = setup({ size: 1 });
    const job = observe(work(1));
    await until(() => fake.started.length === 1);
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(job.status).toBe('pending');
    expect(workers[0]?.terminated).toBe(false);
    fake.releaseAll();
    await until(() => job.status === 'resolved');
  });

  it('leaves a cancelled job to the cancel: JobCancelledError, never "stalled"', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, workers, watchedWork } = setup({ size: 1, ignoreCancel: true });
    const controller = new AbortController();
    const job = observe(watchedWork(1, GRACE_MS / 2, controller.signal));
    await until(() => fake.started.length === 1);
    controller.abort();
    await fake.beat('test-1'); // progress still arriving during the grace period restarts nothing
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(job.status).toBe('rejected');
    expect(job.error).toBeInstanceOf(JobCancelledError);
    expect(workers[0]?.terminated).toBe(true);
  });

  it('does not count time spent queued', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fake, watchedWork, work } = setup({ size: 1 });
    const first = work(1);
    const second = observe(watchedWork(2, STALL_MS));
    await until(() => fake.started.length === 1);
    await vi.advanceTimersByTimeAsync(5 * STALL_MS);
    expect(second.status).toBe('pending');
    fake.release('test-1');
    expect(await first).toBe(2);
    await until(() => fake.started.length === 2);
    await vi.advanceTimersByTimeAsync(STALL_MS);
    expect(second).toMatchObject({ status: 'rejected', error: { reason: 'stalled' } });
  });

  it.each([0, -1, Number.NaN])('refuses stallMs %s', (stallMs) => {
    const { watchedWork } = setup();
    expect(() => watchedWork(1, stallMs)).toThrow(RangeError);
  });
});
