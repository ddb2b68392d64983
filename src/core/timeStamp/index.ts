/**
 * RFC 3161 time-stamps of signed tree heads: an outside time-stamp authority's (TSA) signed word
 * that a head existed at its time. The server asks for one when it signs a head (`serve --tsa`);
 * a verifier checks that the token's message imprint is the head's digest, that the TSA's
 * signature verifies under its certificate, that the certificate is one for time-stamping (RFC
 * 3161 §2.3: its extended key usage is id-kp-timeStamping alone, marked critical) and valid when
 * the token says it was made, and that it is one the user trusts or issued by one — or, when the
 * user gives roots, that it chains to one of them and is not revoked by the CRLs given (chain.ts).
 *
 * Constraints: the imprint is SHA-256 over the UTF-8 of the RFC 8785 canonical JSON of the whole
 * signed head (project, size, rootHash, timestamp, keyId, signature) — so the stamp dates the
 * server's signature too; changing it breaks every stamp ever made. Tokens are carried as base64
 * of their DER. Parsing uses @peculiar/asn1-tsp and @peculiar/asn1-cms; signatures are checked
 * with the standard `crypto.subtle` (browsers, Node): RSA PKCS #1 v1.5 and ECDSA.
 */
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { MessageImprint, TimeStampReq, TimeStampResp, TSTInfo } from '@peculiar/asn1-tsp';
import {
  AlgorithmIdentifier,
  Certificate,
  CertificateList,
  ExtendedKeyUsage,
  id_ce_extKeyUsage,
  id_kp_timeStamping,
} from '@peculiar/asn1-x509';
import { canonicalJson, sha256Bytes } from '../hash/index.ts';
import type { SignedTreeHead } from '../transparency/index.ts';
import {
  equalBytes,
  HASH_OF,
  issuedBy,
  nameOf,
  OID,
  signedPartOf,
  unsigned,
  verifiedBy,
} from './certificates.ts';
import { type ChainCheck, checkChain } from './chain.ts';

export { type ReadCrl, readCrls } from './chain.ts';

/** The digest a head's time-stamp is over: SHA-256 of its canonical JSON, signature included. */
export function treeHeadStampDigest(head: SignedTreeHead): Uint8Array<ArrayBuffer> {
  const { project, size, rootHash, timestamp, keyId, signature } = head;
  return new Uint8Array(
    sha256Bytes(
      new TextEncoder().encode(canonicalJson({ project, size, rootHash, timestamp, keyId, signature })),
    ),
  );
}

/**
 * The content octets of the DER INTEGER whose value is `bytes` read as an unsigned big-endian
 * number: no leading zero octet beyond the one a high first bit needs. The ASN.1 library writes an
 * INTEGER's bytes as given, and a TSA that parses strictly (OpenSSL's among them) refuses a
 * request whose nonce starts with a zero octet before one below 0x80, or 0xFF before one of 0x80
 * or above — one random nonce in 256.
 */
function positiveInteger(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const value = bytes.length === 0 ? new Uint8Array(1) : unsigned(bytes);
  const high = (value[0] ?? 0) >= 0x80;
  const der = new Uint8Array(value.length + (high ? 1 : 0));
  der.set(value, high ? 1 : 0);
  return der;
}

/**
 * The DER of an RFC 3161 TimeStampReq for a SHA-256 `digest`, asking for the TSA's certificate.
 * Any bytes make a nonce: they are sent as the positive number they spell, which
 * {@link readTimeStampResponse} compares with the token's.
 */
export function timeStampRequest(digest: Uint8Array, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const request = new TimeStampReq({
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256, parameters: null }),
      hashedMessage: new OctetString(digest),
    }),
    nonce: positiveInteger(nonce).buffer,
    certReq: true,
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** A token's parts, or why it is not a time-stamp token. */
type ParsedToken =
  | { ok: true; signed: SignedData; info: TSTInfo; content: Uint8Array }
  | { ok: false; message: string };

