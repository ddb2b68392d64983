/**
 * The browser's witness over a log built here: the first head is kept, a grown log whose proof
 * verifies replaces it, and a rewritten, cut, re-keyed or unsigned one is called changed with
 * both heads — the kept head stays. Across a rotation of the server's log key, a head signed by
 * the new key is followed through the rotation the old key signed; a forged rotation is not.
 */
import { describe, expect, it } from 'vitest';
import { auditLeaves } from './auditTree.ts';
import { type LogKeyRecord, logKeyRotationMessage } from './logKeys.ts';
import { consistencyProof, treeRoot } from './merkleTree.ts';
import { logKeyId, type SignedTreeHead, treeHeadMessage } from './treeHead.ts';
import { witnessHead } from './witness.ts';

const hex = (b: ArrayBuffer) => Buffer.from(b).toString('hex');
const hashes = (n: number, salt = '') =>
  Array.from({ length: n }, (_, i) => (salt + i.toString(16)).padStart(64, '0').slice(-64));

async function logKey() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = hex(await crypto.subtle.exportKey('raw', pair.publicKey));
  const sign = async (entries: string[]): Promise<SignedTreeHead> => {
    const head = {
      project: 'p1',
      size: entries.length,
      rootHash: treeRoot(auditLeaves(entries)),
      timestamp: `t${entries.length}`,
    };
    return {
      ...head,
      keyId: logKeyId(publicKey),
      signature: hex(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, treeHeadMessage(head))),
    };
  };
  const record: LogKeyRecord = {
    keyId: logKeyId(publicKey),
    publicKey,
    algorithm: 'Ed25519',
    createdAt: '2026-05-04T09:00:00.000Z',
  };
  /** `next` as this key hands over to it */
  const rotateTo = async (next: { record: LogKeyRecord }): Promise<LogKeyRecord> => ({
    ...next.record,
    rotatedFrom: {
      keyId: record.keyId,
      signature: hex(
        await crypto.subtle.sign(
          { name: 'Ed25519' },
          pair.privateKey,
          logKeyRotationMessage(next.record, record.keyId),
        ),
      ),
    },
  });
  return { publicKey, sign, record, rotateTo };
}

describe('a member’s browser as a witness', () => {
  it('keeps the first head, then each head proved to extend it', async () => {
    const key = await logKey();
    const log = hashes(9);
    const first = await witnessHead(undefined, { head: await key.sign(log.slice(0, 4)) }, key.publicKey);
    expect(first).toMatchObject({ status: 'kept', head: { size: 4 } });
    const kept = (first as { head: SignedTreeHead }).head;
    const grown = await witnessHead(
      kept,
      { head: await key.sign(log), proof: consistencyProof(auditLeaves(log), 4) },
      key.publicKey,
    );
    expect(grown).toMatchObject({ status: 'kept', head: { size: 9 }, added: 5 });
  });

  it('calls a rewritten log changed, with both heads, and keeps the earlier head', async () => {
    const key = await logKey();
    const log = hashes(9);
    const kept = await key.sign(log.slice(0, 6));
    const rewritten = [...log.slice(0, 3), ...hashes(5, 'f')];
    const verdict = await witnessHead(
      kept,
      { head: await key.sign(rewritten), proof: consistencyProof(auditLeaves(rewritten), 6) },
      key.publicKey,
    );
    expect(verdict).toMatchObject({ status: 'changed', kept, current: { size: 8 } });
    const message = (verdict as { message: string }).message;
    expect(message).toContain('was changed after this browser last saw it');
    expect(message).toContain(
      `the ${kept.size} entries it signed at ${kept.timestamp} (root ${kept.rootHash})`,
    );
    expect(message).toContain('This browser keeps the earlier head');
  });

  it.each([
    { case: 'a cut log', size: 3, rekey: false, unsigned: false, why: 'it holds only 3 entries' },
    {
      case: 'another key',
      size: 9,
      rekey: true,
      unsigned: false,
      why: 'no rotation the server recorded leads to',
    },
    { case: 'an unsigned head', size: 9, rekey: false, unsigned: true, why: 'not signed by the log key' },
  ])('calls $case changed', async ({ size, rekey, unsigned, why }) => {
    const key = await logKey();
    const other = await logKey();
    const log = hashes(9);
    const kept = await key.sign(log.slice(0, 6));
    const signer = rekey ? other : key;
    const head = await signer.sign(log.slice(0, size));
    const proof = size >= 6 ? consistencyProof(auditLeaves(log.slice(0, size)), 6) : [];
    const verdict = await witnessHead(
      kept,
      { head: unsigned ? { ...head, signature: '00'.repeat(64) } : head, proof },
      rekey ? other.publicKey : key.publicKey,
    );
    expect(verdict.status).toBe('changed');
    expect((verdict as { message: string }).message).toContain(why);
  });

  it('follows a rotation of the log key the old key signed, and trusts the new key from there', async () => {
    const key = await logKey();
    const next = await logKey();
    const log = hashes(9);
    const kept = await key.sign(log.slice(0, 6));
    const reply = { head: await next.sign(log), proof: consistencyProof(auditLeaves(log), 6) };
    const verdict = await witnessHead(kept, reply, key.publicKey, [key.record, await key.rotateTo(next)]);
    expect(verdict).toMatchObject({
      status: 'kept',
      head: { size: 9 },
      publicKey: next.publicKey,
      rotations: 1,
    });
    // a rotation the old key did not sign leads nowhere: the log is called changed, the head kept
    const forged = await next.rotateTo(next);
    const refused = await witnessHead(kept, reply, key.publicKey, [
      key.record,
      { ...forged, rotatedFrom: { keyId: key.record.keyId, signature: forged.rotatedFrom?.signature ?? '' } },
    ]);
    expect(refused).toMatchObject({ status: 'changed', kept });
    expect((refused as { message: string }).message).toContain('its history of log keys does not hold');
  });
});
