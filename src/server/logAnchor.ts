/**
 * The latest head the server signed of each project, kept outside the database: a file beside the
 * log key (`<key file>.anchor.json`) or, with the key in the embedded database, in its `--data`
 * folder. Whoever owns the database can delete its heads and re-chain the log, and a log with no
 * head left extends nothing; the anchor, which that owner cannot write, still names the head the
 * rewritten log no longer extends. The server writes it after each head it keeps and checks the
 * log against it at start and before every head and export (transparencyLog.ts).
 *
 * Constraints: written whole to a temporary file in the same folder, flushed, renamed over the
 * anchor and the folder flushed, so a crash leaves the old anchor or the new one, never half of
 * one; readable by the server's user only (0600, as the key file). Written after the head's
 * transaction committed: a crash between the two leaves the anchor a head behind, which the log
 * still extends. Several server processes on one PostgreSQL write the same file: each merges what
 * it finds there, keeping the larger head of each project, so the anchor never names a head the
 * log does not extend (two writes at once may leave it one head behind, never ahead).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { SignedTreeHead } from '../core/transparency/index.ts';

/** The anchor file's format tag. */
export const LOG_ANCHOR_FORMAT = 'preflight.log-anchor/v1';

/** The anchor of the server's log: the latest head signed of each project. */
export interface LogAnchor {
  /** where it is kept */
  readonly file: string;
  /** the anchored head of each project, as the file holds it now */
  heads(): ReadonlyMap<string, SignedTreeHead>;
  /** anchors `head` unless a head at least as large is anchored for its project already */
  record(head: SignedTreeHead): void;
}

/** Thrown when the anchor file is not one this server wrote. */
export class LogAnchorError extends Error {
  override name = 'LogAnchorError';
}

/** The anchor file beside the log key file `keyFile`. */
export const anchorBesideKey = (keyFile: string): string => `${keyFile}.anchor.json`;

/** The anchor file in the embedded database's `--data` folder `dir`. */
export const anchorInData = (dir: string): string => path.join(dir, 'log-anchor.json');

const isHead = (h: unknown): h is SignedTreeHead => {
  if (typeof h !== 'object' || h === null) return false;
  const v = h as Record<string, unknown>;
  return (
    typeof v.project === 'string' &&
    typeof v.size === 'number' &&
    Number.isSafeInteger(v.size) &&
    v.size >= 0 &&
    typeof v.rootHash === 'string' &&
    typeof v.timestamp === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.signature === 'string' &&
    (v.timeStamp === undefined || typeof v.timeStamp === 'string')
  );
};

function parse(file: string, text: string): Map<string, SignedTreeHead> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const v = value as { format?: unknown; heads?: unknown } | undefined;
  if (v?.format !== LOG_ANCHOR_FORMAT || !Array.isArray(v.heads) || !v.heads.every(isHead))
    throw new LogAnchorError(
      `${file} is not the log anchor this server writes (${LOG_ANCHOR_FORMAT}): it was edited or is another file. Restore it from where you keep the log key, or move it aside to start a new anchor, which the team's browsers will check against what they saw`,
    );
  return new Map(v.heads.map((h) => [h.project, h]));
}

/** Writes `text` to `file` whole: a temporary file, flushed, renamed over it, the folder flushed. */
function writeWhole(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const folder = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/**
 * The anchor kept in `file` (none yet when it does not exist). It is read again whenever the
 * file changed since it was last read, so another process's heads are seen.
 *
 * @throws {LogAnchorError} when the file exists and is not an anchor.
 */
export function openLogAnchor(file: string): LogAnchor {
  let read: { stamp: string; heads: Map<string, SignedTreeHead> } = { stamp: '', heads: new Map() };
  const current = (): Map<string, SignedTreeHead> => {
    if (!existsSync(file)) return new Map();
    const stat = statSync(file);
    const stamp = `${stat.ino}|${stat.size}|${stat.mtimeMs}`;
    if (stamp !== read.stamp) read = { stamp, heads: parse(file, readFileSync(file, 'utf8')) };
    return read.heads;
  };
  current();
  return {
    file,
    heads: current,
    record(head) {
      const heads = new Map(current());
      const anchored = heads.get(head.project);
      if (anchored !== undefined && anchored.size >= head.size) return;
      heads.set(head.project, head);
      const text = `${JSON.stringify({ format: LOG_ANCHOR_FORMAT, heads: [...heads.values()] }, null, 1)}\n`;
      writeWhole(file, text);
      read = { stamp: '', heads };
    },
  };
}
