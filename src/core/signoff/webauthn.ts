/**
 * WebAuthn, offline: reading a registered credential's public key (attestation object → COSE key →
 * JWK) and verifying an assertion later, anywhere, from what the sign-off stored — the way a
 * relying party's server would (W3C Web Authentication Level 2, §7.2 steps 11–21), but with the
 * public key carried in the file.
 *
 * Constraints:
 * - Pure: no DOM, no `navigator`. The ECDSA check uses the standard `crypto.subtle` (browsers and
 *   Node 20 alike); everything else is synchronous byte work.
 * - Two algorithms are accepted, the two every browser asks for by default: ES256 (COSE −7, ECDSA
 *   P-256, preferred) and RS256 (COSE −257, RSASSA-PKCS1-v1_5; some platform authenticators,
 *   e.g. older Windows Hello, make only RSA keys).
 * - Binary values travel as base64url without padding (as WebAuthn writes them in clientDataJSON).
 * - Messages name the field and the kind of problem, never a value.
 */
import { sha256Hex, toHex } from '../hash/sha256.ts';

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

// ---- CBOR (RFC 8949), the subset WebAuthn uses --------------------------------------------------

/** A decoded CBOR value (maps keep integer keys as numbers). */
export type CborValue = number | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap;
/** A CBOR map. */
export type CborMap = Map<number | string, CborValue>;

/** Deepest nesting accepted: COSE keys and attestation objects are two or three levels deep. */
const MAX_CBOR_DEPTH = 16;

function decodeCborAt(bytes: Uint8Array, start: number, depth: number): [CborValue, number] {
  if (depth > MAX_CBOR_DEPTH) throw new WebAuthnDataError('CBOR nested too deeply');
  if (start >= bytes.length) throw new WebAuthnDataError('CBOR ends early');
  const initial = bytes[start] as number;
  const major = initial >> 5;
  const info = initial & 31;
  let offset = start + 1;
  const need = (n: number) => {
    if (offset + n > bytes.length) throw new WebAuthnDataError('CBOR ends early');
  };
  let argument: number;
  if (info < 24) argument = info;
  else if (info === 24) {
    need(1);
    argument = bytes[offset] as number;
    offset += 1;
  } else if (info === 25) {
    need(2);
    argument = ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
    offset += 2;
  } else if (info === 26) {
    need(4);
    argument = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
    offset += 4;
  } else if (info === 27) {
    need(8);
    const big = new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new WebAuthnDataError('CBOR integer too large');
    argument = Number(big);
    offset += 8;
  } else throw new WebAuthnDataError('CBOR indefinite lengths are not used by WebAuthn');
  switch (major) {
    case 0:
      return [argument, offset];
    case 1:
      return [-1 - argument, offset];
    case 2:
      need(argument);
      return [bytes.slice(offset, offset + argument), offset + argument];
    case 3: {
      need(argument);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(offset, offset + argument));
      } catch {
        throw new WebAuthnDataError('CBOR text is not UTF-8');
      }
      return [text, offset + argument];
    }
    case 4: {
      const items: CborValue[] = [];
      for (let i = 0; i < argument; i++) {
        const [item, next] = decodeCborAt(bytes, offset, depth + 1);
        items.push(item);
        offset = next;
      }
      return [items, offset];
    }
    case 5: {
      const map: CborMap = new Map();
      for (let i = 0; i < argument; i++) {
        const [key, afterKey] = decodeCborAt(bytes, offset, depth + 1);
        if (typeof key !== 'number' && typeof key !== 'string')
          throw new WebAuthnDataError('CBOR map key is not a number or text');
        const [value, afterValue] = decodeCborAt(bytes, afterKey, depth + 1);
        map.set(key, value);
        offset = afterValue;
      }
      return [map, offset];
    }
    case 7:
      if (info === 20) return [false, offset];
      if (info === 21) return [true, offset];
      if (info === 22) return [null, offset];
      if (info === 23) return [undefined, offset];
      throw new WebAuthnDataError('CBOR floats and other simple values are not used by WebAuthn');
    default:
      throw new WebAuthnDataError('CBOR tags are not used by WebAuthn');
  }
}

/** Decodes one CBOR item at `start`; returns it and the offset after it. */
export function decodeCbor(bytes: Uint8Array, start = 0): { value: CborValue; end: number } {
  const [value, end] = decodeCborAt(bytes, start, 0);
  return { value, end };
}

// ---- authenticator data, attestation object, COSE key -------------------------------------------

/** Flag bits of authenticator data (WebAuthn §6.1). */
export const AUTH_DATA_FLAGS = { userPresent: 0x01, userVerified: 0x04, attestedData: 0x40 } as const;

