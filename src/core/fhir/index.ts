/**
 * FHIR R4 validation's surface (`src/core/fhir/`): the validator session and the run over JSON,
 * NDJSON and Bundles, the layers and rules it reports under, the check of mapped rows as FHIR
 * resources, the mapping editor's target fields, the invariant coverage table, the loader of the
 * generated validators (`./generated/`, made by `npm run fhir`), the build functions that
 * generator calls, and the OperationOutcomes per resource the app and the CLI export. Everything
 * outside this folder imports it through this file only; the files behind it are internal (lint
 * refuses a deep import, see docs/conventions.md#module-surfaces).
 *
 * FHIRPath.js is most of the validator's payload, so its engine is not exported here: it loads on
 * demand, as its own chunk, through `loadFhirPathEngine()` (which `generatedModules.fhirPath` is).
 */
export type { DefinitionBundle, DigestSources } from './build/digest.ts';
export { buildDigest } from './build/digest.ts';
export type { GeneratedFiles } from './build/structureModules.ts';
export { GENERATED_HEADER, generateStructureModules } from './build/structureModules.ts';
export { codeSystemWords, LARGE_CODE_SYSTEMS, uncheckedWhy } from './codeSystems.ts';
export type { FhirDigest, TypeDigest } from './digest.ts';
export { PRIMITIVE_TYPES } from './digest.ts';
export {
  generatedModules,
  loadFhirDigest,
  loadFhirPathEngine,
  loadR4BaseDefinitions,
  preloadSharedStructure,
} from './generatedModules.ts';
export type {
  CoverageDefinition,
  InvariantCoverage,
  InvariantCoverageRow,
  InvariantCoverageTable,
} from './invariantCoverage.ts';
export { invariantCoverage } from './invariantCoverage.ts';
export type { CompiledFhirPath, FhirPathEngine } from './invariants.ts';
export { MissingFhirPathError } from './invariants.ts';
export type { FhirIssue } from './issues.ts';
export { IssueSink, issueKey } from './issues.ts';
export type { MappedFhirCheck } from './mappedRows.ts';
export {
  mappedFhirTarget,
  NotFhirTargetError,
  prepareFhirTarget,
  prepareMappedFhirCheck,
} from './mappedRows.ts';
export { NOT_BY_FHIRPATH } from './nativeInvariants.ts';
export { MAX_JSON_NESTING, nestsDeeperThan } from './nesting.ts';
export type { OutcomeSource, OutcomesFormat, OutcomesWriter } from './outcomes.ts';
export {
  createOutcomesWriter,
  ISSUE_COL_EXTENSION,
  ISSUE_LINE_EXTENSION,
  OUTCOME_SOURCE_RELATION,
  toOperationOutcome,
} from './outcomes.ts';
export type { GivenPackage, ProjectFhirChecks } from './projectFhir.ts';
export {
  fhirChecksOf,
  MissingProjectPackagesError,
  matchProjectPackages,
  projectFhirChecks,
} from './projectFhir.ts';
export type { ResourceView } from './resourceView.ts';
export { viewAtLocation } from './resourceView.ts';
export type { FhirIssueCode, FhirLayer, FhirRule } from './rules.ts';
export { FHIR_LAYERS, FHIR_RULE_BY_ID, FHIR_RULES, fhirRule, LAYER_DESCRIPTIONS } from './rules.ts';
export type { FhirRun, FhirRunOptions, RecordOutcome, TextRefusal } from './run.ts';
export { createFhirRun, parseFhirJson } from './run.ts';
export type { SimpleInvariant, TypeElements } from './simpleInvariant.ts';
export { compileSimpleInvariant, UNKNOWN } from './simpleInvariant.ts';
export type { StructureValidator } from './structure.ts';
export { checkFhirTargetCoverage, fhirResourceTypes, listFhirTargetFields } from './targetFields.ts';
export type {
  FhirModuleLoader,
  FhirSession,
  FhirValidatorOptions,
  ProfileHook,
  ProfileHookFactory,
  UnknownExtensionSeverity,
} from './validator.ts';
export { createFhirSession } from './validator.ts';
