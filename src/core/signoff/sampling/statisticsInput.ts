/**
 * Checks of the numbers the sign-off statistics take, with one typed error the UI and the CLI turn
 * into their own words (the CLI names its option, the UI its field).
 *
 * Messages say which quantity and what is allowed, never the value given (the numbers here are
 * plan parameters, but counts may come from a review and the rule is kept everywhere).
 */

/** Which input was wrong; the CLI maps each to its option, the UI to its field. */
export type StatisticsField =
  | 'targetErrorRate'
  | 'confidence'
  | 'acceptanceNumber'
  | 'population'
  | 'sampleSize'
  | 'trueRate'
  | 'reviewed'
  | 'errors'
  | 'counts';

/** What each field is called in messages. */
const STATISTICS_FIELD_NAMES: Record<StatisticsField, string> = {
  targetErrorRate: 'the target error rate p',
  confidence: 'the confidence C',
  acceptanceNumber: 'the acceptance number c',
  population: 'the population N',
  sampleSize: 'the sample size n',
  trueRate: 'the true error rate q',
  reviewed: 'the number of reviewed records',
  errors: 'the number of errors',
  counts: 'the review counts',
};

/** A statistics input outside its valid range; `expected` says the range in words. */
export class StatisticsInputError extends Error {
  override readonly name = 'StatisticsInputError';
  constructor(
    readonly field: StatisticsField,
    /** the valid range, e.g. "a number strictly between 0 and 1" */
    readonly expected: string,
  ) {
    super(`${STATISTICS_FIELD_NAMES[field]} must be ${expected}`);
  }
}

/** The range of a rate or a confidence, in words (the CLI repeats it). */
const OPEN_UNIT_INTERVAL = 'a number strictly between 0 and 1 (e.g. 0.02 for 2 %)';
const CLOSED_UNIT_INTERVAL = 'a number from 0 to 1';
const COUNT = 'a whole number ≥ 0';

/** Checks 0 < value < 1 (a target rate or a confidence: 0 and 1 make every plan meaningless). */
export function requireOpenUnit(field: StatisticsField, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value < 1))
    throw new StatisticsInputError(field, OPEN_UNIT_INTERVAL);
}

/** Checks 0 ≤ value ≤ 1 (a true rate on the operating-characteristic curve may be 0 or 1). */
export function requireClosedUnit(field: StatisticsField, value: number): void {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1))
    throw new StatisticsInputError(field, CLOSED_UNIT_INTERVAL);
}

/** Checks a count: a safe integer ≥ 0. */
export function requireCount(field: StatisticsField, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) throw new StatisticsInputError(field, COUNT);
}

/** Checks a count that may not exceed `limit` (named in the message by `limitName`). */
export function requireCountAtMost(
  field: StatisticsField,
  value: number,
  limit: number,
  limitName: string,
): void {
  requireCount(field, value);
  if (value > limit) throw new StatisticsInputError(field, `a whole number from 0 to ${limitName}`);
}

/**
 * A probability within this relative distance of the risk 1 − C counts as equal to it. 1 − C and
 * the probabilities are computed in floating point, so an exact tie (P = 1/10 at C = 90 %: 1 − 0.9
 * is 0.09999999999999998) must not turn on the last bit; the exact rational tests pin this.
 */
const RISK_RELATIVE_TOLERANCE = 1e-12;

/** P ≤ risk, with {@link RISK_RELATIVE_TOLERANCE}: whether a plan meets its confidence. */
export function withinRisk(probability: number, risk: number): boolean {
  return probability <= risk * (1 + RISK_RELATIVE_TOLERANCE);
}
