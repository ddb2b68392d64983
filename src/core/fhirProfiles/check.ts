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
 * resource, profiled or not (checkCodes): a made-up one is an error on its Coding.
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
import type { FhirDigest } from '../fhir/index.ts';
import {
  type CompiledFhirPath,
  compileSimpleInvariant,
  type FhirIssue,
  type FhirPathEngine,
  IssueSink,
  issueKey,
  MissingFhirPathError,
  NOT_BY_FHIRPATH,
  type SimpleInvariant,
  type TypeElements,
  UNKNOWN,
} from '../fhir/index.ts';
import { type CompiledProfile, compileProfile, type ElementNode } from './compile.ts';
import type { ProfileRegistry } from './registry.ts';
import { generateSnapshot, SnapshotError } from './snapshot.ts';
import type { CodeSystemConcept, Constraint, Discriminator, StructureDefinition } from './types.ts';
import { createValueSetExpander } from './valueSets.ts';
import { describeExpected, jsonEqual, matchesPattern, typeFromSuffix } from './values.ts';

/** What the checker needs. */
interface ProfileCheckerOptions {
  registry: ProfileRegistry;
  /** the base validator's digest: its expanded value sets, its types and invariant keys */
  digest: FhirDigest;
  /** the FHIRPath engine once loaded (profile invariants wait for it: MissingFhirPathError) */
  fhirPath?: () => FhirPathEngine | undefined;
  /** canonical URLs applied to every resource of their type, besides its own meta.profile */
  profiles?: readonly string[];
}

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
}

/** One value of an element: the JSON value, a primitive's `_name` object, its location, a choice's type. */
interface Item {
  value: unknown;
  ext?: unknown;
  loc: string;
  type?: string;
}

interface Context {
  sink: IssueSink;
  /** the resource being checked, for FHIRPath's %resource */
  resource: Record<string, unknown>;
  /** reference resolution inside the enclosing Bundle, when there is one */
  bundle?: Map<string, Record<string, unknown>>;
  /** the contained resources of the resource being checked (or of its container), by id */
  contained?: Map<string, Record<string, unknown>>;
  /** where each entry of the enclosing Bundle is (`Bundle.entry[3].resource`), for root causes */
  locations?: Map<object, string>;
  /** how a profile was reached, for messages: ", slice 'x' of P" */
  via: string;
  /** profiles each resource was already checked against into this sink (a Bundle entry is reached twice) */
  checked: WeakMap<object, Set<string>>;
}

const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';
/**
 * Published invariant expressions that say other than their text, run as the HL7 Java validator
 * runs them. vitalsigns' vs-1 ("if effective[x] is dateTime and has a value then that value shall
 * be precise to the day") is empty, so failing, on an effectivePeriod.
 */
const CORRECTED_EXPRESSIONS: Readonly<Record<string, string>> = {
  '($this as dateTime).toString().length() >= 8': '$this is dateTime implies $this.toString().length() >= 10',
};
/** Base invariants the R4 validator enforces natively or deliberately skips (src/core/fhir/README.md). */
const NATIVE_BASE_KEYS = [
  'ele-1',
  'ext-1',
  'dom-2',
  'dom-3',
  'dom-4',
  'dom-5',
  'dom-6',
  'bdl-3',
  'bdl-4',
  'bdl-7',
  'per-1',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A canonical URL without its `|version` (a slice, not a split: this runs for every coded element). */
const bare = (canonical: string): string => {
  const bar = canonical.indexOf('|');
  return bar < 0 ? canonical : canonical.slice(0, bar);
};

/** `Type/id` at the end of a reference, with an optional version: the type it names. */
const TYPED_REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** An element's children as its JSON keys find them (see checkItem). */
interface KeyIndex {
  byKey: Map<string, ElementNode>;
  choices: { base: string; node: ElementNode }[];
  /** children visited even when absent: a raised minimum, a must-support, slices */
  absent: Set<ElementNode>;
}

/** The choice child a JSON key names (`valueQuantity` → `value[x]`), as childItems reads it. */
function choiceOf(choices: KeyIndex['choices'], key: string): ElementNode | undefined {
  for (const { base, node } of choices) {
    if (key.length <= base.length || !key.startsWith(base)) continue;
    const next = key.charCodeAt(base.length);
    if (next >= 65 && next <= 90) return node; // A–Z
  }
  return undefined;
}

/** `ofType(Quantity)` (or `ofType(FHIR.Quantity)`) in a discriminator path: the type it keeps. */
const OF_TYPE = /^ofType\((?:FHIR\.)?([A-Za-z][A-Za-z0-9]*)\)$/;

/** The type a value holds, when the data says it: a choice's JSON name, or a resource's resourceType. */
function itemType(item: Item): string | undefined {
  if (item.type !== undefined) return item.type;
  return isObject(item.value) && typeof item.value.resourceType === 'string'
    ? item.value.resourceType
    : undefined;
}

/**
 * The element for one type of a choice (`value[x]` → its slice `valueQuantity`, or the choice
 * itself when it allows that type); undefined when the element cannot hold the type.
 */
function typeSliceOf(node: ElementNode, type: string): ElementNode | undefined {
  if (node.name.endsWith('[x]')) {
    const sliceName = `${node.name.slice(0, -3)}${type[0]?.toUpperCase() ?? ''}${type.slice(1)}`;
    const slice = node.slices.find((s) => s.sliceName === sliceName);
    if (slice) return slice;
  }
  return node.types.length === 0 || node.types.includes(type) ? node : undefined;
}

const BY_TYPE: readonly Discriminator[] = [{ type: 'type', path: '$this' }];

/**
 * The discriminator a snapshot leaves implicit: the type slices of a choice (`value[x]:valueQuantity`)
 * are told apart by type, with or without a slicing written on the choice.
 */
function implicitDiscriminators(node: ElementNode): readonly Discriminator[] {
  return node.name.endsWith('[x]') && node.slices.every((s) => typeSliceOf(node, s.types[0] ?? '') === s)
    ? BY_TYPE
    : [];
}

/** Splits a discriminator path at dots outside parentheses and quotes. */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (quote) {
      if (ch === "'") quote = false;
    } else if (ch === "'") quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '.' && depth === 0) {
      parts.push(path.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(path.slice(start));
  return parts;
}

/** The values of one child element of an item (a choice's values carry their type). */
function childItems(parent: Item, name: string): Item[] {
  const holder = isObject(parent.value) ? parent.value : isObject(parent.ext) ? parent.ext : undefined;
  if (!holder) return [];
  // a primitive's id and extensions live in its `_name` object; its other "children" do not exist
  if (!isObject(parent.value) && name !== 'id' && name !== 'extension') return [];
  if (name.endsWith('[x]')) {
    const base = name.slice(0, -3);
    const out: Item[] = [];
    const seen = new Set<string>();
    for (const rawKey in holder) {
      const key = rawKey.startsWith('_') ? rawKey.slice(1) : rawKey;
      if (seen.has(key) || !key.startsWith(base) || key.length === base.length) continue;
      const next = key[base.length] as string;
      if (next < 'A' || next > 'Z') continue;
      seen.add(key);
      out.push(...itemsOf(holder, key, parent.loc, typeFromSuffix(key.slice(base.length))));
    }
    return out;
  }
  return itemsOf(holder, name, parent.loc);
}

/** One item of an element (a function of its own: itemsOf runs for every element of every resource). */
function makeItem(v: unknown, e: unknown, at: string, type: string | undefined): Item {
  const item: Item = { value: v, loc: at };
  if (e !== undefined && e !== null) item.ext = e;
  if (type !== undefined) item.type = type;
  return item;
}

function itemsOf(holder: Record<string, unknown>, key: string, loc: string, type?: string): Item[] {
  const value = holder[key];
  const ext = holder[`_${key}`];
  if (Array.isArray(value) || Array.isArray(ext)) {
    const values = Array.isArray(value) ? value : [];
    const exts = Array.isArray(ext) ? ext : [];
    const out: Item[] = [];
    for (let i = 0; i < Math.max(values.length, exts.length); i++) {
      const v = values[i];
      const e = exts[i];
      if ((v === undefined || v === null) && (e === undefined || e === null)) continue;
      out.push(makeItem(v ?? undefined, e, `${loc}.${key}[${i}]`, type));
    }
    return out;
  }
  if ((value === undefined || value === null) && (ext === undefined || ext === null)) return [];
  return [makeItem(value ?? undefined, ext, `${loc}.${key}`, type)];
}

/**
 * An element path with each choice segment named by the type the data holds
 * (`Observation.effective[x]` at `….effectiveDateTime` → `Observation.effectiveDateTime`): FHIRPath
 * types `$this` from this path, so `$this as dateTime` is empty on the bare choice name. The
 * path's segments after its root are the last segments of the item's location.
 */
function typedPath(path: string, loc: string): string {
  if (!path.includes('[x]')) return path;
  const segments = path.split('.');
  const at = loc.replace(/\[\d+\]/g, '').split('.');
  const offset = at.length - segments.length;
  return segments
    .map((segment, i) => {
      if (i === 0 || !segment.endsWith('[x]')) return segment;
      const actual = at[offset + i];
      return actual?.startsWith(segment.slice(0, -3)) ? actual : segment.slice(0, -3);
    })
    .join('.');
}

/** Deepest element nesting {@link impliedValue} follows below a discriminator's element. */
const MAX_IMPLIED_DEPTH = 6;

/**
 * The value a `value` or `pattern` discriminator asks for when the profile fixes it on the
 * element's children rather than on the element (`coding.system` and `coding.code` fixed, not
 * `patternCodeableConcept`): a pattern built from them; undefined when nothing below is fixed.
 */
function impliedValue(node: ElementNode, depth = 0): unknown {
  if (node.fixed !== undefined) return node.fixed;
  if (node.pattern !== undefined) return node.pattern;
  if (depth >= MAX_IMPLIED_DEPTH) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const child of node.children) {
    if (child.name.endsWith('[x]')) continue;
    const value = impliedValue(child, depth + 1);
    if (value === undefined) continue;
    out ??= {};
    out[child.name] = child.max > 1 ? [value] : value;
  }
  return out;
}

