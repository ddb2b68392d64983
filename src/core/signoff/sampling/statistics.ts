/**
 * The statistics of a clinician sample sign-off (docs/product.md#sign-off): how many records to review, how
 * likely a plan is to pass a given true error rate (the operating-characteristic curve), and the
 * one-sided upper confidence bounds the verdict (verdict.ts) compares with the target.
 *
 * Definitions used throughout:
 * - p: the target maximum error rate; C: the confidence; c: the acceptance number (errors allowed
 *   in the sample); N: the records in a stratum; n: the sample size.
 * - Comparisons with 1 − C allow for floating point ({@link withinRisk}).
 * - A plan (n, c) accepts a stratum when the sample shows at most c errors. It is sized so that a
 *   stratum whose true error rate is p or worse is accepted with probability at most 1 − C: the
 *   smallest n with P(X ≤ c | n, p) ≤ 1 − C.
 * - Finite strata use the exact hypergeometric law with D = ⌈p·N⌉ defective records (see
 *   {@link defectivesAtRate} for why). Without N the binomial law is used (an unlimited population).
 *
 * Every result carries the numbers behind it and an explanation (`steps`) so the UI can say why.
 */
import type { SamplePlan, Stratum } from '../../../formats/samplePlan.ts';
import { betaQuantile } from './betaQuantile.ts';
import { binomialCdf, hypergeometricCdf } from './distributions.ts';
import {
  requireClosedUnit,
  requireCount,
  requireCountAtMost,
  requireOpenUnit,
  StatisticsInputError,
  withinRisk,
} from './statisticsInput.ts';

/** The acceptance number when a plan gives none: zero-acceptance plans by default. */
export const DEFAULT_ACCEPTANCE_NUMBER = 0;

/** How a sample size was found. */
export type SampleSizeMethod = 'binomial' | 'hypergeometric' | 'census';

/**
 * Why a stratum is reviewed in full:
 * - `plan`: the plan asks for a census (e.g. the stratum of records validation flagged);
 * - `sample-reaches-population`: the smallest sufficient sample is the whole stratum;
 * - `cannot-discriminate`: the stratum has so few records that ⌈p·N⌉ ≤ c, so no sample can tell a
 *   stratum at rate p from a clean one by counting errors up to c: only a full review can;
 * - `empty`: the stratum has no records.
 */
export type CensusReason = 'plan' | 'sample-reaches-population' | 'cannot-discriminate' | 'empty';

/** What {@link sampleSize} needs. */
interface SampleSizeInput {
  /** p, strictly between 0 and 1 */
  targetErrorRate: number;
  /** C, strictly between 0 and 1 */
  confidence: number;
  /** c, a whole number ≥ 0; default {@link DEFAULT_ACCEPTANCE_NUMBER} */
  acceptanceNumber?: number;
  /** N, the records in the stratum; absent for an unlimited population (binomial) */
  population?: number;
}

/** A sample size with everything the UI needs to say why it is that number. */
export interface SampleSizeResult {
  /** records to review */
  n: number;
  method: SampleSizeMethod;
  /** set when `method` is `census` */
  censusReason: CensusReason | null;
  targetErrorRate: number;
  confidence: number;
  acceptanceNumber: number;
  /** 1 − C: the largest allowed probability of passing a stratum at rate p */
  risk: number;
  /** N, or null for an unlimited population */
  population: number | null;
  /** D = ⌈p·N⌉, the defective records of a finite stratum at rate p; null without N */
  defectives: number | null;
  /** binomial with c = 0: ln(1 − C)/ln(1 − p) before rounding up; otherwise null */
  closedForm: number | null;
  /** the binomial size for an unlimited population, for comparison with a finite stratum's */
  unlimitedPopulationN: number;
  /** the rule that was solved, in symbols */
  rule: string;
  /** the rule with the numbers substituted and its answer */
  formula: string;
  /** P(accept | p) at n: at most `risk` unless `censusReason` is `cannot-discriminate` */
  acceptProbability: number;
  /** P(accept | p) at n − 1 (above `risk`, which is why n − 1 is not enough); null when n = 0 */
  acceptProbabilityBelow: number | null;
  /** the explanation, one sentence per step, in the order the UI shows them */
  steps: string[];
}

/** Significant digits of the numbers in explanations: enough to see n − 1 fail by a hair. */
const SHOWN_DIGITS = 4;
const PERCENT = 100;

