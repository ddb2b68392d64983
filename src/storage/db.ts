/**
 * The Preflight IndexedDB database: its stores, its version and its connection lifecycle.
 *
 * Version 1 stores:
 * - `projects`  — one `ProjectRecord` (ProjectMeta + document order) per project, keyPath `id`
 * - `documents` — one `DocumentRecord` `{ projectId, kind, id, body }` per project document,
 *                 keyPath `[projectId, kind, id]`, index `byProject` on `projectId`
 * - `meta`      — key-value: `lastProjectId`, `storageFormat` (and `lastRevision` from version 2)
 *
 * Version 2 (same stores and format tag): project records carry a `revision` that every write
 * checks and claims (optimistic concurrency between tabs). Nothing is migrated — a record
 * without one reads as revision 0. The version exists so that a tab still running an older
 * Preflight, which neither checks nor advances revisions and would overwrite newer changes, is
 * closed by `versionchange` and cannot open the database again (`VersionError`) until reloaded.
 *
 * Version 3 (same stores and format tag): every stored report has an `id`. Reports used to be
 * keyed by `generatedAt` when they had none, so two runs finishing in the same millisecond
 * overwrote each other; now a report gets an id when it is added. The upgrade gives
 * each stored report without one the id it is already stored under (its `generatedAt`), so no
 * key, document order or reference changes — the same id an old project file's report gets on
 * import (`assignReportIds` in src/formats/project.ts).
 *
 * Version 4: a new store `audit` (src/storage/auditRecord.ts) for the sign-off audit chain,
 * keyPath `[projectId, seq]`, unique index `byDecision` on `[projectId, reviewId, decisionId]`.
 * It is append-only and no project write ever deletes from it. Nothing is migrated: no decision
 * existed before version 4.
 *
 * Constraints:
 * - Store names, key paths and the `storageFormat` tag are a contract with every browser that
 *   already holds data: change them only with a new version and an upgrade step here.
 * - A connection closes itself on `versionchange` so that another tab's upgrade or wipe is never
 *   stuck behind this one; after that every operation fails as `unavailable` and the UI asks
 *   for a reload.
 * - Works with any `IDBFactory` (tests inject a fresh fake-indexeddb factory per test), but
 *   `idb` needs the IDB* constructors as globals (fake-indexeddb/auto provides them in Node).
 */
import { wrap } from 'idb';
import type { DocumentRecord, PreflightDb, PreflightStoreName, PreflightTransaction } from './dbSchema.ts';
import { STORAGE_ERROR_MESSAGES, StorageError, storageErrorKindOf, toStorageError } from './errors.ts';
import { STORAGE_FORMAT, writeStorageFormat } from './metaRecord.ts';
import { upgradeWatch } from './transactionFailures.ts';

export type { PreflightDb, PreflightStoreName, PreflightTransaction } from './dbSchema.ts';

/** Database name used by the app. */
export const DEFAULT_DB_NAME = 'preflight';
/** Current schema version of the database. */
export const DB_VERSION = 4;

/** Connection lifecycle callbacks. */
interface OpenPreflightDbOptions {
  /** defaults to the global `indexedDB` */
  factory?: IDBFactory;
  /** another tab holds an older version open and this open waits for it */
  onBlocked?: (error: StorageError) => void;
  /**
   * this connection was closed: another tab upgrades or wipes the database (`versionchange`), or
   * the browser closed it abnormally (storage cleared, disk error)
   */
  onClosed?: (error: StorageError) => void;
  /**
   * the browser closed this connection abnormally (disk full or failing, site data cleared) —
   * not another tab. When given, it is called instead of `onClosed` for that case: the database
   * itself may still be there, and a new connection may work once the cause is gone. Called once
   * the browser was asked why (see {@link terminationCause}); the error's message says it.
   */
  onTerminated?: (error: StorageError) => void;
}

/** Message when another tab upgrades or deletes the database under us. */
const CLOSED_BY_OTHER_TAB_MESSAGE =
  'Preflight was updated or its data was wiped in another tab, so this tab stopped saving. Reload this tab ' +
  'to continue; changes made here since are kept in this tab but not saved — export them first if needed.';

/**
 * Message when the browser terminates the connection and its cause is unknown (the database is
 * still listed and the browser's storage still answers).
 */
export const TERMINATED_MESSAGE =
  "The browser closed Preflight's storage unexpectedly: the disk may be full, or this site's data was " +
  'cleared. Nothing already saved was lost, and your latest changes are kept in this tab. Free disk space; ' +
  'Preflight keeps retrying and saves them as soon as it can. Export the project to a file if you are unsure.';

/**
 * Message when the browser terminates the connection and then cannot open its storage at all
 * (Chromium: "Internal error opening backing store"): the disk under the profile is full or failing.
 */
