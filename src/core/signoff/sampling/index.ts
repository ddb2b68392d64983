/**
 * Sampling for the clinician sign-off (docs/conventions.md#module-surfaces): the plan's statistics,
 * its strata and lock, drawing the sample from CSV files, and the verdict from the review's
 * decisions. The bottom part of `src/core/signoff`: it imports no other part. Outside
 * `src/core/signoff`, import sampling only through this file.
 */
export { type DrawPlanOptions, drawBytesToRead, drawPlanSample, type StrataContract } from './drawPlan.ts';
export { isLocked, lockPlan, newSeed, planHash, supersedePlan } from './planLock.ts';
export { reviewCounts } from './reviewCounts.ts';
export {
  applyRiskStrata,
  evidenceStratumNoun,
  type LastStratumResult,
  lastResultsOf,
  planEvidence,
  type RiskStratumSuggestion,
  resizedStrata,
  riskLines,
  riskStrataUnavailable,
  suggestRiskStrata,
} from './riskStrata.ts';
export {
  type CsvInput,
  fileStratumId,
  MissingColumnError,
  planSizes,
  type SampleDocument,
  STRATIFY_BY_VALIDATION,
  sampleDocument,
  stratificationOf,
  UnreadableCsvError,
  UnsupportedStratificationError,
} from './sampleCsv.ts';
export { CENSUS, drawSample, type SampleInput } from './sampling.ts';
export {
  DEFAULT_ACCEPTANCE_NUMBER,
  formatPercent,
  formatProbability,
  type OcPoint,
  operatingCharacteristicCurve,
  planSampleSizes,
  type SampleSizeResult,
  sampleSize,
} from './statistics.ts';
export { type StatisticsField, StatisticsInputError } from './statisticsInput.ts';
export { OutcomeRowsMismatchError, ValidationStrataError } from './validationStrata.ts';
export {
  awaitingAtWorstText,
  awaitingOnePassText,
  awaitingOtherReviewText,
  awaitingPassesText,
  BONFERRONI_NOTE,
  type FailureReason,
  type OverallVerdict,
  overallVerdict,
  type StratumVerdict,
} from './verdict.ts';
