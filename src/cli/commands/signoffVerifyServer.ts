/**
 * `preflight signoff verify <project-audit.json> [--server <url>]`: a shared project's audit log
 * as its lead exported it from the team server — the chain, the printed head, every signature
 * (its key registered by its signer and confirmed before it, its meaning, its assertion, no
 * assertion used twice) and, with `--server`, every entry against the server's own log, so a cut
 * and re-sealed export, or one rewritten without its signatures, is caught without a printed head,
 * and the signed head's key against the server's history of keys (one it never had, or one it
 * retired before the head or its entries, is refused).
 * The checks are core (src/core/signoff/signing/serverChain.ts); this file reads, asks and prints.
 *
 * Why ask the server and not a head file: a head file travels with the export and is edited with
 * it; the server is the one copy the person who tampered cannot rewrite (its log refuses UPDATE
 * and DELETE). The question needs no sign-in — a hash is unguessable, so the server tells nothing
 * to anyone who does not hold the entry already — so it runs from any computer on the clinic's
 * network, in a script or by hand.
 */
import { type AnchorFetch, anchorAsker, logKeysAsker } from '../../core/signoff/exports/index.ts';
import {
  checkAgainstServer,
  type ServerSignature,
  verifyServerSignatures,
} from '../../core/signoff/signing/index.ts';
import { auditKindLabel } from '../../core/teamApi/index.ts';
import {
  auditLeaves,
  checkExportedTree,
  checkHeadKeyOfServer,
  checkNamedLogKey,
  compareLogs,
  prefixRoots,
  rotatedTo,
  type SignedTreeHead,
} from '../../core/transparency/index.ts';
import { loadProjectAudit, PROJECT_AUDIT_FORMAT, type ProjectAuditFile } from '../../formats/projectAudit.ts';

/** An entry's kind as the audit table names it (the core's one table of labels). */
const kindWords = (kind: string | undefined) => (kind === undefined ? 'missing' : auditKindLabel(kind));

/** What verifying a project's exported log finds (`--json` prints it). */
type ProjectAuditVerification =
  | {
      file: string;
      status: 'verified';
      format: typeof PROJECT_AUDIT_FORMAT;
      entries: number;
      head: string;
      signatures: ServerSignature[];
      /** with `--server`: how many entries the server has written for the project since the export */
      server?: { url: string; laterEntries: number };
      /** the tree head the server signed over the entries, verified (absent in older exports) */
      treeHead?: SignedTreeHead;
      /**
       * with `--seen`: each earlier export this log extends, how many entries it adds, and the
       * key that signed the earlier head when the server rotated from it since
       */
      seen?: { file: string; entries: number; added: number; rotatedFrom?: string }[];
      /** with `--head`: how many entries the printed tree root covers */
      printedHead?: { rootHash: string; size: number };
      warnings: string[];
    }
  | {
      file: string;
      status: 'tampered';
      format: typeof PROJECT_AUDIT_FORMAT;
      entry: number | 'head';
      message: string;
      /** with `--seen`: the earlier export that holds the server's earlier word */
      heldBy?: string;
    }
  | { file: string; status: 'unreachable'; message: string }
  /** an earlier export given with `--seen` that cannot be compared with (exit 2) */
  | { file: string; status: 'unusable'; message: string };

/** An earlier export given with `--seen`, as read. */
export interface SeenExport {
  file: string;
  json: unknown;
}

/** What else a project log is checked against. */
interface WitnessOptions {
  /** earlier exports of the same project (`--seen`) */
  seen?: readonly SeenExport[];
  /** a tree root printed on paper (`--head`) */
  head?: string;
}

const short = (hash: string) => hash.slice(0, 16);

/** The signed head of `file` checked against its own entries and key, or why it fails. */
async function checkedTreeHead(
  file: ProjectAuditFile,
): Promise<{ ok: true; head?: SignedTreeHead } | { ok: false; message: string }> {
  if (file.treeHead === undefined) return { ok: true };
  if (file.logKey === undefined)
    return { ok: false, message: 'the file carries a signed tree head but not the log key that signed it' };
  const checked = await checkExportedTree(
    file.project,
    file.entries,
    file.treeHead,
    file.logKey,
    file.inclusionProofs,
  );
  if (!checked.ok)
    return {
      ok: false,
      message:
        checked.where === 'inclusionProofs' ? checked.message : `the signed tree head ${checked.message}`,
    };
  const history = await checkNamedLogKey(file.logKey);
  if (!history.ok) return { ok: false, message: history.message };
  return { ok: true, head: checked.head };
}

