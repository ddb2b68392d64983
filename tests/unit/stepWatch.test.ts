/**
 * `npm test` ends a step that hangs: the stall rule on CPU readings, the progress file's unfinished
 * files, and a planted hang (a process tree that sleeps forever) ended and named under a short
 * limit. Without the watchdog the planted hang never ends and the last test fails on its timeout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unfinishedFiles } from '../fileProgressReporter.ts';
import {
  DEFAULT_STALL_SECONDS,
  runStep,
  STALL_ENV,
  stallDetector,
  stallLimitFromEnv,
  stallLine,
} from '../stepWatch.ts';

describe('the stall rule', () => {
  /** readings: [seconds since start, CPU ticks] from a start at 0 s and 0 ticks; limit 10 s */
  const cases: { description: string; readings: [number, number][]; stalledAt?: number }[] = [
    {
      description: 'a busy tree never stalls',
      readings: [
        [5, 100],
        [10, 200],
        [15, 300],
        [20, 400],
      ],
    },
    {
      description: 'a tree with no CPU stalls at the limit',
      readings: [
        [5, 0],
        [9, 0],
        [10, 0],
      ],
      stalledAt: 10,
    },
    {
      description: "an idle process's timer ticks, under 1% of a core, are not progress",
      readings: [
        [4, 2],
        [8, 5],
        [10, 8],
      ],
      stalledAt: 10,
    },
    {
      description: 'work restarts the count',
      readings: [
        [9, 0],
        [10, 50],
        [19, 50],
      ],
    },
    {
      description: 'a tree that lost a reaped process reads lower: a new base, not a stall',
      readings: [
        [5, 100],
        [9, 20],
        [18, 20],
      ],
    },
  ];
  for (const { description, readings, stalledAt } of cases)
    it(description, () => {
      const detector = stallDetector(10, 0, 0);
      const stalls = readings.flatMap(([at, ticks]) =>
        detector.reading(at * 1000, ticks) === undefined ? [] : [at],
      );
      expect(stalls[0]).toBe(stalledAt);
    });

  it('takes its limit from the environment, else five minutes', () => {
    expect(stallLimitFromEnv({ [STALL_ENV]: '42' })).toBe(42);
    expect(stallLimitFromEnv({ [STALL_ENV]: 'soon' })).toBe(DEFAULT_STALL_SECONDS);
    expect(stallLimitFromEnv({})).toBe(DEFAULT_STALL_SECONDS);
  });
});

describe('the files a stalled suite left', () => {
  it('are those that started and did not finish, in start order', () => {
    const text = [
      'started\t/r/a.test.ts',
      'started\t/r/b.test.ts',
      'finished\t/r/a.test.ts',
      'started\t/r/c d.test.ts',
      '',
    ].join('\n');
    expect(unfinishedFiles(text)).toEqual(['/r/b.test.ts', '/r/c d.test.ts']);
  });

  it('are named in the summary line, or the line says every file finished', () => {
    expect(stallLine('unit', { seconds: 300.2, unfinished: ['src/a.test.ts'] })).toBe(
      'unit: STALLED - no CPU for 300 s, so it was ended; files started and not finished: src/a.test.ts',
    );
    expect(stallLine('e2e', { seconds: 300, unfinished: [] })).toMatch(/every file it started had finished/);
  });
});

/** 'gone', 'zombie' (ended, waiting for its new parent to reap it) or 'running'. */
function stateOf(pid: number): string {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    return state === 'Z' || state === 'X' ? 'zombie' : 'running';
  } catch {
    return 'gone';
  }
}

describe('a planted hang', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-stall-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is ended with its whole tree and its unfinished file named', async () => {
    const progressFile = join(dir, 'progress.txt');
    writeFileSync(
      progressFile,
      `started\t${join(process.cwd(), 'hangs.test.ts')}\nstarted\t/x/done.test.ts\nfinished\t/x/done.test.ts\n`,
    );
    // a shell that waits forever on a child sleeping forever: a tree that uses no CPU
    const result = await runStep(['sh', '-c', 'sleep 100000 & echo $!; wait'], process.env, {
      limitSeconds: 1,
      pollMs: 100,
      progressFile,
    });
    expect(result.code).toBe(1);
    expect(result.stall?.unfinished).toEqual(['hangs.test.ts']);
    expect(result.stall?.seconds).toBeGreaterThanOrEqual(1);
    // the sleeping grandchild was ended too
    const sleeper = Number(result.output.trim().split('\n')[0]);
    expect(sleeper).toBeGreaterThan(0);
    expect(stateOf(sleeper)).not.toBe('running');
  });

  it('is killed when it ignores the request to end', async () => {
    // SIGTERM ignored by the shell and, inherited, by its child: only SIGKILL ends them
    const result = await runStep(['sh', '-c', "trap '' TERM; sleep 100000 & echo $!; wait"], process.env, {
      limitSeconds: 1,
      pollMs: 100,
    });
    expect(result.code).toBe(1);
    expect(result.stall?.unfinished).toEqual([]);
    expect(stateOf(Number(result.output.trim().split('\n')[0]))).not.toBe('running');
  });
});
