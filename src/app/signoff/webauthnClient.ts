/**
 * The browser side of re-authentication at signing (WebAuthn): whether the browser offers it,
 * registering a signing credential on first use, and the assertion whose challenge is the
 * sign-off hash. The prompts go through `@simplewebauthn/browser` (its base64url JSON and its
 * reading of the browser's refusals); parsing and verifying the bytes is core
 * (src/core/signoff/signing/webauthn.ts), so the CLI verifies exactly what this stores.
 *
 * Constraints:
 * - ES256 is asked for first, RS256 second (the two the verifier accepts, and the browsers'
 *   defaults: some platform authenticators make only RSA keys).
 * - The RP id is left to the browser (the page's host): the verifier checks the authenticator
 *   data against the origin recorded in clientDataJSON.
 * - A cancelled or timed-out prompt is a {@link WebAuthnCancelledError}: the caller keeps every
 *   field as it was and nothing is stored.
 */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import {
  COSE_ES256,
  COSE_RS256,
  challengeFor,
  credentialFromAttestation,
  fromBase64Url,
  type RegisteredCredential,
  type StoredAssertion,
  toBase64Url,
} from '../../core/signoff/signing/index.ts';
import type { Reviewer } from '../../formats/review.ts';

/**
 * The browser's WebAuthn prompts, as `@simplewebauthn/browser` makes them. Every prompt of the app
 * (here and in serverSigning.ts) goes through this object, so a component test, in jsdom, which
 * has no WebAuthn, answers the prompt with `vi.spyOn` on it (restored after the test).
 */
export const webAuthnPrompts = { startAuthentication, startRegistration };

/** How long a prompt waits for the signer (the browser may shorten it). */
const PROMPT_TIMEOUT_MS = 120_000;

/**
 * What to do when a signing key could not be made: signing needs an authenticator on this device.
 */
const NO_AUTHENTICATOR_ADVICE =
  'Signing needs a security key, a fingerprint reader or a device PIN on this computer: plug in a security key or set up a fingerprint or PIN for this computer, then press Sign again. If none is allowed here, ask the data lead to sign from a computer that has one.';

/** The signer cancelled the prompt, or it timed out. */
export class WebAuthnCancelledError extends Error {
  override name = 'WebAuthnCancelledError';
}

/** An IPv4 or IPv6 literal: WebAuthn needs a domain (its RP id), so it refuses such an address. */
function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(':') || hostname.startsWith('[');
}

/**
 * True when this page can use WebAuthn: a secure context, a browser with PublicKeyCredential, and
 * an address that is a domain name (an app opened at an IP address cannot use it).
 */
export function webAuthnAvailable(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    typeof window.PublicKeyCredential === 'function' &&
    typeof navigator.credentials?.create === 'function' &&
    !isIpAddress(window.location.hostname)
  );
}

/**
 * The address to open instead when this page is at an IP address (127.0.0.1, ::1): the same port
 * and page at `localhost`, where WebAuthn works; undefined when the page is at a name already.
 */
export function localhostAddress(): string | undefined {
  if (typeof window === 'undefined' || !isIpAddress(window.location.hostname)) return undefined;
  const { protocol, port, pathname, hash } = window.location;
  return `${protocol}//localhost${port ? `:${port}` : ''}${pathname}${hash}`;
}

/**
 * The error a failed prompt becomes. `ifNoKey`: what to do when the browser's refusal may mean the
 * device lacks what the prompt needs (`cause`), which the browser does not tell apart from a cancel.
 */
export function failed(
  error: unknown,
  what: string,
  ifNoKey?: string,
  cause = 'this device does not hold the registered key',
): Error {
  const name = (error as { name?: unknown })?.name;
  if ((name === 'NotAllowedError' || name === 'AbortError') && ifNoKey)
    // the browser says the same when the prompt is cancelled and when no authenticator here holds
    // the key: a person whose key is lost must learn how to get a new one, not to "try again"
    return new WebAuthnCancelledError(
      `The ${what} did not complete: it was cancelled or timed out, or ${cause}. Nothing was signed or stored. ${ifNoKey}`,
    );
  if (name === 'NotAllowedError' || name === 'AbortError')
    return new WebAuthnCancelledError(
      `The ${what} was cancelled or timed out. Nothing was signed or stored; you can sign again.`,
    );
  if (name === 'InvalidStateError')
    return new Error(
      `This device already holds a signing key for you: ${what} refused. Sign again to use it.`,
    );
  if (name === 'SecurityError')
    return new Error(`This address cannot use WebAuthn (${what} refused by the browser).`);
  return new Error(`The ${what} failed (${typeof name === 'string' ? name : 'unknown error'}).`);
}

