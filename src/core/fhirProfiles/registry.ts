/**
 * The loaded packages as one lookup: StructureDefinitions, ValueSets and CodeSystems by canonical
 * URL (`url` or `url|version`), the dependencies packages declare that are not loaded, and the
 * canonical URLs loaded profiles name that no loaded package defines — what stays unchecked.
 */
import { loadR4BaseDefinitions, loadVitalSignsDefinitions } from '../fhir/index.ts';
import type { IgPackage } from './igPackage.ts';
import type { CodeSystem, StructureDefinition, ValueSet } from './types.ts';
import type { VitalSignsDefinitions } from './vitalSigns.ts';

/** The base specification: its checks are built in (the R4 validator), so it is never "missing". */
export const R4_CORE_PACKAGE = 'hl7.fhir.r4.core';

const CORE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

/**
 * Whether a StructureDefinition constrains a type: a `constraint`, or one that derives from the
 * specification's definition of its own type (`type` Practitioner, `baseDefinition` …/Practitioner)
 * whatever its `derivation` says. A true specialization defines a new type on another base (as R4's
 * Practitioner derives from DomainResource), so one on its own type's definition is a profile
 * mislabelled, and the HL7 Java validator applies it as one.
 */
export function constrainsType(sd: StructureDefinition): boolean {
  if (sd.derivation === 'constraint') return true;
  return sd.baseDefinition !== undefined && withoutVersion(sd.baseDefinition) === `${CORE_BASE}${sd.type}`;
}

/** A dependency some loaded package declares that is not loaded. */
export interface MissingIgDependency {
  name: string;
  version: string;
  /** `name#version` of the package(s) that declare it */
  requiredBy: string[];
  /** what is left unchecked, in plain words */
  unchecked: string;
}

/** A canonical URL loaded profiles use that no loaded package defines. */
export interface UnresolvedCanonical {
  url: string;
  kind: 'profile' | 'extension' | 'valueSet';
}

export interface ProfileRegistry {
  readonly packages: readonly IgPackage[];
  structureDefinition(canonical: string): StructureDefinition | undefined;
  valueSet(canonical: string): ValueSet | undefined;
  codeSystem(canonical: string): CodeSystem | undefined;
  /** every loaded StructureDefinition that constrains a type (profiles and extensions) */
  readonly profiles: readonly StructureDefinition[];
  /**
   * A StructureDefinition a snapshot is generated against: the loaded packages' first, then the
   * R4 base definitions built in (when the registry was given them: {@link loadProfileRegistry}).
   */
  snapshotBase(canonical: string): StructureDefinition | undefined;
  /** whether snapshots are generated against the R4 base built into Preflight (no `hl7.fhir.r4.core` loaded) */
  readonly builtInBase: boolean;
  /** the value sets the specification's own profiles (vital signs) bind, for the terminology engine */
  readonly specificationValueSets?: readonly ValueSet[];
  readonly missingDependencies: readonly MissingIgDependency[];
  readonly unresolved: readonly UnresolvedCanonical[];
}

interface Versioned<T> {
  latest: T;
  byVersion: Map<string, T>;
}

function index<T extends { url: string; version?: string }>(items: Iterable<T>): Map<string, Versioned<T>> {
  const map = new Map<string, Versioned<T>>();
  for (const item of items) {
    const entry = map.get(item.url);
    if (!entry) map.set(item.url, { latest: item, byVersion: new Map([[item.version ?? '', item]]) });
    else if (!entry.byVersion.has(item.version ?? '')) entry.byVersion.set(item.version ?? '', item);
  }
  return map;
}

function lookup<T>(map: Map<string, Versioned<T>>, canonical: string): T | undefined {
  const bar = canonical.indexOf('|');
  const url = bar < 0 ? canonical : canonical.slice(0, bar);
  const entry = map.get(url);
  if (!entry) return undefined;
  // a version the packages do not have falls back to the loaded one: the package set is the user's choice
  return (bar < 0 ? undefined : entry.byVersion.get(canonical.slice(bar + 1))) ?? entry.latest;
}

const withoutVersion = (canonical: string): string => canonical.split('|')[0] as string;

/**
 * What a missing dependency leaves unchecked. The base specification's own checks and its
 * vital-signs profiles run without its package; its other profiles, code systems and extension
 * definitions do not.
 */
function uncheckedBy(name: string): string {
  if (name === R4_CORE_PACKAGE)
    return 'The base R4 checks and its vital-signs profiles run without it; its other profiles and its code systems are not loaded, so slices and bindings that need them are not checked.';
  return 'The profiles, extensions, value sets and code systems it defines are not loaded: elements, slices and bindings that name them are not checked.';
}

/** Options of {@link createProfileRegistry}. */
interface ProfileRegistryOptions {
  /**
   * The R4 base StructureDefinitions built in, for generating snapshots when the packages do not
   * define a base themselves (`hl7.fhir.r4.core` not loaded). Used for nothing else: a profile
   * claim or an extension is never resolved against them.
   */
  base?: readonly StructureDefinition[];
  /**
   * Profiles of the specification itself that apply without any package (R4's vital signs, by an
   * Observation's code: vitalSigns.ts), with the value sets they bind; a package's own definition
   * of the same URL wins.
   */
  specification?: VitalSignsDefinitions;
}

