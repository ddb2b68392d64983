/**
 * The team server's API as both ends read it: one contract per route (method, path, and the
 * schemas of its params, query, body and answer) and the one role × action table. The server
 * registers and validates its routes from these; the browser's requests are typed from them.
 * Only this file is the module's surface.
 */

export {
  ACTION_WORDS,
  ACTIONS,
  actionsOf,
  isRole,
  KEY_CONFIRMERS,
  mayDo,
  type ProjectAction,
  ROLE_ACTIONS,
  ROLES,
  type Role,
  rolesThatMay,
} from '../teamRoles/index.ts';
export { Id, MAX_ID, MAX_PROJECT_ID, ProjectParams } from './common.ts';
export { projectEventsRoute } from './events.ts';
export {
  createInvitationRoute,
  type Invitation,
  InvitationSchema,
  listInvitationsRoute,
  MAX_INVITATION_DAYS,
  MAX_INVITATION_LABEL,
  type NewInvitation,
  NewInvitationSchema,
  redeemInvitationRoute,
  revokeInvitationRoute,
} from './invitations.ts';
export { logConsistencyRoute, logHeadRoute, logInclusionRoute, logKeyRoute } from './log.ts';
export {
  addMemberRoute,
  changeMemberRoute,
  createProjectRoute,
  EndDateSchema,
  listProjectsRoute,
  MAX_IDENTIFIER,
  MAX_PROJECT_NAME,
  type OpenProject,
  OpenProjectSchema,
  openProjectRoute,
  type ProjectMember,
  ProjectMemberSchema,
  type ProjectSummary,
  ProjectSummarySchema,
  projectAuditRoute,
  RoleSchema,
  removeMemberRoute,
  renameProjectRoute,
} from './projects.ts';
export {
  type AssignedPass,
  AssignedPassSchema,
  type AssignedRecord,
  AssignedRecordSchema,
  assignedRecordsRoute,
  assignReviewRoute,
  closeAdjudicationRoute,
  listReviewsRoute,
  MAX_DECISIONS_PER_POST,
  MAX_RECORDS_PER_POST,
  MAX_REVIEW_RECORDS,
  openRecordRoute,
  type PacketDecisionNote,
  type PostedReview,
  postDecisionsRoute,
  postPacketDecisionsRoute,
  type RecordAssignment,
  RecordAssignmentSchema,
  readDecisionsRoute,
  type ServerDecision,
  ServerDecisionSchema,
  type ServerReviewSummary,
  ServerReviewSummarySchema,
  sendPlanRoute,
  sendRecordsRoute,
} from './reviews.ts';
export {
  type AnswerOf,
  type BodyOf,
  defineRoute,
  type ParamsOf,
  pathOf,
  type QueryOf,
  type RefusalOf,
  type RequestOf,
  type RouteContract,
  type RouteMethod,
} from './route.ts';
export { sampleResultRoute, sampleResultsRoute } from './sampleResults.ts';
export {
  healthRoute,
  meRoute,
  SESSION_FORMAT,
  sessionRoute,
  signOutRoute,
  type TeamUser,
  TeamUserSchema,
} from './session.ts';
export { pullRecordsRoute, readRecordRoute, writeRecordRoute } from './sharedRecords.ts';
export {
  listVersionsRoute,
  listWorkflowsRoute,
  MAX_CHANGES_PER_PUSH,
  MAX_OPS_PER_PUSH,
  MAX_VERSION_NAME,
  nameVersionRoute,
  openWorkflowRoute,
  pullChangesRoute,
  pushChangesRoute,
  readVersionRoute,
  restoreVersionRoute,
  type SharedVersion,
  SharedVersionSchema,
  type SharedWorkflowSummary,
  SharedWorkflowSummarySchema,
  shareWorkflowRoute,
} from './sharedWorkflows.ts';
export {
  anchorRoute,
  confirmKeyRoute,
  MAX_ANCHOR_HASHES,
  MAX_SIGNING_IDLE_MINUTES,
  MIN_SIGNING_IDLE_MINUTES,
  type ProjectSigningKeys,
  ProjectSigningKeysSchema,
  reviewSignaturesRoute,
  revokeKeyRoute,
  type SigningKey,
  SigningKeySchema,
  SigningKeyStatusSchema,
  signingKeysRoute,
  signingSettingsRoute,
  steeringDecisionsRoute,
} from './signing.ts';
