/**
 * Event logs (docs/conventions.md#module-surfaces): reading CSV, XES and gzipped logs, discovering
 * a workflow, conformance and back-tests against a design, process maps. Outside
 * `src/core/workflow`, import event logs only through this file.
 */
export {
  type BackTest,
  type BackTestOptions,
  backTest,
  DEFAULT_BACK_TEST_SEED,
  type StepBackTestStatus,
} from './backTest.ts';
export {
  applyBoundaryChances,
  type BoundaryChanceEstimate,
  boundaryChanceEdit,
  estimateBoundaryChances,
} from './boundaryChances.ts';
export {
  BEFORE_START,
  type ConformanceResult,
  type ConformOptions,
  conform,
  DEFAULT_MIN_FITNESS,
  DEFAULT_SLOWER_TOLERANCE,
  isSlowerThanDesigned,
  MAX_ALIGNED_CASE_EVENTS,
  matchActivities,
  readingTexts,
  slowerToleranceText,
  UnknownStepError,
  UnrunnableWorkflowError,
} from './conform.ts';
export { type LogInput, readCsvLog, readCsvLogText } from './csvLog.ts';
export { type DiscoverOptions, directlyFollows, discoverWorkflow } from './discover.ts';
export {
  createEventLogBuilder,
  describeLeftOut,
  describeProblem,
  EVENT_KIND,
  type EventLog,
  type LogEventInput,
  type LogProblem,
  type LogProblemCode,
  MAX_ATTRIBUTE_VALUES,
  ProblemList,
  UNTIMED_WORDS,
} from './eventLog.ts';
export {
  type AttributeFilter,
  FILTER_ATTRIBUTES,
  type FilterAttribute,
  type FilterSummary,
  type LogFilters,
} from './filters.ts';
export { frequencyWords } from './frequencyWords.ts';
export { GzipLogError, gunzipLog, inMemoryLog, isGzipped, isXesName } from './gzipLog.ts';
export { type LogColumnChoice, scanLogColumns } from './logColumns.ts';
export { keptLogMap, type LogFileIdentity, logMapOf } from './logMap.ts';
export {
  caseColumnCheckedOnWholeLog,
  chooseColumns,
  chooseColumnsOnWholeLog,
  describeCaseColumn,
  describeXesCases,
  type LogPreview,
  PREVIEW_BYTES,
  type PreviewColumn,
  previewLog,
  previewOcel,
} from './logPreview.ts';
export {
  flattenOcel,
  OCEL_ACTIVITY,
  OCEL_KIND_WORDS,
  OCEL_SAME_INSTANT_RULE,
  OCEL_SNIFF_BYTES,
  OCEL_TIME,
  OcelError,
  type OcelKind,
  type OcelLog,
  type OcelReadLogResult,
  OcelRefusedError,
  type OcelSummary,
  type OcelTypeSummary,
  sniffOcel,
  summarizeOcel,
  UnknownObjectTypeError,
} from './ocel.ts';
export { readOcel, readOcelLog, sniffOcelInput } from './ocelLog.ts';
export { type OcelTables, ocelTablesOf, readOcelTables, type SqlQuery } from './ocelSqlite.ts';
export {
  activitiesKept,
  buildProcessMap,
  keepPaths,
  MAP_END,
  MAP_START,
  type MapActivity,
  type MapEdge,
  type ProcessMap,
} from './processMap.ts';
export {
  BadMappingError,
  type ColumnMapping,
  isUntimed,
  MissingLogColumnError,
  type ReadLogOptions,
  type ReadLogResult,
  type TimestampReport,
} from './readEvents.ts';
export { roundMinutes } from './statistics.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { hugeCaseShape, logShapes, receiptShape, sepsisShape } from './testing/logShapes.ts';
export { playQueuedLog, QUEUED_CLINIC, queuedCsv } from './testing/playQueued.ts';
export { type Deviations, playedCsv, playWorkflow } from './testing/playWorkflow.ts';
export {
  createLocalClock,
  createTimeZone,
  TIMESTAMP_FORMATS,
  type TimestampFormat,
  UnknownTimeZoneError,
} from './timestamps.ts';
export { backTestFreshness, workflowBackTestOf } from './workflowBackTest.ts';
export { checkFreshness, unfitLogReason, workflowCheckOf } from './workflowCheck.ts';
export { createWorkingTime, type OpeningHours } from './workingTime.ts';
export { readXesLog, readXesLogText, XesError } from './xesLog.ts';
