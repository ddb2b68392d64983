/**
 * The bytes of the implementation guide packages (FHIR NPM `.tgz`) projects use, kept in this
 * browser beside the projects: a database of its own, `preflight-ig-packages`, with one store
 * `packages` keyed by `[projectId, sha256]`. The project itself records each package by reference
 * (`meta.settings.fhirPackages`: file, name, version, SHA-256), so a project file carries the
 * references and never the packages (docs/decisions/0030-ig-packages-kept-by-reference.md).
 *
 * Constraints:
 * - Packages are published conformance material, not patient data, and may be tens of MB: they
 *   are kept as Blobs, never in the project's documents or its autosave queue.
 * - "Close and wipe" deletes this database with the project database (src/storage/databases.ts).
 * - Opened on demand and closed on `versionchange`, so a wipe in another tab is never blocked.
 * - A store whose database was deleted under it ("Close and wipe" in this or another tab) keeps
 *   nothing more: `put` rejects with {@link IgPackagesWipedError} and never opens the database
 *   again, so a package another tab was still reading when the wipe came does not bring the
 *   database back with it. Work that adds a package opens its store before it reads the file.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { closeOnVersionChange } from './closeOnVersionChange.ts';
import { toStorageError } from './errors.ts';
import { observed, upgradeWatch } from './transactionFailures.ts';

/** The database's name (separate from the project database). */
export const IG_PACKAGE_DB_NAME = 'preflight-ig-packages';
const VERSION = 1;

/** Raised by `put` once the database was deleted under the store: the package was not kept. */
export class IgPackagesWipedError extends Error {
  constructor() {
    super("Preflight's data in this browser was wiped in another tab, so this tab stopped saving.");
    this.name = 'IgPackagesWipedError';
  }
}

/** One stored package. */
export interface StoredIgPackage {
  projectId: string;
  sha256: string;
  fileName: string;
  file: Blob;
}

interface IgPackageSchema extends DBSchema {
  packages: { key: [string, string]; value: StoredIgPackage };
}

/** The packages of projects in this browser. */
interface IgPackageStore {
  /** the project's stored packages, by SHA-256 */
  list(projectId: string): Promise<Map<string, StoredIgPackage>>;
  /** @throws IgPackagesWipedError once the database was deleted under this store */
  put(entry: StoredIgPackage): Promise<void>;
  remove(projectId: string, sha256: string): Promise<void>;
  close(): void;
}

/**
 * Opens the package store.
 * @throws StorageError when IndexedDB cannot be used (private mode, storage full, …).
 */
export async function openIgPackageStore(name: string = IG_PACKAGE_DB_NAME): Promise<IgPackageStore> {
  let db: IDBPDatabase<IgPackageSchema>;
  const watch = upgradeWatch();
  try {
    db = await openDB<IgPackageSchema>(name, VERSION, {
      upgrade(database, _oldVersion, _newVersion, transaction) {
        watch.observe(transaction);
        database.createObjectStore('packages', { keyPath: ['projectId', 'sha256'] });
      },
    });
  } catch (error) {
    throw toStorageError(watch.failure(error));
  }
  let wiped = false;
  closeOnVersionChange(db, (deleted) => {
    if (deleted) wiped = true;
  });
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error);
    }
  };
  return {
    list: (projectId) =>
      guard(async () => {
        const range = IDBKeyRange.bound([projectId, ''], [projectId, '\uffff']);
        const all = await observed(db.transaction('packages')).store.getAll(range);
        return new Map(all.map((p) => [p.sha256, p]));
      }),
    put: async (entry) => {
      if (wiped) throw new IgPackagesWipedError();
      await guard(async () => {
        await db.put('packages', entry);
      });
    },
    remove: (projectId, sha256) => guard(() => db.delete('packages', [projectId, sha256])),
    close: () => db.close(),
  };
}
