/**
 * How a store's own database connection steps aside when another connection (this tab's or
 * another tab's) upgrades or deletes the database: it closes at once, so "Close and wipe" is never
 * blocked, and tells its store whether the database was deleted ("Close and wipe") rather than
 * upgraded. A store that was told of a deletion must not let work begun before it write again:
 * opening the database anew would bring it back with what that work writes.
 */

/** What this needs of a connection (an `idb` database or a plain `IDBDatabase`). */
interface Closable {
  addEventListener(type: 'versionchange', listener: (event: IDBVersionChangeEvent) => void): void;
  close(): void;
}

/** Closes `db` on `versionchange`, then calls `onClosed` with whether the database was deleted. */
export function closeOnVersionChange(db: Closable, onClosed: (deleted: boolean) => void): void {
  db.addEventListener('versionchange', (event) => {
    db.close();
    // a deletion asks for no new version
    onClosed(event.newVersion === null);
  });
}