/** Builds the lookup over packages (the first package defining a canonical URL and version wins). */
export function createProfileRegistry(
  packages: readonly IgPackage[],
  options: ProfileRegistryOptions = {},
): ProfileRegistry {
  const spec = options.specification;
  const sds = index([
    ...packages.flatMap((p) => p.structureDefinitions),
    ...(spec?.structureDefinitions ?? []),
  ]);
  const base = new Map((options.base ?? []).map((sd) => [sd.url, sd]));
  const valueSets = index([...packages.flatMap((p) => p.valueSets), ...(spec?.valueSets ?? [])]);
  const codeSystems = index(packages.flatMap((p) => p.codeSystems));
  const loadedNames = new Set(packages.map((p) => p.name));
  const missing = new Map<string, MissingIgDependency>();
  for (const pkg of packages) {
    for (const dep of pkg.dependencies) {
      if (loadedNames.has(dep.name)) continue;
      const key = `${dep.name}#${dep.version}`;
      const entry = missing.get(key) ?? {
        name: dep.name,
        version: dep.version,
        requiredBy: [],
        unchecked: uncheckedBy(dep.name),
      };
      entry.requiredBy.push(`${pkg.name}#${pkg.version}`);
      missing.set(key, entry);
    }
  }
  const own = new Set(spec?.structureDefinitions ?? []);
  const profiles = [...sds.values()]
    .flatMap((v) => [...v.byVersion.values()])
    .filter((sd) => constrainsType(sd) && !own.has(sd));
  const unresolved = new Map<string, UnresolvedCanonical>();
  const note = (url: string, kind: UnresolvedCanonical['kind']) => {
    const bare = withoutVersion(url);
    if (!unresolved.has(bare)) unresolved.set(bare, { url: bare, kind });
  };
  for (const sd of profiles) {
    for (const element of sd.snapshot?.element ?? sd.differential?.element ?? []) {
      for (const type of element.type ?? []) {
        for (const profile of [...(type.profile ?? []), ...(type.targetProfile ?? [])]) {
          const bare = withoutVersion(profile);
          // base types and resources are the R4 validator's own
          if (
            bare.startsWith(CORE_BASE) &&
            !bare.slice(CORE_BASE.length).includes('-') &&
            type.code !== 'Extension'
          )
            continue;
          if (!sds.has(bare)) note(bare, type.code === 'Extension' ? 'extension' : 'profile');
        }
      }
      const binding = element.binding;
      if (
        binding?.strength === 'required' &&
        binding.valueSet &&
        !valueSets.has(withoutVersion(binding.valueSet))
      )
        note(binding.valueSet, 'valueSet');
    }
  }
  return {
    packages,
    structureDefinition: (canonical) => lookup(sds, canonical),
    snapshotBase: (canonical) => lookup(sds, canonical) ?? base.get(withoutVersion(canonical)),
    builtInBase: base.size > 0,
    specificationValueSets: spec?.valueSets ?? [],
    valueSet: (canonical) => lookup(valueSets, canonical),
    codeSystem: (canonical) => lookup(codeSystems, canonical),
    profiles,
    missingDependencies: [...missing.values()],
    unresolved: [...unresolved.values()].sort((a, b) => a.url.localeCompare(b.url)),
  };
}

/**
 * Whether the packages need the built-in R4 base: some StructureDefinition ships no snapshot and
 * `hl7.fhir.r4.core` is not among them (with it loaded, its own definitions are the base).
 */
export function needsBuiltInBase(packages: readonly IgPackage[]): boolean {
  if (packages.some((p) => p.name === R4_CORE_PACKAGE)) return false;
  return packages.some((p) =>
    p.structureDefinitions.some((sd) => constrainsType(sd) && !sd.snapshot?.element?.length),
  );
}

/**
 * The registry over `packages`, with the built-in R4 base loaded (by `loadBase`, a module of its
 * own) only when a package needs it ({@link needsBuiltInBase}): most packages ship snapshots, and
 * then nothing more is loaded.
 */
export async function loadProfileRegistry(
  packages: readonly IgPackage[],
  loadBase: () => Promise<readonly StructureDefinition[]> = builtInBase,
): Promise<ProfileRegistry> {
  const specification = await loadSpecificationProfiles();
  if (!needsBuiltInBase(packages)) return createProfileRegistry(packages, { specification });
  return createProfileRegistry(packages, { base: await loadBase(), specification });
}

/** The built-in R4 base (generated: src/cli/generateFhir.ts). */
const builtInBase = async () => (await loadR4BaseDefinitions()) as readonly StructureDefinition[];

/** R4's vital-signs profiles and their value sets (generated: src/cli/generateFhir.ts). */
export const loadSpecificationProfiles = async (): Promise<VitalSignsDefinitions> =>
  (await loadVitalSignsDefinitions()) as unknown as VitalSignsDefinitions;
