/**
 * Attacks on encrypted review packets beyond a flipped field (packetCrypto.test.ts has those): a
 * packet's sealed content swapped under another packet's label, another packet re-sealed under
 * its label by someone who knows the passphrase, and the content of one file replayed under the
 * salt and IV of another file of the same packet. Each is refused, saying what to do, and nothing
 * of the packet inside is returned. Each case derives the key once or twice (PBKDF2, 600,000
 * rounds): a few hundred milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { type EncryptedPacket, encryptedPacketAad } from '../../../formats/encryptedPacket.ts';
import { fromBase64Url, toBase64Url } from '../signing/webauthn.ts';
import { decryptPacket, encryptPacket } from './packetCrypto.ts';
import { createReviewPacket, serializePacketFile } from './packets.ts';
import { packetScenario } from './testing/packetScenario.ts';

const PASSPHRASE = 'amber kettle orbit lantern';
const scenario = packetScenario();
const first = scenario.packet;
// a second packet of the same review, plan and records, exported later
const second = createReviewPacket({
  id: 'packet-2',
  createdAt: '2025-03-04T09:00:00Z',
  plan: scenario.plan,
  review: scenario.leadReview,
  shown: scenario.shown,
});
const sealedFirst = await encryptPacket(first, PASSPHRASE);
const sealedSecond = await encryptPacket(second, PASSPHRASE);

/** `content` sealed as encryptPacket seals, under the clear fields (label, salt, IV) of `label`. */
async function sealUnder(label: EncryptedPacket, content: string): Promise<EncryptedPacket> {
  const { ciphertext: _c, ...clear } = label;
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(PASSPHRASE),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  const key = await crypto.subtle.deriveKey(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: fromBase64Url(label.kdf.salt),
      iterations: label.kdf.iterations,
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: fromBase64Url(label.cipher.iv),
      additionalData: new TextEncoder().encode(encryptedPacketAad(clear)),
      tagLength: 128,
    },
    key,
    new TextEncoder().encode(content),
  );
  return { ...clear, ciphertext: toBase64Url(new Uint8Array(sealed)) };
}

describe('attacks on encrypted review packets', () => {
  it('refuses another packet’s sealed content swapped under this packet’s label', async () => {
    const swapped: EncryptedPacket = {
      ...structuredClone(sealedFirst),
      kdf: sealedSecond.kdf,
      cipher: sealedSecond.cipher,
      ciphertext: sealedSecond.ciphertext,
    };
    const opened = await decryptPacket(swapped, PASSPHRASE);
    expect(opened).toMatchObject({ ok: false, reason: 'passphrase' });
    expect(!opened.ok && opened.message).toMatch(/or the file was changed after it was encrypted/);
    expect('packet' in opened).toBe(false);
  });

  it('refuses another packet re-sealed under this packet’s label with the right passphrase', async () => {
    const forged = await sealUnder(sealedFirst, serializePacketFile(second));
    const opened = await decryptPacket(forged, PASSPHRASE);
    expect(opened).toMatchObject({ ok: false, reason: 'envelope' });
    expect(!opened.ok && opened.message).toBe(
      'the packet inside is not the one its label names (id, plan hash or record count)',
    );
    expect('packet' in opened).toBe(false);
  });

  it('refuses the content of one file of a packet replayed under the salt and IV of another', async () => {
    const again = await encryptPacket(first, PASSPHRASE);
    const replayed: EncryptedPacket = { ...structuredClone(again), ciphertext: sealedFirst.ciphertext };
    const opened = await decryptPacket(replayed, PASSPHRASE);
    expect(opened).toMatchObject({ ok: false, reason: 'passphrase' });
    expect('packet' in opened).toBe(false);
  });

  it('refuses a wrong passphrase that differs only in case', async () => {
    const wrong = await decryptPacket(structuredClone(sealedFirst), PASSPHRASE.toUpperCase());
    expect(wrong).toMatchObject({ ok: false, reason: 'passphrase' });
    expect(!wrong.ok && wrong.message).toMatch(/check the passphrase with your data lead and try again/);
    await expect(decryptPacket(structuredClone(sealedFirst), PASSPHRASE)).resolves.toMatchObject({
      ok: true,
    });
  });
});
