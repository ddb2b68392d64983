/**
 * The verdict of a sample sign-off (docs/product.md#sign-off), per stratum and overall, from the review's
 * counts. The review UI feeds {@link StratumTally} counts in as decisions are made; nothing here
 * sees a record.
 *
 * Rules:
 * - A record marked "cannot assess" counts as an error (at both the major and the minor rate)
 *   until it is adjudicated: an unassessable record must not help a stratum pass.
 * - A record still awaiting adjudication (the two passes disagree, or "cannot assess") counts at
 *   its worst plausible outcome in every figure, bounds included (dualReview.ts says how). The
 *   verdict says how many of its errors are such records, and the observed rate if the adjudicator
 *   rules each of them free of that defect, so a screen can say the figures are at worst until
 *   adjudicated (docs/decisions/0053-open-disagreements-count-at-worst.md).
 * - Under dual review a record only one of the two reviewers has decided is not reviewed: it is in
 *   no figure, and the verdict says how many records wait for their first and for their second pass
 *   (docs/decisions/0075-one-pass-is-not-a-review.md).
 * - One critical defect (wrong patient, allergy, medication or dose) fails its stratum and the
 *   gate, whatever the numbers.
 * - A stratum passes when its upper confidence bound at C is below the target p (and, when the
 *   plan sets one, its minor-defect bound below the minor rate). For a stratum of known size N
 *   the bound is the exact hypergeometric one (records drawn without replacement), which is the
 *   same decision the plan's sample size was computed for; the binomial Clopper–Pearson bound is
 *   reported beside it, and is the bound used when N is not known.
 * - Overall: the population-weighted error rate, bounded by Bonferroni over the k strata: each
 *   stratum's bound at 1 − (1 − C)/k, weighted by N. This holds at confidence C whatever the
 *   strata's dependence, but is conservative (wider than the true bound, more so as k grows), so
 *   it can exceed p while every stratum passes. The gate is the per-stratum verdict, each stratum
 *   having been sized for it; the overall bound is reported, with {@link BONFERRONI_NOTE}.
 */
import { clopperPearsonUpper, defectivesAtRate, hypergeometricUpperDefectives } from './statistics.ts';
import { requireCount, requireOpenUnit, StatisticsInputError } from './statisticsInput.ts';

/** The counts of one stratum's review. Each reviewed record is counted in at most one of `critical`, `major`, `cannotAssess`. */
export interface StratumTally {
  stratumId: string;
  /** N, the records in the stratum; absent when unknown (the bound is then binomial) */
  population?: number;
  /** records with a decision */
  reviewed: number;
  /** reviewed records with at least one critical defect */
  critical: number;
  /** reviewed records with a major defect and no critical one */
  major: number;
  /** reviewed records marked cannot assess and not yet adjudicated */
  cannotAssess: number;
  /** assessed records with at least one minor defect (they may also have major or critical ones) */
  minor: number;
  /** reviewed records still waiting for an adjudicator (already counted above at their worst); default 0 */
  awaitingAdjudication?: number;
  /** of those, the records counted as errors at the major rate (critical, major or cannot assess); default 0 */
  awaitingErrors?: number;
  /** of those, the records counted critical (either pass found a critical defect); default 0 */
  awaitingCritical?: number;
  /**
   * records counted as errors at the minor rate; default minor + cannot assess. More when a record
   * awaiting adjudication is counted major at worst while its other pass could not assess it.
   */
  minorErrors?: number;
  /** of `minorErrors`, the records awaiting adjudication; default 0 */
  awaitingMinorErrors?: number;
  /**
   * dual review: drawn records only the second reviewer has decided (waiting for the first pass).
   * Not reviewed: in no count above. Default 0.
   */
  awaitingFirstReview?: number;
  /** dual review: drawn records only the first reviewer has decided (waiting for the second pass); default 0 */
  awaitingSecondReview?: number;
}

