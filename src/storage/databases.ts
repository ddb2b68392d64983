/**
 * Every IndexedDB database Preflight keeps in a browser, in one list: "Close and wipe" deletes each
 * of them, and the wipe's test checks the list against what the app's own stores create.
 *
 * Constraints:
 * - A store that keeps a database of its own adds its name here. The wipe also deletes every other
 *   database the browser lists for this origin (`indexedDB.databases()`), so one a later version
 *   forgets to add is still removed where the browser can list them (every current one can).
 */
import { DEFAULT_DB_NAME, deletePreflightDb } from './db.ts';
import { DECISION_OUTBOX_DB_NAME } from './decisionOutboxStore.ts';
import { IG_PACKAGE_DB_NAME } from './igPackageStore.ts';
import { JOB_JOURNAL_DB_NAME } from './jobJournalStore.ts';
import { LOG_WITNESS_DB_NAME } from './logWitnessStore.ts';
import { TEAM_SYNC_DB_NAME } from './teamSyncStore.ts';

/**
 * The databases Preflight keeps: projects, implementation guide packages, the running jobs'
 * journal, shared projects' links to the team server with their queued changes, the heads of
 * the team server's audit log this browser witnessed, and a reviewer's decisions waiting for it.
 */
export const PREFLIGHT_DATABASES: readonly string[] = [
  DEFAULT_DB_NAME,
  IG_PACKAGE_DB_NAME,
  JOB_JOURNAL_DB_NAME,
  TEAM_SYNC_DB_NAME,
  LOG_WITNESS_DB_NAME,
  DECISION_OUTBOX_DB_NAME,
];

/**
 * Deletes {@link PREFLIGHT_DATABASES} and every other database `factory` lists for this origin.
 * Resolves once each is deleted or, when another tab holds one open, after the grace period (the
 * browser deletes it as soon as that tab lets go). Never rejects: a wipe goes as far as it can.
 */
export async function deleteEveryDatabase(factory: IDBFactory, graceMs?: number): Promise<void> {
  const names = new Set(PREFLIGHT_DATABASES);
  try {
    const listed = typeof factory.databases === 'function' ? await factory.databases() : [];
    for (const { name } of listed) if (name) names.add(name);
  } catch {
    // the browser cannot list its databases: the known ones are deleted all the same
  }
  await Promise.all(
    [...names].map((name) => deletePreflightDb(name, factory, graceMs).catch(() => undefined)),
  );
}
