/**
 * Invitations: how a lead adds someone the server cannot find by a vouched-for e-mail (a provider
 * that sends no e-mail, or does not say it is verified, as Entra ID does). The lead makes a
 * one-use invitation for a role; the server gives its code once, inside a link the lead sends
 * the person by the clinic's own means; the person opens it, signs in, and joins as themselves
 * (their issuer and subject, read from their session, never from the invitation).
 *
 * Constraints: the code's handling (its hash kept, used once, its end) is the data layer's
 * (data/invitations.ts). Making, revoking and redeeming each commit with their audit entry in the
 * project's chain, under the project's row lock as every roster change. Making, listing and
 * revoking are the roster's action (`add-member`, the lead's); redeeming is anyone's who is
 * signed in and holds the code. Each route is registered from its contract
 * (src/core/teamApi/invitations.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createInvitationRoute,
  listInvitationsRoute,
  redeemInvitationRoute,
  revokeInvitationRoute,
} from '../core/teamApi/index.ts';
import { appendAudit } from './auditLog.ts';
import { serveRoute } from './contractRoute.ts';
import {
  createInvitation,
  pendingInvitations,
  redeemInvitation,
  revokeInvitation,
} from './data/invitations.ts';
import type { Database, Queryable } from './database.ts';
import { actorOf, endDate, personOf, projectAudit, requireAction } from './projectRoutes.ts';
import { ProjectRefusal } from './projects.ts';

export { codeHashOf } from './data/invitations.ts';

/** How long an invitation can be used, in days, when the lead does not say. */
export const DEFAULT_INVITATION_DAYS = 7;

/** Where the app opens an invitation: the code in the address's hash, which browsers never send. */
const invitationLink = (origin: string, code: string) => `${origin}/#/join/${code}`;

/** A note as kept: trimmed, on one line; empty is none. */
function labelOf(raw: string | null | undefined): string | null {
  const label = raw?.trim() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  if (/[\u0000-\u001f\u007f]/.test(label))
    throw new ProjectRefusal(400, 'the note of whom the invitation is for must fit on one line');
  return label === '' ? null : label;
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

  serveRoute(app, createInvitationRoute, async (request) => {
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
      await projectAudit(
        tx,
        request,
        clock(),
        'invitation-created',
        {
          invitation: made.invitation.id,
          role,
          expiresOn: expiresOn ?? 'none',
          validUntil: made.invitation.validUntil,
          ...(label === null ? {} : { label }),
        },
        projectId,
      );
      return made;
    });
    return { invitation: made.invitation, code: made.code, link: invitationLink(origin(), made.code) };
  });

  serveRoute(app, listInvitationsRoute, async (request) => {
    const { projectId } = request.params;
    await requireAction(db, request, projectId, 'add-member', clock(), false);
    return { invitations: await pendingInvitations(db, projectId, clock()) };
  });

  serveRoute(app, revokeInvitationRoute, async (request) => {
    const { projectId, invitationId } = request.params;
    await asLead(request, projectId, async (tx) => {
      const revoked = await revokeInvitation(tx, projectId, invitationId, clock());
      await projectAudit(
        tx,
        request,
        clock(),
        'invitation-revoked',
        {
          invitation: invitationId,
          role: revoked.role,
          ...(revoked.label === null ? {} : { label: revoked.label }),
        },
        projectId,
      );
    });
    return undefined;
  });

  serveRoute(app, redeemInvitationRoute, async (request) => {
    const person = personOf(request);
    const project = await db.transaction(async (tx) => {
      const { invitation, projectId, projectName, memberId } = await redeemInvitation(
        tx,
        request.body.code,
        person,
        clock(),
      );
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
      return { id: projectId, name: projectName, role: invitation.role, expiresOn: invitation.expiresOn };
    });
    return { project };
  });
}
