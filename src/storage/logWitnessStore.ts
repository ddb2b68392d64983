/**
 * What this browser witnessed of the team server's audit log: per team project, the latest
 * signed tree head it saw proved to extend the one before (src/core/transparency/witness.ts), and
 * — once a sync found the server's log changed — the alarm with both heads. A database of its
 * own beside the team sync store, `preflight-log-witness`, one store `heads` keyed by the team
 * project's id.
 *
 * Constraints:
 * - A head is written in a strict-durability transaction; `put` resolves once it is committed.
 * - Holds heads (sizes, hashes, times, signatures) and time-stamp authorities' certificates (the
 *   one trusted, and those the lead accepted in place of another) only: nothing of any record.
 * - The caller never replaces a head with one not proved to extend it: an alarm keeps the head.
 * - One connection, opened on demand, closed on `versionchange` (a wipe is never blocked).
 */
import type { DBSchema } from 'idb';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import { toStorageError } from './errors.ts';
import { lazyDatabase } from './lazyDatabase.ts';
import { observed } from './transactionFailures.ts';

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
  /**
   * the certificate (base64 DER) of the time-stamp authority whose stamp this browser saw first on
   * the project's heads: later stamps must be by it (src/core/timeStamp `witnessTreeHeadStamp`)
   */
  stampAuthority?: string;
  /**
   * each time the lead accepted another authority in place of the one kept (a renewed or changed
   * time-stamp authority), oldest first: the certificate taken, the one it replaced, and when
   */
  acceptedStampAuthorities?: { certificate: string; replaced: string; acceptedAt: string }[];
  /**
   * set once a sync found the server sending a head it had sent with a verified time-stamp,
   * without it: `head` as first seen, stamp and all, kept as evidence
   */
  stampRemoved?: { head: SignedTreeHead; message: string; seenAt: string };
  /**
   * how this browser came to trust its first head of the project: when, and the latest head the
   * team's other browsers reported that it was checked to extend (absent: there was none)
   */
  firstSeen?: { at: string; checkedAgainst?: { name: string; size: number; reportedAt: string } };
  /** the size of the head this browser last reported to the server as witnessed */
  reportedSize?: number;
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
  /**
   * Keeps `certificate` (base64 DER) as the project's time-stamp authority, in one transaction
   * with reading what is kept: only when a head is kept and no authority yet, and never touching
   * the head or an alarm a sync wrote meanwhile.
   */
  keepStampAuthority(teamProjectId: string, certificate: string): Promise<void>;
  /**
   * Takes `certificate` (base64 DER) as the project's time-stamp authority in place of the one
   * kept, and records it in `acceptedStampAuthorities`, in one transaction with reading what is
   * kept: only when another authority is kept, never touching the head or an alarm.
   */
  acceptStampAuthority(teamProjectId: string, certificate: string, acceptedAt: string): Promise<void>;
  close(): void;
}

/** Creates the store; nothing is opened until the first operation. */
export function createLogWitnessStore(name = LOG_WITNESS_DB_NAME): LogWitnessStore {
  const database = lazyDatabase<LogWitnessSchema>(name, VERSION, (database) => {
    database.createObjectStore('heads', { keyPath: 'teamProjectId' });
  });
  return {
    async get(teamProjectId) {
      try {
        return await observed((await database.open()).transaction('heads')).store.get(teamProjectId);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async put(log) {
      try {
        const tx = (await database.open()).transaction('heads', 'readwrite', { durability: 'strict' });
        await Promise.all([tx.store.put(log), tx.done]);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async keepStampAuthority(teamProjectId, certificate) {
      try {
        const tx = (await database.open()).transaction('heads', 'readwrite', { durability: 'strict' });
        const kept = await tx.store.get(teamProjectId);
        if (kept !== undefined && kept.stampAuthority === undefined)
          await tx.store.put({ ...kept, stampAuthority: certificate });
        await tx.done;
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async acceptStampAuthority(teamProjectId, certificate, acceptedAt) {
      try {
        const tx = (await database.open()).transaction('heads', 'readwrite', { durability: 'strict' });
        const kept = await tx.store.get(teamProjectId);
        if (kept?.stampAuthority !== undefined && kept.stampAuthority !== certificate)
          await tx.store.put({
            ...kept,
            stampAuthority: certificate,
            acceptedStampAuthorities: [
              ...(kept.acceptedStampAuthorities ?? []),
              { certificate, replaced: kept.stampAuthority, acceptedAt },
            ],
          });
        await tx.done;
      } catch (error) {
        throw toStorageError(error);
      }
    },
    close() {
      database.close();
    },
  };
}
