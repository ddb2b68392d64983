/**
 * WebAuthn, offline: reading a registered credential's public key (attestation object → COSE key →
 * JWK) and verifying an assertion later, anywhere, from what the sign-off stored — the way a
 * relying party's server does (W3C Web Authentication Level 2, §7.2), but with the public key
 * carried in the file. The byte work (CBOR, authenticator data, COSE keys, DER signatures, the
 * signature check) is `@simplewebauthn/server`'s, the library the team server verifies with, so
 * the browser, the CLI and the server judge an assertion by the same code.
 *
 * Constraints:
 * - Pure: no DOM, no `navigator`. The library runs on the standard `crypto.subtle` (browsers and
 *   Node 20 alike); it is loaded on first use, so pages that never verify a key do not carry it.
 * - Two algorithms are accepted, the two every browser asks for by default: ES256 (COSE −7, ECDSA
 *   P-256, preferred) and RS256 (COSE −257, RSASSA-PKCS1-v1_5; some platform authenticators,
 *   e.g. older Windows Hello, make only RSA keys).
 * - Files store the key as a JWK (what WebCrypto and people's fingerprints read); it is turned
 *   back into the COSE key the library verifies with. Files signed before the library came verify
 *   as they did: the stored fields are the same.
 * - Binary values travel as base64url without padding (as WebAuthn writes them in clientDataJSON),
 *   read strictly so a changed character never decodes to the same bytes.
 * - Messages name the field and the kind of problem, never a value.
 */
import { sha256Hex } from '../../hash/index.ts';

/** COSE algorithm id of ES256 (ECDSA P-256 with SHA-256). */
export const COSE_ES256 = -7;
/** COSE algorithm id of RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
export const COSE_RS256 = -257;

/** An EC P-256 public key as a JWK (the members WebCrypto needs). */
export interface P256Jwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** An RSA public key as a JWK (modulus and exponent). */
export interface RsaJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

/** A signing credential's public key. */
export type PublicKeyJwk = P256Jwk | RsaJwk;

/** A stored assertion: what `navigator.credentials.get` returned, base64url. */
export interface StoredAssertion {
  credentialId: string;
  algorithm: number;
  publicKeyJwk: PublicKeyJwk;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
}

/** What is kept of `assertion`, made with `credential`'s key: the key beside the browser's answer. */
export function storedAssertion(
  credential: Pick<StoredAssertion, 'algorithm' | 'publicKeyJwk'>,
  assertion: Omit<StoredAssertion, 'algorithm' | 'publicKeyJwk'>,
): StoredAssertion {
  return {
    credentialId: assertion.credentialId,
    algorithm: credential.algorithm,
    publicKeyJwk: credential.publicKeyJwk,
    authenticatorData: assertion.authenticatorData,
    clientDataJSON: assertion.clientDataJSON,
    signature: assertion.signature,
  };
}

/** Why an assertion does not verify (public codes: add, never rename). */
export type AssertionProblem =
  | 'encoding'
  | 'algorithm'
  | 'client-data'
  | 'type'
  | 'challenge'
  | 'origin'
  | 'authenticator-data'
  | 'rp-id'
  | 'user-presence'
  | 'signature';

/** What {@link verifyAssertion} finds. */
export type AssertionVerification =
  | { ok: true; origin: string; userVerified: boolean; signCount: number }
  | { ok: false; problem: AssertionProblem; message: string };

/** Thrown for bytes that are not what they claim to be; the message names the part, never bytes. */
export class WebAuthnDataError extends Error {
  override name = 'WebAuthnDataError';
}

// ---- base64url --------------------------------------------------------------------------------

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_INDEX = new Map([...B64URL].map((c, i) => [c, i] as const));

