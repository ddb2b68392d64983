/**
 * A project's audit log as a Merkle tree: its entries in their project order, each leaf the
 * entry's own hash (merkleTree.ts {@link entryLeafHash}), and how a later copy of the log is
 * compared with an earlier one — by root when only a head was kept, entry by entry when both
 * copies are at hand.
 */
import { entryLeafHash, type HexHash, inclusionProofs, treeRoot, verifyInclusion } from './merkleTree.ts';
import { type SignedTreeHead, verifyTreeHead } from './treeHead.ts';

/** The leaf hashes of a log whose entries hash to `entryHashes`, in order. */
export function auditLeaves(entryHashes: readonly HexHash[]): HexHash[] {
  return entryHashes.map(entryLeafHash);
}

/** The tree root of the first `size` entries (all when absent) of a log. */
export function auditTreeRoot(entryHashes: readonly HexHash[], size = entryHashes.length): HexHash {
  return treeRoot(auditLeaves(entryHashes.slice(0, size)));
}

/** How a later copy of a log stands to an earlier one. */
type LogComparison =
  | { extends: true; added: number }
  /** `index` (from 0): the first of the earlier copy's entries the later one changed or lacks */
  | { extends: false; index: number; reason: 'changed' | 'missing' };

/** Whether `later` holds every entry of `earlier`, unchanged and in the same places. */
export function compareLogs(
  earlier: readonly { hash: HexHash }[],
  later: readonly { hash: HexHash }[],
): LogComparison {
  for (const [index, entry] of earlier.entries()) {
    const now = later[index];
    if (now === undefined) return { extends: false, index, reason: 'missing' };
    if (now.hash !== entry.hash) return { extends: false, index, reason: 'changed' };
  }
  return { extends: true, added: later.length - earlier.length };
}

/** The entries an export proves one by one: signatures and review decisions. */
const PROVED_KINDS: ReadonlySet<string> = new Set([
  'signature',
  'review-decision',
  'review-adjudication',
  'review-decision-from-packet',
]);

/** An inclusion proof of a project's entry, by its place among the project's entries. */
interface EntryProof {
  projectSeq: number;
  proof: HexHash[];
}

/** The inclusion proof of each of `entries` of a {@link PROVED_KINDS} kind, in the tree of all of them. */
export function proofsOfRecords(entries: readonly { kind: string; hash: HexHash }[]): EntryProof[] {
  const places = entries.flatMap((e, i) => (PROVED_KINDS.has(e.kind) ? [i] : []));
  const proofs = inclusionProofs(auditLeaves(entries.map((e) => e.hash)), places);
  return places.map((i, n) => ({ projectSeq: i + 1, proof: proofs[n] as HexHash[] }));
}

/** What an exported log's signed head and proofs were checked for. */
type ExportedTreeCheck =
  | { ok: true; head: SignedTreeHead }
  | { ok: false; where: 'treeHead' | 'logKey' | 'inclusionProofs'; message: string };

/**
 * An exported log's signed tree head against its own entries and key: the head is the project's,
 * covers every entry, has their tree's root, and is signed by the key the file names; each
 * inclusion proof puts its entry in that tree.
 */
export async function checkExportedTree(
  project: string,
  entries: readonly { hash: HexHash }[],
  head: SignedTreeHead,
  key: { keyId: string; publicKey: string },
  proofs: readonly EntryProof[] = [],
): Promise<ExportedTreeCheck> {
  const no = (where: 'treeHead' | 'logKey' | 'inclusionProofs', message: string): ExportedTreeCheck => ({
    ok: false,
    where,
    message,
  });
  if (head.project !== project) return no('treeHead', 'is the head of another project’s log');
  if (head.size !== entries.length)
    return no('treeHead', `covers ${head.size} entries and the file holds ${entries.length}`);
  if (auditTreeRoot(entries.map((e) => e.hash)) !== head.rootHash)
    return no(
      'treeHead',
      'does not have the root of the file’s entries: an entry was changed after the server signed it',
    );
  if (key.keyId !== head.keyId) return no('logKey', 'is not the key that signed the head');
  if (!(await verifyTreeHead(head, key.publicKey)))
    return no(
      'treeHead',
      'is not signed by the log key the file names: the head was edited or made elsewhere',
    );
  const leaves = auditLeaves(entries.map((e) => e.hash));
  for (const { projectSeq, proof } of proofs) {
    const leaf = leaves[projectSeq - 1];
    if (leaf === undefined || !verifyInclusion(leaf, projectSeq - 1, head.size, proof, head.rootHash))
      return no('inclusionProofs', `the proof of entry ${projectSeq} does not put it in the signed tree`);
  }
  return { ok: true, head };
}
