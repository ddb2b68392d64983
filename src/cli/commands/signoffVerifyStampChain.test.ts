/**
 * `preflight signoff verify --tsa-ca <root> [--tsa-cert <intermediate>] [--tsa-crl <crl>]` on a
 * project audit export whose head a clinic's TSA stamped under its internal PKI: root → issuing CA
 * → TSA (tests/setup/openSslTsa.ts `makeTestChain`, made once for the file). OpenSSL's own TSA
 * makes the honest token; the chain's TSA signs its TSTInfo again (`resignToken`, carrying the
 * issuing CA's certificate as a TSA sends it), at a later time where a case needs one. Each case
 * runs the CLI's own function: a good chain (by a root named alone, in a bundle, repeated, or with
 * the intermediate given rather than carried) exits 0; a wrong root, a broken link, or a
 * certificate revoked as RFC 3161 §4 counts it exits 1 naming the certificate and why. With
 * `--seen OLD`, the same head stamped in OLD and unstamped in the file is a stamp taken off.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogKey } from '../../../tests/setup/logKeys.ts';
import {
  CHAIN,
  issueCertificate,
  makeCrl,
  makeTestAuthority,
  makeTestChain,
  resignToken,
  stampDigest,
} from '../../../tests/setup/openSslTsa.ts';
import { treeHeadStampDigest } from '../../core/timeStamp/index.ts';
import {
  auditTreeRoot,
  proofsOfRecords,
  type SignedTreeHead,
  type TreeHead,
  treeHeadMessage,
} from '../../core/transparency/index.ts';
import { GENESIS_HASH } from '../../formats/genesis.ts';
import {
  PROJECT_AUDIT_FORMAT,
  type ProjectAuditFile,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../../formats/projectAudit.ts';
import { runCli } from '../cliTestKit.ts';

const HOUR = 3_600_000;
const lena = { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead' };

let dir: string;
/** the export, its head not yet stamped */
let audit: ProjectAuditFile;
let head: SignedTreeHead;
/** tokens over the head, by which certificate and when */
const tokens: Record<string, string> = {};

