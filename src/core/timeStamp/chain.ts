/**
 * The chain from a time-stamp's signing certificate to a root the clinic trusts, and its CRLs,
 * checked offline at the stamp's time (internal to src/core/timeStamp). A clinic's TSA certificate
 * is usually issued by an internal CA through an intermediate and renewed every year or two:
 * trusting the root lets every renewal verify without a new pin.
 *
 * Rules (RFC 5280 §6, as far as a time-stamp needs them): each certificate is signed by the next,
 * each is valid at the stamp's genTime (not now: a stamp made under a certificate since expired
 * still stands), each issuer below the root says CA:TRUE (basic constraints) and, when it names a
 * key usage, keyCertSign, and no CA's pathLenConstraint is exceeded. A root is a trust anchor: its
 * own signature and basic constraints are not asked for, its validity and path length are.
 * Revocation follows RFC 3161 §4: a certificate revoked at or before the stamp's time refuses the
 * stamp; revoked after it, the stamp stands only when the CRL gives a reason that says the key was
 * retired, not compromised (unspecified, affiliationChanged, superseded, cessationOfOperation) —
 * with no reason, or another, every stamp of that key is invalid.
 *
 * Constraint: a CRL is used only when its signature verifies under the certificate in the chain
 * that issued it; a CRL with a critical extension this module does not read (a partitioned or a
 * delta CRL) is refused when loaded, never half-read.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  type Certificate,
  CertificateList,
  CRLReason,
  CRLReasons,
  InvalidityDate,
  id_ce_basicConstraints,
  id_ce_cRLReasons,
  id_ce_invalidityDate,
  id_ce_keyUsage,
  KeyUsage,
  KeyUsageFlags,
} from '@peculiar/asn1-x509';
import { commonNameOf, equalBytes, issuedBy, nameOf, signedPartOf, unsigned } from './certificates.ts';

/** How many certificates a chain may hold, the signer's and the root's included. */
const MAX_CHAIN = 8;

/** The CRL reasons after which RFC 3161 §4 lets stamps made before the revocation stand. */
const RETIRED_NOT_COMPROMISED: ReadonlySet<CRLReasons> = new Set([
  CRLReasons.unspecified,
  CRLReasons.affiliationChanged,
  CRLReasons.superseded,
  CRLReasons.cessationOfOperation,
]);

/** What the chain check found: notes to say beside an accepted stamp, or why it is refused. */
export type ChainCheck =
  | { ok: true; notes: string[] }
  | { ok: false; problem: 'untrusted' | 'chain' | 'revoked'; message: string };

const derOf = (value: object): ArrayBuffer => AsnConvert.serialize(value);
const sameCertificate = (a: Certificate, b: Certificate) => equalBytes(derOf(a), derOf(b));
const issuerNamed = (cert: Certificate, issuer: Certificate) =>
  equalBytes(derOf(cert.tbsCertificate.issuer), derOf(issuer.tbsCertificate.subject));
const iso = (date: Date) => date.toISOString();

function extensionOf<T>(cert: Certificate, oid: string, type: new () => T): T | undefined {
  const found = cert.tbsCertificate.extensions?.find((e) => e.extnID === oid);
  return found === undefined ? undefined : AsnConvert.parse(found.extnValue, type);
}

/** Why `cert` was not valid at `at`, or undefined when it was. */
function notValidAt(cert: Certificate, at: Date): string | undefined {
  const { notBefore, notAfter } = cert.tbsCertificate.validity;
  if (at < notBefore.getTime() || at > notAfter.getTime())
    return `was not valid at the stamp's time ${iso(at)} (valid from ${iso(notBefore.getTime())} to ${iso(notAfter.getTime())})`;
  return undefined;
}

/**
 * Why `issuer` may not issue a certificate with `below` intermediates under it, or undefined. An
 * anchor (a root the user gave) is not asked to say CA:TRUE, but its pathLenConstraint holds.
 */
function cannotIssue(issuer: Certificate, below: number, anchor: boolean): string | undefined {
  let constraints: BasicConstraints | undefined;
  let usage: KeyUsage | undefined;
  try {
    constraints = extensionOf(issuer, id_ce_basicConstraints, BasicConstraints);
    usage = extensionOf(issuer, id_ce_keyUsage, KeyUsage);
  } catch {
    return 'has basic constraints or a key usage that cannot be read';
  }
  if (!anchor && constraints?.cA !== true)
    return "is not a CA's: its basic constraints do not say CA:TRUE, so it may issue no certificate";
  if (!anchor && usage !== undefined && (usage.toNumber() & KeyUsageFlags.keyCertSign) === 0)
    return 'has a key usage without keyCertSign, so it may issue no certificate';
  const limit = constraints?.pathLenConstraint;
  if (limit !== undefined && below > limit)
    return `allows ${limit} intermediate certificate${limit === 1 ? '' : 's'} under it (pathLen), and this chain has ${below}`;
  return undefined;
}

