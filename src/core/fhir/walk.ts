/**
 * The typed walk: ONE pass over a resource guided by the validation digest, which runs the
 * cardinality, value-domain, extension and binding layers, evaluates the datatype invariants the
 * walk can see (per-1 on every Period), and collects references for the reference layer.
 *
 * Why one walk: evaluating datatype invariants with FHIRPath `descendants()` is slow (a few hundred
 * to a thousand resources/s, tests/bench/RESULTS.md); a walk that already knows each node's type
 * does it in passing. Unknown elements and wrong JSON types are the structure layer's: the walk
 * skips what it cannot type rather than reporting it twice.
 */
import { type CodingHost, checkCoding, checkQuantityUnit } from './codings.ts';
import { type ElementDigest, type FhirDigest, PRIMITIVE_TYPES, type TypeDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';
import { hasNoCoding, reportNoCode } from './noCode.ts';
import { specBindingCheck } from './specTerminology.ts';
import { base64Length, isBase64, primitiveProblem } from './values.ts';

/** A reference found in a resource. */
export interface CollectedReference {
  reference: string;
  /** location of the Reference element (its `.reference` is where the text is) */
  location: string;
  /** the resource types the element allows (absent: any), for a target found by id or fullUrl */
  targets?: readonly string[];
}

/** What the walk collects per resource that is not contained in another. */
export interface ResourceScope {
  /** references that are not local (`#id`), for Bundle and export resolution */
  references: CollectedReference[];
  /** local references (`#id`) and where they are */
  local: CollectedReference[];
  /** ids of the contained resources, with the resource type of each */
  containedIds: Map<string, string>;
}

/** The element holding an extension: for context checks. */
interface Holder {
  /** definition path ("Patient.name", "HumanName.family") */
  path: string;
  /** FHIR type ("HumanName", "string", "Patient") */
  type: string;
  resource: boolean;
}

/** An element an invariant applies to, found by the walk. */
export interface InvariantNode {
  node: Record<string, unknown>;
  /** the invariant path it matched ("Questionnaire.item") */
  path: string;
  location: string;
}

/** Hooks the walk calls for nested resources (validated fully, by the validator). */
export interface WalkHost extends CodingHost {
  digest: FhirDigest;
  sink: IssueSink;
  /** element paths that carry invariants, for the resource being walked (undefined: none) */
  invariantPaths?: ReadonlySet<string> | undefined;
  /** where the walk puts the elements those invariants apply to */
  invariantNodes?: InvariantNode[] | undefined;
  /** whether a loaded package defines an extension the specification does not (then it is not unknown) */
  extensionDefined?: ((url: string) => boolean) | undefined;
  /** whether an extension at an example domain is accepted unjudged */
  allowExampleUrls?: boolean;
  /** the loaded packages (`name#version`), named when an extension none of them defines is found */
  extensionPackages?: readonly string[] | undefined;
  /** validates a nested resource; `scope` is the container's for contained resources */
  nested(resource: unknown, location: string, scope: ResourceScope | undefined): ResourceScope | undefined;
}

const CORE_EXTENSION_BASE = 'http://hl7.org/fhir/StructureDefinition/';
/**
 * Example domains (RFC 2606 and the specification's acme): an extension there is not defined
 * anywhere, so it is judged as any unknown extension (an error, as the Java validator's "could not
 * be found") unless the run allows example URLs (`allowExampleUrls`, the Java validator's
 * `-allow-example-urls`, false by default): then it marks an example or a test and passes.
 */
const EXAMPLE_URL = /^https?:\/\/([a-z0-9-]+\.)*(example\.(org|com|net)|acme\.(com|org))(\/|$)/i;
/**
 * HL7's cross-version extensions: `http://hl7.org/fhir/{version}/StructureDefinition/extension-{path}`
 * stands for the element at `path` of that FHIR version (R2, R3, R4, R4B, R5), defined by rule, not
 * by a package. The Java validator builds its definition from that version's specification, which
 * is not held here, so such an extension is said (not checked), never called unknown.
 */
const OTHER_VERSION_EXTENSION =
  /^http:\/\/hl7\.org\/fhir\/(1\.0|3\.0|4\.0|4\.3|5\.0)\/StructureDefinition\/extension-([A-Z][A-Za-z]*(?:\.[A-Za-z][A-Za-z0-9]*)*)$/;
/** Type/id at the end of a reference, with an optional version. */
const TYPED_REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Creates a fresh scope. */
export function newScope(): ResourceScope {
  return { references: [], local: [], containedIds: new Map() };
}

/** Walks a resource's elements (the caller checked it is an object with a known resourceType). */
export function walkResource(
  host: WalkHost,
  resource: Record<string, unknown>,
  location: string,
  scope: ResourceScope,
): void {
  const type = resource.resourceType as string;
  walkComplex(host, resource, type, location, { path: type, type, resource: true }, scope);
}

function elementPath(owner: string, name: string, element: ElementDigest): string {
  return `${owner}.${element.choice ? `${element.choice}[x]` : name}`;
}

function walkComplex(
  host: WalkHost,
  node: Record<string, unknown>,
  typeName: string,
  location: string,
  holder: Holder,
  scope: ResourceScope,
  extensionContext?: Holder,
): void {
  const { digest, sink } = host;
  const td: TypeDigest | undefined = digest.types[typeName];
  if (!td) return;
  let keys = 0;
  let choiceSeen: Map<string, string> | undefined;
  for (const key in node) {
    keys++;
    if (key === 'resourceType' && holder.resource) continue;
    const underscore = key.charCodeAt(0) === 95; // "_"
    const name = underscore ? key.slice(1) : key;
    const element = td.elements[name];
    if (!element) continue;
    const value = node[key];
    if (element.choice && !underscore) {
      choiceSeen ??= new Map();
      const other = choiceSeen.get(element.choice);
      if (other !== undefined && other !== name) {
        sink.report(
          'fhir-two-choice-values',
          `${location}.${element.choice}[x]`,
          `${typeName}.${element.choice}[x] takes one value, but both ${other} and ${name} are given: keep one`,
        );
      }
      choiceSeen.set(element.choice, name);
    }
    const primitive = !underscore && PRIMITIVE_TYPES.has(element.type);
    if (underscore && PRIMITIVE_TYPES.has(element.type))
      checkPrimitiveExtras(host, node, name, value, location);
    if (Array.isArray(value)) {
      if (value.length === 0) {
        sink.report(
          'fhir-empty',
          `${location}.${name}`,
          'An empty list is not a value in FHIR: leave the element out',
        );
        continue;
      }
      for (let i = 0; i < value.length; i++) {
        if (primitive) checkPrimitiveValue(host, element, value[i], location, name, i);
        else
          visit(
            host,
            value[i],
            element,
            `${location}.${name}[${i}]`,
            elementPath(typeName, name, element),
            underscore,
            holder,
            scope,
          );
      }
    } else if (primitive) {
      checkPrimitiveValue(host, element, value, location, name, -1);
    } else {
      visit(
        host,
        value,
        element,
        `${location}.${name}`,
        elementPath(typeName, name, element),
        underscore,
        holder,
        scope,
      );
    }
  }
  // a resource of only its resourceType is valid (an empty Parameters); an element never is (ele-1)
  if (keys === 0 && !holder.resource) {
    sink.report('fhir-empty', location, 'An empty object is not a value in FHIR: leave the element out');
  } else if (keys === 1 && node.id !== undefined && !holder.resource && typeName !== 'Element') {
    // the `_name` of a primitive (typeName Element) is judged with its value: checkPrimitiveExtras
    sink.report('fhir-empty', location, ONLY_ID);
  }
  for (const required of td.required) {
    let count = 0;
    for (const name of required.names) {
      const v = node[name] ?? node[`_${name}`];
      if (v !== undefined && v !== null) count += Array.isArray(v) ? v.length : 1;
    }
    if (count < required.min) {
      const where = `${location}.${required.name}`;
      sink.report(
        'fhir-required',
        required.names.length > 1 ? `${where}[x]` : where,
        `${required.path} is required${required.min > 1 ? ` (at least ${required.min})` : ''} but missing: add it`,
        undefined,
        `required|${where}`,
      );
    }
  }
  if (typeName === 'Extension') checkExtension(host, node, location, extensionContext ?? holder);
  else if (typeName === 'Reference') collectReference(host, node, location, holder, scope);
  else if (typeName === 'Period') checkPeriod(host, node, location);
  else if (typeName === 'Attachment') checkAttachment(host, node, location);
}

/** ele-1: an id alone is not a value. */
const ONLY_ID =
  'An element with only an id has no value (ele-1): give it a value or extensions, or leave it out';

const isOnlyId = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'id' in v;

/**
 * A primitive's `_name` (its ids and extensions): a list pairs item by item with the list of
 * values, so the two are the same length; and an item with only an id beside no value is empty
 * (ele-1).
 */
function checkPrimitiveExtras(
  host: WalkHost,
  node: Record<string, unknown>,
  name: string,
  extras: unknown,
  location: string,
): void {
  if (!host.sink.layers.has('values')) return;
  const values = node[name];
  if (Array.isArray(extras)) {
    if (Array.isArray(values) ? values.length !== extras.length : values !== undefined) {
      host.sink.report(
        'fhir-primitive-list-length',
        `${location}.${name}`,
        `The list _${name} (ids and extensions) must have one item for each item of ${name}, null where an item has none`,
      );
    }
    extras.forEach((extra, i) => {
      const value = Array.isArray(values) ? values[i] : undefined;
      if (isOnlyId(extra) && (value === null || value === undefined))
        host.sink.report('fhir-empty', `${location}.${name}[${i}]`, ONLY_ID);
    });
  } else if (isOnlyId(extras) && (values === null || values === undefined)) {
    host.sink.report('fhir-empty', `${location}.${name}`, ONLY_ID);
  }
}

/** `parent.name` or `parent.name[index]` (index < 0: a single value). */
function locationOf(parent: string, name: string, index: number): string {
  return index < 0 ? `${parent}.${name}` : `${parent}.${name}[${index}]`;
}

/**
 * A primitive value: the values and bindings layers, with its location string built only when
 * something is wrong (most values are fine, and a walk meets many of them).
 */
function checkPrimitiveValue(
  host: WalkHost,
  element: ElementDigest,
  value: unknown,
  parent: string,
  name: string,
  index: number,
): void {
  if (value === null || value === undefined) return;
  const { sink } = host;
  if (sink.layers.has('values')) {
    const problem = primitiveProblem(element.type, value);
    if (problem) {
      const location = locationOf(parent, name, index);
      if (!sink.hasErrorAt(location))
        sink.report(problem.rule, location, problem.message, problem.keepValue === false ? undefined : value);
    }
  }
  if (element.valueSet && typeof value === 'string' && sink.layers.has('bindings')) {
    const location = locationOf(parent, name, index);
    if (host.digest.valueSets[element.valueSet] && outsideBinding(host, element.valueSet, value, location)) {
      if (!sink.hasErrorAt(location))
        reportOutside(
          host,
          element,
          location,
          `Expected ${allowedText(host.digest, element.valueSet)}`,
          value,
        );
    }
  }
}

function visit(
  host: WalkHost,
  value: unknown,
  element: ElementDigest,
  location: string,
  defPath: string,
  underscore: boolean,
  holder: Holder,
  scope: ResourceScope,
): void {
  if (value === null || value === undefined) return;
  const type = element.type;
  if (underscore) {
    // `_status`: the primitive's id and extensions; the extensions' context is the primitive
    if (typeof value === 'object' && !Array.isArray(value))
      walkComplex(
        host,
        value as Record<string, unknown>,
        'Element',
        location,
        { path: defPath, type, resource: false },
        scope,
      );
    return;
  }
  if (PRIMITIVE_TYPES.has(type)) return; // checkPrimitiveValue's
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const node = value as Record<string, unknown>;
  if (type === 'Resource') {
    const contained = defPath.endsWith('.contained');
    // a contained resource may carry narrative in R4 (dom-1 forbade it up to STU3: nativeInvariants.ts)
    if (contained && typeof node.id === 'string') scope.containedIds.set(node.id, String(node.resourceType));
    host.nested(node, location, contained ? scope : undefined);
    return;
  }
  const paths = host.invariantPaths;
  if (paths) {
    // a backbone's type is its own path, so nested items (contentReference) match it too; an
    // element of a datatype with invariants may have its own as well (ras-1 on a Range)
    if (paths.has(type)) host.invariantNodes?.push({ node, path: type, location });
    if (defPath !== type && paths.has(defPath)) host.invariantNodes?.push({ node, path: defPath, location });
  }
  // an extension's context is the element that holds it, not the extension element itself
  walkComplex(
    host,
    node,
    type,
    location,
    { path: defPath, type: type.includes('.') ? 'BackboneElement' : type, resource: false },
    scope,
    type === 'Extension' ? holder : undefined,
  );
  if (element.valueSet && (type === 'CodeableConcept' || type === 'Coding'))
    checkCoded(host, element, element.valueSet, node, type, location);
  if (type === 'CodeableConcept') checkNoCode(host, element, node, location);
  if (host.sink.layers.has('bindings')) {
    if (type === 'Coding') checkCoding(host, node, location);
    else if (QUANTITY_TYPES.has(type)) checkQuantityUnit(host, node, location);
  }
  if (type === 'Reference' && element.targets) checkTargetType(host, node, element.targets, location, scope);
}

// ---- bindings -----------------------------------------------------------------------------

/** Quantity and the datatypes that specialise it: their `system` and `code` name a unit. */
const QUANTITY_TYPES: ReadonlySet<string> = new Set([
  'Quantity',
  'SimpleQuantity',
  'MoneyQuantity',
  'Age',
  'Count',
  'Distance',
  'Duration',
]);

/**
 * How a code outside the value set of a binding of the specification is graded, as the HL7 Java
 * validator grades it against the base specification: required an error, extensible a warning
 * (a code from the value set should be used unless none fits, which only a person can judge),
 * preferred information.
 */
const OUTSIDE: Readonly<Record<'required' | 'extensible' | 'preferred', { rule: string; words: string }>> = {
  required: { rule: 'fhir-code-not-in-value-set', words: '' },
  extensible: {
    rule: 'fhir-code-not-in-value-set-extensible',
    words: ': the binding is extensible, so use one of its codes unless none fits',
  },
  preferred: {
    rule: 'fhir-code-not-in-value-set-preferred',
    words: ': the binding is preferred, so one of its codes is recommended, not required',
  },
};

function reportOutside(
  host: WalkHost,
  element: ElementDigest,
  location: string,
  expected: string,
  value: unknown,
): void {
  const strength = element.strength ?? 'required';
  // a uri or string that a value set only suggests (StructureDefinition.type of a logical model)
  // is not a code from it
  if (strength !== 'required' && PRIMITIVE_TYPES.has(element.type) && element.type !== 'code') return;
  const grade = OUTSIDE[strength];
  host.sink.report(grade.rule, location, `${expected}${grade.words}`, value);
}

/** "one of: a, b, c" when short enough to read, otherwise the value set's name. */
function allowedText(digest: FhirDigest, url: string): string {
  const vs = digest.valueSets[url];
  const codes = Object.values(vs?.systems ?? {}).flat();
  const name = vs?.name ?? url;
  return codes.length <= 20
    ? `a code from ${name}, one of: ${codes.join(', ')}`
    : `a code from the value set ${name} (${url})`;
}

/**
 * Whether the one binding check (bindingVerdict.ts, over the specification's terminology) puts a
 * coded value outside a value set of the specification. What cannot be told offline is not
 * outside, and is said not checked at `location` (information), as the profile checker says a
 * guide's binding it cannot judge: one binding check, one verdict on both paths.
 */
function outsideBinding(host: WalkHost, valueSet: string, value: unknown, location: string): boolean {
  const verdict = specBindingCheck(host.digest).verdict(valueSet, value);
  if (verdict.kind === 'undecided') {
    const name = host.digest.valueSets[valueSet]?.name ?? valueSet;
    host.sink.report(
      'fhir-code-binding-not-checked',
      location,
      `The code is not checked against the value set ${name}: ${verdict.why}`,
      undefined,
    );
  }
  return verdict.kind === 'outside';
}

function checkCoded(
  host: WalkHost,
  element: ElementDigest,
  url: string,
  node: Record<string, unknown>,
  type: string,
  location: string,
): void {
  if (!host.sink.layers.has('bindings')) return;
  const systems = host.digest.valueSets[url]?.systems;
  if (!systems) return;
  const codings = type === 'Coding' ? [node] : Array.isArray(node.coding) ? (node.coding as unknown[]) : [];
  const codeOf = (c: unknown) => (c && typeof c === 'object' ? (c as { code?: unknown }).code : undefined);
  const coded = codings.some((c) => typeof codeOf(c) === 'string');
  // a CodeableConcept with no coding at all is checkNoCode's; with codings but no code, a required
  // binding is not met, and a weaker one judges codes given only
  if (!coded) {
    if (type === 'CodeableConcept' && !hasNoCoding(node) && element.strength === undefined)
      reportOutside(host, element, location, expectedCoding(host.digest, url, systems), undefined);
    return;
  }
  // a Coding that names no code system has no defined meaning: no value set can judge its code
  if (type === 'Coding' && typeof node.system !== 'string') return;
  if (!outsideBinding(host, url, node, location)) return;
  // a coding that names a code system of the value set is the one judged; none: no coding is from it
  const named = codings.some((c) => {
    const system = c && typeof c === 'object' ? (c as { system?: unknown }).system : undefined;
    return typeof system === 'string' && Object.hasOwn(systems, system);
  });
  if (named)
    reportOutside(
      host,
      element,
      location,
      `Expected ${allowedText(host.digest, url)}`,
      codings.map(codeOf).find((c) => typeof c === 'string'),
    );
  else reportOutside(host, element, location, expectedCoding(host.digest, url, systems), undefined);
}

/** "Expected a coding from <systems> (<codes>)": for codings none of which is of the value set's systems. */
function expectedCoding(digest: FhirDigest, url: string, systems: Readonly<Record<string, unknown>>): string {
  const systemsText = Object.keys(systems).join(', ');
  return `Expected a coding from ${systemsText} (${allowedText(digest, url)})`;
}

/** A CodeableConcept with no code on a required or extensible binding of the specification (noCode.ts). */
function checkNoCode(
  host: WalkHost,
  element: ElementDigest,
  node: Record<string, unknown>,
  location: string,
): void {
  const valueSet = element.valueSet ?? element.boundValueSet;
  const strength = element.strength ?? 'required';
  if (!valueSet || strength === 'preferred' || !host.sink.layers.has('bindings') || !hasNoCoding(node))
    return;
  // an empty object, or another error here, is the root cause
  if (host.sink.hasErrorAt(location)) return;
  reportNoCode(host.sink, node, location, { strength, valueSet, name: valueSetName(host.digest, valueSet) });
}

/** A value set's readable name from the digest, expanded or not. */
function valueSetName(digest: FhirDigest, url: string): string | undefined {
  return digest.valueSets[url]?.name ?? digest.boundValueSetNames?.[url];
}

// ---- extensions ---------------------------------------------------------------------------

/** Who does not define an unknown extension: the specification, and the loaded packages if any. */
function definedByWords(packages: readonly string[] | undefined): string {
  if (!packages || packages.length === 0) return 'not defined by the FHIR R4 specification';
  return `not defined by R4 or the loaded packages (${packages.join(', ')})`;
}

function checkExtension(
  host: WalkHost,
  node: Record<string, unknown>,
  location: string,
  holder: Holder,
): void {
  const { sink, digest } = host;
  if (!sink.layers.has('extensions')) return;
  const url = node.url;
  if (typeof url !== 'string' || !url.includes(':')) return; // missing: cardinality; relative: a complex extension's part
  if (url.includes('|')) {
    sink.report(
      'fhir-extension-url',
      `${location}.url`,
      'Expected an extension URL without a version (|…): remove it',
      url,
    );
  }
  const definition = digest.extensions[url.split('|')[0] as string];
  if (!definition) {
    // a modifier changes the meaning of what holds it: unknown, it is never a mere warning
    const modifier = /\.modifierExtension\[\d+\]$/.test(location);
    const example = EXAMPLE_URL.test(url) && host.allowExampleUrls === true;
    const otherVersion = OTHER_VERSION_EXTENSION.exec(url);
    if (otherVersion) {
      sink.report(
        'fhir-extension-other-version',
        location,
        `The extension ${url} stands for the element ${otherVersion[2]} of FHIR ${otherVersion[1]}, which this check does not hold, so its value was not checked`,
        url,
      );
      return;
    }
    if (!url.startsWith(CORE_EXTENSION_BASE) && !example && !host.extensionDefined?.(url)) {
      const notDefined = definedByWords(host.extensionPackages);
      sink.report(
        modifier ? 'fhir-unknown-modifier-extension' : 'fhir-unknown-extension',
        location,
        modifier
          ? `The modifier extension ${url} changes what this record means and is ${notDefined}, so no system can read it safely: load its definition or correct the record`
          : `The extension ${url} is ${notDefined}, so a validating target will refuse it: load its definition on the target or leave it out`,
        url,
      );
    }
    return;
  }
  const extensionType = digest.types.Extension;
  for (const key in node) {
    if (!key.startsWith('value')) continue;
    const valueType = extensionType?.elements[key]?.type;
    if (definition.valueSet && valueType)
      checkExtensionBinding(host, definition.valueSet, node[key], valueType, `${location}.${key}`);
    const bound = definition.codeableConceptBinding;
    const value = node[key];
    if (
      bound &&
      valueType === 'CodeableConcept' &&
      sink.layers.has('bindings') &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      hasNoCoding(value as Record<string, unknown>) &&
      !sink.hasErrorAt(`${location}.${key}`)
    )
      reportNoCode(sink, value as Record<string, unknown>, `${location}.${key}`, {
        ...bound,
        name: valueSetName(digest, bound.valueSet),
      });
    if (valueType && !definition.valueTypes.includes(valueType)) {
      sink.report(
        'fhir-extension-value-type',
        `${location}.${key}`,
        definition.valueTypes.length === 0
          ? 'This extension takes no value, only nested extensions'
          : `This extension's value must be of type ${definition.valueTypes.join(' or ')}`,
        url,
      );
    }
  }
  if (
    definition.contexts &&
    judgedContexts(digest, definition.contexts) &&
    !contextAllows(definition.contexts, holder)
  ) {
    sink.report(
      'fhir-extension-context',
      location,
      `This extension may only be used on ${definition.contexts.join(', ')}`,
      url,
    );
  }
}

/** An extension's value binding: the digest keeps required ones only. */
const REQUIRED: ElementDigest = { type: 'code' };

/** A required binding on a specification extension's value (data-absent-reason's code). */
function checkExtensionBinding(
  host: WalkHost,
  url: string,
  value: unknown,
  type: string,
  location: string,
): void {
  if (!host.sink.layers.has('bindings') || value === null || typeof value !== 'object') {
    if (typeof value !== 'string' || !host.sink.layers.has('bindings')) return;
    if (
      host.digest.valueSets[url] &&
      outsideBinding(host, url, value, location) &&
      !host.sink.hasErrorAt(location)
    )
      host.sink.report(
        'fhir-code-not-in-value-set',
        location,
        `Expected ${allowedText(host.digest, url)}`,
        value,
      );
    return;
  }
  if (type === 'Coding' || type === 'CodeableConcept')
    checkCoded(host, REQUIRED, url, value as Record<string, unknown>, type, location);
}

/**
 * Whether contexts are judged: only those on general-purpose datatypes (HumanName.family,
 * Address.line, Element). Contexts on resources and on ElementDefinition changed between the R4
 * definitions shipped here and the extension package the Java validator uses, so judging them by
 * R4 would accuse valid data (measured on the specification's own definitions).
 */
function judgedContexts(digest: FhirDigest, contexts: readonly string[]): boolean {
  return contexts.every((context) => {
    const head = context.split('.')[0] as string;
    return head === 'Element' || (digest.types[head]?.kind === 'complex' && head !== 'ElementDefinition');
  });
}

function contextAllows(contexts: readonly string[], holder: Holder): boolean {
  for (const context of contexts) {
    if (context === 'Element' || context === holder.type || context === holder.path) return true;
    if (holder.resource && (context === 'Resource' || context === 'DomainResource')) return true;
    if (!holder.resource && context === 'BackboneElement' && holder.type === 'BackboneElement') return true;
  }
  return false;
}

// ---- references and datatype checks ---------------------------------------------------------

function collectReference(
  host: WalkHost,
  node: Record<string, unknown>,
  location: string,
  _holder: Holder,
  scope: ResourceScope,
): void {
  if (!host.sink.layers.has('references')) return;
  const reference = node.reference;
  if (typeof reference !== 'string' || reference.length === 0) return;
  if (reference.startsWith('#')) scope.local.push({ reference, location });
  else scope.references.push({ reference, location });
}

function checkTargetType(
  host: WalkHost,
  node: Record<string, unknown>,
  targets: readonly string[],
  location: string,
  scope: ResourceScope,
): void {
  if (!host.sink.layers.has('references')) return;
  // Reference.type names the target's type: a logical reference (an identifier) may carry nothing else
  const typeText = node.type;
  const declared =
    typeof typeText !== 'string'
      ? undefined
      : typeText.startsWith(CORE_EXTENSION_BASE)
        ? typeText.slice(CORE_EXTENSION_BASE.length)
        : typeText;
  if (
    declared !== undefined &&
    host.digest.types[declared]?.kind === 'resource' &&
    !targets.includes(declared) &&
    !host.sink.hasErrorAt(`${location}.type`)
  ) {
    host.sink.report(
      'fhir-reference-type',
      `${location}.type`,
      `Expected a reference to ${targets.join(', ')}`,
      typeText,
    );
  }
  const reference = node.reference;
  if (typeof reference !== 'string') return;
  // the target may be a contained resource or a Bundle entry met later: judged once all are known
  const collected = (reference.startsWith('#') ? scope.local : scope.references).findLast(
    (r) => r.location === location,
  );
  if (collected) collected.targets = targets;
  if (reference.startsWith('#')) return;
  const match = TYPED_REFERENCE.exec(reference);
  const type = match?.[1];
  if (!type || !host.digest.types[type] || host.digest.types[type]?.kind !== 'resource') return;
  if (!targets.includes(type)) {
    host.sink.report(
      'fhir-reference-type',
      `${location}.reference`,
      `Expected a reference to ${targets.join(', ')}`,
      reference,
    );
  }
}

/** Comparable parts of a date-time: [date part, epoch ms when a time is present]. */
function instantParts(value: string): { date: string; ms?: number } {
  const t = value.indexOf('T');
  if (t < 0) return { date: value };
  const ms = Date.parse(value);
  return { date: value.slice(0, t), ...(Number.isNaN(ms) ? {} : { ms }) };
}

/**
 * per-1: "If present, start SHALL have a lower value than end", with FHIRPath semantics as the
 * Java validator applies them: values of different precision that agree as far as both go are
 * not comparable, the comparison is empty, and an empty result fails.
 */
function checkPeriod(host: WalkHost, node: Record<string, unknown>, location: string): void {
  if (!host.sink.layers.has('invariants')) return;
  const { start, end } = node;
  if (typeof start !== 'string' || typeof end !== 'string') return;
  if (host.sink.hasErrorAt(`${location}.start`) || host.sink.hasErrorAt(`${location}.end`)) return;
  const a = instantParts(start);
  const b = instantParts(end);
  let ok: boolean | undefined;
  if (a.ms !== undefined && b.ms !== undefined) ok = a.ms <= b.ms;
  else {
    const common = Math.min(a.date.length, b.date.length);
    const left = a.date.slice(0, common);
    const right = b.date.slice(0, common);
    if (left !== right) ok = left < right;
    else ok = a.date.length === b.date.length && a.ms === undefined && b.ms === undefined ? true : undefined;
  }
  if (ok !== true) {
    host.sink.report(
      'fhir-invariant',
      location,
      ok === false
        ? 'per-1: If present, start SHALL have a lower value than end (the start is after the end)'
        : 'per-1: If present, start SHALL have a lower value than end (start and end have different precision, so they cannot be compared: give both to the same precision)',
    );
  }
}

/** Attachment.size must be the size of Attachment.data when both are given. */
function checkAttachment(host: WalkHost, node: Record<string, unknown>, location: string): void {
  if (!host.sink.layers.has('values')) return;
  const { size, data } = node;
  if (typeof size !== 'number' || typeof data !== 'string' || !isBase64(data)) return;
  if (base64Length(data) !== size) {
    host.sink.report(
      'fhir-attachment-size',
      `${location}.size`,
      'Expected size to be the number of bytes in data (after base64 decoding)',
      size,
    );
  }
}
