import { describe, expect, it, vi } from 'vitest';
import { InputReadError, JobCancelledError } from '../../core/jobs/errors.ts';
import type { Progress } from '../../core/jobs/progress.ts';
import {
  CANCEL_MESSAGES,
  createJobRegistry,
  type Job,
  type JobContext,
  type JobSpec,
  PROGRESS_PUBLISH_MS,
} from './jobRegistry.ts';

/** A promise the test settles by hand, so every ordering is explicit (no real time). */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets settled promises' callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A job whose run the test controls: it records every context it was started with. */
function controlledJob(overrides: Partial<JobSpec<string>> = {}) {
  const runs: { context: JobContext; outcome: ReturnType<typeof deferred<string>> }[] = [];
  const spec: JobSpec<string> = {
    kind: 'fingerprint',
    label: 'Fingerprint',
    subject: 'patients.csv',
    run: (context) => {
      const outcome = deferred<string>();
      runs.push({ context, outcome });
      return outcome.promise;
    },
    ...overrides,
  };
  return { spec, runs, last: () => runs[runs.length - 1] };
}

function progress(done: number, total = 100): Progress {
  return { done, total, unit: 'bytes', ratePerSecond: 10, etaSeconds: (total - done) / 10 };
}

/** A clock the test advances by hand. */
function manualClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function byId(jobs: readonly Job[], id: string): Job | undefined {
  return jobs.find((j) => j.id === id);
}

