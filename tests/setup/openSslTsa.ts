/**
 * OpenSSL's own RFC 3161 time-stamp authority (`openssl ts -reply`) for tests: a throwaway CA, a
 * TSA certificate it issued (RSA, extended key usage timeStamping, named "Clinic Test TSA"), and a
 * stranger's self-signed certificate ("Someone Else"), in a folder of the caller's. `stampDigest`
 * asks the authority for a token over a digest with the request the server sends
 * (src/core/timeStamp), without HTTP; the server's own test puts the same authority behind an HTTP
 * handler with `answerTimeStampQuery`. What OpenSSL's TSA refuses to make (a token signed by a
 * certificate that is not for time-stamping, or dated outside its certificate) is an honest token's
 * TSTInfo signed again with `openssl cms -sign` (`resignToken`), by a certificate the same CA
 * issued (`issueCertificate`). `makeTestChain` adds a clinic's internal PKI — a root, an issuing
 * CA under it and a TSA's certificate it issued, with the links that must break a chain (a
 * certificate that is not a CA's issuing, a path length exceeded) — and `makeCrl` a CRL of one of
 * them with the revocation times and reasons a test gives (`openssl ca -gencrl` over a CA database
 * written here); `resignToken` can carry the intermediates a TSA sends with its own certificate.
 * Test-only: imported by *.test.ts files; needs the `openssl` program.
 *
 * Constraint: a folder is one authority's, and the calls here may be made at once in it. OpenSSL's
 * `ts -reply` reads its serial file, adds one and writes it back with no lock: two at once in one
 * folder refuse a request ("Error during serial number generation") or give two tokens one serial
 * number, so this module answers one query at a time per folder. Every other file a call writes
 * has a name of that call's own, and certificates get random serial numbers rather than a serial
 * file beside their issuer's.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { readTimeStampResponse, timeStampRequest } from '../../src/core/timeStamp/index.ts';

const run = promisify(execFile);

/** How long every certificate here is valid: long enough for a test run, short if one leaks. */
const VALID_DAYS = 2;

/**
 * `-newkey` arguments: EC P-256 keys, and RSA 2048 for the TSA's, so that the tokens carry an RSA
 * signature and the certificates ECDSA ones.
 */
const EC_P256 = ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const RSA_2048 = ['rsa:2048'];

/** The object identifier of a TSTInfo (id-ct-TSTInfo), the content a time-stamp token signs. */
const ID_CT_TST_INFO = '1.2.840.113549.1.9.16.1.4';

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

/** The files `makeTestAuthority` writes in its folder; each certificate's key is beside it (.key). */
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

/** `openssl` with `args`, run in `dir`. */
const openssl = (dir: string, ...args: string[]) => run('openssl', args, { cwd: dir });

/**
 * A new key `name`.key and, for "CN=`subject`", a request `name`.csr or, when `selfSigned`, a
 * certificate `name`.pem that key signs itself.
 */
async function newKey(
  dir: string,
  name: string,
  subject: string,
  { rsa = false, selfSigned = false }: { rsa?: boolean; selfSigned?: boolean } = {},
): Promise<void> {
  await openssl(
    dir,
    'req',
    ...(selfSigned ? ['-x509', '-days', String(VALID_DAYS)] : []),
    '-newkey',
    ...(rsa ? RSA_2048 : EC_P256),
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    selfSigned ? `${name}.pem` : `${name}.csr`,
    '-subj',
    `/CN=${subject}`,
  );
}

/**
 * A certificate's serial number: 16 random octets, positive (RFC 5280 §4.1.2.2). Not from a
 * serial file beside the issuer, which two certificates issued at once would both read.
 */
const randomSerial = () => {
  const octets = randomBytes(16);
  octets[0] = ((octets[0] ?? 0) & 0x7f) | 0x01;
  return `0x${octets.toString('hex')}`;
};

/** How `issueCertificate` makes a certificate, where the default does not fit. */
export interface IssueOptions {
  /** days it is valid from now (default 2) */
  days?: number;
  /** the file name (no .pem) of the certificate that issues it, its key beside it (default the CA) */
  issuer?: string;
  /** signed by its own key (a root), not by an issuer */
  selfSigned?: boolean;
  /** its common name (default: the file name) */
  subject?: string;
  /** an RSA 2048-bit key instead of EC P-256 */
  rsa?: boolean;
}

/**
 * A certificate `name`.pem (its new key `name`.key) the CA of {@link makeTestAuthority} in `dir`
 * issued, with `extensions` (an OpenSSL extension file's lines; none when empty).
 */
export async function issueCertificate(
  dir: string,
  name: string,
  extensions: string,
  { days = VALID_DAYS, subject = name, rsa = false, issuer = 'ca', selfSigned = false }: IssueOptions = {},
): Promise<void> {
  await newKey(dir, name, subject, { rsa });
  await writeFile(path.join(dir, `${name}.cnf`), `${extensions}\n`);
  await openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    ...(selfSigned
      ? ['-signkey', `${name}.key`]
      : ['-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', randomSerial()]),
    '-out',
    `${name}.pem`,
    '-days',
    String(days),
    ...(extensions === '' ? [] : ['-extfile', `${name}.cnf`]),
  );
}

