/**
 * The browser's side of signing on the team server: registering one's own signing key (the lead
 * then confirms it in the roster), and signing with the ceremony the server asks for — a fresh
 * sign-in at the identity provider first when the signing period has not started or has lapsed,
 * then the key. The server decides and verifies everything; this file only carries its options to
 * the authenticator (`@simplewebauthn/browser`) and the answers back.
 *
 * Constraints: the app talks to the server over HTTP only (it never imports src/server): every
 * request is addressed and typed by its route's contract (src/core/teamApi), the ceremony's
 * options and answers as `@simplewebauthn` types them; requests go through the one team server
 * request (`src/storage/teamServer.ts`: CSRF token, refusals as `TeamError`); a
 * cancelled prompt is a {@link WebAuthnCancelledError} and nothing was registered or signed.
 */
import type { TObject, TUnsafe } from 'typebox';
import type {
  ServerSignatureView,
  ServerSteeringDecision,
  SignatureManifest,
  SteeringDecisionContent,
} from '../../core/signoff/signing/index.ts';
import {
  type AnswerOf,
  type BodyOf,
  pathOf,
  type RouteContract,
  registerKeyRoute,
  registrationOptionsRoute,
  type SigningCeremony,
  type SigningKey,
  signatureOptionsRoute,
  signRoute,
  signSteeringRoute,
  steeringDecisionsRoute,
  steeringOptionsRoute,
} from '../../core/teamApi/index.ts';
import { type TeamSession, teamCall, teamRequest } from '../../storage/teamServer.ts';
import { failed, webAuthnPrompts } from './webauthnClient.ts';

export type { TeamSession } from '../../storage/teamServer.ts';

/** A signing key as the project's roster shows it (the contract's type). */
export type ServerSigningKey = SigningKey;

/** What one signs on the server: the meaning follows from it and the signer's role. */
type ServerSigningKind = 'review' | 'adjudication' | 'approval' | 'confirmation' | 'go' | 'no-go';

/** A signature the server recorded in the project's chain. */
export type ServerSignatureRecord = ServerSignatureView;

/** What signing came to: signed, or the identity provider must ask the person to sign in first. */
export type ServerSigningOutcome =
  | { signed: ServerSignatureRecord }
  | { signInAgain: string; message: string };

/** What the person is told when the server asks for a fresh sign-in before signing. */
const SIGN_IN_AGAIN_MESSAGE =
  'Signing starts with signing in again at your organisation’s sign-in page (the first signature of a session, or after a pause). Nothing was signed yet: sign in, then sign.';

/** What to do when registering a key did not complete: it needs an authenticator on this device. */
const REGISTER_KEY_ADVICE =
  'Registering a key needs a security key, a fingerprint reader or a device PIN on this computer: plug in a security key or set up a fingerprint or PIN for this computer, then register again. If none is allowed here, register from a computer that has one.';

/**
 * What the person is told when the authenticator already holds a key of theirs for the project
 * (the server lists every key of theirs there, revoked ones too, and one key is registered once).
 */
export const KEY_ALREADY_HERE =
  'This security key or device already holds a key of yours for this project (registered before, perhaps since revoked), so it cannot be registered again. Nothing was stored. Register with another security key, or this computer’s own fingerprint or PIN.';

/**
 * Registers a signing key of this computer's (a security key, a fingerprint or PIN) as the
 * signed-in person's own on `projectId`; it waits for the lead's confirmation.
 */
export async function registerMyKey(session: TeamSession, projectId: string): Promise<ServerSigningKey> {
  const options = await teamCall(session, registrationOptionsRoute, { params: { projectId } });
  let response: Awaited<ReturnType<typeof webAuthnPrompts.startRegistration>>;
  try {
    response = await webAuthnPrompts.startRegistration({ optionsJSON: options });
  } catch (error) {
    // "sign again to use it" (failed's words) would mislead: a revoked key signs nothing
    if ((error as { name?: unknown })?.name === 'InvalidStateError') throw new Error(KEY_ALREADY_HERE);
    throw failed(
      error,
      'registration of a signing key',
      REGISTER_KEY_ADVICE,
      'this computer has no security key, fingerprint or device PIN set up',
    );
  }
  const { key } = await teamCall(session, registerKeyRoute, { params: { projectId }, body: { response } });
  return key;
}

