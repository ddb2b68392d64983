/**
 * The certificate behind a time-stamp of a signed tree head, as `signoff verify` checks it
 * (src/core/timeStamp `checkTreeHeadStamp`): OpenSSL's own TSA makes the honest token; what it
 * refuses to make — a token signed by a certificate that is not for time-stamping, or dated
 * outside its certificate's validity — is the same token's content signed again with `openssl cms`.
 * Each is refused in its own words; the TSA's certificate itself, or the CA that issued it, is
 * trusted with `--tsa-cert`, a stranger's is not. No server: tokens are made by OpenSSL directly.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueCertificate,
  makeTestAuthority,
  resignToken,
  stampDigest,
} from '../../tests/setup/openSslTsa.ts';
import { certificatesOfPem, checkTreeHeadStamp, treeHeadStampDigest } from '../core/timeStamp/index.ts';
import type { SignedTreeHead } from '../core/transparency/index.ts';

const HEAD: SignedTreeHead = {
  project: 'p1',
  size: 12,
  rootHash: 'a'.repeat(64),
  timestamp: '2026-05-04T09:00:00.000Z',
  keyId: 'b'.repeat(64),
  signature: 'c'.repeat(128),
};

let dir: string;
let token: string;
const pem = async (name: string) => certificatesOfPem(await readFile(path.join(dir, `${name}.pem`), 'utf8'));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-tsa-cert-'));
  await makeTestAuthority(dir);
  await issueCertificate(dir, 'tsa-loose', 'extendedKeyUsage = timeStamping');
  await issueCertificate(dir, 'tsa-none', '');
  await issueCertificate(dir, 'tsa-broad', 'extendedKeyUsage = critical,timeStamping,serverAuth');
  token = await stampDigest(dir, treeHeadStampDigest(HEAD));
}, 60_000);
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the certificate of a tree head’s time-stamp', () => {
  it('passes OpenSSL’s token under the CA or the TSA’s own certificate, and not under a stranger’s', async () => {
    expect(await checkTreeHeadStamp(HEAD, token, await pem('ca'))).toMatchObject({
      ok: true,
      authority: 'Clinic Test TSA',
    });
    expect(await checkTreeHeadStamp(HEAD, token, await pem('tsa'))).toMatchObject({ ok: true });
    // signed again by the same TSA (as OpenSSL's cms signs): the checks below see only what changed
    expect(
      await checkTreeHeadStamp(HEAD, await resignToken(dir, token, 'tsa'), await pem('ca')),
    ).toMatchObject({
      ok: true,
    });
    expect(await checkTreeHeadStamp(HEAD, token, await pem('other'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /Clinic Test TSA, whose certificate is not one you trust nor issued by one/,
      ),
      untrusted: 'Clinic Test TSA',
    });
  });

  it.each([
    {
      signer: 'tsa-none',
      says: /tsa-none, whose certificate is not one for time-stamping: it names no extended key usage/,
    },
    {
      signer: 'tsa-loose',
      says: /not one for time-stamping: its extended key usage id-kp-timeStamping is not marked critical/,
    },
    {
      signer: 'tsa-broad',
      says: /not one for time-stamping: its extended key usage is 1\.3\.6\.1\.5\.5\.7\.3\.8, 1\.3\.6\.1\.5\.5\.7\.3\.1, not id-kp-timeStamping .* alone/,
    },
  ])('refuses a token signed by $signer, a certificate not for time-stamping', async ({ signer, says }) => {
    const resigned = await resignToken(dir, token, signer);
    // refused with or without a certificate the user trusts: the token alone shows it
    for (const trusted of [await pem('ca'), []]) {
      const check = await checkTreeHeadStamp(HEAD, resigned, trusted);
      expect(check).toEqual({ ok: false, problem: 'certificate', message: expect.stringMatching(says) });
    }
  });

  it('refuses a token dated outside its certificate’s validity', async () => {
    const backdated = await resignToken(dir, token, 'tsa', new Date('2020-01-01T00:00:00Z'));
    expect(await checkTreeHeadStamp(HEAD, backdated, await pem('ca'))).toEqual({
      ok: false,
      problem: 'certificate',
      message: expect.stringMatching(
        /made at 2020-01-01T00:00:00\.000Z, when the certificate of Clinic Test TSA was not valid \(from \d{4}-.* to \d{4}-/,
      ),
    });
  });
});
