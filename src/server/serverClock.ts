/**
 * The server's clock against its database's. The server dates every audit entry by its own clock,
 * and the database's append function (migration 18) refuses an entry dated more than
 * {@link AUDIT_AHEAD_BOUND_MS} past the database's `clock_timestamp()`: a server whose clock runs
 * further ahead has every change refused. Compared at start and at every health check, so the
 * administrator hears of a drift before the first refusal, and of one behind (entries dated too
 * early), which nothing refuses.
 *
 * Constraint: the functions of migrations 18 and 20 are written from {@link AUDIT_AHEAD_BOUND},
 * and a migration never changes once shipped (its digest is pinned in migrations.test.ts): a new
 * bound is a new migration that replaces `audit_log_append`, with this constant changed in the
 * same commit and the earlier migrations' text kept as shipped.
 */
import type { Queryable } from './database.ts';

/** How far the two clocks may be apart before it is said: two hosts kept by NTP stay well within. */
export const CLOCK_APART_WARN_MS = 60_000;

/** How far past the database's clock the audit log's append function takes an entry's date. */
export const AUDIT_AHEAD_BOUND_MS = 5 * 60_000;

/**
 * {@link AUDIT_AHEAD_BOUND_MS} in whole minutes, as the append function's interval and every
 * message write it: `5 minutes`.
 */
export const AUDIT_AHEAD_BOUND = `${AUDIT_AHEAD_BOUND_MS / 60_000} minutes`;

/** Both clocks read at one instant, in milliseconds since the epoch. */
export interface ClockReading {
  server: number;
  database: number;
}

/** The clocks apart by more than {@link CLOCK_APART_WARN_MS}: what `/api/health` and the start line say. */
export interface ClockApart extends ClockReading {
  /** the server's clock minus the database's: positive when the server's runs ahead */
  aheadMs: number;
  /** past {@link AUDIT_AHEAD_BOUND_MS} ahead: the audit log refuses every change */
  changesRefused: boolean;
  /** in words for the clinic's IT: both times, the bound, and what to do */
  message: string;
}

/**
 * Reads the database's `clock_timestamp()` and the server's clock around it; the server's time is
 * the midpoint of the round trip, so the reading's own delay counts for nothing.
 */
export async function readClocks(q: Queryable, clock: () => number): Promise<ClockReading> {
  const before = clock();
  // formatted in the database, in UTC: both engines return the same text, whatever their time zone
  const [row] = await q.query<{ now: string }>(
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
  );
  const after = clock();
  const database = Date.parse(row?.now ?? '');
  if (!Number.isFinite(database)) throw new Error(`the database told its clock as "${row?.now}", not a time`);
  return { server: Math.round((before + after) / 2), database };
}

/** Seconds, or minutes and seconds, as a person reads a drift: `45 s`, `6 minutes`, `5 minutes 10 s`. */
function span(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} minutes${rest === 0 ? '' : ` ${rest} s`}`;
}

/** The clocks' drift when past {@link CLOCK_APART_WARN_MS}; undefined when they agree closely enough. */
export function clockApart({ server, database }: ClockReading): ClockApart | undefined {
  const aheadMs = server - database;
  if (Math.abs(aheadMs) <= CLOCK_APART_WARN_MS) return undefined;
  const times = `the server's clock (${new Date(server).toISOString()}) is ${span(aheadMs)} ${
    aheadMs > 0 ? 'ahead of' : 'behind'
  } the database's (${new Date(database).toISOString()})`;
  const fix = 'set both clocks from the same time source (NTP), as docs/deployment.md says';
  const bound = AUDIT_AHEAD_BOUND;
  const changesRefused = aheadMs > AUDIT_AHEAD_BOUND_MS;
  const message = changesRefused
    ? `${times}, past the audit log's bound of ${bound} ahead: every change will be refused until you ${fix}`
    : aheadMs > 0
      ? `${times}, more than ${CLOCK_APART_WARN_MS / 60_000} minute: changes will be refused once it is ${bound} ahead; ${fix}`
      : `${times}, more than ${CLOCK_APART_WARN_MS / 60_000} minute: audit entries are dated by the server's clock, so they are dated early; ${fix}`;
  return { server, database, aheadMs, changesRefused, message };
}

/** The hosts each clock runs on, as the administrator knows them: `this machine (app-1)`, `db.clinic.org`. */
export interface ClockHosts {
  server: string;
  database: string;
}

/**
 * The clocks further apart than {@link AUDIT_AHEAD_BOUND_MS}, either way, in one line: both
 * times and hosts, how far apart, the bound, what follows and whose NTP to put right. What
 * `preflight serve --check` fails on; undefined within the bound.
 */
export function clocksPastBound({ server, database }: ClockReading, hosts: ClockHosts): string | undefined {
  const aheadMs = server - database;
  if (Math.abs(aheadMs) <= AUDIT_AHEAD_BOUND_MS) return undefined;
  const times = `the server's clock on ${hosts.server} (${new Date(server).toISOString()}) is ${span(aheadMs)} ${
    aheadMs > 0 ? 'ahead of' : 'behind'
  } the database's on ${hosts.database} (${new Date(database).toISOString()})`;
  const harm =
    aheadMs > 0
      ? 'the audit log will refuse every change'
      : 'every audit entry will be dated that much early';
  const fix =
    hosts.server === hosts.database
      ? `set the clock of ${hosts.server} from its time source (NTP; timedatectl says whether it is synchronised)`
      : `set the clocks of ${hosts.server} and ${hosts.database} from the same time source (NTP; timedatectl on each says whether it is synchronised) and put right the one that is wrong`;
  return `${times}, further apart than the audit log's bound of ${AUDIT_AHEAD_BOUND}: ${harm}; ${fix}`;
}
