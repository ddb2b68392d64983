/**
 * A sign-off export's place in the team server's transparency log: the server entries the file
 * names (the server's record of each export, the entry of each signature made on the server)
 * proved, each by an inclusion proof, to be in the tree head the server signed when the export
 * was recorded; and a later sign-off export checked against an earlier one (`--seen`).
 *
 * Why: a file holds the server's record of its export and the entries of its signatures, but
 * someone holding only the file can cut a signature, make the record again to match and
 * recompute every hash; without the server's word the file then verifies. The signed head is
 * that word, carried in the file: a re-made record, a moved signature entry or a record cut with
 * its head still there no longer match it. The head itself can be stripped or replaced by one of
 * the forger's own key — an earlier export (`--seen`) holds the server's earlier head and key, and
 * an earlier chain, which a forgery no longer extends.
 *
 * Constraint: a leaf is an entry's own hash (src/core/transparency). The earlier export is never
 * called rewritten: when the two differ, the later file is the one that changed.
 */
import type { AuditLogFile, ChainEntry, SignoffTreeHead } from '../../../formats/auditLog.ts';
import {
  checkNamedLogKey,
  compareLogs,
  entryLeafHash,
  rotatedTo,
  type SignedTreeHead,
  verifyInclusion,
  verifyTreeHead,
} from '../../transparency/index.ts';
import { serverDecisionEntryProblem } from '../signing/serverRecord.ts';

/** An entry of the team server's log that a sign-off file names. */
interface NamedServerEntry {
  project: string;
  projectSeq: number;
  hash: string;
  /** what it is, in words ("the team server's record of this export (its entry 14)") */
  what: string;
  /** the entry of a decision replayed from the server */
  decision?: true;
}

/**
 * The server entries `log` names: its records of the export, then the signatures made on the
 * server, then the entry of each decision replayed from the server.
 */
function namedServerEntries(log: Pick<AuditLogFile, 'reviews' | 'serverRecords'>): NamedServerEntry[] {
  const out: NamedServerEntry[] = [];
  for (const r of log.serverRecords ?? [])
    out.push({
      project: r.detail.project ?? '',
      projectSeq: r.projectSeq ?? 0,
      hash: r.hash,
      what: `the team server's record of this export (its entry ${r.projectSeq ?? 0})`,
    });
  for (const review of log.reviews ?? []) {
    for (const s of review.signatures ?? [])
      if (s.reauthentication.method === 'webauthn' && s.reauthentication.server) {
        const { project, projectSeq, entryHash } = s.reauthentication.server;
        out.push({ project, projectSeq, hash: entryHash, what: `signature ${s.id} of ${s.signer.name}` });
      }
    for (const s of review.serverSignatures ?? []) {
      const { project, projectSeq, entryHash } = s.reauthentication.server;
      out.push({ project, projectSeq, hash: entryHash, what: `the signature of ${s.signer.name}` });
    }
  }
  for (const review of log.reviews ?? [])
    for (const e of review.serverDecisionEntries ?? [])
      out.push({
        project: e.detail.project ?? '',
        projectSeq: e.projectSeq ?? 0,
        hash: e.hash,
        what: `the team server's entry of decision ${e.detail.decision ?? '?'} (its entry ${e.projectSeq ?? 0})`,
        decision: true,
      });
  return out;
}

/**
 * Whether each decision of a review replayed from the team server is the server's, by the
 * entries the review keeps (`serverDecisionEntries`): they are numbered 1, 2, 3… in the server's
 * order of the review (none left out), each hash its content's and naming a decision the review
 * holds with that SHA-256 and outcome, in the review's order; every decision after the first the
 * server recorded has one. The entries themselves are proved the server's by the signed head
 * ({@link checkSignoffTreeHeads}). A review that keeps no entries (kept before the replay kept
 * them, or never sent) is not checked here. Returns the first decision that is not, named.
 */