/** A rate as the UI shows it: 0.02 → "2 %", 0.049510 → "4.951 %". */
export function formatPercent(rate: number): string {
  return `${Number((rate * PERCENT).toPrecision(SHOWN_DIGITS))} %`;
}

/** A probability as the UI shows it: 0.049432 → "0.04943". */
export function formatProbability(probability: number): string {
  return `${Number(probability.toPrecision(SHOWN_DIGITS))}`;
}

/**
 * rate·N computed in floating point can land a hair above a whole number (0.07 × 100 =
 * 7.000000000000001); a product within this many ulps of a whole number is taken as that number.
 */
const WHOLE_NUMBER_ULPS = 8;

/**
 * D = ⌈rate·N⌉: the defective records of a finite stratum of N records at `rate`.
 *
 * Why the ceiling: a finite stratum's error rate is D/N, so "a rate of p or worse" means D ≥ p·N,
 * and the fewest defective records that reach it is ⌈p·N⌉. A plan's acceptance probability falls
 * as D grows, so a plan that rejects D = ⌈p·N⌉ with probability C rejects every worse stratum at
 * least as often. Rounding down would guard a rate below p (a larger sample than asked for);
 * rounding to the nearest would sometimes guard a rate above it (too small a sample).
 */
export function defectivesAtRate(rate: number, population: number): number {
  const product = rate * population;
  const whole = Math.round(product);
  if (Math.abs(product - whole) <= WHOLE_NUMBER_ULPS * Number.EPSILON * Math.max(1, product)) return whole;
  return Math.ceil(product);
}

/** P(accept) of a plan as a function of n, for the searches. */
type AcceptAt = (n: number) => number;

/**
 * The smallest n in (lo, limit] with accept(n) ≤ risk, given accept(lo) > risk and accept
 * non-increasing in n (true of both laws: a larger sample can only find more errors). Doubles to
 * bracket it, then bisects: O(log n) evaluations.
 */
function smallestSufficientN(accept: AcceptAt, lo: number, limit: number, risk: number): number | null {
  let low = lo;
  let high = Math.min(Math.max(2 * lo, lo + 1), limit);
  while (!withinRisk(accept(high), risk)) {
    if (high >= limit) return null;
    low = high;
    high = Math.min(2 * high, limit);
  }
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (!withinRisk(accept(middle), risk)) low = middle;
    else high = middle;
  }
  return high;
}

function checkSampleSizeInput(input: SampleSizeInput): Required<Omit<SampleSizeInput, 'population'>> {
  requireOpenUnit('targetErrorRate', input.targetErrorRate);
  requireOpenUnit('confidence', input.confidence);
  const acceptanceNumber = input.acceptanceNumber ?? DEFAULT_ACCEPTANCE_NUMBER;
  requireCount('acceptanceNumber', acceptanceNumber);
  if (input.population !== undefined) requireCount('population', input.population);
  return { targetErrorRate: input.targetErrorRate, confidence: input.confidence, acceptanceNumber };
}

/** The binomial size (unlimited population): the smallest n with P(X ≤ c | n, p) ≤ 1 − C. */
function binomialN(p: number, risk: number, c: number): number {
  const n = smallestSufficientN((m) => binomialCdf(c, m, p), c, Number.MAX_SAFE_INTEGER, risk);
  if (n === null) {
    throw new StatisticsInputError('targetErrorRate', 'large enough that the sample size is below 2⁵³');
  }
  return n;
}

/** ln(1 − C)/ln(1 − p): the zero-acceptance size before rounding up. */
export function zeroAcceptanceClosedForm(targetErrorRate: number, confidence: number): number {
  return Math.log1p(-confidence) / Math.log1p(-targetErrorRate);
}

/**
 * The smallest sample size n such that a stratum whose error rate is the target p or worse passes
 * (shows at most c errors) with probability at most 1 − C.
 *
 * - Without `population`: binomial. With c = 0 this is n = ⌈ln(1 − C)/ln(1 − p)⌉ (reported as
 *   `closedForm`); the answer itself always comes from the general search, which the tests check
 *   against the closed form.
 * - With `population` N: exact hypergeometric with D = ⌈p·N⌉ ({@link defectivesAtRate}); never more
 *   than N, and a census when it would be N (or when no sample can discriminate: ⌈p·N⌉ ≤ c).
 *
 * @throws {StatisticsInputError} p or C outside (0, 1), c or N not a whole number ≥ 0.
 */
