import { isoCBOR } from '@simplewebauthn/server/helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../hash/index.ts';
import { softAuthenticator, TEST_ORIGIN } from './testing/signedExport.ts';
import {
  type CoseKey,
  challengeFor,
  coseToJwk,
  credentialFromAttestation,
  fromBase64Url,
  hexToBytes,
  jwkToCose,
  type P256Jwk,
  type StoredAssertion,
  toBase64Url,
  verifyAssertion,
  WebAuthnDataError,
} from './webauthn.ts';

const HASH = sha256Hex('a sign-off');

/** Minimal CBOR encoder for the test vectors (maps, ints, byte and text strings). */
function cbor(value: unknown): number[] {
  const head = (major: number, n: number): number[] =>
    n < 24 ? [(major << 5) | n] : n < 256 ? [(major << 5) | 24, n] : [(major << 5) | 25, n >> 8, n & 255];
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = [...new TextEncoder().encode(value)];
    return [...head(3, bytes.length), ...bytes];
  }
  if (value instanceof Uint8Array) return [...head(2, value.length), ...value];
  if (value instanceof Map) {
    const out = head(5, value.size);
    for (const [k, v] of value) out.push(...cbor(k), ...cbor(v));
    return out;
  }
  throw new Error('unsupported');
}

describe('base64url', () => {
  it('round-trips any bytes, and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect([...fromBase64Url(text)]).toEqual([...bytes]);
      }),
    );
  });

  it.each([
    { description: 'a character outside the alphabet', text: 'ab+c' },
    { description: 'padding', text: 'YQ==' },
    { description: 'an impossible length', text: 'abcde' },
    { description: 'non-zero leftover bits', text: 'YR' },
  ])('refuses $description', ({ text }) => {
    expect(() => fromBase64Url(text)).toThrow(WebAuthnDataError);
  });
});

describe('COSE key ↔ JWK', () => {
  it('reads a registration attestation object, and writes back the same COSE key', async () => {
    const authenticator = await softAuthenticator();
    const key = authenticator.publicKeyJwk as P256Jwk;
    const x = fromBase64Url(key.x);
    const y = fromBase64Url(key.y);
    const cose = new Map<number, unknown>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, x],
      [-3, y],
    ]);
    const credentialId = new Uint8Array([9, 8, 7, 6]);
    const authData = new Uint8Array([
      ...hexToBytes(sha256Hex('localhost')),
      0x45, // UP, UV, AT
      0,
      0,
      0,
      0,
      ...new Uint8Array(16), // AAGUID
      0,
      credentialId.length,
      ...credentialId,
      ...cbor(cose),
    ]);
    const attestation = new Uint8Array(
      cbor(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      ),
    );
    const credential = await credentialFromAttestation(attestation);
    expect(credential).toEqual({
      credentialId: toBase64Url(credentialId),
      algorithm: -7,
      publicKeyJwk: authenticator.publicKeyJwk,
    });
    expect([...(await jwkToCose(credential.publicKeyJwk))]).toEqual(cbor(cose));
  });

  it('refuses bytes that are not an attestation object, with its own error', async () => {
    await expect(credentialFromAttestation(new Uint8Array([0xa0]))).rejects.toThrow(WebAuthnDataError);
    await expect(credentialFromAttestation(new Uint8Array([1, 2, 3]))).rejects.toThrow(WebAuthnDataError);
  });

  it.each([
    {
      description: 'an RSA key',
      key: [
        [1, 3],
        [3, -257],
      ],
    },
    {
      description: 'another algorithm',
      key: [
        [1, 2],
        [3, -35],
        [-1, 2],
      ],
    },
    {
      description: 'short coordinates',
      key: [
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(31)],
        [-3, new Uint8Array(32)],
      ],
    },
  ] as { description: string; key: [number, unknown][] }[])('refuses $description', ({ key }) => {
    const map = isoCBOR.decodeFirst<CoseKey>(new Uint8Array(cbor(new Map(key))));
    expect(() => coseToJwk(map)).toThrow(WebAuthnDataError);
  });
});

