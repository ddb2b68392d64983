/**
 * Where the journal of running jobs is kept (src/app/jobs/jobJournal.ts decides what goes in it): a
 * database of its own, `preflight-jobs`, with one store `jobs` keyed by `[session, job]`.
 *
 * Constraints:
 * - A record is written in a strict-durability transaction and `put` resolves only once it is
 *   committed, so a job that starts after it is on disk even if the browser is killed the next
 *   instant (web storage, where the journal used to be, reaches disk a second or more later).
 * - Reading and removing never create the database: an open that would create it is aborted in
 *   its upgrade, so a start with no job ever run, or a removal that arrives after "Close and wipe"
 *   deleted the database, leaves no database behind. Only `put` creates it.
 * - It holds what the header shows of a job (label, file name, percent), never record content.
 * - One connection, opened on demand, closed on `versionchange` (a wipe in this or another tab is
 *   never blocked) and opened again by the next operation.
 * - A job whose entry was in the journal when the database was deleted ("Close and wipe" in this
 *   or another tab) writes it no more: a job of another tab still running through the wipe would
 *   otherwise bring the database and its entry back with its next progress. A job started after
 *   the wipe is recorded as before.
 * - Uses the global `indexedDB` (fake-indexeddb/auto in vitest).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { closeOnVersionChange } from './closeOnVersionChange.ts';
import { toStorageError } from './errors.ts';
import { observed, upgradeWatch } from './transactionFailures.ts';

/** The database's name (separate from the project database). */
export const JOB_JOURNAL_DB_NAME = 'preflight-jobs';
const VERSION = 1;

/** One running job as the journal keeps it. */
export interface JournalEntry {
  session: string;
  /** the job's id in its session's registry */
  job: string;
  label: string;
  subject: string;
  href?: string;
  /** ISO date-time the job started */
  startedAt: string;
  /** ISO date-time of the last write */
  updatedAt: string;
  /** whole percent done at the last write, when the job reported a total */
  percent?: number;
}

/** What identifies an entry. */
export type JournalKey = Pick<JournalEntry, 'session' | 'job'>;

interface JobJournalSchema extends DBSchema {
  jobs: { key: [string, string]; value: JournalEntry };
}

/** The stored journal. Every method rejects with a StorageError when the browser refuses. */
export interface JobJournalStore {
  /** Writes `entries` (replacing those with the same key); resolves once committed. */
  put(entries: readonly JournalEntry[]): Promise<void>;
  /** Removes the entries with these keys; does nothing when there is no database. */
  remove(keys: readonly JournalKey[]): Promise<void>;
  /** Every entry, in key order; none when there is no database. */
  all(): Promise<JournalEntry[]>;
  /** Closes the connection; a later operation opens it again. */
  close(): void;
}

interface JobJournalStoreOptions {
  /** defaults to {@link JOB_JOURNAL_DB_NAME} */
  name?: string;
}

/** Raised inside an aborted upgrade: the database did not exist and must not be created. */
class NoDatabase extends Error {}

/** Creates the store; nothing is opened until the first operation. */
export function createJobJournalStore(options: JobJournalStoreOptions = {}): JobJournalStore {
  const name = options.name ?? JOB_JOURNAL_DB_NAME;
  let connection: Promise<IDBPDatabase<JobJournalSchema>> | null = null;
  /** the entries this store wrote and has not removed, by key */
  const written = new Set<string>();
  /** the entries that were in the journal when it was deleted: never written again */
  const wiped = new Set<string>();
  const keyOf = (key: JournalKey) => JSON.stringify([key.session, key.job]);

  async function open(create: boolean): Promise<IDBPDatabase<JobJournalSchema> | null> {
    const pending = connection;
    if (pending) {
      try {
        return await pending;
      } catch {
        // that open failed (or found no database): try again, as this operation asks
      }
    }
    let missing = false;
    const watch = upgradeWatch();
    const opening = openDB<JobJournalSchema>(name, VERSION, {
      upgrade(database, oldVersion, _newVersion, transaction) {
        watch.observe(transaction);
        if (oldVersion === 0 && !create) {
          // aborting the first upgrade leaves no database behind
          missing = true;
          transaction.abort();
          return;
        }
        database.createObjectStore('jobs', { keyPath: ['session', 'job'] });
      },
    }).then(
      (db) => {
        const forget = () => {
          if (connection === opening) connection = null;
        };
        closeOnVersionChange(db, (deleted) => {
          // the entries written so far were wiped with the database
          if (deleted) {
            for (const key of written) wiped.add(key);
            written.clear();
          }
          forget();
        });
        db.addEventListener('close', forget);
        return db;
      },
      (error: unknown) => {
        throw missing ? new NoDatabase() : toStorageError(watch.failure(error));
      },
    );
    connection = opening;
    try {
      return await opening;
    } catch (error) {
      if (connection === opening) connection = null;
      if (error instanceof NoDatabase) return null;
      throw error;
    }
  }

  return {
    async put(all) {
      const entries = all.filter((entry) => !wiped.has(keyOf(entry)));
      if (entries.length === 0) return;
      const db = await open(true);
      if (!db) return;
      try {
        const tx = db.transaction('jobs', 'readwrite', { durability: 'strict' });
        // a request fails with its transaction (a full disk aborts it): tx.done reports that once
        for (const entry of entries) tx.store.put(entry).catch(() => undefined);
        await tx.done;
        for (const entry of entries) written.add(keyOf(entry));
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async remove(keys) {
      if (keys.length === 0) return;
      const db = await open(false);
      if (!db) return;
      try {
        const tx = db.transaction('jobs', 'readwrite', { durability: 'strict' });
        for (const key of keys) tx.store.delete([key.session, key.job]).catch(() => undefined);
        await tx.done;
        for (const key of keys) written.delete(keyOf(key));
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async all() {
      const db = await open(false);
      if (!db) return [];
      try {
        return await observed(db.transaction('jobs')).store.getAll();
      } catch (error) {
        throw toStorageError(error);
      }
    },
    close() {
      const current = connection;
      connection = null;
      void current?.then(
        (db) => db.close(),
        () => undefined,
      );
    },
  };
}