export function sampleSize(input: SampleSizeInput): SampleSizeResult {
  const { targetErrorRate: p, confidence, acceptanceNumber: c } = checkSampleSizeInput(input);
  const risk = 1 - confidence;
  const unlimitedN = binomialN(p, risk, c);
  const base = {
    targetErrorRate: p,
    confidence,
    acceptanceNumber: c,
    risk,
    unlimitedPopulationN: unlimitedN,
    closedForm: null,
  };
  const inputsStep = `Inputs: p = ${formatPercent(p)}, C = ${formatPercent(confidence)}, c = ${c}, so 1 − C = ${formatPercent(risk)}.`;
  const purpose = `A stratum whose error rate is ${formatPercent(p)} or worse must pass (show at most ${c} error${c === 1 ? '' : 's'} in the sample) with probability at most ${formatPercent(risk)}.`;

  if (input.population === undefined) {
    const n = unlimitedN;
    const accept = binomialCdf(c, n, p);
    const below = binomialCdf(c, n - 1, p);
    const rule = 'smallest n with P(X ≤ c | n, p) ≤ 1 − C (binomial)';
    const steps = [purpose, `Rule: the ${rule}.`, inputsStep];
    let formula: string;
    let closedForm: number | null = null;
    if (c === 0) {
      closedForm = zeroAcceptanceClosedForm(p, confidence);
      formula = `n = ⌈ln(1 − C) / ln(1 − p)⌉ = ⌈ln(${formatProbability(risk)}) / ln(${formatProbability(1 - p)})⌉ = ⌈${formatProbability(closedForm)}⌉ = ${n}`;
      steps.push(`With c = 0 the rule is (1 − p)^n ≤ 1 − C, so ${formula}.`);
    } else {
      formula = `P(X ≤ ${c} | n = ${n}, p = ${formatPercent(p)}) = ${formatProbability(accept)} ≤ ${formatProbability(risk)}`;
      steps.push(`Searching n: ${formula}.`);
    }
    steps.push(
      `Check: P(accept | p) = ${formatProbability(accept)} at n = ${n}; at n = ${n - 1} it would be ${formatProbability(below)}, above ${formatProbability(risk)}.`,
    );
    return {
      ...base,
      n,
      method: 'binomial',
      censusReason: null,
      population: null,
      defectives: null,
      closedForm,
      rule,
      formula,
      acceptProbability: accept,
      acceptProbabilityBelow: below,
      steps,
    };
  }

  const population = input.population;
  const defectives = defectivesAtRate(p, population);
  const rule = 'smallest n with P(X ≤ c | N, D, n) ≤ 1 − C (hypergeometric, D = ⌈p·N⌉)';
  const accept: AcceptAt = (m) => hypergeometricCdf(c, population, defectives, m);
  const finiteStep = `The stratum has N = ${population} records; at rate p it has D = ⌈p·N⌉ = ${defectives} defective records, drawn without replacement.`;
  const steps = [purpose, `Rule: the ${rule}.`, inputsStep, finiteStep];
  const common = { ...base, population, defectives, rule };

  let census: CensusReason | null = null;
  let n: number;
  if (population === 0) {
    census = 'empty';
    n = 0;
  } else if (defectives <= c) {
    census = 'cannot-discriminate';
    n = population;
  } else {
    // accept(c) = 1 > risk; accept(N) = 0 since D > c: the search always ends by N
    n = smallestSufficientN(accept, c, population, risk) ?? population;
    if (n === population) census = 'sample-reaches-population';
  }
  const acceptProbability = accept(n);
  const acceptProbabilityBelow = n === 0 ? null : accept(n - 1);
  const formula = `P(X ≤ ${c} | N = ${population}, D = ${defectives}, n = ${n}) = ${formatProbability(acceptProbability)}`;
  if (census === null) {
    steps.push(
      `Searching n: ${formula} ≤ ${formatProbability(risk)}; at n = ${n - 1} it would be ${formatProbability(acceptProbabilityBelow ?? 1)}.`,
      `For an unlimited population the binomial size would be ${unlimitedN}; sampling without replacement from ${population} records needs ${n}.`,
    );
    return {
      ...common,
      n,
      method: 'hypergeometric',
      censusReason: null,
      formula,
      acceptProbability,
      acceptProbabilityBelow,
      steps,
    };
  }
  steps.push(CENSUS_EXPLANATIONS[census](c));
  return {
    ...common,
    n,
    method: 'census',
    censusReason: census,
    formula,
    acceptProbability,
    acceptProbabilityBelow,
    steps,
  };
}

