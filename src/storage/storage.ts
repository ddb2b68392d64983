/**
 * `ProjectStorage`: projects in the browser's IndexedDB (docs/product.md#persistence-and-safety).
 *
 * Constraints:
 * - Every write is ONE `readwrite` transaction with `{ durability: 'strict' }`: its promise
 *   resolves only once the browser reports the data flushed to disk. The UI shows "Saved"
 *   (and decisions and signatures show as recorded) only after such a promise resolves.
 * - A write either lands completely or not at all: the project record (meta + document order)
 *   and its documents change in the same transaction, so a reload never sees half a save.
 * - Every record is validated on load; a project with any invalid record is refused whole as
 *   `StorageError{kind:'corrupt'}` naming each document and path (never values), and a
 *   `corrupt` notice tells autosave to stop writing that project.
 * - Only documents are stored — never the source files (they hold patient data the user keeps).
 * - Optimistic concurrency between tabs: every write claims a new project `revision` inside
 *   its transaction. A write based on a known revision (`saveChanges` from a snapshot this
 *   connection loaded or wrote; `saveProject` with `expectedRevision`) first compares it with
 *   the stored one in that same transaction and is refused as `conflict` on a mismatch — so a
 *   tab never overwrites, or diffs against, changes another tab wrote meanwhile.
 * - Revisions of snapshots are remembered per project object (a WeakMap), so `Project` stays the
 *   plain format type and `saveChanges(project, previous)` carries the revision of `previous`.
 */

import { newId } from '../core/project/changes.ts';
import {
  COLLECTION_OF,
  DOCUMENT_KINDS,
  type DocumentKind,
  documentId,
  documentsOf,
} from '../core/project/documents.ts';
import type { ChainEntry } from '../formats/auditLog.ts';
import type { Project, ProjectMeta } from '../formats/project.ts';
import { checkProjectName, copyName } from '../formats/projectName.ts';
import type { Review } from '../formats/review.ts';
import {
  appendDecisionEntries,
  appendTrailEntries,
  changedTrailSources,
  projectAuditRange,
  readProjectAudit,
} from './auditRecord.ts';
import {
  DEFAULT_DB_NAME,
  deletePreflightDb,
  openPreflightDb,
  type PreflightDb,
  type PreflightStoreName,
  type PreflightTransaction,
} from './db.ts';
import {
  deleteDocumentRecord,
  deleteProjectDocuments,
  documentKey,
  getProjectDocumentRecords,
  notExportable,
  putDocumentRecord,
  type ReadDocument,
  readDocumentRecord,
  toDocumentRecord,
  writeProblems,
} from './documentRecord.ts';
import {
  corruptError,
  describeLocation,
  STORAGE_ERROR_MESSAGES,
  StorageError,
  type StorageProblem,
  toStorageError,
} from './errors.ts';
import {
  clearLastProjectId,
  readLastProjectId,
  readLastRevision,
  readStorageFormat,
  writeLastProjectId,
  writeLastRevision,
  writeStorageFormat,
} from './metaRecord.ts';
import {
  deleteProjectRecord,
  getAllProjectRecords,
  getProjectRecord,
  INITIAL_REVISION,
  metaProblems,
  putProjectRecord,
  readProjectRecord,
  recordRevision,
} from './projectRecord.ts';
import {
  decideRescue,
  RESCUE_KEY_PREFIX,
  type RescueEntry,
  type RescueOutcome,
  readRescueRecord,
  rescueKey,
  rescueRecord,
  type StoredState,
} from './rescue.ts';
import { appendSignatureEntries, newSignatures } from './signatureRecord.ts';
import type { ObservedStore } from './storeMarker.ts';
import { observed } from './transactionFailures.ts';

/** Document kinds whose collection a project may lack (added after the first version of the format). */
const OPTIONAL_KINDS: ReadonlySet<DocumentKind> = new Set([
  'review',
  'workflowCheck',
  'logMap',
  'workflowBackTest',
]);

/** Something the storage reports outside of a call: the UI and autosave listen. */
export type StorageNotice =
  /** a load found the project's stored data invalid: nothing may write over it */
  | { type: 'corrupt'; projectId: string; error: StorageError }
  /** the connection is gone (another tab upgraded or wiped the database, or the browser closed it) */
  | { type: 'closed'; error: StorageError }
  /** another tab holds the database open and delays an open or a wipe */
  | { type: 'blocked'; error: StorageError };

