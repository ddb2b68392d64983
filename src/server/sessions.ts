/**
 * Server-side sessions. The browser holds only a random token in an HttpOnly cookie; the database
 * holds its SHA-256, so a copy of the database cannot be replayed as a session. A session ends
 * at logout or after {@link SESSION_IDLE_MS} without a request; each request moves its clock on.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TeamUser } from '../core/teamApi/index.ts';
import { sessionEvidence } from './auditEvidence.ts';
import { appendAudit } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';
import type { ProjectRoleClaim } from './identity.ts';
import { addMember, ProjectRefusal, rememberPerson } from './projects.ts';

/** A session ends after this long without a request (30 minutes, as clinical systems commonly do). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

/** The cookie that carries the session token. */
export const SESSION_COOKIE = 'preflight_session';

const TOKEN_BYTES = 32;

/** Who is signed in, as the identity provider said (the session routes' contract names it). */
export type SessionUser = TeamUser;

/** A live session. */
export interface Session {
  user: SessionUser;
  /** sent back in the `x-csrf-token` header by every state-changing request */
  csrfToken: string;
  /** SHA-256 of the token: what the database keys the session by */
  idHash: string;
  /**
   * when the identity provider last asked this person to sign in again for this session
   * (milliseconds; a sign-in made with `max_age=0`, its `auth_time` checked), or null
   */
  freshAuthAt: number | null;
  /** when this session's last electronic signature was made (milliseconds), or null */
  lastSignedAt: number | null;
  /** when this session's sign-in was made (milliseconds): the evidence its audit entries carry */
  signedInAt?: number;
}

