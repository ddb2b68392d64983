/**
 * FHIR profiles (`src/core/fhirProfiles/`): implementation guide packages (FHIR NPM `.tgz`) read
 * offline, their StructureDefinitions, ValueSets and CodeSystems indexed by canonical URL,
 * snapshots generated from differentials where a package has none, and a checker that applies
 * the profiles to resources inside the R4 validator (`FhirValidatorOptions.profiles`). Everything
 * outside this folder imports it through this file only (docs/conventions.md#module-surfaces).
 */

export { asPublishedR4, builtInBaseDefinitions } from './baseDefinitions.ts';
export type { ProfileChecker, ProfileCheckerOptions } from './check.ts';
export { createProfileChecker, validatorProfiles } from './check.ts';
export type { CompiledProfile, ElementNode } from './compile.ts';
export { compileProfile } from './compile.ts';
export type { IgDependency, IgPackage } from './igPackage.ts';
export { asTerminologyPackage, IgPackageError, readIgPackage } from './igPackage.ts';
export { createIgPackageCache, type IgPackageReader } from './packageCache.ts';
export type {
  MissingIgDependency,
  ProfileRegistry,
  ProfileRegistryOptions,
  UnresolvedCanonical,
} from './registry.ts';
export {
  createProfileRegistry,
  loadProfileRegistry,
  needsBuiltInBase,
  R4_CORE_PACKAGE,
} from './registry.ts';
export { profilePackages, withProfilePackages } from './report.ts';
export type { StructureResolver } from './snapshot.ts';
export { applyDifferential, generateSnapshot, SnapshotError } from './snapshot.ts';
/** Test-only: the files of a `.tgz` (the IPS examples and the Java validator's outcomes in tests). */
export type { TarFile } from './tar.ts';
export { PACKAGE_LIMITS, readTarGz, TarReadError } from './tar.ts';
export type { ElementDefinition, StructureDefinition } from './types.ts';
export type { Expansion } from './valueSets.ts';
export { createValueSetExpander } from './valueSets.ts';
