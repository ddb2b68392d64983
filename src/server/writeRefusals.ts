/**
 * Why the server cannot save: a write its database refused for a cause no request can put right
 * (its disk is full, it takes no changes, it cannot be reached) or its clock past the audit log's
 * bound. Each cause is told three ways: a mark (`code`) machines act on, words for the person whose
 * change failed, and a line for the clinic's IT that names the cause and the database (never a
 * stack trace, a statement or a record's content). The server remembers the last such refusal with
 * its time, so `/api/health` answers 503 while writes would be refused and a load balancer takes
 * the process out of service; a write that succeeds, or the health check's own probe, ends it.
 *
 * Constraint: a cause is read from the error's class as the database gives it (PostgreSQL's
 * SQLSTATE, which PGlite raises too, and the operating system's error code) and from the audit
 * log's own refusal (migration 18's words), never from a record's value.
 */

import type { WriteRefusalCode } from '../core/teamApi/index.ts';

export type { WriteRefusalCode };

/** A cause that refuses writes, told to the person and to IT. */
export interface WriteFault {
  code: WriteRefusalCode;
  /** for the person whose change failed: what happened and what follows, no technical name */
  person: string;
  /** for the clinic's IT: the cause, the database, and what to do */
  it: string;
  /** the database's SQLSTATE or the system's error code, where it gave one */
  errorCode?: string;
}

/** The database as the log names it: its engine and where it is, never a password. */
export interface DatabasePlace {
  engine: 'embedded' | 'postgres';
  /** `host:port/database` of the clinic's PostgreSQL, or the embedded database's folder */
  where?: string;
}

/** PostgreSQL's SQLSTATE for a full disk (`disk_full`); PGlite raises it from its files too. */
const DISK_FULL = '53100';
/** `read_only_sql_transaction`: a standby, or a database set to take no writes. */
const READ_ONLY = '25006';
/** Admin shutdown, crash shutdown, cannot connect now, and the connection exception class. */
const UNREACHABLE_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** The system's error codes of a database that cannot be reached. */
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
/** The start of the audit log's refusal of an entry dated past its bound (migration 18). */
const CLOCK_BOUND_REFUSAL = "the audit log takes no entry dated ahead of the database's clock";

/** The database as IT reads it in a log line. */
export function databaseWords(place: DatabasePlace): string {
  if (place.engine === 'postgres')
    return `the clinic's PostgreSQL${place.where === undefined ? '' : ` at ${place.where}`}`;
  return place.where === undefined
    ? 'the embedded database (in memory)'
    : `the embedded database in ${place.where}`;
}

const CANNOT_SAVE = 'The team server cannot save right now';
const NOTHING_SAVED = 'so nothing was saved there';

/**
 * The cause in `error`, when it is one that refuses every write (not a refusal of this request
 * alone); undefined for any other failure, which stays the server's own defect.
 */
export function writeFault(error: unknown, place: DatabasePlace): WriteFault | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const said = typeof message === 'string' ? message : '';
  const errorCode = typeof code === 'string' ? code : undefined;
  const database = databaseWords(place);
  const marked = errorCode === undefined ? '' : ` (${errorCode})`;
  if (errorCode === DISK_FULL || errorCode === 'ENOSPC' || /no space left on device/i.test(said))
    return {
      code: 'disk-full',
      errorCode,
      person: `${CANNOT_SAVE}: its disk is full, ${NOTHING_SAVED}. The clinic's IT can see why in the server's log; try again once they have made room.`,
      it: `writes refused: the disk of ${database} is full${marked}; free space on it (or grow the volume), and writes resume without a restart`,
    };
  if (errorCode === READ_ONLY)
    return {
      code: 'database-read-only',
      errorCode,
      person: `${CANNOT_SAVE}: its database takes no changes, ${NOTHING_SAVED}. The clinic's IT can see why in the server's log.`,
      it: `writes refused: ${database} takes no writes${marked} (a standby, or default_transaction_read_only); point the server at the primary`,
    };
  if (
    (errorCode !== undefined && (UNREACHABLE_STATES.has(errorCode) || UNREACHABLE_ERRNOS.has(errorCode))) ||
    /^Connection terminated|PGlite is closed/.test(said)
  )
    return unreachableFault(place, errorCode);
  if (said.startsWith(CLOCK_BOUND_REFUSAL)) return clockFault(place);
  return undefined;
}

/**
 * The fault of a database that does not answer (the health check's probe failed for a cause not
 * named); `silentMs`: it took longer than that to answer a `SELECT 1`.
 */
export function unreachableFault(place: DatabasePlace, errorCode?: string, silentMs?: number): WriteFault {
  const marked = errorCode === undefined ? '' : ` (${errorCode})`;
  const what = silentMs === undefined ? 'cannot be reached' : `does not answer within ${silentMs / 1000} s`;
  return {
    code: 'database-unreachable',
    ...(errorCode === undefined ? {} : { errorCode }),
    person: `${CANNOT_SAVE}: it cannot reach its database, ${NOTHING_SAVED}. The clinic's IT can see why in the server's log.`,
    it: `writes refused: ${databaseWords(place)} ${what}${marked}; check that it runs and that this machine can connect to it${
      place.engine === 'embedded'
        ? ' (the embedded database runs in the server: restart the server once its disk has room)'
        : ''
    }`,
  };
}

/** The fault of a server clock past the audit log's bound (serverClock.ts tells the times). */
export function clockFault(place: DatabasePlace, detail?: string): WriteFault {
  return {
    code: 'server-clock-ahead',
    person: `${CANNOT_SAVE}: its clock is wrong, so its audit log refuses every change, ${NOTHING_SAVED}. The clinic's IT can see why in the server's log.`,
    it: `writes refused: ${
      detail ?? `the server's clock is past the audit log's bound ahead of ${databaseWords(place)}'s`
    }`,
  };
}

/** The last write refused for a {@link WriteFault}, and since when. */
export interface WriteRefusal extends WriteFault {
  /** the first refusal of this cause in a row, in milliseconds since the epoch */
  since: number;
  /** the last time it was seen (a refused write or a failed probe) */
  lastSeen: number;
}

/** What the server remembers of refused writes: one per process, told by the health check. */
export interface WriteWatch {
  /** a write was refused for `fault` at `at` */
  refused(fault: WriteFault, at: number): void;
  /** a write was saved: whatever refused writes before is gone */
  saved(): void;
  /** the cause `code` is gone (the clock set right): forgotten if it is the one remembered */
  gone(code: WriteRefusalCode): void;
  /** the cause that refuses writes now, as last seen; undefined when the last write was saved */
  current(): WriteRefusal | undefined;
}

/** A fresh {@link WriteWatch}: nothing refused yet. */
export function createWriteWatch(): WriteWatch {
  let last: WriteRefusal | undefined;
  return {
    refused(fault, at) {
      last = { ...fault, since: last?.code === fault.code ? last.since : at, lastSeen: at };
    },
    saved() {
      last = undefined;
    },
    gone(code) {
      if (last?.code === code) last = undefined;
    },
    current: () => last,
  };
}
