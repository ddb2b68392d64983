/**
 * Starting and stopping the team server as one unit: open the database, bring its schema up to
 * date, listen, and on stop finish the requests in flight before closing the database.
 */
import type { FastifyInstance } from 'fastify';
import { createServer, type ServerOptions } from './app.ts';
import { answerBackupRequests } from './backup.ts';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from './database.ts';
import { checkSchemaReady, databaseRoleOf, TableOwnerError } from './databaseRoles.ts';
import { type DataLock, type DataLockHolder, lockDataFolder } from './dataLock.ts';
import { createIdentityClient, type IdentityConfig } from './identity.ts';
import { anchorBesideKey, anchorInData } from './logAnchor.ts';
import { migrate } from './migrations.ts';

/** Where the server keeps its records. */
export type Storage =
  | { kind: 'embedded'; dir: string }
  /**
   * in memory, gone at stop; `image`: starts as a copy of that embedded database (a gzipped tar
   * PGlite's `dumpDataDir` wrote) rather than an empty one — tests open one migrated image many times
   */
  | { kind: 'memory'; image?: Blob }
  | { kind: 'postgres'; url: string };

/** Options of {@link startServer}. */
export interface StartOptions extends Omit<ServerOptions, 'db' | 'identity'> {
  /** the clinic's identity provider; absent: nobody can sign in */
  identity?: IdentityConfig;
  storage: Storage;
  /** the address to listen on; default loopback */
  host?: string;
  /** 0 picks a free port */
  port: number;
  /** how long a stop waits for requests in flight; default {@link STOP_GRACE_MS} */
  stopGraceMs?: number;
  /**
   * a PostgreSQL role that owns the tables (so could disable the audit log's append-only
   * trigger): `refuse` throws {@link TableOwnerError} before migrating, `warn` starts and says so
   * in the log and `/api/health`, `allow` (default: tests and demos) says nothing
   */
  tableOwner?: 'refuse' | 'warn' | 'allow';
}

/** How long a stop lets requests in flight finish before it closes their connections. */
export const STOP_GRACE_MS = 10_000;

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` as bound (the real port when 0 was asked for) */
  url: string;
  db: Database;
  app: FastifyInstance;
  /** migrations applied at this start */
  migrated: number[];
  /** a stale `--data` lock (its process dead) this start took over */
  tookOverLock?: DataLockHolder;
  /**
   * stops accepting, lets requests in flight finish for up to the grace period (then closes
   * their connections), closes the database
   */
  stop(): Promise<StopOutcome>;
  /** closes every connection now and stops (a second Ctrl-C) */
  stopNow(): Promise<StopOutcome>;
}

/** How a stop ended. */
export interface StopOutcome {
  /** requests were still running when the grace period ended (or at once) and their connections were cut */
  cutShort: boolean;
}

/**
 * Where the latest signed heads are anchored outside the database: as told, else beside the log
 * key file, else in the embedded database's folder; none for PostgreSQL with the key inside it
 * or an in-memory database.
 */
function anchorFileOf(options: StartOptions): string | undefined {
  if (options.logAnchorFile !== undefined) return options.logAnchorFile;
  if (options.logKeyFile !== undefined) return anchorBesideKey(options.logKeyFile);
  return options.storage.kind === 'embedded' ? anchorInData(options.storage.dir) : undefined;
}

/** Opens the storage `storage` names. */
export async function openStorage(storage: Storage): Promise<Database> {
  if (storage.kind === 'postgres') return openPostgresDatabase(storage.url);
  if (storage.kind === 'memory') return openEmbeddedDatabase(undefined, storage.image);
  return openEmbeddedDatabase(storage.dir);
}

/**
 * Opens the database, migrates it and listens. An embedded database folder is locked first
 * (dataLock.ts): a second server on it is refused with a `DataLockedError`.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const lock: DataLock | undefined =
    options.storage.kind === 'embedded' ? lockDataFolder(options.storage.dir) : undefined;
  let db: Database;
  try {
    db = await openStorage(options.storage);
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    const { migrated, warnings } = await prepareSchema(db, options.tableOwner ?? 'allow');
    const identity = options.identity === undefined ? undefined : createIdentityClient(options.identity);
    const logAnchorFile = anchorFileOf(options);
    const app = await createServer({
      ...options,
      identity,
      db,
      warnings,
      ...(logAnchorFile === undefined ? {} : { logAnchorFile }),
    });
    if (migrated.length > 0) app.log.info({ migrations: migrated }, 'database migrated');
    if (logAnchorFile === undefined && options.storage.kind === 'postgres')
      app.log.warn(
        "the server's latest signed heads are kept in the database only: its owner could delete them and re-chain the log unseen by the server. Give --log-key <file>: the heads are then anchored beside it",
      );
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port });
    // only the lock's holder may copy the folder: `preflight serve backup` asks it
    const backups =
      options.storage.kind === 'embedded'
        ? answerBackupRequests(options.storage.dir, db, (outcome) =>
            outcome.ok
              ? app.log.info({ backup: outcome.output }, 'backup written')
              : app.log.error({ backup: outcome.output, reason: outcome.reason }, 'backup failed'),
          )
        : undefined;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host ?? '127.0.0.1';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    let stopping: Promise<StopOutcome> | undefined;
    let cutNow = false;
    const stop = () => {
      stopping ??= closeWithin(app, options.stopGraceMs ?? STOP_GRACE_MS)
        .then((cutShort) => ({ cutShort: cutShort || cutNow }))
        .finally(() => backups?.stop())
        .finally(() => db.close())
        .finally(() => lock?.release());
      return stopping;
    };
    return {
      url,
      db,
      app,
      migrated,
      tookOverLock: lock?.tookOver,
      stop,
      stopNow: () => {
        const stopped = stop();
        cutNow = true;
        app.server.closeAllConnections();
        return stopped;
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}

/**
 * Brings the schema up to date, or on PostgreSQL as a role that does not own the tables (the
 * owner migrates with `preflight serve migrate`), checks that it is. The embedded database has
 * one user, who owns everything: nothing to check there.
 */
async function prepareSchema(
  db: Database,
  tableOwner: 'refuse' | 'warn' | 'allow',
): Promise<{ migrated: number[]; warnings: string[] }> {
  if (db.engine !== 'postgres') return { migrated: await migrate(db), warnings: [] };
  const role = await databaseRoleOf(db);
  if (role.ownsTables === undefined) {
    await checkSchemaReady(db, role.name);
    return { migrated: [], warnings: [] };
  }
  const problem = `${role.ownsTables}, so it could disable the audit log's append-only trigger and rewrite entries: migrate as the owner with "preflight serve migrate --grant-to <role>" and start the server as that other role (docs/deployment.md)`;
  if (tableOwner === 'refuse') throw new TableOwnerError(`the database role ${problem}`);
  return {
    migrated: await migrate(db),
    warnings: tableOwner === 'warn' ? [`database-role-owns-tables: ${problem}`] : [],
  };
}

/**
 * Closes `app`: no new connections, idle ones closed at once, requests in flight given `graceMs`
 * to finish; then their connections are closed, so a slow or stalled client cannot hold a stop.
 * Resolves to whether the grace period ran out (connections were cut) or everything finished.
 */
export async function closeWithin(app: FastifyInstance, graceMs: number): Promise<boolean> {
  let cutShort = false;
  const timer = setTimeout(() => {
    cutShort = true;
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return cutShort;
}
