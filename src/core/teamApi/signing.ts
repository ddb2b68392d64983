/**
 * Signing on the team server: every member's key on a project with the project's signing idle
 * time, a member's registration of her own key (WebAuthn), a lead's (or data lead's)
 * confirmation of a key, a lead's revocation of one with its reason, the lead's change of the
 * idle time; a signature and a go/no-go signature, each asked for first (its ceremony); a
 * review's and the steering committee's signatures; the lead's sign-off export; the public anchor.
 *
 * Constraints: the schemas keep the keywords the routes always had (a key id of at most 64
 * characters, a reason of 1 to 500, an idle time of 1 to 480 whole minutes, no other field), so
 * a refusal reads as it always did: `public-key`, a signing's kind and a go/no-go are untyped
 * `const` and `enum` schemas for that reason. A key's confirmation carries no body and none is
 * checked. The authenticator's answers are checked for their fields and bounds only (other
 * fields pass to the verifier) and typed, like the options the server answers, by
 * `@simplewebauthn`; the type-only import leaves nothing of it in either end's bundle.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { type Static, type TProperties, Type } from 'typebox';
import type { SignoffTreeHead } from '../../formats/auditLog.ts';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import {
  type AnchorReply,
  type ServerSignatureView,
  type ServerSteeringDecision,
  SIGNING_MEANINGS,
  type SigningKind,
  type SignoffExportRecord,
  type SteeringDecisionContent,
} from '../signoff/signing/index.ts';
import { Id, MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const KeyParams = Type.Object({
  ...ProjectParams.properties,
  keyId: Type.String({ maxLength: MAX_PROJECT_ID }),
});
const keys = '/api/projects/:projectId/signing-keys';

/** Where a signing key stands: waiting for a confirmer, confirmed, or revoked. */
const SigningKeyStatusSchema = Type.Union([
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
const MIN_SIGNING_IDLE_MINUTES = 1;
/** The longest signing idle time a lead may set (minutes): a working day. */
const MAX_SIGNING_IDLE_MINUTES = 480;
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

// ---- the WebAuthn ceremonies ------------------------------------------------------------------

const HEX64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** A base64url field of the browser's answer, at most `max` characters. */
const b64 = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[A-Za-z0-9_-]+$' });
/** `public-key` without a `type` keyword, so a wrong value reads "must be equal to constant". */
const PublicKeyType = Type.Unsafe<'public-key'>({ const: 'public-key' });
/** The browser's credential answer with `response`'s fields; other fields pass to the verifier. */
const credential = <T>(response: TProperties) =>
  Type.Unsafe<T>(
    Type.Object({ id: b64(1400), rawId: b64(1400), type: PublicKeyType, response: Type.Object(response) }),
  );

/** A new key's registration: the options the authenticator is given (a one-use challenge in them). */
export const registrationOptionsRoute = defineRoute({
  method: 'POST',
  path: `${keys}/options`,
  params: ProjectParams,
  answer: Type.Unsafe<PublicKeyCredentialCreationOptionsJSON>({ type: 'object' }),
});

/** The authenticator's answer to those options: the key joins the roster awaiting confirmation. */
export const registerKeyRoute = defineRoute({
  method: 'POST',
  path: keys,
  status: 201,
  params: ProjectParams,
  body: Type.Object(
    {
      response: credential<RegistrationResponseJSON>({
        clientDataJSON: b64(4000),
        attestationObject: b64(20000),
      }),
    },
    { additionalProperties: false },
  ),
  answer: Type.Object({ key: SigningKeySchema }),
});

/** The browser's assertion over a signing's challenge. */
const Assertion = credential<AuthenticationResponseJSON>({
  clientDataJSON: b64(4000),
  authenticatorData: b64(4000),
  signature: b64(2000),
});

/**
 * What a signing needs in this session: a fresh sign-in at the identity provider first, or the
 * key's assertion over these options (their challenge binds what is signed and `nonce`).
 */
export type SigningCeremony =
  | { ceremony: 'sign-in-again'; signInUrl: string }
  | { ceremony: 'assertion'; nonce: string; options: PublicKeyCredentialRequestOptionsJSON };

/** A signature as the server recorded it in the project's chain. */
const SignatureAnswer = Type.Object({ signature: Type.Unsafe<ServerSignatureView>({ type: 'object' }) });

/** What signing `hash` needs in this session. */
export const signatureOptionsRoute = defineRoute({
  method: 'POST',
  path: '/api/projects/:projectId/signatures/options',
  params: ProjectParams,
  body: Type.Object({ hash: HEX64 }, { additionalProperties: false }),
  answer: Type.Unsafe<SigningCeremony>({ type: 'object' }),
});

/** The most decisions one signature's scope lists: far more than one person decides in a review. */
const MAX_SCOPED_DECISIONS = 20_000;
const Count = Type.Integer({ minimum: 0, maximum: MAX_SCOPED_DECISIONS });

/** What a reviewer's screen says her signature covers (src/core/signoff/signing/signatureScope.ts). */
const SignatureScopeBody = Type.Object(
  {
    decisions: Count,
    decided: Count,
    assigned: Count,
    decisionsSha256: HEX64,
    decisionIds: Type.Array(Id, { maxItems: MAX_SCOPED_DECISIONS }),
  },
  { additionalProperties: false },
);

/**
 * A signature of `hash` as `kind` (its meaning follows from the kind and the signer's role); a
 * review or adjudication signature names the review on this server whose decisions it covers, a
 * data lead's approval or confirmation the review whose result it signs.
 */
export const signRoute = defineRoute({
  method: 'POST',
  path: '/api/projects/:projectId/signatures',
  status: 201,
  params: ProjectParams,
  body: Type.Object(
    {
      hash: HEX64,
      // an enum under `type: string`, so a wrong kind reads "must be equal to one of the allowed values"
      kind: Type.Unsafe<SigningKind>({ type: 'string', enum: Object.keys(SIGNING_MEANINGS) }),
      review: Type.Optional(Id),
      /**
       * a review or adjudication signature's scope (optional: older clients send none and sign the
       * decision set alone): `hash` is then `scopedDecisionsHash` of it, and the ids are the
       * decisions the signer's screen counted, so a refusal names how many differ
       */
      scope: Type.Optional(SignatureScopeBody),
      response: Assertion,
    },
    { additionalProperties: false },
  ),
  answer: SignatureAnswer,
});

/** A go or no-go without a `type` keyword, as its refusals always read. */
const GoNoGo = Type.Unsafe<'go' | 'no-go'>({ enum: ['go', 'no-go'] });

/** The steering committee's decision as signed: the server hashes it, so what is signed is what is shown. */
const SteeringDecision = Type.Unsafe<SteeringDecisionContent>(
  Type.Object(
    {
      id: Id,
      decision: GoNoGo,
      readiness: GoNoGo,
      resultSha256: HEX64,
      rationale: Type.String({ minLength: 1, maxLength: 2000 }),
      recordedAt: Type.String({ minLength: 1, maxLength: 40 }),
    },
    { additionalProperties: false },
  ),
);

/** What signing a go/no-go decision needs in this session, with the hash the server signs. */
export const steeringOptionsRoute = defineRoute({
  method: 'POST',
  path: '/api/projects/:projectId/steering-signatures/options',
  params: ProjectParams,
  body: Type.Object({ decision: SteeringDecision }, { additionalProperties: false }),
  answer: Type.Unsafe<SigningCeremony & { hash: string }>({ type: 'object' }),
});

/** A steering committee member's signature of a go/no-go decision. */
export const signSteeringRoute = defineRoute({
  method: 'POST',
  path: steeringDecisionsRoute.path,
  status: 201,
  params: ProjectParams,
  body: Type.Object({ decision: SteeringDecision, response: Assertion }, { additionalProperties: false }),
  answer: SignatureAnswer,
});

// ---- the sign-off export ----------------------------------------------------------------------

/**
 * The lead's sign-off export of a review, recorded in the project's log before the file leaves
 * her computer: the server's entry, and the head it signed over the log with the entry in it with
 * inclusion proofs (absent from a server that signs no heads).
 */
export const recordExportRoute = defineRoute({
  method: 'POST',
  path: '/api/projects/:projectId/reviews/:reviewId/exports',
  status: 201,
  params: Type.Object({ ...ProjectParams.properties, reviewId: Id }),
  body: Type.Unsafe<SignoffExportRecord>(
    Type.Object(
      {
        resultsSha256: HEX64,
        chainHead: HEX64,
        chainLength: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
        signatures: Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^,]+$' }), {
          maxItems: 500,
        }),
        serverSignatures: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 }),
      },
      { additionalProperties: false },
    ),
  ),
  answer: Type.Unsafe<{ record: ServerAuditRecord } & Partial<SignoffTreeHead>>({ type: 'object' }),
});