function parseToken(der: Uint8Array): ParsedToken {
  try {
    const info = AsnConvert.parse(der, ContentInfo);
    if (info.contentType !== OID.signedData) return { ok: false, message: 'it is not CMS signed data' };
    const signed = AsnConvert.parse(info.content, SignedData);
    const encap = signed.encapContentInfo;
    const content = encap.eContent?.single?.buffer;
    if (encap.eContentType !== OID.tstInfo || content === undefined)
      return { ok: false, message: 'it holds no TSTInfo' };
    return { ok: true, signed, info: AsnConvert.parse(content, TSTInfo), content: new Uint8Array(content) };
  } catch (error) {
    return { ok: false, message: `it is not DER a time-stamp token (${(error as Error).message})` };
  }
}

/**
 * The token of a TSA's answer to {@link timeStampRequest}, checked to be granted and to be over
 * `digest` with `nonce`; or why not.
 */
export function readTimeStampResponse(
  der: Uint8Array,
  digest: Uint8Array,
  nonce: Uint8Array,
): { ok: true; token: Uint8Array } | { ok: false; message: string } {
  let response: TimeStampResp;
  try {
    response = AsnConvert.parse(der, TimeStampResp);
  } catch {
    return { ok: false, message: 'the answer is not an RFC 3161 time-stamp response' };
  }
  const status = response.status.status;
  if (status !== 0 && status !== 1) {
    const words = response.status.statusString?.join('; ') ?? '';
    return {
      ok: false,
      message: `the authority refused (status ${status}${words === '' ? '' : `: ${words}`})`,
    };
  }
  if (response.timeStampToken === undefined) return { ok: false, message: 'the answer holds no token' };
  const token = new Uint8Array(AsnConvert.serialize(response.timeStampToken));
  const parsed = parseToken(token);
  if (!parsed.ok) return { ok: false, message: `the token is not usable: ${parsed.message}` };
  if (!equalBytes(parsed.info.messageImprint.hashedMessage.buffer, digest))
    return { ok: false, message: 'the token is over another message' };
  if (
    parsed.info.nonce === undefined ||
    !equalBytes(unsigned(parsed.info.nonce), unsigned(positiveInteger(nonce)))
  )
    return { ok: false, message: "the token does not carry this request's nonce" };
  return { ok: true, token };
}

/**
 * Why a head's time-stamp was refused: `unreadable` (not base64 DER of a time-stamp token),
 * `other-head` (its message imprint is not this head's digest: a stamp of another head),
 * `unverifiable` (no signature this verifier can check), `signature` (its signed attributes are
 * not over its content, or no certificate's key verifies its signature: altered or forged), or
 * `untrusted` (over this head and verified, but by an authority no trusted certificate is or issued;
 * with roots given, one whose chain reaches none of them).
 */
export type TimeStampProblem =
  | 'unreadable'
  | 'other-head'
  | 'unverifiable'
  | 'signature'
  | 'untrusted'
  /** the signer's certificate is not one for time-stamping, or was not valid at the stamp's time */
  | 'certificate'
  /** with roots given: a link of the chain to one fails (a signature, a CA flag, a path length, a validity) */
  | 'chain'
  /** with CRLs given: a certificate of the chain was revoked as RFC 3161 §4 counts it */
  | 'revoked';

/**
 * The roots a clinic trusts for its time-stamps (`signoff verify --tsa-ca`), and the CRLs of its
 * CAs (`--tsa-crl`, the DER of each: {@link readCrls}), checked at each stamp's time.
 */
export interface StampTrustChain {
  roots: readonly Uint8Array[];
  crls?: readonly Uint8Array[];
}