/** A one-entry project log as the server writes it, its head signed by a log key. */
async function signedExport(): Promise<ProjectAuditFile> {
  const content = {
    seq: 1,
    at: '2026-05-04T09:00:00.000Z',
    kind: 'project-created',
    actor: lena,
    detail: { project: 'p1' },
    prevHash: GENESIS_HASH,
    projectSeq: 1,
    projectPrevHash: GENESIS_HASH,
  };
  const entries: ServerAuditRecord[] = [{ ...content, hash: serverAuditEntryHash(content) }];
  const key = await testLogKey();
  const unsigned: TreeHead = {
    project: 'p1',
    size: 1,
    rootHash: auditTreeRoot(entries.map((e) => e.hash)),
    timestamp: content.at,
  };
  const { keyId, publicKey } = key.record;
  return {
    format: PROJECT_AUDIT_FORMAT,
    project: 'p1',
    entries,
    head: { projectSeq: 1, hash: entries[0]?.hash ?? '', at: content.at },
    treeHead: { ...unsigned, keyId, signature: await key.signBytes(treeHeadMessage(unsigned)) },
    logKey: { keyId, publicKey, algorithm: 'Ed25519' },
    inclusionProofs: proofsOfRecords(entries),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-stamp-chain-'));
  audit = await signedExport();
  head = audit.treeHead as SignedTreeHead;
  await makeTestAuthority(dir);
  await makeTestChain(dir);
  const honest = await stampDigest(dir, treeHeadStampDigest(head));
  const now = Date.now();
  const carried = [CHAIN.issuing];
  tokens.good = await resignToken(dir, honest, CHAIN.tsa, undefined, carried);
  tokens.bare = await resignToken(dir, honest, CHAIN.tsa);
  // the authority's certificate renewed: a new key, the same issuing CA
  await issueCertificate(dir, 'chain-tsa-renewed', 'extendedKeyUsage = critical,timeStamping', {
    subject: 'Clinic TSA 2027',
    issuer: CHAIN.issuing,
  });
  // stamped after the renewal, the honest stamp's time being before it
  tokens.renewed = await resignToken(dir, honest, 'chain-tsa-renewed', new Date(Date.now() + HOUR), carried);
  tokens.underNotCa = await resignToken(dir, honest, CHAIN.underNotCa, undefined, [CHAIN.notCa]);
  tokens.tooDeep = await resignToken(dir, honest, CHAIN.tooDeep, undefined, [CHAIN.subIssuing, ...carried]);
  // the issuing CA is valid one day, the TSA's certificate two
  tokens.issuingExpired = await resignToken(dir, honest, CHAIN.tsa, new Date(now + 36 * HOUR), carried);
  tokens.tsaExpired = await resignToken(dir, honest, CHAIN.tsa, new Date(now + 72 * HOUR), carried);
  const revoked = (at: number, reason?: string) => [
    { name: CHAIN.tsa, at: new Date(at), ...(reason === undefined ? {} : { reason }) },
  ];
  await makeCrl(dir, 'revoked-before', CHAIN.issuing, revoked(now - HOUR, 'superseded'));
  await makeCrl(dir, 'superseded-after', CHAIN.issuing, revoked(now + HOUR, 'superseded'), { der: true });
  await makeCrl(dir, 'compromised-after', CHAIN.issuing, revoked(now + HOUR, 'keyCompromise'));
  await makeCrl(dir, 'no-reason-after', CHAIN.issuing, revoked(now + HOUR));
  await makeCrl(dir, 'clean', CHAIN.issuing, []);
  await makeCrl(dir, 'root', CHAIN.root, []);
  // a CRL in the issuing CA's name, signed by a key of someone else's
  await issueCertificate(dir, 'forger', 'basicConstraints = critical,CA:TRUE', {
    subject: 'Clinic Issuing CA',
    selfSigned: true,
  });
  await makeCrl(dir, 'forged', 'forger', []);
  const bundle = await Promise.all(
    [CHAIN.otherRoot, CHAIN.root].map((c) => readFile(path.join(dir, `${c}.pem`), 'utf8')),
  );
  await writeFile(path.join(dir, 'roots.pem'), bundle.join(''));
}, 60_000);
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** `signoff verify` of the export with `token` on its head, and `args`. */
async function verify(token: string, args: string[]) {
  const file = `export-${Object.keys(tokens).find((k) => tokens[k] === token)}.json`;
  await writeFile(
    path.join(dir, file),
    JSON.stringify({ ...audit, treeHead: { ...head, timeStamp: token } }),
  );
  return runCli(['signoff', 'verify', file, ...args], dir);
}

const ca = (name: string) => ['--tsa-ca', `${name}.pem`];
const STAMPED = /tree head of project p1 over 1 entries: time-stamped by Clinic TSA 2026 at \d{4}-/;