/** Projects persisted in this browser. Every method rejects with a `StorageError`. */
export interface ProjectStorage {
  /** Every stored project's meta, most recently updated first. */
  listProjects(): Promise<ProjectMeta[]>;
  /**
   * Reads and validates one whole project.
   * @throws StorageError `not-found` when it is not stored; `corrupt` when any record is invalid.
   */
  loadProject(id: string): Promise<Project>;
  /**
   * Writes a full snapshot: replaces the project's meta and all its documents in one strict
   * transaction. Creates the project unless `options.mustExist`.
   * @throws StorageError `invalid` when a document or the meta fails validation (nothing is
   * written); `not-found` ({@link PROJECT_DELETED_MESSAGE}) with `mustExist` when the project is
   * no longer stored; `conflict` ({@link PROJECT_CHANGED_MESSAGE}) when `options.expectedRevision`
   * is not the stored revision.
   */
  saveProject(project: Project, options?: SaveProjectOptions): Promise<void>;
  /**
   * Writes the difference from `previous` (the last snapshot that was saved): documents whose
   * object identity changed are put, documents gone from `project` are deleted, and the meta is
   * written — in one strict transaction. A full snapshot when `previous` is another project.
   * @throws StorageError `not-found` ({@link PROJECT_DELETED_MESSAGE}) when the project is no
   * longer stored (deleted, perhaps in another tab): a write would silently re-create it;
   * `conflict` ({@link PROJECT_CHANGED_MESSAGE}) when `previous` was loaded or written by this
   * connection at a revision that is no longer the stored one (another tab wrote since). A
   * `previous` this connection never loaded or wrote is not checked.
   */
  saveChanges(project: Project, previous: Project): Promise<void>;
  /**
   * The stored revision that `project` — this very object — was loaded at or written as by this
   * connection; `undefined` for any other object. Pass it as `expectedRevision` to rewrite the
   * project only if nobody wrote it since.
   */
  revisionOf(project: Project): number | undefined;
  /**
   * The project's sign-off audit chain, oldest first (src/storage/auditRecord.ts). Entries are
   * written only by `saveProject`/`saveChanges`, in the transaction that stores their decisions.
   */
  readAuditLog(projectId: string): Promise<ChainEntry[]>;
  /**
   * For each of `projectIds`: its audit chain's length and the hash of its last entry (null when
   * empty), read in one transaction — what the store marker (src/storage/storeMarker.ts) records.
   */
  auditSummary(projectIds: readonly string[]): Promise<ObservedStore>;
  /**
   * Deletes a project and all its documents (and forgets it as the last project). Its audit
   * chain stays: it is append-only and holds no record content; `wipe` removes it.
   */
  deleteProject(id: string): Promise<void>;
  /** The project opened last, if any. */
  getLastProjectId(): Promise<string | undefined>;
  /** Remembers the project opened last. */
  setLastProjectId(id: string): Promise<void>;
  /**
   * Closes the connection and deletes the whole database. Resolves when deleted — or, if
   * another tab keeps the database open, after a short wait with a `blocked` notice (the browser
   * finishes the delete once that tab closes). This storage object is unusable afterwards.
   */
  wipe(): Promise<void>;
  /**
   * For a page that is going away (`pagehide`, hidden, `beforeunload`): records each entry's
   * unsaved snapshot as a rescue record (src/storage/rescue.ts) in one transaction whose
   * requests are all issued before this returns, and commits it — the only kind of write that
   * survives the page. A write of one of these projects still waiting on the page is aborted
   * first (it would hold the rescue back and take it down with it); the entry's `inFlight` says
   * it may have landed. Returns false when it could not even be issued (storage closed). The
   * ordinary write that later stores the project deletes the record in its own transaction.
   */
  rescue(entries: readonly RescueEntry[]): boolean;
  /**
   * Applies the rescue records that tabs which went away left behind (call on start, before
   * listing): each is written through the ordinary checked write when the stored project is
   * still what its changes were made on, kept as a new project beside it when the project
   * changed since, and dropped when it is already stored or the project was deleted since.
   * A record that fails to apply for another reason is kept for the next start.
   */
  recoverRescued(): Promise<RescueOutcome[]>;
  /** Closes the connection; later calls reject as `unavailable`. */
  close(): void;
  /** Listens to notices; returns the unsubscribe function. */
  subscribe(listener: (notice: StorageNotice) => void): () => void;
}

/** The decisions of `project` that `previous` does not hold, per review (what a diff write must log). */
function newDecisions(project: Project, previous: Project): Review[] {
  const before = new Map((previous.reviews ?? []).map((r) => [r.id, r]));
  const out: Review[] = [];
  for (const review of project.reviews ?? []) {
    const old = before.get(review.id);
    if (old === review) continue;
    const known = new Set(old?.decisions.map((d) => d.id));
    const added = review.decisions.filter((d) => !known.has(d.id));
    if (added.length) out.push({ ...review, decisions: added });
  }
  return out;
}

