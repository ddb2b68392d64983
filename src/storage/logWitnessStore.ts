/**
 * What this browser witnessed of the team server's audit log: per team project, the latest
 * signed tree head it saw proved to extend the one before (src/core/transparency/witness.ts), and
 * — once a sync found the server's log changed — the alarm with both heads. A database of its
 * own beside the team sync store, `preflight-log-witness`, one store `heads` keyed by the team
 * project's id.
 *
 * Constraints:
 * - A head is written in a strict-durability transaction; `put` resolves once it is committed.
 * - Holds heads (sizes, hashes, times, signatures) only: nothing of any record.
 * - The caller never replaces a head with one not proved to extend it: an alarm keeps the head.
 * - One connection, opened on demand, closed on `versionchange` (a wipe is never blocked).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import { toStorageError } from './errors.ts';
import { observed, upgradeWatch } from './transactionFailures.ts';

/** The database's name. */
export const LOG_WITNESS_DB_NAME = 'preflight-log-witness';
const VERSION = 1;

/** What this browser keeps of one team project's log. */
export interface WitnessedLog {
  teamProjectId: string;
  /** the latest head proved to extend every head before it */
  head: SignedTreeHead;
  /** the server's log key the head is signed with (raw, hex) */
  publicKey: string;
  /** set once a sync found the server's log no longer extends `head` */
  changed?: { current: SignedTreeHead; message: string; seenAt: string };
}

interface LogWitnessSchema extends DBSchema {
  heads: { key: string; value: WitnessedLog };
}

/** The stored heads. Every method rejects with a StorageError when the browser refuses. */
export interface LogWitnessStore {
  get(teamProjectId: string): Promise<WitnessedLog | undefined>;
  put(log: WitnessedLog): Promise<void>;
  close(): void;
}

/** Creates the store; nothing is opened until the first operation. */
export function createLogWitnessStore(name = LOG_WITNESS_DB_NAME): LogWitnessStore {
  let connection: Promise<IDBPDatabase<LogWitnessSchema>> | null = null;
  function open(): Promise<IDBPDatabase<LogWitnessSchema>> {
    if (connection) return connection;
    const watch = upgradeWatch();
    const opening = openDB<LogWitnessSchema>(name, VERSION, {
      upgrade(database, _oldVersion, _newVersion, transaction) {
        watch.observe(transaction);
        database.createObjectStore('heads', { keyPath: 'teamProjectId' });
      },
    }).then(
      (db) => {
        db.addEventListener('versionchange', () => {
          db.close();
          if (connection === opening) connection = null;
        });
        return db;
      },
      (error: unknown) => {
        if (connection === opening) connection = null;
        throw toStorageError(watch.failure(error));
      },
    );
    connection = opening;
    return opening;
  }
  return {
    async get(teamProjectId) {
      try {
        return await observed((await open()).transaction('heads')).store.get(teamProjectId);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async put(log) {
      try {
        const tx = (await open()).transaction('heads', 'readwrite', { durability: 'strict' });
        await Promise.all([tx.store.put(log), tx.done]);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    close() {
      void connection?.then((db) => db.close()).catch(() => undefined);
      connection = null;
    },
  };
}
