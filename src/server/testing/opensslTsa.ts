/**
 * OpenSSL's own time-stamp authority (`openssl ts -reply`) as the real one in tests: a throwaway
 * CA and a TSA certificate it issued, and tokens made by it — or, for what OpenSSL's TSA refuses
 * to make (a signer whose certificate is not for time-stamping, a token dated outside its
 * certificate), the same token's TSTInfo signed again with `openssl cms -sign`. Test-only:
 * imported by *.test.ts files.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { readTimeStampResponse, timeStampRequest, treeHeadStampDigest } from '../../core/timeStamp/index.ts';
import type { SignedTreeHead } from '../../core/transparency/index.ts';

const run = promisify(execFile);

const TS_CONFIG = (dir: string) => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/**
 * A throwaway CA, a TSA certificate it issued (timeStamping), and a stranger's certificate,
 * in `dir`: ca.pem, tsa.pem (its key tsa.key), other.pem; ts.cnf configures `openssl ts -reply`.
 */
export async function makeAuthority(dir: string): Promise<void> {
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await writeFile(path.join(dir, 'serial'), '01\n');
  await writeFile(path.join(dir, 'ts.cnf'), TS_CONFIG(dir));
  await writeFile(path.join(dir, 'ext.cnf'), 'extendedKeyUsage = critical,timeStamping\n');
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Clinic Test CA',
    '-days',
    '2',
  );
  await ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=Clinic Test TSA',
  );
  await ssl(
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'other.key',
    '-out',
    'other.pem',
    '-subj',
    '/CN=Someone Else',
    '-days',
    '2',
  );
}

/**
 * A certificate `name`.pem (key `name`.key, EC P-256) the CA in `dir` issued for `days` days,
 * with `extensions` (an OpenSSL extension file's lines; none when empty).
 */
export async function issueCertificate(
  dir: string,
  name: string,
  extensions: string,
  days = 2,
): Promise<void> {
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await ssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  await writeFile(path.join(dir, `${name}.cnf`), `${extensions}\n`);
  await ssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    String(days),
    ...(extensions === '' ? [] : ['-extfile', `${name}.cnf`]),
  );
}

/** A token (base64 DER) over `head` from the TSA of {@link makeAuthority} in `dir`. */
export async function stampWithOpenSsl(dir: string, head: SignedTreeHead): Promise<string> {
  const digest = treeHeadStampDigest(head);
  const nonce = Uint8Array.of(0x11, 0x22, 0x33, 0x44);
  await writeFile(path.join(dir, 'head.tsq'), timeStampRequest(digest, nonce));
  await run(
    'openssl',
    ['ts', '-reply', '-config', path.join(dir, 'ts.cnf'), '-queryfile', 'head.tsq', '-out', 'head.tsr'],
    { cwd: dir },
  );
  const read = readTimeStampResponse(
    new Uint8Array(await readFile(path.join(dir, 'head.tsr'))),
    digest,
    nonce,
  );
  if (!read.ok) throw new Error(read.message);
  return Buffer.from(read.token).toString('base64');
}

/**
 * `token`'s TSTInfo, its time set to `genTime` when given, signed again as a time-stamp token by
 * the certificate `name`.pem in `dir` (with `openssl cms -sign`, signed attributes and the
 * certificate included, as a TSA signs).
 */
export async function resignToken(dir: string, token: string, name: string, genTime?: Date): Promise<string> {
  const content = AsnConvert.parse(Buffer.from(token, 'base64'), ContentInfo);
  const signed = AsnConvert.parse(content.content, SignedData);
  const tstInfo = AsnConvert.parse(
    signed.encapContentInfo.eContent?.single?.buffer ?? new ArrayBuffer(0),
    TSTInfo,
  );
  if (genTime !== undefined) tstInfo.genTime = genTime;
  await writeFile(path.join(dir, 'tstinfo.der'), new Uint8Array(AsnConvert.serialize(tstInfo)));
  await run(
    'openssl',
    [
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-outform',
      'DER',
      '-econtent_type',
      '1.2.840.113549.1.9.16.1.4',
      '-md',
      'sha256',
      '-signer',
      `${name}.pem`,
      '-inkey',
      `${name}.key`,
      '-in',
      'tstinfo.der',
      '-out',
      'resigned.der',
    ],
    { cwd: dir },
  );
  return (await readFile(path.join(dir, 'resigned.der'))).toString('base64');
}
