/**
 * The CSV validation engine's surface (`src/core/validation/`): one streaming pass per file
 * (`validateCsv`), the ordering of a run's files (`validateInputs`) and a whole run's steps in
 * order, the one entry of the CLI and the page (`validationRun`), with what they produce and
 * what reads it back: issue tallies and failing-row offsets, key sets and their spill, the report
 * and its exports, row filters and finding rows, rehearsals compared and accepted issues (waivers). Workers, the CLI and the page import it through
 * this file only; the files behind it are internal (lint refuses a deep import, see
 * docs/conventions.md#module-surfaces).
 */

export { aggregateProfiles, aggregateScan } from './aggregateScan.ts';
export { buildReport, type MappedInput, mappedTarget, withDigests } from './buildReport.ts';
export {
  bindByHeader,
  checkSetsOf,
  chosenDemographicsOf,
  demographicsOf,
  fileStem,
  headerReadable,
  linksOf,
  MAX_DEMOGRAPHICS,
  proposedKey,
  proposedLinks,
  type SavedMappingSpec,
  savedLayout,
  savedMappingSpec,
  targetSchemaDoc,
} from './checkSets.ts';
export {
  boundByChoice,
  type ChosenInput,
  chosenRun,
  headerCheck,
  headerUndecided,
  type ListedFile,
  listedFile,
  planChosen,
} from './chosenRun.ts';
export { createColumnProfiler, describeMixedDates, summarizeProfile, valueKind } from './columnProfile.ts';
export type { CompiledContract, ContractProblemPlace } from './contractCompile.ts';
export { compileContract } from './contractCompile.ts';
export { type ContractFileProblem, contractCompileProblem, contractProblemText } from './contractProblems.ts';
export { headerSource } from './csvSource.ts';
export { type RowPlace, withDatasetRows } from './datasetRows.ts';
export { DECIMAL_SNIFF_ROWS, type DecimalMark, detectDecimalComma } from './decimalMark.ts';
export {
  createReadTally,
  createRunProgress,
  executeRun,
  type FailingRowIndex,
  failingRowIndex,
  type RunProgress,
  receivedReferences,
  type SentReference,
  sendableReferences,
  stepAfterReading,
  withMappingKey,
} from './executeRun.ts';
export type { FailingRowsFormat, FailingRowsInput } from './failingRowsExport.ts';
export { FAILING_ROWS_COLUMNS, failingRowBatches } from './failingRowsExport.ts';
export { describeFhirRun, FHIR_LAYER_TITLES } from './fhirRunOptions.ts';
export type { FoundRows, RowQuery } from './findRows.ts';
export { findRows, readKeys } from './findRows.ts';
export { checkHeaders, type HeaderMismatch, headerLines } from './headerChecks.ts';
export {
  CLI_CONTROLS,
  type InputProblemWords,
  inputProblemOf,
  inputProblemText,
  mappingCompileProblem,
  notFhirTargetProblem,
  notTextProblem,
  PAGE_CONTROLS,
} from './inputProblems.ts';
export type { IssueRowGroup } from './issueRows.ts';
export { createIssueRows, groupHas, groupPositions } from './issueRows.ts';
export type { RowSetWatch } from './issueTally.ts';
export { firstHoldingList } from './issueTally.ts';
export {
  exampleTrace,
  issueInput,
  issuePattern,
  issueTimes,
  issueWhat,
  issueWhere,
  recordShare,
  tracedSentence,
} from './issueWords.ts';
export { createKeySet, keyHashes, MAX_DUPLICATE_GROUPS } from './keySet.ts';
export type { KeySpill, KeySpillStore } from './keySpill.ts';
export {
  checkSpilledKeys,
  createSpillingKeySet,
  KEY_SPILL_MEMORY_BYTES,
  SPILL_BLOCK_RECORDS,
} from './keySpill.ts';
export { withNotRead } from './notRead.ts';
export { inputLayoutWords, notReadWords } from './notReadWords.ts';
export { createPreparedCache, type PreparedCache } from './preparedCache.ts';
export { topValuesNote } from './profileWords.ts';
export { readHead } from './readHead.ts';
export { refusedInputMessage, refusedInputResult, stoppedAtWords } from './refusedInput.ts';
export {
  previousReportOf,
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
  compareReports,
  compareRuns,
  comparisonMessage,
  isComparable,
  previousRehearsal,
  type RehearsalRun,
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
export { inputVerdicts, judgeRun, notCheckedLines, runOutcome } from './reportSummary.ts';
export { runVerdict, summaryText } from './reportText.ts';
export { reportValue } from './reportValue.ts';
export { resultBuffers } from './resultBuffers.ts';
export type { RowChecker, RowCheckFactory, RowIssue } from './rowCheck.ts';
export { MappingCompileError } from './rowCheck.ts';
export type { RowFilter } from './rowFilters.ts';
export { errorGroups, rowFilters, unionPositions } from './rowFilters.ts';
export { ENGINE_RULES } from './rules/index.ts';
export type { RunContract, RunPlan } from './runPlan.ts';
export {
  chooseDemographics,
  contractToSave,
  PlanUsageError,
  pairMappings,
  tableSchemaContract,
  UnmatchedFilesError,
} from './runPlan.ts';
export {
  type PlanProject,
  planBindingLines,
  planFromValues,
  prepareRun,
  refuseRepeatedFiles,
} from './runSteps.ts';
export { RUN_STOP_ERRORS, runStopMessage } from './runStops.ts';
export { type SqlExportInput, writeSqlFailingRows } from './sqlFailingExport.ts';
export { finishSqlRun } from './sqlFailingRows.ts';
export {
  refuseUnrunnableOnSql,
  runSqlChecks,
  type SqlBlankLines,
  type SqlInputLayout,
  SqlRunError,
  type SqlRunResult,
  type SqlScan,
  type SqlTables,
} from './sqlRun.ts';
export {
  failingRecordsHeader,
  groupedKeys,
  quoteName,
  type SqlRow,
  type SqlValues,
  sharedSqlTables,
  sqlCount,
} from './sqlTables.ts';
/** Test-only: validation runs of mapped sample extracts, for tests in other modules. */
export { demoRows, runMappedCore } from './testing/mappedRuns.ts';
export type {
  CsvSource,
  CsvValidationResult,
  FullRowValidator,
  KeySpec,
  SplitRecords,
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
} from './validateCsv.ts';
export type { InputJob, InputRunner, ReferenceLink } from './validateInputs.ts';
export { detectLayout, KEY_SPILL_MIN_BYTES, validateInputs } from './validateInputs.ts';
export {
  type MappedReport,
  type PreparedInputs,
  VALIDATION_STEPS,
  type ValidationRunResult,
  type ValidationRunSteps,
  type ValidationStep,
  validationRun,
} from './validationRun.ts';
export { rowAcceptance, type WaivedPositions, waivedPositions } from './waivedRows.ts';
export { indexWaivers, namesUrl, waiversIndexed } from './waiverIndex.ts';
export {
  APPLY_STEP,
  acceptedErrors,
  acceptingWaiver,
  acceptsDerived,
  applyWaivers,
  applyWaiversInSteps,
  countedWithin,
  describeWaiver,
  describeWaivers,
  failingErrors,
  fhirRowSetWaivers,
  localDay,
  rowSetWatches,
  validWithWaivers,
  waiverExpired,
  waiverFiles,
  waiverHoldsInput,
} from './waivers.ts';
export { type WarehouseExecutor, warehouseSqlTables } from './warehouseTables.ts';
