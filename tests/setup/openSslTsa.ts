/**
 * OpenSSL's own RFC 3161 time-stamp authority (`openssl ts -reply`) for tests: a throwaway CA, a
 * TSA certificate it issued (RSA, extended key usage timeStamping, named "Clinic Test TSA"), and a
 * stranger's self-signed certificate ("Someone Else"), in a folder of the caller's. `stamp` asks
 * the authority for a token over a digest with the request the server sends (src/core/timeStamp),
 * without HTTP; the server's own test puts the same authority behind an HTTP handler.
 * Test-only: imported by *.test.ts files; needs the `openssl` program.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { readTimeStampResponse, timeStampRequest } from '../../src/core/timeStamp/index.ts';

const run = promisify(execFile);

/** The authority's `openssl ts` configuration, its files in `dir`. */
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

/** The files `makeTestAuthority` writes in its folder. */
export const AUTHORITY_FILES = {
  /** the configuration `openssl ts -reply -config` reads */
  config: 'ts.cnf',
  /** the CA that issued the TSA's certificate (PEM) */
  ca: 'ca.pem',
  /** the TSA's own certificate (PEM) */
  tsa: 'tsa.pem',
  /** a certificate that issued nothing of the authority's (PEM) */
  other: 'other.pem',
} as const;

/** A throwaway CA, a TSA certificate it issued (timeStamping), and a stranger's certificate, in `dir`. */
export async function makeTestAuthority(dir: string): Promise<void> {
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ecRoot = (key: string, cert: string, name: string) =>
    ssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
    );
  await writeFile(path.join(dir, 'serial'), '01\n');
  await writeFile(path.join(dir, AUTHORITY_FILES.config), TS_CONFIG(dir));
  await writeFile(path.join(dir, 'ext.cnf'), 'extendedKeyUsage = critical,timeStamping\n');
  await ecRoot('ca.key', AUTHORITY_FILES.ca, 'Clinic Test CA');
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
    AUTHORITY_FILES.ca,
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    AUTHORITY_FILES.tsa,
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
  await ecRoot('other.key', AUTHORITY_FILES.other, 'Someone Else');
}

/** The DER of the authority's answer (a TimeStampResp) to the request bytes in `query`. */
export async function answerTimeStampQuery(dir: string, query: Uint8Array, name: string): Promise<Buffer> {
  const queryFile = path.join(dir, `${name}.tsq`);
  const replyFile = path.join(dir, `${name}.tsr`);
  await writeFile(queryFile, query);
  await run('openssl', [
    'ts',
    '-reply',
    '-config',
    path.join(dir, AUTHORITY_FILES.config),
    '-queryfile',
    queryFile,
    '-out',
    replyFile,
  ]);
  return readFile(replyFile);
}

let stamps = 0;

/** A token (base64 DER) of the authority in `dir` over `digest`, asked for as the server asks. */
export async function stampDigest(dir: string, digest: Uint8Array): Promise<string> {
  const nonce = new Uint8Array(randomBytes(8));
  const answer = await answerTimeStampQuery(dir, timeStampRequest(digest, nonce), `stamp${++stamps}`);
  const read = readTimeStampResponse(new Uint8Array(answer), digest, nonce);
  if (!read.ok) throw new Error(`OpenSSL's authority did not stamp: ${read.message}`);
  return Buffer.from(read.token).toString('base64');
}