/** The sentence that says why a stratum is reviewed in full. */
const CENSUS_EXPLANATIONS: Record<CensusReason, (c: number) => string> = {
  plan: () => 'The plan reviews this stratum in full (a census): every record is checked.',
  'sample-reaches-population': () =>
    'The smallest sufficient sample is the whole stratum, so every record is reviewed (a census).',
  'cannot-discriminate': (c) =>
    `The stratum is so small that a stratum at rate p has at most c = ${c} defective records: no sample can tell it from a clean one by counting errors, so every record is reviewed (a census) and its error rate is known exactly.`,
  empty: () => 'The stratum has no records: there is nothing to review.',
};

/** The result for a stratum the plan reviews in full. */
function censusByPlan(input: Required<SampleSizeInput>): SampleSizeResult {
  const computed = sampleSize(input);
  if (computed.censusReason === 'empty') return computed;
  const n = input.population;
  const accept = (m: number) => hypergeometricCdf(input.acceptanceNumber, n, computed.defectives ?? 0, m);
  return {
    ...computed,
    n,
    method: 'census',
    censusReason: 'plan',
    formula: `n = N = ${n}`,
    acceptProbability: accept(n),
    acceptProbabilityBelow: n === 0 ? null : accept(n - 1),
    steps: [...computed.steps.slice(0, 4), CENSUS_EXPLANATIONS.plan(input.acceptanceNumber)],
  };
}

// ---- the plan -----------------------------------------------------------------------------

/** One stratum's sample size in a plan. */
export interface StratumSampleSize {
  stratumId: string;
  label: string;
  /** N */
  population: number;
  flagged: boolean;
  /** records to review: N for a census */
  n: number;
  result: SampleSizeResult;
}

/** Every stratum's sample size and the total. */
export interface PlanSampleSizes {
  strata: StratumSampleSize[];
  /** Σ n over the strata */
  total: number;
  /** Σ N over the strata */
  population: number;
}

/**
 * The sample size of every stratum of a plan. Each stratum is sized on its own at the plan's p, C
 * and c, exactly (hypergeometric) for its N; a stratum marked `census` is reviewed in full. The
 * stratum of records validation flagged is its own stratum (census or its own, larger sample,
 * never a weight): sized on its own, it gets the full sample a stratum needs rather than a
 * share of the population's.
 */
export function planSampleSizes(plan: SamplePlan): PlanSampleSizes {
  const strata = plan.population.strata.map((stratum: Stratum): StratumSampleSize => {
    const input = {
      // a stratum the size rule re-samples is sized for its stricter rate, judged at the plan's
      targetErrorRate: stratum.sizedAtRate ?? plan.targetErrorRate,
      confidence: plan.confidence,
      acceptanceNumber: plan.acceptanceNumber,
      population: stratum.size,
    };
    const result = stratum.census ? censusByPlan(input) : sampleSize(input);
    return {
      stratumId: stratum.id,
      label: stratum.label,
      population: stratum.size,
      flagged: stratum.flagged === true,
      n: result.n,
      result,
    };
  });
  return {
    strata,
    total: strata.reduce((sum, s) => sum + s.n, 0),
    population: strata.reduce((sum, s) => sum + s.population, 0),
  };
}

// ---- the operating-characteristic curve ---------------------------------------------------

/** A sampling plan as the operating-characteristic curve sees it. */
interface AcceptancePlan {
  /** the sample size */
  n: number;
  /** c: errors allowed in the sample */
  acceptanceNumber: number;
  /** N for a finite stratum (hypergeometric); absent for an unlimited population (binomial) */
  population?: number;
}

/** One point of the operating-characteristic curve. */
export interface OcPoint {
  /** q, the true error rate */
  trueRate: number;
  /** ⌈q·N⌉ for a finite stratum; null without N */
  defectives: number | null;
  /** P(the plan accepts | q) */
  acceptProbability: number;
}

function checkAcceptancePlan(plan: AcceptancePlan): void {
  requireCount('acceptanceNumber', plan.acceptanceNumber);
  if (plan.population === undefined) requireCount('sampleSize', plan.n);
  else {
    requireCount('population', plan.population);
    requireCountAtMost('sampleSize', plan.n, plan.population, 'the population N');
  }
}

function acceptAtRate(plan: AcceptancePlan, trueRate: number): OcPoint {
  if (plan.population === undefined) {
    return {
      trueRate,
      defectives: null,
      acceptProbability: binomialCdf(plan.acceptanceNumber, plan.n, trueRate),
    };
  }
  const defectives = defectivesAtRate(trueRate, plan.population);
  return {
    trueRate,
    defectives,
    acceptProbability: hypergeometricCdf(plan.acceptanceNumber, plan.population, defectives, plan.n),
  };
}