/** A throwaway CA, a TSA certificate it issued (timeStamping), and a stranger's certificate, in `dir`. */
export async function makeTestAuthority(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'serial'), '01\n');
  await writeFile(path.join(dir, AUTHORITY_FILES.config), TS_CONFIG(dir));
  await newKey(dir, 'ca', 'Clinic Test CA', { selfSigned: true });
  await issueCertificate(dir, 'tsa', 'extendedKeyUsage = critical,timeStamping', {
    subject: 'Clinic Test TSA',
    rsa: true,
  });
  await newKey(dir, 'other', 'Someone Else', { selfSigned: true });
}

/** The extensions of a CA's certificate; `pathLen` limits the intermediates under it. */
const caExtensions = (pathLen?: number) =>
  `basicConstraints = critical,CA:TRUE${pathLen === undefined ? '' : `,pathlen:${pathLen}`}\nkeyUsage = critical,keyCertSign,cRLSign`;
/** The extensions of a TSA's certificate (RFC 3161 §2.3). */
const TSA_EXTENSIONS = 'extendedKeyUsage = critical,timeStamping';

/**
 * The certificates `makeTestChain` writes in its folder (file names without .pem; each key
 * beside it as .key), as a clinic's internal PKI issues them: a root, an issuing CA under it, and
 * the TSA's certificate the issuing CA issued — plus the links that must break a chain.
 */
export const CHAIN = {
  /** "Clinic Root CA", self-signed, CA:TRUE */
  root: 'chain-root',
  /** "Clinic Issuing CA", issued by the root, CA:TRUE pathlen:0, valid one day */
  issuing: 'chain-issuing',
  /** "Clinic TSA 2026", issued by the issuing CA, for time-stamping */
  tsa: 'chain-tsa',
  /** "Clinic Web Server", issued by the root, CA:FALSE */
  notCa: 'chain-not-ca',
  /** "Clinic TSA under a web server", issued by the web server's certificate */
  underNotCa: 'chain-under-not-ca',
  /** "Clinic Sub-issuing CA", issued by the issuing CA (whose pathlen:0 forbids it), CA:TRUE */
  subIssuing: 'chain-sub-issuing',
  /** "Clinic TSA too deep", issued by the sub-issuing CA */
  tooDeep: 'chain-too-deep',
  /** "Someone Else's Root", self-signed, CA:TRUE: a root that issued nothing here */
  otherRoot: 'chain-other-root',
} as const;

/** A root → issuing CA → TSA chain and the broken links of {@link CHAIN}, in `dir`. */
export async function makeTestChain(dir: string): Promise<void> {
  const ca = caExtensions();
  await issueCertificate(dir, CHAIN.root, ca, { subject: 'Clinic Root CA', selfSigned: true });
  await issueCertificate(dir, CHAIN.otherRoot, ca, { subject: "Someone Else's Root", selfSigned: true });
  await issueCertificate(dir, CHAIN.issuing, caExtensions(0), {
    subject: 'Clinic Issuing CA',
    issuer: CHAIN.root,
    days: 1,
  });
  await issueCertificate(dir, CHAIN.tsa, TSA_EXTENSIONS, {
    subject: 'Clinic TSA 2026',
    issuer: CHAIN.issuing,
  });
  await issueCertificate(dir, CHAIN.notCa, 'basicConstraints = critical,CA:FALSE', {
    subject: 'Clinic Web Server',
    issuer: CHAIN.root,
  });
  await issueCertificate(dir, CHAIN.underNotCa, TSA_EXTENSIONS, {
    subject: 'Clinic TSA under a web server',
    issuer: CHAIN.notCa,
  });
  await issueCertificate(dir, CHAIN.subIssuing, ca, {
    subject: 'Clinic Sub-issuing CA',
    issuer: CHAIN.issuing,
  });
  await issueCertificate(dir, CHAIN.tooDeep, TSA_EXTENSIONS, {
    subject: 'Clinic TSA too deep',
    issuer: CHAIN.subIssuing,
  });
}

/** A certificate a CRL lists: its file name (no .pem), when it was revoked, and the reason, if one. */
export interface RevokedEntry {
  name: string;
  at: Date;
  /** an OpenSSL reason name (superseded, keyCompromise, …); none when absent */
  reason?: string;
}

