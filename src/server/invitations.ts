/**
 * Invitations: how a lead adds someone the server cannot find by a vouched-for e-mail (a provider
 * that sends no e-mail, or does not say it is verified, as Entra ID does). The lead makes a
 * one-use invitation for a role; the server gives its code once, inside a link the lead sends
 * the person by the clinic's own means; the person opens it, signs in, and joins as themselves
 * (their issuer and subject, read from their session, never from the invitation).
 *
 * Constraints: only the SHA-256 of a code is kept, so a copy of the database cannot be used to
 * join; a code is 32 random bytes, so it cannot be guessed. An invitation is used at most once
 * (its row is locked while it is redeemed), ends at its `validUntil`, and can be revoked until
 * used. Making, revoking and redeeming each commit with their audit entry in the project's chain,
 * under the project's row lock as every roster change. Making, listing and revoking are the
 * roster's action (`add-member`, the lead's); redeeming is anyone's who is signed in and holds the
 * code.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { appendAudit } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';
import { actorOf, endDate, personOf, projectAudit, requireAction } from './projectRoutes.ts';
import { addMember, membershipOf, ProjectRefusal, type ProjectSummary, today } from './projects.ts';
import { ROLES, type Role } from './roles.ts';

/** How long an invitation can be used, in days, when the lead does not say. */
export const DEFAULT_INVITATION_DAYS = 7;
/** The longest an invitation can be used: a link lying in a mailbox for months is a risk. */
export const MAX_INVITATION_DAYS = 30;
/** The most unused invitations one project holds at once. */
export const MAX_PENDING_INVITATIONS = 100;
/** The longest note of whom an invitation is for. */
export const MAX_INVITATION_LABEL = 200;

const CODE_BYTES = 32;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A code as the server makes them: 43 base64url characters. */
const CODE = '^[A-Za-z0-9_-]{43}$';

/** An invitation as the lead sees it (its code is never shown again). */
export interface Invitation {
  id: string;
  role: Role;
  /** the end date of the membership it gives (YYYY-MM-DD), or null */
  expiresOn: string | null;
  /** whom the lead meant it for, in their own words (a name, a job), or null */
  label: string | null;
  createdAt: string;
  /** the last moment it can be used */
  validUntil: string;
}

/** SHA-256 of an invitation code, as the database keeps it. */
export const codeHashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** Where the app opens an invitation: the code in the address's hash, which browsers never send. */
export const invitationLink = (origin: string, code: string) => `${origin}/#/join/${code}`;

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
 * project as they now see it and their membership's id. Refused (410) once used, revoked or past
 * its time, and (404) for a code the server never made.
 */
export async function redeemInvitation(
  tx: Queryable,
  code: string,
  person: { issuer: string; subject: string },
  now: number,
): Promise<{ invitation: Invitation; projectId: string; memberId: string }> {
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
  await tx.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [found.project_id]);
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
  return { invitation: viewOf(invitation), projectId: invitation.project_id, memberId };
}

const projectParams = {
  type: 'object',
  properties: {
    projectId: { type: 'string', maxLength: 64 },
    invitationId: { type: 'string', maxLength: 64 },
  },
};
const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: {
    role: { type: 'string', enum: ROLES },
    expiresOn: { anyOf: [{ type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }, { type: 'null' }] },
    label: { anyOf: [{ type: 'string', maxLength: MAX_INVITATION_LABEL }, { type: 'null' }] },
    days: { type: 'integer', minimum: 1, maximum: MAX_INVITATION_DAYS },
  },
};
const redeemBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: { type: 'string', pattern: CODE } },
};

/** A note as kept: trimmed, on one line; empty is none. */
function labelOf(raw: string | null | undefined): string | null {
  const label = raw?.trim() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  if (/[\u0000-\u001f\u007f]/.test(label))
    throw new ProjectRefusal(400, 'the note of whom the invitation is for must fit on one line');
  return label === '' ? null : label;
}

interface Params {
  projectId: string;
  invitationId: string;
}

/** The invitation routes on `app`, over `db`, with the server's clock; `origin`: the public URL's. */
export function registerInvitationRoutes(
  app: FastifyInstance,
  db: Database,
  clock: () => number,
  origin: () => string,
): void {
  /** The lead's change and its audit entry, in one transaction under the project's lock. */
  const asLead = <T>(request: FastifyRequest, projectId: string, work: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await requireAction(tx, request, projectId, 'add-member', clock(), true);
      return work(tx);
    });

  app.post<{
    Params: Pick<Params, 'projectId'>;
    Body: { role: Role; expiresOn?: string | null; label?: string | null; days?: number };
  }>(
    '/api/projects/:projectId/invitations',
    { schema: { params: projectParams, body: createBody } },
    async (request, reply) => {
      const { projectId } = request.params;
      const { role, days = DEFAULT_INVITATION_DAYS } = request.body;
      const expiresOn = endDate(request.body.expiresOn, clock(), 'give a later date');
      const label = labelOf(request.body.label);
      const made = await asLead(request, projectId, async (tx) => {
        const made = await createInvitation(
          tx,
          projectId,
          personOf(request),
          { role, expiresOn, label, days },
          clock(),
        );
        await projectAudit(tx, request, clock(), 'invitation-created', {
          invitation: made.invitation.id,
          role,
          expiresOn: expiresOn ?? 'none',
          validUntil: made.invitation.validUntil,
          ...(label === null ? {} : { label }),
        });
        return made;
      });
      return reply.code(201).send({
        invitation: made.invitation,
        code: made.code,
        link: invitationLink(origin(), made.code),
      });
    },
  );

  app.get<{ Params: Pick<Params, 'projectId'> }>(
    '/api/projects/:projectId/invitations',
    { schema: { params: projectParams } },
    async (request) => {
      const { projectId } = request.params;
      await requireAction(db, request, projectId, 'add-member', clock(), false);
      return { invitations: await pendingInvitations(db, projectId, clock()) };
    },
  );

  app.delete<{ Params: Params }>(
    '/api/projects/:projectId/invitations/:invitationId',
    { schema: { params: projectParams } },
    async (request, reply) => {
      const { projectId, invitationId } = request.params;
      await asLead(request, projectId, async (tx) => {
        const revoked = await revokeInvitation(tx, projectId, invitationId, clock());
        await projectAudit(tx, request, clock(), 'invitation-revoked', {
          invitation: invitationId,
          role: revoked.role,
          ...(revoked.label === null ? {} : { label: revoked.label }),
        });
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { code: string } }>(
    '/api/invitations/redeem',
    { schema: { body: redeemBody } },
    async (request, reply) => {
      const person = personOf(request);
      const joined = await db.transaction(async (tx) => {
        const redeemed = await redeemInvitation(tx, request.body.code, person, clock());
        const { invitation, projectId, memberId } = redeemed;
        // the invitee is the actor: the entry says who joined, by which invitation, as what
        await appendAudit(tx, {
          at: clock(),
          kind: 'invitation-redeemed',
          actor: actorOf(request),
          detail: {
            project: projectId,
            invitation: invitation.id,
            member: memberId,
            subject: person.subject,
            memberName: person.name,
            role: invitation.role,
            expiresOn: invitation.expiresOn ?? 'none',
          },
        });
        const [project] = await tx.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [
          projectId,
        ]);
        const summary: ProjectSummary = {
          id: projectId,
          name: project?.name ?? '',
          role: invitation.role,
          expiresOn: invitation.expiresOn,
        };
        return summary;
      });
      return reply.code(201).send({ project: joined });
    },
  );
}
