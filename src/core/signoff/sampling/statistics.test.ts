import fc from 'fast-check';
import jstat from 'jstat';
import { describe, expect, it } from 'vitest';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { fixtureSamplePlan } from '../../../formats/testing/fixtures.ts';
import { binomialCdf, hypergeometricCdf } from './distributions.ts';
import {
  clopperPearsonUpper,
  defectivesAtRate,
  hypergeometricUpperDefectives,
  operatingCharacteristic,
  operatingCharacteristicCurve,
  planSampleSizes,
  sampleSize,
  zeroAcceptanceClosedForm,
} from './statistics.ts';
import { StatisticsInputError, withinRisk } from './statisticsInput.ts';
import * as exact from './testing/exact.ts';

const { jStat } = jstat;

/** Rates and confidences as exact fractions for the oracle, and as the doubles the code takes. */
const percent = (value: number): exact.Fraction => ({ num: BigInt(value), den: 100n });
const riskOf = (confidencePercent: number): exact.Fraction => percent(100 - confidencePercent);

/**
 * Property tests skip near ties (P within this relative distance of 1 − C), where the answer turns
 * on floating-point rounding and `withinRisk`'s tolerance; exact ties are pinned by the rational
 * oracle grid instead (N = 5, p = 30 %, C = 90 % is one: P = 1/10 exactly).
 */
const NEAR_TIE = 1e-9;
const isNearTie = (probability: number, risk: number) => Math.abs(probability - risk) <= NEAR_TIE * risk;

describe('sampleSize: published zero- and c-acceptance sizes', () => {
  // the sizes the product states; the same values are in ISO 2859-style discovery-sampling tables
  const table: { p: number; confidence: number; c: number; n: number }[] = [
    { p: 1, confidence: 95, c: 0, n: 299 },
    { p: 2, confidence: 95, c: 0, n: 149 },
    { p: 5, confidence: 95, c: 0, n: 59 },
    { p: 5, confidence: 99, c: 0, n: 90 },
    { p: 5, confidence: 95, c: 1, n: 93 },
  ];
  it.each(table)('p = $p %, C = $confidence %, c = $c → n = $n', ({ p, confidence, c, n }) => {
    const result = sampleSize({
      targetErrorRate: p / 100,
      confidence: confidence / 100,
      acceptanceNumber: c,
    });
    expect(result.n).toBe(n);
    expect(result.method).toBe('binomial');
    // the exact rational oracle agrees, and n − 1 is not enough
    expect(exact.binomialN(c, percent(p), riskOf(confidence))).toBe(n);
    expect(result.acceptProbability).toBeLessThanOrEqual(result.risk);
    expect(result.acceptProbabilityBelow).toBeGreaterThan(result.risk);
    if (c === 0) expect(Math.ceil(result.closedForm ?? 0)).toBe(n);
  });

  it('explains itself: the formula with its numbers, and why n − 1 fails', () => {
    const result = sampleSize({ targetErrorRate: 0.01, confidence: 0.95 });
    expect(result.formula).toBe('n = ⌈ln(1 − C) / ln(1 − p)⌉ = ⌈ln(0.05) / ln(0.99)⌉ = ⌈298.1⌉ = 299');
    expect(result.closedForm).toBeCloseTo(298.07, 2);
    expect(result.steps.join('\n')).toContain('at n = 298 it would be 0.05004, above 0.05');
    expect(result.acceptProbability).toBeCloseTo(0.99 ** 299, 15);
  });

  it('the c = 0 closed form agrees with the general search (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        (p, confidence) => {
          const closedForm = zeroAcceptanceClosedForm(p, confidence);
          fc.pre(Math.abs(closedForm - Math.round(closedForm)) > NEAR_TIE * closedForm);
          expect(sampleSize({ targetErrorRate: p, confidence }).n).toBe(Math.ceil(closedForm));
        },
      ),
    );
  });
});

