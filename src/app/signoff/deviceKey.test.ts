import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProjectChange } from '../../core/project/changes.ts';
import { credentialFor, readSignoffSettings } from '../../core/project/signoffSettings.ts';
import { makeDeviceKey } from './deviceKey.ts';
import * as client from './webauthnClient.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('makeDeviceKey', () => {
  it('stores the key the browser made for the signer, and gives the settings that hold it', async () => {
    vi.spyOn(client, 'registerSigningCredential').mockResolvedValue({
      credentialId: 'cred-1',
      algorithm: -7,
      publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    });
    const committed: ProjectChange[] = [];
    const before = { kept: true };
    const made = await makeDeviceKey(
      { name: 'Dr A', role: 'GP', id: 'S1' },
      before,
      async (change) => {
        committed.push(change);
      },
      () => '2026-11-28T10:00:00Z',
    );
    expect(made.credential).toEqual({
      id: 'cred-1',
      algorithm: -7,
      publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      signerId: 'S1',
      registeredAt: '2026-11-28T10:00:00Z',
    });
    expect(committed).toEqual([{ type: 'project/settings', settings: made.settings }]);
    expect(made.settings).toMatchObject({ kept: true });
    expect(credentialFor(readSignoffSettings(made.settings), 'S1')).toEqual(made.credential);
    expect(readSignoffSettings(before).credentials).toBeUndefined();
  });
});
