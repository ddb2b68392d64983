/**
 * Verifying a sign-off file (`preflight.auditlog/v1`, "Export the sign-off (JSON)"): the hash
 * chain entry by entry and, when the file carries the reviews, that every logged decision and
 * signature is there unchanged (auditChain.ts); who did what along the chain (signerIdentity.ts);
 * each signature's bindings and WebAuthn assertion (signature.ts); the reviewers' signatures made
 * on the team server and the server's record of the export (serverSignatures.ts); and, given a
 * way to ask the team server (`server`), that the record and every signature made there are the
 * server's own entries at their places — what catches a cut tail re-sealed, a rewrite without
 * signatures and an edited printed head, which the file alone cannot show.
 *
 * One verifier for `preflight signoff verify` and for the app when a sign-off file is opened: the
 * callers read the file and say the result in their own words. Messages name entries, signatures
 * and reasons, never record content (it is patient data).
 */

import {
  AUDIT_LOG_FORMAT,
  type AuditLogFile,
  auditLogIntegrity,
  type ChainEntry,
  loadAuditLog,
} from '../../../formats/auditLog.ts';
import { isPlainObject } from '../../../formats/loading.ts';
import type { ServerAuditRecord } from '../../../formats/projectAudit.ts';
import type { Review, ServerReviewSignature } from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import type { SteeringDecision } from '../../../formats/steering.ts';
import { checkHeadKeyOfServer, checkKeyHistory, type LogKeyRecord } from '../../transparency/index.ts';
import { type AuditVerification, verifyAuditChain } from '../signing/auditChain.ts';
import { checkReviewSignatures, type ReviewSignatureChecks } from '../signing/reviewSignatureChecks.ts';
import type { AnchorReply } from '../signing/serverChain.ts';
import {
  checkSignoffAgainstServer,
  checkSignoffExportRecords,
  signoffAnchorQuestions,
} from '../signing/serverSignatures.ts';
import { verifySignerIdentities } from '../signing/signerIdentity.ts';
import { untrueMeaning } from '../signing/signingMeaning.ts';
import { checkServerDecisionEntries, checkSignoffTreeHeads, compareSignoffExports } from './signoffTree.ts';

/** What verifying a sign-off file finds (`preflight signoff verify --json` prints it). */
export type SignoffFileVerification =
  | {
      file: string;
      status: 'verified';
      entries: number;
      head: string;
      decisionsChecked: boolean;
      /** the signatures verified, in file order (absent before any signature) */
      signatures?: VerifiedSignature[];
      /** the reviewers' and adjudicators' signatures made on the team server, verified (absent: none) */
      serverSignatures?: VerifiedServerSignature[];
      /**
       * what verifies but is weaker than it could be: signatures made without WebAuthn, a file
       * without a roster (absent when there is nothing to say)
       */
      warnings?: string[];
      /** with `--expect-head`: the entry holding that head, and how many entries came after it */
      expectedHead?: { entry: number; entriesAfter: number };
      /** with `--seen`: each earlier export it extends, its entries and how many came after them */
      seen?: { file: string; entries: number; added: number }[];
    }
  | {
      /**
       * made by an earlier version of Preflight, in a form that cannot be verified, the team
       * server asked with `--server` did not answer, or an earlier export given with `--seen` is
       * not a sign-off export or does not verify on its own (exit 2)
       */
      file: string;
      status: 'unverifiable';
      reason: 'earlier-version' | 'server-unreachable' | 'seen-unusable';
      message: string;
    }
  | {
      /**
       * asked with `--server`, a sign-off exported without a team server: it carries nothing the
       * server recorded (no record of the export, no signature made there) and verifies intact as
       * an offline sign-off (its chain, decisions and signatures: `entries`, `head`), so there is
       * nothing to check against a server — it is not a server export, and not tampered either
       */
      file: string;
      status: 'not-server-export';
      entries: number;
      head: string;
      message: string;
    }
  | {
      file: string;
      status: 'tampered';
      /** the first broken entry of the chain (1-based), when the damage is there */
      entry?: number;
      /** the id of the first broken signature, when the damage is there */
      signature?: string;
      reason: string;
      message: string;
    };

