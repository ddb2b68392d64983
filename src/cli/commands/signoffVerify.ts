/**
 * `preflight signoff verify <file> [--json]`: verifies an exported sign-off audit log
 * (`preflight.auditlog/v1`): the hash chain entry by entry and, when the file carries the reviews,
 * that every logged decision and signature is there unchanged; then each signature's bindings
 * (sign-off hash, plan hash against the file's locked plan, results hash, audit-chain head) and
 * its WebAuthn assertion when it has one (src/core/signoff/signing/signature.ts). Names the first broken
 * entry or signature. Also verifies a
 * review packet (`preflight.reviewpacket/v1`: each record against its fingerprint, the plan hash,
 * the packet hash; names the first broken record) and review results
 * (`preflight.reviewresults/v1`: the clinician's chain, the packet and plan hashes, every
 * decision against what the packet showed; names the first broken entry) — src/core/signoff/exports/packets.ts.
 * And a signed sign-off FHIR Bundle (`resourceType: Bundle`, as the Sign-off workspace exports it):
 * every entry, decision and signature against the audit chain it carries — src/core/signoff/exports/bundleVerify.ts.
 *
 * Exit codes: 0 the chain verifies; 1 the file was changed (the first broken entry, or where the
 * damage is); 2 bad usage, an unreadable file, not an audit log, or a FHIR Bundle an earlier
 * version of Preflight made (it carries nothing that verifies it: never called tampered).
 *
 * Messages name entries, paths and reasons, never record content (it is patient data).
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import {
  anchorAsker,
  decryptPacket,
  isEncryptedPacket,
  logKeysAsker,
  MAX_AUDIT_LOG_BYTES,
  type PacketProblem,
  type PacketVerification,
  parsePacketFile,
  resultKeySourceOf,
  type SignoffFileVerification,
  serverOf,
  type VerifiedServerSignature,
  type VerifiedSignature,
  verifyPacketBytes,
  verifyReviewPacket,
  verifyReviewResults,
  verifySignoffBundle,
  verifySignoffJson,
} from '../../core/signoff/exports/index.ts';
import { serverCoverageText } from '../../core/signoff/signing/index.ts';
import { AUDIT_LOG_FORMAT } from '../../formats/auditLog.ts';
import { ENCRYPTED_PACKET_FORMAT } from '../../formats/encryptedPacket.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { PROJECT_AUDIT_FORMAT } from '../../formats/projectAudit.ts';
import type { ServerReviewSignature } from '../../formats/review.ts';
import { REVIEW_PACKET_FORMAT } from '../../formats/reviewPacket.ts';
import { REVIEW_RESULTS_FORMAT } from '../../formats/reviewResults.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import {
  nodeFetch,
  projectAuditLines,
  type SeenExport,
  verifyProjectAuditExport,
} from './signoffVerifyServer.ts';
import { checkExportStamps, checkRemovedStamps, stampTrustOf } from './signoffVerifyStamps.ts';

/**
 * How many of an audit log's three markers `text` holds: its tag, `"entries"` and `"integrity"`.
 * They do not overlap and one changed byte can break only one, so a damaged log still holds two.
 */
function auditLogMarkers(text: string): number {
  return [AUDIT_LOG_FORMAT, '"entries"', '"integrity"'].filter((m) => text.includes(m)).length;
}

const NAME = 'preflight signoff verify';
/**
 * `--server` on a sign-off exported without a team server: intact offline, but not a server
 * export — neither verified against the server (0) nor tampered (1) nor unusable (2).
 */
const EXIT_NOT_SERVER_EXPORT = 3;
/**
 * A sign-off FHIR Bundle exported before the sign-off was signed: it carries decisions and no
 * signature or audit chain, so there is nothing to verify — and nothing in it claims a sign-off,
 * so it is not tampered (1) either.
 */
const EXIT_NOT_SIGNED = 4;

