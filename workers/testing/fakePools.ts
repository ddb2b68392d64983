/**
 * A test file's worker pools over fake workers (fakeWorker.ts): one worker each, running the API a
 * worker of the pool would expose. Every pool made is destroyed after each test, and the real
 * timers are back.
 */
import { afterEach, vi } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../pool.ts';
import { FakeWorker } from './fakeWorker.ts';

export interface FakePools<Api extends object> {
  /** a one-worker pool whose workers expose `api()` (the file's API unless a test gives another) */
  createPool(api?: () => Api): WorkerPool<Api>;
  /** the fake workers the pools made in this test, in order */
  workers: FakeWorker[];
}

/** Pools named `name` whose workers expose `api()`; call once, at the top of a test file. */
export function fakePools<Api extends object>(name: string, api: () => Api): FakePools<Api> {
  const pools: WorkerPool<Api>[] = [];
  const workers: FakeWorker[] = [];
  afterEach(() => {
    for (const pool of pools) pool.destroy();
    pools.length = 0;
    workers.length = 0;
    vi.useRealTimers();
  });
  return {
    workers,
    createPool(make = api) {
      const pool = createWorkerPool<Api>({
        name,
        size: 1,
        create: () => {
          const worker = new FakeWorker(make());
          workers.push(worker);
          return worker;
        },
      });
      pools.push(pool);
      return pool;
    },
  };
}
