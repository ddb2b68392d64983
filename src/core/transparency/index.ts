/**
 * The transparency log's public surface: RFC 9162 Merkle trees with inclusion and consistency
 * proofs, signed tree heads, and a project audit log seen as such a tree.
 */
export { auditLeaves, auditTreeRoot, compareLogs, type LogComparison } from './auditTree.ts';
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