/** A found chain, signer first and trusted root last, or why none is found. */
type Path =
  | { ok: true; chain: Certificate[] }
  | { ok: false; problem: 'untrusted' | 'chain'; message: string };

/** Extends `chain` (signer first) towards one of `roots`, trying each issuer the name and signature fit. */
async function extend(
  chain: Certificate[],
  pool: readonly Certificate[],
  roots: readonly Certificate[],
  at: Date,
): Promise<Path> {
  const cert = chain.at(-1) as Certificate;
  const name = nameOf(cert);
  if (roots.some((r) => sameCertificate(r, cert))) return { ok: true, chain };
  const issuerName = commonNameOf(cert.tbsCertificate.issuer);
  const named = [...roots, ...pool].filter(
    (c) => issuerNamed(cert, c) && !chain.some((held) => sameCertificate(held, c)),
  );
  if (named.length === 0)
    return {
      ok: false,
      problem: 'untrusted',
      message: issuerNamed(cert, cert)
        ? `it ends at ${name}, a self-signed certificate that is not a root you trust (--tsa-ca)`
        : `the certificate of ${name} was issued by ${issuerName}, which is not a root you trust (--tsa-ca), and whose certificate the token does not carry nor --tsa-cert gives`,
    };
  let failure: Path | undefined;
  for (const issuer of named) {
    const anchor = roots.some((r) => sameCertificate(r, issuer));
    if (
      !(await issuedBy(issuer, cert.signatureAlgorithm.algorithm, cert.signatureValue, signedPartOf(cert)))
    ) {
      failure ??= {
        ok: false,
        problem: 'chain',
        message: `the certificate of ${name} does not verify under the key of ${nameOf(issuer)}, the issuer it names: altered, or not issued by it`,
      };
      continue;
    }
    const why = notValidAt(issuer, at) ?? cannotIssue(issuer, chain.length - 1, anchor);
    if (why !== undefined) {
      failure ??= {
        ok: false,
        problem: 'chain',
        message: `the certificate of ${nameOf(issuer)}, which issued ${name}'s, ${why}`,
      };
      continue;
    }
    if (anchor) return { ok: true, chain: [...chain, issuer] };
    if (chain.length + 1 >= MAX_CHAIN) {
      failure ??= {
        ok: false,
        problem: 'chain',
        message: `it is longer than ${MAX_CHAIN} certificates without reaching a root you trust (--tsa-ca)`,
      };
      continue;
    }
    const further = await extend([...chain, issuer], pool, roots, at);
    if (further.ok) return further;
    failure ??= further;
  }
  return failure as Path;
}

/** A CRL read from a file: its DER, or why it cannot be used. */
export type ReadCrl = { ok: true; der: Uint8Array } | { ok: false; message: string };

const CRL_PEM = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/**
 * The CRLs of a file's bytes: PEM (one or more `X509 CRL` blocks) or one DER CRL. A CRL with a
 * critical extension, or an entry with one, that this module does not read is refused, as RFC
 * 5280 §5 asks.
 */
export function readCrls(bytes: Uint8Array): ReadCrl[] {
  const text = new TextDecoder().decode(bytes);
  const blocks = [...text.matchAll(CRL_PEM)].map((m) =>
    Uint8Array.from(atob((m[1] ?? '').replace(/\s+/g, '')), (c) => c.charCodeAt(0)),
  );
  return (blocks.length > 0 ? blocks : [bytes]).map((der): ReadCrl => {
    let crl: CertificateList;
    try {
      crl = AsnConvert.parse(der, CertificateList);
    } catch {
      return { ok: false, message: 'it is not a CRL (PEM or DER)' };
    }
    const known = new Set([id_ce_cRLReasons, id_ce_invalidityDate]);
    const critical = [
      ...(crl.tbsCertList.crlExtensions ?? []),
      ...(crl.tbsCertList.revokedCertificates ?? []).flatMap((r) => r.crlEntryExtensions ?? []),
    ].find((e) => e.critical && !known.has(e.extnID));
    if (critical !== undefined)
      return {
        ok: false,
        message: `it has a critical extension ${critical.extnID} this verifier does not read (a partitioned, indirect or delta CRL): give the CA's full CRL`,
      };
    return { ok: true, der };
  });
}

