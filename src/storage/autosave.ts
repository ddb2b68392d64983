/**
 * Autosave: a throttled write queue from the in-memory project to `ProjectStorage`
 * (docs/conventions.md#autosave-is-a-queue; modelled on tldraw's TLLocalSyncClient).
 *
 * Constraints:
 * - "Saved" means durable: the status becomes `saved` only after the storage promise — a
 *   strict-durability transaction — resolved. Decisions and signatures must only show "Saved"
 *   after that (a clinician must be able to trust "Saved").
 * - Within a second of a change: the first change after a write schedules the next write
 *   `delayMs` later (clamped to `MAX_SAVE_LATENCY_MS`); later changes ride along, so there is
 *   at most one write per `delayMs` while editing. Only an error state waits longer (backoff).
 * - Diffs by object identity against the last snapshot that was saved successfully (the pure
 *   reducer in core/project keeps untouched documents identical). After any failed write the
 *   next write is a full snapshot, so a half-known state on disk is always overwritten whole.
 * - Never writes a project that a load reported corrupt (its stored data may still be
 *   recoverable): `update` of such a project is refused until `reset`.
 * - Never re-creates a deleted project: a write that finds the project gone (`not-found`,
 *   deleted perhaps in another tab) stops all writes of it, like corrupt, until `reset`; full
 *   snapshots of a project known to be stored use `saveProject(…, { mustExist: true })`. Only a
 *   project this autosave has never seen stored (a brand-new one) is created by a write.
 * - Never overwrites another tab's changes: diffs go through `saveChanges(latest, saved)`, which
 *   storage checks against the revision `saved` was loaded at or written as; full snapshots of
 *   a stored project pass that revision as `expectedRevision`. A write refused as `conflict`
 *   stops all writes of that project, like `not-found`, until `reset` with a fresh load.
 * - Never drops the in-memory project: a failed write only changes the status; the project
 *   stays queued and is retried.
 */
import type { Project } from '../formats/project.ts';
import { StorageError, toStorageError } from './errors.ts';
import type { RescueEntry } from './rescue.ts';
import { PROJECT_DELETED_MESSAGE, type ProjectStorage } from './storage.ts';

/** The autosave state shown to the user. */
export type AutosaveState = 'saved' | 'pending' | 'saving' | 'error';

/** What autosave reports through `onStatus`. */
export interface AutosaveStatus {
  state: AutosaveState;
  /** ISO time of the last successful (durable) write in this session */
  lastSavedAt?: string;
  /** the failure behind `state: 'error'` */
  error?: StorageError;
}

/**
 * What autosave needs from storage (a `ProjectStorage`, or a test double). Without
 * `revisionOf`, full snapshots are written without a revision check.
 */
export type AutosaveStorage = Pick<ProjectStorage, 'saveProject' | 'saveChanges'> &
  Partial<Pick<ProjectStorage, 'subscribe' | 'revisionOf' | 'rescue'>>;

/** Options of `createAutosave`. */
interface AutosaveOptions {
  /** minimum time between writes while editing; default 300 ms, at most `MAX_SAVE_LATENCY_MS` */
  delayMs?: number;
  /** called whenever the status changes */
  onStatus?: (status: AutosaveStatus) => void;
  /** clock for `lastSavedAt`; defaults to the current time */
  now?: () => string;
}