describe('verifyAssertion', () => {
  it('verifies an RS256 assertion (an authenticator that makes only RSA keys)', async () => {
    const authenticator = await softAuthenticator('RS256');
    const assertion = await authenticator.assert(challengeFor(HASH));
    await expect(verifyAssertion(assertion, HASH)).resolves.toMatchObject({ ok: true });
    await expect(verifyAssertion(assertion, sha256Hex('other'))).resolves.toMatchObject({
      ok: false,
      problem: 'challenge',
    });
    const bytes = fromBase64Url(assertion.signature);
    bytes[0] = (bytes[0] as number) ^ 1;
    await expect(
      verifyAssertion({ ...assertion, signature: toBase64Url(bytes) }, HASH),
    ).resolves.toMatchObject({
      ok: false,
      problem: 'signature',
    });
    await expect(verifyAssertion({ ...assertion, algorithm: -7 }, HASH)).resolves.toMatchObject({
      ok: false,
      problem: 'algorithm',
    });
  });

  it('reads an RS256 COSE key as an RSA JWK', async () => {
    const authenticator = await softAuthenticator('RS256');
    const key = authenticator.publicKeyJwk as { n: string; e: string };
    const cose = new Map<number, unknown>([
      [1, 3],
      [3, -257],
      [-1, fromBase64Url(key.n)],
      [-2, fromBase64Url(key.e)],
    ]);
    const map = isoCBOR.decodeFirst<CoseKey>(new Uint8Array(cbor(cose)));
    expect(coseToJwk(map)).toEqual(authenticator.publicKeyJwk);
  });

  it('verifies an assertion over the sign-off hash: origin, user verified, sign count', async () => {
    const authenticator = await softAuthenticator();
    const assertion = await authenticator.assert(challengeFor(HASH));
    await expect(verifyAssertion(assertion, HASH)).resolves.toEqual({
      ok: true,
      origin: TEST_ORIGIN,
      userVerified: true,
      signCount: 1,
    });
  });

  const cases: {
    description: string;
    make: (a: Awaited<ReturnType<typeof softAuthenticator>>) => Promise<StoredAssertion>;
    hash?: string;
    problem: string;
  }[] = [
    {
      description: 'another sign-off (challenge)',
      make: (a) => a.assert(challengeFor(HASH)),
      hash: sha256Hex('other'),
      problem: 'challenge',
    },
    {
      description: 'a registration, not an assertion',
      make: (a) => a.assert(challengeFor(HASH), { type: 'webauthn.create' }),
      problem: 'type',
    },
    {
      description: 'another site',
      make: (a) => a.assert(challengeFor(HASH), { rpId: 'example.org' }),
      problem: 'rp-id',
    },
    {
      description: 'no user presence',
      make: (a) => a.assert(challengeFor(HASH), { flags: 0x04 }),
      problem: 'user-presence',
    },
    {
      description: 'a file: origin',
      make: (a) => a.assert(challengeFor(HASH), { origin: 'file:///x', rpId: '' }),
      problem: 'origin',
    },
    {
      description: 'another key',
      make: async (a) => ({
        ...(await a.assert(challengeFor(HASH))),
        publicKeyJwk: (await softAuthenticator()).publicKeyJwk,
      }),
      problem: 'signature',
    },
    {
      description: 'changed authenticator data (sign count)',
      make: async (a) => {
        const s = await a.assert(challengeFor(HASH));
        const data = fromBase64Url(s.authenticatorData);
        data[36] = 2;
        return { ...s, authenticatorData: toBase64Url(data) };
      },
      problem: 'signature',
    },
    {
      description: 'an algorithm other than ES256',
      make: async (a) => ({ ...(await a.assert(challengeFor(HASH))), algorithm: -257 }),
      problem: 'algorithm',
    },
    {
      description: 'a signature that is not DER',
      make: async (a) => ({ ...(await a.assert(challengeFor(HASH))), signature: 'AAAA' }),
      problem: 'encoding',
    },
  ];
  it.each(cases)('refuses $description', async ({ make, hash, problem }) => {
    const assertion = await make(await softAuthenticator());
    const result = await verifyAssertion(assertion, hash ?? HASH);
    expect(result).toMatchObject({ ok: false, problem });
  });

  it('accepts a key registered for a parent domain (RP id app.clinic.example at sub.app.clinic.example)', async () => {
    const a = await softAuthenticator();
    const assertion = await a.assert(challengeFor(HASH), {
      origin: 'https://sub.app.clinic.example',
      rpId: 'app.clinic.example',
    });
    await expect(verifyAssertion(assertion, HASH)).resolves.toMatchObject({ ok: true });
  });
});