describe('signoff verify --tsa-ca: a time-stamp chained to the clinic’s root', () => {
  const cases: { description: string; token: string; args: () => string[]; code: number; says: RegExp }[] = [
    {
      description: 'root → issuing CA (carried by the token) → TSA: stamped, its time printed',
      token: 'good',
      args: () => ca(CHAIN.root),
      code: 0,
      says: STAMPED,
    },
    {
      description: 'the authority’s certificate renewed: the same root verifies it, no new pin',
      token: 'renewed',
      args: () => ca(CHAIN.root),
      code: 0,
      says: /time-stamped by Clinic TSA 2027 at \d{4}-/,
    },
    {
      description: 'the root in a bundle with another',
      token: 'good',
      args: () => ['--tsa-ca', 'roots.pem'],
      code: 0,
      says: STAMPED,
    },
    {
      description: 'roots repeated',
      token: 'good',
      args: () => [...ca(CHAIN.otherRoot), ...ca(CHAIN.root)],
      code: 0,
      says: STAMPED,
    },
    {
      description: 'the issuing CA given with --tsa-cert when the token does not carry it',
      token: 'bare',
      args: () => [...ca(CHAIN.root), '--tsa-cert', `${CHAIN.issuing}.pem`],
      code: 0,
      says: STAMPED,
    },
    {
      description: 'the issuing CA neither carried nor given: named as missing',
      token: 'bare',
      args: () => ca(CHAIN.root),
      code: 1,
      says: /TIME-STAMP REFUSED: .*Clinic TSA 2026, whose certificate does not chain to a root you trust \(--tsa-ca\): the certificate of Clinic TSA 2026 was issued by Clinic Issuing CA, which is not a root you trust \(--tsa-ca\), and whose certificate the token does not carry/,
    },
    {
      description: 'a wrong root: the chain’s own root is named',
      token: 'good',
      args: () => ca(CHAIN.otherRoot),
      code: 1,
      says: /does not chain to a root you trust \(--tsa-ca\): the certificate of Clinic Issuing CA was issued by Clinic Root CA, which is not a root you trust/,
    },
    {
      description: 'an intermediate that is not a CA',
      token: 'underNotCa',
      args: () => ca(CHAIN.root),
      code: 1,
      says: /the certificate of Clinic Web Server, which issued Clinic TSA under a web server's, is not a CA's: its basic constraints do not say CA:TRUE/,
    },
    {
      description: 'an intermediate under one whose pathlen:0 forbids it',
      token: 'tooDeep',
      args: () => ca(CHAIN.root),
      code: 1,
      says: /the certificate of Clinic Issuing CA, which issued Clinic Sub-issuing CA's, allows 0 intermediate certificates under it \(pathLen\), and this chain has 1/,
    },
    {
      description: 'the issuing CA expired at the stamp’s time (the TSA’s certificate still valid)',
      token: 'issuingExpired',
      args: () => ca(CHAIN.root),
      code: 1,
      says: /the certificate of Clinic Issuing CA, which issued Clinic TSA 2026's, was not valid at the stamp's time \d{4}-.* \(valid from/,
    },
    {
      description: 'the TSA’s certificate expired at the stamp’s time',
      token: 'tsaExpired',
      args: () => ca(CHAIN.root),
      code: 1,
      says: /made at \d{4}-.*, when the certificate of Clinic TSA 2026 was not valid/,
    },
    {
      description: 'CRL: revoked before the stamp’s time',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'revoked-before.crl'],
      code: 1,
      says: /whose certificate is revoked: Clinic TSA 2026's certificate was revoked by Clinic Issuing CA at \d{4}-.* \(superseded\), before the stamp's time/,
    },
    {
      description: 'CRL (DER): superseded after the stamp’s time: stands, with a note',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'superseded-after.crl'],
      code: 0,
      says: /time-stamped by Clinic TSA 2026 at .*\n.*: note: Clinic TSA 2026's certificate was revoked by Clinic Issuing CA at .* \(superseded\), after the stamp's time .*: the stamp stands/,
    },
    {
      description: 'CRL: key compromised after the stamp’s time: every stamp of the key refused',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'compromised-after.crl'],
      code: 1,
      says: /\(keyCompromise\), after the stamp's time, but for a reason that RFC 3161 §4 says invalidates every stamp/,
    },
    {
      description: 'CRL: revoked after the stamp’s time with no reason: refused',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'no-reason-after.crl'],
      code: 1,
      says: /\(no reason given\), after the stamp's time, but without a reason/,
    },
    {
      description: 'CRLs of both CAs, nothing revoked: each link said checked',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'clean.crl', '--tsa-crl', 'root.crl'],
      code: 0,
      says: /note: Clinic TSA 2026's certificate is not revoked in Clinic Issuing CA's CRL of .*\n.*note: Clinic Issuing CA's certificate is not revoked in Clinic Root CA's CRL/,
    },
    {
      description: 'a CRL in the issuing CA’s name that its key did not sign',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'forged.crl'],
      code: 1,
      says: /the CRL named as Clinic Issuing CA's does not verify under its key: altered, or not its CRL/,
    },
    {
      description: 'only the root’s CRL: the TSA’s revocation said unchecked',
      token: 'good',
      args: () => [...ca(CHAIN.root), '--tsa-crl', 'root.crl'],
      code: 0,
      says: /note: no CRL given is by Clinic Issuing CA, which issued Clinic TSA 2026's certificate: its revocation was not checked/,
    },
  ];
  it.each(cases)('$description', async ({ token, args, code, says }) => {
    const result = await verify(tokens[token] as string, args());
    expect(result.out).toMatch(says);
    expect(result.code).toBe(code);
  });

  it('refuses --tsa-crl without --tsa-ca, and a file that is not a CRL, as usage', async () => {
    const alone = await verify(tokens.good as string, ['--tsa-crl', 'clean.crl']);
    expect(alone).toMatchObject({ code: 2, err: expect.stringMatching(/give --tsa-ca with --tsa-crl/) });
    const notCrl = await verify(tokens.good as string, [...ca(CHAIN.root), '--tsa-crl', `${CHAIN.root}.pem`]);
    expect(notCrl).toMatchObject({
      code: 2,
      err: expect.stringMatching(/cannot use the CRL in .*: it is not a CRL/),
    });
  });
});