/**
 * Signs `hash` (what is signed, SHA-256 hex) as `kind` on `projectId`: when the server asks for a
 * fresh sign-in first, says where (coming back to `returnTo`, a path of this site, after it), and
 * nothing is signed; otherwise the key's assertion, over the server's challenge for this hash, and
 * the signature as the server recorded it.
 */
export async function signOnServer(
  session: TeamSession,
  projectId: string,
  {
    returnTo,
    ...signing
  }: {
    hash: string;
    kind: Exclude<ServerSigningKind, 'go' | 'no-go'>;
    /** the review on the server a review or adjudication signature covers (her decisions there) */
    review?: string;
    /**
     * a review or adjudication signature's scope, signed with it (`hash` is then its
     * `scopedDecisionsHash`), with the ids of the decisions it counts
     */
    scope?: SignatureManifest & { decisionIds: string[] };
    returnTo?: string;
  },
): Promise<ServerSigningOutcome> {
  return signingCeremony(
    session,
    projectId,
    { options: signatureOptionsRoute, sign: signRoute },
    { hash: signing.hash },
    signing,
    returnTo,
  );
}

/**
 * Signs the steering committee's go/no-go `decision` on `projectId` as the signed-in member: the
 * server computes what is signed from the decision itself (its choice, rationale and the
 * readiness result it binds), so the assertion is over exactly what is shown. A fresh sign-in
 * first when the server asks for one (coming back to `returnTo`), and nothing is signed.
 */
export async function signSteeringOnServer(
  session: TeamSession,
  projectId: string,
  decision: SteeringDecisionContent,
  returnTo?: string,
): Promise<ServerSigningOutcome> {
  return signingCeremony(
    session,
    projectId,
    { options: steeringOptionsRoute, sign: signSteeringRoute },
    { decision },
    { decision },
    returnTo,
  );
}

/** A signing's two routes: what the signing needs, then the signature with the key's assertion. */
interface SigningRoutes<O extends RouteContract, S extends RouteContract> {
  options: O;
  sign: S;
}

/**
 * The signing ceremony of `routes` on `projectId`: asks `routes.options` with `asked`; when the
 * server wants a fresh sign-in first, says where (coming back to `returnTo`) and nothing is
 * signed; otherwise the key's assertion over the server's challenge, sent to `routes.sign` with
 * `signed`, and the signature as the server recorded it.
 */
async function signingCeremony<
  O extends RouteContract & { answer: TUnsafe<SigningCeremony> },
  S extends RouteContract & { answer: TObject<{ signature: TUnsafe<ServerSignatureRecord> }> },
>(
  session: TeamSession,
  projectId: string,
  routes: SigningRoutes<O, S>,
  asked: BodyOf<O>,
  signed: Omit<BodyOf<S>, 'response'>,
  returnTo: string | undefined,
): Promise<ServerSigningOutcome> {
  const ceremony: SigningCeremony = await teamRequest<AnswerOf<O>>(
    session,
    routes.options.method,
    pathOf(routes.options, { projectId }),
    asked,
  );
  if (ceremony.ceremony === 'sign-in-again') {
    const back = returnTo === undefined ? '' : `&return=${encodeURIComponent(returnTo)}`;
    return { signInAgain: `${session.base}${ceremony.signInUrl}${back}`, message: SIGN_IN_AGAIN_MESSAGE };
  }
  let response: Awaited<ReturnType<typeof webAuthnPrompts.startAuthentication>>;
  try {
    response = await webAuthnPrompts.startAuthentication({ optionsJSON: ceremony.options });
  } catch (error) {
    throw failed(error, 'identity check');
  }
  const { signature } = await teamRequest<AnswerOf<S>>(
    session,
    routes.sign.method,
    pathOf(routes.sign, { projectId }),
    { ...signed, response },
  );
  return { signed: signature };
}

/** The go/no-go decisions signed on the server for `projectId`, oldest first. */
export async function steeringDecisionsOnServer(
  session: TeamSession,
  projectId: string,
): Promise<ServerSteeringDecision[]> {
  return (await teamCall(session, steeringDecisionsRoute, { params: { projectId } })).decisions;
}