describe('sampleSize: finite strata (hypergeometric)', () => {
  it('N = 200, p = 5 %, C = 95 % → D = 10, n = 51', () => {
    const result = sampleSize({ targetErrorRate: 0.05, confidence: 0.95, population: 200 });
    expect(result).toMatchObject({
      n: 51,
      method: 'hypergeometric',
      defectives: 10,
      unlimitedPopulationN: 59,
    });
    expect(exact.hypergeometricN(0, 200, percent(5), riskOf(95))).toBe(51);
    expect(result.acceptProbability).toBeCloseTo(0.04862, 5);
    expect(result.acceptProbabilityBelow).toBeGreaterThan(0.05);
  });

  it('matches the exact rational oracle over a grid of N, p, C and c', () => {
    for (const population of [1, 2, 3, 5, 10, 19, 20, 21, 37, 50, 100, 101, 200, 333]) {
      for (const p of [1, 2, 5, 10, 30]) {
        for (const confidence of [90, 95, 99]) {
          for (const c of [0, 1, 2]) {
            const result = sampleSize({
              targetErrorRate: p / 100,
              confidence: confidence / 100,
              acceptanceNumber: c,
              population,
            });
            const expected = exact.hypergeometricN(c, population, percent(p), riskOf(confidence));
            expect({ population, p, confidence, c, n: result.n }).toEqual({
              population,
              p,
              confidence,
              c,
              n: expected,
            });
            expect(result.defectives).toBe(exact.ceilDefectives(percent(p), population));
            expect(result.n).toBeLessThanOrEqual(population);
            expect(result.method === 'census').toBe(result.n === population);
          }
        }
      }
    }
  });

  it('reviews tiny and hopeless strata in full, and says why', () => {
    const cases = [
      { population: 0, c: 0, n: 0, reason: 'empty' },
      { population: 1, c: 0, n: 1, reason: 'sample-reaches-population' },
      { population: 10, c: 0, n: 10, reason: 'sample-reaches-population' },
      { population: 10, c: 1, n: 10, reason: 'cannot-discriminate' }, // D = ⌈0.5⌉ = 1 ≤ c
      { population: 3, c: 5, n: 3, reason: 'cannot-discriminate' },
    ] as const;
    for (const { population, c, n, reason } of cases) {
      const result = sampleSize({ targetErrorRate: 0.05, confidence: 0.95, acceptanceNumber: c, population });
      expect({ population, c, n: result.n, reason: result.censusReason, method: result.method }).toEqual({
        population,
        c,
        n,
        reason,
        method: 'census',
      });
      expect(result.steps.at(-1)).toMatch(/census|nothing to review/);
    }
  });

  it('takes D = ⌈p·N⌉, reading a product a hair above a whole number as that number', () => {
    expect(defectivesAtRate(0.05, 200)).toBe(10);
    expect(defectivesAtRate(0.05, 201)).toBe(11);
    expect(0.07 * 100).toBeGreaterThan(7); // the floating-point trap the rule avoids
    expect(defectivesAtRate(0.07, 100)).toBe(7);
    expect(defectivesAtRate(0.01, 1)).toBe(1);
  });
});

