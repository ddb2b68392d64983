/**
 * The CSV validation engine's surface (`src/core/validation/`): one streaming pass per file
 * (`validateCsv`) and the ordering of a run's files (`validateInputs`), with what they produce and
 * what reads it back: issue tallies and failing-row offsets, key sets and their spill, the report
 * and its exports, row filters and finding rows, rehearsals compared and accepted issues (waivers). Workers, the CLI and the page import it through
 * this file only; the files behind it are internal (lint refuses a deep import, see
 * docs/conventions.md#module-surfaces).
 */

export {
  buildReport,
  contractExtras,
  crossFileErrors,
  type MappedInput,
  mappedTarget,
  type ReportedInput,
  reportProfile,
  withDigests,
} from './buildReport.ts';
export {
  type Binding,
  type BoundFile,
  bindByHeader,
  boundLayout,
  checkSetsOf,
  chosenDemographicsOf,
  columnContracts,
  DEMOGRAPHIC_COLUMNS,
  demographicsOf,
  fileStem,
  headerReadable,
  keyOf,
  linksOf,
  MAX_DEMOGRAPHICS,
  proposedKey,
  proposedLinks,
  type SavedMappingSpec,
  savedLayout,
  savedMappingOf,
  savedMappingSpec,
  targetSchemaDoc,
  withCheckSets,
} from './checkSets.ts';
export {
  boundByChoice,
  type ChosenFile,
  type ChosenInput,
  type ChosenRun,
  chosenRun,
  headerCheck,
  headerUndecided,
  type ListedFile,
  listedFile,
  planChosen,
  type SniffedFile,
} from './chosenRun.ts';
export {
  createColumnProfiler,
  describeMixedDates,
  MAX_TRACKED_VALUES,
  type ProfileState,
  valueKind,
} from './columnProfile.ts';
export type {
  CompiledContract,
  ContractCompileResult,
  ContractProblemPlace,
} from './contractCompile.ts';
export { compileContract } from './contractCompile.ts';
export { type ContractFileProblem, contractCompileProblem, contractProblemText } from './contractProblems.ts';
export { headerSource } from './csvSource.ts';
export {
  createReadTally,
  createRunProgress,
  type ExecutedRun,
  type ExecuteRunOptions,
  executeRun,
  type FailingRowIndex,
  failingRowIndex,
  type ReadTally,
  type RunProgress,
  type RunProgressFile,
  receivedReferences,
  type SentReference,
  sendableReferences,
  stepAfterReading,
  withMappingKey,
} from './executeRun.ts';
export type {
  FailingRowsExportOptions,
  FailingRowsFormat,
  FailingRowsInput,
} from './failingRowsExport.ts';
export { FAILING_ROWS_COLUMNS, failingRowBatches } from './failingRowsExport.ts';
export { describeFhirRun, FHIR_LAYER_TITLES } from './fhirRunOptions.ts';
export type { FoundRows, RowQuery } from './findRows.ts';
export { findRows, readKeys } from './findRows.ts';
export { checkHeaders, type HeaderMismatch, headerLines } from './headerChecks.ts';
export {
  CLI_CONTROLS,
  csvLimitProblem,
  emptyInputProblem,
  type InputProblemWords,
  inputProblemOf,
  inputProblemText,
  mappingCompileProblem,
  notFhirTargetProblem,
  notTextProblem,
  PAGE_CONTROLS,
  type ProblemControls,
  textDecodeProblem,
  unknownColumnProblem,
} from './inputProblems.ts';
export type { IssueRowGroup, IssueRowsState } from './issueRows.ts';
export { createIssueRows, groupHas, groupPositions } from './issueRows.ts';
export type { RowSetWatch } from './issueTally.ts';
export { firstHoldingList } from './issueTally.ts';
export type { ColumnWords, IssueWordsSource } from './issueWords.ts';
export {
  contractColumnWords,
  exampleRow,
  exampleTrace,
  formatIssueCount,
  issueExpected,
  issueExtent,
  issueInput,
  issuePattern,
  issueSentence,
  issueTimes,
  issueWhat,
  issueWhere,
  recordShare,
  tracedSentence,
} from './issueWords.ts';
export type { KeySetState } from './keySet.ts';
export { createKeySet, keyHashes, keySetFromState, MAX_DUPLICATE_GROUPS } from './keySet.ts';
export type { KeySpill, KeySpillStore } from './keySpill.ts';
export { checkSpilledKeys, createSpillingKeySet, SPILL_BLOCK_RECORDS } from './keySpill.ts';
export { createPreparedCache, MAX_PREPARED, type PreparedCache } from './preparedCache.ts';
export { topValuesNote, topValuesPartial } from './profileWords.ts';
export { readHead } from './readHead.ts';
export { refusedInputMessage, refusedInputResult, stoppedAtOf, stoppedAtWords } from './refusedInput.ts';
export {
  previousReportOf,
  type RehearsalFile,
  type RehearsalInputs,
  rehearsalText,
  runFails,
  waiversOfText,
  withProjectWaivers,
  withRehearsal,
  withRehearsalText,
} from './rehearsalRun.ts';
export {
  ACROSS_RECORD_RULES,
  type ComparableRun,
  comparedIssues,
  compareReports,
  compareRuns,
  comparisonKey,
  comparisonMessage,
  isComparable,
  previousRehearsal,
  type RehearsalRun,
  type RunInput,
  type RunProblem,
  rehearsalKey,
  rehearsalsOf,
  runErrors,
  runOfReport,
  runProblems,
} from './rehearsals.ts';
export {
  escapeHtml,
  neutraliseCsvCell,
  redactReport,
  reportCsv,
  reportHtml,
  restoreCsvCell,
} from './reportExports.ts';
export type { InputVerdict, RunJudgement, WaiverLine } from './reportSummary.ts';
export {
  acceptedMark,
  inputVerdicts,
  judgeRun,
  type NotCheckedLines,
  notCheckedLines,
  reportWaivers,
  runOutcome,
  topProblems,
  waiverText,
} from './reportSummary.ts';
export { type RunVerdict, runVerdict, summaryText } from './reportText.ts';
export { cutMarker, MAX_REPORT_VALUE_CHARS, reportValue } from './reportValue.ts';
export { resultBuffers } from './resultBuffers.ts';
export type { RowChecker, RowCheckFactory, RowIssue } from './rowCheck.ts';
export { MappingCompileError } from './rowCheck.ts';
export type { RowFilter } from './rowFilters.ts';
export { errorGroups, rowFilters, unionPositions } from './rowFilters.ts';
export type { EngineRule } from './rules/index.ts';
export { ENGINE_RULES } from './rules/index.ts';
export type { FileBinding, PlannedFile, PlannedKey, PlanRequest, RunContract, RunPlan } from './runPlan.ts';
export {
  bindFiles,
  chooseDemographics,
  contractToSave,
  foreignKeyLinks,
  jobsOf,
  namesOf,
  PlanUsageError,
  pairContracts,
  pairMappings,
  parseKeys,
  parseReferences,
  planRun,
  reportedInputs,
  savedContract,
  tableSchemaContract,
  UnmatchedFilesError,
} from './runPlan.ts';
export {
  type PlanProject,
  type PlanValues,
  type PreparedRun,
  planBindingLines,
  planFromValues,
  prepareRun,
  type RunReportOptions,
  refuseRepeatedFiles,
  runReport,
  withRunExtras,
} from './runSteps.ts';
export { RUN_STOP_ERRORS, runStopMessage } from './runStops.ts';
export { finishSqlRun, type SqlRunFinish } from './sqlFailingRows.ts';
export {
  refuseUnrunnableOnSql,
  runSqlChecks,
  type SqlCheckResult,
  type SqlConflict,
  type SqlCsvLayout,
  type SqlDuplicate,
  type SqlFailingPart,
  type SqlInputLayout,
  type SqlOrphans,
  type SqlReject,
  SqlRunError,
  type SqlRunResult,
  type SqlTables,
  tableOf,
} from './sqlRun.ts';
export {
  type FailingRecordsLayout,
  failingRecordsHeader,
  quoteName,
  type SqlExecutor,
  type SqlRow,
  type SqlValues,
  sharedSqlTables,
  sqlCount,
  sqlText,
} from './sqlTables.ts';
/** Test-only: validation runs of mapped sample extracts, for tests in other modules. */
export { demoRows, runMappedCore } from './testing/mappedRuns.ts';
export type {
  CsvSource,
  CsvValidationResult,
  FailingRows,
  FullRowValidator,
  KeySpec,
  ValidateCsvOptions,
} from './validateCsv.ts';
export {
  DEFAULT_VALIDATE_CHUNK_BYTES,
  EmptyInputError,
  FullValidationRequiredError,
  RECORD_MAX_READ_BYTES,
  readRecordAt,
  UnknownColumnError,
  validateCsv,
  WHOLE_ROW,
} from './validateCsv.ts';
export type { InputJob, InputRunner, ReferenceLink } from './validateInputs.ts';
export {
  detectLayout,
  KEY_SPILL_MIN_BYTES,
  ReferenceCycleError,
  UnknownInputError,
  validateInputs,
} from './validateInputs.ts';
export {
  type RowWaiverOf,
  rowAcceptance,
  rowWaivers,
  type WaivedPositions,
  type WaivedRowsInput,
  waivedPositions,
} from './waivedRows.ts';
export {
  ITEM_STEP,
  type LoadWaiversTextOptions,
  SCAN_STEP_CHARS,
  type WaiversTextResult,
} from './waiverFile.ts';
export {
  indexWaivers,
  type NamedProblem,
  namesUrl,
  type WaiverIndex,
  waiverNames,
  waiversIndexed,
} from './waiverIndex.ts';
export {
  APPLY_STEP,
  type ApplyInStepsOptions,
  acceptedErrors,
  acceptingWaiver,
  acceptsDerived,
  applyWaivers,
  applyWaiversInSteps,
  type CountedWithin,
  countedWithin,
  describeWaiver,
  describeWaivers,
  errorOccurrences,
  failingErrors,
  fhirRowSetWaivers,
  localDay,
  rowSetWatches,
  validWithWaivers,
  waiverExpired,
  waiverFiles,
  waiverHoldsInput,
  waiverHoldsRow,
} from './waivers.ts';