/** base64url without padding (RFC 4648 §5), as WebAuthn writes it. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      B64URL.charAt(n >> 18) +
      B64URL.charAt((n >> 12) & 63) +
      B64URL.charAt((n >> 6) & 63) +
      B64URL.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += B64URL.charAt(n >> 18) + B64URL.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += B64URL.charAt(n >> 18) + B64URL.charAt((n >> 12) & 63) + B64URL.charAt((n >> 6) & 63);
  }
  return out;
}

/**
 * Decodes base64url without padding. Strict: any other character, a length no encoder makes, or
 * leftover bits that are not zero are refused, so each byte string has exactly one text form and
 * a changed character can never decode to the same bytes.
 * @throws WebAuthnDataError naming `what`.
 */
export function fromBase64Url(text: string, what = 'value'): Uint8Array<ArrayBuffer> {
  if (text.length % 4 === 1) throw new WebAuthnDataError(`${what} is not base64url (bad length)`);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const c of text) {
    const v = B64URL_INDEX.get(c);
    if (v === undefined) throw new WebAuthnDataError(`${what} is not base64url (a character outside it)`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0)
    throw new WebAuthnDataError(`${what} is not base64url (non-zero padding bits)`);
  return out;
}

/** The 32 bytes of a lowercase SHA-256 hex string (the sign-off hash becomes the challenge so). */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new WebAuthnDataError('not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The WebAuthn challenge for a sign-off hash: its 32 bytes. */
export function challengeFor(signoffSha256: string): Uint8Array<ArrayBuffer> {
  return hexToBytes(signoffSha256);
}

// ---- COSE keys ---------------------------------------------------------------------------------

/**
 * The library, loaded once on first use (it is large: pages that never verify never load it).
 * Its certificate helpers need the `Reflect` metadata polyfill before they load, which a bundle
 * may order after them: it is loaded first.
 */
const library = () =>
  import('reflect-metadata').then(() =>
    Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')]),
  );

/** COSE key labels (RFC 9052/9053, RFC 8230) of the two key types accepted. */
const COSE = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, n: -1, e: -2, ec2: 2, rsa: 3, p256: 1 } as const;

/** A COSE key, as the library decodes one (integer labels). */
export type CoseKey = Map<number, unknown>;

/** An ES256 (EC2 P-256) or RS256 (RSA ≥ 2048 bits) COSE key as a JWK. @throws WebAuthnDataError for any other key. */
export function coseToJwk(key: CoseKey): PublicKeyJwk {
  const kty = key.get(COSE.kty);
  if (kty === COSE.rsa) {
    if (key.get(COSE.alg) !== COSE_RS256) throw new WebAuthnDataError('RSA public key is not for RS256');
    const n = key.get(COSE.n);
    const e = key.get(COSE.e);
    if (!(n instanceof Uint8Array && n.length >= 256 && e instanceof Uint8Array && e.length > 0))
      throw new WebAuthnDataError('RSA public key has no 2048-bit or longer modulus and exponent');
    return { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e) };
  }
  if (kty !== COSE.ec2) throw new WebAuthnDataError('public key is neither an EC2 nor an RSA key');
  if (key.get(COSE.alg) !== COSE_ES256) throw new WebAuthnDataError('public key is not for ES256');
  if (key.get(COSE.crv) !== COSE.p256) throw new WebAuthnDataError('public key is not on P-256');
  const x = key.get(COSE.x);
  const y = key.get(COSE.y);
  if (!(x instanceof Uint8Array && x.length === 32 && y instanceof Uint8Array && y.length === 32))
    throw new WebAuthnDataError('public key coordinates are not 32 bytes each');
  return { kty: 'EC', crv: 'P-256', x: toBase64Url(x), y: toBase64Url(y) };
}

/** A stored JWK as the COSE key (CBOR bytes) WebAuthn libraries verify with. */
export async function jwkToCose(jwk: PublicKeyJwk): Promise<Uint8Array> {
  const [, { isoCBOR }] = await library();
  const key: CoseKey =
    jwk.kty === 'EC'
      ? new Map<number, unknown>([
          [COSE.kty, COSE.ec2],
          [COSE.alg, COSE_ES256],
          [COSE.crv, COSE.p256],
          [COSE.x, fromBase64Url(jwk.x, 'public key x')],
          [COSE.y, fromBase64Url(jwk.y, 'public key y')],
        ])
      : new Map<number, unknown>([
          [COSE.kty, COSE.rsa],
          [COSE.alg, COSE_RS256],
          [COSE.n, fromBase64Url(jwk.n, 'public key n')],
          [COSE.e, fromBase64Url(jwk.e, 'public key e')],
        ]);
  return isoCBOR.encode(key as Parameters<typeof isoCBOR.encode>[0]);
}

