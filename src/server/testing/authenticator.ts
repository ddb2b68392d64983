/**
 * A software WebAuthn authenticator for the server's tests: a real P-256 key (WebCrypto) that
 * answers the server's registration options with a real attestation object (format "none", the
 * COSE key in its authenticator data) and its signing options with a real assertion, as a browser
 * with a platform authenticator would, at the server's origin. Its sign count goes up by one at
 * each assertion, as most security keys' do.
 * Test-only: imported by *.test.ts files.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { sha256Hex } from '../../core/hash/index.ts';
import {
  fromBase64Url,
  hexToBytes,
  jwkToCose,
  type SoftAuthenticator,
  softAuthenticator,
  toBase64Url,
} from '../../core/signoff/signing/index.ts';

/** A software authenticator held by one browser at `origin`. */
export interface TestAuthenticator {
  credentialId: string;
  soft: SoftAuthenticator;
  /** the browser's answer to registration options */
  register(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /**
   * the browser's answer to signing options; `pageOrigin`: the page that asks, when it is not the
   * one the key was made for (a server must refuse that assertion)
   */
  sign(
    options: PublicKeyCredentialRequestOptionsJSON,
    pageOrigin?: string,
  ): Promise<AuthenticationResponseJSON>;
}

/** Makes a {@link TestAuthenticator} for pages at `origin` (e.g. http://127.0.0.1:1234). */
export async function testAuthenticator(origin: string): Promise<TestAuthenticator> {
  const soft = await softAuthenticator();
  const rpId = new URL(origin).hostname;
  let signCount = 0;
  return {
    credentialId: soft.credentialId,
    soft,
    async register(options) {
      const clientDataJSON = new TextEncoder().encode(
        JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }),
      );
      const id = fromBase64Url(soft.credentialId);
      const cose = await jwkToCose(soft.publicKeyJwk);
      const authData = new Uint8Array([
        ...hexToBytes(sha256Hex(options.rp.id ?? rpId)),
        0x45, // user present, user verified, attested credential data
        0,
        0,
        0,
        0, // sign count 0
        ...new Uint8Array(16), // AAGUID
        id.length >> 8,
        id.length & 255,
        ...id,
        ...cose,
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]) as Parameters<typeof isoCBOR.encode>[0],
      );
      return {
        id: soft.credentialId,
        rawId: soft.credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: toBase64Url(clientDataJSON),
          attestationObject: toBase64Url(attestationObject),
        },
        clientExtensionResults: {},
      };
    },
    async sign(options, pageOrigin = origin) {
      signCount += 1;
      const assertion = await soft.assert(fromBase64Url(options.challenge), {
        origin: pageOrigin,
        rpId: options.rpId ?? rpId,
        signCount,
      });
      return {
        id: assertion.credentialId,
        rawId: assertion.credentialId,
        type: 'public-key',
        response: {
          authenticatorData: assertion.authenticatorData,
          clientDataJSON: assertion.clientDataJSON,
          signature: assertion.signature,
        },
        clientExtensionResults: {},
      };
    },
  };
}
