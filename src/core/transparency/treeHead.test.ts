/**
 * A signed tree head verifies under the key that signed it and under no other, and any changed
 * field (size, root, time, project, key id) breaks it. A head seen stamped and then without its
 * stamp is told from one the authority never stamped.
 */
import { describe, expect, it } from 'vitest';
import {
  logKeyId,
  type SignedTreeHead,
  stampRemoved,
  type TreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from './treeHead.ts';

const toHex = (b: ArrayBuffer) => Buffer.from(b).toString('hex');

async function signer() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = toHex(await crypto.subtle.exportKey('raw', pair.publicKey));
  const sign = async (head: TreeHead): Promise<SignedTreeHead> => ({
    ...head,
    keyId: logKeyId(publicKey),
    signature: toHex(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, treeHeadMessage(head))),
  });
  return { publicKey, sign };
}

const HEAD: TreeHead = {
  project: 'p1',
  size: 3,
  rootHash: 'a'.repeat(64),
  timestamp: '2026-01-01T00:00:00.000Z',
};

describe('signed tree heads', () => {
  it('verify under their own key only', async () => {
    const log = await signer();
    const other = await signer();
    const signed = await log.sign(HEAD);
    expect(await verifyTreeHead(signed, log.publicKey)).toBe(true);
    expect(await verifyTreeHead(signed, other.publicKey)).toBe(false);
    expect(await verifyTreeHead({ ...signed, keyId: logKeyId(other.publicKey) }, other.publicKey)).toBe(
      false,
    );
  });

  it.each([
    { field: 'size', change: { size: 2 } },
    { field: 'rootHash', change: { rootHash: 'b'.repeat(64) } },
    { field: 'timestamp', change: { timestamp: '2026-01-02T00:00:00.000Z' } },
    { field: 'project', change: { project: 'p2' } },
    { field: 'signature', change: { signature: 'zz' } },
  ])('fail when $field is changed', async ({ change }) => {
    const log = await signer();
    const signed = await log.sign(HEAD);
    expect(await verifyTreeHead({ ...signed, ...change }, log.publicKey)).toBe(false);
  });
});

describe('a time-stamp taken off a head', () => {
  const stamped = async () => ({ ...(await (await signer()).sign(HEAD)), timeStamp: 'c3RhbXA=' });

  it('is found when the very head comes back without it', async () => {
    const earlier = await stamped();
    const { timeStamp: _dropped, ...later } = earlier;
    expect(stampRemoved(earlier, later)).toBe(true);
  });

  it.each([
    { description: 'the head keeps its stamp', later: (h: SignedTreeHead) => h },
    {
      description: 'a later head is unstamped (the authority did not answer then)',
      later: ({ timeStamp: _t, ...h }: SignedTreeHead) => ({ ...h, size: 4, signature: 'ab'.repeat(64) }),
    },
    {
      description: 'the same fields come back under another signature',
      later: ({ timeStamp: _t, ...h }: SignedTreeHead) => ({ ...h, signature: 'ab'.repeat(64) }),
    },
  ])('is not found when $description', async ({ later }) => {
    const earlier = await stamped();
    expect(stampRemoved(earlier, later(earlier))).toBe(false);
    // a head never stamped has nothing to lose
    const { timeStamp: _t, ...bare } = earlier;
    expect(stampRemoved(bare, bare)).toBe(false);
  });
});
