/**
 * Loads the generated FHIR R4 artefacts (src/cli/generateFhir.ts → ./generated/): the digest, and
 * one structure module per resource type on demand. Dynamic imports with a variable part, so a
 * bundler emits each module as its own chunk (loaded by the validator worker only, never by the
 * main bundle) and the TypeScript check does not depend on the git-ignored files existing.
 */
import type { UnitChecker } from './codings.ts';
import type { FhirDigest } from './digest.ts';
import type { FhirPathEngine } from './invariants.ts';
import type { StructureValidator } from './structure.ts';
import type { FhirModuleLoader } from './validator.ts';

/** The digest module's name inside ./generated/ (a variable, see the header). */
const DIGEST = 'digest';
/** The R4 base StructureDefinitions module's name inside ./generated/ (profile snapshots). */
const R4_BASE = 'r4base';
/** The R4 vital-signs profiles module's name inside ./generated/ (applied by an Observation's code). */
const VITAL_SIGNS = 'vitalsigns';
/** The module of the datatypes every resource type shares, inside ./generated/structure/. */
const SHARED = 'common';
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * Loads the structure code every resource type shares (its datatypes), so that a pre-warmed
 * validator loads only a few kB for the first resource type it meets.
 */
export async function preloadSharedStructure(): Promise<void> {
  // the same pattern as the per-type import below, so a bundler maps it to the same chunk
  await import(`./generated/structure/${SHARED}.js`);
}

/**
 * The digest alone, for a caller that needs no validator (the mapping editor's target fields): a
 * bundle that uses only this carries none of the structure modules.
 */
export async function loadFhirDigest(): Promise<FhirDigest> {
  const module = (await import(`./generated/${DIGEST}.js`)) as { default: FhirDigest };
  return module.default;
}

/**
 * The R4 base StructureDefinitions, slimmed to what snapshot generation reads
 * (src/core/fhirProfiles/baseDefinitions.ts): a chunk of its own, loaded only when a package
 * ships differentials without `hl7.fhir.r4.core` loaded.
 */
export async function loadR4BaseDefinitions(): Promise<readonly unknown[]> {
  const module = (await import(`./generated/${R4_BASE}.js`)) as { default: readonly unknown[] };
  return module.default;
}

/**
 * R4's vital-signs profiles (src/core/fhirProfiles/vitalSigns.ts): a chunk of its own (about
 * 0.4 MB, 28 kB gzip) with the value sets they bind, loaded with the profile registry.
 */
export async function loadVitalSignsDefinitions(): Promise<unknown> {
  const module = (await import(`./generated/${VITAL_SIGNS}.js`)) as { default: unknown };
  return module.default;
}

/**
 * The FHIRPath engine, loaded on first use as its own chunk: FHIRPath.js is most of the
 * validator's payload, so it loads only when the invariants layer is on.
 */
export async function loadFhirPathEngine(): Promise<FhirPathEngine> {
  return (await import('./fhirPathEngine.ts')).fhirPathEngine;
}

/**
 * The UCUM unit checker, loaded when a resource first holds a UCUM unit, as its own chunk (the
 * UCUM tables are about 230 kB).
 */
export async function loadUnitChecker(): Promise<UnitChecker> {
  return (await import('./units.ts')).ucumUnits;
}

/** The loader of the generated modules. */
export const generatedModules: FhirModuleLoader = {
  digest: loadFhirDigest,
  async structure(resourceType: string): Promise<StructureValidator> {
    // the name comes from the data: only a plain type name may become part of a module path
    if (!RESOURCE_TYPE.test(resourceType)) throw new Error('not a resource type name');
    const module = (await import(`./generated/structure/${resourceType}.js`)) as {
      validate: StructureValidator;
    };
    return module.validate;
  },
  fhirPath: loadFhirPathEngine,
  units: loadUnitChecker,
};
