/**
 * Backing up and restoring the embedded database (`--data <dir>`), while a server runs on it or
 * not. Only the process that holds the folder's lock (dataLock.ts) may open it: a second PGlite
 * on the same files would read pages the first has not written yet. So a backup of a running
 * server's folder is taken by that server: `preflight serve backup` leaves a request file in the
 * folder and the server, which watches the folder, writes the copy where the request says and
 * removes the request; a folder no server holds is locked and copied by the command itself.
 *
 * Constraints: the copy is PGlite's `dumpDataDir` (a gzipped tar of the folder) taken between two
 * statements, which PostgreSQL opens as after a crash at that instant — committed work is in it,
 * work in flight is not; the copy is written beside its final name and renamed, so a file under
 * the final name is whole; a restore lands only in an empty folder unless told to replace one no
 * server holds, and leaves no lock or request of the copied server behind. PostgreSQL is backed
 * up with its own tools (pg_dump, pg_restore): the clinic's database administrators know them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { chmod, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { firstBrokenAuditEntry, readAudit } from './auditLog.ts';
import { type Database, embeddedDatabaseOver, openEmbeddedDatabase, type Queryable } from './database.ts';
import { DATA_LOCK_FILE, DataLockedError, lockDataFolder } from './dataLock.ts';
import { appliedVersions } from './migrations.ts';

/** A request for a backup, left in the data folder for the server that holds it. */
const BACKUP_REQUEST_SUFFIX = '.backup-request';
/** The server's answer when a requested backup failed: the reason, in words. */
const BACKUP_FAILED_SUFFIX = '.backup-failed';
/** How long `preflight serve backup` waits for the running server's copy by default. */
export const BACKUP_WAIT_MS = 300_000;

/** What a request file holds. */
interface BackupRequest {
  /** absolute path the copy is written to */
  output: string;
}

/** The server's answer when a requested backup was written: whether the log key is inside. */
const BACKUP_DONE_SUFFIX = '.backup-done';

/**
 * Whether `db` holds the private half of the server's current log key (it does unless the server
 * runs with `--log-key <file>`): a copy of it then holds the key, and is kept as the key is.
 */
export async function logKeyInside(db: Queryable): Promise<boolean> {
  const rows = await db
    .query<{ inside: boolean }>('SELECT bool_or(private_key IS NOT NULL) AS inside FROM log_keys')
    .catch(() => [] as { inside: boolean }[]);
  return rows[0]?.inside === true;
}

/**
 * Writes `db`'s copy to `output` (through a `.partial` file renamed when whole), readable by its
 * owner only (0600, an existing file too): it holds every record, and the log key when the
 * database keeps it. Answers whether the log key's private half is inside.
 */
