/**
 * One IndexedDB database opened on first use and kept open: a failed open is reported as a
 * StorageError (an aborted upgrade as what it was) and tried again by the next operation; another
 * tab's upgrade (`versionchange`) closes it, and the next operation opens it afresh.
 */
import { type DBSchema, type IDBPDatabase, type OpenDBCallbacks, openDB } from 'idb';
import { toStorageError } from './errors.ts';
import { upgradeWatch } from './transactionFailures.ts';

/** The database: `open` for each operation, `close` when its store is closed. */
interface LazyDatabase<S extends DBSchema> {
  open(): Promise<IDBPDatabase<S>>;
  close(): void;
}

/** `name` at `version`, opened on first use; `upgrade` makes its stores (the transaction is watched). */
export function lazyDatabase<S extends DBSchema>(
  name: string,
  version: number,
  upgrade: NonNullable<OpenDBCallbacks<S>['upgrade']>,
): LazyDatabase<S> {
  let connection: Promise<IDBPDatabase<S>> | null = null;
  function open(): Promise<IDBPDatabase<S>> {
    if (connection) return connection;
    const watch = upgradeWatch();
    const opening = openDB<S>(name, version, {
      upgrade(database, oldVersion, newVersion, transaction, event) {
        watch.observe(transaction);
        upgrade(database, oldVersion, newVersion, transaction, event);
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
    open,
    close() {
      void connection?.then((db) => db.close()).catch(() => undefined);
      connection = null;
    },
  };
}
