/**
 * Signing keys and electronic signatures on the team server (21 CFR 11.100, 11.200, 11.300).
 *
 * - A member registers HER OWN WebAuthn key from her own session (options, then the browser's
 *   answer, verified with `@simplewebauthn/server`); the lead confirms it in the project's roster
 *   from the lead's own session, or revokes it with a reason. One authenticator credential serves
 *   one person on this server: a second person registering the same credential is refused, and
 *   the refusal is itself an audit entry.
 * - A signing is a ceremony: the first in a continuous period needs a fresh sign-in at the identity
 *   provider (`/api/login?fresh=1`: `max_age=0`, `prompt=login`, its `auth_time` checked) and then
 *   a WebAuthn assertion; later signings in the period an assertion only; a period ends after the
 *   project's signing idle time (default 15 minutes) without a signing, and the whole ceremony is
 *   needed again. The assertion's challenge is the SHA-256 of what is signed together with a
 *   one-use nonce the server issued to this session ({@link signingChallenge}), so an assertion
 *   made elsewhere or earlier cannot be replayed.
 * - What an approval signs: the lead's sign-off signature names no review and signs the sign-off
 *   hash her screen prepared; a data lead's names the review and signs the server's own
 *   fingerprint of its result (sampleResults.ts), refused when the result changed since she looked
 *   or, for an approval, while records wait for a decision.
 * - The signature is recorded as a server-sequenced entry of the project's chain: signer, role,
 *   meaning (fixed by what is signed and allowed by the role), the hash signed, the time, and the
 *   assertion's bytes, so anyone holding the export can verify it again offline.
 *
 * Constraints: every route names its action in the role × action table (src/core/teamRoles); changes and
 * their audit entries commit together after the project's row is locked; bodies are validated
 * (unknown fields refused, strings bounded) before a route runs. The routes hold no SQL: keys,
 * credentials, challenges and the idle time are read and written in data/signingKeys.ts, the
 * log's signature entries read in data/signatureEntries.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  COSE_ES256,
  COSE_RS256,
  type CoseKey,
  coseToJwk,
  decisionSetProblem,
  fromBase64Url,
  hexToBytes,
  maySign,
  type PublicKeyJwk,
  publicKeyFingerprint,
  reviewedDecisionsHash,
  type ScopedDecision,
  type ServerSignatureView,
  type ServerSteeringDecision,
  SIGNING_MEANINGS,
  type SignatureManifest,
  type SigningKind,
  type SteeringDecisionContent,
  scopedDecisionsHash,
  scopeText,
  signingChallenge,
  steeringDecisionHash,
  toBase64Url,
} from '../core/signoff/signing/index.ts';
import {
  anchorRoute,
  confirmKeyRoute,
  KEY_CONFIRMERS,
  recordExportRoute,
  registerKeyRoute,
  registrationOptionsRoute,
  reviewSignaturesRoute,
  revokeKeyRoute,
  type SigningKey,
  signatureOptionsRoute,
  signingKeysRoute,
  signingSettingsRoute,
  signRoute,
  signSteeringRoute,
  steeringDecisionsRoute,
  steeringOptionsRoute,
} from '../core/teamApi/index.ts';

import { auditLeaves, inclusionProofs } from '../core/transparency/index.ts';
import type { SignoffTreeHead } from '../formats/auditLog.ts';
import type { DecisionStage } from '../formats/review.ts';
import type { ServerAuditEntry, ServerAuditKind } from './auditLog.ts';
import {
  attemptRecorded,
  type RouteServices,
  refusedAfterCommit,
  serveProjectRoute,
  serveServerRoute,
} from './contractRoute.ts';
import { decisionEntrySeqs, ownPostedDecisions } from './data/reviewSamples.ts';
import {
  anchoredEntries,
  projectEntryCount,
  reviewSignatureEntries,
  steeringDecisionsOf,
} from './data/signatureEntries.ts';
import {
  addCredentialOwner,
  CHALLENGE_TTL_MS,
  type ChallengePurpose,
  confirmKey,
  credentialOwnerForUpdate,
  insertKey,
  issueChallenge,
  type KeyRow,
  keyOf,
  keysOf,
  keysOfPerson,
  keysWithCredential,
  personsKeyWithCredential,
  publicKeyOf,
  revokeKey,
  setSignCount,
  setSigningIdleMinutes,
  signingIdleMinutes,
  signingKeysOfPerson,
  takeChallenge,
} from './data/signingKeys.ts';
import type { Queryable } from './database.ts';
import type { TransparencyLog } from './logService.ts';
import { type Membership, membershipOf, ProjectRefusal } from './projects.ts';
import { checkResultSigning } from './sampleResults.ts';
import { markSigned, type Session } from './sessions.ts';
import { exportedLogKey } from './transparencyLog.ts';

/** How long a challenge may wait. */
export { CHALLENGE_TTL_MS };

