import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mmc, smallestStaffForPWait, waitPercentile } from './queueing.ts';

/** The M/M/c test vector of Wolfram's ErlangC documentation: λ = 30/h, 5-min service. */
const ARRIVALS_PER_MIN = 30 / 60;
const SERVICE_MIN = 5;
const EVIDENCE_VECTOR = [
  { servers: 3, rho: 0.83, pWait: 0.702, waitMin: 7.0, waitDigits: 1 },
  { servers: 4, rho: 0.63, pWait: 0.32, waitMin: 1.1, waitDigits: 1 },
  { servers: 5, rho: 0.5, pWait: 0.13, waitMin: 0.26, waitDigits: 2 },
  { servers: 6, rho: 0.42, pWait: 0.047, waitMin: 0.07, waitDigits: 2 },
];

describe('Erlang C (M/M/c)', () => {
  it.each(EVIDENCE_VECTOR)('matches the evidence test vector for c = $servers', (row) => {
    const result = mmc(ARRIVALS_PER_MIN, SERVICE_MIN, row.servers);
    // the table rounds ρ to two digits (0.625 → 0.63)
    expect(Math.abs(result.utilisation - row.rho)).toBeLessThanOrEqual(0.005 + 1e-12);
    expect(Number(result.pWait.toFixed(3))).toBe(row.pWait);
    expect(Number(result.meanWait.toFixed(row.waitDigits))).toBe(row.waitMin);
    expect(result.stable).toBe(true);
  });

  it('the smallest staff with P(wait) ≤ 10 % is 6', () => {
    expect(smallestStaffForPWait(ARRIVALS_PER_MIN * SERVICE_MIN, 0.1)).toBe(6);
    expect(erlangC(2.5, 5)).toBeGreaterThan(0.1);
  });

  it('agrees with the closed form aᶜ/c!·c/(c−a) / (Σ aᵏ/k! + …) for small c', () => {
    const closedForm = (a: number, c: number) => {
      let sum = 0;
      let term = 1;
      for (let k = 0; k < c; k++) {
        sum += term;
        term = (term * a) / (k + 1);
      }
      const top = (term * c) / (c - a);
      return top / (sum + top);
    };
    for (const [a, c] of [
      [0.3, 1],
      [1.7, 2],
      [7.5, 9],
      [11, 12],
    ] as const) {
      expect(erlangC(a, c)).toBeCloseTo(closedForm(a, c), 12);
    }
  });

  it('stays finite and in [0, 1] for large staff counts, where aᶜ/c! overflows', () => {
    const pWait = erlangC(900, 1000);
    expect(Number.isFinite(pWait)).toBe(true);
    expect(pWait).toBeGreaterThan(0);
    expect(pWait).toBeLessThan(0.01);
    expect(erlangB(900, 1000)).toBeGreaterThanOrEqual(0);
    const busy = mmc(900 / 60, 20, 320);
    expect(busy.utilisation).toBeCloseTo(0.9375, 10);
    expect(Number.isFinite(busy.meanWait)).toBe(true);
  });

  it('an overloaded lane is unstable with an infinite wait, never NaN', () => {
    for (const servers of [1, 2]) {
      const result = mmc(ARRIVALS_PER_MIN, SERVICE_MIN, servers);
      expect(result.stable).toBe(false);
      expect(result.meanWait).toBe(Infinity);
      expect(result.pWait).toBe(1);
    }
    expect(mmc(1, 2, 2).stable).toBe(false); // exactly ρ = 1
  });

  it('the 90th-percentile wait follows P(Wq > t) = C·e^(−(cμ − λ)t)', () => {
    // c = 4: C = 0.320, cμ − λ = 0.8 − 0.5 = 0.3 per min → t = ln(3.2) / 0.3 ≈ 3.88 min
    const t90 = waitPercentile(ARRIVALS_PER_MIN, SERVICE_MIN, 4, 0.9);
    expect(t90).toBeCloseTo(Math.log(erlangC(2.5, 4) / 0.1) / 0.3, 12);
    expect(t90).toBeCloseTo(3.88, 2);
    // c = 6: only 4.7 % wait at all, so nine in ten do not wait
    expect(waitPercentile(ARRIVALS_PER_MIN, SERVICE_MIN, 6, 0.9)).toBe(0);
    expect(waitPercentile(ARRIVALS_PER_MIN, SERVICE_MIN, 2, 0.9)).toBe(Infinity);
    expect(() => waitPercentile(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('an idle lane waits nothing', () => {
    expect(mmc(0, 5, 2)).toMatchObject({ utilisation: 0, pWait: 0, meanWait: 0, stable: true });
    expect(mmc(3, 0, 2)).toMatchObject({ utilisation: 0, pWait: 0, meanWait: 0, stable: true });
  });

  it('refuses a fractional or missing server count, and an impossible target', () => {
    expect(() => mmc(1, 1, 0)).toThrow(RangeError);
    expect(() => erlangC(1, 2.5)).toThrow(RangeError);
    expect(() => smallestStaffForPWait(2, 0)).toThrow(RangeError);
  });
});

describe('mmc at the edge of capacity', () => {
  it('a load a rounding error below the servers is saturated, like one exactly at them', () => {
    // 3 × (1/3) in floating point, and sums taken in another order, land a hair either side of 1
    for (const load of [1, 1 - 1e-16, 1 - 1e-12, 1 + 1e-16]) {
      const queue = mmc(load, 1, 1);
      expect({ load, stable: queue.stable, wait: queue.meanWait }).toEqual({
        load,
        stable: false,
        wait: Infinity,
      });
    }
    expect(mmc(1 - 1e-6, 1, 1).stable).toBe(true);
  });
});
