import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearsonUpper, hypergeometricUpperDefectives, sampleSize } from './statistics.ts';
import { StatisticsInputError } from './statisticsInput.ts';
import { BONFERRONI_NOTE, overallVerdict, type StratumTally, stratumVerdict } from './verdict.ts';

const criteria = { targetErrorRate: 0.05, confidence: 0.95 };

function tally(overrides: Partial<StratumTally> = {}): StratumTally {
  return { stratumId: 's', reviewed: 59, critical: 0, major: 0, cannotAssess: 0, minor: 0, ...overrides };
}

describe('stratumVerdict', () => {
  it('0/59 → 4.95 % passes a 5 % plan; 1/59 → 7.79 % fails', () => {
    const clean = stratumVerdict(tally(), criteria);
    expect(clean.major).toMatchObject({
      errors: 0,
      observedRate: 0,
      boundMethod: 'clopper-pearson',
      pass: true,
    });
    expect(clean.major.upperBound).toBeCloseTo(0.0495, 4);
    expect(clean).toMatchObject({ pass: true, reasons: [] });

    const one = stratumVerdict(tally({ major: 1 }), criteria);
    expect(one.major.upperBound).toBeCloseTo(0.0779, 4);
    expect(one.major.observedRate).toBeCloseTo(1 / 59, 15);
    expect(one).toMatchObject({ pass: false, reasons: ['bound-above-target'] });
  });

  it('counts a cannot-assess record as an error until it is adjudicated', () => {
    const verdict = stratumVerdict(tally({ cannotAssess: 1 }), criteria);
    expect(verdict.major.errors).toBe(1);
    expect(verdict.pass).toBe(false);
  });

  it('fails on one critical defect whatever the numbers', () => {
    const large = { reviewed: 5000, critical: 1 };
    expect(clopperPearsonUpper(1, 5000, 0.95)).toBeLessThan(0.05); // the numbers alone would pass
    const verdict = stratumVerdict(tally(large), criteria);
    expect(verdict.major.pass).toBe(true);
    expect(verdict).toMatchObject({ pass: false, reasons: ['critical-defect'] });
  });

  it('judges minor defects (and unassessed records) against the looser minor rate', () => {
    const looser = { ...criteria, minorTargetErrorRate: 0.1 };
    const oneMinor = stratumVerdict(tally({ minor: 1 }), looser);
    expect(oneMinor.major.errors).toBe(0);
    expect(oneMinor.minor).toMatchObject({ errors: 1, target: 0.1, pass: true }); // 7.79 % ≤ 10 %
    expect(oneMinor.pass).toBe(true);
    const manyMinor = stratumVerdict(tally({ minor: 3 }), looser);
    expect(manyMinor).toMatchObject({ pass: false, reasons: ['minor-bound-above-target'] });
    expect(stratumVerdict(tally({ minor: 1, cannotAssess: 1 }), looser).minor?.errors).toBe(2);
    expect(stratumVerdict(tally({ minor: 5 }), criteria).minor).toBeNull(); // no minor rate: not judged
  });

  it('uses the exact finite bound for a stratum of known size: 0/51 of N = 200 passes 5 %, as the plan promised', () => {
    const { n } = sampleSize({ targetErrorRate: 0.05, confidence: 0.95, population: 200 });
    const verdict = stratumVerdict(tally({ reviewed: n, population: 200 }), criteria);
    expect(verdict.major).toMatchObject({
      boundMethod: 'hypergeometric',
      upperBoundDefectives: 9,
      upperBound: 0.045,
    });
    expect(verdict.major.clopperPearsonUpper).toBeGreaterThan(0.05); // the binomial bound alone would fail it
    expect(verdict.pass).toBe(true);
  });

  it('agrees with its plan: a stratum sized for c passes c errors and fails c + 1 (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.01, 0.02, 0.05, 0.1),
        fc.constantFrom(0.9, 0.95, 0.99),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 20_000 }),
        (p, C, c, N) => {
          const { n, censusReason } = sampleSize({
            targetErrorRate: p,
            confidence: C,
            acceptanceNumber: c,
            population: N,
          });
          fc.pre(censusReason !== 'cannot-discriminate');
          const judge = (errors: number) =>
            stratumVerdict(tally({ population: N, reviewed: n, major: errors }), {
              targetErrorRate: p,
              confidence: C,
            }).pass;
          expect(judge(Math.min(c, n))).toBe(true);
          if (c + 1 <= n) expect(judge(c + 1)).toBe(false);
        },
      ),
    );
  });

  it('refuses counts that do not add up, naming the stratum but no value', () => {
    const cases: { description: string; tally: StratumTally; message: RegExp }[] = [
      { description: 'negative', tally: tally({ major: -1 }), message: /major is not, in stratum s/ },
      { description: 'fractional', tally: tally({ reviewed: 2.5 }), message: /reviewed is not/ },
      {
        description: 'more errors than reviewed',
        tally: tally({ reviewed: 2, major: 2, critical: 1 }),
        message: /≤ reviewed/,
      },
      {
        description: 'minor + cannot assess > reviewed',
        tally: tally({ reviewed: 2, minor: 2, cannotAssess: 1 }),
        message: /minor/,
      },
      {
        description: 'more errors awaiting adjudication than records awaiting it',
        tally: tally({ reviewed: 3, major: 2, awaitingAdjudication: 1, awaitingErrors: 2 }),
        message: /errors awaiting adjudication/,
      },
      {
        description: 'more critical records awaiting adjudication than critical records',
        tally: tally({
          reviewed: 3,
          major: 1,
          awaitingAdjudication: 1,
          awaitingErrors: 1,
          awaitingCritical: 1,
        }),
        message: /critical records awaiting adjudication/,
      },
      {
        description: 'fewer minor-rate errors than minor + cannot assess',
        tally: tally({ reviewed: 3, minor: 1, cannotAssess: 1, minorErrors: 1 }),
        message: /minor-rate errors lie between/,
      },
      {
        description: 'more reviewed than N',
        tally: tally({ population: 10, reviewed: 11 }),
        message: /at most N/,
      },
    ];
    for (const { tally: t, message } of cases) {
      expect(() => stratumVerdict(t, criteria)).toThrow(StatisticsInputError);
      expect(() => stratumVerdict(t, criteria)).toThrow(message);
    }
    expect(() => stratumVerdict(tally(), { ...criteria, targetErrorRate: 1.5 })).toThrow(/target error rate/);
  });
});