/** Where the browser goes for the fresh sign-in a first signing needs. */
const FRESH_SIGN_IN_PATH = '/api/login?fresh=1';

/** The public route an export's holder asks whether its entries are the server's. */
export const ANCHOR_PATH = anchorRoute.path;

/** The message a second person registering someone's credential is refused with. */
export const ONE_PERSON_PER_CREDENTIAL =
  'this security key or passkey is already registered to another person on this server: one key serves one person. Register a key of your own (another security key, or this computer’s own fingerprint or PIN)';

/**
 * What a signing needs now: an assertion only while the session's signing period lasts (a fresh
 * sign-in, then signings, each within `idleMs` of the one before), otherwise a fresh sign-in first.
 */
export function ceremonyFor(
  session: Pick<Session, 'freshAuthAt' | 'lastSignedAt'>,
  now: number,
  idleMs: number,
): 'assertion' | 'sign-in-again' {
  if (session.freshAuthAt === null) return 'sign-in-again';
  const last = Math.max(session.freshAuthAt, session.lastSignedAt ?? 0);
  return now - last < idleMs ? 'assertion' : 'sign-in-again';
}

interface ProjectParams {
  projectId: string;
}

/** What the signing ceremony's second half is handed by its route. */
interface SigningContext {
  /** the route's transaction */
  tx: Queryable;
  request: FastifyRequest<{ Params: ProjectParams }>;
  /** the signer's membership, allowed the route's action */
  me: Membership;
  /** records an entry in the project's chain, in {@link tx}, by the signer, now */
  audit(kind: ServerAuditKind, detail?: Record<string, string>): Promise<ServerAuditEntry>;
  /** records a refused attempt, folded with its repeats (contractRoute.ts) */
  refused(kind: ServerAuditKind, detail: Record<string, string>): Promise<ServerAuditEntry | undefined>;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function keyView(row: KeyRow): SigningKey {
  return {
    id: row.id,
    subject: row.subject,
    name: row.name,
    credentialId: row.credential_id,
    algorithm: row.algorithm,
    fingerprint: publicKeyFingerprint(row.public_key_jwk),
    registeredAt: iso(row.registered_at) as string,
    status:
      row.revoked_at !== null ? 'revoked' : row.confirmed_at !== null ? 'confirmed' : 'awaiting confirmation',
    confirmedAt: iso(row.confirmed_at),
    revokedAt: iso(row.revoked_at),
    revokedReason: row.revoked_reason,
    confirmedBy: row.confirmed_by,
    revokedBy: row.revoked_by,
  };
}

/** What the signing routes need of the server. */
export interface SigningRouteServices extends RouteServices {
  /**
   * the server's public URL: its origin is what the browser writes into clientDataJSON, its host
   * name the RP ID
   */
  site: () => URL;
  /** the server's transparency log (a sign-off export's record is proved in its signed head) */
  log: TransparencyLog;
}

/** The session of a request the session check let through (every signing route's). */
const sessionOf = (request: FastifyRequest) => request.session as Session;

/** Where a ceremony's one-use challenge of `purpose` is kept: the session's, on the request's project. */
const challengeOf = (request: FastifyRequest<{ Params: ProjectParams }>, purpose: ChallengePurpose) => ({
  sessionHash: sessionOf(request).idHash,
  projectId: request.params.projectId,
  purpose,
});

/**
 * The signing routes, a fastify plugin: each declares its action in the role × action table and
 * its transaction; a change runs in one that locks the project's row, with its audit entries. A
 * refused attempt that is evidence (another person's key, a self-confirmation) is recorded in the
 * transaction and refused once it has committed ({@link refusedAfterCommit}).
 */
export const signingRoutes: FastifyPluginAsync<SigningRouteServices> = async (app, services) => {
  const { db, clock, site, log } = services;

  const idleMsOf = async (q: Queryable, projectId: string) =>
    (await signingIdleMinutes(q, projectId)) * 60_000;

  // ---- keys ----------------------------------------------------------------------------------

  serveProjectRoute(app, services, {
    contract: registrationOptionsRoute,
    refusalsRecorded: { about: 'key' },
    action: 'sign',
    transaction: 'read',
    handler: async ({ tx, projectId, request }) => {
      const { user } = sessionOf(request);
      const mine = await keysOfPerson(tx, projectId, user);
      const options = await generateRegistrationOptions({
        rpName: 'Preflight',
        rpID: site().hostname,
        userName: user.email ?? user.subject,
        userDisplayName: user.name,
        attestationType: 'none',
        excludeCredentials: mine.map((k) => ({ id: k.credential_id })),
        supportedAlgorithmIDs: [COSE_ES256, COSE_RS256],
        authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
      });
      await issueChallenge(tx, challengeOf(request, 'register'), options.challenge, clock());
      return options;
    },
  });

  serveProjectRoute(app, services, {
    contract: registerKeyRoute,
    refusalsRecorded: { about: 'key' },
    action: 'sign',
    transaction: 'change',
    handler: async ({ tx, projectId, body, request, audit, refused }) => {
      const { user } = sessionOf(request);
      const challenge = await takeChallenge(tx, challengeOf(request, 'register'), clock());
      if (challenge === undefined)
        throw new ProjectRefusal(
          409,
          'this key registration was not started here or took too long: start it again',
        );
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response: body.response,
          expectedChallenge: challenge,
          expectedOrigin: site().origin,
          expectedRPID: site().hostname,
          requireUserVerification: false,
          supportedAlgorithmIDs: [COSE_ES256, COSE_RS256],
        });
      } catch {
        verified = { verified: false };
      }
      if (!verified.verified)
        throw new ProjectRefusal(
          422,
          'the browser’s answer is not a registration of a new key for this page: start the registration again',
        );
      const { credential } = verified.registrationInfo;
      const jwk = coseToJwk(isoCBOR.decodeFirst<CoseKey>(credential.publicKey));
      const owner = await credentialOwnerForUpdate(tx, credential.id);
      if (owner !== undefined && (owner.issuer !== user.issuer || owner.subject !== user.subject)) {
        await refused('signing-key-refused', {
          subject: user.subject,
          credential: credential.id,
          reason: 'registered to another person',
        });
        return refusedAfterCommit(new ProjectRefusal(409, ONE_PERSON_PER_CREDENTIAL));
      }
      if (owner === undefined) await addCredentialOwner(tx, credential.id, user);
      const taken = await keysWithCredential(tx, projectId, credential.id);
      if (taken.length > 0)
        throw new ProjectRefusal(409, 'this key is already on this project’s roster under your name');
      const id = randomUUID();
      await insertKey(tx, {
        id,
        projectId,
        owner: user,
        credentialId: credential.id,
        algorithm: jwk.kty === 'EC' ? COSE_ES256 : COSE_RS256,
        publicKeyJwk: jwk,
        publicKeyCose: toBase64Url(credential.publicKey),
        signCount: credential.counter,
        registeredAt: new Date(clock()).toISOString(),
      });
      await audit('signing-key-registered', {
        key: id,
        subject: user.subject,
        credential: credential.id,
        fingerprint: publicKeyFingerprint(jwk),
        // the public key itself, so an exported log's signatures are verified without the server
        publicKeyJwk: JSON.stringify(jwk),
      });
      const row = await keyOf(tx, projectId, id);
      return { key: keyView(row as KeyRow) };
    },
  });

  serveProjectRoute(app, services, {
    contract: signingKeysRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ tx, projectId }) => ({
      keys: (await keysOf(tx, projectId)).map(keyView),
      // the project's signing idle time, so the lead sees it beside the keys it governs
      idleMinutes: await signingIdleMinutes(tx, projectId),
    }),
  });

  /**
   * Confirms or revokes key `keyId`, in its route's transaction (the project's row locked); a
   * refused self-confirmation is recorded, so it is returned for the route to send once its entry
   * has committed.
   */
  async function changeKey(
    { tx, me, projectId, request, audit, refused }: SigningContext & { projectId: string },
    keyId: string,
    change: 'confirm' | 'revoke',
    reason?: string,
  ): Promise<SigningKey | ProjectRefusal> {
    if (!KEY_CONFIRMERS.includes(me.role))
      throw new ProjectRefusal(
        403,
        `your role on this project (${me.role}) cannot confirm signing keys: a lead or the data lead confirms them`,
      );
    const row = await keyOf(tx, projectId, keyId);
    if (row === undefined)
      throw new ProjectRefusal(404, 'no such signing key on this project: reload the roster');
    if (row.revoked_at !== null)
      throw new ProjectRefusal(409, 'this key was revoked: its owner registers a new one');
    const at = new Date(clock()).toISOString();
    if (change === 'confirm') {
      if (row.confirmed_at !== null) throw new ProjectRefusal(409, 'this key is confirmed already');
      const self = sessionOf(request).user;
      if (row.issuer === self.issuer && row.subject === self.subject) {
        // an attempt to vouch for oneself is evidence the lead must see: who, which key, why refused
        await refused('signing-key-confirm-refused', {
          key: keyId,
          subject: row.subject,
          credential: row.credential_id,
          reason: 'nobody confirms their own signing key',
        });
        return new ProjectRefusal(
          403,
          'you cannot confirm your own signing key: another lead or the project’s data lead confirms it, once you have told them its key code in person or by phone',
        );
      }
      // a key is confirmed only while its owner is on the roster
      const owner = await membershipOf(tx, { issuer: row.issuer, subject: row.subject }, projectId, clock());
      if (owner === undefined)
        throw new ProjectRefusal(409, 'the key’s owner is no longer a member of this project');
      await confirmKey(tx, projectId, keyId, at, sessionOf(request).user.subject);
      await audit('signing-key-confirmed', {
        key: keyId,
        subject: row.subject,
        credential: row.credential_id,
        fingerprint: publicKeyFingerprint(row.public_key_jwk),
      });
    } else {
      await revokeKey(tx, projectId, keyId, at, reason);
      await audit('signing-key-revoked', {
        key: keyId,
        subject: row.subject,
        credential: row.credential_id,
        reason: reason as string,
      });
    }
    return keyView((await keyOf(tx, projectId, keyId)) as KeyRow);
  }

  serveProjectRoute(app, services, {
    contract: confirmKeyRoute,
    refusalsRecorded: { about: 'key' },
    // a data lead confirms keys too (KEY_CONFIRMERS, checked by changeKey); revoking stays the lead's
    action: 'read-project',
    transaction: 'change',
    handler: async (context) => {
      const key = await changeKey(context, context.params.keyId, 'confirm');
      return key instanceof ProjectRefusal ? refusedAfterCommit(key) : { key };
    },
  });

  serveProjectRoute(app, services, {
    contract: revokeKeyRoute,
    refusalsRecorded: { about: 'key' },
    action: 'manage-signing',
    transaction: 'change',
    handler: async (context) => {
      const key = await changeKey(context, context.params.keyId, 'revoke', context.body.reason.trim());
      return key instanceof ProjectRefusal ? refusedAfterCommit(key) : { key };
    },
  });

  serveProjectRoute(app, services, {
    contract: signingSettingsRoute,
    refusalsRecorded: { about: 'signature' },
    action: 'manage-signing',
    transaction: 'change',
    handler: async ({ tx, projectId, body, audit }) => {
      const { idleMinutes } = body;
      const previous = await signingIdleMinutes(tx, projectId);
      await setSigningIdleMinutes(tx, projectId, idleMinutes);
      await audit('signing-settings-changed', {
        idleMinutes: String(idleMinutes),
        previousIdleMinutes: String(previous),
      });
      return { idleMinutes };
    },
  });

  // ---- the anchor ----------------------------------------------------------------------------

  // Public: whoever holds an export asks whether its entries are the server's. A hash is
  // unguessable, so the answer tells nothing to anyone who does not hold the entry already.
  serveServerRoute(app, services, {
    contract: anchorRoute,
    transaction: 'none',
    config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    handler: async ({ tx, body }) => {
      const hashes = [...new Set(body.hashes)];
      const rows = await anchoredEntries(tx, hashes);
      const found = new Map(rows.map((r) => [r.hash, r]));
      const projects = [...new Set(rows.map((r) => r.project).filter((p): p is string => p !== null))];
      const projectEntries =
        projects.length === 1 ? await projectEntryCount(tx, projects[0] as string) : undefined;
      return {
        entries: body.hashes.map((hash) => {
          const row = found.get(hash);
          return row === undefined || row.project_seq === null
            ? { hash, known: false }
            : { hash, known: true, projectSeq: Number(row.project_seq), kind: row.kind };
        }),
        ...(projectEntries === undefined ? {} : { projectEntries }),
      };
    },
  });

  // ---- signing -------------------------------------------------------------------------------

  /** What signing `hash` needs in this session: a fresh sign-in first, or an assertion over it. */
  async function signingOptions(
    tx: Queryable,
    request: FastifyRequest<{ Params: ProjectParams }>,
    hash: string,
  ) {
    const { projectId } = request.params;
    const session = sessionOf(request);
    if (ceremonyFor(session, clock(), await idleMsOf(tx, projectId)) === 'sign-in-again')
      return { ceremony: 'sign-in-again' as const, signInUrl: FRESH_SIGN_IN_PATH };
    const keys = await signingKeysOfPerson(tx, projectId, session.user);
    const nonce = randomBytes(32).toString('base64url');
    await issueChallenge(tx, challengeOf(request, 'sign'), nonce, clock());
    const options = await generateAuthenticationOptions({
      rpID: site().hostname,
      challenge: hexToBytes(signingChallenge(hash, nonce)),
      allowCredentials: keys.map((k) => ({ id: k.credential_id })),
      userVerification: 'preferred',
    });
    return { ceremony: 'assertion' as const, nonce, options };
  }

  /**
   * The ceremony's second half, in the signing's transaction: the session's signing period, its
   * one-use nonce, the signer's own confirmed key and the assertion over `hash` verified; then the
   * signature is recorded as an entry of the project's chain with `detail`. A signature with a
   * key not on the roster under the signer's name (another person's, say) is refused and the
   * attempt recorded in the same transaction: the refusal is returned, for the caller to throw
   * once that transaction has committed.
   */
  async function recordSignature(
    { tx, request, me, audit, refused }: SigningContext,
    signing: {
      hash: string;
      kind: SigningKind;
      response: AuthenticationResponseJSON;
      detail: Record<string, string>;
    },
  ) {
    const { projectId } = request.params;
    const { hash, kind, response } = signing;
    const session = sessionOf(request);
    if (ceremonyFor(session, clock(), await idleMsOf(tx, projectId)) === 'sign-in-again')
      throw new ProjectRefusal(
        403,
        `signing needs you to sign in again first (the first signing of a session, or after a pause): sign in at ${FRESH_SIGN_IN_PATH}, then sign`,
      );
    const nonce = await takeChallenge(tx, challengeOf(request, 'sign'), clock());
    if (nonce === undefined)
      throw new ProjectRefusal(
        409,
        'this identity check was already used, or was not asked for here, or took too long: sign again',
      );
    const key = await personsKeyWithCredential(tx, projectId, response.id, session.user);
    if (key === undefined) {
      const owner = await credentialOwnerForUpdate(tx, response.id);
      const another =
        owner !== undefined &&
        (owner.issuer !== session.user.issuer || owner.subject !== session.user.subject);
      await refused('signature-refused', {
        member: me.memberId,
        subject: session.user.subject,
        role: me.role,
        kind,
        meaning: SIGNING_MEANINGS[kind],
        credential: response.id,
        ...(another ? { keyOwner: owner.subject } : {}),
        reason: another
          ? 'signed with a key registered to another person'
          : 'signed with a key not on the project’s roster under the signer’s name',
      });
      return attemptRecorded(
        new ProjectRefusal(
          403,
          'this key is not on this project’s roster under your name: register it first',
        ),
      );
    }
    if (key.revoked_at !== null)
      throw new ProjectRefusal(403, `this key was revoked (${key.revoked_reason}): register a new one`);
    if (key.confirmed_at === null)
      throw new ProjectRefusal(
        403,
        'this key is not confirmed yet: another lead or the project’s data lead confirms it in the roster (nobody confirms their own key)',
      );
    const challenge = toBase64Url(hexToBytes(signingChallenge(hash, nonce)));
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: site().origin,
        expectedRPID: site().hostname,
        credential: {
          id: key.credential_id,
          publicKey: fromBase64Url(key.public_key_cose, 'stored key'),
          counter: Number(key.sign_count),
        },
        requireUserVerification: false,
      });
    } catch {
      verified = { verified: false } as typeof verified;
    }
    if (!verified.verified)
      throw new ProjectRefusal(
        422,
        'the identity check does not verify for this signing with your key: nothing was signed; sign again',
      );
    const now = clock();
    await setSignCount(tx, key.id, verified.authenticationInfo.newCounter);
    await markSigned(tx, session.idHash, now);
    return audit('signature', {
      member: me.memberId,
      subject: session.user.subject,
      role: me.role,
      kind,
      meaning: SIGNING_MEANINGS[kind],
      ...signing.detail,
      hash,
      nonce,
      key: key.id,
      credential: key.credential_id,
      authenticatorData: response.response.authenticatorData,
      clientDataJSON: response.response.clientDataJSON,
      signature: response.response.signature,
    });
  }

  /**
   * The signature as the signer's browser is told of it (see {@link signatureViewOf}), once the
   * signing's transaction has committed; a refusal whose attempt was recorded is thrown then.
   */
  const signatureView = async (entry: ServerAuditEntry | ProjectRefusal) => {
    if (entry instanceof ProjectRefusal) throw entry;
    return { signature: signatureViewOf(entry, await publicKeyOf(db, entry.detail.key)) };
  };

  serveProjectRoute(app, services, {
    contract: signatureOptionsRoute,
    refusalsRecorded: { about: 'signature' },
    action: 'sign',
    transaction: 'read',
    handler: ({ tx, body, request }) => signingOptions(tx, request, body.hash),
  });

  serveProjectRoute(app, services, {
    contract: signRoute,
    refusalsRecorded: { about: 'signature' },
    action: 'sign',
    transaction: 'change',
    handler: async (context) => {
      const { tx, me, projectId, body, afterCommit } = context;
      const { hash, kind, review, scope, response } = body;
      if (!maySign(me.role, kind))
        throw new ProjectRefusal(
          403,
          `a ${me.role} of this project does not sign “${SIGNING_MEANINGS[kind]}”: the meaning of a signature must be true of its signer`,
        );
      if (kind === 'go' || kind === 'no-go')
        throw new ProjectRefusal(
          400,
          `a go or no-go is signed on the decision it records, with its rationale: sign it at ${STEERING_SIGNATURES_PATH}`,
        );
      // "I reviewed" or "I adjudicated" is true only of the signer's own decisions: it names them
      if ((kind === 'review' || kind === 'adjudication') && review === undefined)
        throw new ProjectRefusal(
          400,
          `a signature “${SIGNING_MEANINGS[kind]}” names the review on this server it covers, and signs your own decisions there: sign it from My assigned records`,
        );
      // the data lead approves (or confirms) the result the server shows her: she names the review
      // and signs the fingerprint of its result; the lead's sign-off signature names none and
      // signs the sign-off hash her own screen prepared over the same results
      if (me.role === 'data' && review === undefined)
        throw new ProjectRefusal(
          400,
          `a data lead’s signature “${SIGNING_MEANINGS[kind]}” names the review whose result it signs: sign it from the sample’s result on the team project page`,
        );
      if (review !== undefined && (kind === 'approval' || kind === 'confirmation'))
        await checkResultSigning(tx, projectId, review, kind, hash);
      else if (review !== undefined)
        await checkReviewedDecisions(tx, projectId, me.memberId, review, kind, hash, scope);
      else if (scope !== undefined)
        throw new ProjectRefusal(400, 'only a review or an adjudication signature states a scope');
      const entry = await recordSignature(context, {
        hash,
        kind,
        response,
        detail: {
          ...(review === undefined ? {} : { review }),
          ...(scope === undefined
            ? {}
            : {
                decisions: String(scope.decisions),
                decided: String(scope.decided),
                assigned: String(scope.assigned),
                decisionsSha256: scope.decisionsSha256,
              }),
        },
      });
      return afterCommit(() => signatureView(entry));
    },
  });

  // The signatures of a review on this server (a reviewer's "I reviewed", an adjudicator's), in
  // the server's order, each with its assertion and key: the lead keeps them with the decisions,
  // so the sign-off report and the FHIR Bundle carry them. A signature holds hashes and names,
  // never a decision's content, so every member who may open the project may read them.
  serveProjectRoute(app, services, {
    contract: reviewSignaturesRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ tx, projectId, params }) => {
      const entries = await reviewSignatureEntries(tx, projectId, params.reviewId);
      const signatures: ServerSignatureView[] = [];
      for (const entry of entries)
        signatures.push(signatureViewOf(entry, await publicKeyOf(tx, entry.detail.key)));
      return { signatures };
    },
  });

  // The lead's sign-off export is recorded here before it leaves her computer: what it holds (its
  // chain's length and head, the results hash, the signatures' ids and server entries) becomes an
  // entry of the project's log, and the file carries that entry. A verifier asking the server then
  // knows a cut, a rewrite without signatures or an edited record from the server's own copy.
  // The answer carries the head the server signs over the log with that entry in it, and an
  // inclusion proof of the entry and of each signature entry the file names, so the file proves
  // them offline too (src/core/signoff/exports/signoffTree.ts).
  serveProjectRoute(app, services, {
    contract: recordExportRoute,
    action: 'assign-reviews',
    transaction: 'change',
    handler: async ({ tx, projectId, params, body, request, audit, afterCommit }) => {
      const { resultsSha256, chainHead, chainLength, signatures, serverSignatures } = body;
      const entry = await audit('signoff-exported', {
        review: params.reviewId,
        resultsSha256,
        chainHead,
        chainLength: String(chainLength),
        signatures: signatures.join(','),
        serverSignatures: serverSignatures.join(','),
      });
      const { head, hashes } = await log.headOf(tx, projectId, request.log);
      // the record, each signature entry the file names that the log holds, then the entry of
      // each decision on the review (the file proves each decision the server's by it), once each
      const decided = await decisionEntrySeqs(tx, projectId, params.reviewId);
      const seqs = [
        ...new Set([
          entry.projectSeq as number,
          ...serverSignatures.filter((n) => n <= head.size),
          ...decided.filter((n) => n <= head.size),
        ]),
      ];
      const proofs = inclusionProofs(
        auditLeaves(hashes),
        seqs.map((n) => n - 1),
      );
      const tree: SignoffTreeHead = {
        treeHead: head,
        logKey: exportedLogKey(log.signer),
        inclusionProofs: seqs.map((projectSeq, i) => ({ projectSeq, proof: proofs[i] ?? [] })),
      };
      // a new head is stamped and kept after the transaction that made it (logService.ts)
      return afterCommit(async () => {
        const treeHead = await log.kept(db, tree.treeHead, request.log);
        return { record: entry, ...tree, treeHead };
      });
    },
  });

  // ---- the steering committee's go or no-go ----------------------------------------------------

  serveProjectRoute(app, services, {
    contract: steeringOptionsRoute,
    refusalsRecorded: { about: 'signature' },
    action: 'sign-steering',
    transaction: 'read',
    handler: async ({ tx, body, request }) => {
      const decision = trimmedDecision(body.decision);
      const hash = steeringDecisionHash(decision);
      return { ...(await signingOptions(tx, request, hash)), hash };
    },
  });

  serveProjectRoute(app, services, {
    contract: signSteeringRoute,
    refusalsRecorded: { about: 'signature' },
    action: 'sign-steering',
    transaction: 'change',
    // the decision's rationale is checked before the membership, so its refusal comes first
    prepare: (request) => {
      const decision = trimmedDecision(request.body.decision);
      return { decision, hash: steeringDecisionHash(decision) };
    },
    handler: async (context) => {
      const { tx, me, projectId, body, afterCommit, prepared } = context;
      const { decision, hash } = prepared;
      const decisions = await steeringDecisionsOf(tx, projectId);
      const same = decisions.find((d) => d.id === decision.id);
      const latest = decisions.at(-1);
      if (same !== undefined && same.hash !== hash)
        throw new ProjectRefusal(
          409,
          'this decision was signed with another decision, rationale or readiness result: record a new decision, or sign it as the others did',
        );
      if (same !== undefined && same !== latest)
        throw new ProjectRefusal(
          409,
          'the committee recorded a later decision since this one: reload, and sign the latest decision or record a new one',
        );
      if (same?.signatures.some((s) => s.member === me.memberId))
        throw new ProjectRefusal(409, 'you have signed this decision already');
      const entry = await recordSignature(context, {
        hash,
        kind: decision.decision,
        response: body.response,
        detail: {
          steeringDecision: decision.id,
          readiness: decision.readiness,
          resultSha256: decision.resultSha256,
          rationale: decision.rationale,
          recordedAt: decision.recordedAt,
        },
      });
      return afterCommit(() => signatureView(entry));
    },
  });

  serveProjectRoute(app, services, {
    contract: steeringDecisionsRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ tx, projectId }) => {
      const decisions = await steeringDecisionsOf(tx, projectId);
      return {
        decisions: decisions.map(({ signatures, ...decision }) => ({
          ...decision,
          signatures: signatures.map(({ member: _member, ...signature }) => signature),
        })),
      };
    },
  });
};