/**
 * P(the plan accepts | true error rate q) at each q: binomial, or hypergeometric with ⌈q·N⌉
 * defective records for a finite stratum (the same convention as the sample size).
 *
 * @throws {StatisticsInputError} a q outside [0, 1], or a plan with n, c or N not whole numbers ≥ 0
 *   (or n > N).
 */
export function operatingCharacteristic(plan: AcceptancePlan, trueRates: readonly number[]): OcPoint[] {
  checkAcceptancePlan(plan);
  for (const q of trueRates) requireClosedUnit('trueRate', q);
  return trueRates.map((q) => acceptAtRate(plan, q));
}

/** The curve is drawn until the acceptance probability falls below this. */
const OC_CURVE_FLOOR = 0.01;
/** Default points on the drawn curve. */
const DEFAULT_OC_POINTS = 41;
const OC_BISECTION_STEPS = 60;

/**
 * The operating-characteristic curve for a chart: `points` evenly spaced true rates from 0 to the
 * rate at which the plan accepts with probability 1 % (or to 1 when it never falls that low).
 */
export function operatingCharacteristicCurve(plan: AcceptancePlan, points = DEFAULT_OC_POINTS): OcPoint[] {
  checkAcceptancePlan(plan);
  const minimumPoints = 2;
  if (!(Number.isSafeInteger(points) && points >= minimumPoints)) {
    throw new RangeError('an operating-characteristic curve needs at least two points');
  }
  let high = 1;
  if (acceptAtRate(plan, 1).acceptProbability < OC_CURVE_FLOOR) {
    let low = 0;
    for (let i = 0; i < OC_BISECTION_STEPS; i++) {
      const middle = (low + high) / 2;
      if (acceptAtRate(plan, middle).acceptProbability < OC_CURVE_FLOOR) high = middle;
      else low = middle;
    }
  }
  return Array.from({ length: points }, (_, i) => acceptAtRate(plan, (high * i) / (points - 1)));
}

// ---- upper confidence bounds ----------------------------------------------------------------

/**
 * The one-sided Clopper–Pearson upper bound on the error rate after `errors` errors in `reviewed`
 * records, at confidence C: the Beta(x + 1, n − x) quantile at C, and 1 when every record was in
 * error (or none was reviewed). It is the rate u at which P(X ≤ x | n, u) = 1 − C, so a bound
 * ≤ p is the same decision as a plan (n, c = x) accepting: the verdict and the plan agree.
 *
 * @throws {StatisticsInputError} counts not whole numbers, errors > reviewed, C outside (0, 1).
 */
export function clopperPearsonUpper(errors: number, reviewed: number, confidence: number): number {
  requireCount('reviewed', reviewed);
  requireCountAtMost('errors', errors, reviewed, 'the number of reviewed records');
  requireOpenUnit('confidence', confidence);
  if (errors === reviewed) return 1;
  return betaQuantile(confidence, errors + 1, reviewed - errors);
}

/**
 * The exact upper confidence bound on the number of defective records in a finite stratum of N
 * records after `errors` errors in `reviewed` records drawn without replacement: the largest D for
 * which P(X ≤ x | N, D, n) > 1 − C (see {@link withinRisk}): a stratum with more defective records
 * would have shown more errors with probability at least C. A census (n = N) gives D = x exactly.
 *
 * @throws {StatisticsInputError} counts not whole numbers, errors > reviewed > N, C outside (0, 1).
 */
export function hypergeometricUpperDefectives(
  errors: number,
  reviewed: number,
  population: number,
  confidence: number,
): number {
  requireCount('population', population);
  requireCountAtMost('reviewed', reviewed, population, 'the population N');
  requireCountAtMost('errors', errors, reviewed, 'the number of reviewed records');
  requireOpenUnit('confidence', confidence);
  const risk = 1 - confidence;
  const accept = (d: number) => hypergeometricCdf(errors, population, d, reviewed);
  // D ranges over [x, x + N − n]; accept(x) = 1 > risk and accept falls as D grows
  let low = errors;
  let high = errors + population - reviewed;
  if (!withinRisk(accept(high), risk)) return high;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (!withinRisk(accept(middle), risk)) low = middle;
    else high = middle;
  }
  return low;
}