/** What the check of a head's time-stamp found. */
export type TimeStampCheck =
  | {
      ok: true;
      time: string;
      authority: string;
      /** with a chain checked: what was or was not known of its revocation, in words */
      notes?: string[];
    }
  | {
      ok: false;
      problem: TimeStampProblem;
      message: string;
      /**
       * set when `problem` is `untrusted`: the authority's name, the time it stamped, and the DER of
       * the certificate whose key verified the signature
       */
      untrusted?: string;
      time?: string;
      signer?: Uint8Array;
    };

const base64Bytes = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

/**
 * The DER SET of already-encoded elements, in the order given. The signed attributes are signed
 * as a SET, not as their [0] IMPLICIT tag in the SignerInfo; as parsed from DER they are already
 * in DER order, and each attribute's values are kept as their bytes, so this re-makes them exactly.
 */
function derSet(elements: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const length = elements.reduce((sum, e) => sum + e.length, 0);
  const lengthBytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
  const header = length < 0x80 ? [0x31, length] : [0x31, 0x80 | lengthBytes.length, ...lengthBytes];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const e of elements) {
    out.set(e, at);
    at += e.length;
  }
  return out;
}

/** Whether `cert` is `trusted` itself or is signed by it. */
async function chainsTo(cert: Certificate, trusted: Certificate): Promise<boolean> {
  const der = AsnConvert.serialize(cert);
  if (equalBytes(der, AsnConvert.serialize(trusted))) return true;
  return issuedBy(trusted, cert.signatureAlgorithm.algorithm, cert.signatureValue, signedPartOf(cert));
}

/** The certificates of a PEM text (one or more `CERTIFICATE` blocks). */
export function certificatesOfPem(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const match of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const bytes = base64Bytes((match[1] ?? '').replace(/\s+/g, ''));
    if (bytes !== undefined) out.push(bytes);
  }
  return out;
}

/**
 * Why `cert` may not sign time-stamps, or undefined when it may: RFC 3161 §2.3 asks for exactly
 * one extended key usage, id-kp-timeStamping, in an extension marked critical.
 */
function notForTimeStamping(cert: Certificate): string | undefined {
  const usages = (cert.tbsCertificate.extensions ?? []).filter((e) => e.extnID === id_ce_extKeyUsage);
  const [usage] = usages;
  if (usage === undefined) return 'it names no extended key usage';
  if (usages.length > 1) return 'it names its extended key usage twice';
  let purposes: string[];
  try {
    purposes = [...AsnConvert.parse(usage.extnValue, ExtendedKeyUsage)];
  } catch {
    return 'its extended key usage cannot be read';
  }
  if (purposes.length !== 1 || purposes[0] !== id_kp_timeStamping)
    return `its extended key usage is ${purposes.join(', ') || 'empty'}, not id-kp-timeStamping (${id_kp_timeStamping}) alone`;
  if (!usage.critical) return 'its extended key usage id-kp-timeStamping is not marked critical';
  return undefined;
}

/**
 * Checks the RFC 3161 token (base64 DER) carried with `head`: its message imprint is the head's
 * digest ({@link treeHeadStampDigest}), its signed attributes hold the TSTInfo's digest, the
 * TSA's signature verifies under the certificate it names, that certificate is for time-stamping
 * (RFC 3161 §2.3) and valid at the token's time, and it is one of `trusted` (DER) or signed by
 * one. With `chain`, `trusted` are only intermediates: the certificate must instead chain to one
 * of `chain.roots` through those and the ones the token carries, and not be revoked by
 * `chain.crls` (src/core/timeStamp/chain.ts says the rules). Never throws.
 */
