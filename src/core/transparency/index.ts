/**
 * The transparency log's public surface: RFC 9162 Merkle trees with inclusion and consistency
 * proofs, signed tree heads, the chain of the keys that sign them, and a project audit log seen
 * as such a tree.
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
  checkHeadKeyOfServer,
  checkKeyHistory,
  checkNamedLogKey,
  followLogKeys,
  type KeyChainResult,
  type KeyHistoryCheck,
  keysFrom,
  LOG_KEY_ROTATION_TAG,
  type LogKey,
  type LogKeyRecord,
  logKeyRotationMessage,
  type NamedLogKey,
  rotatedTo,
} from './logKeys.ts';
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
  verifyEd25519,
  verifyTreeHead,
} from './treeHead.ts';
export { changedLogMessage, type WitnessReply, type WitnessVerdict, witnessHead } from './witness.ts';
