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
import { MAX_PROJECT_ID, ProjectParams } from './common.ts';
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
