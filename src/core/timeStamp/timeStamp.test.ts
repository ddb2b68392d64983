/**
 * A head's RFC 3161 time-stamp checked by the core the CLI and the browser share, against tokens
 * of OpenSSL's own authority (tests/setup/openSslTsa.ts): a table of what `checkTreeHeadStamp`
 * makes of a stamp (over the head or another, altered, by an authority trusted or not) and what a
 * witness that trusts the first authority it saw (`witnessTreeHeadStamp`) makes of the same; and
 * that a request's nonce, whatever its random bytes, is one the authority reads.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TimeStampReq } from '@peculiar/asn1-tsp';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTHORITY_FILES,
  answerTimeStampQuery,
  makeTestAuthority,
  stampDigest,
} from '../../../tests/setup/openSslTsa.ts';
import type { SignedTreeHead } from '../transparency/index.ts';
import {
  certificatesOfPem,
  checkTreeHeadStamp,
  readTimeStampResponse,
  timeStampRequest,
  treeHeadStampDigest,
  type WitnessedStamp,
  witnessTreeHeadStamp,
} from './index.ts';

const HEAD: SignedTreeHead = {
  project: 'p1',
  size: 7,
  rootHash: 'ab'.repeat(32),
  timestamp: '2026-05-04T09:00:00.000Z',
  keyId: 'cd'.repeat(8),
  signature: 'ef'.repeat(64),
};
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

let dir: string;
/** the head with the authority's stamp over it */
let stamped: SignedTreeHead;
/** its token with one byte of the signature changed */
let altered: string;
const pem: Record<'ca' | 'tsa' | 'other', Uint8Array> = {} as never;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-stamp-'));
  await makeTestAuthority(dir);
  for (const which of ['ca', 'tsa', 'other'] as const)
    [pem[which]] = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES[which]), 'utf8')) as [
      Uint8Array,
    ];
  stamped = { ...HEAD, timeStamp: await stampDigest(dir, treeHeadStampDigest(HEAD)) };
  const bytes = Buffer.from(stamped.timeStamp as string, 'base64');
  bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
  altered = bytes.toString('base64');
}, 30_000);
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('checkTreeHeadStamp', () => {
  const cases: {
    description: string;
    head: () => SignedTreeHead;
    token: () => string;
    trusted: () => Uint8Array[];
    expected: () => object;
  }[] = [
    {
      description: 'over the head, by the authority the CA issued: its name and time',
      head: () => stamped,
      token: () => stamped.timeStamp as string,
      trusted: () => [pem.ca],
      expected: () => ({
        ok: true,
        authority: 'Clinic Test TSA',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    },
    {
      description: 'the authority’s own certificate trusted',
      head: () => stamped,
      token: () => stamped.timeStamp as string,
      trusted: () => [pem.tsa],
      expected: () => ({ ok: true, authority: 'Clinic Test TSA' }),
    },
    {
      description: 'moved to another head (one entry more)',
      head: () => ({ ...stamped, size: stamped.size + 1 }),
      token: () => stamped.timeStamp as string,
      trusted: () => [pem.ca],
      expected: () => ({ ok: false, problem: 'other-head' }),
    },
    {
      description: 'its signature altered',
      head: () => stamped,
      token: () => altered,
      trusted: () => [pem.ca],
      expected: () => ({ ok: false, problem: 'signature' }),
    },
    {
      description: 'by an authority no trusted certificate is or issued: named, with its certificate',
      head: () => stamped,
      token: () => stamped.timeStamp as string,
      trusted: () => [pem.other],
      expected: () => ({ ok: false, problem: 'untrusted', untrusted: 'Clinic Test TSA', signer: pem.tsa }),
    },
    {
      description: 'not a token',
      head: () => stamped,
      token: () => base64(new Uint8Array([48, 3, 2, 1, 1])),
      trusted: () => [pem.ca],
      expected: () => ({ ok: false, problem: 'unreadable' }),
    },
  ];
  it.each(cases)('$description', async ({ head, token, trusted, expected }) => {
    expect(await checkTreeHeadStamp(head(), token(), trusted())).toMatchObject(expected());
  });
});

describe('witnessTreeHeadStamp: the first authority seen is trusted after', () => {
  const cases: {
    description: string;
    head: () => SignedTreeHead;
    trusted: () => string | undefined;
    expected: () => WitnessedStamp | object;
  }[] = [
    {
      description: 'a head without a stamp is no error',
      head: () => HEAD,
      trusted: () => base64(pem.tsa),
      expected: () => ({ status: 'unstamped' }),
    },
    {
      description: 'first seen: taken, and its authority’s certificate given to keep',
      head: () => stamped,
      trusted: () => undefined,
      expected: () => ({ status: 'stamped', authority: 'Clinic Test TSA', certificate: base64(pem.tsa) }),
    },
    {
      description: 'by the authority kept',
      head: () => stamped,
      trusted: () => base64(pem.tsa),
      expected: () => ({ status: 'stamped', authority: 'Clinic Test TSA', certificate: base64(pem.tsa) }),
    },
    {
      description: 'by another authority than the one kept: both named',
      head: () => stamped,
      trusted: () => base64(pem.other),
      expected: () => ({
        status: 'other-authority',
        authority: 'Clinic Test TSA',
        trustedAuthority: 'Someone Else',
        time: expect.any(String),
        // the one it verifies under, for the lead to accept in place of the one kept
        certificate: base64(pem.tsa),
      }),
    },
    {
      description: 'first seen, but a stamp of another head',
      head: () => ({ ...stamped, rootHash: '00'.repeat(32) }),
      trusted: () => undefined,
      expected: () => ({ status: 'refused', problem: 'other-head' }),
    },
    {
      description: 'first seen, its signature altered',
      head: () => ({ ...stamped, timeStamp: altered }),
      trusted: () => undefined,
      expected: () => ({ status: 'refused', problem: 'signature' }),
    },
  ];
  it.each(cases)('$description', async ({ head, trusted, expected }) => {
    expect(await witnessTreeHeadStamp(head(), trusted())).toMatchObject(expected());
  });
});

describe('the nonce of a request', () => {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const numberOf = (bytes: Uint8Array) => BigInt(`0x${hex(bytes) || '0'}`);

  // random bytes start so one time in 256; OpenSSL refused those requests as badly formed
  it.each([
    ['a zero octet before one below 0x80', '0001020304050607'],
    ['0xFF before one of 0x80 or above', 'ff80010203040506'],
    ['a zero octet before one of 0x80 or above', '0081020304050607'],
    ['a high first bit', '8001020304050607'],
    ['only zero octets', '0000000000000000'],
  ])('starting with %s, is read by OpenSSL’s authority and found in its token', async (_, nonceHex) => {
    const nonce = new Uint8Array(Buffer.from(nonceHex, 'hex'));
    const digest = treeHeadStampDigest(HEAD);
    const answer = await answerTimeStampQuery(dir, timeStampRequest(digest, nonce), `nonce-${nonceHex}`);
    expect(readTimeStampResponse(new Uint8Array(answer), digest, nonce)).toMatchObject({ ok: true });
  });

  it('is sent as the positive number its bytes spell, in the one encoding DER allows', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (nonce) => {
        const sent = AsnConvert.parse(timeStampRequest(new Uint8Array(32), nonce), TimeStampReq).nonce;
        const octets = new Uint8Array(sent ?? new ArrayBuffer(0));
        expect(octets.length).toBeGreaterThan(0);
        // positive: the first bit is the sign
        expect(octets[0]).toBeLessThan(0x80);
        // minimal: a leading zero octet only where the next one's first bit is set
        if (octets.length > 1 && octets[0] === 0) expect(octets[1]).toBeGreaterThanOrEqual(0x80);
        expect(numberOf(octets)).toBe(numberOf(nonce));
      }),
    );
  });
});