describe('overallVerdict', () => {
  const strata: StratumTally[] = [
    tally({ stratumId: 'clean', population: 10_000, reviewed: 59 }),
    tally({ stratumId: 'labs', population: 30_000, reviewed: 59 }),
  ];

  it('weights by population, bounds with Bonferroni over k strata, and says it is conservative', () => {
    const verdict = overallVerdict(strata, criteria);
    expect(verdict.strataCount).toBe(2);
    expect(verdict.bonferroniConfidence).toBeCloseTo(0.975, 15);
    const expected =
      (hypergeometricUpperDefectives(0, 59, 10_000, 0.975) +
        hypergeometricUpperDefectives(0, 59, 30_000, 0.975)) /
      40_000;
    expect(verdict.upperBound).toBeCloseTo(expected, 15);
    // both strata pass at 95 %, the conservative overall bound does not: the gate is the strata
    expect(verdict.strata.every((s) => s.pass)).toBe(true);
    expect(verdict.upperBound).toBeGreaterThan(0.05);
    expect(verdict).toMatchObject({
      pass: true,
      boundPass: false,
      weightedRate: 0,
      population: 40_000,
      reviewed: 118,
    });
    expect(verdict.note).toBe(BONFERRONI_NOTE);
    expect(BONFERRONI_NOTE).toContain('conservative');
  });

  it('computes the population-weighted observed rate', () => {
    const verdict = overallVerdict(
      [strata[0] ?? tally(), { ...(strata[1] ?? tally()), major: 2, cannotAssess: 1 }],
      criteria,
    );
    expect(verdict.weightedRate).toBeCloseTo((30_000 / 40_000) * (3 / 59), 15);
    expect(verdict).toMatchObject({ errors: 3, pass: false, reasons: ['bound-above-target'] });
  });

  it('fails the gate on a critical defect in any stratum, and reports each reason once', () => {
    const verdict = overallVerdict(
      [
        { ...(strata[0] ?? tally()), critical: 1 },
        { ...(strata[1] ?? tally()), critical: 1 },
      ],
      criteria,
    );
    expect(verdict).toMatchObject({ pass: false, boundPass: false, critical: 2 });
    expect(verdict.reasons).toEqual(['critical-defect', 'bound-above-target']);
  });

  it('has no weighted rate while a stratum is unreviewed, and skips empty strata', () => {
    const verdict = overallVerdict(
      [
        strata[0] ?? tally(),
        tally({ stratumId: 'empty', population: 0, reviewed: 0 }),
        tally({ stratumId: 'todo', population: 50, reviewed: 0 }),
      ],
      criteria,
    );
    expect(verdict.strataCount).toBe(2);
    expect(verdict.weightedRate).toBeNull();
    expect(verdict.strata[1]?.pass).toBe(true);
    expect(verdict.strata[2]?.pass).toBe(false);
  });

  it('needs every stratum’s population', () => {
    expect(() => overallVerdict([tally()], criteria)).toThrow(
      /the population N must be given for every stratum \(stratum s has none\)/,
    );
  });
});