export type { ServerSteeringDecision };

/** Where a go or no-go is signed on the server (the project's id in place of `:projectId`). */
const STEERING_SIGNATURES_PATH = '/api/projects/:projectId/steering-signatures';

/** The decision a body names, its text trimmed (what is signed is what is shown). */
function trimmedDecision(decision: SteeringDecisionContent): SteeringDecisionContent {
  const rationale = decision.rationale.trim();
  if (rationale === '')
    throw new ProjectRefusal(
      400,
      'a go or no-go signature gives its rationale: say why the committee decides this',
    );
  return { ...decision, rationale };
}

/**
 * A review or adjudication signature that names a review on this server signs the signer's own
 * decisions there ({@link reviewedDecisionsHash}), with the scope her screen states when it sends
 * one ({@link scopedDecisionsHash}): refused when she recorded none of that kind, when the
 * decision set is not hers as the server holds it (the refusal names how many differ), or when
 * the hash is not over that set and scope.
 */
async function checkReviewedDecisions(
  tx: Queryable,
  projectId: string,
  memberId: string,
  review: string,
  kind: SigningKind,
  hash: string,
  scope: (SignatureManifest & { decisionIds: string[] }) | undefined,
): Promise<void> {
  if (kind !== 'review' && kind !== 'adjudication')
    throw new ProjectRefusal(400, 'only a review or an adjudication signature names the review it covers');
  const stages: DecisionStage[] = kind === 'review' ? ['first', 'second'] : ['adjudication'];
  const own = await ownPostedDecisions(tx, projectId, review, memberId, stages);
  if (own.length === 0)
    throw new ProjectRefusal(
      403,
      `you recorded no ${kind === 'review' ? 'review decision' : 'adjudication'} in this review: nobody signs “${SIGNING_MEANINGS[kind]}” without decisions of their own`,
    );
  if (scope !== undefined) {
    const differs = decisionSetProblem(review, scope, own as ScopedDecision[], scope.decisionIds);
    if (differs !== undefined) throw new ProjectRefusal(409, differs);
    if (hash !== scopedDecisionsHash(review, scope.decisionsSha256, scope))
      throw new ProjectRefusal(
        409,
        `this signature does not sign the scope it states (${scopeText(scope)} of your records): nothing was signed; sign again`,
      );
    return;
  }
  if (hash !== reviewedDecisionsHash(review, own))
    throw new ProjectRefusal(
      409,
      'this signature is not over your decisions in this review as the server holds them: reload your records and sign again',
    );
}