/**
 * `later` (the file being verified) against an earlier export `earlier`: the later log must hold
 * every earlier entry unchanged in its place. When it does not, the earlier file holds the
 * server's earlier word when its own signed head verifies — the later log was changed after the
 * last entry both share, never the earlier file.
 */
function againstSeen(
  name: string,
  later: ProjectAuditFile,
  seen: { file: string; value: ProjectAuditFile; head?: SignedTreeHead },
):
  | { ok: true; added: number; rotatedFrom?: string }
  | { ok: false; entry: number | 'head'; message: string; heldBy?: string } {
  // a head signed by another key than the earlier file's is the server's only when the later
  // file's history of keys (checked with its head) shows the server rotated to it from that key
  const rotated =
    seen.head !== undefined && later.treeHead !== undefined && seen.head.keyId !== later.treeHead.keyId;
  if (rotated && seen.head !== undefined && later.treeHead !== undefined && later.logKey !== undefined) {
    if (!rotatedTo(seen.head.keyId, later.logKey))
      return {
        ok: false,
        entry: 'head',
        heldBy: seen.file,
        message: `${name}'s tree head is signed by log key ${short(later.treeHead.keyId)}, which no rotation the team server recorded leads to from log key ${short(seen.head.keyId)}, which signed ${seen.file}'s: the head was not made by the server that signed ${seen.file}, or with a key it never handed over to. ${seen.file} holds the server's earlier word; compare both with the server's keys (GET /api/log/key)`,
      };
  }
  const compared = compareLogs(seen.value.entries, later.entries);
  if (compared.extends)
    return { ok: true, added: compared.added, ...(rotated ? { rotatedFrom: seen.head?.keyId } : {}) };
  const n = compared.index + 1;
  const before = seen.value.entries[compared.index];
  const now = later.entries[compared.index];
  const what =
    compared.reason === 'missing'
      ? `${name} ends at entry ${later.entries.length}, before entry ${n} (${kindWords(before?.kind)}) of ${seen.file}`
      : `entry ${n} of ${name} (${kindWords(now?.kind)}) is not entry ${n} of ${seen.file} (${kindWords(before?.kind)})`;
  const changedAfter = compared.index === 0 ? 'from its first entry on' : `after entry ${compared.index}`;
  if (seen.head === undefined)
    return {
      ok: false,
      entry: n,
      message: `${what}: the two exports disagree ${changedAfter}. ${seen.file} carries no signed tree head (exported before the server signed them), so the files alone cannot say which holds the server's word: verify each with --server <url>`,
    };
  return {
    ok: false,
    entry: n,
    heldBy: seen.file,
    message: `${what}: the team server's audit log was changed ${changedAfter} since ${seen.file} was exported. ${seen.file} holds the server's earlier word: its tree head over ${seen.head.size} entries (root ${seen.head.rootHash}) is signed by the server's log key ${short(seen.head.keyId)} at ${seen.head.timestamp}; keep it`,
  };
}

/** Node's fetch, for asking the team server's anchor. */
export const nodeFetch: AnchorFetch = (input, init) => fetch(input, init);