/** Options of `ProjectStorage.saveProject`. */
export interface SaveProjectOptions {
  /**
   * Refuse (`not-found`) instead of creating the project when it is not stored: for rewriting a
   * project known to exist (autosave's full-snapshot retry), so a project deleted in another tab
   * is not re-created.
   */
  mustExist?: boolean;
  /**
   * Refuse (`conflict`) unless the stored project is at this revision (from `revisionOf`): for
   * rewriting a project based on a known stored state, so changes another tab wrote meanwhile
   * are not overwritten. Only checked against a stored project; whether a missing one may be
   * created is `mustExist`'s decision.
   */
  expectedRevision?: number;
}

/** Message when a write meets a project that is no longer stored. */
export const PROJECT_DELETED_MESSAGE =
  'This project was deleted (perhaps in another tab); your latest change to it was not saved. Export it to a ' +
  'file now if you want to keep it (the changes are still in this tab), then import that file.';

/** Message when a write meets a project that another tab or window wrote since this one read it. */
export const PROJECT_CHANGED_MESSAGE: string = STORAGE_ERROR_MESSAGES.conflict;

/** Options of `openStorage`. */
export interface OpenStorageOptions {
  /** IndexedDB factory; defaults to the global `indexedDB` (tests inject a fresh fake one) */
  factory?: IDBFactory;
  /** called with every notice, in addition to `subscribe` listeners */
  onNotice?: (notice: StorageNotice) => void;
  /** how long `wipe` waits for other tabs before reporting `blocked`; default `DELETE_BLOCKED_GRACE_MS` */
  blockedGraceMs?: number;
  /** clock for rescue records (ISO time); defaults to the current time */
  now?: () => string;
}

/** Message when a wipe is waiting for other tabs. */
const WIPE_BLOCKED_MESSAGE =
  "Preflight's data in this browser will be wiped as soon as the other Preflight tabs are closed: another " +
  'tab is keeping it open. Close the other Preflight tabs now; nothing more needs to be done here.';

/** Message when this storage object was closed or wiped. */
const CLOSED_MESSAGE =
  "Preflight's storage was closed in this tab (after a wipe or on leaving the page). Reload the tab to continue.";

/** Message when the database holds a layout this version does not read. */
const UNKNOWN_FORMAT_MESSAGE =
  'The data stored in this browser was written by a newer or unknown version of Preflight, so this version ' +
  'will not read or change it. Open the newest Preflight, or export your projects there first.';

const STRICT: IDBTransactionOptions = { durability: 'strict' };

type WriteStores = PreflightStoreName[];

function abortQuietly(tx: { abort(): void }) {
  try {
    tx.abort();
  } catch {
    // already committed or aborted: nothing to undo
  }
}

/** Message of an `invalid` error for a document that fails validation before a write. */
function invalidDocumentMessage(problem: StorageProblem): string {
  return (
    `Not saved: ${describeLocation(problem)} — ${problem.message}. Fix it and Preflight saves again; ` +
    'the last saved version is unchanged.'
  );
}

/**
 * Refuses a write that would store what a load rejects: documents that fail their format's
 * validation (all documents, or only `changed` ones for a diff).
 */
function checkDocuments(
  project: Project,
  changed?: (kind: DocumentKind, document: unknown) => boolean,
): void {
  const problems: StorageProblem[] = [];
  for (const kind of DOCUMENT_KINDS) {
    for (const document of documentsOf(project, kind)) {
      if (changed && !changed(kind, document)) continue;
      problems.push(...writeProblems(project.meta.id, kind, document));
    }
  }
  const first = problems[0];
  if (first) throw new StorageError('invalid', invalidDocumentMessage(first), { location: first, problems });
}

/**
 * Checks what a snapshot write relies on: a meta that passes the project file's own meta schema
 * (so it exports and imports again), a name that keeps the one name rule, only exportable
 * settings; non-blank document ids,
 * unique within their kind (they are storage keys).
 */