/** What `--json` prints (`record` names a packet's first broken record). */
type SignoffVerifyResult =
  | SignoffFileVerification
  | {
      file: string;
      status: 'verified';
      format: typeof REVIEW_PACKET_FORMAT | typeof REVIEW_RESULTS_FORMAT;
      packetSha256: string;
      planHash: string;
      /** a packet's records, or the results' decisions */
      records?: number;
      decisions?: number;
      /** the results' chain head */
      head?: string;
      /**
       * results that identify records by keyed hash: without the packet's secret, their decisions
       * are checked for being logged, not against what they cite (the data lead's merge does that)
       */
      recordKeys?: 'hashed';
      /**
       * results verified with `--packet`: the packet they answer was given (and verified), its
       * secret mapped each keyed hash back to its record, and every decision was checked against
       * what the packet showed
       */
      packetChecked?: true;
      /** a packet given encrypted, opened with `--passphrase-file` */
      encrypted?: true;
    }
  | {
      /** a sign-off FHIR Bundle exported before the sign-off: `decisions` it carries, unsigned */
      file: string;
      status: 'not-signed';
      reason: 'before-signoff';
      message: string;
    }
  | {
      /** a packet's record, or a FHIR Bundle's resource (`Type/id`), where the damage is */
      file: string;
      status: 'tampered';
      entry?: number;
      record?: number;
      resource?: string;
      reason: string;
      message: string;
    };

/** A verified sign-off FHIR Bundle as `--json` prints it. */
interface VerifiedBundle {
  file: string;
  status: 'verified';
  format: 'fhir-bundle';
  /** Bundle entries */
  bundleEntries: number;
  /** the audit chain the Bundle carries: its length and head */
  entries: number;
  head: string;
  signatures: {
    id: string;
    signer: { name: string; role: string; id: string };
    signedAt: string;
    meaning: string;
    reauthentication: 'webauthn' | 'none';
  }[];
  /** the signatures made on the team server (reviewers', adjudicators', data leads' approvals), verified (absent: none) */
  serverSignatures?: {
    id: string;
    kind: ServerReviewSignature['kind'];
    signer: { name: string; role: string; id: string };
    signedAt: string;
    meaning: string;
    server: { project: string; projectSeq: number; entryHash: string };
  }[];
  warnings?: string[];
}

/** The result of verifying a signed sign-off FHIR Bundle (exit 1 names the entry and resource). */
async function verifyBundleFile(
  file: string,
  json: unknown,
): Promise<
  VerifiedBundle | Extract<SignoffVerifyResult, { status: 'tampered' | 'unverifiable' | 'not-signed' }>
