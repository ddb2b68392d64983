/**
 * The transparency log's public surface: RFC 9162 Merkle trees with inclusion and consistency
 * proofs, signed tree heads, and a project audit log seen as such a tree.
 */
export {
  auditLeaves,
  auditTreeRoot,
  checkExportedTree,
  compareLogs,
  type EntryProof,
  type ExportedTreeCheck,
  type LogComparison,
  PROVED_KINDS,
  proofsOfRecords,
} from './auditTree.ts';
export {
  consistencyProof,
  EMPTY_TREE_HASH,
  entryLeafHash,
  type HexHash,
  inclusionProof,
  inclusionProofs,
  leafHash,
  prefixRoots,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkleTree.ts';
export {
  logKeyId,
  type SignedTreeHead,
  TREE_HEAD_TAG,
  type TreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from './treeHead.ts';
export { changedLogMessage, type WitnessReply, type WitnessVerdict, witnessHead } from './witness.ts';
