/**
 * Encrypted review packets (docs/product.md#sign-off): a packet carries patient records, so the
 * data lead exports it encrypted with a passphrase given to the clinician by another route, and
 * the clinician's Preflight opens it with that passphrase. WebCrypto only (`crypto.subtle`, in
 * browsers and Node 20): AES-GCM-256, the key from PBKDF2-HMAC-SHA-256 of the passphrase with a
 * random 16-byte salt, a random 12-byte IV per file. The clear fields are the GCM additional data,
 * so a wrong passphrase and a changed byte anywhere both fail the authentication — and say so,
 * changing nothing. The decrypted bytes are then checked as any packet file is.
 *
 * Constraint: GCM cannot tell a wrong passphrase from a changed file; the message names both.
 */
import {
  ENCRYPTED_PACKET_FORMAT,
  type EncryptedPacket,
  encryptedPacketAad,
  loadEncryptedPacket,
} from '../../../formats/encryptedPacket.ts';
import { decodeUtf8Strict, parseJsonText } from '../../../formats/jsonText.ts';
import { isPlainObject } from '../../../formats/loading.ts';
import type { ReviewPacket } from '../../../formats/reviewPacket.ts';
import { fromBase64Url, toBase64Url } from '../signing/webauthn.ts';
import {
  PacketExportError,
  type PacketProblem,
  type PacketVerification,
  serializePacketFile,
  verifyPacketBytes,
  verifyReviewPacket,
} from './packets.ts';

/** PBKDF2 iterations of a new encrypted packet (the format refuses fewer). */
export const PACKET_KDF_ITERATIONS = 600_000;

/** The shortest passphrase accepted, in characters. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** The fewest different characters a passphrase must use (refuses "aaaaaaaaaaaa"). */
const MIN_PASSPHRASE_DISTINCT = 5;

const SALT_BYTES = 16;
const IV_BYTES = 12;

/** The plain words every encrypted packet carries in clear. */
const ENCRYPTED_PACKET_NOTICE =
  'This file is an encrypted review packet: it holds patient records that only Preflight can open, ' +
  'with the passphrase the data lead gave the reviewing clinician by another route (never in the ' +
  'same message as the file). Delete every copy once the results are back.';

/** Why `passphrase` is too weak to protect patient records, or undefined when it will do. */
export function passphraseProblem(passphrase: string): string | undefined {
  const chars = [...passphrase.normalize('NFC')];
  if (chars.length < MIN_PASSPHRASE_LENGTH)
    return `the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long (it has ${chars.length}); a few unrelated words make a good one`;
  if (new Set(chars).size < MIN_PASSPHRASE_DISTINCT)
    return `the passphrase must use at least ${MIN_PASSPHRASE_DISTINCT} different characters; a few unrelated words make a good one`;
  return undefined;
}

/** Whether parsed JSON claims to be an encrypted packet (by its tag alone). */
export function isEncryptedPacket(json: unknown): boolean {
  return isPlainObject(json) && json.format === ENCRYPTED_PACKET_FORMAT;
}

async function deriveKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/**
 * `packet` encrypted with `passphrase`. `salt` and `iv` are for tests only: by default both are
 * fresh random bytes, as they must be for every file.
 * @throws {PacketExportError} when the passphrase is too weak (the message says why).
 */
