/**
 * The budget and the waits scale by one figure (tests/waits.ts, tests/budget.ts): on a machine
 * whose calibration is k times the reference's, a measured CPU figure is divided by k and every
 * wait's bound multiplied by k; on a faster machine neither moves, and without a usable figure the
 * waits keep the reference machine's bounds.
 */
import { describe, expect, it } from 'vitest';
import { type Budget, checkBudget, scaleFactor } from '../budget.ts';
import {
  CALIBRATION_ENV,
  calibrationFromEnv,
  REFERENCE_WAITS,
  scaled,
  scaledWaits,
  slowness,
  WAITS,
} from '../waits.ts';

const budget: Budget = {
  reference: { calibrationSeconds: 2 },
  suites: { e2e: { fileLimit: 40, total: 100, exceptions: [] } },
};

describe('one figure scales the budget and the waits', () => {
  it.each([
    { calibration: 2, k: 1 },
    { calibration: 3, k: 1.5 },
    { calibration: 4, k: 2 },
    // a quicker machine (or a quick reading of a busy one) shortens nothing and allows no more
    { calibration: 1, k: 1 },
  ])('calibration $calibration s against a 2 s reference: × $k', ({ calibration, k }) => {
    expect(slowness(2, calibration)).toBe(k);
    expect(scaleFactor(budget, calibration)).toBeCloseTo(1 / k, 10);
    const waits = scaledWaits(slowness(2, calibration));
    for (const [name, ms] of Object.entries(REFERENCE_WAITS))
      expect(waits[name as keyof typeof REFERENCE_WAITS]).toBe(Math.ceil(ms * k));
  });

  it('a spec at its limit passes on a machine twice as slow, with twice the time to wait', () => {
    const rows = [{ suite: 'e2e', file: 'tests/e2e/a.spec.ts', wall: 90, cpu: 80, tests: 1 }];
    expect(checkBudget(rows, budget, 4).failures).toEqual([]);
    expect(checkBudget(rows, budget, 2).failures).toHaveLength(1);
    expect(scaledWaits(slowness(2, 4)).page).toBe(2 * REFERENCE_WAITS.page);
  });

  it('keeps the reference bounds without a usable calibration', () => {
    for (const figure of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(slowness(2, figure)).toBe(1);
    expect(scaledWaits(Number.NaN)).toEqual(REFERENCE_WAITS);
    expect(scaledWaits(0.5)).toEqual(REFERENCE_WAITS);
  });

  it('reads the figure npm test passes down, and nothing else', () => {
    expect(calibrationFromEnv({ [CALIBRATION_ENV]: '3.1' })).toBe(3.1);
    for (const value of [undefined, '', ' ', 'fast', '0', '-2'])
      expect(calibrationFromEnv(value === undefined ? {} : { [CALIBRATION_ENV]: value })).toBeUndefined();
  });

  it('gives the database hooks more than the unit hooks, and the page waits less than a test', () => {
    expect(REFERENCE_WAITS.databaseHook).toBeGreaterThan(REFERENCE_WAITS.unitHook);
    expect(REFERENCE_WAITS.page).toBeLessThan(REFERENCE_WAITS.e2eTest);
  });
});

describe('a spec’s own bound', () => {
  it('scales as the named bounds do on this machine, and never below the reference', () => {
    for (const [name, ms] of Object.entries(REFERENCE_WAITS))
      expect([name, scaled(ms)]).toEqual([name, WAITS[name as keyof typeof WAITS]]);
    expect(scaled(60_000)).toBeGreaterThanOrEqual(60_000);
  });
});
