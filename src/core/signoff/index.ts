/**
 * The sign-off module's public surface, growing: what the CLI and the app share for checking a
 * sign-off file, with or without the team server. The older files of the module are still
 * imported directly by their callers; new uses go through here.
 */

export { serverCoverageText } from './serverSignatures.ts';
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
export { checkSignoffTreeHeads } from './signoffTree.ts';