/** The targets a verdict is judged against (from the plan). */
export interface VerdictCriteria {
  /** p */
  targetErrorRate: number;
  /** C */
  confidence: number;
  /** the looser rate for minor defects; absent: minor defects are counted but not judged */
  minorTargetErrorRate?: number;
}

/** Which bound a verdict used. */
type BoundMethod = 'hypergeometric' | 'clopper-pearson';

/** Why a stratum (or the overall bound) does not pass. */
export type FailureReason = 'critical-defect' | 'bound-above-target' | 'minor-bound-above-target';

/** One rate judged against its target. */
export interface RateVerdict {
  /** records counted as errors at this rate */
  errors: number;
  /** errors / reviewed; null when nothing was reviewed */
  observedRate: number | null;
  /** of `errors`, records awaiting adjudication, counted at their worst until an adjudicator decides */
  awaitingErrors: number;
  /**
   * (errors − awaitingErrors) / reviewed: the rate if the adjudicator rules every record awaiting
   * adjudication free of this defect (equal to `observedRate` when none awaits); null when nothing
   * was reviewed
   */
  observedRateIfCleared: number | null;
  /** the upper confidence bound on the rate, at the verdict's confidence */
  upperBound: number;
  /** the exact finite-population bound in records (D), for a stratum of known N; else null */
  upperBoundDefectives: number | null;
  boundMethod: BoundMethod;
  /** the binomial one-sided Clopper–Pearson bound, always given (the product's stated statistic) */
  clopperPearsonUpper: number;
  target: number;
  pass: boolean;
}

/** The verdict of one stratum. */
export interface StratumVerdict {
  stratumId: string;
  population: number | null;
  reviewed: number;
  critical: number;
  cannotAssess: number;
  /** reviewed records waiting for an adjudicator (dualReview.ts): counted at their worst decision */
  awaitingAdjudication: number;
  /** of `major.errors`, the records awaiting adjudication (counted at worst) */
  awaitingErrors: number;
  /** of `critical`, the records awaiting adjudication (one pass found a critical defect) */
  awaitingCritical: number;
  /** dual review: records only the second reviewer decided, not counted as reviewed until the first does */
  awaitingFirstReview: number;
  /** dual review: records only the first reviewer decided, not counted as reviewed until the second does */
  awaitingSecondReview: number;
  /** the confidence the bounds are at */
  confidence: number;
  /** critical + major + cannot assess, judged against p */
  major: RateVerdict;
  /** minor + cannot assess, judged against the minor rate (null when the plan sets none) */
  minor: RateVerdict | null;
  pass: boolean;
  /** empty when it passes */
  reasons: FailureReason[];
}

