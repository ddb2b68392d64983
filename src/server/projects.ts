/**
 * Shared projects and their members, as stored: who is on which project, in which role, until
 * when. A person is the identity provider's (issuer, subject) pair — never a name or an e-mail,
 * which change and repeat.
 *
 * Constraints: a membership is current while it has no end date or its end date is after today
 * (UTC, the server's clock): on the end date itself access has ended, as REDCap's user expiry
 * does. A project always keeps at least one lead with no end date, so someone can always manage
 * it; a change that would leave none is refused. Roster changes of one project are serialised by
 * locking its row, so two leads acting at once cannot both remove "the other" lead.
 */
import { randomUUID } from 'node:crypto';
import type { ProjectMember, ProjectSummary, Role } from '../core/teamApi/index.ts';
import type { Queryable } from './database.ts';

/**
 * The marks a refusal may carry for the app to act on (`code` in the answer's body), beside the
 * words for people: `project-not-open` — the project is not open to the caller (no such project,
 * never a member, removed, or past their end date: the same answer for each, so a 404 tells an
 * outsider nothing), as against a thing missing inside a project they are a member of;
 * `csrf-token` — a change came without its session's CSRF token or with another's (a page that
 * still holds the token of a session that ended, after its person signed in again: it asks for the
 * new session's token and sends again).
 */
export type RefusalCode = 'project-not-open' | 'csrf-token';

/** A refusal a route answers with its status and message (fastify reads `statusCode`). */
export class ProjectRefusal extends Error {
  override name = 'ProjectRefusal';
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 410 | 413 | 422,
    message: string,
    readonly code?: RefusalCode,
  ) {
    super(message);
  }
}

/** The answer to anyone who is not a current member: the project is not there for them. */
export const NOT_FOUND = 'no such project, or you are not a member of it: ask its lead to add you';

/** The refusal of a project that is not open to the caller (404, marked `project-not-open`). */
export const projectNotOpen = () => new ProjectRefusal(404, NOT_FOUND, 'project-not-open');

/** The most members one project's roster holds, expired ones included (a go-live team is tens of people). */
export const MAX_MEMBERS = 500;

/** A person as the identity provider names them. */
export interface Person {
  issuer: string;
  subject: string;
}

/** One member of a project, as the roster shows them (its contract: src/core/teamApi/projects.ts). */
export type Member = ProjectMember;

/** The caller's own current membership of a project. */
export interface Membership {
  memberId: string;
  role: Role;
  expiresOn: string | null;
}

/** A project as one of its members sees it in their list (its contract: src/core/teamApi/projects.ts). */
export type { ProjectSummary };

/** Today's date (UTC) at `now`, as PostgreSQL's `date` reads it. */
export function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/**
 * Records who signed in (their name and e-mail as the provider says now, and whether it vouched
 * for the e-mail), for the roster.
 */
export async function rememberPerson(
  tx: Queryable,
  user: Person & { name: string; email: string | null; emailVerified: boolean },
  now: number,
): Promise<void> {
  const at = new Date(now).toISOString();
  await tx.query(
    `INSERT INTO users (issuer, subject, name, email, email_verified, first_sign_in_at, last_sign_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (issuer, subject) DO UPDATE
       SET name = $3, email = $4, email_verified = $5, last_sign_in_at = $6`,
    [user.issuer, user.subject, user.name, user.email, user.email !== null && user.emailVerified, at],
  );
}

/**
 * Whom an e-mail names here: the one person of `issuer` whose provider vouched for it
 * (`email_verified`) at their last sign-in, or why there is none — nobody signed in with it,
 * only people whose provider did not vouch for it (anyone can type an e-mail into an account),
 * or several people.
 */
type EmailMatch = { found: Person } | { found: undefined; reason: 'nobody' | 'unverified' | 'several' };