export const DISK_FULL_MESSAGE =
  "The computer's disk is full (or failing), so the browser stopped saving Preflight's data. Nothing " +
  'already saved was lost, and your latest changes are kept in this tab. Free disk space: Preflight keeps ' +
  'retrying and saves them as soon as it can, without a reload. Export the project to a file if you are unsure.';

/** Message when the browser terminates the connection because this site's stored data was removed. */
export const CLEARED_MESSAGE =
  "This site's stored data was cleared in the browser (its settings or a clean-up tool), so projects saved " +
  'before are no longer stored here. The project open in this tab is kept in this tab: export it to a file ' +
  'now to keep a copy.';

/** Why the browser closed a connection on its own, as far as the browser tells. */
export type TerminationCause = 'disk' | 'cleared' | 'unknown';

/**
 * Asks the browser, after it closed the connection to `name` on its own, why: listing the
 * databases fails when it cannot open its storage at all (a full or failing disk), and succeeds
 * without `name` when the site's data was cleared. Never rejects.
 */
async function terminationCause(factory: IDBFactory, name: string): Promise<TerminationCause> {
  if (typeof factory.databases !== 'function') return 'unknown';
  try {
    const listed = await factory.databases();
    return listed.some((database) => database.name === name) ? 'unknown' : 'cleared';
  } catch {
    return 'disk';
  }
}

/**
 * Message when the database cannot be opened and the browser cannot say why (Chromium's
 * "Internal error opening backing store" while its storage still answers): a full disk and
 * damaged browser storage look the same from here, so both are named, with what to do for each.
 */
export const OPEN_FAILED_MESSAGE =
  "Preflight cannot open its stored projects. Usually the computer's disk is full; sometimes the " +
  "browser's stored data for this site is damaged. Nothing is written and no project is replaced meanwhile. " +
  'Free disk space first: Preflight keeps trying and opens your projects as soon as it can, without a ' +
  'reload. If they still do not open, restart the browser; if that does not help, import your last ' +
  'exported project file.';

/**
 * The error for a failed open of `name`: a quota failure stays one; an unexplained failure
 * (`UnknownError`) becomes a quota failure when the browser cannot even list its databases (its
 * storage cannot be opened at all: a full or failing disk, `cause` 'disk'), and otherwise says
 * that the disk may be full or the stored data damaged. Other failures map as `toStorageError`.
 */
export function openFailureError(error: unknown, cause: TerminationCause): StorageError {
  const mapped = toStorageError(error);
  if (mapped.kind !== 'unknown' || error instanceof StorageError) return mapped;
  if (cause === 'disk') return new StorageError('quota', STORAGE_ERROR_MESSAGES.quota, { cause: error });
  return new StorageError('unknown', OPEN_FAILED_MESSAGE, { cause: error });
}

const TERMINATION_MESSAGES: Record<TerminationCause, string> = {
  disk: DISK_FULL_MESSAGE,
  cleared: CLEARED_MESSAGE,
  unknown: TERMINATED_MESSAGE,
};

/** Message while an open is blocked by an older-version connection in another tab. */
const OPEN_BLOCKED_MESSAGE =
  'Another Preflight tab is open with an older version and is blocking the update of the stored data. ' +
  'Close or reload the other Preflight tabs to continue.';

function globalFactory(): IDBFactory {
  if (typeof indexedDB === 'undefined') {
    throw new StorageError('unavailable');
  }
  return indexedDB;
}

/** Resolves the factory to use: the given one, else the global `indexedDB`. */
function resolveFactory(factory?: IDBFactory): IDBFactory {
  return factory ?? globalFactory();
}

function upgrade(
  db: PreflightDb,
  oldVersion: number,
  tx: PreflightTransaction<PreflightStoreName[], 'versionchange'>,
) {
  if (oldVersion < 1) {
    db.createObjectStore('projects', { keyPath: 'id' });
    const documents = db.createObjectStore('documents', { keyPath: ['projectId', 'kind', 'id'] });
    documents.createIndex('byProject', 'projectId');
    db.createObjectStore('meta');
    // a failed write aborts the upgrade, and the open reports that (openPreflightDb)
    writeStorageFormat(tx.objectStore('meta'), STORAGE_FORMAT).catch(() => undefined);
  }
  // oldVersion < 2: project revisions — nothing to rewrite (an absent revision reads as 0)
  if (oldVersion >= 1 && oldVersion < 3) giveStoredReportsIds(tx);
  if (oldVersion < 4) {
    const audit = db.createObjectStore('audit', { keyPath: ['projectId', 'seq'] });
    audit.createIndex('byDecision', ['projectId', 'reviewId', 'decisionId'], { unique: true });
  }
}

