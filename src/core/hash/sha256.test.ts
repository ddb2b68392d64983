/**
 * The one-shot SHA-256 through WebCrypto gives the digest the pure-JS hash gives, for a whole
 * buffer and for a view over part of one, and falls back to it where WebCrypto is missing.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex, sha256HexAsync } from './sha256.ts';

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
const nodeHex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sha256HexAsync', () => {
  it('gives the FIPS 180-2 digest of "abc"', async () => {
    expect(await sha256HexAsync(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes a view over its own bytes only, as sha256Hex does', async () => {
    const view = bytes.subarray(1_000, 200_001);
    expect(await sha256HexAsync(view)).toBe(nodeHex(view));
    expect(await sha256HexAsync(view)).toBe(sha256Hex(view));
  });

  it('falls back to the pure-JS hash without WebCrypto (a page outside a secure context)', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(await sha256HexAsync(bytes)).toBe(nodeHex(bytes));
  });
});