export async function checkTreeHeadStamp(
  head: SignedTreeHead,
  tokenBase64: string,
  trusted: readonly Uint8Array[],
  chain?: StampTrustChain,
): Promise<TimeStampCheck> {
  const der = base64Bytes(tokenBase64);
  if (der === undefined) return { ok: false, problem: 'unreadable', message: 'its time-stamp is not base64' };
  const parsed = parseToken(der);
  if (!parsed.ok)
    return {
      ok: false,
      problem: 'unreadable',
      message: `its time-stamp is not a time-stamp token: ${parsed.message}`,
    };
  const { signed, info, content } = parsed;
  if (
    info.messageImprint.hashAlgorithm.algorithm !== OID.sha256 ||
    !equalBytes(info.messageImprint.hashedMessage.buffer, treeHeadStampDigest(head))
  )
    return {
      ok: false,
      problem: 'other-head',
      message: "its time-stamp is over another message than this head: it is not this head's stamp",
    };
  const signer = signed.signerInfos[0];
  const hash = signer === undefined ? undefined : HASH_OF[signer.digestAlgorithm.algorithm];
  if (signer?.signedAttrs === undefined || hash === undefined)
    return {
      ok: false,
      problem: 'unverifiable',
      message: 'its time-stamp has no signature this verifier can check',
    };
  const attribute = (oid: string) => signer.signedAttrs?.find((a) => a.attrType === oid)?.attrValues[0];
  const digestAttr = attribute(OID.messageDigest);
  const typeAttr = attribute(OID.contentType);
  const contentDigest = await crypto.subtle.digest(hash, new Uint8Array(content));
  if (
    digestAttr === undefined ||
    typeAttr === undefined ||
    !equalBytes(AsnConvert.parse(digestAttr, OctetString).buffer, contentDigest)
  )
    return {
      ok: false,
      problem: 'signature',
      message: "its time-stamp's signed attributes are not over its content",
    };
  const certs = (signed.certificates ?? []).flatMap((c) =>
    c.certificate === undefined ? [] : [c.certificate],
  );
  const trustedCerts = trusted.map((t) => AsnConvert.parse(t, Certificate));
  const sid = signer.sid.issuerAndSerialNumber;
  const candidates = [...certs, ...trustedCerts].filter(
    (c) => sid === undefined || equalBytes(c.tbsCertificate.serialNumber, sid.serialNumber),
  );
  const signedBytes = derSet(signer.signedAttrs.map((a) => new Uint8Array(AsnConvert.serialize(a))));
  const signature = new Uint8Array(signer.signature.buffer);
  for (const cert of candidates) {
    if (!(await verifiedBy(cert, hash, signature, signedBytes))) continue;
    const notForStamps = notForTimeStamping(cert);
    if (notForStamps !== undefined)
      return {
        ok: false,
        problem: 'certificate',
        message: `its time-stamp is signed by ${nameOf(cert)}, whose certificate is not one for time-stamping: ${notForStamps} (RFC 3161 asks for id-kp-timeStamping alone, marked critical)`,
      };
    const { notBefore, notAfter } = cert.tbsCertificate.validity;
    const made = info.genTime.getTime();
    if (made < notBefore.getTime().getTime() || made > notAfter.getTime().getTime())
      return {
        ok: false,
        problem: 'certificate',
        message: `its time-stamp says it was made at ${info.genTime.toISOString()}, when the certificate of ${nameOf(cert)} was not valid (from ${notBefore.getTime().toISOString()} to ${notAfter.getTime().toISOString()})`,
      };
    if (chain !== undefined) {
      let checked: ChainCheck;
      try {
        checked = await checkChain(
          cert,
          [...certs, ...trustedCerts],
          chain.roots.map((r) => AsnConvert.parse(r, Certificate)),
          chain.crls?.map((c) => AsnConvert.parse(c, CertificateList)),
          info.genTime,
        );
      } catch {
        checked = { ok: false, problem: 'chain', message: 'a root or a CRL you gave cannot be read' };
      }
      if (checked.ok)
        return {
          ok: true,
          time: info.genTime.toISOString(),
          authority: nameOf(cert),
          ...(checked.notes.length === 0 ? {} : { notes: checked.notes }),
        };
      return {
        ok: false,
        problem: checked.problem,
        message: `its time-stamp is signed by ${nameOf(cert)}, whose certificate ${checked.problem === 'revoked' ? 'is revoked' : 'does not chain to a root you trust (--tsa-ca)'}: ${checked.message}`,
        ...(checked.problem === 'untrusted'
          ? {
              untrusted: nameOf(cert),
              time: info.genTime.toISOString(),
              signer: new Uint8Array(AsnConvert.serialize(cert)),
            }
          : {}),
      };
    }
    for (const anchor of trustedCerts)
      if (await chainsTo(cert, anchor))
        return { ok: true, time: info.genTime.toISOString(), authority: nameOf(cert) };
    return {
      ok: false,
      problem: 'untrusted',
      message: `its time-stamp is signed by ${nameOf(cert)}, whose certificate is not one you trust nor issued by one (--tsa-cert)`,
      untrusted: nameOf(cert),
      time: info.genTime.toISOString(),
      signer: new Uint8Array(AsnConvert.serialize(cert)),
    };
  }
  return { ok: false, problem: 'signature', message: "its time-stamp's signature does not verify" };
}

