/**
 * How `preflight readiness` names a steering signature made with WebAuthn: the key signed, but no
 * identity provider confirmed who holds it (the roster is the data lead's attestation), so it is
 * never "identity confirmed".
 */
import { describe, expect, it } from 'vitest';
import type { SteeringState } from '../../core/readiness/index.ts';
import { steeringText } from './readiness.ts';

const SHA = 'a'.repeat(64);

function steering(reauthentication: 'webauthn' | 'none'): SteeringState {
  return {
    resultSha256: SHA,
    earlier: 0,
    latest: {
      id: 'st1',
      decision: 'go',
      readiness: 'go',
      recordedAt: '2026-11-24T10:00:00+01:00',
      resultSha256: SHA,
      rationale: 'Every gate passes.',
      signers: [
        {
          name: 'Dr Ines Moreau',
          role: 'Medical director',
          id: 'MD-1',
          signedAt: '2026-11-24T10:00:00+01:00',
          reauthentication,
        },
      ],
      state: 'current',
    },
  } as SteeringState;
}

describe('preflight readiness: how a steering signature is named', () => {
  it.each([
    {
      method: 'webauthn' as const,
      says: 're-authenticated with WebAuthn (identity not confirmed by an identity provider)',
    },
    { method: 'none' as const, says: 'without re-authentication' },
  ])('$method: "$says", never "identity confirmed"', ({ method, says }) => {
    const [line] = steeringText(steering(method), [
      { signatureId: 's1', ok: true, reauthentication: method },
    ]);
    expect(line).toContain(
      `Dr Ines Moreau (Medical director, MD-1) on 2026-11-24T10:00:00+01:00, ${says}, signature verifies`,
    );
    expect(line).not.toMatch(/identity confirmed/);
  });
});