/** The largest sign-off file read: 256 MiB (a log holds hashes and ids, a few hundred bytes per decision). */
export const MAX_AUDIT_LOG_BYTES = 256 * 1024 * 1024;

/**
 * How many entries of the team server's log a sign-off file names (the server's record of its
 * export, the server entries of the signatures made there): none for a review never sent to a
 * team server, or exported while signed out of it. Read defensively: call it on any parsed JSON.
 */
export function serverEntriesNamed(json: unknown): number {
  if (!isPlainObject(json)) return 0;
  try {
    return signoffAnchorQuestions({
      ...(Array.isArray(json.reviews) ? { reviews: json.reviews as Review[] } : {}),
      ...(Array.isArray(json.serverRecords)
        ? { serverRecords: json.serverRecords as ServerAuditRecord[] }
        : {}),
    }).length;
  } catch {
    // not shaped as a sign-off file: the verifier says where
    return 0;
  }
}

/** Asks the team server which of `hashes` are its entries, or says why it cannot (a sentence). */
type AskAnchor = (hashes: string[]) => Promise<AnchorReply | string>;

/** The path a team server answers anchor questions at (the server's ANCHOR_PATH). */
const ANCHOR_PATH = '/api/anchor';

/** How long the server has to answer before it counts as out of reach. */
const ANCHOR_TIMEOUT_MS = 30_000;

/** A fetch, as the browser and Node both have it (the tests give a stub). */
export type AnchorFetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Asks the team server at `url` (its address, e.g. `https://preflight.clinic.example`), through
 * the caller's `fetchImpl` (the core does no I/O of its own), over its
 * public `/api/anchor`, which needs no sign-in: a hash is unguessable, so the answer tells nothing
 * to anyone who does not already hold the entry. Why it cannot is said as a sentence for the
 * person who gave the address.
 */
export function anchorAsker(url: string, fetchImpl: AnchorFetch): AskAnchor {
  return async (hashes) => {
    let address: URL;
    try {
      address = new URL(ANCHOR_PATH, url);
      if (address.protocol !== 'https:' && address.protocol !== 'http:') throw new Error('not http');
    } catch {
      return 'it is not an http(s) address';
    }
    try {
      const response = await fetchImpl(address.href, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hashes }),
        signal: AbortSignal.timeout(ANCHOR_TIMEOUT_MS),
      });
      if (!response.ok) return `the server answered ${response.status}: is it a Preflight team server?`;
      const reply = (await response.json()) as Partial<AnchorReply> | null;
      if (!reply || !Array.isArray(reply.entries)) return "its answer is not a Preflight team server's";
      return reply as AnchorReply;
    } catch {
      return 'it did not answer (check the address and that this computer can reach it)';
    }
  };
}

/** Asks the team server for its history of log keys (oldest first), or says why it cannot. */
type AskLogKeys = () => Promise<LogKeyRecord[] | string>;

/** The path a team server serves its log keys at (the server's LOG_KEY_PATH), public. */
const LOG_KEY_PATH = '/api/log/key';

/**
 * Asks the team server at `url` for every log key it signed heads with (`GET /api/log/key`,
 * public), through the caller's `fetchImpl`: oldest first, its current key last, the history
 * checked to be one chain of signed rotations ({@link checkKeyHistory}). A server from before
 * rotations (no `keys`) has had one key. Why it cannot is a sentence, as {@link anchorAsker}'s.
 */
