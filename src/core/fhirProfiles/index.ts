/**
 * FHIR profiles (`src/core/fhirProfiles/`): implementation guide packages (FHIR NPM `.tgz`) read
 * offline, their StructureDefinitions, ValueSets and CodeSystems indexed by canonical URL,
 * snapshots generated from differentials where a package has none, and a checker that applies
 * the profiles to resources inside the R4 validator (`FhirValidatorOptions.profiles`). Everything
 * outside this folder imports it through this file only (docs/conventions.md#module-surfaces).
 */

export { asPublishedR4, builtInBaseDefinitions } from './baseDefinitions.ts';

export { validatorProfiles } from './check.ts';

export type { IgPackage } from './igPackage.ts';
export { asTerminologyPackage, IgPackageError, readIgPackage } from './igPackage.ts';
export { createIgPackageCache, type IgPackageReader } from './packageCache.ts';
export type { MissingIgDependency, ProfileRegistry } from './registry.ts';
export { createProfileRegistry, loadProfileRegistry, needsBuiltInBase } from './registry.ts';
export { profilePackages, withProfilePackages } from './report.ts';

export { generateSnapshot } from './snapshot.ts';
/** Test-only: the files of a `.tgz` (the IPS examples and the Java validator's outcomes in tests). */

export { PACKAGE_LIMITS, readTarGz } from './tar.ts';
export type { StructureDefinition } from './types.ts';
export { VITAL_SIGNS_RULES, vitalSignsDefinitions } from './vitalSigns.ts';
