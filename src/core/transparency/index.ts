/**
 * The transparency log's public surface: RFC 9162 Merkle trees with inclusion and consistency
 * proofs, signed tree heads, the chain of the keys that sign them, and a project audit log seen
 * as such a tree.
 */
export { auditLeaves, auditTreeRoot, checkExportedTree, compareLogs, proofsOfRecords } from './auditTree.ts';
export {
  checkHeadKeyOfServer,
  checkKeyHistory,
  checkNamedLogKey,
  followLogKeys,
  type LogKey,
  type LogKeyRecord,
  logKeyRotationMessage,
  rotatedTo,
} from './logKeys.ts';
export {
  consistencyProof,
  EMPTY_TREE_HASH,
  entryLeafHash,
  inclusionProofs,
  prefixRoots,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkleTree.ts';
export {
  logKeyId,
  type SignedTreeHead,
  sameSignedHead,
  stampRemoved,
  type TreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from './treeHead.ts';
export { type FirstWitnessVerdict, type TeamWitness, witnessFirstHead, witnessHead } from './witness.ts';