/** The resource a reference points at: a contained one (`#id`), or an entry of the enclosing Bundle. */
function resolveReference(ref: string, ctx: Context): Record<string, unknown> | undefined {
  if (ref.startsWith('#')) return ctx.contained?.get(ref.slice(1));
  if (!ctx.bundle) return undefined;
  // a version-specific reference resolves to the entry of that resource (the base layer checks the version)
  const unversioned = ref.replace(/\/_history\/[^/]+$/, '');
  return (
    ctx.bundle.get(ref) ??
    ctx.bundle.get(unversioned) ??
    ctx.bundle.get(unversioned.split('/').slice(-2).join('/'))
  );
}

/** A code with its system, as a binding or a value-set slice reads it. */
interface Code {
  system?: string;
  code: string;
}

/**
 * The codes a coded value holds: a `code` string, a Coding or a Quantity (`system` and `code`),
 * or every Coding of a CodeableConcept's `coding[]`.
 */
function codingsOf(value: unknown): Code[] {
  if (typeof value === 'string') return [{ code: value }];
  if (!isObject(value)) return [];
  const list = Array.isArray(value.coding) ? value.coding : [value];
  const codes: Code[] = [];
  for (const c of list) {
    if (isObject(c) && typeof c.code === 'string')
      codes.push(typeof c.system === 'string' ? { system: c.system, code: c.code } : { code: c.code });
  }
  return codes;
}

/** Binding strengths a code is checked against; `example` binds nothing. */
const CHECKED_STRENGTHS: ReadonlySet<string> = new Set(['required', 'extensible', 'preferred']);

/**
 * How a code outside the expanded value set of a binding is graded, as the HL7 Java validator
 * grades it: required is an error; extensible a warning (a code from the value set should be used
 * unless none fits, which only a person can judge); preferred information (the Java validator says
 * it only when it validates against the base specification alone, and then as a hint).
 */
const BINDING_GRADES: Readonly<Record<string, { rule: string; words: string }>> = {
  required: { rule: 'fhir-profile-binding', words: ' the profile requires' },
  extensible: {
    rule: 'fhir-profile-binding-extensible',
    words: ', which the extensible binding names: use one of its codes unless none fits',
  },
  preferred: {
    rule: 'fhir-profile-binding-preferred',
    words: ', which the preferred binding names: one of its codes is recommended',
  },
};

/** The extension a binding names further value sets with, each with its purpose. */
const ADDITIONAL_BINDING = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';
/**
 * Purposes of an additional binding whose codes are acceptable where the binding is extensible or
 * preferred (an alternative the guide allows: IPS's LOINC "Problem" beside its condition
 * categories). A `required` or `maximum` one narrows, never widens; `ui`, `starter` and
 * `component` say nothing of conformance.
 */
const ACCEPTING_PURPOSES: ReadonlySet<string> = new Set([
  'candidate',
  'current',
  'preferred',
  'extensible',
  'minimum',
]);

/** The value sets a binding's additional bindings accept codes from. */
function acceptedAlternatives(binding: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const ext of Array.isArray(binding.extension) ? binding.extension : []) {
    if (!isObject(ext) || ext.url !== ADDITIONAL_BINDING || !Array.isArray(ext.extension)) continue;
    let purpose: unknown;
    let valueSet: unknown;
    for (const part of ext.extension) {
      if (!isObject(part)) continue;
      if (part.url === 'purpose') purpose = part.valueCode;
      else if (part.url === 'valueSet') valueSet = part.valueCanonical;
    }
    if (typeof valueSet === 'string' && typeof purpose === 'string' && ACCEPTING_PURPOSES.has(purpose))
      out.push(valueSet);
  }
  return out;
}

/** The codes of a code system a loaded package ships whole, for membership. */
interface ShippedCodeSystem {
  codes: Set<string>;
  /** false when the code system says its codes are not case-sensitive (codes kept lowercase) */
  caseSensitive: boolean;
  /** `name#version` of the package that ships it (the first, when several do) */
  shippedBy: string;
  name: string;
}

/**
 * The code systems the loaded packages ship with their full content (`content: complete` and
 * concepts): a code of such a system that is not among its concepts is made up. Every loaded
 * version counts (a code any of them has is known), so a package newer than another never makes a
 * code an error.
 */
function shippedCodeSystems(registry: ProfileRegistry): Map<string, ShippedCodeSystem> {
  const shipped = new Map<string, ShippedCodeSystem>();
  for (const pkg of registry.packages) {
    for (const cs of pkg.codeSystems) {
      if (cs.content !== 'complete' || !cs.concept?.length || cs.supplements !== undefined) continue;
      const caseSensitive = cs.caseSensitive !== false;
      let entry = shipped.get(cs.url);
      if (!entry) {
        entry = {
          codes: new Set(),
          caseSensitive,
          shippedBy: `${pkg.name}#${pkg.version}`,
          name: cs.name ?? cs.url,
        };
        shipped.set(cs.url, entry);
      } else if (!caseSensitive && entry.caseSensitive) {
        entry.caseSensitive = false;
        entry.codes = new Set([...entry.codes].map((c) => c.toLowerCase()));
      }
      const into = entry;
      const walk = (concepts: readonly CodeSystemConcept[]) => {
        for (const c of concepts) {
          into.codes.add(into.caseSensitive ? c.code : c.code.toLowerCase());
          if (c.concept) walk(c.concept);
        }
      };
      walk(cs.concept);
    }
  }
  return shipped;
}

