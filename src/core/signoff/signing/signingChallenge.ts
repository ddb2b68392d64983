/**
 * The WebAuthn challenge of a signing made on the team server, and the challenge any stored
 * assertion was made over. Kept apart (it needs only the canonical hash) so the signature checks
 * can use it without importing the server chain's module, which imports them.
 *
 * Constraint: the server signs by {@link signingChallenge}; changing it breaks every signature
 * made on a team server.
 */
import type { WebAuthnAssertion } from '../../../formats/review.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';

/** The WebAuthn challenge of a signing (hex): SHA-256 over what is signed and the server's one-use nonce. */
export function signingChallenge(hash: string, nonce: string): string {
  return canonicalSha256Hex({ signs: hash, nonce });
}

/**
 * The challenge `assertion` was made over when it signs `signedHash`: the hash itself for a
 * signature made in this browser, the server's signing challenge for one made on the server.
 */
export function assertionChallenge(assertion: WebAuthnAssertion, signedHash: string): string {
  return assertion.server === undefined ? signedHash : signingChallenge(signedHash, assertion.server.nonce);
}