describe('signoff verify NEW --seen OLD: a head that lost its time-stamp', () => {
  /** OLD holds the head with `token` on it; NEW holds `newHead`; both written to the folder */
  async function verifySeen(token: string | undefined, newHead: SignedTreeHead, args: string[] = []) {
    const old = { ...audit, treeHead: { ...head, ...(token === undefined ? {} : { timeStamp: token }) } };
    await writeFile(path.join(dir, 'old.json'), JSON.stringify(old));
    await writeFile(path.join(dir, 'new.json'), JSON.stringify({ ...audit, treeHead: newHead }));
    return runCli(['signoff', 'verify', 'new.json', '--seen', 'old.json', ...args], dir);
  }
  const REMOVED =
    /new\.json: TIME-STAMP REMOVED: tree head of project p1 over 1 entries: old\.json holds this very head \(the same signature\) time-stamped by Clinic TSA 2026 at \d{4}-.*, and here it carries no stamp: the server stamps a head once, when it signs it, and keeps the stamp with it, so the stamp was taken off after old\.json was exported/;

  it('is exit 1 when the earlier stamp verifies under the authority the user trusts', async () => {
    const result = await verifySeen(tokens.good, head, ca(CHAIN.root));
    expect(result.out).toMatch(REMOVED);
    expect(result.code).toBe(1);
  });

  it('is a warning when no authority is named: the earlier stamp could be anyone’s', async () => {
    const result = await verifySeen(tokens.good, head);
    expect(result.out).toMatch(
      /new\.json: WARNING: tree head of project p1 over 1 entries: old\.json holds this very head \(the same signature\) time-stamped by Clinic TSA 2026, and here it carries no stamp: if that authority is the clinic's, .* Give --tsa-cert/,
    );
    expect(result.code).toBe(0);
  });

  it('blames no one for an earlier stamp that is not over the head', async () => {
    const bytes = Buffer.from(tokens.good as string, 'base64');
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    const result = await verifySeen(bytes.toString('base64'), head, ca(CHAIN.root));
    expect(result.out).toMatch(
      /old\.json holds it with a time-stamp that does not verify .* nothing is said/,
    );
    expect(result.out).not.toMatch(/REMOVED/);
    expect(result.code).toBe(0);
  });

  it('says nothing when the head kept its stamp, or was never stamped', async () => {
    for (const [token, newHead] of [
      [tokens.good, { ...head, timeStamp: tokens.good }],
      [undefined, head],
    ] as const) {
      const result = await verifySeen(token, newHead, ca(CHAIN.root));
      expect(result.out).not.toMatch(/REMOVED|holds this very head/);
      expect(result.code).toBe(0);
    }
  });
});
