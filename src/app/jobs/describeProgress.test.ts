import { describe, expect, it } from 'vitest';
import type { Progress } from '../../core/jobs/progress.ts';
import { describeProgress, progressPercent } from './describeProgress.ts';

const MB = 1_000_000;
const bytes = (patch: Partial<Progress>): Progress => ({
  done: 0,
  total: 200 * MB,
  unit: 'bytes',
  ratePerSecond: 0,
  etaSeconds: null,
  ...patch,
});

describe('describeProgress', () => {
  it.each([
    { description: 'before the first report', progress: null, text: 'starting…', percent: undefined },
    {
      description: 'reading, with rate and time left',
      progress: bytes({ done: 90 * MB, ratePerSecond: 50 * MB, etaSeconds: 2.2 }),
      text: '45 % · 90.0 MB of 200.0 MB · 50.0 MB/s · about 2 s left',
      percent: 45,
    },
    {
      description: 'a count without a total: indeterminate',
      progress: { done: 1200, total: null, unit: 'rows', ratePerSecond: 0, etaSeconds: null } as Progress,
      text: '1,200 rows',
      percent: undefined,
    },
    {
      // the gap this step closes: every byte read, the keys still being checked
      description: 'every byte read, keys being checked: the step, no rate nor time left',
      progress: bytes({ done: 200 * MB, ratePerSecond: 50 * MB, etaSeconds: null, step: 'checking-keys' }),
      text: 'Checking duplicate keys and references… · all 200.0 MB read',
      percent: undefined,
    },
    {
      description: 'the first of two files read, its results being put together',
      progress: bytes({ done: 80 * MB, ratePerSecond: 50 * MB, etaSeconds: null, step: 'combining' }),
      text: 'Putting the results together… · 80.0 MB of 200.0 MB read',
      percent: undefined,
    },
    {
      description: 'every file merged, the report being prepared',
      progress: bytes({ done: 200 * MB, ratePerSecond: 50 * MB, etaSeconds: null, step: 'writing-report' }),
      text: 'Preparing the report… · all 200.0 MB read',
      percent: undefined,
    },
    {
      description: 'a log read whole, its cases being replayed through a workflow',
      progress: bytes({ done: 200 * MB, ratePerSecond: 0, etaSeconds: null, step: 'replaying' }),
      text: 'Replaying the cases through the workflow… · all 200.0 MB read',
      percent: undefined,
    },
  ])('$description', ({ progress, text, percent }) => {
    expect(describeProgress(progress)).toBe(text);
    expect(progressPercent(progress)).toBe(percent);
  });

  it('never says "about 0 s left" during a step', () => {
    const text = describeProgress(
      bytes({ done: 200 * MB, ratePerSecond: 9, etaSeconds: 0, step: 'checking-keys' }),
    );
    expect(text).not.toMatch(/left|%|\/s/);
  });
});
