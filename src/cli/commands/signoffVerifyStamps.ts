/**
 * `preflight signoff verify --tsa-cert <pem> | --tsa-ca <pem> [--tsa-crl <file>]`: the RFC 3161
 * time-stamps an export carries with its team server's signed tree heads (`serve --tsa`). Each
 * stamp must be over its head and signed by the time-stamp authority whose certificate the user
 * trusts (or one it issued), or — with `--tsa-ca` — whose certificate chains to a root the user
 * trusts, through the certificates the token carries and those `--tsa-cert` gives, and is not
 * revoked by the CRLs `--tsa-crl` gives; the stamp's time is printed, and what the CRLs did or did
 * not show. Without either option a stamp is still checked to be over its head and to verify
 * under the certificate it carries, and the user is told it was not checked against one they trust.
 *
 * With `--seen OLD`, a head this file holds that OLD holds as the very same head (same signature)
 * with a stamp over it, but without one here, lost its stamp: the server stamps a head once, when
 * it signs it, and keeps the stamp with it, so only someone taking it off leaves the same head
 * unstamped. OLD's stamp is checked first (a stamp added to an earlier file by hand must not get
 * the server called a stripper), against the authority the user trusts when they name one.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { certificatesOfPem, checkTreeHeadStamp, readCrls } from '../../core/timeStamp/index.ts';
import { type SignedTreeHead, stampRemoved } from '../../core/transparency/index.ts';
import { isPlainObject } from '../../formats/loading.ts';
import type { ParsedArgs } from '../command.ts';

/** What the user trusts for time-stamps: certificates (`--tsa-cert`), and roots and CRLs (`--tsa-ca`, `--tsa-crl`). */
export interface StampTrust {
  certificates: Uint8Array[];
  /** set with `--tsa-ca`: the certificates are then intermediates only */
  roots?: Uint8Array[];
  crls?: Uint8Array[];
}

/**
 * The trust `--tsa-cert`, `--tsa-ca` and `--tsa-crl` give (read relative to `cwd`): undefined when
 * none is given, or words saying which file cannot be read.
 */
export async function stampTrustOf(args: ParsedArgs, cwd: string): Promise<StampTrust | string | undefined> {
  const certFiles = args.strings('tsa-cert');
  const caFiles = args.strings('tsa-ca');
  const crlFiles = args.strings('tsa-crl');
  if (certFiles.length + caFiles.length + crlFiles.length === 0) return undefined;
  if (crlFiles.length > 0 && caFiles.length === 0)
    return 'give --tsa-ca with --tsa-crl: a CRL is checked along the chain to a root you trust';
  const pems = async (files: string[], option: string): Promise<Uint8Array[] | string> => {
    const out: Uint8Array[] = [];
    for (const file of files) {
      const pem = await readFile(resolve(cwd, file), 'utf8').catch(() => undefined);
      const found = pem === undefined ? [] : certificatesOfPem(pem);
      if (found.length === 0) return `cannot read a PEM certificate from "${file}" (given with ${option})`;
      out.push(...found);
    }
    return out;
  };
  const certificates = await pems(certFiles, '--tsa-cert');
  if (typeof certificates === 'string') return certificates;
  if (caFiles.length === 0) return { certificates };
  const roots = await pems(caFiles, '--tsa-ca');
  if (typeof roots === 'string') return roots;
  const crls: Uint8Array[] = [];
  for (const file of crlFiles) {
    const bytes = await readFile(resolve(cwd, file)).catch(() => undefined);
    if (bytes === undefined) return `cannot read "${file}" (given with --tsa-crl)`;
    for (const read of readCrls(new Uint8Array(bytes))) {
      if (!read.ok) return `cannot use the CRL in "${file}" (given with --tsa-crl): ${read.message}`;
      crls.push(read.der);
    }
  }
  return { certificates, roots, ...(crls.length === 0 ? {} : { crls }) };
}

/** What the stamps of a file's heads came to: lines to print, and whether one was refused. */
interface StampsFinding {
  lines: string[];
  refused: boolean;
}