export function logKeysAsker(url: string, fetchImpl: AnchorFetch): AskLogKeys {
  return async () => {
    let address: URL;
    try {
      address = new URL(LOG_KEY_PATH, url);
      if (address.protocol !== 'https:' && address.protocol !== 'http:') throw new Error('not http');
    } catch {
      return 'it is not an http(s) address';
    }
    let key: { keyId?: unknown; publicKey?: unknown; keys?: unknown } | null;
    try {
      const response = await fetchImpl(address.href, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(ANCHOR_TIMEOUT_MS),
      });
      if (!response.ok)
        return `the server answered ${response.status} for its log keys: is it a Preflight team server?`;
      key = (await response.json()) as typeof key;
    } catch {
      return 'it did not answer for its log keys (check the address and that this computer can reach it)';
    }
    if (!key || typeof key.keyId !== 'string' || typeof key.publicKey !== 'string')
      return "its answer for its log keys is not a Preflight team server's";
    const history: LogKeyRecord[] = Array.isArray(key.keys)
      ? [...(key.keys as LogKeyRecord[])].reverse()
      : [{ keyId: key.keyId, publicKey: key.publicKey, algorithm: 'Ed25519', createdAt: '' }];
    const checked = await checkKeyHistory(history);
    if (!checked.ok) return `its history of log keys does not hold (${checked.message})`;
    if (history.at(-1)?.keyId !== key.keyId)
      return 'its history of log keys does not end with the key it signs with now';
    return history;
  };
}

/**
 * Verifies parsed JSON that claims to be an audit log: the chain (defensively, on the raw entries,
 * so the first broken entry is named even when an entry no longer matches the schema), then the
 * schema of the whole file.
 */
function verifyAuditLogJson(file: string, json: Record<string, unknown>): SignoffFileVerification {
  const entries = Array.isArray(json.entries) ? (json.entries as unknown[]) : undefined;
  if (!entries)
    return { file, status: 'tampered', reason: 'malformed', message: 'it has no list of entries' };
  const reviews = Array.isArray(json.reviews) ? (json.reviews as Review[]) : undefined;
  const steps = {
    ...(isPlainObject(json.roster) && Array.isArray(json.roster.changes)
      ? { roster: json.roster as unknown as Roster }
      : {}),
    ...(Array.isArray(json.plans) ? { plans: json.plans as SamplePlan[] } : {}),
    ...(Array.isArray(json.steering) ? { steering: json.steering as SteeringDecision[] } : {}),
  };
  let chain: AuditVerification;
  try {
    chain = verifyAuditChain(entries, reviews, steps);
  } catch {
    // a reviews list that is not reviews: the schema check below names where
    chain = verifyAuditChain(entries);
  }
  if (!chain.ok)
    return { file, status: 'tampered', entry: chain.entry, reason: chain.reason, message: chain.message };
  let integrity: string | undefined;
  try {
    integrity = auditLogIntegrity(json as unknown as AuditLogFile);
  } catch {
    integrity = undefined; // not plain JSON data: the schema check names where
  }
  const stated = isPlainObject(json.integrity) ? json.integrity.sha256 : undefined;
  if (integrity !== undefined && stated !== integrity)
    return {
      file,
      status: 'tampered',
      reason: 'integrity',
      message:
        'the file does not match its integrity hash: something outside the chain entries (a review, the project id or the export time) was changed',
    };
  const loaded = loadAuditLog(json);
  if (!loaded.ok) {
    const first = loaded.problems[0];
    const entry = /^\/entries\/(\d+)/.exec(first?.path ?? '');
    return {
      file,
      status: 'tampered',
      ...(entry ? { entry: Number(entry[1]) + 1 } : {}),
      reason: 'schema',
      message: loaded.problems
        .slice(0, 5)
        .map((p) => `${p.path || '/'}: ${p.message}`)
        .join('; '),
    };
  }
  return { file, status: 'verified', entries: chain.entries, head: chain.head, decisionsChecked: !!reviews };
}

/**
 * A signature made on the team server (a reviewer's, an adjudicator's, a data lead's approval or
 * confirmation of the sample's result), verified, as `--json` prints it.
 */
export interface VerifiedServerSignature {
  id: string;
  reviewId: string;
  kind: ServerReviewSignature['kind'];
  signer: { name: string; role: string; id: string };
  signedAt: string;
  meaning: string;
  /** how many of her decisions of its kind it signs, of how many she made (an approval: of the review's decisions) */
  covered: number;
  of: number;
  /** how far it reaches as signed, for a signature made since scopes ("86 of 93 decided") */
  scope?: { decisions: number; decided: number; assigned: number };
  server: { project: string; projectSeq: number; entryHash: string };
}