export function checkServerDecisionEntries(log: Pick<AuditLogFile, 'reviews'>): string | undefined {
  for (const review of log.reviews ?? []) {
    const entries = review.serverDecisionEntries ?? [];
    if (entries.length === 0) continue;
    const r = `review ${review.id}`;
    const place = new Map(review.decisions.map((d, i) => [d.id, i]));
    let last = -1;
    for (const [i, entry] of entries.entries()) {
      const named = entry.detail.decision ?? '?';
      if (entry.detail.reviewSeq !== String(i + 1))
        return `the team server's entry of decision ${i + 1} of ${r} is not in the file (the entry in its place records its decision ${entry.detail.reviewSeq ?? '?'}, ${named}): a decision was dropped, or its entry swapped`;
      const at = place.get(named);
      const problem = serverDecisionEntryProblem(
        entry,
        at === undefined ? undefined : review.decisions[at],
        review.id,
      );
      if (problem !== undefined) return `decision ${named} of ${r} is not the team server's: ${problem}`;
      if ((at as number) < last)
        return `decision ${named} of ${r} is out of the team server's order (its entry ${entry.projectSeq ?? '?'}): the decisions or their entries were swapped`;
      last = at as number;
    }
    const first = place.get(entries[0]?.detail.decision ?? '') ?? 0;
    const kept = new Set(entries.map((e) => e.detail.decision));
    const unproved = review.decisions.slice(first).find((d) => !kept.has(d.id));
    if (unproved !== undefined)
      return `decision ${unproved.id} of ${r} has no entry of the team server's, though the review's other decisions do: it was not recorded on the server, or its entry was cut`;
  }
  return undefined;
}

/** What the file's own tree heads say of it: the first finding, and what verifies but is weaker. */
interface TreeHeadCheck {
  finding?: string;
  warnings: string[];
}

/** The warning for a file that names server entries and carries no signed head of them. */
function headMissingWarning(named: number): string {
  return `the file names ${named} ${named === 1 ? 'entry' : 'entries'} of the team server's log but carries no signed tree head of it: it was exported before the server signed heads, or the head was removed. Nothing in the file proves those entries are the server's: check it against the server (--server <url>) or an earlier export (--seen <file>)`;
}

/**
 * Checks `log`'s signed tree heads offline: each is signed by the key the file names; every
 * server entry the file names is proved to be in its project's head, at its place; every head is
 * of a project whose record of this export the file holds. A file naming server entries without
 * any head verifies with a warning (older exports carry none): a stripped head never passes silently.
 */
export async function checkSignoffTreeHeads(
  log: Pick<AuditLogFile, 'reviews' | 'serverRecords' | 'treeHeads'>,
): Promise<TreeHeadCheck> {
  const named = namedServerEntries(log);
  // a decision's own entry is named before the record whose results hash it changes too
  const decisionsFirst = [...named].sort((a, b) => Number(b.decision === true) - Number(a.decision === true));
  const heads = log.treeHeads ?? [];
  if (heads.length === 0) return { warnings: named.length > 0 ? [headMissingWarning(named.length)] : [] };
  const byProject = new Map<string, SignoffTreeHead[]>();
  for (const held of heads) {
    const { project } = held.treeHead;
    if (
      held.logKey.keyId !== held.treeHead.keyId ||
      !(await verifyTreeHead(held.treeHead, held.logKey.publicKey))
    )
      return {
        finding: `the signed tree head of project ${project} is not signed by the log key the file names: the head was edited or made elsewhere`,
        warnings: [],
      };
    const history = await checkNamedLogKey(held.logKey);
    if (!history.ok)
      return {
        finding: `the log key that signed the tree head of project ${project}: ${history.message}`,
        warnings: [],
      };
    if (!(log.serverRecords ?? []).some((r) => r.detail.project === project))
      return {
        finding: `the file carries the team server's signed tree head of project ${project} but no record of this export there: the record was cut`,
        warnings: [],
      };
    byProject.set(project, [...(byProject.get(project) ?? []), held]);
  }
  for (const entry of decisionsFirst) {
    const held = byProject.get(entry.project);
    if (held === undefined)
      return {
        finding: `${entry.what} is an entry of project ${entry.project}, whose signed tree head the file does not carry: the head was removed`,
        warnings: [],
      };
    // one head per export of a review: an entry is proved by any head of its project
    const proved = held.some(({ treeHead: { size, rootHash }, inclusionProofs }) => {
      const proof = inclusionProofs.find((p) => p.projectSeq === entry.projectSeq);
      return (
        proof !== undefined &&
        verifyInclusion(entryLeafHash(entry.hash), entry.projectSeq - 1, size, proof.proof, rootHash)
      );
    });
    if (!proved)
      return {
        finding: `${entry.what} is not the entry the team server's signed tree head of project ${entry.project} holds at ${entry.projectSeq}: it was changed after the file left the server`,
        warnings: [],
      };
  }
  return { warnings: [] };
}

