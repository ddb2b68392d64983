/**
 * A shared project's records on the team server (docs/decisions: shared project records): the
 * kinds and their formats, the never-sent guard, and the sync the app runs. The server imports
 * the kinds and the guard from here, so both ends check a record the same way.
 */

export {
  CHANGE_ID_HEADER,
  CHANGE_ID_PATTERN,
  changeKindOfRoute,
  isChangeId,
  parseTeamChange,
  TEAM_CHANGE_KINDS,
  type TeamChange,
  type TeamChangeKind,
} from './changeEvents.ts';
export {
  KIND_RULES,
  type LocalRecord,
  localRecords,
  type ReportSummary,
  recordSha256,
  reportSummaryOf,
  SHARED_RECORD_KINDS,
  type SharedRecordKind,
} from './kinds.ts';
export { recordContentProblem } from './neverSent.ts';
export {
  compareLatest,
  datedAfterReceipt,
  type HistoryRun,
  type ReceivedSummary,
  type RehearsalCheck,
  type RehearsalGap,
  receivedSummary,
  rehearsalHistory,
  runOfSummary,
  type SharedRunSummary,
  sharedRunSummaries,
  type UnreadableSummary,
  unreadableRunSummaries,
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