/** Verifies an exported project log `json` read from `file`, against the server at `server` if given. */
export async function verifyProjectAuditExport(
  file: string,
  json: unknown,
  server?: string,
  witness: WitnessOptions = {},
): Promise<ProjectAuditVerification> {
  const tampered = (entry: number | 'head', message: string): ProjectAuditVerification => ({
    file,
    status: 'tampered',
    format: PROJECT_AUDIT_FORMAT,
    entry,
    message,
  });
  const loaded = loadProjectAudit(json);
  if (!loaded.ok) {
    const [first] = loaded.problems;
    const index = /^\/entries\/(\d+)/.exec(first?.path ?? '')?.[1];
    if (first?.path === '/head') return tampered('head', `the printed head ${first.message}`);
    if (index !== undefined)
      return tampered(Number(index) + 1, `entry ${Number(index) + 1} ${first?.message ?? 'is not valid'}`);
    return tampered(
      0,
      `${first?.path || 'the file'}: ${first?.message ?? 'is not a valid project audit log'}`,
    );
  }
  const { entries, head } = loaded.value;
  const signed = await verifyServerSignatures(entries);
  if (!signed.ok) return tampered(signed.projectSeq, signed.message);
  const tree = await checkedTreeHead(loaded.value);
  if (!tree.ok) return tampered('head', tree.message);
  const warnings: string[] = [];
  const seen: { file: string; entries: number; added: number; rotatedFrom?: string }[] = [];
  /** the server's log keys, asked once when an earlier export's head is to be checked */
  let serverKeysForSeen: Awaited<ReturnType<ReturnType<typeof logKeysAsker>>> | undefined;
  for (const earlier of witness.seen ?? []) {
    const unusable = (why: string): ProjectAuditVerification => ({
      file,
      status: 'unusable',
      message: `${earlier.file} (given with --seen) ${why}`,
    });
    const old = loadProjectAudit(earlier.json);
    if (!old.ok)
      return unusable(
        `does not verify on its own (${old.problems[0]?.path || 'the file'}: ${old.problems[0]?.message ?? 'not a project audit log'}): verify it alone first`,
      );
    if (old.value.project !== loaded.value.project) return unusable('is the log of another project');
    const oldTree = await checkedTreeHead(old.value);
    if (!oldTree.ok)
      return unusable(`does not verify on its own (${oldTree.message}): verify it alone first`);
    // with the server at hand, an earlier export speaks for it only when one of its keys signed
    // the head: a file made up and signed elsewhere must not get the server called a rewriter
    if (server !== undefined && oldTree.head !== undefined) {
      serverKeysForSeen ??= await logKeysAsker(server, nodeFetch)();
      if (typeof serverKeysForSeen === 'string')
        return {
          file,
          status: 'unreachable',
          message: `cannot check ${earlier.file}'s tree head against the server's log keys at ${server}: ${serverKeysForSeen}`,
        };
      const covered = old.value.entries[oldTree.head.size - 1];
      const keyChecked = checkHeadKeyOfServer(
        oldTree.head,
        old.value.logKey?.publicKey ?? '',
        serverKeysForSeen,
        covered === undefined ? {} : { latestEntryAt: covered.at },
      );
      if (!keyChecked.ok)
        return unusable(
          `is not the team server's earlier word: ${keyChecked.message}. Nothing is said against ${file} from it; ${file} is checked against the server on its own without --seen`,
        );
    }
    const against = againstSeen(file, loaded.value, {
      file: earlier.file,
      value: old.value,
      head: oldTree.head,
    });
    if (!against.ok)
      return {
        ...(tampered(against.entry, against.message) as Extract<
          ProjectAuditVerification,
          { status: 'tampered' }
        >),
        ...(against.heldBy === undefined ? {} : { heldBy: against.heldBy }),
      };
    seen.push({
      file: earlier.file,
      entries: old.value.entries.length,
      added: against.added,
      ...(against.rotatedFrom === undefined ? {} : { rotatedFrom: against.rotatedFrom }),
    });
  }
  let printedHead: { rootHash: string; size: number } | undefined;
  if (witness.head !== undefined) {
    const roots = prefixRoots(auditLeaves(entries.map((e) => e.hash)));
    const size = roots.indexOf(witness.head) + 1;
    if (size === 0)
      return tampered(
        'head',
        `no part of this log has the tree root ${witness.head}: the log was changed after that head was printed (or the root was mistyped)`,
      );
    printedHead = { rootHash: witness.head, size };
  }
  if (tree.head === undefined)
    warnings.push(
      'exported before the server signed tree heads: an earlier export given with --seen is compared entry by entry, but only --server can say which copy is the server’s',
    );
  let checked: { url: string; laterEntries: number } | undefined;
  if (server === undefined)
    warnings.push(
      'not checked against the server: an export cut short and re-sealed, or rewritten without its signatures, is caught only with --server <url>',
    );
  else {
    const reply = await anchorAsker(server, nodeFetch)(entries.map((e) => e.hash));
    if (typeof reply === 'string')
      return {
        file,
        status: 'unreachable',
        message: `cannot check against the server at ${server}: ${reply}`,
      };
    const against = checkAgainstServer(entries, reply);
    const publicKey = loaded.value.logKey?.publicKey ?? '';
    if (!against.ok) {
      // the file's own signed head, made with one of the server's keys while it signed heads,
      // covers the entry the server no longer has: the server's log changed after the export,
      // not the file
      const serverKeys = tree.head === undefined ? undefined : await logKeysAsker(server, nodeFetch)();
      if (
        tree.head !== undefined &&
        typeof serverKeys === 'object' &&
        checkHeadKeyOfServer(tree.head, publicKey, serverKeys).ok
      ) {
        const entry = entries[against.projectSeq - 1];
        return {
          ...(tampered(
            against.projectSeq,
            `entry ${against.projectSeq} (${entry ? kindWords(entry.kind) : 'missing'}) is not in the server's log now, but this file's tree head over ${tree.head.size} entries, signed by the server's own log key ${short(tree.head.keyId)} at ${tree.head.timestamp}, covers it: the team server's audit log was changed after this file was exported. This file holds the server's earlier word: keep it`,
          ) as Extract<ProjectAuditVerification, { status: 'tampered' }>),
          heldBy: file,
        };
      }
      return tampered(against.projectSeq, against.message);
    }
    // every entry is the server's: so must the key that signed the head be, and one the server
    // had not retired when the head was made (the entries' times are the server's now)
    const signedHead = tree.head;
    if (signedHead !== undefined) {
      const serverKeys = await logKeysAsker(server, nodeFetch)();
      if (typeof serverKeys === 'string')
        return {
          file,
          status: 'unreachable',
          message: `cannot check the signed tree head's key against the server at ${server}: ${serverKeys}`,
        };
      const latest = entries[signedHead.size - 1];
      const keyChecked = checkHeadKeyOfServer(signedHead, publicKey, serverKeys, {
        ...(latest === undefined ? {} : { latestEntryAt: latest.at }),
      });
      if (!keyChecked.ok) return tampered('head', keyChecked.message);
    }
    checked = { url: server, laterEntries: against.laterEntries };
    if (against.laterEntries > 0)
      warnings.push(
        `the server has written ${against.laterEntries} more ${against.laterEntries === 1 ? 'entry' : 'entries'} for this project since this export: export it again for the latest`,
      );
  }
  if (head === undefined)
    warnings.push(
      'exported before the server printed its head in the file: compare its last hash with the server',
    );
  const last = entries[entries.length - 1];
  return {
    file,
    status: 'verified',
    format: PROJECT_AUDIT_FORMAT,
    entries: entries.length,
    head: last?.hash ?? '',
    signatures: signed.signatures,
    ...(checked === undefined ? {} : { server: checked }),
    ...(tree.head === undefined ? {} : { treeHead: tree.head }),
    ...(witness.seen === undefined || witness.seen.length === 0 ? {} : { seen }),
    ...(printedHead === undefined ? {} : { printedHead }),
    warnings,
  };
}