/** How a later sign-off export stands to an earlier one. */
type SignoffComparison =
  | { extends: true; entries: number; added: number }
  /** `entry` (from 1): the first entry of the later file's chain that differs, when it is there */
  | { extends: false; entry?: number; message: string };

/** The head over the most entries of each project a file carries a head of. */
function latestHeads(file: Pick<AuditLogFile, 'treeHeads'>): Map<string, SignedTreeHead> {
  const out = new Map<string, SignedTreeHead>();
  for (const { treeHead } of file.treeHeads ?? []) {
    const held = out.get(treeHead.project);
    if (held === undefined || held.size < treeHead.size) out.set(treeHead.project, treeHead);
  }
  return out;
}

const eventOf = (e: ChainEntry | undefined) => e?.event ?? 'none';

/**
 * Whether the sign-off export `later` (named `laterName`) extends `earlier` (`earlierName`), both
 * verified on their own: its audit chain holds every entry of the earlier one unchanged, it
 * carries a signed head of each team project the earlier one does, under the same log key or one
 * the later file's history of keys shows the server rotated to from it, over
 * at least as many entries (the same root when as many), and names every server entry the earlier
 * one names at the same place with the same hash.
 */
export function compareSignoffExports(
  later: Pick<AuditLogFile, 'entries' | 'reviews' | 'serverRecords' | 'treeHeads'>,
  laterName: string,
  earlier: Pick<AuditLogFile, 'entries' | 'reviews' | 'serverRecords' | 'treeHeads'>,
  earlierName: string,
): SignoffComparison {
  const chain = compareLogs(earlier.entries, later.entries);
  if (!chain.extends) {
    const n = chain.index + 1;
    return chain.reason === 'missing'
      ? {
          extends: false,
          entry: later.entries.length,
          message: `${laterName} ends at entry ${later.entries.length}, and ${earlierName} holds ${earlier.entries.length}: entries from ${n} on were cut after ${earlierName} was exported (${earlierName} holds the earlier word)`,
        }
      : {
          extends: false,
          entry: n,
          message: `entry ${n} of ${laterName} (${eventOf(later.entries[chain.index])}) is not entry ${n} of ${earlierName} (${eventOf(earlier.entries[chain.index])}): the sign-off's audit chain was changed after entry ${n - 1} since ${earlierName} was exported (${earlierName} holds the earlier word)`,
        };
  }
  const laterHeads = latestHeads(later);
  for (const was of latestHeads(earlier).values()) {
    const now = laterHeads.get(was.project);
    const p = `project ${was.project}`;
    if (now === undefined)
      return {
        extends: false,
        message: `${laterName} carries no signed tree head of ${p}'s log, and ${earlierName} does: it was removed, and nothing in ${laterName} proves its server entries are the server's`,
      };
    const key = (later.treeHeads ?? []).find((t) => t.treeHead === now)?.logKey;
    if (key === undefined || !rotatedTo(was.keyId, key))
      return {
        extends: false,
        message: `${laterName}'s tree head of ${p} is signed by log key ${now.keyId}, which no rotation the team server recorded leads to from ${was.keyId}, the key that signed ${earlierName}'s: it was not made by the server that signed ${earlierName} (${earlierName} holds the server's earlier word; compare both with the server's keys, GET /api/log/key)`,
      };
    if (now.size < was.size)
      return {
        extends: false,
        message: `${laterName}'s tree head of ${p} covers ${now.size} entries, fewer than ${earlierName}'s ${was.size}: give the later export first, or its head was replaced with an older one`,
      };
    if (now.size === was.size && now.rootHash !== was.rootHash)
      return {
        extends: false,
        message: `the team server's log of ${p} was changed: ${laterName} and ${earlierName} hold heads over the same ${now.size} entries with different roots (${now.rootHash}, ${was.rootHash}); ${earlierName} holds the server's earlier word`,
      };
  }
  const laterEntries = namedServerEntries(later);
  for (const was of namedServerEntries(earlier)) {
    const now = laterEntries.find((e) => e.project === was.project && e.projectSeq === was.projectSeq);
    if (now !== undefined && now.hash !== was.hash)
      return {
        extends: false,
        message: `${now.what} in ${laterName} is not the team server's entry ${was.projectSeq} of project ${was.project} that ${earlierName} holds (${was.what}): it was changed after ${earlierName} was exported`,
      };
  }
  return {
    extends: true,
    entries: earlier.entries.length,
    added: later.entries.length - earlier.entries.length,
  };
}