/** The server entry a signature names, as the verification reports it. */
export function serverOf(server: { project: string; projectSeq: number; entryHash: string }) {
  return { project: server.project, projectSeq: server.projectSeq, entryHash: server.entryHash };
}

/** One verified signature as `--json` prints it. */
export interface VerifiedSignature {
  id: string;
  reviewId: string;
  signer: { name: string; role: string; id: string };
  signedAt: string;
  meaning: string;
  signoffSha256: string;
  reauthentication: 'webauthn' | 'none';
  webauthn?: { origin: string; userVerified: boolean; credentialId: string };
  /** made on the team server: its entry in the server's log (`--server` asks the server about it) */
  server?: { project: string; projectSeq: number; entryHash: string };
  /**
   * True when the results it binds are the review's in the file: no decision was recorded after it
   * (src/core/signoff/signing/signatureCoverage.ts). A signature that verifies may still cover less.
   */
  coversCurrentResults: boolean;
  /** ids of the review's decisions logged after it, which it does not cover, in the order made */
  decisionsAfter: string[];
  /**
   * the id of the signature that superseded this one (its signer's later one, else the next), as
   * the sign panel and the report say it; absent while it is current (a co-signature replaces nothing)
   */
  replacedBy?: string;
}

/**
 * {@link verifyAuditLogJson}, then every signature of the file's reviews (in file order): exit 1
 * names the first broken one.
 */