describe('sampleSize: properties (seed printed on failure)', () => {
  const rate = fc.double({ min: 1e-3, max: 0.6, noNaN: true });
  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });
  const acceptance = fc.integer({ min: 0, max: 6 });
  const population = fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined });

  it('the returned n meets the rule and n − 1 does not', () => {
    fc.assert(
      fc.property(rate, confidence, acceptance, population, (p, C, c, N) => {
        const result = sampleSize({ targetErrorRate: p, confidence: C, acceptanceNumber: c, population: N });
        const risk = 1 - C;
        const accept = (n: number) =>
          N === undefined ? binomialCdf(c, n, p) : hypergeometricCdf(c, N, defectivesAtRate(p, N), n);
        if (result.censusReason === 'cannot-discriminate' || result.censusReason === 'empty') return;
        expect(withinRisk(accept(result.n), risk)).toBe(true);
        expect(result.n === 0 || !withinRisk(accept(result.n - 1), risk)).toBe(true);
        if (N !== undefined) expect(result.n).toBeLessThanOrEqual(N);
      }),
    );
  });

  it('grows as p falls, as C rises and as c rises', () => {
    fc.assert(
      fc.property(
        rate,
        rate,
        confidence,
        confidence,
        acceptance,
        acceptance,
        population,
        (p1, p2, C1, C2, c1, c2, N) => {
          const n = (p: number, C: number, c: number) =>
            sampleSize({ targetErrorRate: p, confidence: C, acceptanceNumber: c, population: N }).n;
          const [pLow, pHigh] = p1 <= p2 ? [p1, p2] : [p2, p1];
          const [cLow, cHigh] = C1 <= C2 ? [C1, C2] : [C2, C1];
          const [aLow, aHigh] = c1 <= c2 ? [c1, c2] : [c2, c1];
          expect(n(pLow, C1, c1)).toBeGreaterThanOrEqual(n(pHigh, C1, c1));
          expect(n(p1, cHigh, c1)).toBeGreaterThanOrEqual(n(p1, cLow, c1));
          expect(n(p1, C1, aHigh)).toBeGreaterThanOrEqual(n(p1, C1, aLow));
        },
      ),
    );
  });

  it('a finite stratum never needs more than an unlimited population (c = 0)', () => {
    fc.assert(
      fc.property(rate, confidence, fc.integer({ min: 1, max: 5000 }), (p, C, N) => {
        const finite = sampleSize({ targetErrorRate: p, confidence: C, population: N });
        expect(finite.n).toBeLessThanOrEqual(finite.unlimitedPopulationN);
      }),
    );
  });
});

