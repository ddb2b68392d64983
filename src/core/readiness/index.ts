/**
 * Readiness: a go/no-go computed from the project's own evidence against the gates the clinic
 * sets. This file is the module's only public surface.
 */
export {
  DEFAULT_READINESS_GATES,
  type FindingsGate,
  PROJECT_READINESS_GATES_KEY,
  type ReadinessGates,
  type ReadinessGatesInput,
  readReadinessGates,
  type SafetyGate,
  withReadinessGates,
} from '../../formats/readinessGates.ts';
export { type AssessOptions, assessReadiness } from './assess.ts';
export {
  type BoardCapacity,
  type BoardDataLeftOut,
  type BoardDataRisk,
  type BoardForecast,
  type BoardIssues,
  type BoardPhase,
  type BoardRehearsal,
  type BoardSignoff,
  boardLines,
  dataLeftOutWords,
  dataRiskPlace,
  dataRiskWords,
  type ExtractProblems,
  failingDataByUse,
  failingDataOfSteps,
  issueDayWords,
  issueLogWords,
  type ReadinessBoard,
  type StepFailingData,
  shareWords,
  stepKey,
} from './board.ts';
export {
  boardBlocks,
  boardPhaseTable,
} from './boardBlocks.ts';
export {
  COMMAND_CENTRE_NOT_RECORDED,
  type CutoverSummary,
  commandCentreLine,
  RUNBOOK_NOT_RECORDED,
  RUNBOOK_STATE_WORDS,
  runbookLine,
  STEP_KIND_WORDS,
  STEP_STATUS_WORDS,
} from './cutover.ts';
export { OWNERS_MISSING } from './discovery.ts';
export {
  auditChainWords,
  deciders,
  decidersLine,
  EVIDENCE_PACK_FORMAT,
  type EvidencePack,
  evidencePack,
  PACK_JUDGED_ON_TEAM,
  type PackArtefact,
  type PackAuditChain,
  type PackMeeting,
  type PackReason,
  type PackSeal,
  type PackTeamEvidence,
  packAuditChain,
  packSeal,
  TEAM_HELD_ARTEFACTS,
} from './evidencePack.ts';
export { FORECAST_CAVEAT, forecastLines, forecastWords } from './forecasts.ts';
export { describeGates, GATE_NAMES } from './gates.ts';
export { SUPPORT_NOT_RECORDED } from './goLive.ts';
export {
  durationWords,
  type GoLiveDay,
  goLiveDay,
  type MeetingAttendance,
  meetingAttendance,
  type QuorumState,
  quorumState,
  type RunbookRow,
  runbookRows,
} from './meetingPack.ts';
export { type PackBlock, packDocument } from './packDocument.ts';
export {
  PATH_RISK,
  type PathToGoAction,
  type PathToGoEffect,
  pathDueWords,
  pathOwnerWords,
  pathPastWords,
  pathToGo,
  pathToGoLines,
} from './pathToGo.ts';
export {
  PARTNER_STATUS_WORDS,
  type PreparationState,
  type PreparationSummary,
} from './preparation.ts';
export { missingEssentials, PROCEDURE_WORDS, ROLLBACK_NOT_RECORDED } from './rollback.ts';
export {
  type AssessedSaferGuide,
  type AssessedSafetyItem,
  EVIDENCE_GRADE_WORDS,
  evidenceGradeOf,
  SAFER_GUIDE_STATE_WORDS,
  SAFER_GUIDES,
  SAFER_LEVEL_WORDS,
  SAFETY_ITEMS,
  SAFETY_STATUS_WORDS,
  saferGuideCounts,
  saferLevelOf,
  safetyGateWords,
} from './safety.ts';
export {
  assessSharedReadiness,
  failingDataOfSharedSteps,
  notSharedYet,
  reportSummariesOf,
  SHARED_EVIDENCE_KINDS,
  type SharedEvidenceKind,
  type SharedLists,
  sharedReadinessProject,
  sharedReportSummaries,
  type TeamEvidence,
  type UnsharedEvidence,
} from './shared.ts';
export {
  addSteeringSignature,
  prepareSteeringSignature,
  readinessResultHash,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  SteeringError,
  type SteeringSignatureCheck,
  type SteeringState,
  steeringDecisionChecks,
  steeringMeaning,
  steeringReauthenticationText,
  steeringSignerRefusal,
  steeringState,
  verifySteeringSignature,
} from './steering.ts';
export { type TeamSample, teamSampleOf } from './teamSample.ts';
export {
  type ActOn,
  PHASE_IDS,
  type PhaseId,
  type PhaseReadiness,
  type PhaseReason,
  type PhaseStatus,
  type ReadinessReason,
  type ReadinessResult,
} from './types.ts';
export {
  type PackProblem,
  type PackTeamRecord,
  type PackVerification,
  verifyEvidencePack,
} from './verifyPack.ts';
export { percent, plural } from './words.ts';