/** What the CRLs say of `cert`, issued by `issuer`, at the stamp's time `at`: a note, a refusal, or nothing. */
async function revocationOf(
  cert: Certificate,
  issuer: Certificate,
  crls: readonly CertificateList[],
  at: Date,
): Promise<{ note?: string; refused?: string }> {
  const name = nameOf(cert);
  const issuerName = nameOf(issuer);
  const byIssuer = crls.filter((c) =>
    equalBytes(derOf(c.tbsCertList.issuer), derOf(issuer.tbsCertificate.subject)),
  );
  if (byIssuer.length === 0)
    return {
      note: `no CRL given is by ${issuerName}, which issued ${name}'s certificate: its revocation was not checked`,
    };
  const notes: string[] = [];
  for (const crl of byIssuer) {
    const signed = crl.tbsCertListRaw ?? derOf(crl.tbsCertList);
    if (!(await issuedBy(issuer, crl.signatureAlgorithm.algorithm, crl.signature, signed)))
      return {
        refused: `the CRL named as ${issuerName}'s does not verify under its key: altered, or not its CRL`,
      };
    const usage = extensionOf(issuer, id_ce_keyUsage, KeyUsage);
    if (usage !== undefined && (usage.toNumber() & KeyUsageFlags.cRLSign) === 0)
      return { refused: `${issuerName}'s key usage does not allow it to sign CRLs, so its CRL says nothing` };
    const issued = crl.tbsCertList.thisUpdate.getTime();
    const entry = (crl.tbsCertList.revokedCertificates ?? []).find((r) =>
      equalBytes(unsigned(r.userCertificate), unsigned(cert.tbsCertificate.serialNumber)),
    );
    if (entry === undefined) {
      notes.push(
        issued < at
          ? `${name}'s certificate is not revoked in ${issuerName}'s CRL of ${iso(issued)}, issued before the stamp's time: a revocation since is not in it`
          : `${name}'s certificate is not revoked in ${issuerName}'s CRL of ${iso(issued)}`,
      );
      continue;
    }
    const extension = (oid: string) => entry.crlEntryExtensions?.find((e) => e.extnID === oid)?.extnValue;
    const reasonBytes = extension(id_ce_cRLReasons);
    const invalidBytes = extension(id_ce_invalidityDate);
    const reason = reasonBytes === undefined ? undefined : AsnConvert.parse(reasonBytes, CRLReason).reason;
    const invalid =
      invalidBytes === undefined ? undefined : AsnConvert.parse(invalidBytes, InvalidityDate).value;
    const revokedAt = entry.revocationDate.getTime();
    // the key may have been unsafe from the invalidity date the CA gives, before it revoked
    const unsafeFrom = invalid !== undefined && invalid < revokedAt ? invalid : revokedAt;
    const words = `${name}'s certificate was revoked by ${issuerName} at ${iso(unsafeFrom)} (${reason === undefined ? 'no reason given' : CRLReasons[reason]})`;
    if (unsafeFrom <= at) return { refused: `${words}, before the stamp's time ${iso(at)}` };
    if (reason === undefined || !RETIRED_NOT_COMPROMISED.has(reason))
      return {
        refused: `${words}, after the stamp's time, but ${reason === undefined ? 'without a reason' : 'for a reason'} that RFC 3161 §4 says invalidates every stamp its key made`,
      };
    notes.push(
      `${words}, after the stamp's time ${iso(at)}: the stamp stands, as RFC 3161 §4 keeps stamps made before a key was retired`,
    );
  }
  return notes.length === 0 ? {} : { note: notes.join('; ') };
}

/**
 * Checks that `signer` chains to one of `roots` through certificates of `pool` (those the token
 * carries and those the user gave as intermediates), every link as the header says, at the stamp's
 * time `at`; then, when `crls` are given, that no certificate in the chain was revoked as RFC 3161
 * §4 counts it. The signer's own extended key usage and validity are the caller's. Never throws.
 */
export async function checkChain(
  signer: Certificate,
  pool: readonly Certificate[],
  roots: readonly Certificate[],
  crls: readonly CertificateList[] | undefined,
  at: Date,
): Promise<ChainCheck> {
  try {
    const path = await extend([signer], pool, roots, at);
    if (!path.ok) return path;
    const anchor = path.chain.at(-1) as Certificate;
    const why = notValidAt(anchor, at);
    if (why !== undefined)
      return { ok: false, problem: 'chain', message: `the root certificate of ${nameOf(anchor)} ${why}` };
    const notes: string[] = [];
    if (crls !== undefined)
      for (const [i, cert] of path.chain.slice(0, -1).entries()) {
        const found = await revocationOf(cert, path.chain[i + 1] as Certificate, crls, at);
        if (found.refused !== undefined) return { ok: false, problem: 'revoked', message: found.refused };
        if (found.note !== undefined) notes.push(found.note);
      }
    return { ok: true, notes };
  } catch (error) {
    return {
      ok: false,
      problem: 'chain',
      message: `a certificate of its chain cannot be read (${(error as Error).message})`,
    };
  }
}