export async function verifySignoffJson(
  file: string,
  json: Record<string, unknown>,
  options: {
    expectHead?: string;
    /** asks the team server which of `hashes` are its entries (`--server`), or says why it cannot */
    server?: AskAnchor;
    /**
     * with `server`: asks it for its history of log keys, which must hold the key of every head
     * the file carries, not retired when the head was made (absent: the keys are not asked)
     */
    serverKeys?: AskLogKeys;
    /** earlier exports of the same sign-off (`--seen`), parsed: the file must extend each */
    seen?: readonly { file: string; json: unknown }[];
  } = {},
): Promise<SignoffFileVerification> {
  const base = verifyAuditLogJson(file, json);
  if (base.status !== 'verified' || 'format' in base) return base;
  const head = options.expectHead
    ? expectedHead(file, json.entries as ChainEntry[], options.expectHead)
    : undefined;
  if (head?.status === 'tampered') return head;
  const log = json as unknown as AuditLogFile;
  // who did what, replayed along the chain (roster, reviewers, signing keys): names the entry
  const identity = await verifySignerIdentities(log.entries, log.reviews ?? [], log.roster);
  if (!identity.ok)
    return {
      file,
      status: 'tampered',
      entry: identity.entry,
      ...(identity.signature ? { signature: identity.signature } : {}),
      reason: identity.reason,
      message: identity.message,
    };
  const verified: VerifiedSignature[] = [];
  const verifiedServer: VerifiedServerSignature[] = [];
  // each review's signatures, as the lead's sign panel checks them (reviewSignatureChecks.ts)
  const checked: { review: Review; checks: ReviewSignatureChecks }[] = [];
  for (const review of log.reviews ?? [])
    checked.push({ review, checks: await checkReviewSignatures(review, log.entries, { plans: log.plans }) });
  for (const { review, checks } of checked) {
    for (const { signature, result, coverage: covered } of checks.signatures) {
      if (!result.ok) {
        const entry =
          log.entries.findIndex(
            (e) => e.event === 'signature' && e.reviewId === review.id && e.signatureId === signature.id,
          ) + 1;
        return {
          file,
          status: 'tampered',
          ...(entry > 0 ? { entry } : {}),
          signature: signature.id,
          reason: result.reason,
          message: entry > 0 ? `entry ${entry}: ${result.message}` : result.message,
        };
      }
      verified.push({
        id: signature.id,
        reviewId: review.id,
        signer: signature.signer,
        signedAt: signature.signedAt,
        meaning: signature.meaning,
        signoffSha256: signature.signoffSha256,
        reauthentication: result.reauthentication,
        ...(result.webauthn ? { webauthn: result.webauthn } : {}),
        ...(signature.reauthentication.method === 'webauthn' && signature.reauthentication.server
          ? { server: serverOf(signature.reauthentication.server) }
          : {}),
        coversCurrentResults: covered?.coversCurrentResults ?? true,
        decisionsAfter: covered?.decisionsAfter.map((d) => d.id) ?? [],
        ...(covered?.replacedBy ? { replacedBy: covered.replacedBy.signatureId } : {}),
      });
    }
  }
  // the reviewers' signatures made on the team server: over their own decisions, assertion verified
  for (const { review, checks } of checked) {
    for (const { signature, result } of checks.serverSignatures) {
      if (!result.ok)
        return {
          file,
          status: 'tampered',
          signature: signature.id,
          reason: 'server-signature',
          message: result.message,
        };
      verifiedServer.push({
        id: signature.id,
        reviewId: review.id,
        kind: signature.kind,
        signer: signature.signer,
        signedAt: signature.signedAt,
        meaning: signature.meaning,
        covered: result.covered,
        of: result.of,
        ...(result.scope === undefined ? {} : { scope: result.scope }),
        server: serverOf(signature.reauthentication.server),
      });
    }
  }
  // the team server's records of this export: the file holds what the server recorded of it
  const recorded = checkSignoffExportRecords(log);
  if (recorded)
    return {
      file,
      status: 'tampered',
      ...(recorded.entry === undefined ? {} : { entry: recorded.entry }),
      reason: 'server-record',
      message: recorded.message,
    };
  // each decision replayed from the team server is the one its server entry records
  const undecided = checkServerDecisionEntries(log);
  if (undecided !== undefined)
    return { file, status: 'tampered', reason: 'server-decision', message: undecided };
  // the team server's signed heads the file carries: every server entry it names is in them
  const tree = await checkSignoffTreeHeads(log);
  if (tree.finding !== undefined)
    return { file, status: 'tampered', reason: 'tree-head', message: tree.finding };
  if (options.server) {
    if ((log.serverRecords ?? []).length === 0 && !carriesServerWork(log))
      return {
        file,
        status: 'not-server-export',
        entries: base.entries,
        head: base.head,
        message: NOT_A_SERVER_EXPORT,
      };
    if ((log.serverRecords ?? []).length === 0)
      return {
        file,
        status: 'tampered',
        reason: 'server-record',
        message:
          "the file carries no record of the team server's: it was exported without one, or the record was cut with what it held",
      };
    const questions = signoffAnchorQuestions(log);
    const reply = await options.server(questions.map((q) => q.hash));
    if (typeof reply === 'string')
      return {
        file,
        status: 'unverifiable',
        reason: 'server-unreachable',
        message: `cannot check against the team server: ${reply}`,
      };
    const against = checkSignoffAgainstServer(questions, reply);
    if (against) return { file, status: 'tampered', reason: 'server-anchor', message: against.message };
    // every entry the file names is the server's: so must the key of each head over them be,
    // and one it had not retired when the head was made
    const heads = log.treeHeads ?? [];
    const keys = heads.length === 0 || !options.serverKeys ? undefined : await options.serverKeys();
    if (typeof keys === 'string')
      return {
        file,
        status: 'unverifiable',
        reason: 'server-unreachable',
        message: `cannot check the signed tree heads' keys against the team server: ${keys}`,
      };
    for (const { treeHead, logKey } of keys === undefined ? [] : heads) {
      const latestEntryAt = (log.serverRecords ?? [])
        .filter((r) => r.detail.project === treeHead.project && (r.projectSeq ?? 0) <= treeHead.size)
        .map((r) => r.at)
        .sort()
        .at(-1);
      const checked = checkHeadKeyOfServer(treeHead, logKey.publicKey, keys ?? [], {
        project: treeHead.project,
        ...(latestEntryAt === undefined ? {} : { latestEntryAt }),
      });
      if (!checked.ok) return { file, status: 'tampered', reason: 'tree-head', message: checked.message };
    }
  }
  // a meaning must be true of its signer: "I reviewed" needs decisions of their own
  const untrue = (log.reviews ?? []).flatMap((r) =>
    (r.signatures ?? []).flatMap((s) => {
      const why = untrueMeaning(s, r);
      return why ? [`${why}: its meaning is not true of its signer.`] : [];
    }),
  );
  const seen: { file: string; entries: number; added: number }[] = [];
  for (const earlier of options.seen ?? []) {
    const unusable = (why: string): SignoffFileVerification => ({
      file,
      status: 'unverifiable',
      reason: 'seen-unusable',
      message: `${earlier.file} (given with --seen) ${why}`,
    });
    if (!isPlainObject(earlier.json) || earlier.json.format !== AUDIT_LOG_FORMAT)
      return unusable(
        `is not a sign-off audit log (${AUDIT_LOG_FORMAT}): give an earlier export of this sign-off`,
      );
    const alone = await verifySignoffJson(earlier.file, earlier.json);
    if (alone.status !== 'verified')
      return unusable(
        `does not verify on its own: check it with "preflight signoff verify ${earlier.file}" first`,
      );
    if (earlier.json.projectId !== log.projectId)
      return unusable(
        `is the sign-off of another project (${String(earlier.json.projectId)}), not of ${log.projectId}`,
      );
    const compared = compareSignoffExports(log, file, earlier.json as unknown as AuditLogFile, earlier.file);
    if (!compared.extends)
      return {
        file,
        status: 'tampered',
        ...(compared.entry === undefined ? {} : { entry: compared.entry }),
        reason: 'seen',
        message: compared.message,
      };
    seen.push({ file: earlier.file, entries: compared.entries, added: compared.added });
  }
  // asked, the server answered for every entry the file names: a missing head is then no gap
  const warnings = [...identity.warnings, ...untrue, ...(options.server ? [] : tree.warnings)];
  return {
    ...base,
    ...(verified.length > 0 ? { signatures: verified } : {}),
    ...(verifiedServer.length > 0 ? { serverSignatures: verifiedServer } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(head?.status === 'found' ? { expectedHead: { entry: head.entry, entriesAfter: head.after } } : {}),
    ...(seen.length > 0 ? { seen } : {}),
  };
}

/** What `signoff verify --server` says of a sign-off exported without a team server. */
const NOT_A_SERVER_EXPORT =
  'this sign-off was not exported from a team server: nothing in it was recorded or signed on one, so there is nothing to check against the server. Its own audit chain, decisions and signatures are intact (checked as an offline sign-off). If the clinic made this sign-off on its team server, ask the lead for the export made there.';

/**
 * Whether `log` holds work done on a team server — a signature made there, or the chain's entry
 * bringing one in — so that a missing record of the export means it was cut, not never made.
 */
function carriesServerWork(log: AuditLogFile): boolean {
  return (
    log.entries.some((e) => e.event === 'server-signature') ||
    (log.reviews ?? []).some(
      (r) =>
        (r.serverSignatures ?? []).length > 0 ||
        (r.signatures ?? []).some(
          (s) => s.reauthentication.method === 'webauthn' && s.reauthentication.server,
        ),
    )
  );
}

/**
 * Where the head printed on a report (`--expect-head`) is in the chain: found (at which entry,
 * with how many after it), or tampered — no entry has it, so entries after the last one were
 * removed since the report was printed (or the log is another sign-off's).
 */
function expectedHead(
  file: string,
  entries: readonly ChainEntry[],
  expected: string,
):
  | { status: 'found'; entry: number; after: number }
  | Extract<SignoffFileVerification, { status: 'tampered' }> {
  const index = entries.findIndex((e) => e.hash === expected);
  if (index >= 0) return { status: 'found', entry: index + 1, after: entries.length - index - 1 };
  const last = entries.length;
  return {
    file,
    status: 'tampered',
    entry: last + 1,
    reason: 'head-missing',
    message: `entry ${last + 1}: missing — the chain ends at entry ${last} and none of its entries has the head printed on the report: entries after entry ${last} were removed after printing (or this is another sign-off's log)`,
  };
}