/** The lines the command prints for `result`. */
export function projectAuditLines(result: ProjectAuditVerification): string[] {
  const { file } = result;
  if (result.status === 'unreachable' || result.status === 'unusable')
    return [`${file}: NOT VERIFIED: ${result.message}`];
  if (result.status === 'tampered')
    return [`${file}: ${result.heldBy === undefined ? 'TAMPERED' : 'LOG CHANGED'}: ${result.message}`];
  const n = result.signatures.length;
  const tree = result.treeHead;
  return [
    `${file}: verified project audit log: ${result.entries} entries, head ${result.head}; ${n} ${n === 1 ? 'signature' : 'signatures'}${result.server ? `; every entry is the server's (${result.server.url})` : ''}`,
    ...(tree === undefined
      ? []
      : [
          `${file}: tree head: ${tree.size} entries, root ${tree.rootHash}, signed by the team server's log key ${short(tree.keyId)} at ${tree.timestamp}`,
        ]),
    ...(result.seen ?? []).map(
      (s) =>
        `${file}: extends ${s.file}: its ${s.entries} entries unchanged, ${s.added} ${s.added === 1 ? 'entry' : 'entries'} after them${s.rotatedFrom === undefined ? '' : `; signed by a log key the server rotated to from ${s.file}'s (${short(s.rotatedFrom)}), as its history of keys shows`}`,
    ),
    ...(result.printedHead === undefined
      ? []
      : [
          `${file}: the printed root ${result.printedHead.rootHash} is the tree of its first ${result.printedHead.size} entries`,
        ]),
    ...result.signatures.map(
      (s) =>
        `${file}: signature at entry ${s.projectSeq}: ${s.signer.name} (${s.signer.subject}), ${s.role}, ${s.signedAt}, meaning “${s.meaning}”${s.rationale === undefined ? '' : `, rationale “${s.rationale}”`}; signs ${s.hash}; WebAuthn assertion verified`,
    ),
    ...result.warnings.map((w) => `${file}: WARNING: ${w}`),
  ];
}