function checkWritable(project: Project): void {
  const problems: StorageProblem[] = [];
  const projectId = typeof project.meta?.id === 'string' ? project.meta.id : undefined;
  if (projectId === undefined || projectId === '') {
    problems.push({ documentKind: 'project', path: '/meta/id', message: 'the project has no id' });
  } else {
    for (const p of metaProblems(project.meta))
      problems.push({ projectId, documentKind: 'project', ...p, path: `/meta${p.path}` });
    // the one name rule (src/formats/projectName.ts) that import applies too: a project stored with
    // a blank or overlong name would export to a file that does not import
    const name = checkProjectName(project.meta.name);
    if (!name.ok && typeof project.meta.name === 'string') {
      problems.push({ projectId, documentKind: 'project', path: '/meta/name', message: name.message });
    }
    const settings = notExportable(project.meta.settings, '/meta/settings');
    if (settings) problems.push({ projectId, documentKind: 'project', ...settings });
  }
  for (const kind of DOCUMENT_KINDS) {
    const seen = new Set<string>();
    documentsOf(project, kind).forEach((document, index) => {
      const id = documentId(document);
      if (id === '') {
        problems.push({
          projectId: project.meta.id,
          documentKind: kind,
          path: `/${index}`,
          message: 'has no id',
        });
      } else if (seen.has(id)) {
        problems.push({
          projectId: project.meta.id,
          documentKind: kind,
          documentId: id,
          message: 'two documents share this id',
        });
      }
      seen.add(id);
    });
  }
  if (problems.length > 0) {
    const first = problems[0] as StorageProblem;
    const what =
      first.documentId !== undefined
        ? `${first.documentKind} "${first.documentId}"`
        : first.path
          ? `${first.documentKind} at ${first.path}:`
          : first.documentKind;
    throw new StorageError(
      'invalid',
      `The project could not be saved: ${what} ${first.message}. Nothing stored was changed.`,
      { location: first, problems },
    );
  }
}

function compareMeta(a: ProjectMeta, b: ProjectMeta): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The rescued work of a project that changed elsewhere meanwhile, as a new project beside it: a
 * new id and a name that says where it came from, e.g. "Intake (unsaved changes, 2026-11-22 10:32 UTC)".
 */
function rescuedCopy(project: Project, rescuedAt: string): Project {
  const when = `${rescuedAt.slice(0, 10)} ${rescuedAt.slice(11, 16)} UTC`;
  return {
    ...project,
    meta: { ...project.meta, id: newId(), name: copyName(project.meta.name, ` (unsaved changes, ${when})`) },
  };
}

/** Name shown for a stored project whose record is damaged (it can still be deleted). */
export const DAMAGED_PROJECT_NAME = 'Damaged project';

/**
 * Opens Preflight's storage in this browser.
 *
 * @param name database name (tests use their own)
 * @throws StorageError `unavailable` when IndexedDB cannot be used or holds an unknown format.
 */
