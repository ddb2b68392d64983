import { describe, expect, it } from 'vitest';
import type { EncryptedPacket } from '../../../formats/encryptedPacket.ts';
import { decryptPacket, encryptPacket, PACKET_KDF_ITERATIONS, passphraseProblem } from './packetCrypto.ts';
import { PacketExportError, type PacketRefusal } from './packets.ts';
import { packetScenario } from './testing/packetScenario.ts';

const PASSPHRASE = 'amber kettle orbit lantern';
const { packet } = packetScenario();
const sealed = await encryptPacket(packet, PASSPHRASE);

/** `text` with the character at `at` replaced by another base64url character. */
function flip(text: string, at: number): string {
  const i = at < 0 ? text.length + at : at;
  return `${text.slice(0, i)}${text[i] === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
}

describe('encrypted review packets', () => {
  it('round trip: the packet comes back byte for byte and verifies as the packet it was', async () => {
    expect(sealed.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: PACKET_KDF_ITERATIONS });
    expect(PACKET_KDF_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(sealed.kdf.salt).toHaveLength(22); // 16 bytes
    expect(sealed.cipher.iv).toHaveLength(16); // 12 bytes
    const opened = await decryptPacket(structuredClone(sealed), PASSPHRASE);
    expect(opened).toMatchObject({ ok: true, sha256: packet.integrity.sha256 });
    expect(opened.ok && opened.packet).toEqual(packet);
  });

  it('says in clear only what the file is: packet id, plan hash, record count — no record content', () => {
    const { ciphertext: _c, ...clear } = sealed;
    expect(clear).toMatchObject({ packetId: packet.id, planHash: packet.planHash, records: 3 });
    const text = JSON.stringify(clear);
    for (const record of packet.records) {
      expect(text).not.toContain(record.key);
      for (const cell of record.shown.source.cells) if (cell.length > 2) expect(text).not.toContain(cell);
    }
  });

  it('uses a fresh salt and IV for every file', async () => {
    const again = await encryptPacket(packet, PASSPHRASE);
    expect(again.kdf.salt).not.toBe(sealed.kdf.salt);
    expect(again.cipher.iv).not.toBe(sealed.cipher.iv);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });

  it('opens with the same passphrase typed in another Unicode form (NFC)', async () => {
    const composed = 'caf\u00e9 lantern orbit';
    const file = await encryptPacket(packet, composed);
    await expect(decryptPacket(file, 'cafe\u0301 lantern orbit')).resolves.toMatchObject({ ok: true });
  });

  it('refuses a wrong passphrase plainly', async () => {
    const opened = await decryptPacket(structuredClone(sealed), 'amber kettle orbit lanterm');
    expect(opened).toMatchObject({ ok: false, reason: 'passphrase' });
    expect(!opened.ok && opened.message).toMatch(/passphrase is not the one.*or the file was changed/);
  });

  const tampers: { description: string; edit: (f: EncryptedPacket) => void; reason: PacketRefusal }[] = [
    {
      description: 'the notice',
      edit: (f) => {
        f.notice += ' ';
      },
      reason: 'passphrase',
    },
    {
      description: 'the packet id',
      edit: (f) => {
        f.packetId = 'another-packet';
      },
      reason: 'passphrase',
    },
    {
      description: 'the plan hash',
      edit: (f) => {
        f.planHash = 'a'.repeat(64);
      },
      reason: 'passphrase',
    },
    {
      description: 'the record count',
      edit: (f) => {
        f.records = 4;
      },
      reason: 'passphrase',
    },
    {
      description: 'the iteration count',
      edit: (f) => {
        f.kdf.iterations += 1;
      },
      reason: 'passphrase',
    },
    {
      description: 'the salt',
      edit: (f) => {
        f.kdf.salt = flip(f.kdf.salt, 0);
      },
      reason: 'passphrase',
    },
    {
      description: 'the IV',
      edit: (f) => {
        f.cipher.iv = flip(f.cipher.iv, 0);
      },
      reason: 'passphrase',
    },
    {
      description: 'a byte of the ciphertext',
      edit: (f) => {
        f.ciphertext = flip(f.ciphertext, 40);
      },
      reason: 'passphrase',
    },
    {
      description: 'a byte of the authentication tag',
      edit: (f) => {
        f.ciphertext = flip(f.ciphertext, -8);
      },
      reason: 'passphrase',
    },
    {
      description: 'the ciphertext cut short',
      edit: (f) => {
        f.ciphertext = f.ciphertext.slice(0, -4);
      },
      reason: 'passphrase',
    },
    {
      description: 'too few iterations',
      edit: (f) => {
        f.kdf.iterations = 1000;
      },
      reason: 'schema',
    },
    {
      description: 'another cipher',
      edit: (f) => {
        (f.cipher as { name: string }).name = 'AES-CBC';
      },
      reason: 'schema',
    },
    {
      description: 'a field added in clear',
      edit: (f) => {
        (f as unknown as Record<string, unknown>).patient = 'x';
      },
      reason: 'schema',
    },
    {
      description: 'a salt of another length',
      edit: (f) => {
        f.kdf.salt = f.kdf.salt.slice(1);
      },
      reason: 'schema',
    },
  ];

  it.each(tampers)('refuses a file with $description changed, saying so', async ({ edit, reason }) => {
    const copy = structuredClone(sealed);
    edit(copy);
    const opened = await decryptPacket(copy, PASSPHRASE);
    expect(opened).toMatchObject({ ok: false, reason });
  });

  const weak: { passphrase: string; problem: RegExp }[] = [
    { passphrase: '', problem: /at least 12 characters long \(it has 0\)/ },
    { passphrase: 'hunter2', problem: /at least 12 characters long \(it has 7\)/ },
    { passphrase: 'elevenchars', problem: /at least 12 characters/ },
    { passphrase: 'aaaaaaaaaaaaaaaa', problem: /at least 5 different characters/ },
    { passphrase: 'abababababab', problem: /at least 5 different characters/ },
  ];

  it.each(weak)('refuses the weak passphrase "$passphrase"', async ({ passphrase, problem }) => {
    expect(passphraseProblem(passphrase)).toMatch(problem);
    await expect(encryptPacket(packet, passphrase)).rejects.toThrow(PacketExportError);
  });

  it.each(['twelve chars', PASSPHRASE, 'ünïcödé wörds'])('accepts the passphrase "%s"', (passphrase) => {
    expect(passphraseProblem(passphrase)).toBeUndefined();
  });
});