/** Parsed authenticator data. */
export interface AuthenticatorData {
  rpIdHash: Uint8Array;
  flags: number;
  signCount: number;
  /** present when the flags say attested credential data follows (registration) */
  credentialId?: Uint8Array;
  credentialPublicKey?: CborMap;
}

/** Parses authenticator data (37 bytes at least; attested credential data when flagged). */
export function parseAuthenticatorData(bytes: Uint8Array): AuthenticatorData {
  if (bytes.length < 37) throw new WebAuthnDataError('authenticator data is shorter than 37 bytes');
  const flags = bytes[32] as number;
  const signCount = new DataView(bytes.buffer, bytes.byteOffset + 33, 4).getUint32(0);
  const out: AuthenticatorData = { rpIdHash: bytes.slice(0, 32), flags, signCount };
  if (flags & AUTH_DATA_FLAGS.attestedData) {
    if (bytes.length < 55) throw new WebAuthnDataError('attested credential data ends early');
    const idLength = ((bytes[53] as number) << 8) | (bytes[54] as number);
    if (bytes.length < 55 + idLength) throw new WebAuthnDataError('credential id ends early');
    out.credentialId = bytes.slice(55, 55 + idLength);
    const { value } = decodeCbor(bytes, 55 + idLength);
    if (!(value instanceof Map)) throw new WebAuthnDataError('credential public key is not a COSE key');
    out.credentialPublicKey = value;
  }
  return out;
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
 */
export function credentialFromAttestation(attestationObject: Uint8Array): RegisteredCredential {
  const { value } = decodeCbor(attestationObject);
  if (!(value instanceof Map)) throw new WebAuthnDataError('attestation object is not a CBOR map');
  const authData = value.get('authData');
  if (!(authData instanceof Uint8Array)) throw new WebAuthnDataError('attestation object has no authData');
  const parsed = parseAuthenticatorData(authData);
  if (!parsed.credentialId || !parsed.credentialPublicKey)
    throw new WebAuthnDataError('attestation object holds no credential');
  const publicKeyJwk = coseToJwk(parsed.credentialPublicKey);
  return {
    credentialId: toBase64Url(parsed.credentialId),
    algorithm: publicKeyJwk.kty === 'EC' ? COSE_ES256 : COSE_RS256,
    publicKeyJwk,
  };
}

/** COSE key (RFC 9052/9053, RFC 8230) labels used by EC2 and RSA keys. */
const COSE = {
  kty: 1,
  alg: 3,
  crv: -1,
  x: -2,
  y: -3,
  n: -1,
  e: -2,
  ktyEc2: 2,
  ktyRsa: 3,
  crvP256: 1,
} as const;

/** An ES256 (EC2 P-256) or RS256 (RSA) COSE key as a JWK. @throws WebAuthnDataError for any other key. */
export function coseToJwk(key: CborMap): PublicKeyJwk {
  const kty = key.get(COSE.kty);
  if (kty === COSE.ktyRsa) {
    if (key.get(COSE.alg) !== COSE_RS256) throw new WebAuthnDataError('RSA public key is not for RS256');
    const n = key.get(COSE.n);
    const e = key.get(COSE.e);
    if (!(n instanceof Uint8Array && n.length >= 256 && e instanceof Uint8Array && e.length > 0))
      throw new WebAuthnDataError('RSA public key has no 2048-bit or longer modulus and exponent');
    return { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e) };
  }
  if (kty !== COSE.ktyEc2) throw new WebAuthnDataError('public key is neither an EC2 nor an RSA key');
  if (key.get(COSE.alg) !== COSE_ES256) throw new WebAuthnDataError('public key is not for ES256');
  if (key.get(COSE.crv) !== COSE.crvP256) throw new WebAuthnDataError('public key is not on P-256');
  const x = key.get(COSE.x);
  const y = key.get(COSE.y);
  if (!(x instanceof Uint8Array && x.length === 32 && y instanceof Uint8Array && y.length === 32))
    throw new WebAuthnDataError('public key coordinates are not 32 bytes each');
  return { kty: 'EC', crv: 'P-256', x: toBase64Url(x), y: toBase64Url(y) };
}

/** DER prefix of a P-256 SubjectPublicKeyInfo (id-ecPublicKey, prime256v1) before 0x04 ‖ x ‖ y. */
const P256_SPKI_PREFIX = hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200');