/** The autosave engine, owned by one `useAutosave`-style owner. */
export interface Autosave {
  /**
   * The project changed (pass each new immutable snapshot). Schedules a write. A project with
   * another id than the previous one makes the previous project's pending changes write first,
   * at once. Refused (status `error`, kind `corrupt`) for a project a load reported corrupt.
   */
  update(project: Project): void;
  /**
   * Writes everything pending now, ignoring throttle and backoff, and resolves once it is
   * durably stored (before export, on `pagehide`). A failed write is retried at once as a full
   * snapshot; if that fails too, rejects with its `StorageError` — the changes stay queued and
   * are retried with backoff. Rejects with `not-found` when a project was found deleted, or
   * `conflict` when another tab changed it since (its changes are not written; they stay in
   * memory for export).
   */
  flush(): Promise<void>;
  /**
   * Declares `project` (when given) as exactly what storage holds — e.g. just loaded, or just
   * written with `saveProject` — making it current with nothing to write, and lifting a
   * `corrupt`, `not-found` or `conflict` stop for its id. Pass the very object storage returned
   * (or wrote): its revision is what later writes are checked against. Without a project:
   * forgets everything queued.
   */
  reset(project?: Project): void;
  /**
   * The page is going away (`pagehide`, hidden, `beforeunload`): records every unsaved snapshot
   * with storage's `rescue` — the one write that survives an unloading page — before returning.
   * Returns true when nothing the user did is at risk: nothing is pending, or all of it was
   * handed to storage; false when changes cannot be secured (a write keeps failing, e.g. the
   * disk is full, or writes were stopped because the project was deleted or changed in another
   * tab) — the moment to ask the user before leaving. Call `flush()` too: in a page that stays
   * (merely hidden) the ordinary write then lands and removes the rescue record.
   */
  rescue(): boolean;
  /**
   * Resolves once everything handed to `update` for project `projectId` so far is durably
   * stored (its strict-durability transaction completed) — at once when nothing is pending. A
   * failing write does not settle it: writes are retried, and it resolves when one lands. Rejects
   * with the `StorageError` when that can no longer happen: the project was found deleted,
   * changed in another tab or corrupt, was forgotten or reset to another state, or autosave was
   * destroyed and its last write failed. For changes whose "Saved" must be true when shown
   * (review decisions, signatures).
   */
  whenSaved(projectId: string): Promise<void>;
  /** Stops writing project `projectId` (a load found it corrupt); also done on storage's `corrupt` notice. */
  markCorrupt(projectId: string): void;
  /**
   * Drops the queued writes and the saved baseline of project `projectId`, and refuses further
   * `update`s of it until `reset` with that project: call it right before deleting the project,
   * so a pending or late write cannot re-create it. A write already in flight still completes
   * (the delete, issued after it, runs after it).
   */
  forget(projectId: string): void;
  /** The current status. */
  getStatus(): AutosaveStatus;
  /** Stops the engine. Starts a last write of anything pending (best effort; `flush()` first to know it landed). */
  destroy(): void;
}

/** Default minimum time between writes. */
export const DEFAULT_AUTOSAVE_DELAY_MS = 300;
/**
 * A change is written within this long (outside of error backoff): the product promises "within a
 * second".
 */
export const MAX_SAVE_LATENCY_MS = 1_000;
/** First retry delay after a failed write; doubles on each further failure. */
const RETRY_BASE_MS = 500;
/** Longest wait between retries. */
export const RETRY_MAX_MS = 10_000;

/** Wait before retry number `failures` (1-based): 0.5 s, 1 s, 2 s, … capped at 10 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

/** Message for a `whenSaved` whose changes were replaced (project reloaded) before they were stored. */
const RESET_BEFORE_SAVED_MESSAGE =
  'This change was not saved: the project was reloaded before it could be written. Make the change again.';

/** Message for a `whenSaved` still waiting when autosave stopped (project closed) and its last write failed. */
const DESTROYED_BEFORE_SAVED_MESSAGE =
  'This change was not saved: the project was closed before it could be written. Make the change again.';

/** Message when a change to a project that failed to load is not saved. */
export const CORRUPT_REFUSAL_MESSAGE =
  'This project could not be read back correctly, so Preflight is not saving changes to it (that would write ' +
  'over data that may still be recoverable). Export what you need to a file, then import a good copy or delete it.';

interface Entry {
  /** newest snapshot handed to `update` */
  latest: Project;
  /** last snapshot stored successfully; null when unknown */
  saved: Project | null;
  /** the next write must be a full snapshot (unknown baseline, or a write failed) */
  full: boolean;
  /** the project is known to be stored (reset with it, or written): a write must not create it */
  stored: boolean;
  /** the snapshot a write in flight is storing */
  inFlight?: Project | null;
  /** update number of `latest` (see `updates`) */
  latestUpdate?: number;
  /** the snapshot last handed to storage's `rescue` (not rescued again while unchanged) */
  rescued?: Project | null;
  /** the in-flight snapshot whose write a rescue aborted: its failure is no failure, it is retried */
  given?: Project | null;
}

const isDirty = (entry: Entry) => entry.full || entry.saved !== entry.latest;

/**
 * Failures after which retrying would do harm, so writes of that project stop until `reset`:
 * the project was deleted (a write would re-create it) or changed in another tab (a write
 * would overwrite those changes).
 */
function stopsWrites(error: StorageError): boolean {
  return error.kind === 'not-found' || error.kind === 'conflict';
}

/**
 * Creates the autosave engine for `storage`.
 */
