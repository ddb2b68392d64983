/**
 * The sweep of what the server keeps only for a while: sessions idle past their limit, WebAuthn
 * challenges never answered, sign-ins never finished, and the windows of request limits that have
 * ended. Each is already refused once past its time when it is read; the sweep only keeps the
 * tables from growing with rows nobody will read again (a person who closes the browser without
 * signing out, a bot that starts sign-ins).
 *
 * Constraint: every server process on a database sweeps it, at start and each
 * {@link SWEEP_INTERVAL_MS}; a sweep is a few `DELETE`s of rows past their time, so two processes
 * sweeping at once delete each row once and never anything live.
 */
import type { Queryable } from './database.ts';
import { PENDING_SIGN_IN_MS } from './pendingSignIns.ts';
import { SESSION_IDLE_MS } from './sessions.ts';
import { CHALLENGE_TTL_MS } from './signingRoutes.ts';

/** How often each server process sweeps (a session outlives its idle limit by at most this). */
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/** How many rows of each kind a sweep deleted. */
interface Swept {
  sessions: number;
  challenges: number;
  signIns: number;
  limits: number;
}

/** Deletes, as of `now`, every row past its time; `sessionIdleMs` is the server's session limit. */
export async function sweepExpired(
  db: Queryable,
  now: number,
  sessionIdleMs = SESSION_IDLE_MS,
): Promise<Swept> {
  const before = (ms: number) => [new Date(now - ms).toISOString()];
  const deleted = async (sql: string, params: unknown[]) => (await db.query(sql, params)).length;
  return {
    sessions: await deleted(
      'DELETE FROM sessions WHERE last_seen_at <= $1 RETURNING 1',
      before(sessionIdleMs),
    ),
    challenges: await deleted(
      'DELETE FROM signing_challenges WHERE issued_at < $1 RETURNING 1',
      before(CHALLENGE_TTL_MS),
    ),
    signIns: await deleted(
      'DELETE FROM pending_sign_ins WHERE started_at <= $1 RETURNING 1',
      before(PENDING_SIGN_IN_MS),
    ),
    // a fold of refused attempts with repeats not yet in the audit log stays until they are (refusalFolds.ts)
    limits: await deleted(
      `DELETE FROM rate_limit_windows WHERE ends_at <= $1 AND NOT (key LIKE 'audit-fold|%' AND hits > 1) RETURNING 1`,
      before(0),
    ),
  };
}
