/**
 * The team server (`preflight serve`): what the CLI and the tests may use. Everything else in
 * this folder is internal to it. The server may import src/core, src/formats and src/storage;
 * the app never imports the server.
 */

export {
  ACTION_WORDS,
  ACTIONS,
  actionsOf,
  MAX_PROJECT_NAME,
  mayDo,
  type ProjectAction,
  ROLE_ACTIONS,
  ROLES,
  type Role,
} from '../core/teamApi/index.ts';
export {
  CSRF_HEADER,
  createServer,
  LOG_LEVELS,
  LOGIN_ATTEMPTS_PER_MINUTE,
  type LogLevel,
  PUBLIC_API_ROUTES,
  type ServerLogOptions,
  type ServerOptions,
} from './app.ts';
export {
  type AuditActor,
  appendAudit,
  auditEntryHash,
  firstBrokenAuditEntry,
  readAudit,
  type ServerAuditEntry,
  type ServerAuditKind,
} from './auditLog.ts';
export {
  BACKUP_WAIT_MS,
  type BackupTakenBy,
  backupDataFolder,
  logKeyInside,
  type RestoreSummary,
  restoreDataFolder,
} from './backup.ts';
export {
  BODY_LIMIT_BYTES,
  CONNECTION_LIMITS,
  type ConnectionLimits,
  MAX_JSON_DEPTH,
  parseBoundedJson,
} from './bounds.ts';
export { builtWorkerScripts, WORKER_SCRIPTS_FILE } from './builtApp.ts';
export {
  type Database,
  embeddedDatabaseOver,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type Queryable,
  type Row,
} from './database.ts';
export {
  checkSchemaReady,
  type DatabaseRole,
  databaseRoleOf,
  grantRuntimeRole,
  RUNTIME_PRIVILEGES,
  SchemaNotReadyError,
  TableOwnerError,
} from './databaseRoles.ts';
export { DATA_LOCK_FILE, DataLockedError, type DataLockHolder, lockDataFolder } from './dataLock.ts';
export {
  createIdentityClient,
  type IdentityClient,
  type IdentityConfig,
  type SignedInClaims,
} from './identity.ts';
export { appliedVersions, MIGRATIONS, type Migration, migrate, SchemaTooNewError } from './migrations.ts';
export { MAX_MEMBERS, type Member, NOT_FOUND, type ProjectSummary } from './projects.ts';
export {
  applyRelink,
  planRelink,
  RELINK_MATCHES,
  type RelinkMatch,
  type RelinkMove,
  type RelinkPlan,
  type RelinkRequest,
  type RelinkSkip,
} from './relink.ts';
export { AUDIT_AHEAD_BOUND, AUDIT_AHEAD_BOUND_MS, type ClockHosts, clocksPastBound } from './serverClock.ts';
export { SESSION_COOKIE, SESSION_IDLE_MS } from './sessions.ts';
export {
  closeWithin,
  openStorage,
  type RunningServer,
  STOP_GRACE_MS,
  type StartOptions,
  type Storage,
  startServer,
} from './start.ts';
export { type LogSigner, rotateLogKey } from './transparencyLog.ts';
