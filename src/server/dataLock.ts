/**
 * One writer per embedded database: a server holds `<data>/preflight-serve.lock` while it runs.
 * Two processes over one PGlite folder each keep their own copy of its pages in memory, both
 * accept writes, and whichever flushes last wins — acknowledged writes of the other are lost
 * at the next start. So a second server on the same folder is refused before it opens it.
 *
 * Constraints: the file is created with O_EXCL (an atomic "create if absent" on a local disk);
 * it holds the holder's pid, host and start time, so a refusal can say who to stop. A lock left
 * by a process that died (same host, pid gone) is taken over; a lock from another host is never
 * taken over, as this host cannot tell whether that process is alive.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { processRuns } from './processes.ts';

/** The lock file's name inside the `--data` folder. */
export const DATA_LOCK_FILE = 'preflight-serve.lock';

/** What the lock file holds. */
export interface DataLockHolder {
  pid: number;
  host: string;
  /** ISO 8601 */
  startedAt: string;
}

/** A held lock; `release` removes the file (idempotent). */
export interface DataLock {
  file: string;
  /** a stale lock (its process dead) this start took over, for the start to say so */
  tookOver?: DataLockHolder;
  release(): void;
}

/** Another live server holds the folder. */
export class DataLockedError extends Error {
  readonly code = 'EDATALOCKED';
  constructor(
    readonly file: string,
    readonly holder: DataLockHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid} on ${holder.host} (started ${holder.startedAt})`
      : 'another process (its lock file cannot be read)';
    super(
      `another Preflight server is using this --data folder: ${who}. Stop that server first, or give another --data folder; if no server is running there, remove ${file}`,
    );
    this.name = 'DataLockedError';
  }
}

function readHolder(file: string): DataLockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataLockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) };
  } catch {
    // unreadable or half-written: treated as held, never taken over
  }
  return undefined;
}

/** Takes the lock on `dir` (created if missing), or throws {@link DataLockedError}. */
export function lockDataFolder(dir: string, now: () => Date = () => new Date()): DataLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DATA_LOCK_FILE);
  const me: DataLockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString() };
  let tookOver: DataLockHolder | undefined;
  for (;;) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder === undefined || holder.host !== me.host || processRuns(holder.pid) || tookOver)
        throw new DataLockedError(file, holder);
      rmSync(file, { force: true });
      tookOver = holder;
      continue;
    }
    writeSync(fd, `${JSON.stringify(me)}\n`);
    closeSync(fd);
    break;
  }
  let released = false;
  return {
    file,
    tookOver,
    release() {
      if (released) return;
      released = true;
      // only our own lock: never remove one another process took over after us
      if (readHolder(file)?.pid === me.pid) rmSync(file, { force: true });
    },
  };
}