/** SHA-256 of a session token, as the database keeps it. */
export const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session for `user`; returns the token for the cookie and the session. */
export async function createSession(
  db: Queryable,
  user: SessionUser,
  now: number,
  freshAuthAt: number | null = null,
): Promise<{ token: string; session: Session }> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const csrfToken = randomBytes(TOKEN_BYTES).toString('base64url');
  const at = new Date(now).toISOString();
  const idHash = hashOf(token);
  const fresh = freshAuthAt === null ? null : new Date(freshAuthAt).toISOString();
  await db.query(
    `INSERT INTO sessions (id_hash, subject, issuer, name, email, csrf_token, created_at, last_seen_at, fresh_auth_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
    [idHash, user.subject, user.issuer, user.name, user.email, csrfToken, at, fresh],
  );
  return { token, session: { user, csrfToken, idHash, freshAuthAt, lastSignedAt: null, signedInAt: now } };
}

/**
 * Signs in `user`, whom the identity provider has just confirmed, from `address`: remembers
 * their name and e-mail (and whether the provider vouched for it) for project rosters, starts their session and records the sign-in, in
 * one transaction.
 */
export function signIn(
  db: Database,
  user: SessionUser & {
    /** the provider's auth_time of a fresh sign-in */
    freshAuthAt?: number;
    /** the provider asserted the e-mail is theirs (`email_verified`); absent: it did not */
    emailVerified?: boolean;
    /** project roles the provider's role claim gives (identity.ts `projectRolesOf`) */
    projectRoles?: ProjectRoleClaim[];
  },
  now: number,
  address: string,
): Promise<{ token: string; session: Session }> {
  const { freshAuthAt, emailVerified = false, projectRoles = [], ...person } = user;
  return db.transaction(async (tx) => {
    await rememberPerson(tx, { ...person, emailVerified }, now);
    // a sign-in the provider was asked to make afresh, for signing (21 CFR 11.200): the session
    // counts it from now, on the server's clock; the entry keeps the provider's own auth_time
    const started = await createSession(tx, person, now, freshAuthAt === undefined ? null : now);
    await joinClaimedProjects(tx, person, projectRoles, now, sessionEvidence(started.session));
    await appendAudit(tx, {
      at: now,
      kind: 'sign-in',
      actor: { issuer: user.issuer, subject: user.subject, name: user.name },
      // the session every later entry of hers names (auditEvidence.ts)
      detail: {
        address,
        ...sessionEvidence(started.session),
        ...(freshAuthAt === undefined ? {} : { authTime: new Date(freshAuthAt).toISOString() }),
      },
    });
    return started;
  });
}

/**
 * How old a session's recorded last request may grow before a request records itself: a write on
 * every request was a fifth of the embedded database's statements under load. A session may so
 * end up to this much before {@link SESSION_IDLE_MS} after its last request, never after.
 */
export const SESSION_TOUCH_MS = 60_000;

/**
 * The live session of `token`, its idle clock moved to `now` (once {@link SESSION_TOUCH_MS} has
 * passed since it was last moved); undefined for an unknown token or one idle for
 * {@link SESSION_IDLE_MS} or more (which is then deleted).
 */
export async function touchSession(
  db: Queryable,
  token: string,
  now: number,
  idleMs = SESSION_IDLE_MS,
): Promise<Session | undefined> {
  const idHash = hashOf(token);
  const rows = await db.query<{
    subject: string;
    issuer: string;
    name: string;
    email: string | null;
    csrf_token: string;
    last_seen_at: Date | string;
    fresh_auth_at: Date | string | null;
    last_signed_at: Date | string | null;
    created_at: Date | string;
  }>(
    `SELECT subject, issuer, name, email, csrf_token, last_seen_at, fresh_auth_at, last_signed_at, created_at
     FROM sessions WHERE id_hash = $1`,
    [idHash],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (now - lastSeen >= idleMs) {
    await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    return undefined;
  }
  if (now - lastSeen >= SESSION_TOUCH_MS)
    await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [
      idHash,
      new Date(now).toISOString(),
    ]);
  return {
    user: { issuer: row.issuer, subject: row.subject, name: row.name, email: row.email },
    csrfToken: row.csrf_token,
    idHash,
    freshAuthAt: row.fresh_auth_at === null ? null : new Date(row.fresh_auth_at).getTime(),
    lastSignedAt: row.last_signed_at === null ? null : new Date(row.last_signed_at).getTime(),
    signedInAt: new Date(row.created_at).getTime(),
  };
}

/** Starts the session's signing period again at `now`: it signed (see `Session.lastSignedAt`). */
export async function markSigned(tx: Queryable, idHash: string, now: number): Promise<void> {
  await tx.query('UPDATE sessions SET last_signed_at = $2 WHERE id_hash = $1', [
    idHash,
    new Date(now).toISOString(),
  ]);
}

/** Ends the session of `token` (nothing if there is none). */
export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashOf(token)]);
}

/**
 * Puts `person` on each project their provider's role claim names, in its role, when they are
 * not on its roster at all; a member already there keeps what the lead gave them (the claim adds,
 * it never changes or removes). Each addition is a `member-added` entry in the project's chain,
 * by the person, saying it came from the claim. A project id the server does not have is ignored.
 */
async function joinClaimedProjects(
  tx: Queryable,
  person: SessionUser,
  claimed: readonly ProjectRoleClaim[],
  now: number,
  evidence: Record<string, string>,
): Promise<void> {
  for (const { project, role } of claimed) {
    const exists = await tx.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [project]);
    if (exists.length === 0) continue;
    const onRoster = await tx.query(
      'SELECT 1 FROM project_members WHERE project_id = $1 AND issuer = $2 AND subject = $3',
      [project, person.issuer, person.subject],
    );
    if (onRoster.length > 0) continue;
    let member: string;
    try {
      member = await addMember(tx, project, person, role, null, now);
    } catch (error) {
      // a roster at its limit: the sign-in goes on, without this project
      if (error instanceof ProjectRefusal) continue;
      throw error;
    }
    await appendAudit(tx, {
      at: now,
      kind: 'member-added',
      actor: { issuer: person.issuer, subject: person.subject, name: person.name },
      detail: {
        project,
        member,
        subject: person.subject,
        memberName: person.name,
        role,
        expiresOn: 'none',
        by: 'role-claim',
        ...evidence,
      },
    });
  }
}

/**
 * Whether the session keyed by `idHash` is still live at `now`, without moving its idle clock: a
 * long-lived reader (an event stream) must not keep an unattended browser signed in.
 */
export async function sessionStillLive(
  db: Queryable,
  idHash: string,
  now: number,
  idleMs = SESSION_IDLE_MS,
): Promise<boolean> {
  const rows = await db.query<{ last_seen_at: Date | string }>(
    'SELECT last_seen_at FROM sessions WHERE id_hash = $1',
    [idHash],
  );
  const row = rows[0];
  return row !== undefined && now - new Date(row.last_seen_at).getTime() < idleMs;
}
