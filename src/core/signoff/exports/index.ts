/**
 * What leaves the sign-off as a file (docs/conventions.md#module-surfaces): review packets and
 * their results, the sign-off JSON, FHIR Bundle and printable report, and their verification.
 * The top part of `src/core/signoff`: it builds on the other three. Outside `src/core/signoff`,
 * import exports only through this file.
 */
export { verifySignoffBundle } from './bundleVerify.ts';
export {
  decryptPacket,
  encryptPacket,
  isEncryptedPacket,
  MIN_PASSPHRASE_LENGTH,
  parsePacketFile,
  passphraseProblem,
  serializeEncryptedPacket,
} from './packetCrypto.ts';
export {
  createReviewPacket,
  createReviewResults,
  mergeReviewResults,
  PacketExportError,
  type PacketProblem,
  type PacketVerification,
  packetStage,
  rememberPacket,
  resultKeySourceOf,
  reviewOfPacket,
  serializePacketFile,
  verifyPacketBytes,
  verifyReviewPacket,
  verifyReviewResults,
} from './packets.ts';
export { RESULT_KEY_SECRET_BYTES, resultKeySecret } from './resultKeys.ts';
export {
  APPROVE_TASK_CODE,
  clientId,
  type FhirResource,
  signoffBundle,
  type TransactionBundle,
  toBase64,
  VERIFICATION_SIGNATURE,
  VERIFIER_AGENT,
} from './signoffBundle.ts';
export {
  type AnchorFetch,
  anchorAsker,
  logKeysAsker,
  MAX_AUDIT_LOG_BYTES,
  type SignoffFileVerification,
  serverEntriesNamed,
  serverOf,
  type VerifiedServerSignature,
  type VerifiedSignature,
  verifySignoffJson,
} from './signoffFile.ts';
export {
  decisionsCsv,
  IDENTITY_NOTE,
  NO_ROSTER_NOTE,
  signoffReportFile,
  signoffReportHtml,
} from './signoffReport.ts';
export { checkSignoffTreeHeads } from './signoffTree.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { clinicianResults, packetScenario } from './testing/packetScenario.ts';
