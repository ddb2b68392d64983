/**
 * `preflight.encryptedpacket/v1`: a review packet (`preflight.reviewpacket/v1`) encrypted with a
 * passphrase the data lead gives the reviewing clinician by another route. In clear it says only
 * what the file is — the packet id, the plan hash and the record count, never a patient value.
 * Encrypted and opened by src/core/signoff/exports/packetCrypto.ts.
 *
 * Constraint: the ciphertext is AES-GCM-256 over the packet file's exact bytes, keyed by
 * PBKDF2-HMAC-SHA-256 of the NFC-normalised passphrase, with the RFC 8785 canonical JSON of this
 * file without `ciphertext` as additional authenticated data ({@link encryptedPacketAad}), so no
 * field in clear can change unnoticed. Changing any of this breaks every encrypted packet.
 */
import { canonicalJson } from '../core/hash/index.ts';
import { validateEncryptedPacket } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type LoadResult,
  loadDocument,
  type Migration,
} from './loading.ts';

/** Format tag of an encrypted review packet. */
export const ENCRYPTED_PACKET_FORMAT = 'preflight.encryptedpacket/v1';

/** `$id` of the encrypted-packet JSON Schema (src/formats/encryptedPacket.schema.json). */
export const ENCRYPTED_PACKET_SCHEMA_ID = 'urn:preflight:format:encryptedpacket:v1';

/** An encrypted review packet. */
export interface EncryptedPacket {
  format: typeof ENCRYPTED_PACKET_FORMAT;
  /** plain words: an encrypted packet of patient records, opened with the lead's passphrase */
  notice: string;
  packetId: string;
  planHash: string;
  /** how many records the packet inside holds */
  records: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; keyBits: 256; tagBits: 128; iv: string };
  /** base64url (no padding) of the ciphertext with its GCM tag */
  ciphertext: string;
}

/** The additional authenticated data: the canonical JSON of the file without `ciphertext`. */
export function encryptedPacketAad(
  file: Omit<EncryptedPacket, 'ciphertext'> & { ciphertext?: unknown },
): string {
  const { ciphertext: _ignored, ...clear } = file;
  return canonicalJson(clear);
}

/** Migrations from older tags (none yet: v1 is the first). */
export const encryptedPacketMigrations: readonly Migration[] = [];

/** How `preflight.encryptedpacket/v1` is loaded (tag, schema); opened by `decryptPacket`. */
export const encryptedPacketFormat: FormatDefinition<EncryptedPacket> = {
  tag: ENCRYPTED_PACKET_FORMAT,
  title: FORMAT_FAMILIES.encryptedpacket,
  schemaId: ENCRYPTED_PACKET_SCHEMA_ID,
  validate: validateEncryptedPacket,
  migrations: encryptedPacketMigrations,
};

/** Loads an encrypted packet from parsed JSON (tag, schema). Never throws. */
export function loadEncryptedPacket(json: unknown): LoadResult<EncryptedPacket> {
  return loadDocument(encryptedPacketFormat, json);
}
