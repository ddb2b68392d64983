/**
 * Applies the profiles of loaded packages to a resource: those its `meta.profile` names (and those
 * the user applies to every resource of a type), then, inside it, the profiles its elements' types
 * name (a Bundle entry's resource, a datatype profile, an extension slice), and every extension a
 * loaded package defines. It narrows the base R4 checks, never repeats them: an element the base
 * layers already found in error is not reported again here.
 *
 * What it checks, per element of the profile's snapshot: cardinality where the profile narrows the
 * base; the types a choice element may take; fixed and pattern values; required, extensible and
 * preferred bindings whose value set expands offline (valueSets.ts), graded by strength as the HL7
 * Java validator grades them; the profile's own invariants (FHIRPath, the validator's
 * engine); slicing — each value assigned to the first slice whose discriminators (value, pattern —
 * fixed on the element, on its children, or a required value set —, exists, type, profile;
 * `resolve()` within the Bundle or the contained resources) it meets, slice cardinality, closed and
 * ordered slicing, re-slicing; references resolved inside the Bundle conform to the element's
 * target profiles; must-support elements that are absent, as information.
 *
 * Codes of a code system a loaded package ships whole are checked wherever they appear in the
 * resource, profiled or not (checker/checks/codes.ts): a made-up one is an error on its Coding.
 *
 * Each of those is a check of its own (checker/checks/, one file each), registered in one table
 * (checker/checks/index.ts) that the walk (checker/walk.ts), the docs and the tests iterate, as
 * ajv's keywords are; what the checks share is the engine (checker/engine.ts).
 *
 * Speed: the walk follows the resource's own keys (a snapshot element is visited when the data
 * holds it, or when its absence can be reported), and invariants of the simple kind (`x.exists()
 * or y.exists()`, `status='final' implies …`, `$this is dateTime implies …`) are answered on the
 * JSON (the FHIR module's simple invariants, as the base layer answers them); the others go to
 * FHIRPath.js.
 *
 * A slice whose discriminator cannot be evaluated offline (a profile that is not loaded, a
 * reference outside the Bundle) is reported once as not checked, and then neither its cardinality
 * nor the closed-ness of its slicing accuses the data.
 *
 * One defect, one root cause: when a slice is short (or a value matches none of a closed slicing)
 * because a value breaks the slice's profile, or a reference's target breaks its target profile,
 * that value's own errors against the profile are reported where the value is, and the slice's or
 * the reference's message carries `causedBy` naming the first of them; so does the same rule,
 * place and text said again by a second claimed profile. Reports fold those under their root. Messages name the element by its id (slice
 * names included) and the profile by its id; they never hold a value from the resource.
 */
import type { FhirDigest, FhirPathEngine, HeldCodes, IssueSink, UnitChecker } from '../fhir/index.ts';
import { answerOf, codeSystemAnswer } from './checker/checks/binding.ts';
import { RESOURCE_CHECKS } from './checker/checks/index.ts';
import { heldCodesOf } from './checker/codeSystems.ts';
import { createEngine } from './checker/engine.ts';
import type { Context, ProfileCheckerOptions } from './checker/types.ts';
import { bundleOf, checkClaimed, checkItem, checkResource } from './checker/walk.ts';
import { derivedFixedValuesCheck } from './derivedFixedValues.ts';
import type { ProfileRegistry } from './registry.ts';

/** Checks resources against the profiles of the loaded packages. */
interface ProfileChecker {
  /** Checks a top-level resource (and the Bundle entries and contained resources in it). */
  check(resource: Record<string, unknown>, location: string, sink: IssueSink): void;
  /** Whether a loaded package defines this extension (the base layer then does not call it unknown). */
  extensionDefined(url: string): boolean;
  /** Whether a loaded package defines this profile (by canonical URL, with or without |version). */
  hasProfile(url: string): boolean;
  /** Whether the URL is under a loaded package's canonical base (a claim there it lacks is a typo). */
  ownsCanonical(url: string): boolean;
  /** the loaded packages as `name#version` */
  readonly packages: readonly string[];
  /** the code systems the loaded packages ship whole, for the display check of every coding */
  readonly heldCodes: HeldCodes;
  /** a loaded package's Questionnaire by `url` or `url|version` (another version of it when that one is not loaded) */
  questionnaire(canonical: string): Record<string, unknown> | undefined;
  /** a loaded package's Measure by `url` or `url|version` (another version of it when that one is not loaded) */
  measure(canonical: string): Record<string, unknown> | undefined;
  /** whether a coded answer is in a value set, by the terminology engine; undefined when it cannot tell */
  answerInValueSet(valueSet: string, coding: Record<string, unknown>): boolean | undefined;
}

/** The checker of the specification's own profiles, when no package is loaded. */
type SpecificationChecker = Pick<ProfileChecker, 'check' | 'extensionDefined' | 'hasProfile'>;