/**
 * Registers a signing credential for `signer` (first use): asks the authenticator for a new ES256
 * key and reads its public key from the attestation object (COSE → JWK).
 */
export async function registerSigningCredential(signer: Reviewer): Promise<RegisteredCredential> {
  let attestationObject: string;
  try {
    const registration = await webAuthnPrompts.startRegistration({
      optionsJSON: {
        rp: { name: 'Preflight sign-off' },
        user: {
          id: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
          name: signer.id,
          displayName: `${signer.name} (${signer.role})`,
        },
        challenge: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
        pubKeyCredParams: [
          { type: 'public-key', alg: COSE_ES256 },
          { type: 'public-key', alg: COSE_RS256 },
        ],
        authenticatorSelection: { userVerification: 'preferred', residentKey: 'discouraged' },
        attestation: 'none',
        timeout: PROMPT_TIMEOUT_MS,
      },
    });
    attestationObject = registration.response.attestationObject;
  } catch (error) {
    // the browser says the same when the prompt is cancelled and when this device has no
    // authenticator at all: say what signing needs and what to do, not only "try again"
    throw failed(
      error,
      'registration of a signing key',
      NO_AUTHENTICATOR_ADVICE,
      'this computer has no security key, fingerprint or device PIN set up',
    );
  }
  return credentialFromAttestation(fromBase64Url(attestationObject, 'attestation object'));
}

/**
 * The assertion over `signoffSha256` (any SHA-256 hex: a sign-off hash, a registration hash) with
 * the credential `credentialId` (base64url). `ifNoKey`: what to tell someone whose key may be lost.
 */
export async function assertSignoff(
  credentialId: string,
  signoffSha256: string,
  ifNoKey?: string,
): Promise<Omit<StoredAssertion, 'algorithm' | 'publicKeyJwk'>> {
  try {
    const assertion = await webAuthnPrompts.startAuthentication({
      optionsJSON: {
        challenge: toBase64Url(challengeFor(signoffSha256)),
        allowCredentials: [{ type: 'public-key', id: credentialId }],
        userVerification: 'preferred',
        timeout: PROMPT_TIMEOUT_MS,
      },
    });
    return {
      credentialId: assertion.rawId,
      authenticatorData: assertion.response.authenticatorData,
      clientDataJSON: assertion.response.clientDataJSON,
      signature: assertion.response.signature,
    };
  } catch (error) {
    throw failed(error, 'identity check', ifNoKey);
  }
}

/** What a signing panel says of an assertion it waits for, or of one it refused. */
export interface AssertionStatus {
  kind: 'working' | 'error';
  text: string;
}

/**
 * The signer's assertion over `sha256` with their credential `credentialId`, for a signing panel:
 * `onStatus` says that the browser asks them to confirm it is them, then, when the browser
 * answered with another credential than theirs, that nothing was signed (the result is then
 * undefined: a signature under someone else's key must never be kept).
 */
export async function assertAsSigner(
  credentialId: string,
  sha256: string,
  onStatus: (status: AssertionStatus) => void,
): Promise<Omit<StoredAssertion, 'algorithm' | 'publicKeyJwk'> | undefined> {
  onStatus({
    kind: 'working',
    text: 'Confirm it is you: follow your browser (security key, fingerprint or PIN)…',
  });
  const assertion = await assertSignoff(credentialId, sha256);
  if (assertion.credentialId === credentialId) return assertion;
  onStatus({ kind: 'error', text: 'Not signed: the browser answered with another signing key than yours.' });
  return undefined;
}
