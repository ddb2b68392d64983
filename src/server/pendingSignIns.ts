/**
 * Sign-ins in progress: what the server keeps between sending a person to the identity provider
 * (`/api/login`) and the provider sending them back (`/api/login/callback`) — the state, nonce
 * and PKCE verifier, and where in the app to return. Kept in the database, so that the return may
 * reach another server process on the same PostgreSQL than the one that sent the person away.
 *
 * Constraints: the browser holds only a random token in an HttpOnly cookie, and the database its
 * SHA-256 (a copy of the database cannot finish anyone's sign-in); a sign-in is taken once, by
 * deleting it, so a replayed return finds nothing; it lives {@link PENDING_SIGN_IN_MS}.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './database.ts';
import type { PendingSignIn } from './identity.ts';
import { hashOf } from './sessions.ts';

/** How long a person may take at the identity provider before the sign-in must start again. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

const TOKEN_BYTES = 32;

/** A sign-in in progress, and the place in the app (a same-site path) it returns to. */
type HeldSignIn = PendingSignIn & { returnTo?: string };

/** Keeps `pending`, begun at `now`; the token for the browser's cookie. */
export async function holdSignIn(db: Queryable, pending: HeldSignIn, now: number): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  await db.query('INSERT INTO pending_sign_ins (id_hash, pending, started_at) VALUES ($1, $2, $3)', [
    hashOf(token),
    JSON.stringify(pending),
    new Date(now).toISOString(),
  ]);
  return token;
}

/**
 * The sign-in in progress of `token`, used up now; undefined when there is none (never begun on
 * this database, already finished) or it began {@link PENDING_SIGN_IN_MS} or more before `now`.
 */
export async function takeSignIn(db: Queryable, token: string, now: number): Promise<HeldSignIn | undefined> {
  const rows = await db.query<{ pending: HeldSignIn | string; started_at: Date | string }>(
    'DELETE FROM pending_sign_ins WHERE id_hash = $1 RETURNING pending, started_at',
    [hashOf(token)],
  );
  const row = rows[0];
  if (row === undefined || now - new Date(row.started_at).getTime() >= PENDING_SIGN_IN_MS) return undefined;
  return typeof row.pending === 'string' ? (JSON.parse(row.pending) as HeldSignIn) : row.pending;
}