/** Creates a checker over the loaded packages. */
export function createProfileChecker(options: ProfileCheckerOptions): ProfileChecker {
  const { registry } = options;
  const engine = createEngine(options, { checkItem, checkResource });
  const profileBases = profileBasesOf(registry);
  const questionnaires = canonicalsOf(registry, (p) => p.questionnaires);
  const measures = canonicalsOf(registry, (p) => p.measures);
  const derivedFixedValues = derivedFixedValuesCheck(registry);
  return {
    check(resource, location, sink) {
      const ctx: Context = { sink, resource, via: '', checked: new WeakMap() };
      for (const check of RESOURCE_CHECKS) check.check(engine, resource, location, ctx);
      // a Bundle's own profile resolves references among its entries
      if (resource.resourceType === 'Bundle')
        Object.assign(ctx, bundleOf(Array.isArray(resource.entry) ? resource.entry : [], location));
      checkClaimed(engine, resource, location, ctx);
      // a profile given to validate: what it fixes against what its base fixes
      if (resource.resourceType === 'StructureDefinition') derivedFixedValues(resource, location, sink);
    },
    extensionDefined(url) {
      return registry.structureDefinition(url)?.type === 'Extension';
    },
    hasProfile(url) {
      return registry.structureDefinition(url) !== undefined;
    },
    ownsCanonical(url) {
      return profileBases.some((base) => url.startsWith(base));
    },
    packages: registry.packages.map((p) => `${p.name}#${p.version}`),
    heldCodes: { ...heldCodesOf(engine.shipped), validate: (coding) => codeSystemAnswer(engine, coding) },
    questionnaire: (canonical) => byCanonical(questionnaires, canonical),
    measure: (canonical) => byCanonical(measures, canonical),
    answerInValueSet(valueSet, coding) {
      const answer = answerOf(engine, valueSet, coding);
      // a value set or code system not loaded, or membership not decidable offline: not judged
      if (typeof answer === 'string' || answer.undecided) return undefined;
      return answer.result;
    },
  };
}

/** Resources by URL, then version. */
type Canonicals = Map<string, Map<string, Record<string, unknown>>>;

/** The resource `canonical` (`url` or `url|version`) names: that version, else any held version. */
function byCanonical(held: Canonicals, canonical: string): Record<string, unknown> | undefined {
  const [url, version] = canonical.split('|') as [string, string | undefined];
  const versions = held.get(url);
  return (version === undefined ? undefined : versions?.get(version)) ?? versions?.values().next().value;
}

/** The loaded packages' resources of one kind (`of`) by URL, then version (the first package's first). */
function canonicalsOf(
  registry: ProfileRegistry,
  of: (p: ProfileRegistry['packages'][number]) => Record<string, unknown>[] | undefined,
): Canonicals {
  const byUrl: Canonicals = new Map();
  for (const p of registry.packages)
    for (const q of of(p) ?? []) {
      const versions = byUrl.get(q.url as string) ?? new Map<string, Record<string, unknown>>();
      const version = typeof q.version === 'string' ? q.version : '';
      if (!versions.has(version)) versions.set(version, q);
      byUrl.set(q.url as string, versions);
    }
  return byUrl;
}

/**
 * Where each loaded package's profiles live (`<canonical>/StructureDefinition/`), from its
 * manifest's canonical URL: a package without one owns no base, so its claims stay notes.
 */
function profileBasesOf(registry: ProfileRegistry): string[] {
  const bases: string[] = [];
  for (const p of registry.packages)
    if (p.canonical && !p.terminology) bases.push(`${p.canonical.replace(/\/$/, '')}/StructureDefinition/`);
  return bases;
}

/**
 * The validator option (`FhirValidatorOptions.profiles`) that applies the loaded packages:
 * the session makes the checker once its digest is there, with FHIRPath and UCUM as they load.
 */
export function validatorProfiles(
  registry: ProfileRegistry,
  profiles?: readonly string[],
): (
  digest: FhirDigest,
  fhirPath?: () => FhirPathEngine | undefined,
  units?: () => UnitChecker | undefined,
) => ProfileChecker | SpecificationChecker {
  return (digest, fhirPath, units) => {
    const options = {
      registry,
      digest,
      ...(fhirPath ? { fhirPath } : {}),
      ...(units ? { units } : {}),
      ...(profiles ? { profiles } : {}),
    };
    return registry.packages.length > 0 ? createProfileChecker(options) : specificationChecker(options);
  };
}

/**
 * The checker when no package is loaded: the specification's own profiles only (R4's vital signs,
 * by an Observation's code or claimed), so the base validator's other behaviour (what it says of
 * extensions, codes, claims of other profiles) stays as without a hook.
 */
function specificationChecker(options: ProfileCheckerOptions): SpecificationChecker {
  const engine = createEngine(options, { checkItem, checkResource });
  return {
    check(resource, location, sink) {
      const ctx: Context = { sink, resource, via: '', checked: new WeakMap() };
      if (resource.resourceType === 'Bundle')
        Object.assign(ctx, bundleOf(Array.isArray(resource.entry) ? resource.entry : [], location));
      checkClaimed(engine, resource, location, ctx, true);
    },
    extensionDefined: () => false,
    hasProfile: (url) => options.registry.structureDefinition(url) !== undefined,
  };
}
