/**
 * Signing the sign-off (docs/conventions.md#module-surfaces): the audit chain, signatures and what
 * they mean and cover, WebAuthn, the roster and who signed, and signatures made on the team
 * server. Builds on `sampling/` and `review/`. Outside `src/core/signoff`, import signing only
 * through this file.
 */
export {
  auditEntryFor,
  decisionHash,
  entryHash,
  GENESIS_HASH,
  pendingAuditEntries,
  pendingTrailEntries,
  signatureEntryFor,
  signatureHash,
  type TrailSources,
  trailKey,
  trailSubjects,
  verifyAuditChain,
} from './auditChain.ts';
export { replacedByStanding } from './currentSignatures.ts';
export { type CheckedServerSignature, checkReviewSignatures } from './reviewSignatureChecks.ts';
export {
  activeKeyOf,
  addRosterChange,
  changeHash,
  keyStanding,
  LOST_KEY_ADVICE,
  noSigningKeyText,
  RosterError,
  type RosterKey,
  registrationHash,
  roleWords,
  rosterDecisionRefusal,
  rosterInUse,
  rosterState,
  signingRefusal,
  verifyKeyBinding,
  verifyLeadConfirmation,
} from './roster.ts';
export {
  approvalRefusal,
  type ResultCounts,
  type SampleResult,
  type ServedSampleResult,
  sampleResult,
  sampleResultFingerprint,
} from './sampleResult.ts';
export {
  type AnchorReply,
  checkAgainstServer,
  maySign,
  type ProjectChainEntry,
  reviewedDecisionsHash,
  SERVER_SIGNER_CONFIRMED,
  type ServerSignature,
  type ServerSteeringDecision,
  SIGNING_KINDS_BY_ROLE,
  SIGNING_MEANINGS,
  type SigningKind,
  type SteeringDecisionContent,
  serverSteeringState,
  signingChallenge,
  steeringDecisionHash,
  steeringDecisionOfEntry,
  verifyServerSignatures,
} from './serverChain.ts';
export { ServerRecordError, serverRecordNews, withServerRecord } from './serverRecord.ts';
export {
  addServerSignature,
  RESULT_SIGNER_ROLES,
  type ServerSignatureView,
  type SignoffExportRecord,
  serverCoverageText,
  serverReviewSignatureOf,
  signatureSignedOnServer,
  signoffExportRecordOf,
  verifyServerReviewSignature,
} from './serverSignatures.ts';
export {
  addSignature,
  chainHeadOf,
  GO_LIVE_MEANING,
  type PreparedSignature,
  prepareSignature,
  REVIEWED_MEANING,
  resultsHash,
  SignatureError,
  type SignatureVerification,
  signoffHash,
  verifySignature,
} from './signature.ts';
export {
  firstDecisionAfterText,
  reviewSignatureCoverage,
  type SignatureCoverage,
} from './signatureCoverage.ts';
export {
  decisionSetProblem,
  isPartialScope,
  type ScopedDecision,
  type SignatureManifest,
  scopedDecisionsHash,
  scopeText,
  signatureManifest,
} from './signatureScope.ts';
export {
  APPROVAL_MEANING,
  approvesGoLive,
  RESULT_CONFIRMED_MEANING,
  REVIEWER_MEANING,
  reviewVerdict,
  type SignerMeaning,
  type SigningStanding,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  signerMeaning,
  signingStanding,
} from './signingMeaning.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { confirmedBy, keptRoster, LEAD, REVIEWER, rosteredExport } from './testing/rosterScenario.ts';
export {
  approvedScene,
  decisionEntry,
  exportRecord,
  logSigner,
  PROJECT,
  SCENE_LOG,
  serverKnows,
  serverSignedScene,
  signedOnServer,
} from './testing/serverSigned.ts';
export {
  lockedReview,
  type SoftAuthenticator,
  signedAgain,
  signedExport,
  signedThenDecided,
  softAuthenticator,
} from './testing/signedExport.ts';
export {
  type AssertionVerification,
  COSE_ES256,
  COSE_RS256,
  type CoseKey,
  challengeFor,
  coseToJwk,
  credentialFromAttestation,
  fromBase64Url,
  hexToBytes,
  jwkToCose,
  type PublicKeyJwk,
  publicKeyFingerprint,
  type RegisteredCredential,
  type StoredAssertion,
  storedAssertion,
  toBase64Url,
  verifyAssertion,
} from './webauthn.ts';
