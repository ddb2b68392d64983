/**
 * The test helper that plays a time-stamp authority with OpenSSL (tests/setup/openSslTsa.ts), asked
 * for several things at once in one folder, as a test that stamps heads in parallel or a server
 * test whose authority answers requests as they come does: every stamp granted with a serial
 * number of its own, every token re-signed with its own time, every certificate issued with a
 * serial number of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, makeTestAuthority, resignToken, stampDigest } from '../setup/openSslTsa.ts';

const run = promisify(execFile);

/** How many things are asked at once: measured, eight stamps at once lost about a third to the race. */
const AT_ONCE = 8;

/** A token's TSTInfo. */
function tstInfoOf(token: string): TSTInfo {
  const content = AsnConvert.parse(Buffer.from(token, 'base64'), ContentInfo);
  const signed = AsnConvert.parse(content.content, SignedData);
  return AsnConvert.parse(signed.encapContentInfo.eContent?.single?.buffer ?? new ArrayBuffer(0), TSTInfo);
}

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(new Uint8Array(bytes)).toString('hex');
const digests = Array.from({ length: AT_ONCE }, (_, i) => new Uint8Array(32).fill(i + 1));

describe('OpenSSL’s test authority asked for several things at once in one folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-tsa-at-once-'));
    await makeTestAuthority(dir);
  }, 30_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('grants every stamp, each over its digest with a serial number of its own', async () => {
    const tokens = await Promise.all(digests.map((digest) => stampDigest(dir, digest)));
    const infos = tokens.map(tstInfoOf);
    expect(infos.map((info) => hex(info.messageImprint.hashedMessage.buffer))).toEqual(digests.map(hex));
    expect(new Set(infos.map((info) => hex(info.serialNumber))).size).toBe(AT_ONCE);
  });

  it('re-signs every token with the time it was given', async () => {
    const token = await stampDigest(dir, digests[0] as Uint8Array);
    const times = digests.map((_, i) => new Date(Date.UTC(2026, 0, 1 + i)));
    const resigned = await Promise.all(times.map((time) => resignToken(dir, token, 'tsa', time)));
    expect(resigned.map((t) => tstInfoOf(t).genTime.toISOString())).toEqual(
      times.map((t) => t.toISOString()),
    );
  });

  it('issues every certificate, each with a serial number of its own', async () => {
    const names = digests.map((_, i) => `at-once-${i}`);
    await Promise.all(names.map((name) => issueCertificate(dir, name, '')));
    const serials = await Promise.all(
      names.map(
        async (name) =>
          (await run('openssl', ['x509', '-noout', '-serial', '-in', `${name}.pem`], { cwd: dir })).stdout,
      ),
    );
    expect(new Set(serials).size).toBe(AT_ONCE);
  });
});