> {
  const result = await verifySignoffBundle(json);
  // an older format is not a changed file: it is said, and exits 2 (cannot be verified)
  if (!result.ok && result.reason === 'earlier-version')
    return { file, status: 'unverifiable', reason: 'earlier-version', message: result.message };
  // nor is an export made before the sign-off: it is said, and exits 4 (nothing signed to verify)
  if (!result.ok && result.reason === 'before-signoff')
    return { file, status: 'not-signed', reason: 'before-signoff', message: result.message };
  if (!result.ok)
    return {
      file,
      status: 'tampered',
      ...(result.entry !== undefined ? { entry: result.entry } : {}),
      ...(result.resource !== undefined ? { resource: result.resource } : {}),
      reason: result.reason,
      message: result.message,
    };
  return {
    file,
    status: 'verified',
    format: 'fhir-bundle',
    bundleEntries: result.entries,
    entries: result.chainEntries,
    head: result.head,
    signatures: result.signatures.map(({ signature, reauthentication }) => ({
      id: signature.id,
      signer: signature.signer,
      signedAt: signature.signedAt,
      meaning: signature.meaning,
      reauthentication,
    })),
    ...(result.serverSignatures.length > 0
      ? {
          serverSignatures: result.serverSignatures.map((s) => ({
            id: s.id,
            kind: s.kind,
            signer: s.signer,
            signedAt: s.signedAt,
            meaning: s.meaning,
            server: serverOf(s.reauthentication.server),
          })),
        }
      : {}),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}

/** A verified server signature, in a line. */
function describeServerSignature(s: VerifiedServerSignature): string {
  const what = s.kind === 'review' ? 'review decision' : 'adjudication';
  const covers =
    s.kind === 'approval' || s.kind === 'confirmation'
      ? serverCoverageText(s, s.kind)
      : s.covered === s.of
        ? `signs all ${s.of} of her ${what}s`
        : `signs the first ${s.covered} of her ${s.of} ${what}s (she decided more after signing)`;
  return `server signature ${s.id}: ${s.signer.name}, ${s.signer.role} (${s.signer.id}), ${s.signedAt}, meaning “${s.meaning}”; ${covers}; signed on the team server (entry ${s.server.projectSeq} of project ${s.server.project}), WebAuthn assertion verified`;
}

function describeSignature(s: VerifiedSignature): string {
  const how = s.server
    ? `signed on the team server (entry ${s.server.projectSeq} of project ${s.server.project}), WebAuthn assertion verified`
    : s.webauthn
      ? `WebAuthn assertion verified (${s.webauthn.origin}, user ${s.webauthn.userVerified ? 'verified' : 'present, not verified'})`
      : 'signed without re-authentication (the browser offered no WebAuthn)';
  const after = s.decisionsAfter.length;
  const ids = `${s.decisionsAfter.slice(0, 5).join(', ')}${after > 5 ? ', …' : ''}`;
  const decisions = `${after} ${after === 1 ? 'decision' : 'decisions'} logged after it (${ids})`;
  // a superseded signature is replaced, not "stale"; a current one (co-signed) is neither
  const covers = s.replacedBy
    ? `replaced by signature ${s.replacedBy}${s.coversCurrentResults ? '; covers every decision in the file' : `; does not cover ${decisions}`}`
    : s.coversCurrentResults
      ? 'covers every decision in the file'
      : `DOES NOT COVER ${decisions}: the signed results are those before`;
  return `signature ${s.id}: ${s.signer.name}, ${s.signer.role} (${s.signer.id}), ${s.signedAt}, meaning “${s.meaning}”; binds plan, results and chain head; ${how}; ${covers}`;
}

/** A packet or results file's first problem as `--json` prints it (exit 1). */
function verifyPacketProblem(file: string, problem: PacketProblem): SignoffVerifyResult {
  return {
    file,
    status: 'tampered',
    ...(problem.at ? { [problem.at.kind]: problem.at.index } : {}),
    reason: problem.reason,
    message: problem.message,
  };
}

/**
 * The result of verifying a review packet or review results file (the whole bytes). With `packet`
 * (the verified packet the results answer, from `--packet`), results are checked in full: record
 * identifiers coded by keyed hash are mapped back with the packet's secret, and every decision is
 * checked against what the packet showed.
 */
function verifyPacketFile(
  file: string,
  format: string,
  bytes: Uint8Array,
  packet?: Extract<PacketVerification, { ok: true }>,
): SignoffVerifyResult {
  const tampered = (problem: PacketProblem) => verifyPacketProblem(file, problem);
  if (format === REVIEW_PACKET_FORMAT) {
    const result = verifyPacketBytes(bytes, verifyReviewPacket);
    if (!result.ok) return tampered(result);
    return {
      file,
      status: 'verified',
      format,
      packetSha256: result.sha256,
      planHash: result.packet.planHash,
      records: result.packet.records.length,
    };
  }
  const keys = packet ? resultKeySourceOf(packet.packet) : undefined;
  const result = verifyPacketBytes(bytes, (json) => verifyReviewResults(json, undefined, keys));
  if (!result.ok) return tampered(result);
  return {
    file,
    status: 'verified',
    format: REVIEW_RESULTS_FORMAT,
    packetSha256: result.results.packet.sha256,
    planHash: result.results.packet.manifest.planHash,
    decisions: result.results.review.decisions.length,
    head: result.head,
    ...(result.recordKeys === 'hashed' ? { recordKeys: 'hashed' as const } : {}),
    ...(packet ? { packetChecked: true as const } : {}),
  };
}

/** The one-line report of a verified file. */
function verifiedLine(file: string, result: Extract<SignoffVerifyResult, { status: 'verified' }>): string {
  if ('format' in result) {
    return result.format === REVIEW_PACKET_FORMAT
      ? `${file}: verified review packet${result.encrypted ? ' (opened with its passphrase)' : ''}: ${result.records} records, each as fingerprinted; plan ${result.planHash}; packet hash ${result.packetSha256}`
      : result.packetChecked
        ? `${file}: verified review results: ${result.decisions} decisions, each logged in the clinician's audit chain (head ${result.head}) and citing what the packet given with --packet showed${result.recordKeys === 'hashed' ? ' (record identifiers mapped back with its secret)' : ''}; packet hash ${result.packetSha256}`
        : result.recordKeys === 'hashed'
          ? `${file}: verified review results: ${result.decisions} decisions, each logged in the clinician's audit chain (head ${result.head}); records are identified by keyed hash, so what each decision cites is checked only with the packet (--packet <file>) or when the data lead who holds it merges the file; packet hash ${result.packetSha256}`
          : `${file}: verified review results: ${result.decisions} decisions, each logged in the clinician's audit chain (head ${result.head}) and citing what the packet showed; packet hash ${result.packetSha256}`;
  }
  const expected = result.expectedHead
    ? `; the head printed on the report is entry ${result.expectedHead.entry}${result.expectedHead.entriesAfter > 0 ? ` (${result.expectedHead.entriesAfter} ${result.expectedHead.entriesAfter === 1 ? 'entry' : 'entries'} recorded after it)` : ''}`
    : '';
  return `${file}: verified: ${result.entries} entries, chain head ${result.head}${result.decisionsChecked ? '; every logged decision is present and unchanged' : ' (the file holds no reviews: decisions not checked)'}${expected}`;
}

async function readLog(file: string, cwd: string): Promise<Uint8Array | string> {
  const full = resolve(cwd, file);
  try {
    const info = await stat(full);
    if (info.isDirectory()) return 'it is a directory';
    if (info.size > MAX_AUDIT_LOG_BYTES) return `it is larger than ${byteSizeWords(MAX_AUDIT_LOG_BYTES)}`;
    return new Uint8Array(await readFile(full));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'it cannot be read';
  }
}

/** A packet opened for `--packet` (or an encrypted packet operand), or why it cannot be used. */
type OpenedPacket =
  | { ok: true; verified: Extract<PacketVerification, { ok: true }>; encrypted: boolean }
  | { ok: false; message: string; tampered?: PacketProblem };

/**
 * Reads and verifies the review packet at `file`: plain, or encrypted and opened with the
 * passphrase held in `passphraseFile` (its only line; the passphrase is never printed). A packet
 * that does not verify on its own is named with its first broken record in `tampered`.
 */
async function openPacketFile(
  file: string,
  passphraseFile: string | undefined,
  cwd: string,
): Promise<OpenedPacket> {
  const bytes = await readLog(file, cwd);
  if (typeof bytes === 'string') return { ok: false, message: `cannot read "${file}": ${bytes}` };
  const parsed = parsePacketFile(bytes);
  if (!parsed.ok) return { ok: false, message: `"${file}" is not a review packet: ${parsed.message}` };
  if (isEncryptedPacket(parsed.json)) {
    if (passphraseFile === undefined)
      return {
        ok: false,
        message: `"${file}" is an encrypted review packet: give its passphrase with --passphrase-file <file> (a file holding only the passphrase)`,
      };
    const held = await readLog(passphraseFile, cwd);
    if (typeof held === 'string')
      return { ok: false, message: `cannot read the passphrase file "${passphraseFile}": ${held}` };
    const decoded = decodeUtf8Strict(held, `the passphrase file "${passphraseFile}"`);
    if (!decoded.ok) return { ok: false, message: decoded.message };
    // the passphrase is the file's text without the line break an editor adds at its end
    const passphrase = decoded.text.replace(/\r?\n$/, '');
    const opened = await decryptPacket(parsed.json, passphrase);
    if (opened.ok) return { ok: true, verified: opened, encrypted: true };
    if (opened.reason === 'passphrase' || opened.reason === 'schema' || opened.reason === 'damaged')
      return { ok: false, message: `"${file}" cannot be opened: ${opened.message}` };
    return { ok: false, message: `"${file}" does not verify: ${opened.message}`, tampered: opened };
  }
  if (passphraseFile !== undefined)
    throw new UsageError(
      '--passphrase-file applies to an encrypted review packet; this packet is not encrypted',
    );
  const verified = verifyPacketBytes(bytes, verifyReviewPacket);
  if (verified.ok) return { ok: true, verified, encrypted: false };
  return { ok: false, message: `"${file}" does not verify: ${verified.message}`, tampered: verified };
}

/** The `preflight signoff verify` command. */
export const signoffVerifyCommand: Command = {
  name: 'signoff verify',
  summary:
    'verify a sign-off audit log (chain, decisions, signatures), a review packet, review results or a signed FHIR Bundle',
  operands: '<file>',
  options: [
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
    {
      name: 'packet',
      type: 'string',
      valueName: 'file',
      description: 'with review results: the packet they answer (keyed-hash identifiers mapped back)',
    },
    {
      name: 'passphrase-file',
      type: 'string',
      valueName: 'file',
      description:
        'a file holding only the passphrase of an encrypted packet (verified, or given with --packet)',
    },
    {
      name: 'expect-head',
      type: 'string',
      valueName: 'hash',
      description:
        'the chain head the sign-off report printed: exit 1 when no entry has it (entries removed)',
    },
    {
      name: 'seen',
      type: 'string',
      valueName: 'file',
      multiple: true,
      description:
        "with a project audit log or a sign-off audit log: an earlier export of it; exit 1 unless this file holds every entry of it unchanged and the team server's signed heads agree, naming the first that differs; a head it holds time-stamped that is here without its stamp is said (exit 1 when the stamp verifies under --tsa-cert or --tsa-ca)",
    },
    {
      name: 'head',
      type: 'string',
      valueName: 'hash',
      description:
        'with a project audit log: a tree root the verifier printed earlier; exit 1 when no part of this log has it',
    },
    {
      name: 'tsa-cert',
      type: 'string',
      valueName: 'pem',
      multiple: true,
      description:
        "the time-stamp authority's certificate (or its CA's) you trust: check each time-stamp on the server's signed heads and print its time; exit 1 when one does not verify. With --tsa-ca: intermediates for the chain, not trusted by themselves",
    },
    {
      name: 'tsa-ca',
      type: 'string',
      valueName: 'pem',
      multiple: true,
      description:
        "a root CA you trust for time-stamps (a file may hold several): each stamp's certificate must chain to one through the certificates the token carries or --tsa-cert gives, every link valid at the stamp's time; exit 1 naming the certificate that fails",
    },
    {
      name: 'tsa-crl',
      type: 'string',
      valueName: 'file',
      multiple: true,
      description:
        "with --tsa-ca: a CRL (PEM or DER) of a CA of the chain: a stamp whose certificate was revoked before its time is exit 1; after it, the stamp stands with a note when the CRL's reason says the key was retired, not compromised (RFC 3161)",
    },
    {
      name: 'server',
      type: 'string',
      valueName: 'url',
      description:
        "with a project audit log exported from the team server: check every entry against the server's own log; with a sign-off audit log of a review sent to it: check the server's record of the export and every signature made there; with either, that each signed head's key is one of the server's, not retired before the head",
    },
  ],
  description: [
    `Verifies a sign-off audit log (${AUDIT_LOG_FORMAT}), a review packet, review results or a signed`,
    'sign-off FHIR Bundle: every hash, the chain, each decision, and each signature (its WebAuthn',
    'assertion, against the roster), naming the first broken entry. A signature made without WebAuthn,',
    'or a file without a roster, verifies with a warning.',
    `A project's audit log exported from the team server (${PROJECT_AUDIT_FORMAT}) is verified the same`,
    'way, and with --server <url> every entry against the server, so a cut or rewritten export is caught;',
    'with --seen <earlier export> it must extend each earlier export, and with --head <root> hold a printed root.',
    "A sign-off audit log of a review sent to the team server carries the server's signed tree head and an",
    'inclusion proof of each server entry it names; with --seen <earlier sign-off export> it must extend each.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 verified; 1 tampered or damaged; 2 bad usage, unreadable, not such a file, a FHIR Bundle',
    'made by an earlier version of Preflight (it cannot be verified), or a --packet that cannot be opened or',
    'is not the one the results answer; 3 with --server, a sign-off exported without a team server (intact,',
    'but not a server export: nothing in it to check against the server); 4 a sign-off FHIR Bundle exported',
    'before the sign-off was signed (decisions, no signature: nothing to verify yet). What each file is',
    'checked for: docs/cli.md#preflight-signoff-verify',
  ].join('\n'),
  examples: [
    {
      args: ['samples/signoff/patients-by-file.auditlog.json'],
      does: "verify the demo sign-off's audit chain, decisions and signature",
      exits: 0,
    },
    {
      args: ['samples/signoff/patients-by-file.bundle.json'],
      does: 'the same sign-off as the FHIR Bundle the Sign-off workspace exports',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [file] = args.operands;
    if (args.operands.length !== 1 || file === undefined)
      throw new UsageError('give exactly one audit log, review packet or review results file');
    const bytes = await readLog(file, io.cwd);
    if (typeof bytes === 'string') {
      io.stderr(`${NAME}: cannot read "${file}": ${bytes}.`);
      return EXIT_USAGE;
    }
    const report = (result: SignoffVerifyResult | VerifiedBundle): number => {
      if (args.flag('json')) writeData(io, JSON.stringify(result, null, 2));
      else if ('format' in result && result.format === 'fhir-bundle') {
        const n = result.signatures.length;
        io.stdout(
          `${file}: verified FHIR Bundle: ${result.bundleEntries} entries, each as signed; audit chain of ${result.entries} entries, head ${result.head}; ${n} ${n === 1 ? 'signature' : 'signatures'}`,
        );
        for (const s of result.signatures)
          io.stdout(
            `${file}: signature ${s.id}: ${s.signer.name}, ${s.signer.role} (${s.signer.id}), ${s.signedAt}, meaning “${s.meaning}”; binds plan, results and chain head; ${s.reauthentication === 'webauthn' ? 'WebAuthn assertion verified' : 'signed without re-authentication (the browser offered no WebAuthn)'}`,
          );
        for (const s of result.serverSignatures ?? [])
          io.stdout(
            `${file}: server signature ${s.id}: ${s.signer.name}, ${s.signer.role} (${s.signer.id}), ${s.signedAt}, meaning “${s.meaning}”; signed on the team server (entry ${s.server.projectSeq} of project ${s.server.project}), WebAuthn assertion verified`,
          );
        for (const warning of result.warnings ?? []) io.stdout(`${file}: WARNING: ${warning}`);
      } else if (result.status === 'verified') {
        io.stdout(verifiedLine(file, result));
        if ('signatures' in result)
          for (const signature of result.signatures ?? [])
            io.stdout(`${file}: ${describeSignature(signature)}`);
        if ('serverSignatures' in result)
          for (const signature of result.serverSignatures ?? [])
            io.stdout(`${file}: ${describeServerSignature(signature)}`);
        if ('seen' in result)
          for (const s of result.seen ?? [])
            io.stdout(
              `${file}: extends ${s.file}: its ${s.entries} entries unchanged, ${s.added} ${s.added === 1 ? 'entry' : 'entries'} after them`,
            );
        if ('warnings' in result)
          for (const warning of result.warnings ?? []) io.stdout(`${file}: WARNING: ${warning}`);
      } else if (result.status === 'unverifiable') {
        io.stdout(`${file}: NOT VERIFIED: ${result.message}`);
        return EXIT_USAGE;
      } else if (result.status === 'not-server-export') {
        io.stdout(`${file}: NOT A SERVER EXPORT: ${result.message}`);
        return EXIT_NOT_SERVER_EXPORT;
      } else if (result.status === 'not-signed') {
        io.stdout(`${file}: NOT SIGNED YET: ${result.message}`);
        return EXIT_NOT_SIGNED;
      }
      // a comment quoting its record's identifier is refused, not a sign of tampering
      else
        io.stdout(
          `${file}: ${result.reason === 'identifying-comment' ? 'REFUSED' : 'TAMPERED'}: ${result.message}`,
        );
      if (result.status === 'unverifiable') return EXIT_USAGE;
      if (result.status === 'not-server-export') return EXIT_NOT_SERVER_EXPORT;
      if (result.status === 'not-signed') return EXIT_NOT_SIGNED;
      return result.status === 'verified' ? EXIT_OK : EXIT_FINDINGS;
    };
    const decoded = decodeUtf8Strict(bytes, 'it');
    if (!decoded.ok) {
      // damaged, or not an export at all (random bytes, an image): an export with one byte
      // changed still shows its tag or two of the audit log's three markers (all ASCII)
      const text = new TextDecoder().decode(bytes);
      const tagged = [REVIEW_PACKET_FORMAT, REVIEW_RESULTS_FORMAT].some((tag) => text.includes(`"${tag}"`));
      if (!tagged && auditLogMarkers(text) < 2) {
        io.stderr(
          `${NAME}: "${file}" is not a ${AUDIT_LOG_FORMAT}, ${REVIEW_PACKET_FORMAT} or ${REVIEW_RESULTS_FORMAT} file: ${decoded.message}.`,
        );
        return EXIT_USAGE;
      }
      return report({
        file,
        status: 'tampered',
        reason: 'damaged',
        message: decoded.message,
      });
    }
    // the first tag in the file is its own (results carry their packet's manifest, tag and all);
    // found in the text, so a damaged file is still checked as what it claims to be
    const packetFormat = [REVIEW_PACKET_FORMAT, REVIEW_RESULTS_FORMAT]
      .map((tag) => ({ tag, at: decoded.text.indexOf(`"${tag}"`) }))
      .filter(({ at }) => at >= 0)
      .sort((a, b) => a.at - b.at)[0]?.tag;
    const packetOption = args.string('packet');
    const passphraseFile = args.string('passphrase-file');
    if (packetOption !== undefined && packetFormat !== REVIEW_RESULTS_FORMAT)
      throw new UsageError('--packet applies to a review results file: give the packet its results answer');
    if (packetFormat === REVIEW_RESULTS_FORMAT && packetOption !== undefined) {
      // the results on their own first: a changed results file is named whatever packet is given
      const alone = verifyPacketFile(file, packetFormat, bytes);
      if (alone.status !== 'verified' || !('format' in alone)) return report(alone);
      const opened = await openPacketFile(packetOption, passphraseFile, io.cwd);
      if (!opened.ok) {
        io.stderr(
          `${NAME}: ${opened.message}${opened.tampered ? ` — verify it on its own with "npx preflight signoff verify ${packetOption}"` : ''}.`,
        );
        return EXIT_USAGE;
      }
      if (opened.verified.sha256 !== alone.packetSha256) {
        io.stderr(
          `${NAME}: "${packetOption}" is not the packet "${file}" answers (packet hash ${opened.verified.sha256}; the results answer ${alone.packetSha256}). Give the packet the clinician reviewed.`,
        );
        return EXIT_USAGE;
      }
      const full = verifyPacketFile(file, packetFormat, bytes, opened.verified);
      return report(
        full.status === 'verified' && opened.encrypted ? { ...full, encrypted: true as const } : full,
      );
    }
    if (passphraseFile !== undefined && packetFormat !== undefined)
      throw new UsageError('--passphrase-file applies to an encrypted review packet');
    if (packetFormat) return report(verifyPacketFile(file, packetFormat, bytes));
    const parsed = parseJsonText(decoded.text);
    if (!parsed.ok) {
      // a changed byte that breaks the JSON: say where; the log cannot be trusted
      // an audit log with one byte changed still holds at least two of these three (they do not
      // overlap, and one byte can break only one): a changed tag is damage, not another file
      if (auditLogMarkers(decoded.text) < 2) {
        io.stderr(`${NAME}: "${file}" is not a ${AUDIT_LOG_FORMAT} file (not JSON).`);
        return EXIT_USAGE;
      }
      return report({
        file,
        status: 'tampered',
        reason: 'damaged',
        message: `not valid JSON (line ${parsed.position.line}, column ${parsed.position.column}): the file was damaged or edited`,
      });
    }
    const value = parsed.value;
    const server = args.string('server');
    const seenFiles = args.strings('seen');
    const printedRoot = args.string('head');
    const isProjectAudit = isPlainObject(value) && value.format === PROJECT_AUDIT_FORMAT;
    if (
      seenFiles.length > 0 &&
      !isProjectAudit &&
      !(isPlainObject(value) && value.format === AUDIT_LOG_FORMAT)
    )
      throw new UsageError('--seen applies to a project audit log or a sign-off audit log');
    if (printedRoot !== undefined && !isProjectAudit)
      throw new UsageError('--head applies to a project audit log exported from the team server');
    const trust = await stampTrustOf(args, io.cwd);
    if (
      trust !== undefined &&
      !isProjectAudit &&
      !(isPlainObject(value) && value.format === AUDIT_LOG_FORMAT)
    )
      throw new UsageError('--tsa-cert and --tsa-ca apply to a project audit log or a sign-off audit log');
    if (typeof trust === 'string') {
      io.stderr(`${NAME}: ${trust}.`);
      return EXIT_USAGE;
    }
    // the stamps on the server's heads, said after the file's own verdict: one refused is exit 1
    let stamps = await checkExportStamps(file, value, trust);
    const withStamps = (code: number): number => {
      if (!args.flag('json')) for (const line of stamps.lines) io.stdout(line);
      return code === EXIT_OK && stamps.refused ? EXIT_FINDINGS : code;
    };
    const seen: SeenExport[] = [];
    for (const earlier of seenFiles) {
      const held = await readLog(earlier, io.cwd);
      const text = typeof held === 'string' ? undefined : decodeUtf8Strict(held, 'it');
      const json = text?.ok ? parseJsonText(text.text) : undefined;
      if (typeof held === 'string' || json?.ok !== true) {
        io.stderr(
          `${NAME}: cannot read "${earlier}" (given with --seen): ${typeof held === 'string' ? held : 'it is not a JSON file'}.`,
        );
        return EXIT_USAGE;
      }
      seen.push({ file: earlier, json: json.value });
    }
    // a head an earlier export holds stamped, here without its stamp, is said with the stamps
    const removed = await checkRemovedStamps(file, value, seen, trust);
    stamps = { lines: [...stamps.lines, ...removed.lines], refused: stamps.refused || removed.refused };
    if (isProjectAudit) {
      if (args.string('expect-head') !== undefined)
        throw new UsageError(
          '--expect-head applies to a sign-off audit log; a project audit log is checked with --server <url>, --seen <file> or --head <hash>',
        );
      if (printedRoot !== undefined && !/^[0-9a-f]{64}$/.test(printedRoot))
        throw new UsageError('--head takes the 64-character tree root the verifier printed');
      const result = await verifyProjectAuditExport(file, value, server, {
        seen,
        ...(printedRoot === undefined ? {} : { head: printedRoot }),
      });
      if (args.flag('json')) writeData(io, JSON.stringify(result, null, 2));
      else for (const line of projectAuditLines(result)) io.stdout(line);
      return withStamps(
        result.status === 'verified' ? EXIT_OK : result.status === 'tampered' ? EXIT_FINDINGS : EXIT_USAGE,
      );
    }
    if (server !== undefined && !(isPlainObject(value) && value.format === AUDIT_LOG_FORMAT))
      throw new UsageError(
        '--server applies to a project audit log exported from the team server, or a sign-off audit log exported from a review sent to it',
      );
    if (isPlainObject(value) && value.resourceType === 'Bundle') {
      if (args.string('expect-head') !== undefined)
        throw new UsageError('--expect-head applies to a sign-off audit log, not a FHIR Bundle');
      return report(await verifyBundleFile(file, value));
    }
    if (
      isPlainObject(value) &&
      value.format !== AUDIT_LOG_FORMAT &&
      Array.isArray(value.entries) &&
      'integrity' in value
    )
      // shaped like an audit log with another tag: the tag was changed
      return report({ file, status: 'tampered', reason: 'format', message: 'its format tag was changed' });
    if (isPlainObject(value) && value.format === ENCRYPTED_PACKET_FORMAT) {
      if (passphraseFile !== undefined) {
        const opened = await openPacketFile(file, passphraseFile, io.cwd);
        if (opened.ok)
          return report({
            file,
            status: 'verified',
            format: REVIEW_PACKET_FORMAT,
            packetSha256: opened.verified.sha256,
            planHash: opened.verified.packet.planHash,
            records: opened.verified.packet.records.length,
            encrypted: true,
          });
        if (opened.tampered) return report(verifyPacketProblem(file, opened.tampered));
        io.stderr(`${NAME}: ${opened.message}.`);
        return EXIT_USAGE;
      }
      // the records are encrypted: without the passphrase there is nothing here to verify
      io.stderr(
        `${NAME}: "${file}" is an encrypted review packet (${ENCRYPTED_PACKET_FORMAT}): it cannot be verified without its passphrase. Give it with --passphrase-file <file> (a file holding only the passphrase), or open it in Preflight, which verifies it as it opens.`,
      );
      return EXIT_USAGE;
    }
    if (passphraseFile !== undefined)
      throw new UsageError('--passphrase-file applies to an encrypted review packet');
    if (!isPlainObject(value) || value.format !== AUDIT_LOG_FORMAT) {
      io.stderr(
        `${NAME}: "${file}" is not a ${AUDIT_LOG_FORMAT} file; export the audit log from the Sign-off workspace.`,
      );
      return EXIT_USAGE;
    }
    const expectHead = args.string('expect-head');
    if (expectHead !== undefined && !/^[0-9a-f]{64}$/.test(expectHead))
      throw new UsageError('--expect-head takes the 64-character chain head printed on the sign-off report');
    if (expectHead !== undefined && packetFormat)
      throw new UsageError('--expect-head applies to a sign-off audit log, not a packet or results file');
    return withStamps(
      report(
        await verifySignoffJson(file, value, {
          ...(expectHead ? { expectHead } : {}),
          ...(server === undefined
            ? {}
            : { server: anchorAsker(server, nodeFetch), serverKeys: logKeysAsker(server, nodeFetch) }),
          ...(seen.length > 0 ? { seen } : {}),
        }),
      ),
    );
  },
};