async function writeBackup(db: Database, output: string): Promise<{ keyInside: boolean }> {
  if (db.dumpDataDir === undefined)
    throw new Error('only the embedded database is backed up by Preflight: use pg_dump for PostgreSQL');
  const partial = `${output}.partial`;
  try {
    const keyInside = await logKeyInside(db);
    await rm(partial, { force: true });
    await writeFile(partial, await db.dumpDataDir(), { flag: 'wx', mode: 0o600 });
    await chmod(partial, 0o600);
    await rename(partial, output);
    return { keyInside };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** What became of one backup the server was asked for: the file written, or why not. */
export type BackupOutcome = { ok: true; output: string } | { ok: false; output?: string; reason: string };

/**
 * Answers backup requests left in `dir` (now and while it runs), one at a time, until `stop`,
 * telling `onAnswer` what became of each (the server logs it). Started by the server that holds
 * `dir`'s lock.
 */
export function answerBackupRequests(
  dir: string,
  db: Database,
  onAnswer?: (outcome: BackupOutcome) => void,
): { stop(): Promise<void> } {
  let queue = Promise.resolve();
  const seen = new Set<string>();
  const answer = (name: string) => {
    if (!name.endsWith(BACKUP_REQUEST_SUFFIX) || seen.has(name)) return;
    seen.add(name);
    queue = queue.then(async () => {
      const file = path.join(dir, name);
      let output: string | undefined;
      try {
        const request = JSON.parse(await readFile(file, 'utf8')) as BackupRequest;
        if (typeof request.output !== 'string' || !path.isAbsolute(request.output))
          throw new Error('the request does not name an absolute output file');
        output = request.output;
        const { keyInside } = await writeBackup(db, request.output);
        const done = path.join(dir, name.slice(0, -BACKUP_REQUEST_SUFFIX.length) + BACKUP_DONE_SUFFIX);
        await writeFile(done, JSON.stringify({ keyInside }));
        onAnswer?.({ ok: true, output });
      } catch (error) {
        // a request removed before it was read (its command gave up) needs no answer
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(file)) return;
        onAnswer?.({ ok: false, output, reason: error instanceof Error ? error.message : String(error) });
        const failed = path.join(dir, name.slice(0, -BACKUP_REQUEST_SUFFIX.length) + BACKUP_FAILED_SUFFIX);
        await writeFile(failed, error instanceof Error ? error.message : String(error)).catch(
          () => undefined,
        );
      } finally {
        await rm(file, { force: true });
        seen.delete(name);
      }
    });
  };
  const watcher: FSWatcher = watch(dir, (_event, name) => {
    if (name !== null) answer(String(name));
  });
  // a watch that fails (the folder removed under a running server) ends backups, not the server
  watcher.on('error', () => watcher.close());
  // requests left before the watch began
  void readdir(dir).then(
    (names) => names.forEach(answer),
    () => undefined,
  );
  return {
    async stop() {
      watcher.close();
      await queue;
    },
  };
}

/**
 * Where the copy of `dir` came from — the command itself, or the server running on it — and
 * whether the log key's private half is inside (absent: a server from before said nothing).
 */
export type BackupTakenBy = ({ by: 'command' } | { by: 'server'; pid: number }) & { keyInside?: boolean };

/**
 * Backs up the embedded database in `dir` to `output`: through the server holding `dir` when one
 * runs on this machine, else by locking and opening it here.
 */
export async function backupDataFolder(
  dir: string,
  output: string,
  { waitMs = BACKUP_WAIT_MS } = {},
): Promise<BackupTakenBy> {
  if (!existsSync(path.join(dir, 'PG_VERSION')))
    throw new Error(`${dir} holds no embedded database: give the --data folder the server runs with`);
  const relative = path.relative(dir, output);
  if (!relative.startsWith('..') && !path.isAbsolute(relative))
    throw new Error('write the backup outside the --data folder: a copy inside it would be copied too');
  let lock: ReturnType<typeof lockDataFolder>;
  try {
    lock = lockDataFolder(dir);
  } catch (error) {
    if (!(error instanceof DataLockedError) || error.holder === undefined) throw error;
    const answer = await requestBackup(dir, output, waitMs);
    return { by: 'server', pid: error.holder.pid, ...answer };
  }
  try {
    const db = await openEmbeddedDatabase(dir);
    try {
      return { by: 'command', ...(await writeBackup(db, output)) };
    } finally {
      await db.close();
    }
  } finally {
    lock.release();
  }
}

/** Asks the server holding `dir` for a copy at `output`, and waits for its answer. */
async function requestBackup(dir: string, output: string, waitMs: number): Promise<{ keyInside?: boolean }> {
  const id = randomBytes(8).toString('hex');
  const request = path.join(dir, `${id}${BACKUP_REQUEST_SUFFIX}`);
  const failed = path.join(dir, `${id}${BACKUP_FAILED_SUFFIX}`);
  const done = path.join(dir, `${id}${BACKUP_DONE_SUFFIX}`);
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let placed = false;
      const answered = () => {
        if (placed && !existsSync(request)) resolve();
      };
      // watched before the request exists, so its removal cannot be missed
      watcher = watch(dir, answered).on('error', reject);
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the server holding ${dir} did not answer within ${waitMs / 1000} s: is it a Preflight from before serve backup? Stop it and run this again`,
            ),
          ),
        waitMs,
      );
      // written under another name and renamed: the server never reads a half-written request
      const partial = `${request}.partial`;
      writeFile(partial, JSON.stringify({ output } satisfies BackupRequest), { flag: 'wx' })
        .then(() => rename(partial, request))
        .then(() => {
          placed = true;
          answered();
        })
        .catch((error: unknown) => {
          void rm(partial, { force: true });
          reject(error);
        });
    });
  } finally {
    watcher?.close();
    clearTimeout(timer);
    await rm(request, { force: true });
  }
  if (existsSync(failed)) {
    const reason = await readFile(failed, 'utf8');
    await rm(failed, { force: true });
    throw new Error(`the server could not write the backup: ${reason}`);
  }
  if (!existsSync(output)) throw new Error('the server removed the request but wrote no backup');
  if (!existsSync(done)) return {};
  const answer = JSON.parse(await readFile(done, 'utf8')) as { keyInside?: unknown };
  await rm(done, { force: true });
  return typeof answer.keyInside === 'boolean' ? { keyInside: answer.keyInside } : {};
}

/** What a restore found in the copy. */
export interface RestoreSummary {
  /** the schema versions the copy records (a later start migrates it further) */
  versions: number[];
  /** entries in its audit log, whose chain was checked whole */
  auditEntries: number;
}

/**
 * Restores a copy written by {@link backupDataFolder} into `dir`, which must be empty or missing
 * unless `replace` (and then no server may hold it). The copy is opened and checked in a folder
 * beside `dir` first — it records a schema and its audit log's chain is whole — and only then
 * moved in, so a bad copy never costs the folder it would have replaced.
 */
export async function restoreDataFolder(
  file: string,
  dir: string,
  { replace = false } = {},
): Promise<RestoreSummary> {
  const copy = await readFile(file);
  const present = existsSync(dir) ? await readdir(dir) : [];
  if (present.length > 0 && !replace)
    throw new Error(
      `${dir} is not empty: restore into a new folder, or give --replace to overwrite it (stop its server first)`,
    );
  const staging = `${dir}.restoring-${randomBytes(4).toString('hex')}`;
  try {
    const summary = await openAndCheck(copy, staging, file);
    // the copied server's lock and requests came with the copy: none of them is this folder's
    for (const name of await readdir(staging))
      if (
        name === DATA_LOCK_FILE ||
        name.endsWith(BACKUP_REQUEST_SUFFIX) ||
        name.endsWith(BACKUP_FAILED_SUFFIX)
      )
        await rm(path.join(staging, name), { force: true });
    const lock = lockDataFolder(dir);
    try {
      for (const name of present)
        if (name !== DATA_LOCK_FILE) await rm(path.join(dir, name), { recursive: true, force: true });
      for (const name of await readdir(staging)) await rename(path.join(staging, name), path.join(dir, name));
    } finally {
      lock.release();
    }
    return summary;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function openAndCheck(copy: Buffer<ArrayBuffer>, dir: string, file: string): Promise<RestoreSummary> {
  let lite: PGlite;
  try {
    lite = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([copy]) });
  } catch {
    throw new Error(`${file} is not a backup of Preflight's embedded database (serve backup writes one)`);
  }
  const db = embeddedDatabaseOver(lite);
  try {
    const versions = await appliedVersions(db).catch(() => {
      throw new Error(`${file} is not a Preflight backup: it holds no Preflight schema`);
    });
    const entries = await readAudit(db);
    const broken = firstBrokenAuditEntry(entries);
    if (broken !== undefined)
      throw new Error(`the copy's audit log is broken at entry ${broken.seq} (${broken.problem})`);
    return { versions, auditEntries: entries.length };
  } finally {
    await db.close();
  }
}
