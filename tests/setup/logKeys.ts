/**
 * Log keys for tests: a fresh Ed25519 key with its record, and the record of a rotation to
 * another key, signed by the key before (or by a forger). One copy for the core's, the CLI's
 * and the browser's tests of the chain of keys.
 */
import { type LogKeyRecord, logKeyId, logKeyRotationMessage } from '../../src/core/transparency/index.ts';

const hex = (b: ArrayBuffer) => Buffer.from(b).toString('hex');

/** A log key of a test's server: its record (not yet rotated to) and a signer of any message. */
export interface TestLogKey {
  record: LogKeyRecord;
  /** hex of the signature of `message` with this key */
  signBytes(message: Uint8Array<ArrayBuffer>): Promise<string>;
}

/** A fresh Ed25519 log key made at `createdAt`. */
export async function testLogKey(createdAt = '2026-05-04T09:00:00.000Z'): Promise<TestLogKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = hex(await crypto.subtle.exportKey('raw', pair.publicKey));
  const record: LogKeyRecord = { keyId: logKeyId(publicKey), publicKey, algorithm: 'Ed25519', createdAt };
  const signBytes = async (message: Uint8Array<ArrayBuffer>) =>
    hex(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, message));
  return { record, signBytes };
}

/** `next` as rotated to from `before`, the handover signed by `by` (the key before, unless forged). */
export async function rotatedTo(
  before: TestLogKey,
  next: TestLogKey,
  by: TestLogKey = before,
): Promise<LogKeyRecord> {
  return {
    ...next.record,
    rotatedFrom: {
      keyId: before.record.keyId,
      signature: await by.signBytes(logKeyRotationMessage(next.record, before.record.keyId)),
    },
  };
}