describe('sampleSize: invalid inputs', () => {
  const valid = { targetErrorRate: 0.02, confidence: 0.95 };
  const cases: {
    description: string;
    input: Parameters<typeof sampleSize>[0];
    field: string;
    message: RegExp;
  }[] = [
    ...[0, 1, 1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY].map((p) => ({
      description: `p = ${p}`,
      input: { ...valid, targetErrorRate: p },
      field: 'targetErrorRate',
      message: /^the target error rate p must be a number strictly between 0 and 1/,
    })),
    ...[0, 1, 95, -0.5, Number.NaN].map((C) => ({
      description: `C = ${C}`,
      input: { ...valid, confidence: C },
      field: 'confidence',
      message: /^the confidence C must be a number strictly between 0 and 1/,
    })),
    ...[-1, 0.5, Number.NaN].map((c) => ({
      description: `c = ${c}`,
      input: { ...valid, acceptanceNumber: c },
      field: 'acceptanceNumber',
      message: /^the acceptance number c must be a whole number ≥ 0$/,
    })),
    ...[-1, 2.5, Number.POSITIVE_INFINITY].map((N) => ({
      description: `N = ${N}`,
      input: { ...valid, population: N },
      field: 'population',
      message: /^the population N must be a whole number ≥ 0$/,
    })),
    {
      description: 'a p so small the sample size passes 2⁵³',
      input: { ...valid, targetErrorRate: 1e-300 },
      field: 'targetErrorRate',
      message: /below 2⁵³/,
    },
  ];
  it.each(cases)(
    'refuses $description with a typed error naming the input and its range',
    ({ input, field, message }) => {
      let caught: unknown;
      try {
        sampleSize(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StatisticsInputError);
      expect((caught as StatisticsInputError).field).toBe(field);
      expect((caught as StatisticsInputError).message).toMatch(message);
    },
  );
});

describe('operating characteristic', () => {
  it('n = 59, c = 0 passes a true 1 % rate with probability 0.55 and 5 % with 0.048', () => {
    const [at1, at5] = operatingCharacteristic({ n: 59, acceptanceNumber: 0 }, [0.01, 0.05]);
    expect(at1?.acceptProbability).toBeCloseTo(0.55, 2);
    expect(at1?.acceptProbability).toBeCloseTo(0.99 ** 59, 14);
    expect(at5?.acceptProbability).toBeCloseTo(0.048, 3);
    expect(at5?.acceptProbability).toBeCloseTo(0.95 ** 59, 14);
  });

  it('for a finite stratum uses the hypergeometric law with ⌈q·N⌉ defective records', () => {
    const [point] = operatingCharacteristic({ n: 51, acceptanceNumber: 0, population: 200 }, [0.05]);
    expect(point).toMatchObject({ defectives: 10 });
    // C(190, 51)/C(200, 51) = ∏_{i<10} (149 − i)/(200 − i)
    let expected = 1;
    for (let i = 0; i < 10; i++) expected *= (149 - i) / (200 - i);
    expect(point?.acceptProbability).toBeCloseTo(expected, 14);
  });

  it('is 1 at q = 0, falls as q rises, and is 0 at q = 1 (c < n)', () => {
    for (const plan of [
      { n: 59, acceptanceNumber: 0 },
      { n: 93, acceptanceNumber: 1 },
      { n: 51, acceptanceNumber: 0, population: 200 },
    ]) {
      const curve = operatingCharacteristicCurve(plan, 21);
      expect(curve[0]?.acceptProbability).toBe(1);
      for (let i = 1; i < curve.length; i++) {
        expect(curve[i]?.acceptProbability).toBeLessThanOrEqual(curve[i - 1]?.acceptProbability ?? 1);
      }
      expect(curve.at(-1)?.acceptProbability).toBeLessThan(0.0101);
      expect(operatingCharacteristic(plan, [1])[0]?.acceptProbability).toBe(0);
    }
  });

  it('refuses a q outside [0, 1] and a sample larger than its stratum', () => {
    expect(() => operatingCharacteristic({ n: 59, acceptanceNumber: 0 }, [1.2])).toThrow(
      StatisticsInputError,
    );
    expect(() => operatingCharacteristic({ n: 201, acceptanceNumber: 0, population: 200 }, [0.1])).toThrow(
      /the sample size n must be a whole number from 0 to the population N/,
    );
  });
});

describe('clopperPearsonUpper', () => {
  it('0/59 → 4.95 % and 1/59 → 7.79 % at 95 %', () => {
    expect(clopperPearsonUpper(0, 59, 0.95)).toBeCloseTo(0.0495, 4);
    expect(clopperPearsonUpper(1, 59, 0.95)).toBeCloseTo(0.0779, 4);
  });

  it('matches the closed forms: x = 0 → 1 − (1 − C)^(1/n); x = n − 1 → C^(1/n); x = n → 1', () => {
    for (const n of [1, 2, 3, 10, 59, 299, 10_000, 1_000_000]) {
      for (const C of [0.8, 0.95, 0.99, 0.999]) {
        expect(Math.abs(clopperPearsonUpper(0, n, C) - (1 - (1 - C) ** (1 / n)))).toBeLessThan(1e-12);
        expect(Math.abs(clopperPearsonUpper(n - 1, n, C) - C ** (1 / n))).toBeLessThan(1e-12);
        expect(clopperPearsonUpper(n, n, C)).toBe(1);
      }
    }
    expect(clopperPearsonUpper(0, 1, 0.95)).toBeCloseTo(0.95, 14); // n = 1
    expect(clopperPearsonUpper(0, 0, 0.95)).toBe(1); // nothing reviewed: nothing is known
  });

  it('agrees with jstat’s Beta quantile to 1e-6', () => {
    for (const n of [1, 5, 20, 59, 93, 149, 299, 500]) {
      for (let x = 0; x < n; x += Math.max(1, Math.floor(n / 9))) {
        for (const C of [0.9, 0.95, 0.99]) {
          expect(Math.abs(clopperPearsonUpper(x, n, C) - jStat.ibetainv(C, x + 1, n - x))).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('is the rate at which P(X ≤ x | n, u) = 1 − C (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.nat(),
        (n, C, seed) => {
          const x = Math.min(seed % 200, n - 1);
          const u = clopperPearsonUpper(x, n, C);
          expect(Math.abs(binomialCdf(x, n, u) - (1 - C))).toBeLessThan(1e-9 * (1 - C));
        },
      ),
    );
  });

  it('rises with x, falls with n, and lies in [x/n, 1] (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (n, seed, C) => {
          const x = seed % (n + 1);
          const u = clopperPearsonUpper(x, n, C);
          expect(u).toBeGreaterThanOrEqual(x / n);
          expect(u).toBeLessThanOrEqual(1);
          if (x < n) expect(clopperPearsonUpper(x + 1, n, C)).toBeGreaterThan(u);
          if (x < n) expect(clopperPearsonUpper(x, n + 1, C)).toBeLessThan(u);
        },
      ),
    );
  });

  it('agrees with the plan: n sized for c passes c errors and fails c + 1 (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        (p, C, c) => {
          const { n } = sampleSize({ targetErrorRate: p, confidence: C, acceptanceNumber: c });
          fc.pre(!isNearTie(binomialCdf(c, n, p), 1 - C) && !isNearTie(binomialCdf(c, n - 1, p), 1 - C));
          expect(clopperPearsonUpper(c, n, C)).toBeLessThanOrEqual(p);
          expect(clopperPearsonUpper(c, n - 1, C)).toBeGreaterThan(p);
          expect(clopperPearsonUpper(c + 1, n, C)).toBeGreaterThan(p);
        },
      ),
    );
  });

  it('refuses errors > reviewed, non-integers and a confidence outside (0, 1)', () => {
    expect(() => clopperPearsonUpper(3, 2, 0.95)).toThrow(
      /the number of errors must be a whole number from 0 to/,
    );
    expect(() => clopperPearsonUpper(1.5, 2, 0.95)).toThrow(StatisticsInputError);
    expect(() => clopperPearsonUpper(0, 2, 1)).toThrow(/confidence/);
  });
});