/**
 * A signature entry as a browser is told of it: its place in the log, the manifestation, what it
 * signs, and the assertion with the key it verifies with, so a copy kept off the server verifies
 * offline and names the entry the server is asked about.
 */
function signatureViewOf(
  entry: Pick<ServerAuditEntry, 'seq' | 'hash' | 'at' | 'actor' | 'detail'> & { projectSeq?: number | null },
  publicKeyJwk: PublicKeyJwk | undefined,
): ServerSignatureView {
  const d = entry.detail ?? {};
  const actor = entry.actor as { issuer: string; subject: string; name: string };
  return {
    seq: Number(entry.seq),
    projectSeq: Number(entry.projectSeq),
    entryHash: entry.hash,
    signedAt: typeof entry.at === 'string' ? entry.at : new Date(entry.at).toISOString(),
    signer: actor,
    role: d.role ?? '',
    meaning: d.meaning ?? '',
    hash: d.hash ?? '',
    ...(d.kind === undefined ? {} : { kind: d.kind }),
    ...(d.review === undefined ? {} : { review: d.review }),
    ...(d.decisionsSha256 === undefined
      ? {}
      : {
          scope: {
            decisions: Number(d.decisions),
            decided: Number(d.decided),
            assigned: Number(d.assigned),
            decisionsSha256: d.decisionsSha256,
          },
        }),
    ...(d.member === undefined ? {} : { member: d.member }),
    ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    ...(publicKeyJwk === undefined || d.credential === undefined
      ? {}
      : {
          assertion: {
            credentialId: d.credential,
            algorithm: publicKeyJwk.kty === 'EC' ? COSE_ES256 : COSE_RS256,
            publicKeyJwk,
            authenticatorData: d.authenticatorData ?? '',
            clientDataJSON: d.clientDataJSON ?? '',
            signature: d.signature ?? '',
          },
        }),
  };
}
