import { afterEach, beforeEach, vi } from 'vitest';
import { webAuthnPrompts } from '../webauthnClient.ts';

/**
 * jsdom has no WebAuthn: each test of the calling file gets a stand-in key answer from
 * `webAuthnPrompts.startAuthentication` (a server in memory takes it as given, or answers with a
 * software key's assertion), restored after each test so files sharing a worker see the real one.
 */
export function standInWebAuthnAuthentication(): void {
  beforeEach(() => {
    vi.spyOn(webAuthnPrompts, 'startAuthentication').mockResolvedValue({
      id: 'cred',
      type: 'public-key',
      response: {},
    } as never);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}
