import fc from 'fast-check';
import jstat from 'jstat';
import { describe, expect, it } from 'vitest';
import { betaQuantile, lnBeta, lnGamma, regularizedIncompleteBeta } from './betaQuantile.ts';
import { binomialCdf } from './distributions.ts';

const { jStat } = jstat;

/** ln(k!) summed exactly enough: each log is correctly rounded, k ≤ 170 terms. */
function lnFactorial(k: number): number {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
}

describe('lnGamma', () => {
  it('matches ln((k − 1)!) on both sides of the Stirling switch', () => {
    for (const k of [1, 2, 3, 5, 10, 14, 15, 16, 20, 50, 100, 170]) {
      const expected = lnFactorial(k - 1);
      expect(Math.abs(lnGamma(k) - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, expected));
    }
  });

  it('matches Γ(1/2) = √π and Γ(3/2) = √π/2', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });

  it('gives B(a, b) = (a−1)!(b−1)!/(a+b−1)! for whole numbers', () => {
    expect(Math.exp(lnBeta(3, 4))).toBeCloseTo((2 * 6) / 720, 15);
  });

  it('refuses x ≤ 0', () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => lnGamma(-1)).toThrow(RangeError);
  });
});

describe('regularizedIncompleteBeta', () => {
  const closedForms: { description: string; x: number; a: number; b: number; expected: number }[] = [
    { description: 'I_x(1, b) = 1 − (1 − x)^b', x: 0.03, a: 1, b: 59, expected: 1 - 0.97 ** 59 },
    { description: 'I_x(a, 1) = x^a', x: 0.9, a: 30, b: 1, expected: 0.9 ** 30 },
    { description: 'I_x(1, 1) = x', x: 0.37, a: 1, b: 1, expected: 0.37 },
    { description: 'symmetry at ½: I_½(a, a) = ½', x: 0.5, a: 7.5, b: 7.5, expected: 0.5 },
    {
      description: 'I_x(½, ½) = (2/π) asin √x',
      x: 0.2,
      a: 0.5,
      b: 0.5,
      expected: (2 / Math.PI) * Math.asin(Math.sqrt(0.2)),
    },
  ];
  it.each(closedForms)('$description', ({ x, a, b, expected }) => {
    expect(Math.abs(regularizedIncompleteBeta(x, a, b) - expected)).toBeLessThan(1e-13);
  });

  it('equals the binomial tail for whole a, b: I_x(a, b) = P(Bin(a + b − 1, x) ≥ a) (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 1e-4, max: 1 - 1e-4, noNaN: true }),
        (a, b, x) => {
          const beta = regularizedIncompleteBeta(x, a, b);
          // compare the smaller tail of each, where both are accurate
          const binomialUpper = 1 - binomialCdf(a - 1, a + b - 1, x);
          const binomialLower = binomialCdf(a - 1, a + b - 1, x);
          if (beta < 0.5) expect(Math.abs(beta - binomialUpper)).toBeLessThanOrEqual(1e-12 + 1e-9 * beta);
          else expect(Math.abs(1 - beta - binomialLower)).toBeLessThanOrEqual(1e-12 + 1e-9 * (1 - beta));
        },
      ),
    );
  });

  it('agrees with jstat (an independent implementation) to 1e-6', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 60, noNaN: true }),
        fc.double({ min: 0.2, max: 60, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, x) => {
          expect(Math.abs(regularizedIncompleteBeta(x, a, b) - jStat.ibeta(x, a, b))).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it('refuses x outside [0, 1] and shapes ≤ 0', () => {
    expect(() => regularizedIncompleteBeta(1.1, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });
});

describe('betaQuantile', () => {
  it('inverts the incomplete beta, far into both tails and for large shapes (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1e5, noNaN: true }),
        fc.double({ min: 0.05, max: 1e5, noNaN: true }),
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        (a, b, probability) => {
          const x = betaQuantile(probability, a, b);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          // the root lies within a relative 1e-10 of x (or a few ulps, where x is that close to 0 or 1)
          const delta = Math.max(1e-10 * Math.min(x, 1 - x), 4 * Number.EPSILON * x);
          const slack = 1e-13 * Math.min(probability, 1 - probability);
          expect(regularizedIncompleteBeta(Math.max(0, x - delta), a, b)).toBeLessThanOrEqual(
            probability + slack,
          );
          expect(regularizedIncompleteBeta(Math.min(1, x + delta), a, b)).toBeGreaterThanOrEqual(
            probability - slack,
          );
        },
      ),
    );
  });

  it('agrees with jstat’s beta quantile to 1e-6 on the Clopper–Pearson parameters', () => {
    for (const n of [1, 2, 5, 10, 30, 59, 100, 149, 299]) {
      for (let x = 0; x < n; x += Math.max(1, Math.floor(n / 7))) {
        for (const confidence of [0.8, 0.9, 0.95, 0.975, 0.99]) {
          const ours = betaQuantile(confidence, x + 1, n - x);
          expect(Math.abs(ours - jStat.ibetainv(confidence, x + 1, n - x))).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('gives 0 and 1 at probabilities 0 and 1', () => {
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
  });
});
