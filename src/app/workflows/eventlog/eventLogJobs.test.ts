/**
 * A capacity model's check in the header: bytes while its log is read, then the replay as a step,
 * not "100 % · about 0 s left" while the cases are replayed.
 */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../core/jobs/progress.ts';
import { modelCheckProgress } from './eventLogJobs.ts';

const read = (done: number, total: number | null): Progress => ({
  done,
  total,
  unit: 'bytes',
  ratePerSecond: 4_000_000,
  etaSeconds: total === null ? null : 0,
});

describe('a capacity model check’s progress', () => {
  it.each([
    { description: 'reading the log', progress: read(100, 400), step: undefined },
    { description: 'a log of unknown length being read', progress: read(100, null), step: undefined },
    { description: 'every byte read: replaying', progress: read(400, 400), step: 'replaying' },
  ])('$description', ({ progress, step }) => {
    const shown = modelCheckProgress(progress);
    expect(shown.step).toBe(step);
    expect(shown.done).toBe(progress.done);
    if (step) expect([shown.ratePerSecond, shown.etaSeconds]).toEqual([0, null]);
    else expect(shown).toBe(progress);
  });
});