export async function openStorage(
  name: string = DEFAULT_DB_NAME,
  options: OpenStorageOptions = {},
): Promise<ProjectStorage> {
  const listeners = new Set<(notice: StorageNotice) => void>();
  const notify = (notice: StorageNotice) => {
    options.onNotice?.(notice);
    for (const listener of listeners) listener(notice);
  };
  let closedError: StorageError | null = null;
  /**
   * Set when the browser closed the connection on its own (a full or failing disk): the next
   * operation opens a new connection, so writes recover without a reload once space returns.
   */
  let terminated: StorageError | null = null;
  let reopening: Promise<void> | null = null;

  const connect = () =>
    openPreflightDb(name, {
      factory: options.factory,
      onBlocked: (error) => notify({ type: 'blocked', error }),
      onClosed: (error) => {
        if (closedError) return;
        closedError = error;
        notify({ type: 'closed', error });
      },
      onTerminated: (error) => {
        if (closedError || terminated) return;
        terminated = error;
        notify({ type: 'closed', error });
      },
    });

  let db: PreflightDb = await connect();

  /** After the browser closed the connection: one new connection for all waiting operations. */
  const reconnect = async () => {
    if (!terminated || closedError) return;
    reopening ??= connect()
      .then((next) => {
        if (closedError) {
          next.close();
          return;
        }
        db = next;
        terminated = null;
      })
      .finally(() => {
        reopening = null;
      });
    try {
      await reopening;
    } catch (error) {
      // still failing (disk still full): report it as what it is, the caller retries later
      const storageError = toStorageError(error);
      throw storageError.kind === 'unknown' || storageError.kind === 'quota' ? terminated : storageError;
    }
  };

  try {
    const tx = db.transaction('meta', 'readwrite');
    const done = tx.done;
    // observed below; keeps an abort from surfacing as an unhandled rejection meanwhile
    done.catch(() => undefined);
    try {
      const check = await readStorageFormat(tx.store);
      if (!check.ok) throw new StorageError('unavailable', UNKNOWN_FORMAT_MESSAGE);
      if (check.format === undefined) await writeStorageFormat(tx.store);
    } catch (error) {
      abortQuietly(tx);
      await done.catch(() => undefined);
      // a request failing because the transaction aborted (disk full) reports only AbortError
      throw tx.error ?? error;
    }
    await done;
  } catch (error) {
    db.close();
    throw toStorageError(error);
  }

  /**
   * Throws when closed for good; after the browser closed the connection, returns the reconnect
   * to wait for. Otherwise returns nothing, so that an operation issues its requests
   * synchronously (autosave relies on a write reaching IndexedDB before its owner can close it).
   */
  const ensureOpen = (): Promise<void> | undefined => {
    if (closedError) throw closedError;
    return terminated ? reconnect() : undefined;
  };

  /** Runs `work` in one strict readwrite transaction and resolves only once it committed. */
  async function write(
    stores: WriteStores,
    work: (tx: PreflightTransaction<WriteStores, 'readwrite'>) => Promise<void>,
  ) {
    const reconnecting = ensureOpen();
    if (reconnecting) await reconnecting;
    let tx: PreflightTransaction<WriteStores, 'readwrite'>;
    try {
      tx = db.transaction(stores, 'readwrite', STRICT);
    } catch (error) {
      throw closedError ?? toStorageError(error);
    }
    const done = tx.done;
    // observed below; keeps an abort from surfacing as an unhandled rejection meanwhile
    done.catch(() => undefined);
    try {
      await work(tx);
    } catch (error) {
      abortQuietly(tx);
      await done.catch(() => undefined);
      // a request failing because the transaction aborted (disk full) reports only AbortError:
      // the transaction's own error says why
      throw failure(tx.error ?? error);
    }
    try {
      await done;
    } catch (error) {
      throw failure(error);
    }
  }

  /** The error to report for a failed operation: a full disk as such, else why the connection is gone. */
  function failure(error: unknown): StorageError {
    const storageError = toStorageError(error);
    if (storageError.kind === 'quota') return storageError;
    return closedError ?? (storageError.kind === 'unknown' ? terminated : null) ?? storageError;
  }

  async function read<T>(run: () => Promise<T>): Promise<T> {
    const reconnecting = ensureOpen();
    if (reconnecting) await reconnecting;
    try {
      return await run();
    } catch (error) {
      throw closedError ?? toStorageError(error);
    }
  }

  /** The revision each project snapshot object was loaded at or written as (see the header). */
  const revisions = new WeakMap<Project, number>();

  /** This tab's part of rescue keys: new for every opened storage (each tab, each reload). */
  const sessionId = newId();
  /**
   * Projects this tab wrote a rescue record for, each with the number of its latest rescue: a
   * project write deletes the record inside its transaction, and forgets it afterwards only if
   * no newer rescue was written meanwhile (that one the next write deletes).
   */
  const rescues = new Map<string, number>();
  let rescueCount = 0;
  /**
   * The project writes of each project still waiting on this page to issue their requests. A
   * rescue aborts those of the projects it rescues first: such a write holds `meta` (the
   * revision counter) and reads before it writes, so on a page going away it never finishes —
   * and the rescue, queued behind it on `meta`, went down with it when the browser closed the
   * connection, losing the edit.
   */
  const projectWrites = new Map<string, Set<{ abort(): void }>>();

  /** Runs a write of `projectId` that a rescue of that project may abort (see `projectWrites`). */
  function projectWrite(
    projectId: string,
    work: (tx: PreflightTransaction<WriteStores, 'readwrite'>) => Promise<void>,
  ) {
    return write(['projects', 'documents', 'meta', 'audit'], async (tx) => {
      const pending = projectWrites.get(projectId) ?? new Set();
      projectWrites.set(projectId, pending);
      pending.add(tx);
      try {
        await work(tx);
      } finally {
        // every request is issued: the transaction commits without the page
        pending.delete(tx);
        if (pending.size === 0) projectWrites.delete(projectId);
      }
    });
  }

  /** Inside a project write: deletes this tab's rescue record of `projectId`; returns the rescue it covers. */
  function clearRescue(
    tx: PreflightTransaction<WriteStores, 'readwrite'>,
    projectId: string,
    ops: Promise<unknown>[],
  ): number | undefined {
    const covered = rescues.get(projectId);
    if (covered !== undefined) ops.push(tx.objectStore('meta').delete(rescueKey(sessionId, projectId)));
    return covered;
  }

  /** After a project write committed: its rescue record is gone unless a newer one came since. */
  function rescueCleared(projectId: string, covered: number | undefined) {
    if (covered !== undefined && rescues.get(projectId) === covered) rescues.delete(projectId);
  }

  /**
   * Inside a write of project `projectId`: refuses it (`not-found`) when the project is gone and
   * `mustExist`, or (`conflict`) when it is stored at another revision than `expectedRevision`;
   * then claims and returns the next revision — larger than any handed out in this database, so
   * never one a stale tab may hold for this id.
   */
  async function claimRevision(
    tx: PreflightTransaction<WriteStores, 'readwrite'>,
    projectId: string,
    check: SaveProjectOptions,
  ): Promise<number> {
    const raw = await getProjectRecord(tx.objectStore('projects'), projectId);
    const stored = raw === undefined ? undefined : recordRevision(raw);
    if (raw === undefined) {
      if (check.mustExist)
        throw new StorageError('not-found', PROJECT_DELETED_MESSAGE, { location: { projectId } });
    } else if (check.expectedRevision !== undefined && stored !== check.expectedRevision) {
      throw new StorageError('conflict', PROJECT_CHANGED_MESSAGE, { location: { projectId } });
    }
    const meta = tx.objectStore('meta');
    const next = Math.max(await readLastRevision(meta), stored ?? INITIAL_REVISION) + 1;
    await writeLastRevision(meta, next);
    return next;
  }

  async function writeSnapshot(
    tx: PreflightTransaction<WriteStores, 'readwrite'>,
    project: Project,
    revision: number,
  ) {
    const documents = tx.objectStore('documents');
    await deleteProjectDocuments(documents, project.meta.id);
    const puts: Promise<void>[] = [];
    for (const kind of DOCUMENT_KINDS) {
      for (const document of documentsOf(project, kind)) {
        puts.push(putDocumentRecord(documents, toDocumentRecord(project.meta.id, kind, document)));
      }
    }
    puts.push(putProjectRecord(tx.objectStore('projects'), project, revision));
    await Promise.all(puts);
  }

  const storage: ProjectStorage = {
    listProjects: () =>
      read(async () => {
        const records = await getAllProjectRecords(observed(db.transaction('projects')).store);
        const metas: ProjectMeta[] = [];
        for (const record of records) {
          const result = readProjectRecord(record);
          if (result.ok) {
            metas.push(result.value.meta);
          } else {
            // still listed (so it can be deleted), but loading it reports what is wrong
            const id = (record as { id?: unknown } | null)?.id;
            if (typeof id === 'string') {
              metas.push({ id, name: DAMAGED_PROJECT_NAME, createdAt: '', updatedAt: '', settings: {} });
            }
          }
        }
        return metas.sort(compareMeta);
      }),

    loadProject: (id) =>
      read(async () => {
        const tx = observed(db.transaction(['projects', 'documents'], 'readonly'));
        const [rawRecord, rawDocuments] = await Promise.all([
          getProjectRecord(tx.objectStore('projects'), id),
          getProjectDocumentRecords(tx.objectStore('documents'), id),
        ]);
        if (rawRecord === undefined) throw new StorageError('not-found');
        const problems: StorageProblem[] = [];
        const record = readProjectRecord(rawRecord);
        if (!record.ok) problems.push(...record.problems);
        const byKind = new Map<DocumentKind, Map<string, ReadDocument>>(
          DOCUMENT_KINDS.map((k) => [k, new Map()]),
        );
        for (const raw of rawDocuments) {
          const document = readDocumentRecord(raw, id);
          if (document.ok) byKind.get(document.value.kind)?.set(document.value.id, document.value);
          else problems.push(...document.problems);
        }
        const project: Record<string, unknown> = {};
        if (record.ok) {
          project.meta = record.value.meta;
          for (const kind of DOCUMENT_KINDS) {
            const stored = byKind.get(kind) ?? new Map<string, ReadDocument>();
            const order = record.value.documentOrder[kind] ?? [];
            const list: unknown[] = [];
            for (const documentIdInOrder of order) {
              const document = stored.get(documentIdInOrder);
              if (document) {
                list.push(document.body);
                stored.delete(documentIdInOrder);
              } else if (
                !problems.some((p) => p.documentKind === kind && p.documentId === documentIdInOrder)
              ) {
                problems.push({
                  projectId: id,
                  documentKind: kind,
                  documentId: documentIdInOrder,
                  path: '',
                  message: 'is listed in the project but missing from storage',
                  code: 'missing',
                });
              }
            }
            // documents the order does not list (none are written that way) keep key order
            for (const document of stored.values()) list.push(document.body);
            // `reviews`, `workflowChecks`, `logMaps` and `workflowBackTests` are optional: a project without any stays without the
            // key (as it was saved)
            if (!OPTIONAL_KINDS.has(kind) || list.length > 0) project[COLLECTION_OF[kind]] = list;
          }
        }
        if (problems.length > 0) {
          const error = corruptError(problems);
          notify({ type: 'corrupt', projectId: id, error });
          throw error;
        }
        const loaded = project as unknown as Project;
        if (record.ok) revisions.set(loaded, record.value.revision);
        return loaded;
      }),

    saveProject: async (project, saveOptions = {}) => {
      checkWritable(project);
      checkDocuments(project);
      let revision = INITIAL_REVISION;
      let covered: number | undefined;
      await projectWrite(project.meta.id, async (tx) => {
        revision = await claimRevision(tx, project.meta.id, saveOptions);
        const ops: Promise<unknown>[] = [writeSnapshot(tx, project, revision)];
        covered = clearRescue(tx, project.meta.id, ops);
        // a full snapshot rewrites documents only; decisions not yet logged get their entries here
        const audit = tx.objectStore('audit');
        // the steps (roster, plan locks, draws, packets) first, then decisions, then signatures
        ops.push(
          appendTrailEntries(audit, project.meta.id, changedTrailSources(project))
            .then(() => appendDecisionEntries(audit, project.meta.id, project.reviews ?? []))
            .then(() =>
              // signatures after the decisions they follow (signatureRecord.ts)
              appendSignatureEntries(audit, project.meta.id, project.reviews ?? []),
            ),
        );
        await Promise.all(ops);
      });
      revisions.set(project, revision);
      rescueCleared(project.meta.id, covered);
    },

    saveChanges: async (project, previous) => {
      if (project.meta.id !== previous.meta.id) return storage.saveProject(project);
      checkWritable(project);
      const before = new Map(
        DOCUMENT_KINDS.map((kind) => [kind, new Set<unknown>(documentsOf(previous, kind))] as const),
      );
      checkDocuments(project, (kind, document) => !before.get(kind)?.has(document));
      const projectId = project.meta.id;
      // the diff is only right against the state `previous` was read from or written as
      const expectedRevision = revisions.get(previous);
      let revision = INITIAL_REVISION;
      let covered: number | undefined;
      await projectWrite(projectId, async (tx) => {
        // deleted meanwhile (e.g. in another tab): writing would re-create what the user deleted
        revision = await claimRevision(tx, projectId, { mustExist: true, expectedRevision });
        const documents = tx.objectStore('documents');
        const ops: Promise<unknown>[] = [];
        covered = clearRescue(tx, projectId, ops);
        for (const kind of DOCUMENT_KINDS) {
          const before = new Map(documentsOf(previous, kind).map((d) => [documentId(d), d]));
          for (const document of documentsOf(project, kind)) {
            const id = documentId(document);
            if (before.get(id) !== document)
              ops.push(putDocumentRecord(documents, toDocumentRecord(projectId, kind, document)));
            before.delete(id);
          }
          for (const removedId of before.keys()) {
            ops.push(deleteDocumentRecord(documents, documentKey(projectId, kind, removedId)));
          }
        }
        ops.push(putProjectRecord(tx.objectStore('projects'), project, revision));
        // the audit entries of new decisions, in this same strict transaction (auditRecord.ts)
        const audit = tx.objectStore('audit');
        // and of the new steps before them (roster, plan locks, draws, packets: auditRecord.ts)
        ops.push(
          appendTrailEntries(audit, projectId, changedTrailSources(project, previous))
            .then(() => appendDecisionEntries(audit, projectId, newDecisions(project, previous)))
            .then(() =>
              // and of new signatures, after the decisions they follow (signatureRecord.ts)
              appendSignatureEntries(audit, projectId, newSignatures(project.reviews, previous.reviews)),
            ),
        );
        await Promise.all(ops);
      });
      revisions.set(project, revision);
      rescueCleared(projectId, covered);
    },

    rescue: (entries) => {
      if (closedError || entries.length === 0) return closedError === null;
      try {
        // a write of these projects still waiting on the page would hold the rescue back and
        // take it down with it; the rescue holds its snapshot (and says it was in flight)
        for (const entry of entries)
          for (const pending of projectWrites.get(entry.project.meta.id) ?? []) abortQuietly(pending);
        // every request is issued before returning and the transaction is committed at once:
        // a page being unloaded runs no further callbacks (see rescue.ts)
        const tx = db.transaction('meta', 'readwrite', STRICT);
        const meta = tx.objectStore('meta');
        const at = options.now?.() ?? new Date().toISOString();
        for (const entry of entries) {
          const projectId = entry.project.meta.id;
          meta.put(rescueRecord(entry, at), rescueKey(sessionId, projectId)).catch(() => undefined);
          rescueCount += 1;
          rescues.set(projectId, rescueCount);
        }
        tx.done.catch(() => undefined);
        tx.commit();
        return true;
      } catch {
        return false;
      }
    },

    recoverRescued: async () => {
      const range = IDBKeyRange.bound(RESCUE_KEY_PREFIX, `${RESCUE_KEY_PREFIX}\uffff`);
      const keys = await read(() => observed(db.transaction('meta')).store.getAllKeys(range));
      const outcomes: RescueOutcome[] = [];
      const dropRecord = (key: string) =>
        write(['meta'], async (tx) => {
          await tx.objectStore('meta').delete(key);
        });
      for (const key of keys) {
        const record = readRescueRecord(await read(() => observed(db.transaction('meta')).store.get(key)));
        if (!record) {
          await dropRecord(key);
          continue;
        }
        const rescued = record.project;
        const projectId = rescued.meta.id;
        const outcome: RescueOutcome = {
          projectId,
          projectName: rescued.meta.name,
          decision: 'discard',
        };
        let stored: StoredState;
        let loaded: Project | undefined;
        try {
          loaded = await storage.loadProject(projectId);
          stored = { found: true, revision: revisions.get(loaded), project: loaded };
        } catch (error) {
          const kind = toStorageError(error).kind;
          if (kind === 'not-found') stored = { found: false };
          else if (kind === 'corrupt') stored = { found: true, corrupt: true };
          else throw error;
        }
        outcome.decision = decideRescue(record, stored);
        if (outcome.decision === 'discard' && !stored.found) outcome.deleted = true;
        try {
          if (outcome.decision === 'apply') {
            const expectedRevision = loaded ? revisions.get(loaded) : undefined;
            await storage.saveProject(
              rescued,
              loaded
                ? { mustExist: true, ...(expectedRevision === undefined ? {} : { expectedRevision }) }
                : {},
            );
          } else if (outcome.decision === 'copy') {
            const copy = rescuedCopy(rescued, record.rescuedAt);
            await storage.saveProject(copy);
            outcome.copyId = copy.meta.id;
            outcome.copyName = copy.meta.name;
          }
          await dropRecord(key);
        } catch (error) {
          const storageError = toStorageError(error);
          outcome.error = storageError.message;
          // a draft the checks refuse would be refused on every start: it is reported once, then dropped
          if (storageError.kind === 'invalid') await dropRecord(key);
        }
        outcomes.push(outcome);
      }
      return outcomes;
    },

    revisionOf: (project) => revisions.get(project),

    deleteProject: (id) =>
      write(['projects', 'documents', 'meta'], async (tx) => {
        const meta = tx.objectStore('meta');
        const last = await readLastProjectId(meta);
        await Promise.all([
          deleteProjectDocuments(tx.objectStore('documents'), id),
          deleteProjectRecord(tx.objectStore('projects'), id),
          last === id ? clearLastProjectId(meta) : Promise.resolve(),
        ]);
      }),

    readAuditLog: (projectId) =>
      read(() => readProjectAudit(observed(db.transaction('audit')).store, projectId)),

    auditSummary: (projectIds) =>
      read(async () => {
        const store = observed(db.transaction('audit')).store;
        const entries = await Promise.all(
          projectIds.map(async (id) => {
            const range = projectAuditRange(id);
            const [auditLength, last] = await Promise.all([
              store.count(range),
              store.openCursor(range, 'prev'),
            ]);
            return [id, { auditLength, auditHead: last ? last.value.hash : null }] as const;
          }),
        );
        return Object.fromEntries(entries);
      }),

    getLastProjectId: () => read(() => readLastProjectId(observed(db.transaction('meta')).store)),

    setLastProjectId: (id) =>
      write(['meta'], async (tx) => {
        await writeLastProjectId(tx.objectStore('meta'), id);
      }),

    wipe: async () => {
      if (!closedError) closedError = new StorageError('unavailable', CLOSED_MESSAGE);
      db.close();
      const outcome = await deletePreflightDb(name, options.factory, options.blockedGraceMs);
      if (outcome === 'blocked')
        notify({ type: 'blocked', error: new StorageError('blocked', WIPE_BLOCKED_MESSAGE) });
    },

    close: () => {
      if (!closedError) closedError = new StorageError('unavailable', CLOSED_MESSAGE);
      db.close();
    },

    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  return storage;
}
