/**
 * The clinician review (docs/conventions.md#module-surfaces): what a reviewer is shown for a drawn
 * record, the decisions and their rules, dual review and adjudication, agreement and error
 * breakdowns. Builds on `sampling/` only. Outside `src/core/signoff`, import the review only through
 * this file.
 */
export { formatAgreement, reviewerAgreement } from './agreement.ts';
export { type AlignedRow, type AlignedTarget, alignShown, type FieldClass } from './alignment.ts';
export { decisionIdentifierProblem, type IdentifyingValue, identifyingValues } from './commentIdentifiers.ts';
export {
  createDecisionOutbox,
  type DecisionOutbox,
  type OutboxState,
  type OutboxStorage,
  type PostOutcome,
  type RefusedItem,
  type RenewingParams,
  renewingSender,
  type SendOutcome,
} from './decisionOutbox.ts';
export { decisionProblem, decisionToChange } from './decisionRules.ts';
export {
  adjudicationQueue,
  adjudicationShownHash,
  finalTallies,
  type RecordStatus,
  recordCounts,
  recordStatuses,
  stageOf,
  visibleDecisions,
} from './dualReview.ts';
export { type BreakdownCount, type ErrorBreakdown, errorBreakdowns } from './errorBreakdown.ts';
export { flaggedReasons } from './flaggedReasons.ts';
export { readCsvRows } from './readRecords.ts';
export { formatRecordedTime } from './recordedTime.ts';
export {
  filterList,
  type ListedRecord,
  type ListedState,
  listCounts,
  nextUnreviewed,
  nextWhere,
  recordList,
} from './recordList.ts';
export {
  addDecision,
  decisionRefusal,
  drawnSampleOf,
  newReview,
  ReviewChangeError,
  recordId,
  type ShownRecord,
  shownHash,
} from './review.ts';
export { type RecordView, viewOfShown, viewRecord } from './shown.ts';