/** The credential a registration made: its id and its public key. */
export interface RegisteredCredential {
  credentialId: string;
  algorithm: number;
  publicKeyJwk: PublicKeyJwk;
}

/**
 * Reads the credential out of a registration's attestation object (CBOR `{fmt, attStmt,
 * authData}`): its id and its COSE public key as a JWK. The attestation statement is not judged:
 * registration asks for none, and the sign-off binds the key, not the make of authenticator.
 * @throws WebAuthnDataError when the bytes hold no ES256 or RS256 credential.
 */
export async function credentialFromAttestation(
  attestationObject: Uint8Array,
): Promise<RegisteredCredential> {
  const [, helpers] = await library();
  let credentialId: Uint8Array | undefined;
  let publicKey: Uint8Array | undefined;
  try {
    const attestation = helpers.decodeAttestationObject(attestationObject as Uint8Array<ArrayBuffer>);
    const parsed = helpers.parseAuthenticatorData(attestation.get('authData'));
    credentialId = parsed.credentialID;
    publicKey = parsed.credentialPublicKey;
  } catch {
    throw new WebAuthnDataError('attestation object is not a WebAuthn attestation object');
  }
  if (credentialId === undefined || publicKey === undefined)
    throw new WebAuthnDataError('attestation object holds no credential');
  let key: CoseKey;
  try {
    key = helpers.decodeCredentialPublicKey(publicKey as Uint8Array<ArrayBuffer>) as unknown as CoseKey;
  } catch {
    throw new WebAuthnDataError('credential public key is not a COSE key');
  }
  const publicKeyJwk = coseToJwk(key);
  return {
    credentialId: toBase64Url(credentialId),
    algorithm: publicKeyJwk.kty === 'EC' ? COSE_ES256 : COSE_RS256,
    publicKeyJwk,
  };
}

/**
 * The key's RFC 7638 JWK thumbprint (SHA-256 of its required members as canonical JSON), hex: a
 * fingerprint people can compare across screens, the same for either kind of key.
 */
export function publicKeyFingerprint(jwk: PublicKeyJwk): string {
  return sha256Hex(
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }),
  );
}

// ---- verifying an assertion --------------------------------------------------------------------

/** The RP ids an origin may have used: its host and each registrable parent (a.b.c → a.b.c, b.c, c). */
function rpIdCandidates(hostname: string): string[] {
  const labels = hostname.split('.');
  return labels.map((_, i) => labels.slice(i).join('.')).filter((c) => c !== '');
}

/**
 * Verifies a stored assertion offline (WebAuthn §7.2): clientDataJSON is a `webauthn.get` whose
 * challenge is `signoffSha256`'s bytes, from an http(s) origin, not cross-origin; the
 * authenticator data's RP id hash is SHA-256 of that origin's host (or a parent domain of it),
 * with the user-present flag; and the signature over authenticatorData ‖ SHA-256(clientDataJSON)
 * verifies with the stored public key. The checks of clientDataJSON that name a problem are
 * made here first, so each refusal says which part is wrong; the library then makes every check
 * again with the bytes. Never throws.
 */