/** The person `email` names (case-insensitive), under the rule of {@link EmailMatch}. */
export async function personByEmail(db: Queryable, issuer: string, email: string): Promise<EmailMatch> {
  const rows = await db.query<{ subject: string; email_verified: boolean }>(
    `SELECT subject, email_verified FROM users WHERE issuer = $1 AND lower(email) = lower($2)
     ORDER BY email_verified DESC LIMIT 3`,
    [issuer, email],
  );
  const verified = rows.filter((r) => r.email_verified);
  if (verified.length === 1 && verified[0]) return { found: { issuer, subject: verified[0].subject } };
  if (verified.length > 1) return { found: undefined, reason: 'several' };
  return { found: undefined, reason: rows.length === 0 ? 'nobody' : 'unverified' };
}

/** Creates a project with `creator` as its lead; returns its id. */
export async function createProject(
  tx: Queryable,
  creator: Person,
  name: string,
  now: number,
): Promise<string> {
  const id = randomUUID();
  const at = new Date(now).toISOString();
  await tx.query(
    `INSERT INTO projects (id, name, created_at, created_by_issuer, created_by_subject)
     VALUES ($1, $2, $3, $4, $5)`,
    [id, name, at, creator.issuer, creator.subject],
  );
  await insertMember(tx, id, creator, 'lead', null, now);
  return id;
}

/** The projects `person` is a current member of, by name. */
export async function projectsOf(db: Queryable, person: Person, now: number): Promise<ProjectSummary[]> {
  const rows = await db.query<{ id: string; name: string; role: Role; expires_on: string | null }>(
    `SELECT p.id, p.name, m.role, m.expires_on::text AS expires_on
     FROM project_members m JOIN projects p ON p.id = m.project_id
     WHERE m.issuer = $1 AND m.subject = $2 AND (m.expires_on IS NULL OR m.expires_on > $3::date)
     ORDER BY p.name, p.id`,
    [person.issuer, person.subject, today(now)],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, expiresOn: r.expires_on }));
}

const PROJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The current membership of `person` in project `projectId`, or undefined (no such project, not
 * a member, or past the end date). With `lock`, the project's row is locked first, for the rest
 * of the transaction: roster changes call it so.
 */
export async function membershipOf(
  q: Queryable,
  person: Person,
  projectId: string,
  now: number,
  { lock = false } = {},
): Promise<Membership | undefined> {
  if (!PROJECT_ID.test(projectId)) return undefined;
  if (lock) await q.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [projectId]);
  const rows = await q.query<{ id: string; role: Role; expires_on: string | null }>(
    `SELECT id, role, expires_on::text AS expires_on FROM project_members
     WHERE project_id = $1 AND issuer = $2 AND subject = $3
       AND (expires_on IS NULL OR expires_on > $4::date)`,
    [projectId, person.issuer, person.subject, today(now)],
  );
  const row = rows[0];
  return row && { memberId: row.id, role: row.role, expiresOn: row.expires_on };
}

/** The project's name and when it was created. */
export async function projectOf(
  q: Queryable,
  projectId: string,
): Promise<{ name: string; createdAt: string }> {
  const rows = await q.query<{ name: string; created_at: Date | string }>(
    'SELECT name, created_at FROM projects WHERE id = $1',
    [projectId],
  );
  const row = rows[0];
  if (row === undefined) throw projectNotOpen();
  return { name: row.name, createdAt: new Date(row.created_at).toISOString() };
}

/** Renames the project; returns the name it had. */
export async function renameProject(tx: Queryable, projectId: string, name: string): Promise<string> {
  const { name: previous } = await projectOf(tx, projectId);
  await tx.query('UPDATE projects SET name = $2 WHERE id = $1', [projectId, name]);
  return previous;
}

