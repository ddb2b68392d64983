/**
 * Terminology (`src/core/terminology/`): FHIR's `$validate-code` answered offline over the code
 * systems and value sets held (loaded packages, a test suite's own resources). Pure TypeScript, no
 * I/O: the caller hands over resources, the engine answers with a result, a message and the
 * issues a terminology server gives. Everything outside this folder imports it through this file.
 */

export type { LookupRequest } from './lookup.ts';
export { lookupRequestFrom } from './lookup.ts';
export { fromParameters, toParameters } from './parameters.ts';
export type { IndexedCodeSystem, IndexedConcept, TerminologyStore } from './store.ts';
export { compareVersions, createTerminologyStore, splitCanonical, versionMatches } from './store.ts';
export type { ReadSuiteFile, TxCaseOutcome, TxSuiteRun, TxSuiteScore } from './txSuite.ts';
export { isFalseAlarm, runTxSuite, scoreBySuite, TxSuiteError } from './txSuite.ts';
export type {
  BrokenValueSet,
  CodeableConcept,
  CodeSystem,
  Coding,
  TxIssue,
  TxIssueType,
  ValidateCodeRequest,
  ValidateCodeResult,
  ValueSet,
} from './types.ts';
export { TerminologyError } from './types.ts';
export { createValidator } from './validateCode.ts';