/** Whether a code is known to a shipped code system. */
function knownCode(cs: ShippedCodeSystem, code: string): boolean {
  return cs.codes.has(cs.caseSensitive ? code : code.toLowerCase());
}

/** Whether an expanded value set holds a code (a code without a system: in any of its systems). */
function inExpansion(codes: Map<string, Set<string>>, c: Code): boolean {
  return c.system === undefined
    ? [...codes.values()].some((set) => set.has(c.code))
    : (codes.get(c.system)?.has(c.code) ?? false);
}

/** Creates a checker over the loaded packages. */
export function createProfileChecker(options: ProfileCheckerOptions): ProfileChecker {
  const { registry, digest } = options;
  const expand = createValueSetExpander(registry, digest);
  const shipped = shippedCodeSystems(registry);
  /** a code of a code system shipped whole that the code system does not have */
  const unknownCode = (c: Code): boolean => {
    const cs = c.system === undefined ? undefined : shipped.get(c.system);
    return cs !== undefined && !knownCode(cs, c.code);
  };
  const profileBases = profileBasesOf(registry);
  const compiled = new Map<string, CompiledProfile | null>();
  /** why a loaded profile cannot be applied (its snapshot cannot be generated offline) */
  const unusable = new Map<string, string>();
  const baseTypeSds = new Set(
    Object.keys(digest.types)
      .filter((name) => !name.includes('.'))
      .map((name) => `${CORE_SD}${name}`),
  );
  for (const name of ['Element', 'BackboneElement', 'Resource', 'DomainResource', 'Extension', 'Base'])
    baseTypeSds.add(`${CORE_SD}${name}`);
  const resourceTypes = new Set<string>(digest.resourceTypes);
  const baseKeys = new Set([...NATIVE_BASE_KEYS, ...NOT_BY_FHIRPATH]);
  for (const list of Object.values(digest.invariants)) for (const inv of list) baseKeys.add(inv.key);
  const compiledPaths = new Map<string, CompiledFhirPath | null>();
  /** per value checked against a profile in a scratch sink: its errors there (none: it conforms) */
  const conformance = new WeakMap<object, Map<string, FhirIssue[]>>();
  const extraProfiles = options.profiles ?? [];

  const profile = (canonical: string): CompiledProfile | null => {
    const key = canonical;
    const known = compiled.get(key);
    if (known !== undefined) return known;
    let sd: StructureDefinition | undefined = registry.structureDefinition(canonical);
    let result: CompiledProfile | null = null;
    if (sd) {
      try {
        if (!sd.snapshot?.element?.length) sd = generateSnapshot(sd, registry.snapshotBase);
        result = compileProfile(sd);
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        unusable.set(canonical, error.message);
        result = null;
      }
    }
    compiled.set(key, result);
    return result;
  };

  /**
   * The text and profile of each error this checker reported, to report it again elsewhere
   * (explain: only errors are reported again, so notes and warnings are not kept).
   */
  const partsOf = new WeakMap<FhirIssue, { text: string; label: string }>();
  /**
   * Per sink, the first issue of each rule, location and text (or its key): a second profile
   * saying it follows. The issue is kept, its key made only when a second profile says it.
   */
  const firstOf = new WeakMap<IssueSink, Map<string, FhirIssue | string>>();
  const keyOf = (first: FhirIssue | string): string => (typeof first === 'string' ? first : issueKey(first));

  /**
   * Reports `text` of profile `p`. The same rule, location and text from a second profile (a
   * profile and the profile it derives from, both claimed) follows from the first.
   */
  const report = (
    ctx: Context,
    p: CompiledProfile,
    ruleId: string,
    location: string,
    text: string,
    value?: unknown,
    causedBy?: string,
    uncheckedCodes?: string[],
  ): void => {
    const textKey = `${ruleId}|${location}|${text}`;
    const first = firstOf.get(ctx.sink)?.get(textKey);
    const issue = ctx.sink.report(
      ruleId,
      location,
      `${text} (${p.label}${ctx.via})`,
      value,
      `${textKey} (${p.label})`,
      causedBy ?? (first === undefined ? undefined : keyOf(first)),
    );
    if (!issue) return;
    issue.profile = profileRef(p);
    if (uncheckedCodes) issue.uncheckedCodes = uncheckedCodes;
    if (issue.severity === 'error' || issue.severity === 'fatal')
      partsOf.set(issue, { text, label: p.label });
    remember(ctx.sink, textKey, issue);
  };

  /** A profile as its issues name it (`url|version`, or its url), made once per profile. */
  const profileRefs = new WeakMap<CompiledProfile, string>();
  const profileRef = (p: CompiledProfile): string => {
    let ref = profileRefs.get(p);
    if (ref === undefined) {
      ref = p.sd.version ? `${p.sd.url}|${p.sd.version}` : p.sd.url;
      profileRefs.set(p, ref);
    }
    return ref;
  };

  const remember = (sink: IssueSink, textKey: string, key: FhirIssue | string): void => {
    let first = firstOf.get(sink);
    if (!first) {
      first = new Map();
      firstOf.set(sink, first);
    }
    if (!first.has(textKey)) first.set(textKey, key);
  };

  /**
   * Reports again, into `ctx.sink`, the errors a value had against a profile it was checked
   * against in a scratch sink (a slice's or a reference target's profile), at the value's real
   * location (`at`) and saying why that profile applied (`via`). Returns the key of the first
   * root cause among them (an error that follows from no other), or undefined when there is none.
   */
  const explain = (
    errors: readonly FhirIssue[],
    at: string,
    via: string,
    ctx: Context,
  ): string | undefined => {
    const renamed = new Map<string, string>();
    let root: string | undefined;
    for (const issue of errors) {
      const location =
        issue.location === 'resource'
          ? at
          : issue.location.startsWith('resource.') || issue.location.startsWith('resource[')
            ? `${at}${issue.location.slice('resource'.length)}`
            : issue.location;
      // a base layer already found this place in error: that error is the root cause
      const there = ctx.sink.hasErrorAt(location)
        ? ctx.sink.issues.find(
            (i) => i.location === location && (i.severity === 'error' || i.severity === 'fatal'),
          )
        : undefined;
      if (there) {
        const key = issueKey(there);
        renamed.set(issueKey(issue), key);
        if (root === undefined && issue.causedBy === undefined) root = key;
        continue;
      }
      const parts = partsOf.get(issue);
      const causedBy =
        issue.causedBy === undefined ? undefined : (renamed.get(issue.causedBy) ?? issue.causedBy);
      let key: string;
      if (parts) {
        // an issue of another resource (a reference's target) keeps its own words
        const message =
          location === issue.location ? issue.message : `${parts.text} (${parts.label}${via}${ctx.via})`;
        const again = ctx.sink.report(
          issue.rule,
          location,
          message,
          issue.value,
          `${issue.rule}|${location}|${parts.text} (${parts.label})`,
          causedBy,
        );
        const textKey = `${issue.rule}|${location}|${parts.text}`;
        if (again) {
          if (issue.profile !== undefined) again.profile = issue.profile;
          partsOf.set(again, parts);
          key = issueKey(again);
          remember(ctx.sink, textKey, key);
        } else {
          const first = firstOf.get(ctx.sink)?.get(textKey);
          key = first === undefined ? issueKey({ rule: issue.rule, location, message }) : keyOf(first);
        }
      } else {
        const again = ctx.sink.report(issue.rule, location, issue.message, issue.value, undefined, causedBy);
        if (again && issue.profile !== undefined) again.profile = issue.profile;
        key = issueKey(again ?? { rule: issue.rule, location, message: issue.message });
      }
      renamed.set(issueKey(issue), key);
      if (root === undefined && causedBy === undefined) root = key;
    }
    return root;
  };

  const ownConstraint = (c: Constraint): boolean => {
    if (!c.expression) return false;
    if (c.source) return !baseTypeSds.has(bare(c.source));
    return !baseKeys.has(c.key);
  };
  /** Each element's own constraints (those the base layers do not run), worked out once. */
  const ownConstraints = new WeakMap<ElementNode, Constraint[]>();
  const ownOf = (node: ElementNode): Constraint[] => {
    let own = ownConstraints.get(node);
    if (!own) {
      own = (node.def.constraint ?? []).filter(ownConstraint);
      ownConstraints.set(node, own);
    }
    return own;
  };

  /**
   * Whether an element that is absent can still be reported: a minimum the profile raises, a
   * must-support of a resource profile, or slices (a slice's minimum). Worked out once per element.
   */
  const absentChecks = new WeakMap<ElementNode, boolean>();
  const absentMatters = (p: CompiledProfile, node: ElementNode): boolean => {
    let known = absentChecks.get(node);
    if (known === undefined) {
      known =
        (node.min > 0 && node.min > node.baseMin) ||
        (node.def.mustSupport === true && node.min === 0 && p.sd.kind === 'resource') ||
        node.slices.length > 0;
      absentChecks.set(node, known);
    }
    return known;
  };

  const evaluate = (base: string, expression: string, node: unknown, ctx: Context): boolean | undefined => {
    const cacheKey = `${base}|${expression}`;
    let run = compiledPaths.get(cacheKey);
    if (run === undefined) {
      const engine = options.fhirPath?.();
      if (!options.fhirPath) return undefined;
      if (!engine) throw new MissingFhirPathError();
      run = engine.compile(base, expression) ?? null;
      compiledPaths.set(cacheKey, run);
    }
    if (run === null) return undefined;
    try {
      const result = run(node, { resource: ctx.resource, rootResource: ctx.resource });
      return result.length === 1 && result[0] === true;
    } catch {
      return undefined;
    }
  };

  // ---- value checks on one item

  /**
   * An element's binding as checkBinding reads it, worked out once per element: its strength, value
   * set and that value set's name; null for an element without a checked binding.
   */
  interface BindingOf {
    binding: NonNullable<ElementNode['def']['binding']>;
    strength: string;
    valueSet: string;
    vsName: string;
    /** the "not checked" message when the value set does not expand offline (made once) */
    unchecked?: string;
  }
  const bindings = new WeakMap<ElementNode, BindingOf | null>();
  const bindingOf = (node: ElementNode): BindingOf | null => {
    let known = bindings.get(node);
    if (known !== undefined) return known;
    const binding = node.def.binding;
    const strength = binding?.strength;
    // an example binding binds nothing (the Java validator does not check it either)
    known =
      !binding?.valueSet || !strength || !CHECKED_STRENGTHS.has(strength)
        ? null
        : {
            binding,
            strength,
            valueSet: binding.valueSet,
            vsName: registry.valueSet(binding.valueSet)?.name ?? bare(binding.valueSet),
          };
    bindings.set(node, known);
    return known;
  };

  const checkBinding = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void => {
    const bound = bindingOf(node);
    if (!bound) return;
    if (!ctx.sink.layers.has('bindings')) return;
    const codings = codingsOf(item.value);
    // a made-up code of a code system shipped whole is its own error (checkCodes), the root cause
    if (codings.length === 0 || codings.some(unknownCode)) return;
    const { binding, strength, vsName } = bound;
    const expansion = expand(bound.valueSet);
    const systems = codings.map((c) => c.system ?? '');
    if (!expansion.ok) {
      bound.unchecked ??= `${node.id}: the ${strength} binding to ${vsName} is not checked: ${expansion.reason}`;
      report(
        ctx,
        p,
        'fhir-profile-binding-unchecked',
        item.loc,
        bound.unchecked,
        undefined,
        undefined,
        systems,
      );
      return;
    }
    if (codings.some((c) => inExpansion(expansion.codes, c))) return;
    if (ctx.sink.hasErrorAt(item.loc)) return;
    if (strength !== 'required') {
      for (const alternative of acceptedAlternatives(binding)) {
        const other = expand(alternative);
        if (!other.ok) {
          // the guide allows another value set here that does not expand offline: say so, never guess
          report(
            ctx,
            p,
            'fhir-profile-binding-unchecked',
            item.loc,
            `${node.id}: the code is not in ${vsName}, and the ${strength} binding's additional value set ${registry.valueSet(alternative)?.name ?? bare(alternative)} is not checked: ${other.reason}`,
            undefined,
            undefined,
            systems,
          );
          return;
        }
        if (codings.some((c) => inExpansion(other.codes, c))) return;
      }
    }
    const grade = BINDING_GRADES[strength];
    if (!grade) return;
    report(
      ctx,
      p,
      grade.rule,
      item.loc,
      `${node.id}: the code is not in the value set ${vsName}${grade.words}`,
      codings[0]?.code,
    );
  };

  /**
   * Every Coding (and Quantity) of a resource, wherever it is, whose system a loaded package ships
   * whole: its code must be one of the code system's concepts. Reported on the Coding, named by
   * its element path in the resource it belongs to; an element already in error is left alone.
   */
  const checkCodes = (value: unknown, loc: string, path: string, sink: IssueSink): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkCodes(value[i], `${loc}[${i}]`, path, sink);
      return;
    }
    if (!isObject(value)) return;
    const { system, code } = value;
    if (typeof system === 'string' && typeof code === 'string') {
      const cs = shipped.get(system);
      if (cs && !knownCode(cs, code) && !sink.hasErrorAt(loc) && !sink.hasErrorAt(`${loc}.code`))
        sink.report(
          'fhir-code-unknown',
          loc,
          `${path}: the code is not in the code system ${cs.name} (${system}), which ${cs.shippedBy} ships whole`,
          code,
        );
    }
    for (const key in value) {
      const child = value[key];
      if (child === null || typeof child !== 'object' || key.charCodeAt(0) === 95 /* _ */) continue;
      const inner = Array.isArray(child) ? child : [child];
      // a resource inside (a Bundle entry, a contained one) names its elements from its own type
      const first = inner[0];
      const childPath =
        isObject(first) && typeof first.resourceType === 'string' ? first.resourceType : `${path}.${key}`;
      checkCodes(child, `${loc}.${key}`, childPath, sink);
    }
  };

  const checkValue = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void => {
    if (item.value === undefined) return;
    if (node.fixed !== undefined && !jsonEqual(item.value, node.fixed)) {
      report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must be ${describeExpected(node.fixed)}, as the profile fixes it`,
        item.value,
      );
    } else if (node.pattern !== undefined && !matchesPattern(item.value, node.pattern)) {
      report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must hold ${describeExpected(node.pattern)}, as the profile requires`,
        item.value,
      );
    }
  };

  const checkType = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): boolean => {
    let actual: string | undefined;
    if (item.type !== undefined && node.name.endsWith('[x]')) actual = item.type;
    else if (
      isObject(item.value) &&
      typeof item.value.resourceType === 'string' &&
      node.types.length > 0 &&
      !node.types.includes('Resource')
    )
      actual = item.value.resourceType;
    if (actual === undefined || node.types.length === 0 || node.types.includes(actual)) return true;
    const rule = p.sd.type === 'Extension' ? 'fhir-profile-extension' : 'fhir-profile-type';
    report(
      ctx,
      p,
      rule,
      item.loc,
      `${node.id}: a value of type ${actual} is not allowed here; the profile allows ${node.types.join(', ')}`,
    );
    return false;
  };

  /** Simple invariants answered on the JSON, compiled once per expression. */
  const simpleInvariants = new Map<string, SimpleInvariant | null>();
  const typeElements: TypeElements = (typeName) => digest.types[typeName]?.elements;
  const simpleOf = (expression: string): SimpleInvariant | null => {
    let simple = simpleInvariants.get(expression);
    if (simple === undefined) {
      simple = compileSimpleInvariant(expression, typeElements) ?? null;
      simpleInvariants.set(expression, simple);
    }
    return simple;
  };
  /** The digest's type of an item at an element: a backbone's is its path. */
  const typeAt = (p: CompiledProfile, node: ElementNode, item: Item): string | undefined => {
    if (node === p.root) return p.sd.type;
    if (item.type !== undefined) return item.type;
    if (node.types.length !== 1) return undefined;
    const type = node.types[0] as string;
    return type === 'BackboneElement' || type === 'Element' ? node.path : type;
  };

  const checkInvariants = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void => {
    if (!ctx.sink.layers.has('invariants')) return;
    for (const c of ownOf(node)) {
      const expression = CORRECTED_EXPRESSIONS[c.expression as string] ?? (c.expression as string);
      // an empty result fails, as in FHIRPath run the Java validator's way
      const simple = simpleOf(expression)?.(item.value, typeAt(p, node, item), ctx.resource) ?? false;
      const holds =
        simple === UNKNOWN || simpleOf(expression) === null
          ? evaluate(typedPath(node.path, item.loc), expression, item.value, ctx)
          : simple;
      if (holds !== false) continue;
      const rule = c.severity === 'warning' ? 'fhir-profile-invariant-warning' : 'fhir-profile-invariant';
      report(ctx, p, rule, item.loc, `${node.id}: ${c.key}: ${c.human}`);
    }
  };

  /**
   * Per element, its types that name profiles, with those profiles once loaded (each type's made
   * on its first item of that type, as before: per element, not per item). Empty for most elements.
   */
  interface TypeProfiles {
    types: { code: string; urls: readonly string[]; loaded?: CompiledProfile[] }[];
  }
  const typeProfileTables = new WeakMap<ElementNode, TypeProfiles>();
  const typeProfilesOf = (node: ElementNode): TypeProfiles => {
    let table = typeProfileTables.get(node);
    if (!table) {
      table = { types: [] };
      for (const type of node.def.type ?? [])
        if (type.profile?.length) table.types.push({ code: type.code, urls: type.profile });
      typeProfileTables.set(node, table);
    }
    return table;
  };

  /** The item checked against the profiles its type names (datatype, extension or resource profiles). */
  const checkTypeProfiles = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void => {
    const { types } = typeProfilesOf(node);
    for (const type of types) {
      if (item.type !== undefined && type.code !== item.type) continue;
      if (
        isObject(item.value) &&
        typeof item.value.resourceType === 'string' &&
        item.value.resourceType !== type.code
      )
        continue;
      type.loaded ??= type.urls.map(profile).filter((x): x is CompiledProfile => x !== null);
      const loaded = type.loaded;
      if (loaded.length === 0) continue; // unresolved: named in the registry's `unresolved`
      const via = `, ${node.sliceName !== undefined ? `slice '${node.sliceName}'` : node.id} of ${p.label}`;
      const target = loaded[0] as CompiledProfile;
      if (isObject(item.value) && typeof item.value.resourceType === 'string')
        checkResource(target, item.value, item.loc, { ...ctx, resource: item.value, via });
      else checkItem(target, target.root, item, { ...ctx, via });
    }
  };

  /** Per element, the target profiles of its Reference type and the resource type each names (made once). */
  const targetTables = new WeakMap<ElementNode, { targets: string[]; allowed: (string | undefined)[] }>();
  const targetsOf = (node: ElementNode): { targets: string[]; allowed: (string | undefined)[] } => {
    let table = targetTables.get(node);
    if (!table) {
      const targets = (node.def.type ?? [])
        .filter((t) => t.code === 'Reference')
        .flatMap((t) => t.targetProfile ?? []);
      const allowed = targets.map(
        (url) =>
          registry.structureDefinition(url)?.type ??
          (bare(url).startsWith(CORE_SD) ? bare(url).slice(CORE_SD.length) : undefined),
      );
      table = { targets, allowed };
      targetTables.set(node, table);
    }
    return table;
  };

  /**
   * A reference points at a resource of a type the element's target profiles allow (by the type
   * of the resource it resolves to in the Bundle or among the contained resources, else by the
   * `Type/id` it names), even where the base element allows any type; and a target resolved
   * inside the Bundle conforms to one of the target profiles of loaded packages.
   */
  const checkTargetProfiles = (p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void => {
    if (!isObject(item.value)) return;
    const ref = typeof item.value.reference === 'string' ? item.value.reference : undefined;
    const declared = typeof item.value.type === 'string' ? item.value.type : undefined;
    if (ref === undefined && declared === undefined) return;
    const { targets, allowed } = targetsOf(node);
    if (targets.length === 0) return;
    const refused = (type: string | undefined): type is string =>
      type !== undefined &&
      resourceTypes.has(type) &&
      allowed.every((t) => t !== undefined && t !== 'Resource' && t !== type);
    // Reference.type names the target's type (a logical reference may carry nothing else)
    const declaredType = declared?.startsWith(CORE_SD) ? declared.slice(CORE_SD.length) : declared;
    if (refused(declaredType) && !ctx.sink.hasErrorAt(`${item.loc}.type`)) {
      report(
        ctx,
        p,
        'fhir-profile-type',
        `${item.loc}.type`,
        `${node.id}: the reference's type is ${declaredType}; the profile allows only ${[...new Set(allowed)].join(', ')}`,
      );
      return;
    }
    if (ref === undefined) return;
    const target = resolveReference(ref, ctx);
    const actual =
      typeof target?.resourceType === 'string' ? target.resourceType : TYPED_REFERENCE.exec(ref)?.[1];
    const at = `${item.loc}.reference`;
    if (refused(actual) && !ctx.sink.hasErrorAt(at)) {
      report(
        ctx,
        p,
        'fhir-profile-type',
        at,
        `${node.id}: the reference is to a ${actual}; the profile allows only ${[...new Set(allowed)].join(', ')}`,
      );
      return;
    }
    if (!target) return; // unresolved: the references layer's finding
    const urls = targets.filter((url) => !baseTypeSds.has(bare(url)));
    if (urls.length === 0) return;
    const candidates = urls
      .map(profile)
      .filter((x): x is CompiledProfile => x !== null && x.sd.type === target.resourceType);
    // a target of a type no loaded target profile is for: its type is allowed by a base type above
    if (candidates.length === 0) return;
    // a target that claims one of them is checked against it as itself: its defects are named there
    const meta = target.meta;
    const claimed = isObject(meta) && Array.isArray(meta.profile) ? meta.profile : [];
    if (candidates.some((c) => claimed.includes(c.sd.url))) return;
    if (candidates.some((c) => conforms(c, target, ctx))) return;
    // why: the target's own defects against the first target profile, where the target is
    const where = ctx.locations?.get(target);
    const cause =
      where === undefined
        ? undefined
        : explain(
            errorsAgainst(candidates[0] as CompiledProfile, target, ctx),
            where,
            `, the target of ${node.id} in ${p.label}`,
            ctx,
          );
    report(
      ctx,
      p,
      'fhir-profile-type',
      at,
      `${node.id}: the referenced resource does not conform to ${candidates.map((c) => c.label).join(' or ')}, as the profile requires`,
      undefined,
      cause,
    );
  };

  // ---- slicing

  /** Values at a discriminator path below an item; undefined when the path cannot be evaluated offline. */
  const valuesAt = (item: Item, path: string, ctx: Context): Item[] | undefined => {
    let current: Item[] = [item];
    for (const segment of splitPath(path)) {
      if (segment === '$this' || segment === '') continue;
      if (segment === 'resolve()') {
        const next: Item[] = [];
        for (const it of current) {
          const ref = isObject(it.value) ? it.value.reference : undefined;
          if (typeof ref !== 'string') continue;
          const target = resolveReference(ref, ctx);
          if (!target) return undefined;
          next.push({ value: target, loc: it.loc });
        }
        current = next;
        continue;
      }
      const ext = /^extension\('([^']*)'\)$/.exec(segment);
      if (ext) {
        current = current.flatMap((it) =>
          childItems(it, 'extension').filter((e) => isObject(e.value) && e.value.url === ext[1]),
        );
        continue;
      }
      const ofType = OF_TYPE.exec(segment);
      if (ofType) {
        const type = ofType[1] as string;
        current = current.filter((it) => {
          const actual = itemType(it);
          // an element that is not a choice has the one type its definition gives: kept
          return actual === undefined || actual === type;
        });
        continue;
      }
      if (segment.includes('(')) return undefined;
      current = current.flatMap((it) => {
        const direct = childItems(it, segment);
        return direct.length > 0 || !isObject(it.value) ? direct : childItems(it, `${segment}[x]`);
      });
    }
    return current;
  };

  /** The element of a slice at a discriminator path (`$this`, `resolve()` stay on the slice itself). */
  const elementAt = (slice: ElementNode, path: string): ElementNode | undefined => {
    let node: ElementNode | undefined = slice;
    const segments = splitPath(path);
    for (const [i, segment] of segments.entries()) {
      if (!node) return undefined;
      if (segment === '$this' || segment === '') continue;
      if (segment === 'resolve()') {
        // a path that goes on past resolve() reads the target's elements: its target profile's
        if (i < segments.length - 1) {
          const urls: string[] = (node.def.type ?? []).flatMap((t) => t.targetProfile ?? []);
          const target: CompiledProfile | undefined = urls
            .map(profile)
            .find((x): x is CompiledProfile => x !== null);
          node = target?.root;
        }
        continue;
      }
      const ext = /^extension\('([^']*)'\)$/.exec(segment);
      if (ext) {
        const holder: ElementNode | undefined = node.children.find((c) => c.name === 'extension');
        const found: ElementNode | undefined = holder?.slices.find((s) =>
          s.def.type?.some((t) => t.profile?.some((pr) => bare(pr) === ext[1])),
        );
        // a snapshot need not unfold an extension slice: its definition's elements then
        node = found && found.children.length === 0 ? (profile(ext[1] as string)?.root ?? found) : found;
        continue;
      }
      const ofType = OF_TYPE.exec(segment);
      if (ofType) {
        node = typeSliceOf(node, ofType[1] as string);
        continue;
      }
      const name = segment;
      node = node.children.find((c) => c.name === name || c.name === `${name}[x]`);
    }
    return node;
  };

  /** The errors of a value against a profile, checked at `resource` in a scratch sink (cached). */
  const errorsAgainst = (
    target: CompiledProfile,
    value: Record<string, unknown>,
    ctx: Context,
  ): FhirIssue[] => {
    let byUrl = conformance.get(value);
    if (!byUrl) {
      byUrl = new Map();
      conformance.set(value, byUrl);
    }
    const known = byUrl.get(target.sd.url);
    if (known !== undefined) return known;
    const scratch = new IssueSink(ctx.sink.layers);
    const inScratch: Context = { ...ctx, sink: scratch, via: '', checked: new WeakMap() };
    // a datatype or extension profile (a `profile` discriminator on an Extension or Identifier)
    if (target.sd.kind !== 'resource' && typeof value.resourceType !== 'string')
      checkItem(target, target.root, { value, loc: 'resource' }, inScratch);
    else checkResource(target, value, 'resource', { ...inScratch, resource: value });
    const errors = scratch.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    byUrl.set(target.sd.url, errors);
    return errors;
  };

  const conforms = (target: CompiledProfile, value: Record<string, unknown>, ctx: Context): boolean =>
    errorsAgainst(target, value, ctx).length === 0;

  /**
   * What a `profile` discriminator asks for at `target`: the loaded profiles, and the base types
   * it names (`…/StructureDefinition/Condition`: a value of that type conforms, the base layers
   * judge the rest); undefined when a profile it names is not loaded.
   */
  const discriminatorProfiles = (
    d: Discriminator,
    target: ElementNode,
  ): { profiles: CompiledProfile[]; baseTypes: string[] } | undefined => {
    const urls = d.path.includes('resolve()')
      ? (target.def.type ?? []).flatMap((t) => t.targetProfile ?? [])
      : (target.def.type ?? []).flatMap((t) => t.profile ?? []);
    if (urls.length === 0) return undefined;
    const profiles: CompiledProfile[] = [];
    const baseTypes: string[] = [];
    for (const url of urls) {
      const loaded = profile(url);
      if (loaded) profiles.push(loaded);
      else if (baseTypeSds.has(bare(url))) baseTypes.push(bare(url).slice(CORE_SD.length));
      else return undefined;
    }
    return { profiles, baseTypes };
  };

  /** Whether a value meets what a `profile` discriminator asks for. */
  const meetsProfiles = (
    wanted: { profiles: CompiledProfile[]; baseTypes: string[] },
    value: Record<string, unknown>,
    ctx: Context,
  ): boolean => {
    const type = typeof value.resourceType === 'string' ? value.resourceType : undefined;
    if (wanted.baseTypes.some((t) => type === undefined || t === type)) return true;
    return wanted.profiles.some((pr) => conforms(pr, value, ctx));
  };

  /**
   * Why an item is not in a slice whose other discriminators it meets: for each value at a
   * `profile` discriminator's path that conforms to none of the profiles, its errors against the
   * profile for its type (checked in a scratch sink) and where the value is. Empty when the item
   * misses the slice for another reason.
   */
  const profileMisses = (
    slice: ElementNode,
    discriminators: readonly Discriminator[],
    item: Item,
    ctx: Context,
  ): { errors: FhirIssue[]; at: string }[] => {
    const byProfile = discriminators.filter((d) => d.type === 'profile');
    if (byProfile.length === 0) return [];
    for (const d of discriminators)
      if (d.type !== 'profile' && meets(d, slice, item, ctx) !== true) return [];
    const misses: { errors: FhirIssue[]; at: string }[] = [];
    for (const d of byProfile) {
      const target = elementAt(slice, d.path);
      const wanted = target ? discriminatorProfiles(d, target) : undefined;
      const values = valuesAt(item, d.path, ctx);
      if (!wanted || !values) return [];
      const { profiles } = wanted;
      for (const v of values) {
        if (!isObject(v.value)) continue;
        const value = v.value;
        if (meetsProfiles(wanted, value, ctx)) continue;
        const own = profiles.find((pr) => pr.sd.type === value.resourceType) ?? profiles[0];
        if (!own) continue; // of another type than the base types asked for: nothing more to say
        misses.push({ errors: errorsAgainst(own, value, ctx), at: ctx.locations?.get(value) ?? v.loc });
      }
    }
    return misses;
  };

  /** The root cause of a slice's shortfall among the values no slice took: their defects, reported. */
  const explainMisses = (
    p: CompiledProfile,
    slice: ElementNode,
    discriminators: readonly Discriminator[],
    items: readonly Item[],
    ctx: Context,
  ): string | undefined => {
    let cause: string | undefined;
    for (const item of items)
      for (const miss of profileMisses(slice, discriminators, item, ctx)) {
        const root = explain(miss.errors, miss.at, `, slice '${slice.sliceName}' of ${p.label}`, ctx);
        cause ??= root;
      }
    return cause;
  };

  /** Whether an item meets a discriminator of a slice: undefined when that cannot be told offline. */
  const meets = (d: Discriminator, slice: ElementNode, item: Item, ctx: Context): boolean | undefined => {
    const values = valuesAt(item, d.path, ctx);
    if (values === undefined) return undefined;
    // an extension slice is told by the URL of the extension its type names (snapshots need not unfold it)
    const extensionUrl = slice.types.includes('Extension') ? slice.def.type?.[0]?.profile?.[0] : undefined;
    if (d.path === 'url' && (d.type === 'value' || d.type === 'pattern') && extensionUrl)
      return values.some((v) => v.value === bare(extensionUrl));
    const target = elementAt(slice, d.path);
    if (!target) return undefined;
    switch (d.type) {
      case 'value':
      case 'pattern': {
        if (target.fixed !== undefined) return values.some((v) => jsonEqual(v.value, target.fixed));
        if (target.pattern !== undefined) return values.some((v) => matchesPattern(v.value, target.pattern));
        const implied = impliedValue(target);
        if (implied !== undefined) return values.some((v) => matchesPattern(v.value, implied));
        const binding = target.def.binding;
        if (binding?.strength === 'required' && binding.valueSet) {
          const expansion = expand(binding.valueSet);
          if (!expansion.ok) return undefined;
          return values.some((v) => codingsOf(v.value).some((c) => inExpansion(expansion.codes, c)));
        }
        return undefined;
      }
      case 'exists':
        if (target.min > 0) return values.length > 0;
        if (target.max === 0) return values.length === 0;
        return undefined;
      case 'type': {
        const viaReference = d.path.includes('resolve()');
        const expected = viaReference
          ? (target.def.type ?? [])
              .flatMap((t) => t.targetProfile ?? [])
              .map(
                (url) =>
                  registry.structureDefinition(url)?.type ??
                  (bare(url).startsWith(CORE_SD) ? bare(url).slice(CORE_SD.length) : undefined),
              )
          : target.types;
        if (expected.some((t) => t === undefined)) return undefined;
        return values.some((v) => {
          const actual =
            isObject(v.value) && typeof v.value.resourceType === 'string' ? v.value.resourceType : v.type;
          return actual !== undefined && expected.includes(actual);
        });
      }
      case 'profile': {
        const wanted = discriminatorProfiles(d, target);
        if (!wanted) return undefined;
        return values.some(
          (v) => isObject(v.value) && meetsProfiles(wanted, v.value as Record<string, unknown>, ctx),
        );
      }
      default:
        return undefined;
    }
  };

  const applySlicing = (
    p: CompiledProfile,
    node: ElementNode,
    items: Item[],
    groupLoc: string,
    ctx: Context,
  ): void => {
    const discriminators = node.slicing?.discriminator ?? implicitDiscriminators(node);
    const matched = node.slices.map((): Item[] => []);
    const unknown = node.slices.map(() => false);
    const unmatched: Item[] = [];
    let last = -1;
    for (const item of items) {
      let found = -1;
      for (let s = 0; s < node.slices.length && found < 0; s++) {
        const slice = node.slices[s] as ElementNode;
        let result: boolean | undefined = discriminators.length > 0;
        if (discriminators.length === 0) result = undefined;
        for (const d of discriminators) {
          const r = meets(d, slice, item, ctx);
          if (r === false) {
            result = false;
            break;
          }
          if (r === undefined) result = undefined;
        }
        if (result === undefined) unknown[s] = true;
        else if (result) found = s;
      }
      if (found >= 0) {
        (matched[found] as Item[]).push(item);
        if (node.slicing?.ordered && found < last)
          report(
            ctx,
            p,
            'fhir-profile-slice',
            item.loc,
            `${node.id}: slice '${node.slices[found]?.sliceName}' comes after a later slice; the profile orders them`,
          );
        last = Math.max(last, found);
      } else unmatched.push(item);
    }
    node.slices.forEach((slice, s) => {
      const got = matched[s] as Item[];
      if (unknown[s] && got.length < slice.min) {
        report(
          ctx,
          p,
          'fhir-profile-not-checked',
          groupLoc,
          `${node.id}: slice '${slice.sliceName}' is not checked: its discriminator needs what is not loaded or not in this file`,
        );
      } else if (got.length < slice.min) {
        const needs = slice.min === slice.max ? `${slice.min}` : `at least ${slice.min}`;
        report(
          ctx,
          p,
          'fhir-profile-slice',
          groupLoc,
          `${node.id}: slice '${slice.sliceName}' requires ${needs}, found ${got.length}`,
          undefined,
          explainMisses(p, slice, discriminators, unmatched, ctx),
        );
      } else if (got.length > slice.max) {
        report(
          ctx,
          p,
          'fhir-profile-slice',
          groupLoc,
          `${node.id}: slice '${slice.sliceName}' allows at most ${slice.max}, found ${got.length}`,
        );
      }
      if (slice.slices.length > 0) applySlicing(p, slice, got, groupLoc, ctx);
      for (const item of got) checkItem(p, slice, item, ctx);
    });
    if (node.slicing?.rules === 'closed' && !unknown.some(Boolean)) {
      for (const item of unmatched) {
        let cause: string | undefined;
        for (const slice of node.slices) {
          cause = explainMisses(p, slice, discriminators, [item], ctx);
          if (cause !== undefined) break;
        }
        report(
          ctx,
          p,
          'fhir-profile-slice',
          item.loc,
          `${node.id}: matches none of the slices of the profile's closed slicing (${node.slices.map((s) => `'${s.sliceName}'`).join(', ')})`,
          undefined,
          cause,
        );
      }
    }
  };

  // ---- the walk

  /** Each must-support element's note, made once. */
  const mustSupportTexts = new WeakMap<ElementNode, string>();
  const checkGroup = (p: CompiledProfile, node: ElementNode, parent: Item, ctx: Context): void => {
    const items = childItems(parent, node.name);
    // most elements of a snapshot are absent from a resource: nothing to say about most of those
    if (items.length === 0 && !absentMatters(p, node)) return;
    const groupLoc = `${parent.loc}.${node.locationName}`;
    const cardinality = p.sd.type === 'Extension' ? 'fhir-profile-extension' : 'fhir-profile-cardinality';
    if (items.length < node.min && node.min > node.baseMin && !ctx.sink.hasErrorAt(groupLoc)) {
      report(
        ctx,
        p,
        cardinality,
        groupLoc,
        `${node.id}: requires at least ${node.min}, found ${items.length}`,
      );
    } else if (items.length > node.max && node.max < node.baseMax) {
      report(ctx, p, cardinality, groupLoc, `${node.id}: allows at most ${node.max}, found ${items.length}`);
    } else if (items.length === 0 && node.def.mustSupport && node.min === 0 && p.sd.kind === 'resource') {
      let text = mustSupportTexts.get(node);
      if (text === undefined) {
        text = `${node.id}: must-support and absent, which is allowed: a system conforming to the profile must be able to hold it when the data has it`;
        mustSupportTexts.set(node, text);
      }
      report(ctx, p, 'fhir-profile-must-support', groupLoc, text);
    }
    if (node.slices.length > 0) applySlicing(p, node, items, groupLoc, ctx);
    for (const item of items) checkItem(p, node, item, ctx);
  };

  function checkItem(p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void {
    if (node !== p.root) {
      if (!checkType(p, node, item, ctx)) return;
      checkValue(p, node, item, ctx);
      checkBinding(p, node, item, ctx);
      checkTypeProfiles(p, node, item, ctx);
      checkTargetProfiles(p, node, item, ctx);
    }
    checkInvariants(p, node, item, ctx);
    if (node.children.length === 0) return;
    // driven by the item's own keys: a child element is visited when the item holds it, or when
    // its absence can be reported (most of a snapshot's elements are absent from a resource)
    const { byKey, choices, absent } = keyIndexOf(p, node);
    const holder = isObject(item.value) ? item.value : isObject(item.ext) ? item.ext : undefined;
    let present: Set<ElementNode> | undefined;
    if (holder) {
      for (const rawKey in holder) {
        const key = rawKey.charCodeAt(0) === 95 ? rawKey.slice(1) : rawKey; // "_name"
        const child = byKey.get(key) ?? (choices.length > 0 ? choiceOf(choices, key) : undefined);
        if (!child) continue;
        present ??= new Set();
        present.add(child);
      }
    }
    if (!present && absent.size === 0) return;
    for (const child of node.children)
      if (present?.has(child) || absent.has(child)) checkGroup(p, child, item, ctx);
  }

  /** Per element: its children by JSON name, its choice children, and those whose absence can be reported. */
  const keyIndexes = new WeakMap<ElementNode, KeyIndex>();
  const keyIndexOf = (p: CompiledProfile, node: ElementNode): KeyIndex => {
    let index = keyIndexes.get(node);
    if (index) return index;
    index = { byKey: new Map(), choices: [], absent: new Set() };
    for (const child of node.children) {
      if (child.max === 0 && child.baseMax === 0) continue;
      if (child.name.endsWith('[x]')) index.choices.push({ base: child.name.slice(0, -3), node: child });
      else index.byKey.set(child.name, child);
      if (absentMatters(p, child)) index.absent.add(child);
    }
    keyIndexes.set(node, index);
    return index;
  };

  function checkResource(
    p: CompiledProfile,
    resource: Record<string, unknown>,
    location: string,
    ctx: Context,
  ): void {
    const done = ctx.checked.get(resource) ?? new Set<string>();
    if (done.has(p.sd.url)) return;
    done.add(p.sd.url);
    ctx.checked.set(resource, done);
    // `#id` references resolve among the resource's own contained resources (a contained
    // resource's, among its container's); a resource reached through a slice's profile has its own
    const own = Array.isArray(resource.contained)
      ? containedOf(resource.contained)
      : ctx.contained && [...ctx.contained.values()].includes(resource)
        ? ctx.contained
        : undefined;
    const inner: Context = own === ctx.contained ? ctx : { ...ctx };
    if (own) inner.contained = own;
    else delete inner.contained;
    if (resource.resourceType !== p.sd.type) {
      report(
        inner,
        p,
        'fhir-profile-type',
        location,
        // the type is named only when it is an R4 type: a resourceType is data until known
        `${p.sd.type}: the resource is ${resourceTypes.has(resource.resourceType as string) ? `a ${String(resource.resourceType)}` : 'of another type'}, and the profile is for ${p.sd.type}`,
      );
      return;
    }
    checkItem(p, p.root, { value: resource, loc: location }, inner);
  }

  /** Every extension in the resource that a loaded package defines, against its definition. */
  const checkExtensions = (value: unknown, loc: string, ctx: Context): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        checkExtensions(v, `${loc}[${i}]`, ctx);
      });
      return;
    }
    if (!isObject(value)) return;
    for (const key in value) {
      const child = value[key];
      if (key === 'contained' || (isObject(child) && typeof child.resourceType === 'string')) continue;
      const at = `${loc}.${key}`;
      if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
        child.forEach((ext, i) => {
          if (!isObject(ext) || typeof ext.url !== 'string') return;
          const sd = registry.structureDefinition(ext.url);
          if (sd?.type !== 'Extension') return;
          const p = profile(ext.url);
          if (p) checkItem(p, p.root, { value: ext, loc: `${at}[${i}]` }, { ...ctx, via: '' });
        });
      }
      checkExtensions(child, at, ctx);
    }
  };

  /** Contained resources by id, for `#id` references (one map per list). */
  const containedMaps = new WeakMap<readonly unknown[], Map<string, Record<string, unknown>>>();
  const containedOf = (list: readonly unknown[]): Map<string, Record<string, unknown>> => {
    let byId = containedMaps.get(list);
    if (byId) return byId;
    byId = new Map<string, Record<string, unknown>>();
    for (const c of list) if (isObject(c) && typeof c.id === 'string') byId.set(c.id, c);
    containedMaps.set(list, byId);
    return byId;
  };

  /** A Bundle's entries by full URL and `Type/id`, and where each is. */
  const bundleOf = (
    entries: readonly unknown[],
    location: string,
  ): { bundle: Map<string, Record<string, unknown>>; locations: Map<object, string> } => {
    const bundle = new Map<string, Record<string, unknown>>();
    const locations = new Map<object, string>();
    entries.forEach((entry, i) => {
      if (!isObject(entry) || !isObject(entry.resource)) return;
      const r = entry.resource;
      locations.set(r, `${location}.entry[${i}].resource`);
      if (typeof entry.fullUrl === 'string') bundle.set(entry.fullUrl, r);
      if (typeof r.resourceType === 'string' && typeof r.id === 'string')
        bundle.set(`${r.resourceType}/${r.id}`, r);
    });
    return { bundle, locations };
  };

  /** The resource against its own profiles, then its Bundle entries and contained resources. */
  const checkClaimed = (resource: Record<string, unknown>, location: string, outer: Context): void => {
    const ctx: Context = Array.isArray(resource.contained)
      ? { ...outer, contained: containedOf(resource.contained) }
      : outer;
    const meta = resource.meta;
    const claimed =
      isObject(meta) && Array.isArray(meta.profile)
        ? meta.profile.filter((u): u is string => typeof u === 'string')
        : [];
    const type = resource.resourceType;
    claimed.forEach((url, i) => {
      const bar = url.indexOf('|');
      const loaded = bar < 0 ? undefined : registry.structureDefinition(url)?.version;
      if (loaded === undefined || loaded === url.slice(bar + 1)) return;
      const issue = ctx.sink.report(
        'fhir-profile-version',
        `${location}.meta.profile[${i}]`,
        `${String(type)}: the resource claims version ${url.slice(bar + 1)} of the profile ${bare(url)}; the loaded package has version ${loaded}, and the resource was checked against that: load version ${url.slice(bar + 1)} to check it as claimed`,
        url,
      );
      if (issue) issue.profile = `${bare(url)}|${loaded}`;
    });
    for (const url of [...claimed, ...extraProfiles]) {
      const p = profile(url);
      const why = unusable.get(url);
      if (why !== undefined && claimed.includes(url)) {
        const text = `${String(type)}: the profile ${bare(url)} is loaded but cannot be applied: ${why}`;
        const issue = ctx.sink.report(
          'fhir-profile-not-checked',
          location,
          text,
          undefined,
          `not-applied|${location}|${url}`,
        );
        if (issue) issue.profile = url;
      }
      if (!p || (p.sd.type !== type && !claimed.includes(url))) continue;
      checkResource(p, resource, location, { ...ctx, resource, via: '' });
    }
    checkExtensions(resource, location, { ...ctx, resource });
    if (type === 'Bundle' && Array.isArray(resource.entry)) {
      const inner: Context = { ...ctx, ...bundleOf(resource.entry, location) };
      resource.entry.forEach((entry, i) => {
        if (isObject(entry) && isObject(entry.resource))
          checkClaimed(entry.resource, `${location}.entry[${i}].resource`, inner);
      });
    }
    if (Array.isArray(resource.contained)) {
      resource.contained.forEach((c, i) => {
        if (isObject(c)) checkClaimed(c, `${location}.contained[${i}]`, ctx);
      });
    }
  };

  return {
    check(resource, location, sink) {
      if (shipped.size > 0 && sink.layers.has('bindings'))
        checkCodes(resource, location, String(resource.resourceType), sink);
      const ctx: Context = { sink, resource, via: '', checked: new WeakMap() };
      // a Bundle's own profile resolves references among its entries
      if (resource.resourceType === 'Bundle')
        Object.assign(ctx, bundleOf(Array.isArray(resource.entry) ? resource.entry : [], location));
      checkClaimed(resource, location, ctx);
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
  };
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
 * the session makes the checker once its digest and FHIRPath engine are there.
 */
export function validatorProfiles(
  registry: ProfileRegistry,
  profiles?: readonly string[],
): (digest: FhirDigest, fhirPath?: () => FhirPathEngine | undefined) => ProfileChecker {
  return (digest, fhirPath) =>
    createProfileChecker({
      registry,
      digest,
      ...(fhirPath ? { fhirPath } : {}),
      ...(profiles ? { profiles } : {}),
    });
}
