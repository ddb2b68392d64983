/**
 * Invitations to a team project: the lead makes a one-use invitation for a role and gets its link
 * (the code shown this once), lists those that can still be used, revokes one; the person it was
 * sent to redeems its code once signed in, and joins as themselves.
 *
 * Constraints: a code is 43 base64url characters (32 random bytes) and is never in a listing; the
 * server keeps its SHA-256 only. The schemas keep the keywords the routes always had, so a refusal
 * reads as it always did; a note's one-line check and an end date's calendar check are the
 * server's, after these.
 */
import { type Static, Type } from 'typebox';
import { MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { EndDateSchema, ProjectSummarySchema, RoleSchema } from './projects.ts';
import { defineRoute } from './route.ts';

/** The longest an invitation can be used, in days: a link lying in a mailbox for months is a risk. */
const MAX_INVITATION_DAYS = 30;
/** The longest note of whom an invitation is for. */
const MAX_INVITATION_LABEL = 200;
/** A code as the server makes them: 43 base64url characters. */
const CODE = '^[A-Za-z0-9_-]{43}$';

const Nullable = Type.Union([Type.String(), Type.Null()]);

/** An invitation that can still be used, as its lead sees it (never its code). */
export const InvitationSchema = Type.Object({
  id: Type.String(),
  role: RoleSchema,
  /** the end date of the membership it gives (YYYY-MM-DD), or null */
  expiresOn: Nullable,
  /** whom the lead meant it for, in their own words (a name, a job), or null */
  label: Nullable,
  createdAt: Type.String(),
  /** the last moment it can be used */
  validUntil: Type.String(),
});
/** An invitation as its lead sees it. */
export type Invitation = Static<typeof InvitationSchema>;

/** A new invitation: the invitation, its code (shown this once) and the link that carries it. */
export const NewInvitationSchema = Type.Object({
  invitation: InvitationSchema,
  code: Type.String(),
  link: Type.String(),
});
/** A new invitation with its link. */
export type NewInvitation = Static<typeof NewInvitationSchema>;

const base = '/api/projects/:projectId/invitations';

/** `POST …/invitations`: makes an invitation (the lead's); its code is in the answer this once. */
export const createInvitationRoute = defineRoute({
  method: 'POST',
  path: base,
  status: 201,
  params: ProjectParams,
  body: Type.Object(
    {
      role: RoleSchema,
      expiresOn: Type.Optional(EndDateSchema),
      label: Type.Optional(Type.Union([Type.String({ maxLength: MAX_INVITATION_LABEL }), Type.Null()])),
      /** how many days it can be used (the server's default when absent) */
      days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INVITATION_DAYS })),
    },
    { additionalProperties: false },
  ),
  answer: NewInvitationSchema,
});

/** `GET …/invitations`: the project's invitations that can still be used, newest first. */
export const listInvitationsRoute = defineRoute({
  method: 'GET',
  path: base,
  params: ProjectParams,
  answer: Type.Object({ invitations: Type.Array(InvitationSchema) }),
});

/** `DELETE …/invitations/:invitationId`: revokes an unused invitation. */
export const revokeInvitationRoute = defineRoute({
  method: 'DELETE',
  path: `${base}/:invitationId`,
  status: 204,
  params: Type.Object({
    ...ProjectParams.properties,
    invitationId: Type.String({ maxLength: MAX_PROJECT_ID }),
  }),
  answer: Type.Undefined(),
});

/** `POST /api/invitations/redeem`: joins the project of a code, as the person signed in. */
export const redeemInvitationRoute = defineRoute({
  method: 'POST',
  path: '/api/invitations/redeem',
  status: 201,
  body: Type.Object({ code: Type.String({ pattern: CODE }) }, { additionalProperties: false }),
  answer: Type.Object({ project: ProjectSummarySchema }),
});