export async function verifyAssertion(
  assertion: StoredAssertion,
  signoffSha256: string,
): Promise<AssertionVerification> {
  const no = (problem: AssertionProblem, message: string): AssertionVerification => ({
    ok: false,
    problem,
    message,
  });
  const key = assertion.publicKeyJwk;
  const es256 = assertion.algorithm === COSE_ES256 && key?.kty === 'EC' && key.crv === 'P-256';
  const rs256 = assertion.algorithm === COSE_RS256 && key?.kty === 'RSA';
  if (!es256 && !rs256)
    return no('algorithm', 'the key is neither an ES256 nor an RS256 key, the kinds Preflight accepts');
  let clientDataBytes: Uint8Array;
  try {
    for (const field of ['credentialId', 'authenticatorData', 'signature', 'clientDataJSON'] as const)
      if (typeof assertion[field] !== 'string') throw new WebAuthnDataError(`${field} is missing`);
    fromBase64Url(assertion.credentialId, 'credentialId');
    fromBase64Url(assertion.authenticatorData, 'authenticatorData');
    fromBase64Url(assertion.signature, 'signature');
    clientDataBytes = fromBase64Url(assertion.clientDataJSON, 'clientDataJSON');
  } catch (error) {
    return no('encoding', (error as Error).message);
  }
  let clientData: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(clientDataBytes));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    clientData = parsed as Record<string, unknown>;
  } catch {
    return no('client-data', 'clientDataJSON is not a JSON object');
  }
  if (clientData.type !== 'webauthn.get')
    return no('type', 'clientDataJSON is not for an assertion (its type is not "webauthn.get")');
  const expectedChallenge = toBase64Url(challengeFor(signoffSha256));
  if (clientData.challenge !== expectedChallenge)
    return no(
      'challenge',
      'the assertion was not made over this sign-off (its challenge is not the sign-off hash)',
    );
  if (clientData.crossOrigin === true)
    return no('origin', 'the assertion was made from a cross-origin frame');
  let origin: URL;
  try {
    origin = new URL(String(clientData.origin));
  } catch {
    return no('origin', 'clientDataJSON has no valid origin');
  }
  if ((origin.protocol !== 'https:' && origin.protocol !== 'http:') || origin.origin !== clientData.origin)
    return no('origin', 'clientDataJSON\u2019s origin is not an http(s) origin');
  const [{ verifyAuthenticationResponse }, helpers] = await library();
  try {
    helpers.parseAuthenticatorData(fromBase64Url(assertion.authenticatorData));
  } catch {
    return no('authenticator-data', 'authenticatorData is not WebAuthn authenticator data');
  }
  let publicKey: Uint8Array;
  try {
    publicKey = await jwkToCose(assertion.publicKeyJwk);
  } catch {
    return no('signature', 'the stored public key is not a valid key of its kind');
  }
  try {
    const result = await verifyAuthenticationResponse({
      response: {
        id: assertion.credentialId,
        rawId: assertion.credentialId,
        type: 'public-key',
        response: {
          authenticatorData: assertion.authenticatorData,
          clientDataJSON: assertion.clientDataJSON,
          signature: assertion.signature,
        },
        clientExtensionResults: {},
      },
      expectedChallenge,
      expectedOrigin: origin.origin,
      expectedRPID: rpIdCandidates(origin.hostname),
      // an offline file has no stored counter to compare: the server's copy does (keyRoutes)
      credential: { id: assertion.credentialId, publicKey: publicKey as Uint8Array<ArrayBuffer>, counter: 0 },
      requireUserVerification: false,
    });
    if (!result.verified)
      return no(
        'signature',
        'the signature does not verify with the stored public key: the signed data was changed',
      );
    return {
      ok: true,
      origin: origin.origin,
      userVerified: result.authenticationInfo.userVerified,
      signCount: result.authenticationInfo.newCounter,
    };
  } catch (error) {
    return assertionRefusal(error);
  }
}

/** What the library's refusal of an assertion means, in the problem codes files and the CLI use. */
function assertionRefusal(error: unknown): AssertionVerification {
  const text = error instanceof Error ? `${error.name} ${error.message}` : '';
  if (/RP ?ID/i.test(text))
    return {
      ok: false,
      problem: 'rp-id',
      message: 'the authenticator data is for another site than the origin in clientDataJSON',
    };
  if (/not present/i.test(text))
    return {
      ok: false,
      problem: 'user-presence',
      message: 'the authenticator did not confirm the user was present',
    };
  return {
    ok: false,
    problem: 'encoding',
    message: 'the signature or the stored key is not in a form WebAuthn allows',
  };
}
