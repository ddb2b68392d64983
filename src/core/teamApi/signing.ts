/**
 * Signing keys on the team server: every member's key on a project with the project's signing
 * idle time, a lead's (or data lead's) confirmation of a key, a lead's revocation of one with
 * its reason, and the lead's change of the idle time.
 *
 * Constraints: the schemas keep the keywords the routes always had (a key id of at most 64
 * characters, a reason of 1 to 500, an idle time of 1 to 480 whole minutes, no other field), so
 * a refusal reads as it always did. A key's confirmation carries no body and none is checked.
 */
import { type Static, Type } from 'typebox';
import type { AnchorReply, ServerSteeringDecision } from '../signoff/serverChain.ts';
import type { ServerSignatureView } from '../signoff/serverSignatures.ts';
import { Id, MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const KeyParams = Type.Object({
  ...ProjectParams.properties,
  keyId: Type.String({ maxLength: MAX_PROJECT_ID }),
});
const keys = '/api/projects/:projectId/signing-keys';

/** Where a signing key stands: waiting for a confirmer, confirmed, or revoked. */
export const SigningKeyStatusSchema = Type.Union([
  Type.Literal('awaiting confirmation'),
  Type.Literal('confirmed'),
  Type.Literal('revoked'),
]);

/** A member's signing key as the roster shows it. */
export const SigningKeySchema = Type.Object({
  id: Type.String(),
  /** whose key: their id at the identity provider */
  subject: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  credentialId: Type.String(),
  /** the key's COSE algorithm (ES256 or RS256) */
  algorithm: Type.Integer(),
  /** RFC 7638 thumbprint, for people to compare across screens */
  fingerprint: Type.String(),
  registeredAt: Type.String(),
  status: SigningKeyStatusSchema,
  confirmedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokedReason: Type.Union([Type.String(), Type.Null()]),
  /** who confirmed and who revoked it, as the project's audit log names them */
  confirmedBy: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});
/** A member's signing key as the roster shows it. */
export type SigningKey = Static<typeof SigningKeySchema>;

/** The shortest signing idle time a lead may set (minutes). */
export const MIN_SIGNING_IDLE_MINUTES = 1;
/** The longest signing idle time a lead may set (minutes): a working day. */
export const MAX_SIGNING_IDLE_MINUTES = 480;
const IdleMinutes = Type.Integer({ minimum: MIN_SIGNING_IDLE_MINUTES, maximum: MAX_SIGNING_IDLE_MINUTES });

/** A project's signing keys and its signing idle time (minutes). */
export const ProjectSigningKeysSchema = Type.Object({
  keys: Type.Array(SigningKeySchema),
  idleMinutes: Type.Number(),
});
/** A project's signing keys and its signing idle time (minutes). */
export type ProjectSigningKeys = Static<typeof ProjectSigningKeysSchema>;

/** Every member's signing key on the project, and the project's signing idle time. */
export const signingKeysRoute = defineRoute({
  method: 'GET',
  path: keys,
  params: ProjectParams,
  answer: ProjectSigningKeysSchema,
});

/** A lead or the data lead confirms another member's key, from her own session. */
export const confirmKeyRoute = defineRoute({
  method: 'POST',
  path: `${keys}/:keyId/confirm`,
  params: KeyParams,
  answer: Type.Object({ key: SigningKeySchema }),
});

/** The lead revokes a key, saying why (the reason is trimmed and kept in the log). */
export const revokeKeyRoute = defineRoute({
  method: 'POST',
  path: `${keys}/:keyId/revoke`,
  params: KeyParams,
  body: Type.Object(
    { reason: Type.String({ minLength: 1, maxLength: 500 }) },
    { additionalProperties: false },
  ),
  answer: Type.Object({ key: SigningKeySchema }),
});

/** The lead sets how long a signing period lasts without a signing. */
export const signingSettingsRoute = defineRoute({
  method: 'PATCH',
  path: '/api/projects/:projectId/signing',
  params: ProjectParams,
  body: Type.Object({ idleMinutes: IdleMinutes }, { additionalProperties: false }),
  answer: Type.Object({ idleMinutes: Type.Integer() }),
});

/** The reviewers' and adjudicators' signatures of a review on this server, in the server's order. */
export const reviewSignaturesRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/reviews/:reviewId/signatures',
  params: Type.Object({ ...ProjectParams.properties, reviewId: Id }),
  answer: Type.Object({ signatures: Type.Array(Type.Unsafe<ServerSignatureView>({ type: 'object' })) }),
});

/** The go/no-go decisions signed on this server for a project, in the order of their first signature. */
export const steeringDecisionsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/steering-signatures',
  params: ProjectParams,
  answer: Type.Object({ decisions: Type.Array(Type.Unsafe<ServerSteeringDecision>({ type: 'object' })) }),
});

/** The most hashes one anchor question may ask about (a project's log is thousands of entries). */
export const MAX_ANCHOR_HASHES = 20_000;

/** Public: whether each hash is an entry the server wrote, and where in its project's log. */
export const anchorRoute = defineRoute({
  method: 'POST',
  path: '/api/anchor',
  body: Type.Object(
    {
      hashes: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { maxItems: MAX_ANCHOR_HASHES }),
    },
    { additionalProperties: false },
  ),
  answer: Type.Unsafe<AnchorReply>({ type: 'object' }),
});