describe('hypergeometricUpperDefectives', () => {
  it('matches the exact oracle, and a census knows D exactly', () => {
    for (const [x, n, N] of [
      [0, 51, 200],
      [1, 51, 200],
      [0, 10, 10],
      [3, 10, 10],
      [2, 30, 80],
      [0, 0, 15],
      [5, 40, 41],
    ] as const) {
      for (const C of [90, 95, 99]) {
        expect(hypergeometricUpperDefectives(x, n, N, C / 100)).toBe(
          exact.hypergeometricUpperDefectives(x, n, N, riskOf(C)),
        );
      }
    }
    expect(hypergeometricUpperDefectives(0, 51, 200, 0.95)).toBe(9); // < ⌈5 % · 200⌉ = 10: passes a 5 % plan
    expect(hypergeometricUpperDefectives(3, 10, 10, 0.95)).toBe(3);
  });
});

describe('planSampleSizes', () => {
  it('sizes each stratum on its own; census strata are reviewed in full; the total adds up', () => {
    const sizes = planSampleSizes(fixtureSamplePlan());
    const [patients, flagged] = sizes.strata;
    expect(patients).toMatchObject({ stratumId: 'patients', population: 5000, n: 147, flagged: false });
    expect(patients?.result.method).toBe('hypergeometric');
    expect(flagged).toMatchObject({ stratumId: 'flagged', population: 40, n: 40, flagged: true });
    expect(flagged?.result).toMatchObject({ method: 'census', censusReason: 'plan', formula: 'n = N = 40' });
    expect(exact.hypergeometricN(0, 5000, percent(2), riskOf(95))).toBe(147);
    expect(sizes.total).toBe(187);
    expect(sizes.population).toBe(5040);
  });

  it('sizes a flagged stratum without a census as its own full sample, never a share (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 0, max: 20_000 }),
            flagged: fc.boolean(),
            census: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(0.01, 0.02, 0.05),
        fc.integer({ min: 0, max: 2 }),
        (strata, p, c) => {
          const plan: SamplePlan = {
            ...fixtureSamplePlan(),
            targetErrorRate: p,
            acceptanceNumber: c,
            population: {
              dataset: 'd1',
              stratifyBy: 'file',
              strata: strata.map((s, i) => ({ id: `s${i}`, label: `stratum ${i}`, ...s })),
            },
          };
          const sizes = planSampleSizes(plan);
          expect(sizes.total).toBe(sizes.strata.reduce((sum, s) => sum + s.n, 0));
          sizes.strata.forEach((s, i) => {
            const declared = strata[i];
            expect(s.n).toBeLessThanOrEqual(s.population);
            if (declared?.census) expect(s.n).toBe(s.population);
            else
              expect(s.n).toBe(
                sampleSize({
                  targetErrorRate: p,
                  confidence: plan.confidence,
                  acceptanceNumber: c,
                  population: s.population,
                }).n,
              );
          });
        },
      ),
    );
  });
});