function checkTally(tally: StratumTally): void {
  for (const field of ['reviewed', 'critical', 'major', 'cannotAssess', 'minor'] as const) {
    if (!(Number.isSafeInteger(tally[field]) && tally[field] >= 0)) {
      throw new StatisticsInputError(
        'counts',
        `whole numbers ≥ 0 (${field} is not, in stratum ${tally.stratumId})`,
      );
    }
  }
  if (tally.population !== undefined) {
    requireCount('population', tally.population);
    if (tally.reviewed > tally.population) {
      throw new StatisticsInputError('counts', `at most N reviewed records (stratum ${tally.stratumId})`);
    }
  }
  if (tally.critical + tally.major + tally.cannotAssess > tally.reviewed) {
    throw new StatisticsInputError(
      'counts',
      `such that critical + major + cannot assess ≤ reviewed (stratum ${tally.stratumId})`,
    );
  }
  const awaiting = tally.awaitingAdjudication ?? 0;
  if (!(Number.isSafeInteger(awaiting) && awaiting >= 0 && awaiting <= tally.reviewed)) {
    throw new StatisticsInputError(
      'counts',
      `such that records awaiting adjudication are whole, ≥ 0 and ≤ reviewed (stratum ${tally.stratumId})`,
    );
  }
  if (tally.minor + tally.cannotAssess > tally.reviewed) {
    throw new StatisticsInputError(
      'counts',
      `such that minor + cannot assess ≤ reviewed (stratum ${tally.stratumId})`,
    );
  }
  const within = (field: string, value: number | undefined, low: number, high: number) => {
    if (value === undefined) return;
    if (!(Number.isSafeInteger(value) && value >= low && value <= high))
      throw new StatisticsInputError('counts', `such that ${field} (stratum ${tally.stratumId})`);
  };
  const errors = tally.critical + tally.major + tally.cannotAssess;
  within(
    'errors awaiting adjudication ≤ both the records awaiting it and the errors',
    tally.awaitingErrors,
    0,
    Math.min(awaiting, errors),
  );
  within(
    'critical records awaiting adjudication ≤ both the errors awaiting it and the critical records',
    tally.awaitingCritical,
    0,
    Math.min(tally.awaitingErrors ?? 0, tally.critical),
  );
  const minorErrors = tally.minorErrors ?? tally.minor + tally.cannotAssess;
  within(
    'minor-rate errors lie between minor + cannot assess and reviewed',
    tally.minorErrors,
    tally.minor + tally.cannotAssess,
    tally.reviewed,
  );
  within(
    'records awaiting their first review are a whole number ≥ 0',
    tally.awaitingFirstReview,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  within(
    'records awaiting their second review are a whole number ≥ 0',
    tally.awaitingSecondReview,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  within(
    'minor-rate errors awaiting adjudication ≤ both the records awaiting it and the minor-rate errors',
    tally.awaitingMinorErrors,
    0,
    Math.min(awaiting, minorErrors),
  );
}

/**
 * One rate judged: with N, the exact bound D_U (the most defective records compatible with the
 * sample) and a pass when D_U < ⌈target·N⌉, i.e. the stratum is shown to be below the target; without
 * N, the Clopper–Pearson bound and a pass when it is ≤ the target (the plan's own acceptance rule).
 */
function judgeRate(
  errors: number,
  awaitingErrors: number,
  reviewed: number,
  population: number | undefined,
  target: number,
  confidence: number,
): RateVerdict {
  const observedRate = reviewed === 0 ? null : errors / reviewed;
  const figures = {
    errors,
    observedRate,
    awaitingErrors,
    observedRateIfCleared: reviewed === 0 ? null : (errors - awaitingErrors) / reviewed,
  };
  const cp = clopperPearsonUpper(errors, reviewed, confidence);
  if (population === undefined) {
    return {
      ...figures,
      upperBound: cp,
      upperBoundDefectives: null,
      boundMethod: 'clopper-pearson',
      clopperPearsonUpper: cp,
      target,
      pass: cp <= target,
    };
  }
  if (population === 0) {
    // nothing to review, nothing that can be wrong
    return {
      ...figures,
      upperBound: 0,
      upperBoundDefectives: 0,
      boundMethod: 'hypergeometric',
      clopperPearsonUpper: cp,
      target,
      pass: true,
    };
  }
  const upperDefectives = hypergeometricUpperDefectives(errors, reviewed, population, confidence);
  return {
    ...figures,
    upperBound: upperDefectives / population,
    upperBoundDefectives: upperDefectives,
    boundMethod: 'hypergeometric',
    clopperPearsonUpper: cp,
    target,
    pass: upperDefectives < defectivesAtRate(target, population),
  };
}

function checkCriteria(criteria: VerdictCriteria): void {
  requireOpenUnit('targetErrorRate', criteria.targetErrorRate);
  requireOpenUnit('confidence', criteria.confidence);
  if (criteria.minorTargetErrorRate !== undefined)
    requireOpenUnit('targetErrorRate', criteria.minorTargetErrorRate);
}

/**
 * The verdict of one stratum at confidence `criteria.confidence`.
 *
 * @throws {StatisticsInputError} counts that are not whole numbers ≥ 0 or do not add up, or
 *   targets outside (0, 1).
 */
export function stratumVerdict(tally: StratumTally, criteria: VerdictCriteria): StratumVerdict {
  checkCriteria(criteria);
  checkTally(tally);
  const { confidence } = criteria;
  const majorErrors = tally.critical + tally.major + tally.cannotAssess;
  const major = judgeRate(
    majorErrors,
    tally.awaitingErrors ?? 0,
    tally.reviewed,
    tally.population,
    criteria.targetErrorRate,
    confidence,
  );
  const minor =
    criteria.minorTargetErrorRate === undefined
      ? null
      : judgeRate(
          tally.minorErrors ?? tally.minor + tally.cannotAssess,
          tally.awaitingMinorErrors ?? 0,
          tally.reviewed,
          tally.population,
          criteria.minorTargetErrorRate,
          confidence,
        );
  const reasons: FailureReason[] = [];
  if (tally.critical > 0) reasons.push('critical-defect');
  if (!major.pass) reasons.push('bound-above-target');
  if (minor && !minor.pass) reasons.push('minor-bound-above-target');
  return {
    stratumId: tally.stratumId,
    population: tally.population ?? null,
    reviewed: tally.reviewed,
    critical: tally.critical,
    cannotAssess: tally.cannotAssess,
    awaitingAdjudication: tally.awaitingAdjudication ?? 0,
    awaitingErrors: tally.awaitingErrors ?? 0,
    awaitingCritical: tally.awaitingCritical ?? 0,
    awaitingFirstReview: tally.awaitingFirstReview ?? 0,
    awaitingSecondReview: tally.awaitingSecondReview ?? 0,
    confidence,
    major,
    minor,
    pass: reasons.length === 0,
    reasons,
  };
}

/** What the UI says beside the overall bound. */
export const BONFERRONI_NOTE =
  'The overall bound uses a Bonferroni correction over the strata (each stratum bounded at 1 − (1 − C)/k): it holds at confidence C but is conservative — wider than necessary, more so with more strata — so it can lie above the target even when every stratum passes.';

/**
 * What the verdict says while records await adjudication: how many, and that every figure counts
 * them at their worst until an adjudicator decides (the screen, the report, the FHIR Bundle and readiness say these words).
 */
export function awaitingAtWorstText(
  verdict: Pick<OverallVerdict, 'awaitingAdjudication' | 'awaitingErrors' | 'awaitingCritical'>,
): string {
  const n = verdict.awaitingAdjudication;
  const errors = verdict.awaitingErrors;
  const critical = verdict.awaitingCritical;
  return [
    `${n.toLocaleString('en-US')} ${n === 1 ? 'record is' : 'records are'} not yet adjudicated (the two reviewers disagree, or a reviewer could not assess the record).`,
    'Until an adjudicator decides, each counts at its worst: the worse of the reviewers’ decisions, critical if either found a critical defect.',
    errors > 0
      ? `${errors.toLocaleString('en-US')} of the errors ${errors === 1 ? 'is such a record' : 'are such records'}${critical > 0 ? `, ${critical.toLocaleString('en-US')} of them critical` : ''}; the rates and bounds include ${errors === 1 ? 'it' : 'them'}.`
      : 'None of them is counted as an error: the reviewers differ only in minor findings.',
  ].join(' ');
}

/**
 * How many records, under dual review, are decided by one of the two reviewers only, saying each
 * figure once: "4 records await the second reviewer" when one pass is awaited, else the total and
 * its parts, "3 records are decided by one of the two reviewers only (2 await the second reviewer,
 * 1 awaits the first)". `more`: after a count of records awaiting an adjudicator ("4 more records").
 * The verdict, the sign panel, the printed report's standing, readiness and the FHIR Bundle's
 * VerificationResult say it this way.
 */
export function awaitingOnePassText(
  counts: Pick<OverallVerdict, 'awaitingFirstReview' | 'awaitingSecondReview'>,
  more = false,
): string {
  const first = counts.awaitingFirstReview;
  const second = counts.awaitingSecondReview;
  const n = first + second;
  const records = `${n.toLocaleString('en-US')} ${more ? 'more ' : ''}${n === 1 ? 'record' : 'records'}`;
  if (first === 0 || second === 0)
    return `${records} ${n === 1 ? 'awaits' : 'await'} the ${first === 0 ? 'second' : 'first'} reviewer`;
  return `${records} are decided by one of the two reviewers only (${awaitingPassesText(counts)})`;
}

/** Why a record one reviewer decided is left out of the verdict (the printed report's note). */
export const ONE_PASS_RULE =
  'A record decided by one of the two reviewers only counts once both have decided it: until then it is not counted as reviewed, and the rates and bounds leave it out.';

/**
 * What the verdict on screen says while, under dual review, records are decided by one of the two
 * reviewers only: how many wait for which pass ({@link awaitingOnePassText}), and that none of them
 * is counted as reviewed until both have decided it. Which way a pass went is never said: the other
 * reviewer must not learn it before deciding.
 */
export function awaitingOtherReviewText(
  verdict: Pick<OverallVerdict, 'awaitingFirstReview' | 'awaitingSecondReview'>,
): string {
  const first = verdict.awaitingFirstReview;
  const second = verdict.awaitingSecondReview;
  const n = first + second;
  const decidedBy =
    first === 0 || second === 0
      ? `: only the ${first === 0 ? 'first' : 'second'} has decided ${n === 1 ? 'it' : 'them'}`
      : '';
  return [
    `${awaitingOnePassText(verdict)}${decidedBy}.`,
    `A record counts once both reviewers have decided it: until then ${n === 1 ? 'it is' : 'they are'} not counted as reviewed, and the rates and bounds leave ${n === 1 ? 'it' : 'them'} out.`,
  ].join(' ');
}

/** Which pass the records decided by one reviewer only wait for: "2 await the second reviewer, 1 awaits the first". */
export function awaitingPassesText(
  counts: Pick<OverallVerdict, 'awaitingFirstReview' | 'awaitingSecondReview'>,
): string {
  const waits = (k: number, pass: string) =>
    `${k.toLocaleString('en-US')} ${k === 1 ? 'awaits' : 'await'} the ${pass}`;
  const second = counts.awaitingSecondReview;
  const first = counts.awaitingFirstReview;
  if (first === 0) return waits(second, 'second reviewer');
  if (second === 0) return waits(first, 'first reviewer');
  return `${waits(second, 'second reviewer')}, ${waits(first, 'first')}`;
}

/** The overall verdict: every stratum's, and the population-weighted rate with its Bonferroni bound. */
export interface OverallVerdict {
  /** each stratum judged at C */
  strata: StratumVerdict[];
  /** Σ N */
  population: number;
  reviewed: number;
  /** records counted as errors at the major rate, over all strata */
  errors: number;
  critical: number;
  /** records waiting for an adjudicator, over all strata */
  awaitingAdjudication: number;
  /** of `errors`, the records awaiting adjudication (counted at worst until an adjudicator decides) */
  awaitingErrors: number;
  /** of `critical`, the records awaiting adjudication (one pass found a critical defect) */
  awaitingCritical: number;
  /** dual review: records waiting for their first pass (only the second reviewer decided), over all strata */
  awaitingFirstReview: number;
  /** dual review: records waiting for their second pass (only the first reviewer decided), over all strata */
  awaitingSecondReview: number;
  /** the weighted rate if every record awaiting adjudication is ruled free of error; null as `weightedRate` */
  weightedRateIfCleared: number | null;
  /** Σ (N_h/N)·(x_h/n_h); null when a stratum with records has none reviewed */
  weightedRate: number | null;
  /** k, the strata with records */
  strataCount: number;
  /** 1 − (1 − C)/k: the confidence each stratum's bound is taken at for the overall bound */
  bonferroniConfidence: number;
  /** Σ (N_h/N)·U_h with U_h at the Bonferroni confidence: the overall bound at C */
  upperBound: number;
  /** no critical defect and the overall bound below the target (informational: conservative) */
  boundPass: boolean;
  /** the gate: every stratum passes (which includes: no critical defect anywhere) */
  pass: boolean;
  /** why the gate fails: every reason of every failing stratum, once each; empty when it passes */
  reasons: FailureReason[];
  note: string;
}

/**
 * The verdict of the whole sample: each stratum at C, and the population-weighted error rate with
 * its Bonferroni upper bound (see the file comment for why the gate is the per-stratum verdict).
 * Every stratum needs its population N (the weights).
 *
 * @throws {StatisticsInputError} a stratum without N, or any input {@link stratumVerdict} refuses.
 */
export function overallVerdict(tallies: readonly StratumTally[], criteria: VerdictCriteria): OverallVerdict {
  checkCriteria(criteria);
  const populations = tallies.map((t) => {
    if (t.population === undefined) {
      throw new StatisticsInputError(
        'population',
        `given for every stratum (stratum ${t.stratumId} has none)`,
      );
    }
    return t.population;
  });
  const strata = tallies.map((t) => stratumVerdict(t, criteria));
  const population = populations.reduce((sum, n) => sum + n, 0);
  const withRecords = tallies.filter((t) => (t.population ?? 0) > 0);
  const k = Math.max(1, withRecords.length);
  const bonferroniConfidence = 1 - (1 - criteria.confidence) / k;
  let upperDefectives = 0;
  let weightedRate: number | null = 0;
  let weightedRateIfCleared: number | null = 0;
  for (const t of withRecords) {
    const n = t.population ?? 0;
    const errors = t.critical + t.major + t.cannotAssess;
    upperDefectives += hypergeometricUpperDefectives(errors, t.reviewed, n, bonferroniConfidence);
    weightedRate =
      t.reviewed === 0 || weightedRate === null
        ? null
        : weightedRate + (n / population) * (errors / t.reviewed);
    weightedRateIfCleared =
      t.reviewed === 0 || weightedRateIfCleared === null
        ? null
        : weightedRateIfCleared + (n / population) * ((errors - (t.awaitingErrors ?? 0)) / t.reviewed);
  }
  const critical = strata.reduce((sum, s) => sum + s.critical, 0);
  // Σ D_U,h is a bound on the defective records of the whole population: it passes when it stays
  // below ⌈p·ΣN⌉, the same rule as one stratum's
  const boundBelow =
    population === 0 || upperDefectives < defectivesAtRate(criteria.targetErrorRate, population);
  const reasons = [...new Set(strata.flatMap((s) => s.reasons))];
  return {
    strata,
    population,
    reviewed: strata.reduce((sum, s) => sum + s.reviewed, 0),
    errors: strata.reduce((sum, s) => sum + s.major.errors, 0),
    critical,
    awaitingAdjudication: strata.reduce((sum, s) => sum + s.awaitingAdjudication, 0),
    awaitingErrors: strata.reduce((sum, s) => sum + s.awaitingErrors, 0),
    awaitingCritical: strata.reduce((sum, s) => sum + s.awaitingCritical, 0),
    awaitingFirstReview: strata.reduce((sum, s) => sum + s.awaitingFirstReview, 0),
    awaitingSecondReview: strata.reduce((sum, s) => sum + s.awaitingSecondReview, 0),
    weightedRate: population === 0 ? null : weightedRate,
    weightedRateIfCleared: population === 0 ? null : weightedRateIfCleared,
    strataCount: withRecords.length,
    bonferroniConfidence,
    upperBound: population === 0 ? 0 : upperDefectives / population,
    boundPass: critical === 0 && boundBelow,
    pass: strata.every((s) => s.pass),
    reasons,
    note: BONFERRONI_NOTE,
  };
}
