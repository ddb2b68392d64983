/**
 * The team server's API as both ends read it: one contract per route (method, path, and the
 * schemas of its params, query, body and answer) and the one role × action table. The server
 * registers and validates its routes from these; the browser's requests are typed from them.
 * Only this file is the module's surface.
 */

export { AUDIT_KIND_LABELS, AUDIT_KINDS, type AuditKind, auditKindLabel } from '../../formats/auditKinds.ts';
export {
  ACTION_WORDS,
  ACTIONS,
  actionsOf,
  KEY_CONFIRMERS,
  mayDo,
  type ProjectAction,
  ROLE_ACTIONS,
  ROLE_LABELS,
  ROLES,
  type Role,
  rolesThatMay,
} from '../teamRoles/index.ts';
export { PATTERN_WORDS } from './common.ts';
export { projectEventsRoute } from './events.ts';
export {
  createInvitationRoute,
  type Invitation,
  listInvitationsRoute,
  type NewInvitation,
  redeemInvitationRoute,
  revokeInvitationRoute,
} from './invitations.ts';
export {
  logConsistencyRoute,
  logHeadRoute,
  logInclusionRoute,
  logKeyRoute,
  logWitnessesRoute,
  reportWitnessRoute,
} from './log.ts';
export {
  type AuditFilter,
  addMemberRoute,
  changeMemberRoute,
  createProjectRoute,
  type FilteredAudit,
  listProjectsRoute,
  MAX_PROJECT_NAME,
  matchesAuditFilter,
  type OpenProject,
  openProjectRoute,
  type ProjectMember,
  type ProjectSummary,
  projectAuditRoute,
  removeMemberRoute,
  renameProjectRoute,
} from './projects.ts';
export {
  type AssignedPass,
  type AssignedRecord,
  assignedRecordsRoute,
  assignReviewRoute,
  closeAdjudicationRoute,
  listReviewsRoute,
  MAX_REVIEW_RECORDS,
  openRecordRoute,
  type PacketDecisionNote,
  type PostedReview,
  postDecisionsRoute,
  postPacketDecisionsRoute,
  type RecordAssignment,
  readDecisionsRoute,
  type ServerDecision,
  type ServerReviewSummary,
  sendPlanRoute,
  sendRecordsRoute,
} from './reviews.ts';
export {
  type AnswerOf,
  type BodyOf,
  type EventOf,
  type ParamsOf,
  pathOf,
  type QueryOf,
  type RefusalOf,
  type RequestOf,
  type RouteContract,
} from './route.ts';
export { sampleResultRoute, sampleResultsRoute } from './sampleResults.ts';
export {
  healthRoute,
  meRoute,
  SESSION_FORMAT,
  sessionRoute,
  signOutRoute,
  type TeamUser,
  WRITE_REFUSAL_CODES,
  type WriteRefusalCode,
} from './session.ts';
export { pullRecordsRoute, readRecordRoute, writeRecordRoute } from './sharedRecords.ts';
export {
  listVersionsRoute,
  listWorkflowsRoute,
  MAX_CHANGES_PER_PUSH,
  MAX_OPS_PER_PUSH,
  nameVersionRoute,
  openWorkflowRoute,
  pullChangesRoute,
  pushChangesRoute,
  readVersionRoute,
  restoreVersionRoute,
  type SharedVersion,
  type SharedWorkflowSummary,
  shareWorkflowRoute,
} from './sharedWorkflows.ts';
export {
  anchorRoute,
  confirmKeyRoute,
  MAX_ANCHOR_HASHES,
  type ProjectSigningKeys,
  recordExportRoute,
  registerKeyRoute,
  registrationOptionsRoute,
  reviewSignaturesRoute,
  revokeKeyRoute,
  type SigningCeremony,
  type SigningKey,
  signatureOptionsRoute,
  signingKeysRoute,
  signingSettingsRoute,
  signRoute,
  signSteeringRoute,
  steeringDecisionsRoute,
  steeringOptionsRoute,
} from './signing.ts';
