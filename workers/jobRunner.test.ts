/**
 * The frame every worker API runs its jobs in: cancel by id, the last progress report delivered
 * before the result, errors as plain objects, a cancel that wins over whatever the body threw,
 * and the user's fixable problems as the job's own answer.
 */
import { describe, expect, it } from 'vitest';
import { InputReadError, isJobCancelled } from '../src/core/jobs/errors.ts';
import { createJobRunner } from './jobRunner.ts';

/** A promise and the function that settles it: a gate a test opens when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('createJobRunner', () => {
  it('returns the result only after the last progress report was delivered', async () => {
    const jobs = createJobRunner();
    const delivered = gate();
    const heard: number[] = [];
    let settled = false;
    const job = jobs
      .run(
        'a',
        async ({ report }) => {
          report(1);
          report(2);
          return 'done';
        },
        {
          onProgress: async (n: number) => {
            if (n === 2) await delivered.opened;
            heard.push(n);
          },
        },
      )
      .then((r) => {
        settled = true;
        return r;
      });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    delivered.open();
    expect(await job).toBe('done');
    expect(heard).toEqual([1, 2]);
  });

  it('a page callback that fails does not fail the job', async () => {
    const jobs = createJobRunner();
    const result = await jobs.run(
      'a',
      async ({ report }) => {
        report(1);
        return 7;
      },
      { onProgress: async (_: number) => Promise.reject(new Error('page gone')) },
    );
    expect(result).toBe(7);
  });

  it('cancels the job by its id, and only that job', async () => {
    const jobs = createJobRunner();
    const started = gate();
    const signals: Record<string, AbortSignal> = {};
    const body =
      (id: string) =>
      async ({ signal }: { signal: AbortSignal }) => {
        signals[id] = signal;
        if (id === 'a') started.open();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        throw new DOMException('stopped', 'AbortError');
      };
    const a = jobs.run('a', body('a'));
    const b = jobs.run('b', body('b'));
    await started.opened;
    jobs.cancel('a');
    await expect(a).rejects.toSatisfy(isJobCancelled);
    expect(signals.b?.aborted).toBe(false);
    jobs.cancel('b');
    await expect(b).rejects.toSatisfy(isJobCancelled);
  });

  it('a cancelled job ends cancelled whatever its body threw, and its answer is not asked', async () => {
    const jobs = createJobRunner();
    const asked: unknown[] = [];
    const job = jobs.run(
      'a',
      async ({ signal }) => {
        await Promise.resolve();
        jobs.cancel('a');
        if (signal.aborted)
          throw new InputReadError({ source: 'visits.csv', byteOffset: 4096 }, 'NotReadableError');
        return 1;
      },
      {
        answer: (error) => {
          asked.push(error);
          return { ok: false as const };
        },
      },
    );
    await expect(job).rejects.toSatisfy(isJobCancelled);
    expect(asked).toEqual([]);
  });

  it("turns the user's fixable problem into the job's answer, sync or async, and sends the rest as plain objects", async () => {
    const jobs = createJobRunner();
    const answer = async (error: unknown) =>
      error instanceof RangeError ? { ok: false as const, message: error.message } : undefined;
    expect(
      await jobs.run(
        'a',
        async () => {
          throw new RangeError('no column "mrn"');
        },
        { answer },
      ),
    ).toEqual({ ok: false, message: 'no column "mrn"' });
    const sent = await jobs
      .run(
        'b',
        async () => {
          throw new TypeError('bug');
        },
        { answer },
      )
      .catch((e: unknown) => e);
    expect(sent).not.toBeInstanceOf(Error);
    // an unexpected error says its kind, never its message (which may hold record content)
    expect(sent).toMatchObject({ name: 'WorkerCrashedError' });
    expect(JSON.stringify(sent)).toContain('TypeError');
    expect(JSON.stringify(sent)).not.toContain('bug');
  });
});