/**
 * Version 3: writes the key's id into every stored report body without an `id` (see the header).
 * Runs inside the upgrade transaction, so it lands with the version change or not at all; a
 * failure aborts the upgrade and the open fails (nothing half-migrated is ever read).
 */
function giveStoredReportsIds(tx: PreflightTransaction<PreflightStoreName[], 'versionchange'>): void {
  const run = async () => {
    let cursor = await tx.objectStore('documents').openCursor();
    while (cursor) {
      const record = cursor.value as Partial<DocumentRecord> | undefined;
      const body = record?.body;
      if (
        record?.kind === 'report' &&
        typeof record.id === 'string' &&
        typeof body === 'object' &&
        body !== null &&
        !Array.isArray(body) &&
        (body as { id?: unknown }).id === undefined
      ) {
        await cursor.update({ ...(record as DocumentRecord), body: { ...body, id: record.id } });
      }
      cursor = await cursor.continue();
    }
  };
  run().catch(() => {
    try {
      tx.abort();
    } catch {
      // already finished: the open reports its own error
    }
  });
}

/**
 * Opens (creating or upgrading as needed) the Preflight database.
 *
 * @throws StorageError `unavailable` when IndexedDB is missing or refused (private mode,
 *   a newer version open elsewhere); `quota` when the site's quota or the disk is full (see
 *   {@link openFailureError}); or the mapped kind of any other failure.
 */
export async function openPreflightDb(
  name: string = DEFAULT_DB_NAME,
  options: OpenPreflightDbOptions = {},
): Promise<PreflightDb> {
  let db: PreflightDb;
  let factory: IDBFactory;
  try {
    factory = resolveFactory(options.factory);
  } catch (error) {
    throw toStorageError(error);
  }
  const watch = upgradeWatch();
  try {
    const request = factory.open(name, DB_VERSION);
    request.addEventListener('upgradeneeded', (event) => {
      const raw = request.result;
      const tx = request.transaction;
      if (!tx) return;
      const wrapped = wrap(tx) as unknown as PreflightTransaction<PreflightStoreName[], 'versionchange'>;
      watch.observe(wrapped);
      upgrade(wrap(raw) as unknown as PreflightDb, event.oldVersion, wrapped);
    });
    request.addEventListener('blocked', () => {
      options.onBlocked?.(new StorageError('blocked', OPEN_BLOCKED_MESSAGE));
    });
    db = (await wrap(request)) as unknown as PreflightDb;
  } catch (openError) {
    const error = watch.failure(openError);
    // an unexplained failure: ask the browser whether its storage opens at all (a full disk)
    throw openFailureError(
      error,
      storageErrorKindOf(error) === 'unknown' ? await terminationCause(factory, name) : 'unknown',
    );
  }
  // Another tab wants to upgrade or delete the database: step aside at once, or it waits forever.
  db.addEventListener('versionchange', () => {
    db.close();
    options.onClosed?.(new StorageError('unavailable', CLOSED_BY_OTHER_TAB_MESSAGE));
  });
  // The browser closed the connection abnormally: say why when the browser tells.
  db.addEventListener('close', () => {
    void terminationCause(factory, name).then((cause) => {
      const error = new StorageError('unavailable', TERMINATION_MESSAGES[cause]);
      if (options.onTerminated) options.onTerminated(error);
      else options.onClosed?.(error);
    });
  });
  return db;
}

/** Outcome of deleting the database. */
type DeleteDbOutcome = 'deleted' | 'blocked';

/** How long a blocked delete waits for other tabs before reporting `blocked`. */
export const DELETE_BLOCKED_GRACE_MS = 1_000;

/**
 * Deletes the whole database. Resolves `'deleted'` once it is gone, or `'blocked'` when another
 * connection still holds it after `graceMs`; the browser then completes the delete as soon as
 * that connection closes (the request stays queued), so nothing has to be retried.
 */
export function deletePreflightDb(
  name: string = DEFAULT_DB_NAME,
  factory?: IDBFactory,
  graceMs: number = DELETE_BLOCKED_GRACE_MS,
): Promise<DeleteDbOutcome> {
  return new Promise<DeleteDbOutcome>((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = resolveFactory(factory).deleteDatabase(name);
    } catch (error) {
      reject(toStorageError(error));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    request.addEventListener('success', () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve('deleted');
    });
    request.addEventListener('error', () => {
      if (timer !== undefined) clearTimeout(timer);
      reject(toStorageError(request.error));
    });
    request.addEventListener('blocked', () => {
      if (timer === undefined) timer = setTimeout(() => resolve('blocked'), graceMs);
    });
  });
}
