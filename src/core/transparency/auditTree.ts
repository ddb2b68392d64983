/**
 * A project's audit log as a Merkle tree: its entries in their project order, each leaf the
 * entry's own hash (merkleTree.ts {@link entryLeafHash}), and how a later copy of the log is
 * compared with an earlier one — by root when only a head was kept, entry by entry when both
 * copies are at hand.
 */
import { entryLeafHash, type HexHash, treeRoot } from './merkleTree.ts';

/** The leaf hashes of a log whose entries hash to `entryHashes`, in order. */
export function auditLeaves(entryHashes: readonly HexHash[]): HexHash[] {
  return entryHashes.map(entryLeafHash);
}

/** The tree root of the first `size` entries (all when absent) of a log. */
export function auditTreeRoot(entryHashes: readonly HexHash[], size = entryHashes.length): HexHash {
  return treeRoot(auditLeaves(entryHashes.slice(0, size)));
}

/** How a later copy of a log stands to an earlier one. */
export type LogComparison =
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