/** The roster: every member, expired ones included, leads first, then by name. */
export async function membersOf(q: Queryable, projectId: string, now: number): Promise<Member[]> {
  const rows = await q.query<{
    id: string;
    subject: string;
    name: string | null;
    email: string | null;
    role: Role;
    expires_on: string | null;
    expired: boolean;
  }>(
    `SELECT m.id, m.subject, u.name, u.email, m.role, m.expires_on::text AS expires_on,
            (m.expires_on IS NOT NULL AND m.expires_on <= $2::date) AS expired
     FROM project_members m LEFT JOIN users u ON u.issuer = m.issuer AND u.subject = m.subject
     WHERE m.project_id = $1
     ORDER BY m.role <> 'lead', u.name NULLS LAST, m.subject`,
    [projectId, today(now)],
  );
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    name: r.name,
    email: r.email,
    role: r.role,
    expiresOn: r.expires_on,
    expired: r.expired,
  }));
}

/** Adds `person` to the project; returns the new membership's id. */
export async function addMember(
  tx: Queryable,
  projectId: string,
  person: Person,
  role: Role,
  expiresOn: string | null,
  now: number,
): Promise<string> {
  const existing = await tx.query(
    'SELECT 1 FROM project_members WHERE project_id = $1 AND issuer = $2 AND subject = $3',
    [projectId, person.issuer, person.subject],
  );
  if (existing.length > 0)
    throw new ProjectRefusal(
      409,
      'this person is already on the project’s roster: change their role or end date instead',
    );
  const [counted] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM project_members WHERE project_id = $1',
    [projectId],
  );
  if ((counted?.n ?? 0) >= MAX_MEMBERS)
    throw new ProjectRefusal(409, `a project holds at most ${MAX_MEMBERS} members: remove someone first`);
  return insertMember(tx, projectId, person, role, expiresOn, now);
}

async function insertMember(
  tx: Queryable,
  projectId: string,
  person: Person,
  role: Role,
  expiresOn: string | null,
  now: number,
): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO project_members (id, project_id, issuer, subject, role, expires_on, added_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, projectId, person.issuer, person.subject, role, expiresOn, new Date(now).toISOString()],
  );
  return id;
}

/** A member as stored, for a change's audit entry. */
interface StoredMember {
  subject: string;
  role: Role;
  expiresOn: string | null;
}

/** The member `memberId` of the project (expired or not). */
export async function memberOf(tx: Queryable, projectId: string, memberId: string): Promise<StoredMember> {
  const rows = await tx.query<{ subject: string; role: Role; expires_on: string | null }>(
    `SELECT subject, role, expires_on::text AS expires_on FROM project_members
     WHERE project_id = $1 AND id = $2`,
    [projectId, memberId],
  );
  const row = rows[0];
  if (row === undefined)
    throw new ProjectRefusal(
      404,
      'no such member of this project: reload the roster, they may have been removed',
    );
  return { subject: row.subject, role: row.role, expiresOn: row.expires_on };
}

/** Sets a member's role and end date; refuses a change that leaves no lead without an end date. */
export async function changeMember(
  tx: Queryable,
  projectId: string,
  memberId: string,
  change: { role: Role; expiresOn: string | null },
): Promise<void> {
  await tx.query('UPDATE project_members SET role = $3, expires_on = $4 WHERE project_id = $1 AND id = $2', [
    projectId,
    memberId,
    change.role,
    change.expiresOn,
  ]);
  await keepsALead(tx, projectId);
}

/** Removes a member; refuses to remove the last lead without an end date. */
export async function removeMember(tx: Queryable, projectId: string, memberId: string): Promise<void> {
  await tx.query('DELETE FROM project_members WHERE project_id = $1 AND id = $2', [projectId, memberId]);
  await keepsALead(tx, projectId);
}

/** Throws (rolling the transaction back) when the project has no lead without an end date. */
async function keepsALead(tx: Queryable, projectId: string): Promise<void> {
  const rows = await tx.query(
    `SELECT 1 FROM project_members WHERE project_id = $1 AND role = 'lead' AND expires_on IS NULL LIMIT 1`,
    [projectId],
  );
  if (rows.length === 0)
    throw new ProjectRefusal(
      409,
      'a project keeps at least one lead with no end date, who can manage its roster: make someone else lead first',
    );
}