/** "YYMMDDHHMMSSZ", as OpenSSL's CA database writes a time. */
const caTime = (date: Date) => `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;

/**
 * A CRL `name`.crl (PEM, or DER when `der`) the certificate `issuer`.pem signs, listing
 * `revoked` — written as OpenSSL's CA database (`openssl ca -gencrl`), so the revocation times and
 * reasons are the test's.
 */
export async function makeCrl(
  dir: string,
  name: string,
  issuer: string,
  revoked: readonly RevokedEntry[],
  { der = false }: { der?: boolean } = {},
): Promise<void> {
  const lines: string[] = [];
  for (const entry of revoked) {
    const { stdout } = await openssl(dir, 'x509', '-noout', '-serial', '-in', `${entry.name}.pem`);
    const serial = stdout.trim().replace(/^serial=/, '');
    const when = `${caTime(entry.at)}${entry.reason === undefined ? '' : `,${entry.reason}`}`;
    lines.push(
      [
        'R',
        caTime(new Date(Date.now() + 86_400_000 * VALID_DAYS)),
        when,
        serial,
        'unknown',
        `/CN=${entry.name}`,
      ].join('\t'),
    );
  }
  await writeFile(path.join(dir, `${name}.index`), lines.map((l) => `${l}\n`).join(''));
  await writeFile(
    path.join(dir, `${name}.crl.cnf`),
    `[ ca ]\ndefault_ca = crl\n[ crl ]\ndatabase = ${path.join(dir, `${name}.index`)}\ndefault_md = sha256\ndefault_crl_days = ${VALID_DAYS}\n`,
  );
  const pem = `${name}.crl${der ? '.pem' : ''}`;
  await openssl(
    dir,
    'ca',
    '-gencrl',
    '-config',
    `${name}.crl.cnf`,
    '-cert',
    `${issuer}.pem`,
    '-keyfile',
    `${issuer}.key`,
    '-out',
    pem,
  );
  if (der) await openssl(dir, 'crl', '-in', pem, '-outform', 'DER', '-out', `${name}.crl`);
}

/** Per authority folder, the end of its queue of `ts -reply` runs (see the module's constraint). */
const replying = new Map<string, Promise<unknown>>();

/** `task` once every `ts -reply` asked of the authority in `dir` before it has ended. */
function inTurn<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const turn = (replying.get(dir) ?? Promise.resolve()).then(task);
  const settled = turn.catch(() => undefined);
  replying.set(dir, settled);
  void settled.then(() => {
    if (replying.get(dir) === settled) replying.delete(dir);
  });
  return turn;
}

/**
 * The DER of the authority's answer (a TimeStampResp) to the request bytes in `query`; its files
 * are `name`.tsq and `name`.tsr. Asked at once, the authority answers one query after the other.
 */
export function answerTimeStampQuery(dir: string, query: Uint8Array, name: string): Promise<Buffer> {
  return inTurn(dir, async () => {
    const queryFile = path.join(dir, `${name}.tsq`);
    const replyFile = path.join(dir, `${name}.tsr`);
    await writeFile(queryFile, query);
    await openssl(
      dir,
      'ts',
      '-reply',
      '-config',
      path.join(dir, AUTHORITY_FILES.config),
      '-queryfile',
      queryFile,
      '-out',
      replyFile,
    );
    return readFile(replyFile);
  });
}

/** A token (base64 DER) of the authority in `dir` over `digest`, asked for as the server asks. */
export async function stampDigest(dir: string, digest: Uint8Array): Promise<string> {
  const nonce = new Uint8Array(randomBytes(8));
  const answer = await answerTimeStampQuery(dir, timeStampRequest(digest, nonce), `stamp-${randomUUID()}`);
  const read = readTimeStampResponse(new Uint8Array(answer), digest, nonce);
  if (!read.ok) throw new Error(`OpenSSL's authority did not stamp: ${read.message}`);
  return Buffer.from(read.token).toString('base64');
}

/**
 * `token`'s TSTInfo, its time set to `genTime` when given, signed again as a time-stamp token by
 * the certificate `name`.pem in `dir` (with `openssl cms -sign`, signed attributes and the
 * certificate included, as a TSA signs), carrying as well the certificates `carried` names (file
 * names without .pem: the intermediates a TSA sends with its own).
 */
export async function resignToken(
  dir: string,
  token: string,
  name: string,
  genTime?: Date,
  carried: readonly string[] = [],
): Promise<string> {
  const content = AsnConvert.parse(Buffer.from(token, 'base64'), ContentInfo);
  const signed = AsnConvert.parse(content.content, SignedData);
  const tstInfo = AsnConvert.parse(
    signed.encapContentInfo.eContent?.single?.buffer ?? new ArrayBuffer(0),
    TSTInfo,
  );
  if (genTime !== undefined) tstInfo.genTime = genTime;
  // this call's own files: calls at once in one folder must not read each other's
  const call = `resign-${randomUUID()}`;
  await writeFile(path.join(dir, `${call}.tstinfo.der`), new Uint8Array(AsnConvert.serialize(tstInfo)));
  const pems = await Promise.all(carried.map((c) => readFile(path.join(dir, `${c}.pem`), 'utf8')));
  if (carried.length > 0) await writeFile(path.join(dir, `${call}.carried.pem`), pems.join(''));
  await openssl(
    dir,
    'cms',
    '-sign',
    '-binary',
    '-nodetach',
    '-outform',
    'DER',
    '-econtent_type',
    ID_CT_TST_INFO,
    '-md',
    'sha256',
    '-signer',
    `${name}.pem`,
    '-inkey',
    `${name}.key`,
    ...(carried.length === 0 ? [] : ['-certfile', `${call}.carried.pem`]),
    '-in',
    `${call}.tstinfo.der`,
    '-out',
    `${call}.resigned.der`,
  );
  return (await readFile(path.join(dir, `${call}.resigned.der`))).toString('base64');
}