describe('createJobRegistry', () => {
  it('lists a started job as running, with its progress, then done with its result and times', async () => {
    const clock = manualClock();
    const registry = createJobRegistry({ now: clock.now });
    const { spec, last } = controlledJob();
    const id = registry.start(spec);
    expect(registry.getJobs()).toEqual([
      {
        id,
        kind: 'fingerprint',
        key: 'fingerprint',
        label: 'Fingerprint',
        subject: 'patients.csv',
        href: undefined,
        startedAt: 1000,
        progress: null,
        status: 'running',
      },
    ]);
    last()?.context.reportProgress(progress(40));
    expect(registry.latest('fingerprint')?.progress).toEqual(progress(40));
    clock.advance(2500);
    last()?.outcome.resolve('digest');
    await flush();
    expect(registry.latest('fingerprint')).toMatchObject({
      id,
      status: 'done',
      result: 'digest',
      startedAt: 1000,
      endedAt: 3500,
      progress: progress(40),
    });
  });

  it('ends a job that fails with the typed error message, never the raw one', async () => {
    const registry = createJobRegistry();
    const { spec, runs } = controlledJob();
    const first = registry.start({ ...spec, key: 'a' });
    const second = registry.start({ ...spec, key: 'b' });
    const readError = new InputReadError({ source: 'patients.csv', byteOffset: 8_388_608 }, 'NotFoundError');
    runs[0]?.outcome.reject(readError);
    // an unexpected error may quote input: only its kind may reach the user
    runs[1]?.outcome.reject(new TypeError('cannot parse "Jane Doe, 1970-01-01"'));
    await flush();
    const jobs = registry.getJobs();
    expect(byId(jobs, first)).toMatchObject({ status: 'failed', message: readError.message });
    const unexpected = byId(jobs, second);
    expect(unexpected).toMatchObject({ status: 'failed' });
    const message = unexpected?.status === 'failed' ? unexpected.message : '';
    expect(message).toMatch(/stopped unexpectedly.*\(TypeError\)/);
    expect(message).not.toMatch(/Jane/);
  });

  it('fails a job whose run throws synchronously', async () => {
    const registry = createJobRegistry();
    const id = registry.start({
      kind: 'broken',
      label: 'Broken',
      subject: 'x',
      run: () => {
        throw new RangeError('bad call');
      },
    });
    await flush();
    expect(byId(registry.getJobs(), id)).toMatchObject({ status: 'failed' });
  });

  it('cancels at once, says by whom, aborts the signal and ignores what the run does afterwards', async () => {
    const clock = manualClock();
    const registry = createJobRegistry({ now: clock.now });
    const { spec, last } = controlledJob();
    const id = registry.start(spec);
    last()?.context.reportProgress(progress(30));
    clock.advance(100);
    registry.cancel(id);
    expect(last()?.context.signal.aborted).toBe(true);
    const cancelled = registry.latest('fingerprint');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      reason: 'user',
      message: 'Cancelled: you pressed Cancel.',
      endedAt: 1100,
      progress: progress(30),
    });
    // late progress and a late result (the worker finished in the same instant) change nothing
    last()?.context.reportProgress(progress(90));
    last()?.outcome.resolve('digest');
    await flush();
    expect(registry.latest('fingerprint')).toBe(cancelled);
  });

  it('publishes progress at most 4 times a second, then the last report held back, and ends at once', () => {
    vi.useFakeTimers();
    try {
      const registry = createJobRegistry({ now: () => Date.now() });
      const { spec, last } = controlledJob();
      const id = registry.start(spec);
      const published: (number | undefined)[] = [];
      registry.subscribe(() => published.push(registry.latest('fingerprint')?.progress?.done));
      // a worker reporting 10 times a second for 2 s
      for (let done = 1; done <= 20; done += 1) {
        last()?.context.reportProgress(progress(done));
        vi.advanceTimersByTime(100);
      }
      expect(published[0]).toBe(1); // the first report at once
      expect(published.length).toBeLessThanOrEqual(1 + (20 * 100) / PROGRESS_PUBLISH_MS);
      expect(published.length).toBeGreaterThanOrEqual((20 * 100) / PROGRESS_PUBLISH_MS - 1);
      vi.advanceTimersByTime(PROGRESS_PUBLISH_MS);
      expect(published.at(-1)).toBe(20); // nothing reported is lost: the last report follows
      // a report held back is ended with at once: cancel does not wait for the gate
      last()?.context.reportProgress(progress(21));
      const before = published.length;
      registry.cancel(id);
      expect(published).toHaveLength(before + 1);
      expect(registry.latest('fingerprint')).toMatchObject({ status: 'cancelled', progress: progress(21) });
      vi.advanceTimersByTime(PROGRESS_PUBLISH_MS);
      expect(published).toHaveLength(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancels every running job for a project change, and leaves ended jobs as they were', async () => {
    const registry = createJobRegistry();
    const { spec, runs } = controlledJob();
    const done = registry.start({ ...spec, key: 'done' });
    const a = registry.start({ ...spec, key: 'a' });
    const b = registry.start({ ...spec, key: 'b' });
    runs[0]?.outcome.resolve('digest');
    await flush();
    registry.cancelAll('projectSwitched');
    const jobs = registry.getJobs();
    expect(byId(jobs, done)).toMatchObject({ status: 'done', result: 'digest' });
    for (const id of [a, b]) {
      expect(byId(jobs, id)).toMatchObject({
        status: 'cancelled',
        reason: 'projectSwitched',
        message: 'Cancelled: you switched project.',
      });
    }
    expect(runs.map((r) => r.context.signal.aborted)).toEqual([false, true, true]);
  });

  it('forgets the ended jobs it is told to, never a running one, and notifies once', async () => {
    const registry = createJobRegistry();
    const { spec, runs } = controlledJob();
    const done = registry.start({ ...spec, key: 'done' });
    const failed = registry.start({ ...spec, key: 'failed' });
    const kept = registry.start({ ...spec, key: 'kept' });
    const running = registry.start({ ...spec, key: 'running' });
    runs[0]?.outcome.resolve('digest');
    runs[1]?.outcome.reject(new Error('unreadable'));
    await flush();
    registry.cancel(kept, 'projectSwitched');
    let notified = 0;
    registry.subscribe(() => notified++);
    registry.forgetEnded((job) => job.id === kept);
    expect(registry.getJobs().map((job) => job.id)).toEqual([kept, running]);
    expect(byId(registry.getJobs(), running)).toMatchObject({ status: 'running' });
    expect(registry.latest('done')).toBeUndefined();
    expect(registry.latest('failed')).toBeUndefined();
    expect(notified).toBe(1);
    // nothing left to forget: no change, no notice
    registry.forgetEnded((job) => job.id === kept);
    expect(notified).toBe(1);
    expect([done, failed].map((id) => byId(registry.getJobs(), id))).toEqual([undefined, undefined]);
  });

  it('says a job was cancelled by its worker being shut down when nobody here cancelled it', async () => {
    const registry = createJobRegistry();
    const { spec, last } = controlledJob();
    registry.start(spec);
    last()?.outcome.reject(new JobCancelledError());
    await flush();
    expect(registry.latest('fingerprint')).toMatchObject({
      status: 'cancelled',
      reason: 'stopped',
      message: CANCEL_MESSAGES.stopped,
    });
  });

  it('keeps one job per key: a new start supersedes the running one and replaces the last result', async () => {
    const registry = createJobRegistry();
    const { spec, runs } = controlledJob();
    const first = registry.start(spec);
    const other = registry.start({ ...spec, key: 'other' });
    const second = registry.start({ ...spec, subject: 'encounters.csv' });
    expect(runs[0]?.context.signal.aborted).toBe(true);
    expect(registry.getJobs().map((j) => j.id)).toEqual([other, second]);
    expect(registry.latest('fingerprint')).toMatchObject({
      id: second,
      subject: 'encounters.csv',
      status: 'running',
    });
    runs[2]?.outcome.resolve('second digest');
    await flush();
    const third = registry.start(spec);
    expect(registry.getJobs().map((j) => j.id)).toEqual([other, third]);
    expect(byId(registry.getJobs(), first)).toBeUndefined();
  });

  it('runs an ended job again with the same spec, after a cancel and after a finish', async () => {
    const registry = createJobRegistry();
    const file = { name: 'patients.csv' }; // stands for the File the spec closes over
    const seen: unknown[] = [];
    const { spec, runs } = controlledJob();
    const id = registry.start({
      ...spec,
      run: (context) => {
        seen.push(file);
        return spec.run(context);
      },
    });
    expect(registry.runAgain(id)).toBeNull(); // still running
    registry.cancel(id);
    const again = registry.runAgain(id);
    expect(again).not.toBeNull();
    expect(again).not.toBe(id);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.context.signal.aborted).toBe(false);
    runs[1]?.outcome.resolve('digest');
    await flush();
    const third = registry.runAgain(again ?? '');
    expect(registry.getJobs().map((j) => [j.id, j.status])).toEqual([[third, 'running']]);
    expect(seen).toEqual([file, file, file]);
    expect(registry.runAgain('job-unknown')).toBeNull();
  });

  it('forgets the oldest ended jobs beyond its cap, never a running one', async () => {
    const clock = manualClock();
    const registry = createJobRegistry({ now: clock.now, maxEndedJobs: 2 });
    const { spec, runs } = controlledJob();
    const ids = ['a', 'b', 'c', 'd'].map((key) => registry.start({ ...spec, key }));
    for (const index of [1, 0, 2]) {
      clock.advance(10);
      runs[index]?.outcome.resolve(`digest ${index}`);
      await flush();
    }
    // b ended first, so it goes; d is running and stays
    expect(registry.getJobs().map((j) => j.id)).toEqual([ids[0], ids[2], ids[3]]);
  });

  it('notifies subscribers on each change and keeps the same list object between changes', async () => {
    const registry = createJobRegistry();
    const listener = vi.fn();
    const unsubscribe = registry.subscribe(listener);
    const empty = registry.getJobs();
    expect(registry.getJobs()).toBe(empty);
    const { spec, last } = controlledJob();
    const id = registry.start(spec);
    const started = registry.getJobs();
    expect(started).not.toBe(empty);
    expect(registry.getJobs()).toBe(started);
    last()?.context.reportProgress(progress(10));
    registry.cancel(id);
    registry.cancel(id); // already ended: no change, no call
    expect(listener).toHaveBeenCalledTimes(3);
    unsubscribe();
    registry.start(spec);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('cancels running jobs when destroyed and refuses to start new ones', () => {
    const registry = createJobRegistry();
    const { spec, last } = controlledJob();
    registry.start(spec);
    registry.destroy();
    expect(last()?.context.signal.aborted).toBe(true);
    expect(registry.latest('fingerprint')).toMatchObject({ status: 'cancelled', reason: 'appClosed' });
    expect(() => registry.start(spec)).toThrow(/destroyed/);
  });
});

describe('a registry that records each job before it runs', () => {
  it('runs a job only once its record settled, and never one cancelled before that', async () => {
    const records: ReturnType<typeof deferred<void>>[] = [];
    const seen: Job[] = [];
    const registry = createJobRegistry({
      beforeRun: (job) => {
        seen.push(job);
        const record = deferred<void>();
        records.push(record);
        return record.promise;
      },
    });
    const job = controlledJob();
    const id = registry.start(job.spec);
    // listed at once (the header shows it), but its work waits for the record
    expect(byId(registry.getJobs(), id)?.status).toBe('running');
    expect(seen.map((j) => j.id)).toEqual([id]);
    await flush();
    expect(job.runs).toHaveLength(0);
    records[0]?.resolve();
    await flush();
    expect(job.runs).toHaveLength(1);

    const other = controlledJob({ kind: 'validation' });
    const cancelled = registry.start(other.spec);
    registry.cancel(cancelled);
    records[1]?.resolve();
    await flush();
    expect(other.runs).toHaveLength(0);
    expect(byId(registry.getJobs(), cancelled)?.status).toBe('cancelled');
  });

  it('runs the job when its record could not be written', async () => {
    const registry = createJobRegistry({ beforeRun: () => Promise.reject(new Error('disk full')) });
    const job = controlledJob();
    registry.start(job.spec);
    await flush();
    expect(job.runs).toHaveLength(1);
    const thrower = createJobRegistry({
      beforeRun: () => {
        throw new Error('no storage');
      },
    });
    const second = controlledJob();
    thrower.start(second.spec);
    expect(second.runs).toHaveLength(1);
  });
});