/** The SubjectPublicKeyInfo (DER) of a P-256 JWK: what `getPublicKey()` returns, for display and checks. */
export function jwkToSpki(jwk: P256Jwk): Uint8Array<ArrayBuffer> {
  const x = fromBase64Url(jwk.x, 'public key x');
  const y = fromBase64Url(jwk.y, 'public key y');
  if (x.length !== 32 || y.length !== 32)
    throw new WebAuthnDataError('public key coordinates are not 32 bytes each');
  const out = new Uint8Array(P256_SPKI_PREFIX.length + 65);
  out.set(P256_SPKI_PREFIX);
  out[P256_SPKI_PREFIX.length] = 0x04;
  out.set(x, P256_SPKI_PREFIX.length + 1);
  out.set(y, P256_SPKI_PREFIX.length + 33);
  return out;
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

// ---- ECDSA signature ---------------------------------------------------------------------------

/**
 * An ASN.1 DER ECDSA signature (what authenticators return) as the 64-byte r ‖ s WebCrypto verifies.
 * Strict DER: the lengths must add up exactly and integers be minimally encoded.
 */
export function derToP1363(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const fail = (): never => {
    throw new WebAuthnDataError('signature is not a DER ECDSA signature');
  };
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) fail();
  const out = new Uint8Array(64);
  let offset = 2;
  for (let part = 0; part < 2; part++) {
    if (der[offset] !== 0x02) fail();
    const length = der[offset + 1] as number;
    const start = offset + 2;
    if (length < 1 || length > 33 || start + length > der.length) fail();
    let value = der.subarray(start, start + length);
    if ((value[0] as number) & 0x80) fail(); // negative
    if (value.length > 1 && value[0] === 0 && !((value[1] as number) & 0x80)) fail(); // not minimal
    if (value[0] === 0 && value.length === 33) value = value.subarray(1);
    if (value.length > 32) fail();
    out.set(value, part * 32 + (32 - value.length));
    offset = start + length;
  }
  if (offset !== der.length) fail();
  return out;
}

// ---- verifying an assertion --------------------------------------------------------------------

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function sha256Bytes(data: Uint8Array | string): Uint8Array {
  return hexToBytes(sha256Hex(data));
}

/** The RP ids an origin may have used: its host and each registrable parent (a.b.c → a.b.c, b.c, c). */
function rpIdCandidates(hostname: string): string[] {
  const labels = hostname.split('.');
  return labels.map((_, i) => labels.slice(i).join('.')).filter((c) => c !== '');
}

/**
 * Verifies a stored assertion offline (WebAuthn §7.2): clientDataJSON is a `webauthn.get` whose
 * challenge is `signoffSha256`'s bytes, from an http(s) origin, not cross-origin; the
 * authenticator data's RP id hash is SHA-256 of that origin's host (or a parent domain of it),
 * with the user-present flag; and the ES256 signature over authenticatorData ‖
 * SHA-256(clientDataJSON) verifies with the stored public key. Never throws.
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
  const es256 = assertion.algorithm === COSE_ES256 && assertion.publicKeyJwk.kty === 'EC';
  const rs256 = assertion.algorithm === COSE_RS256 && assertion.publicKeyJwk.kty === 'RSA';
  if (!es256 && !rs256)
    return no('algorithm', 'the key is neither an ES256 nor an RS256 key, the kinds Preflight accepts');
  let authData: Uint8Array;
  let clientDataBytes: Uint8Array;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    authData = fromBase64Url(assertion.authenticatorData, 'authenticatorData');
    clientDataBytes = fromBase64Url(assertion.clientDataJSON, 'clientDataJSON');
    const raw = fromBase64Url(assertion.signature, 'signature');
    // ECDSA comes DER-encoded from authenticators, WebCrypto wants r ‖ s; RSA is used as is
    signature = es256 ? derToP1363(raw) : raw;
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
  if (clientData.challenge !== toBase64Url(challengeFor(signoffSha256)))
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
  let parsedAuth: AuthenticatorData;
  try {
    parsedAuth = parseAuthenticatorData(authData);
  } catch (error) {
    return no('authenticator-data', (error as Error).message);
  }
  const rpIdHash = toHex(parsedAuth.rpIdHash);
  if (!rpIdCandidates(origin.hostname).some((candidate) => sha256Hex(candidate) === rpIdHash))
    return no('rp-id', 'the authenticator data is for another site than the origin in clientDataJSON');
  if (!(parsedAuth.flags & AUTH_DATA_FLAGS.userPresent))
    return no('user-presence', 'the authenticator did not confirm the user was present');
  let valid = false;
  try {
    const algorithm = es256
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const key = await crypto.subtle.importKey(
      'jwk',
      { ...assertion.publicKeyJwk, ext: true },
      algorithm,
      false,
      ['verify'],
    );
    valid = await crypto.subtle.verify(
      es256 ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
      key,
      signature,
      concat(authData, sha256Bytes(clientDataBytes)),
    );
  } catch {
    return no('signature', 'the stored public key is not a valid key of its kind');
  }
  if (!valid)
    return no(
      'signature',
      'the signature does not verify with the stored public key: the signed data was changed',
    );
  return {
    ok: true,
    origin: origin.origin,
    userVerified: (parsedAuth.flags & AUTH_DATA_FLAGS.userVerified) !== 0,
    signCount: parsedAuth.signCount,
  };
}
