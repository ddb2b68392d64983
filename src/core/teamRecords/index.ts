/**
 * A shared project's records on the team server (docs/decisions: shared project records): the
 * kinds and their formats, the never-sent guard, and the sync the app runs. The server imports
 * the kinds and the guard from here, so both ends check a record the same way.
 */

export {
  changeKindOfRoute,
  isTeamChangeKind,
  PROJECT_ROUTE_PREFIX,
  parseTeamChange,
  TEAM_CHANGE_KINDS,
  type TeamChange,
  type TeamChangeKind,
} from './changeEvents.ts';
export {
  isSharedRecordKind,
  KIND_RULES,
  type LocalRecord,
  localRecords,
  MAX_SUMMARY_PROBLEMS,
  READINESS_RECORD_KEYS,
  type ReportSummary,
  type ReportSummaryInput,
  type ReportSummaryProblem,
  recordSha256,
  reportSummaryOf,
  SHARED_RECORD_KINDS,
  type SharedRecordKind,
} from './kinds.ts';
export { RECORD_CONTENT_FIELDS, recordContentProblem } from './neverSent.ts';
export {
  compareLatest,
  type HistoryRun,
  type LatestComparison,
  type RehearsalCheck,
  type RehearsalGap,
  rehearsalHistory,
  runOfSummary,
  type SharedRunSummary,
  sharedRunSummaries,
} from './sharedRehearsals.ts';
export {
  type AppliedRecord,
  emptySyncState,
  fetchShared,
  type PendingWrite,
  type PulledRecords,
  type PutAnswer,
  pullIntoNewProject,
  pullShared,
  pushQueued,
  putRecords,
  queueLocalChanges,
  type RecordConflict,
  RecordRefusal,
  type RecordSyncState,
  type RecordTransport,
  type RefusedWrite,
  recordKey,
  type SharedRecord,
  settleConflict,
  takeShared,
} from './sync.ts';
export { recordOverwriteAction, recordWriteAction } from './writers.ts';
