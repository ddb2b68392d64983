/**
 * A signer's first signature on a device without a roster key: the browser makes a signing key,
 * and the project keeps its public half so later signatures are checked against it. The sign-off
 * and the steering committee's decision make one the same way.
 */
import type { ProjectChange } from '../../core/project/changes.ts';
import { addSigningCredential, type SigningCredential } from '../../core/project/signoffSettings.ts';
import type { Reviewer } from '../../formats/review.ts';
import { registerSigningCredential } from './webauthnClient.ts';

/** What the signer is told while the browser makes the key. */
export const MAKING_KEY_TEXT =
  'First signature on this device: follow your browser to make a signing key (security key, fingerprint or PIN)…';

/**
 * Makes a signing key for `signer` and stores it in the project's `settings` (resolved once
 * `commit` has stored it); gives the key and the settings as they now are.
 */
export async function makeDeviceKey(
  signer: Reviewer,
  settings: Record<string, unknown>,
  commit: (change: ProjectChange) => Promise<void>,
  now: () => string,
): Promise<{ credential: SigningCredential; settings: Record<string, unknown> }> {
  const registered = await registerSigningCredential(signer);
  const credential: SigningCredential = {
    id: registered.credentialId,
    algorithm: registered.algorithm,
    publicKeyJwk: registered.publicKeyJwk,
    signerId: signer.id,
    registeredAt: now(),
  };
  const change = addSigningCredential(settings, credential);
  await commit(change);
  return { credential, settings: change.type === 'project/settings' ? change.settings : settings };
}
