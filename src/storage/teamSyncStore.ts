/**
 * Where a project's link to the team server and its shared records' sync state are kept: a
 * database of its own, `preflight-team-sync`, one store `links` keyed by the local project's id.
 * The state holds the queue of writes not sent yet, so changes made offline survive a reload and
 * go out in order when the server is reached again (src/core/teamRecords).
 *
 * Constraints:
 * - A link is written in a strict-durability transaction; `put` resolves once it is committed.
 * - It holds the project's shared records only (what is sent anyway), never record content: the
 *   never-sent guard ran before a write was queued.
 * - One connection, opened on demand, closed on `versionchange` (a wipe is never blocked).
 * - Uses the global `indexedDB` (fake-indexeddb/auto in vitest).
 */
import type { DBSchema } from 'idb';
import type { RecordSyncState } from '../core/teamRecords/index.ts';
import { toStorageError } from './errors.ts';
import { lazyDatabase } from './lazyDatabase.ts';
import { observed } from './transactionFailures.ts';

/** The database's name (separate from the project database). */
export const TEAM_SYNC_DB_NAME = 'preflight-team-sync';
const VERSION = 1;

/** A local project's link to a team project, and where its records' sync stands. */
export interface TeamLink {
  /** the local project's id */
  project: string;
  teamProjectId: string;
  teamProjectName: string;
  state: RecordSyncState;
}

interface TeamSyncSchema extends DBSchema {
  links: { key: string; value: TeamLink };
}

/** The stored links. Every method rejects with a StorageError when the browser refuses. */
export interface TeamSyncStore {
  get(project: string): Promise<TeamLink | undefined>;
  /** the local projects linked to team project `teamProjectId` (one, unless opened here twice) */
  linkedTo(teamProjectId: string): Promise<TeamLink[]>;
  put(link: TeamLink): Promise<void>;
  remove(project: string): Promise<void>;
  close(): void;
}

/** Creates the store; nothing is opened until the first operation. */
export function createTeamSyncStore(name = TEAM_SYNC_DB_NAME): TeamSyncStore {
  const database = lazyDatabase<TeamSyncSchema>(name, VERSION, (database) => {
    database.createObjectStore('links', { keyPath: 'project' });
  });
  return {
    async get(project) {
      try {
        return await observed((await database.open()).transaction('links')).store.get(project);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async linkedTo(teamProjectId) {
      try {
        const links = await observed((await database.open()).transaction('links')).store.getAll();
        return links.filter((link) => link.teamProjectId === teamProjectId);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async put(link) {
      try {
        const tx = (await database.open()).transaction('links', 'readwrite', { durability: 'strict' });
        await Promise.all([tx.store.put(link), tx.done]);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    async remove(project) {
      try {
        const tx = (await database.open()).transaction('links', 'readwrite', { durability: 'strict' });
        await Promise.all([tx.store.delete(project), tx.done]);
      } catch (error) {
        throw toStorageError(error);
      }
    },
    close() {
      database.close();
    },
  };
}
