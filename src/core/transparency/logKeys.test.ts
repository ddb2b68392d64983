/**
 * The chain of the server's log keys: a head signed by a key reached from the trusted one through
 * signed rotations is followed; a key no rotation reaches, a rotation signed by the wrong key, a
 * history cut or reordered, and a step backwards to a retired key are each refused. Against the
 * server's own history, a head's key must be one of the server's, and a retired key's head must
 * be from before its rotation.
 */
import { describe, expect, it } from 'vitest';
import { rotatedTo, testLogKey } from '../../../tests/setup/logKeys.ts';
import { checkHeadKeyOfServer, checkKeyHistory, followLogKeys, type LogKeyRecord } from './logKeys.ts';

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

describe('a head’s key against the server’s history of keys', async () => {
  const k0 = await testLogKey('2026-05-04T09:00:00.000Z');
  const k1 = await testLogKey('2026-05-04T10:00:00.000Z');
  const stranger = await testLogKey();
  const history = [k0.record, await rotatedTo(k0, k1)];
  const head = (keyId: string, timestamp: string) => ({ keyId, timestamp });
  const cases = [
    {
      description: 'the current key',
      input: [head(k1.record.keyId, '2026-05-04T11:00:00.000Z'), k1.record.publicKey, {}],
      expected: undefined,
    },
    {
      description: 'the retired key, before its rotation',
      input: [
        head(k0.record.keyId, '2026-05-04T09:30:00.000Z'),
        k0.record.publicKey,
        { latestEntryAt: '2026-05-04T09:29:00.000Z' },
      ],
      expected: undefined,
    },
    {
      description: 'a key the server never had',
      input: [head(stranger.record.keyId, '2026-05-04T11:00:00.000Z'), stranger.record.publicKey, {}],
      expected: `is signed by log key ${stranger.record.keyId.slice(0, 16)}, which is not one of the team server's log keys`,
    },
    {
      description: 'the server’s key id named with another public key',
      input: [head(k1.record.keyId, '2026-05-04T11:00:00.000Z'), stranger.record.publicKey, {}],
      expected: 'which is not one of the team server',
    },
    {
      description: 'the retired key, dated after its rotation',
      input: [head(k0.record.keyId, '2026-05-04T10:00:01.000Z'), k0.record.publicKey, { project: 'p1' }],
      expected: `the signed tree head of project p1 is signed by log key ${k0.record.keyId.slice(0, 16)}, which the team server retired at 2026-05-04T10:00:00.000Z, when it rotated to log key ${k1.record.keyId.slice(0, 16)}; the head is dated 2026-05-04T10:00:01.000Z, after it`,
    },
    {
      description: 'the retired key, back-dated over an entry written after its rotation',
      input: [
        head(k0.record.keyId, '2026-05-04T09:30:00.000Z'),
        k0.record.publicKey,
        { latestEntryAt: '2026-05-04T10:05:00.000Z' },
      ],
      expected: 'covers an entry the server wrote after it (at 2026-05-04T10:05:00.000Z)',
    },
  ] as const;
  it.for(cases)('$description', ({ input, expected }) => {
    const checked = checkHeadKeyOfServer(input[0], input[1], history, input[2]);
    if (expected === undefined) expect(checked).toEqual({ ok: true });
    else expect(checked.ok || checked.message).toContain(expected);
  });
});
