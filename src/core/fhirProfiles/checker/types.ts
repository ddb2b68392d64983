/**
 * The shapes the profile checker's parts share: a value being checked (`Item`), where it is being
 * checked (`Context`), the engine every check calls back into, and a check as the table in
 * checks/index.ts registers it.
 */

import type { FhirDigest, FhirIssue, FhirPathEngine, IssueSink, UnitChecker } from '../../fhir/index.ts';
import type { CompiledProfile, ElementNode } from '../compile.ts';
import type { ProfileRegistry } from '../registry.ts';
import type { createValueSetExpander } from '../valueSets.ts';

/** The codes of a code system a loaded package ships whole, for membership. */
export interface ShippedCodeSystem {
  codes: Set<string>;
  /** false when the code system says its codes are not case-sensitive (codes kept lowercase) */
  caseSensitive: boolean;
  /** `name#version` of the package that ships it (the first, when several do) */
  shippedBy: string;
  name: string;
  /** each code's display and designations (keyed as {@link codes} is), for the display check */
  displays: Map<string, string[]>;
}

/** What the checker needs. */
export interface ProfileCheckerOptions {
  registry: ProfileRegistry;
  /** the base validator's digest: its expanded value sets, its types and invariant keys */
  digest: FhirDigest;
  /** the FHIRPath engine once loaded (profile invariants wait for it: MissingFhirPathError) */
  fhirPath?: () => FhirPathEngine | undefined;
  /** the UCUM unit checker once loaded (a Quantity bound in another unit waits for it: MissingUnitsError) */
  units?: () => UnitChecker | undefined;
  /** canonical URLs applied to every resource of their type, besides its own meta.profile */
  profiles?: readonly string[];
}

/** One value of an element: the JSON value, a primitive's `_name` object, its location, a choice's type. */
export interface Item {
  value: unknown;
  ext?: unknown;
  loc: string;
  type?: string;
}

/** Where a value is being checked. */
export interface Context {
  sink: IssueSink;
  /** the resource the value belongs to, FHIRPath's %resource (a contained resource for its own elements) */
  resource: Record<string, unknown>;
  /**
   * the resource holding {@link resource} when that is contained, FHIRPath's %rootResource;
   * absent when %rootResource is %resource (a top-level resource, a Bundle entry's)
   */
  rootResource?: Record<string, unknown>;
  /**
   * the profile's element path where {@link resource} sits when it is nested in the resource the
   * profile is for (`Patient.contained`): FHIRPath types the elements below it from its own type
   */
  resourcePath?: string;
  /** reference resolution inside the enclosing Bundle, when there is one */
  bundle?: Map<string, Record<string, unknown>>;
  /** the contained resources of the resource being checked (or of its container), by id */
  contained?: Map<string, Record<string, unknown>>;
  /** where each entry of the enclosing Bundle is (`Bundle.entry[3].resource`), for root causes */
  locations?: Map<object, string>;
  /**
   * set when the profile applies by the resource's code (R4's vital signs), not by a claim: its
   * must-support notes, which speak to a system claiming the profile, are left out
   */
  implied?: true;
  /** how a profile was reached, for messages: ", slice 'x' of P" */
  via: string;
  /** profiles each resource was already checked against into this sink (a Bundle entry is reached twice) */
  checked: WeakMap<object, Set<string>>;
}