export async function encryptPacket(
  packet: ReviewPacket,
  passphrase: string,
  options: { salt?: Uint8Array<ArrayBuffer>; iv?: Uint8Array<ArrayBuffer> } = {},
): Promise<EncryptedPacket> {
  const weak = passphraseProblem(passphrase);
  if (weak) throw new PacketExportError(`The packet was not encrypted: ${weak}.`);
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = options.iv ?? crypto.getRandomValues(new Uint8Array(IV_BYTES));
  if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES)
    throw new PacketExportError(
      `The packet was not encrypted: the salt must be ${SALT_BYTES} bytes and the IV ${IV_BYTES}.`,
    );
  const clear: Omit<EncryptedPacket, 'ciphertext'> = {
    format: ENCRYPTED_PACKET_FORMAT,
    notice: ENCRYPTED_PACKET_NOTICE,
    packetId: packet.id,
    planHash: packet.planHash,
    records: packet.records.length,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: PACKET_KDF_ITERATIONS, salt: toBase64Url(salt) },
    cipher: { name: 'AES-GCM', keyBits: 256, tagBits: 128, iv: toBase64Url(iv) },
  };
  const key = await deriveKey(passphrase, salt, PACKET_KDF_ITERATIONS, 'encrypt');
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv,
      additionalData: new TextEncoder().encode(encryptedPacketAad(clear)),
      tagLength: 128,
    },
    key,
    new TextEncoder().encode(serializePacketFile(packet)),
  );
  return { ...clear, ciphertext: toBase64Url(new Uint8Array(sealed)) };
}

function refuse(reason: 'schema' | 'passphrase' | 'envelope' | 'damaged', message: string): PacketProblem {
  return { ok: false, reason, message };
}

/**
 * Opens an encrypted packet (parsed JSON) with `passphrase` and verifies the packet inside exactly
 * as a plain packet file is verified (`verifyPacketBytes` with `verifyReviewPacket`). A wrong
 * passphrase or any changed byte is refused with reason `passphrase`; a packet inside that is not
 * the one the clear fields name, with `envelope`. Never throws.
 */
export async function decryptPacket(json: unknown, passphrase: string): Promise<PacketVerification> {
  const loaded = loadEncryptedPacket(json);
  if (!loaded.ok) {
    const first = loaded.problems[0];
    return refuse(
      'schema',
      `it is not a readable encrypted packet (${first ? `${first.path || 'the file'}: ${first.message}` : 'unknown problem'})`,
    );
  }
  const file = loaded.value;
  let salt: Uint8Array<ArrayBuffer>;
  let iv: Uint8Array<ArrayBuffer>;
  let sealed: Uint8Array<ArrayBuffer>;
  try {
    salt = fromBase64Url(file.kdf.salt, 'the salt');
    iv = fromBase64Url(file.cipher.iv, 'the IV');
    sealed = fromBase64Url(file.ciphertext, 'the encrypted content');
  } catch (error) {
    return refuse('damaged', `${(error as Error).message}: the file was damaged or edited`);
  }
  let plain: ArrayBuffer;
  try {
    const key = await deriveKey(passphrase, salt, file.kdf.iterations, 'decrypt');
    plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv,
        additionalData: new TextEncoder().encode(encryptedPacketAad(file)),
        tagLength: 128,
      },
      key,
      sealed,
    );
  } catch {
    return refuse(
      'passphrase',
      'the passphrase is not the one it was encrypted with, or the file was changed after it was encrypted: check the passphrase with your data lead and try again',
    );
  }
  const bytes = new Uint8Array(plain);
  const verified = verifyPacketBytes(bytes, verifyReviewPacket);
  if (!verified.ok) return verified;
  const { packet } = verified;
  if (
    packet.id !== file.packetId ||
    packet.planHash !== file.planHash ||
    packet.records.length !== file.records
  )
    return refuse(
      'envelope',
      'the packet inside is not the one its label names (id, plan hash or record count)',
    );
  return verified;
}

/** How Preflight writes an encrypted packet: 2-space JSON and a final newline. */
export function serializeEncryptedPacket(file: EncryptedPacket): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses the bytes of a chosen packet file: its JSON, or why it is not JSON text. Never throws. */
export function parsePacketFile(bytes: Uint8Array): { ok: true; json: unknown } | PacketProblem {
  const decoded = decodeUtf8Strict(bytes, 'it');
  if (!decoded.ok) return refuse('damaged', decoded.message);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok)
    return refuse(
      'damaged',
      `it is not valid JSON (line ${parsed.position.line}, column ${parsed.position.column}): the file was damaged or edited`,
    );
  return { ok: true, json: parsed.value };
}
