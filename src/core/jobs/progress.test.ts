import { describe, expect, it } from 'vitest';
import { createProgressThrottle, type Progress } from './progress.ts';

/** A manual clock so timing is exact. */
function manualClock() {
  let t = 0;
  return {
    now: () => t,
    tick: (ms: number) => {
      t += ms;
    },
  };
}

describe('createProgressThrottle', () => {
  it('emits at most once per interval, then always once on finish', () => {
    const clock = manualClock();
    const seen: Progress[] = [];
    const throttle = createProgressThrottle({
      total: 1000,
      unit: 'rows',
      now: clock.now,
      emit: (p) => seen.push(p),
    });
    for (let i = 0; i < 100; i++) {
      clock.tick(10); // 100 advances over 1 s
      throttle.advance(10);
    }
    expect(seen.length).toBe(10);
    throttle.finish();
    expect(seen.length).toBe(11);
    expect(seen.at(-1)).toMatchObject({ done: 1000, total: 1000, unit: 'rows', etaSeconds: 0 });
  });

  it('emits nothing but the final report for a job shorter than one interval', () => {
    const clock = manualClock();
    const seen: Progress[] = [];
    const throttle = createProgressThrottle({
      total: 5,
      unit: 'records',
      now: clock.now,
      emit: (p) => seen.push(p),
    });
    throttle.advance(5);
    clock.tick(20);
    throttle.finish();
    throttle.finish();
    throttle.advance(1);
    expect(seen).toEqual([{ done: 5, total: 5, unit: 'records', ratePerSecond: 250, etaSeconds: 0 }]);
  });

  it('measures the rate and estimates the time left', () => {
    const clock = manualClock();
    const seen: Progress[] = [];
    const throttle = createProgressThrottle({
      total: 10_000,
      unit: 'bytes',
      now: clock.now,
      emit: (p) => seen.push(p),
    });
    for (let i = 0; i < 20; i++) {
      clock.tick(100);
      throttle.advance(100); // 1000 bytes/s
    }
    const last = seen.at(-1);
    expect(last?.ratePerSecond).toBeCloseTo(1000, 6);
    expect(last?.etaSeconds).toBeCloseTo(8, 6);
  });

  it('smooths the rate instead of jumping with one slow chunk', () => {
    const clock = manualClock();
    const seen: Progress[] = [];
    const throttle = createProgressThrottle({
      total: null,
      unit: 'bytes',
      now: clock.now,
      emit: (p) => seen.push(p),
    });
    for (let i = 0; i < 10; i++) {
      clock.tick(100);
      throttle.advance(100);
    }
    clock.tick(1000); // a one-second stall
    throttle.advance(100);
    const last = seen.at(-1);
    expect(last?.ratePerSecond).toBeGreaterThan(400);
    expect(last?.ratePerSecond).toBeLessThan(1000);
    expect(last?.etaSeconds).toBeNull();
  });

  it('refuses to go backwards', () => {
    const throttle = createProgressThrottle({ total: null, unit: 'rows', emit: () => {} });
    expect(() => throttle.advance(-1)).toThrow(RangeError);
    expect(() => throttle.advance(Number.NaN)).toThrow(RangeError);
  });
});