/** What the checks share and call back into (engine.ts; the walk is walk.ts). */
export interface CheckerEngine {
  readonly options: ProfileCheckerOptions;
  readonly registry: ProfileRegistry;
  readonly digest: FhirDigest;
  /** a value set's offline expansion (valueSets.ts) */
  readonly expand: ReturnType<typeof createValueSetExpander>;
  /** the code systems the loaded packages ship whole */
  readonly shipped: Map<string, ShippedCodeSystem>;
  /** the StructureDefinition URLs of the base R4 types */
  readonly baseTypeSds: ReadonlySet<string>;
  readonly resourceTypes: ReadonlySet<string>;
  /** why a loaded profile cannot be applied (its snapshot cannot be generated offline) */
  readonly unusable: ReadonlyMap<string, string>;
  /** canonical URLs applied to every resource of their type */
  readonly extraProfiles: readonly string[];
  /** A loaded profile, compiled once; null when it is not loaded or cannot be applied. */
  profile(canonical: string): CompiledProfile | null;
  /** Reports `text` of profile `p` (a second profile saying the same follows from the first). */
  report(
    ctx: Context,
    p: CompiledProfile,
    ruleId: string,
    location: string,
    text: string,
    value?: unknown,
    causedBy?: string,
    uncheckedCodes?: string[],
  ): void;
  /** Reports again the errors a value had in a scratch sink, where the value is; the first root cause's key. */
  explain(errors: readonly FhirIssue[], at: string, via: string, ctx: Context): string | undefined;
  /** The errors of a value against a profile, checked in a scratch sink (cached). */
  errorsAgainst(target: CompiledProfile, value: Record<string, unknown>, ctx: Context): FhirIssue[];
  conforms(target: CompiledProfile, value: Record<string, unknown>, ctx: Context): boolean;
  /** Whether an absent element can still be reported (a raised minimum, a must-support, slices). */
  absentMatters(p: CompiledProfile, node: ElementNode): boolean;
  /** Contained resources by id, for `#id` references. */
  containedOf(list: readonly unknown[]): Map<string, Record<string, unknown>>;
  /** The walk (walk.ts): an item against an element of a profile, its children included. */
  checkItem(p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void;
  /** The walk (walk.ts): a resource against a profile for its type. */
  checkResource(p: CompiledProfile, resource: Record<string, unknown>, location: string, ctx: Context): void;
  /** A cache of this checker's, by name (what a check works out once per element or expression). */
  cache<K, V>(name: string): Map<K, V>;
}

/** What every check says of itself, for the docs and the tests. */
interface CheckInfo {
  /** stable name */
  readonly id: string;
  /** one line on what it checks */
  readonly describe: string;
  /** the rule ids it reports (src/core/fhir's rule table) */
  readonly rules: readonly string[];
}

/** A check of one value of an element. */
export interface ItemCheck extends CheckInfo {
  readonly scope: 'item';
  /** whether it also runs on the profile's root element (the resource or datatype itself) */
  readonly atRoot: boolean;
  /**
   * Whether the check can say anything of a value of this element (asked once per element): false
   * when it would pass every value without a word, and the walk then leaves it out there.
   */
  applies?(engine: CheckerEngine, p: CompiledProfile, node: ElementNode): boolean;
  /** false: the value is not of this element's kind, and no later check applies to it */
  check(
    engine: CheckerEngine,
    p: CompiledProfile,
    node: ElementNode,
    item: Item,
    ctx: Context,
  ): boolean | undefined;
}

/** A check of an element's values together (how many, which slice each is in). */
export interface ElementCheck extends CheckInfo {
  readonly scope: 'element';
  /** Whether the check can say anything of this element's values (as {@link ItemCheck.applies}). */
  applies?(engine: CheckerEngine, p: CompiledProfile, node: ElementNode): boolean;
  check(
    engine: CheckerEngine,
    p: CompiledProfile,
    node: ElementNode,
    items: Item[],
    groupLoc: string,
    ctx: Context,
  ): void;
}

/**
 * A check of a whole resource, whatever its profiles: `resource` runs once on the top-level
 * resource before any profile, `claimed` on each resource (Bundle entries and contained ones
 * included) after its claimed profiles.
 */
export interface ResourceCheck extends CheckInfo {
  readonly scope: 'resource' | 'claimed';
  check(engine: CheckerEngine, resource: Record<string, unknown>, location: string, ctx: Context): void;
}

/** A check of the table. */
export type ProfileCheck = ItemCheck | ElementCheck | ResourceCheck;