/** The signed heads a project audit export (`treeHead`) or a sign-off export (`treeHeads`) holds. */
function headsOf(value: unknown): SignedTreeHead[] {
  if (!isPlainObject(value)) return [];
  const held = [
    value.treeHead,
    ...(Array.isArray(value.treeHeads) ? value.treeHeads : []).map((t) =>
      isPlainObject(t) ? t.treeHead : undefined,
    ),
  ];
  return held.filter(
    (h): h is SignedTreeHead =>
      isPlainObject(h) && typeof h.project === 'string' && typeof h.size === 'number',
  );
}

/** Checks the time-stamp of each signed head in `value` against `trusted` (undefined when the user named none). */
export async function checkExportStamps(
  file: string,
  value: unknown,
  trusted: StampTrust | undefined,
): Promise<StampsFinding> {
  const lines: string[] = [];
  let refused = false;
  for (const head of headsOf(value)) {
    const which = `tree head of project ${head.project} over ${head.size} entries`;
    if (typeof head.timeStamp !== 'string') {
      if (trusted !== undefined)
        lines.push(
          `${file}: ${which}: not time-stamped (the authority did not answer when it was signed, or the server had none); a later stamped head dates it`,
        );
      continue;
    }
    const check = await checkTreeHeadStamp(
      head,
      head.timeStamp,
      trusted?.certificates ?? [],
      trusted?.roots === undefined ? undefined : { roots: trusted.roots, crls: trusted.crls },
    );
    if (check.ok) {
      lines.push(`${file}: ${which}: time-stamped by ${check.authority} at ${check.time}`);
      for (const note of check.notes ?? []) lines.push(`${file}: ${which}: note: ${note}`);
    } else if (trusted === undefined && check.untrusted !== undefined)
      lines.push(
        `${file}: ${which}: carries a time-stamp by ${check.untrusted}, not checked against an authority you trust: give --tsa-cert <its certificate> or --tsa-ca <its root>`,
      );
    else {
      refused = true;
      lines.push(`${file}: TIME-STAMP REFUSED: ${which}: ${check.message}`);
    }
  }
  return { lines, refused };
}

/** An earlier export given with `--seen`, as read. */
interface SeenFile {
  file: string;
  json: unknown;
}

/**
 * The heads of `value` that an earlier export in `seen` holds as the same head with a time-stamp
 * over it: each is said; exit 1 (`refused`) when the earlier stamp verifies under an authority
 * the user trusts, a warning when none is named (the stamp could be one of anyone's making).
 */
export async function checkRemovedStamps(
  file: string,
  value: unknown,
  seen: readonly SeenFile[],
  trusted: StampTrust | undefined,
): Promise<StampsFinding> {
  const lines: string[] = [];
  let refused = false;
  for (const later of headsOf(value)) {
    for (const earlier of seen) {
      const held = headsOf(earlier.json).find((h) => stampRemoved(h, later));
      if (held?.timeStamp === undefined) continue;
      const which = `tree head of project ${later.project} over ${later.size} entries`;
      const check = await checkTreeHeadStamp(
        held,
        held.timeStamp,
        trusted?.certificates ?? [],
        trusted?.roots === undefined ? undefined : { roots: trusted.roots, crls: trusted.crls },
      );
      const lost = `${earlier.file} holds this very head (the same signature) time-stamped`;
      const why = `the server stamps a head once, when it signs it, and keeps the stamp with it, so the stamp was taken off after ${earlier.file} was exported (on the server or in this file); a head without its stamp could be one made later and dated back. Keep ${earlier.file}`;
      if (check.ok) {
        refused = true;
        lines.push(
          `${file}: TIME-STAMP REMOVED: ${which}: ${lost} by ${check.authority} at ${check.time}, and here it carries no stamp: ${why}`,
        );
      } else if (trusted === undefined && check.untrusted !== undefined)
        lines.push(
          `${file}: WARNING: ${which}: ${lost} by ${check.untrusted}, and here it carries no stamp: if that authority is the clinic's, ${why}. Give --tsa-cert <its certificate> or --tsa-ca <its root> to check it`,
        );
      else
        lines.push(
          `${file}: ${which}: ${earlier.file} holds it with a time-stamp that does not verify (${check.message}), so nothing is said of its missing here`,
        );
    }
  }
  return { lines, refused };
}