export function createAutosave(storage: AutosaveStorage, options: AutosaveOptions = {}): Autosave {
  const delayMs = Math.min(Math.max(0, options.delayMs ?? DEFAULT_AUTOSAVE_DELAY_MS), MAX_SAVE_LATENCY_MS);
  const now = options.now ?? (() => new Date().toISOString());

  const entries = new Map<string, Entry>();
  const corrupt = new Set<string>();
  /**
   * projects a write found deleted or changed in another tab, or forgotten before a delete:
   * never written until `reset`; the value is the error to report
   */
  const stopped = new Map<string, StorageError>();
  let currentId: string | null = null;
  let writing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerDue = Number.POSITIVE_INFINITY;
  let failures = 0;
  let writeError: StorageError | undefined;
  let refusal: StorageError | undefined;
  let lastSavedAt: string | undefined;
  let destroyed = false;
  let status: AutosaveStatus = { state: 'saved' };
  /** counts `update` calls; a write of the snapshot of update k stores every update ≤ k */
  let updates = 0;
  /** per project: the largest update number known durably stored */
  const savedUpdate = new Map<string, number>();
  /** per project: callers of `whenSaved` waiting for an update number to be stored */
  const waiters = new Map<
    string,
    { update: number; resolve: () => void; reject: (e: StorageError) => void }[]
  >();

  /** Resolves the waiters of `projectId` whose update is now stored. */
  function settleSaved(projectId: string, update: number) {
    savedUpdate.set(projectId, Math.max(savedUpdate.get(projectId) ?? 0, update));
    const list = waiters.get(projectId);
    if (!list) return;
    const stored = savedUpdate.get(projectId) ?? 0;
    const remaining = list.filter((w) => {
      if (w.update > stored) return true;
      w.resolve();
      return false;
    });
    if (remaining.length > 0) waiters.set(projectId, remaining);
    else waiters.delete(projectId);
  }

  /** Rejects every waiter of `projectId`: what they wait for will not be stored. */
  function failWaiters(projectId: string, error: StorageError) {
    const list = waiters.get(projectId);
    waiters.delete(projectId);
    for (const w of list ?? []) w.reject(error);
  }

  const unsubscribe = storage.subscribe?.((notice) => {
    if (notice.type === 'corrupt') autosave.markCorrupt(notice.projectId);
  });

  function computeStatus(): AutosaveStatus {
    const withTime = (s: AutosaveStatus): AutosaveStatus =>
      lastSavedAt === undefined ? s : { ...s, lastSavedAt };
    // a retry of a failed write keeps saying why the change is not saved until one succeeds:
    // flickering to "Saving…" every few seconds would read as if the problem had gone
    if (writeError) return withTime({ state: 'error', error: writeError });
    if (writing) return withTime({ state: 'saving' });
    if (refusal) return withTime({ state: 'error', error: refusal });
    for (const entry of entries.values()) if (isDirty(entry)) return withTime({ state: 'pending' });
    return withTime({ state: 'saved' });
  }

  function emit() {
    const next = computeStatus();
    if (
      next.state === status.state &&
      next.error === status.error &&
      next.lastSavedAt === status.lastSavedAt
    ) {
      return;
    }
    status = next;
    if (!destroyed) options.onStatus?.(status);
  }

  function clearTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    timerDue = Number.POSITIVE_INFINITY;
  }

  /** Runs a write `delay` ms from now unless one is already due sooner. */
  function schedule(delay: number) {
    if (destroyed) return;
    const due = Date.now() + delay;
    if (timer !== null && timerDue <= due) return;
    clearTimer();
    timerDue = due;
    timer = setTimeout(() => {
      timer = null;
      timerDue = Number.POSITIVE_INFINITY;
      if (writing) return; // the running write reschedules when it ends
      writeNext().catch(() => undefined); // reported through the status
    }, delay);
  }

  /** The entry to write next: other (previous) projects first, then the current one. */
  function nextDirty(): [string, Entry] | undefined {
    let current: [string, Entry] | undefined;
    for (const pair of entries) {
      if (!isDirty(pair[1])) continue;
      if (pair[0] !== currentId) return pair;
      current = pair;
    }
    return current;
  }

  /** After a write: drop clean entries of other projects, schedule what is still dirty. */
  function afterWrite() {
    for (const [id, entry] of entries) if (id !== currentId && !isDirty(entry)) entries.delete(id);
    const next = nextDirty();
    if (next && !writeError) schedule(next[0] !== currentId ? 0 : delayMs);
    emit();
  }

  /**
   * Writes one dirty entry. Starts the storage call synchronously (so a write begun by
   * `destroy()` or `flush()` reaches IndexedDB before the owner can close it).
   */
  function writeNext(): Promise<void> {
    const next = nextDirty();
    if (!next) return Promise.resolve();
    const [id, entry] = next;
    const snapshot = entry.latest;
    const baseline = entry.saved;
    let call: Promise<void>;
    try {
      if (!entry.full && baseline !== null) {
        call = storage.saveChanges(snapshot, baseline);
      } else if (entry.stored) {
        // rewrite what is stored, unless it was deleted or changed elsewhere since `baseline`
        const expectedRevision = baseline === null ? undefined : storage.revisionOf?.(baseline);
        call = storage.saveProject(
          snapshot,
          expectedRevision === undefined ? { mustExist: true } : { mustExist: true, expectedRevision },
        );
      } else {
        call = storage.saveProject(snapshot);
      }
    } catch (error) {
      call = Promise.reject(error);
    }
    entry.inFlight = snapshot;
    const writtenUpdate = entry.latestUpdate ?? 0;
    const run = call.then(
      () => {
        settleSaved(id, writtenUpdate);
        entry.given = null;
        entry.saved = snapshot;
        entry.full = false;
        entry.stored = true;
        failures = 0;
        writeError = undefined;
        lastSavedAt = now();
      },
      (error: unknown) => {
        const storageError = toStorageError(error);
        // forgotten meanwhile (about to be deleted), or reset to a fresh load that this failure
        // says nothing about: nothing to retry or report
        if (entries.get(id) !== entry && (stopped.has(id) || stopsWrites(storageError))) return;
        if (entry.given === snapshot && !stopsWrites(storageError)) {
          // the rescue aborted it (storage's `rescue`): nothing landed, the baseline still holds;
          // the next write (flush, or the timer after `afterWrite`) stores it
          entry.given = null;
          return;
        }
        if (stopsWrites(storageError)) {
          // deleted or changed in another tab: stop writing it; retrying would re-create the
          // project or overwrite the other tab's changes
          stopped.set(id, storageError);
          entries.delete(id);
          failWaiters(id, storageError);
          failures = 0;
          writeError = undefined;
          // shown even when another project is current: that project's last changes were not saved
          refusal = storageError;
          throw storageError;
        }
        // the baseline is no longer known to match the disk: rewrite everything next time
        entry.full = true;
        failures += 1;
        writeError = storageError;
        if (corrupt.has(id) || stopped.has(id)) entries.delete(id);
        schedule(retryDelayMs(failures));
        throw writeError;
      },
    );
    writing = run.finally(() => {
      writing = null;
      entry.inFlight = null;
      afterWrite();
    });
    emit();
    return writing;
  }

  /** A flush gives up (rejects) after this many failed writes in a row: a diff, then a full snapshot. */
  const FLUSH_ATTEMPTS = 2;

  async function flushAll(): Promise<void> {
    clearTimer();
    let failed = 0;
    // a write that found its project deleted or changed elsewhere is not retried, but the flush
    // must not report success
    let lost: StorageError | null = null;
    for (;;) {
      if (writing) {
        // its failure is retried below as a full snapshot — unless its project was deleted or
        // changed elsewhere
        await writing.catch((error: unknown) => {
          const storageError = toStorageError(error);
          if (stopsWrites(storageError)) lost = storageError;
        });
        continue;
      }
      if (!nextDirty()) {
        if (lost) throw lost;
        return;
      }
      clearTimer();
      try {
        await writeNext();
        failed = 0;
      } catch (error) {
        const storageError = toStorageError(error);
        if (stopsWrites(storageError)) {
          lost = storageError;
          continue;
        }
        failed += 1;
        if (failed >= FLUSH_ATTEMPTS) throw error;
      }
    }
  }

  let finalFlush: Promise<void> | null = null;

  const autosave: Autosave = {
    update(project) {
      if (destroyed) return;
      const id = project.meta.id;
      if (corrupt.has(id)) {
        refusal = new StorageError('corrupt', CORRUPT_REFUSAL_MESSAGE, { location: { projectId: id } });
        emit();
        return;
      }
      const gone = stopped.get(id);
      if (gone) {
        refusal = gone;
        emit();
        return;
      }
      refusal = undefined;
      const switching = currentId !== null && currentId !== id;
      currentId = id;
      updates += 1;
      const entry = entries.get(id);
      if (entry) {
        entry.latest = project;
        entry.latestUpdate = updates;
      } else {
        entries.set(id, { latest: project, saved: null, full: true, stored: false, latestUpdate: updates });
      }
      // while a write keeps failing, the backoff timer decides when to retry — except for a
      // document that failed validation: the user may just have fixed it
      if (!writeError || writeError.kind === 'invalid') {
        if (switching) {
          schedule(0);
        } else if (isDirty(entries.get(id) as Entry)) {
          schedule(delayMs);
        }
      }
      emit();
    },

    flush() {
      if (finalFlush) return finalFlush;
      return flushAll();
    },

    reset(project) {
      if (destroyed) return;
      refusal = undefined;
      if (!project) {
        for (const [id, entry] of entries) {
          if (isDirty(entry)) {
            failWaiters(
              id,
              new StorageError('conflict', RESET_BEFORE_SAVED_MESSAGE, { location: { projectId: id } }),
            );
          }
        }
        entries.clear();
        corrupt.clear();
        stopped.clear();
        currentId = null;
        failures = 0;
        writeError = undefined;
        clearTimer();
        emit();
        return;
      }
      const id = project.meta.id;
      corrupt.delete(id);
      stopped.delete(id);
      const replaced = entries.get(id);
      if (replaced && isDirty(replaced)) {
        failWaiters(
          id,
          new StorageError('conflict', RESET_BEFORE_SAVED_MESSAGE, { location: { projectId: id } }),
        );
      }
      entries.set(id, { latest: project, saved: project, full: false, stored: true });
      currentId = id;
      lastSavedAt = undefined;
      if (!nextDirty()) {
        // the failing write (if any) was of what this reset replaces
        failures = 0;
        writeError = undefined;
        clearTimer();
      }
      emit();
    },

    rescue() {
      // changes that no write will store: only the user can still save them (export)
      if (refusal) return false;
      const pending: RescueEntry[] = [];
      let covered = true;
      for (const [id, entry] of entries) {
        if (!isDirty(entry) || stopped.has(id) || corrupt.has(id)) continue;
        if (entry.rescued === entry.latest) continue;
        const baseRevision = entry.saved === null ? undefined : storage.revisionOf?.(entry.saved);
        pending.push({
          project: entry.latest,
          baseRevision,
          inFlight: entry.inFlight ?? null,
          stored: entry.stored,
        });
      }
      if (pending.length > 0) {
        covered = storage.rescue?.(pending) ?? false;
        if (covered)
          for (const item of pending) {
            const entry = entries.get(item.project.meta.id);
            if (!entry) continue;
            entry.rescued = item.project;
            if (item.inFlight) entry.given = item.inFlight;
          }
      }
      // a write that keeps failing (e.g. a full disk) will most likely fail the rescue too
      return covered && writeError === undefined;
    },

    whenSaved(projectId) {
      const gone = stopped.get(projectId);
      if (gone) return Promise.reject(gone);
      if (corrupt.has(projectId)) {
        return Promise.reject(
          new StorageError('corrupt', CORRUPT_REFUSAL_MESSAGE, { location: { projectId } }),
        );
      }
      const entry = entries.get(projectId);
      const wanted = entry?.latestUpdate ?? 0;
      if (!entry || !isDirty(entry) || wanted <= (savedUpdate.get(projectId) ?? 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const list = waiters.get(projectId) ?? [];
        list.push({ update: wanted, resolve, reject });
        waiters.set(projectId, list);
      });
    },

    markCorrupt(projectId) {
      corrupt.add(projectId);
      entries.delete(projectId);
      failWaiters(
        projectId,
        new StorageError('corrupt', CORRUPT_REFUSAL_MESSAGE, { location: { projectId } }),
      );
      if (currentId === projectId) {
        refusal = new StorageError('corrupt', CORRUPT_REFUSAL_MESSAGE, { location: { projectId } });
      }
      emit();
    },

    forget(projectId) {
      if (destroyed) return;
      entries.delete(projectId);
      failWaiters(
        projectId,
        new StorageError('not-found', PROJECT_DELETED_MESSAGE, { location: { projectId } }),
      );
      corrupt.delete(projectId);
      stopped.set(
        projectId,
        new StorageError('not-found', PROJECT_DELETED_MESSAGE, { location: { projectId } }),
      );
      if (currentId === projectId) {
        currentId = null;
        refusal = undefined;
      }
      if (!nextDirty()) {
        // a failing write of the forgotten project must not keep the status in error
        failures = 0;
        writeError = undefined;
        clearTimer();
      }
      emit();
    },

    getStatus: () => status,

    destroy() {
      if (destroyed) return;
      unsubscribe?.();
      clearTimer();
      destroyed = true;
      // last write of anything pending; starts synchronously when nothing is in flight. Whoever
      // still waits after it learns that their change was not stored.
      finalFlush = flushAll()
        .catch(() => undefined)
        .then(() => {
          for (const id of [...waiters.keys()]) {
            failWaiters(
              id,
              new StorageError('unavailable', DESTROYED_BEFORE_SAVED_MESSAGE, {
                location: { projectId: id },
              }),
            );
          }
        });
    },
  };
  return autosave;
}
