/**
 * The chain of the server's log keys: a head signed by a key reached from the trusted one through
 * signed rotations is followed; a key no rotation reaches, a rotation signed by the wrong key, a
 * history cut or reordered, and a step backwards to a retired key are each refused.
 */
import { describe, expect, it } from 'vitest';
import { rotatedTo, testLogKey } from '../../../tests/setup/logKeys.ts';
import { checkKeyHistory, followLogKeys, type LogKeyRecord } from './logKeys.ts';

/** A fresh log key, with its id and public key at hand as a witness holds them. */
async function newKey() {
  const key = await testLogKey();
  return { ...key, keyId: key.record.keyId, publicKey: key.record.publicKey };
}

describe('the chain of log keys', () => {
  it('follows a head signed by a key reached through signed rotations', async () => {
    const [k0, k1, k2] = [await newKey(), await newKey(), await newKey()] as const;
    const history = [k0.record, await rotatedTo(k0, k1), await rotatedTo(k1, k2)];
    expect(await checkKeyHistory(history)).toEqual({ ok: true });
    expect(await followLogKeys(k0, history, k2.keyId)).toEqual({
      ok: true,
      key: { keyId: k2.keyId, publicKey: k2.publicKey, algorithm: 'Ed25519' },
      rotations: 2,
    });
    expect(await followLogKeys(k1, history, k2.keyId)).toMatchObject({ ok: true, rotations: 1 });
    // the same key needs no history at all
    expect(await followLogKeys(k0, [], k0.keyId)).toMatchObject({ ok: true, rotations: 0 });
  });

  it('refuses a key no rotation reaches, and a step back to a retired key', async () => {
    const [k0, k1, stranger] = [await newKey(), await newKey(), await newKey()] as const;
    const history = [k0.record, await rotatedTo(k0, k1)];
    const unchained = await followLogKeys(k0, history, stranger.keyId);
    expect(unchained).toMatchObject({ ok: false, reason: 'unchained' });
    expect(unchained.ok || unchained.message).toContain(
      `log key ${stranger.keyId.slice(0, 16)} is not reached from log key ${k0.keyId.slice(0, 16)} by any rotation the server recorded`,
    );
    expect(await followLogKeys(k1, history, k0.keyId)).toMatchObject({ ok: false, reason: 'unchained' });
    // a trusted key the history holds under another public key is not the trusted key
    expect(
      await followLogKeys({ keyId: k0.keyId, publicKey: k1.publicKey }, history, k1.keyId),
    ).toMatchObject({ ok: false, reason: 'unchained' });
  });

  it('refuses a rotation signed by another key than the one it rotates from', async () => {
    const [k0, k1, forger] = [await newKey(), await newKey(), await newKey()] as const;
    const history = [k0.record, await rotatedTo(k0, k1, forger)];
    const followed = await followLogKeys(k0, history, k1.keyId);
    expect(followed).toMatchObject({ ok: false, reason: 'rotation' });
    expect(followed.ok || followed.message).toContain(
      `the rotation to log key ${k1.keyId.slice(0, 16)} is not signed by key ${k0.keyId.slice(0, 16)} it claims to rotate from`,
    );
  });

  it.each([
    { case: 'cut', why: /was not rotated to from key/ },
    { case: 'renamed', why: /not named by its own fingerprint/ },
    { case: 'started mid-way', why: /rotated from key .* it does not hold/ },
    { case: 'edited after signing', why: /is not signed by key/ },
  ])('refuses a history $case', async ({ case: how, why }) => {
    const [k0, k1, k2] = [await newKey(), await newKey(), await newKey()] as const;
    const r1 = await rotatedTo(k0, k1);
    const r2 = await rotatedTo(k1, k2);
    const histories: Record<string, LogKeyRecord[]> = {
      cut: [k0.record, r2],
      renamed: [k0.record, { ...r1, keyId: k2.keyId }],
      'started mid-way': [r1, r2],
      'edited after signing': [k0.record, { ...r1, createdAt: '2020-01-01T00:00:00.000Z' }],
    };
    const checked = await checkKeyHistory(histories[how] as LogKeyRecord[]);
    expect(checked.ok).toBe(false);
    expect(checked.ok || checked.message).toMatch(why);
  });
});
