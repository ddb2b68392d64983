/**
 * X.509 helpers the time-stamp checks share (internal to src/core/timeStamp): which hash a
 * signature algorithm names, whether a certificate's key verifies a signature (WebCrypto: RSA
 * PKCS #1 v1.5 and ECDSA on P-256, P-384, P-521), and a certificate's name in words.
 *
 * Constraint: signatures are checked over the bytes as they were signed (a certificate's or a
 * CRL's TBS part as parsed, never re-encoded), so an encoding the parser would normalise cannot
 * make a forged signature pass or an honest one fail.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Certificate, Name } from '@peculiar/asn1-x509';

/** Object identifiers the time-stamp checks read. */
export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  rsa: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  commonName: '2.5.4.3',
} as const;

/** The hash of a digest algorithm, or of a signature algorithm (RSA PKCS #1 v1.5, ECDSA). */
export const HASH_OF: Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

/** EC curves by the hex of their OBJECT IDENTIFIER's DER (an EC key's algorithm parameters). */
const CURVE_OF: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  '06082a8648ce3d030107': 'P-256',
  '06052b81040022': 'P-384',
  '06052b81040023': 'P-521',
};

const hexOf = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Whether two byte strings are equal. */
export const equalBytes = (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean => {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** An INTEGER's bytes without leading zero octets (the DER of a positive number may add one). */
export const unsigned = (bytes: ArrayBuffer | Uint8Array): Uint8Array => {
  const all = new Uint8Array(bytes);
  let i = 0;
  while (i < all.length - 1 && all[i] === 0) i++;
  return all.subarray(i);
};

/** An ECDSA signature's DER (SEQUENCE of r, s) as the fixed-width r‖s WebCrypto verifies. */
function ecdsaRaw(der: Uint8Array, curve: 'P-256' | 'P-384' | 'P-521'): Uint8Array<ArrayBuffer> {
  const width = curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66;
  const out = new Uint8Array(2 * width);
  let at = 2 + (der[1] === 0x81 ? 1 : 0);
  for (const part of [0, 1]) {
    const length = der[at + 1] ?? 0;
    const value = unsigned(der.subarray(at + 2, at + 2 + length));
    out.set(value, (part + 1) * width - value.length);
    at += 2 + length;
  }
  return out;
}

/** Whether `signature` over `data` verifies under the certificate's key with `hash`. */
export async function verifiedBy(
  cert: Certificate,
  hash: 'SHA-256' | 'SHA-384' | 'SHA-512',
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  const spki = cert.tbsCertificate.subjectPublicKeyInfo;
  const der = new Uint8Array(AsnConvert.serialize(spki));
  try {
    if (spki.algorithm.algorithm === OID.rsa) {
      const key = await crypto.subtle.importKey('spki', der, { name: 'RSASSA-PKCS1-v1_5', hash }, false, [
        'verify',
      ]);
      return await crypto.subtle.verify(
        'RSASSA-PKCS1-v1_5',
        key,
        new Uint8Array(signature),
        new Uint8Array(data),
      );
    }
    if (spki.algorithm.algorithm === OID.ecPublicKey && spki.algorithm.parameters) {
      const curve = CURVE_OF[hexOf(spki.algorithm.parameters)];
      if (curve === undefined) return false;
      const key = await crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: curve }, false, [
        'verify',
      ]);
      return await crypto.subtle.verify(
        { name: 'ECDSA', hash },
        key,
        ecdsaRaw(signature, curve),
        new Uint8Array(data),
      );
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Whether `signed` (the DER of a certificate's or a CRL's TBS part, as signed), signed with
 * `algorithm` to `signature`, verifies under `issuer`'s key.
 */
export async function issuedBy(
  issuer: Certificate,
  algorithm: string,
  signature: ArrayBuffer,
  signed: ArrayBuffer,
): Promise<boolean> {
  const hash = HASH_OF[algorithm];
  if (hash === undefined) return false;
  return verifiedBy(issuer, hash, new Uint8Array(signature), new Uint8Array(signed));
}

/** The DER a certificate's TBS part was signed as: the bytes parsed, or re-encoded when built here. */
export const signedPartOf = (cert: Certificate): ArrayBuffer =>
  cert.tbsCertificateRaw ?? AsnConvert.serialize(cert.tbsCertificate);

/** The common name of `name`, or words saying it has none. */
export function commonNameOf(name: Name, none = 'an unnamed authority'): string {
  for (const rdn of name)
    for (const attribute of rdn) if (attribute.type === OID.commonName) return attribute.value.toString();
  return none;
}

/** A certificate's subject's common name. */
export const nameOf = (cert: Certificate): string => commonNameOf(cert.tbsCertificate.subject);
