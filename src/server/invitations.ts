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
import type { FastifyPluginAsync } from 'fastify';
import {
  createInvitationRoute,
  listInvitationsRoute,
  redeemInvitationRoute,
  revokeInvitationRoute,
} from '../core/teamApi/index.ts';
import { actorOf, evidenceOf, personOf } from './access.ts';
import { appendAudit } from './auditLog.ts';
import { type RouteServices, serveProjectRoute, serveServerRoute } from './contractRoute.ts';
import {
  createInvitation,
  pendingInvitations,
  redeemInvitation,
  revokeInvitation,
} from './data/invitations.ts';
import { endDate } from './projectRoutes.ts';
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

/** What the invitation routes need of the server: its database, clock and public URL's origin. */
export interface InvitationRouteServices extends RouteServices {
  /** the origin of the server's public URL, which an invitation's link names */
  origin: () => string;
}

/**
 * The invitation routes, a fastify plugin: making, listing and revoking are the lead's
 * (`add-member`), a change in one transaction under the project's row lock; redeeming is a change
 * of whoever holds the code, in one transaction.
 */
export const invitationRoutes: FastifyPluginAsync<InvitationRouteServices> = async (app, services) => {
  const { clock, origin } = services;
  const asLead = { action: 'add-member', transaction: 'change' } as const;

  serveProjectRoute(app, services, {
    contract: createInvitationRoute,
    refusalsRecorded: { about: 'role' },
    ...asLead,
    prepare: (request) => ({
      expiresOn: endDate(request.body.expiresOn, clock(), 'give a later date'),
      label: labelOf(request.body.label),
    }),
    handler: async ({ tx, projectId, body, request, audit, prepared: { expiresOn, label } }) => {
      const { role, days = DEFAULT_INVITATION_DAYS } = body;
      const made = await createInvitation(
        tx,
        projectId,
        personOf(request),
        { role, expiresOn, label, days },
        clock(),
      );
      await audit('invitation-created', {
        invitation: made.invitation.id,
        role,
        expiresOn: expiresOn ?? 'none',
        validUntil: made.invitation.validUntil,
        ...(label === null ? {} : { label }),
      });
      return { invitation: made.invitation, code: made.code, link: invitationLink(origin(), made.code) };
    },
  });

  serveProjectRoute(app, services, {
    contract: listInvitationsRoute,
    action: 'add-member',
    transaction: 'none',
    handler: async ({ tx, projectId }) => ({ invitations: await pendingInvitations(tx, projectId, clock()) }),
  });

  serveProjectRoute(app, services, {
    contract: revokeInvitationRoute,
    refusalsRecorded: { about: 'role' },
    ...asLead,
    handler: async ({ tx, projectId, params, audit }) => {
      const { invitationId } = params;
      const revoked = await revokeInvitation(tx, projectId, invitationId, clock());
      await audit('invitation-revoked', {
        invitation: invitationId,
        role: revoked.role,
        ...(revoked.label === null ? {} : { label: revoked.label }),
      });
      return undefined;
    },
  });

  serveServerRoute(app, services, {
    contract: redeemInvitationRoute,
    transaction: 'change',
    handler: async ({ tx, body, request }) => {
      const person = personOf(request);
      const { invitation, projectId, projectName, memberId } = await redeemInvitation(
        tx,
        body.code,
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
          ...evidenceOf(request),
        },
      });
      return {
        project: { id: projectId, name: projectName, role: invitation.role, expiresOn: invitation.expiresOn },
      };
    },
  });
};
