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

export type { BindingAnswer, BindingCheck, BindingTerminology, BindingVerdict } from './bindingVerdict.ts';
export { createBindingCheck, verdictOf } from './bindingVerdict.ts';
export type { DefinitionBundle } from './build/digest.ts';
export { buildDigest } from './build/digest.ts';
export {
  bindingStrengths,
  GENERATED_HEADER,
  generateStructureModules,
  type SchemaCodeList,
  schemaCodeLists,
} from './build/structureModules.ts';
export { LARGE_CODE_SYSTEMS } from './codeSystems.ts';
export type { HeldCodes, HeldConcept, UnitChecker } from './codings.ts';
export { MissingUnitsError, UCUM } from './codings.ts';
export type { FhirDigest } from './digest.ts';
export { PRIMITIVE_TYPES } from './digest.ts';
export {
  generatedModules,
  loadFhirDigest,
  loadFhirPathEngine,
  loadR4BaseDefinitions,
  loadUnitChecker,
  loadVitalSignsDefinitions,
  preloadSharedStructure,
} from './generatedModules.ts';
export type { CoverageDefinition, InvariantCoverage, InvariantCoverageTable } from './invariantCoverage.ts';
export { invariantCoverage } from './invariantCoverage.ts';
export type { CompiledFhirPath, FhirPathEngine } from './invariants.ts';
export { MissingFhirPathError } from './invariants.ts';
export type { FhirIssue } from './issues.ts';
export { IssueSink, issueKey } from './issues.ts';
export { prepareFhirTarget, prepareMappedFhirCheck } from './mappedRows.ts';
export { NOT_BY_FHIRPATH } from './nativeInvariants.ts';
export { nestsDeeperThan } from './nesting.ts';
export type { NoCodeBinding } from './noCode.ts';
export { hasNoCoding, noCodeKey, noCodeMessage, noCodeRule } from './noCode.ts';
export type { OutcomesFormat } from './outcomes.ts';
export { createOutcomesWriter, OUTCOME_SOURCE_RELATION, toOperationOutcome } from './outcomes.ts';
export type { ProjectFhirChecks } from './projectFhir.ts';
export {
  fhirChecksOf,
  MissingProjectPackagesError,
  matchProjectPackages,
  projectFhirChecks,
} from './projectFhir.ts';
export { canonicalsIn } from './questionnaireResponse.ts';
export type { ResourceView } from './resourceView.ts';
export { viewAtLocation } from './resourceView.ts';
export type { FhirLayer } from './rules.ts';
export { FHIR_LAYERS, FHIR_RULES, LAYER_DESCRIPTIONS } from './rules.ts';
export type { FhirRunOptions, RecordOutcome } from './run.ts';
export { createFhirRun, parseFhirJson } from './run.ts';
export type { SimpleInvariant, TypeElements } from './simpleInvariant.ts';
export { compileSimpleInvariant, UNKNOWN } from './simpleInvariant.ts';
export { specBindingCheck, specTerminology } from './specTerminology.ts';
export type { StructureValidator } from './structure.ts';
export { checkFhirTargetCoverage, fhirResourceTypes, listFhirTargetFields } from './targetFields.ts';
export type { UnitConversion, UnitConverter } from './unitConversion.ts';
export { conversionThrough } from './unitConversion.ts';
export type {
  FhirModuleLoader,
  FhirSession,
  FhirValidatorOptions,
  UnknownExtensionSeverity,
} from './validator.ts';
export { createFhirSession } from './validator.ts';
