/**
 * The invitations table: the SQL the invitation routes run (invitations.ts), each function over
 * the transaction of the route that calls it.
 *
 * Constraints: only the SHA-256 of a code is kept, so a copy of the database cannot be used to
 * join; a code is 32 random bytes, so it cannot be guessed. An invitation is used at most once
 * (its row is locked while it is redeemed, after its project's row, as every roster change).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Invitation, Role } from '../../core/teamApi/index.ts';
import type { Queryable } from '../database.ts';
import { addMember, membershipOf, ProjectRefusal, today } from '../projects.ts';

/** The most unused invitations one project holds at once. */
const MAX_PENDING_INVITATIONS = 100;

const CODE_BYTES = 32;
const DAY_MS = 24 * 60 * 60 * 1000;

type InvitationRow = {
  id: string;
  project_id: string;
  role: Role;
  member_expires_on: string | null;
  label: string | null;
  created_at: Date | string;
  valid_until: Date | string;
  redeemed_at: Date | string | null;
  revoked_at: Date | string | null;
};

const COLUMNS = `id, project_id, role, member_expires_on::text AS member_expires_on, label, created_at,
  valid_until, redeemed_at, revoked_at`;

const viewOf = (row: InvitationRow): Invitation => ({
  id: row.id,
  role: row.role,
  expiresOn: row.member_expires_on,
  label: row.label,
  createdAt: new Date(row.created_at).toISOString(),
  validUntil: new Date(row.valid_until).toISOString(),
});

/** SHA-256 of an invitation code, as the database keeps it. */
export const codeHashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** Makes an invitation; returns it and its code (shown this once). */
export async function createInvitation(
  tx: Queryable,
  projectId: string,
  by: { issuer: string; subject: string },
  invitation: { role: Role; expiresOn: string | null; label: string | null; days: number },
  now: number,
): Promise<{ invitation: Invitation; code: string }> {
  const [pending] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM invitations
     WHERE project_id = $1 AND redeemed_at IS NULL AND revoked_at IS NULL AND valid_until > $2`,
    [projectId, new Date(now).toISOString()],
  );
  if ((pending?.n ?? 0) >= MAX_PENDING_INVITATIONS)
    throw new ProjectRefusal(
      409,
      `a project holds at most ${MAX_PENDING_INVITATIONS} unused invitations: revoke some first`,
    );
  const code = randomBytes(CODE_BYTES).toString('base64url');
  const id = randomUUID();
  const [row] = await tx.query<InvitationRow>(
    `INSERT INTO invitations (id, project_id, code_hash, role, member_expires_on, label, created_at,
       created_by_issuer, created_by_subject, valid_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      id,
      projectId,
      codeHashOf(code),
      invitation.role,
      invitation.expiresOn,
      invitation.label,
      new Date(now).toISOString(),
      by.issuer,
      by.subject,
      new Date(now + invitation.days * DAY_MS).toISOString(),
    ],
  );
  return { invitation: viewOf(row as InvitationRow), code };
}

/** The project's invitations that can still be used, newest first. */
export async function pendingInvitations(
  q: Queryable,
  projectId: string,
  now: number,
): Promise<Invitation[]> {
  const rows = await q.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations
     WHERE project_id = $1 AND redeemed_at IS NULL AND revoked_at IS NULL AND valid_until > $2
     ORDER BY created_at DESC, id`,
    [projectId, new Date(now).toISOString()],
  );
  return rows.map(viewOf);
}

/** Revokes an unused invitation of the project; returns it. */
export async function revokeInvitation(
  tx: Queryable,
  projectId: string,
  invitationId: string,
  now: number,
): Promise<Invitation> {
  const [row] = await tx.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE project_id = $1 AND id = $2 FOR UPDATE`,
    [projectId, invitationId],
  );
  if (row === undefined)
    throw new ProjectRefusal(404, 'no such invitation on this project: reload the page, it may be gone');
  if (row.redeemed_at !== null)
    throw new ProjectRefusal(
      409,
      'this invitation was used already: the person is on the roster, remove them there if they should not be',
    );
  if (row.revoked_at === null)
    await tx.query('UPDATE invitations SET revoked_at = $2 WHERE id = $1', [
      invitationId,
      new Date(now).toISOString(),
    ]);
  return viewOf(row);
}

/**
 * Redeems `code` for `person` (who is signed in): they join its project in its role; returns the
 * invitation, the project's id and name, and their membership's id. Refused (410) once used, revoked or past
 * its time, and (404) for a code the server never made.
 */
export async function redeemInvitation(
  tx: Queryable,
  code: string,
  person: { issuer: string; subject: string },
  now: number,
): Promise<{ invitation: Invitation; projectId: string; projectName: string; memberId: string }> {
  const [found] = await tx.query<{ id: string; project_id: string }>(
    'SELECT id, project_id FROM invitations WHERE code_hash = $1',
    [codeHashOf(code)],
  );
  if (found === undefined)
    throw new ProjectRefusal(
      404,
      'this invitation link is not known here: check it was copied whole, or ask the project’s lead for a new one',
    );
  // the project's row first, as every roster change, then the invitation's: used once, whoever is first
  const [project] = await tx.query<{ name: string }>('SELECT name FROM projects WHERE id = $1 FOR UPDATE', [
    found.project_id,
  ]);
  const [row] = await tx.query<InvitationRow>(`SELECT ${COLUMNS} FROM invitations WHERE id = $1 FOR UPDATE`, [
    found.id,
  ]);
  const invitation = row as InvitationRow;
  if (invitation.redeemed_at !== null || invitation.revoked_at !== null)
    throw new ProjectRefusal(
      410,
      invitation.revoked_at !== null
        ? 'the project’s lead withdrew this invitation: ask them for a new one if you should be on the project'
        : 'this invitation has been used already (each link works once): ask the project’s lead for a new one',
    );
  if (new Date(invitation.valid_until).getTime() <= now)
    throw new ProjectRefusal(410, 'this invitation has expired: ask the project’s lead for a new one');
  if (invitation.member_expires_on !== null && invitation.member_expires_on <= today(now))
    throw new ProjectRefusal(
      410,
      'the access this invitation gives has ended already: ask the project’s lead for a new one',
    );
  if ((await membershipOf(tx, person, invitation.project_id, now)) !== undefined)
    throw new ProjectRefusal(
      409,
      'you are on this project’s team already: open it from your team projects (the invitation stays unused)',
    );
  const memberId = await addMember(
    tx,
    invitation.project_id,
    person,
    invitation.role,
    invitation.member_expires_on,
    now,
  );
  await tx.query(
    `UPDATE invitations SET redeemed_at = $2, redeemed_by_issuer = $3, redeemed_by_subject = $4 WHERE id = $1`,
    [invitation.id, new Date(now).toISOString(), person.issuer, person.subject],
  );
  return {
    invitation: viewOf(invitation),
    projectId: invitation.project_id,
    projectName: project?.name ?? '',
    memberId,
  };
}