/** What a witness made of the time-stamp carried with a head ({@link witnessTreeHeadStamp}). */
export type WitnessedStamp =
  /** the head carries none: the server has no authority, or it did not answer when the head was signed */
  | { status: 'unstamped' }
  /**
   * over this head, signed by `authority` at `time` (ISO); `certificate` (base64 DER) is the
   * authority's certificate the witness trusts from now on
   */
  | { status: 'stamped'; time: string; authority: string; certificate: string }
  /**
   * over this head and verified, but signed by `authority`, not the `trustedAuthority` kept;
   * `certificate` (base64 DER) is the one it verifies under, for the witness to take in its place
   * when the clinic confirms it changed its authority
   */
  | {
      status: 'other-authority';
      time: string;
      authority: string;
      trustedAuthority: string;
      certificate: string;
    }
  /** not a stamp of this head, or one whose signature fails: `problem` says which */
  | { status: 'refused'; problem: Exclude<TimeStampProblem, 'untrusted'>; message: string };

const base64Of = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/**
 * A witness's check of the stamp carried with `head`, trusting the authority it saw first, as it
 * trusts the log key: with none kept yet (`trusted` undefined), a stamp over this head whose
 * signature verifies under the certificate it carries is taken, and that certificate is returned
 * for the witness to keep; after, a stamp must verify under the kept certificate (base64 DER) or
 * one it issued. What a witness cannot know is which authority the clinic trusts: that is
 * `signoff verify --tsa-cert`'s. Never throws.
 */
export async function witnessTreeHeadStamp(head: SignedTreeHead, trusted?: string): Promise<WitnessedStamp> {
  if (typeof head.timeStamp !== 'string') return { status: 'unstamped' };
  const anchor = trusted === undefined ? undefined : base64Bytes(trusted);
  const check = await checkTreeHeadStamp(head, head.timeStamp, anchor === undefined ? [] : [anchor]);
  if (check.ok)
    return {
      status: 'stamped',
      time: check.time,
      authority: check.authority,
      certificate: trusted ?? '',
    };
  if (check.problem !== 'untrusted')
    return { status: 'refused', problem: check.problem, message: check.message };
  const name = check.untrusted ?? 'an unnamed authority';
  const time = check.time ?? '';
  if (anchor === undefined)
    return {
      status: 'stamped',
      time,
      authority: name,
      certificate: check.signer === undefined ? '' : base64Of(check.signer),
    };
  let trustedAuthority = 'an unnamed authority';
  try {
    trustedAuthority = nameOf(AsnConvert.parse(anchor, Certificate));
  } catch {
    // a kept certificate this witness cannot read: named as unnamed
  }
  return {
    status: 'other-authority',
    time,
    authority: name,
    trustedAuthority,
    certificate: check.signer === undefined ? '' : base64Of(check.signer),
  };
}
