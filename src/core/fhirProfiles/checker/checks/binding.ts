/**
 * Bindings: a coded value (code, Coding, Quantity, CodeableConcept) of an element with a
 * required, extensible or preferred binding is in the value set's offline expansion
 * (valueSets.ts), graded by strength as the HL7 Java validator grades it; an extensible or
 * preferred binding also accepts the value sets its additional bindings allow. A value set that
 * does not expand offline is said not checked, never guessed; one that cannot be read as written
 * (it includes itself, has a filter with no value, names a supplement not loaded) is said broken,
 * naming the package it comes from, and the code is not blamed.
 *
 * This is the terminology check of the profile checker: checks of codes against a terminology
 * (validate-code, displays, units) belong beside it, as entries of their own in checks/index.ts.
 */

import {
  hasNoCoding,
  type NoCodeBinding,
  noCodeKey,
  noCodeMessage,
  noCodeRule,
} from '../../../fhir/index.ts';
import {
  createTerminologyStore,
  createValidator,
  TerminologyError,
  type ValidateCodeRequest,
} from '../../../terminology/index.ts';
import type { CompiledProfile, ElementNode } from '../../compile.ts';
import { type Code, codingsOf, inExpansion, knownCode } from '../codeSystems.ts';
import { bare, isObject } from '../items.ts';
import type { CheckerEngine, Context, ItemCheck } from '../types.ts';

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

/**
 * An element's binding as the check reads it, worked out once per element: its strength, value
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

function bindingOf(engine: CheckerEngine, node: ElementNode): BindingOf | null {
  const bindings = engine.cache<ElementNode, BindingOf | null>('bindings');
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
          vsName: engine.registry.valueSet(binding.valueSet)?.name ?? bare(binding.valueSet),
        };
  bindings.set(node, known);
  return known;
}

/** A code of a code system shipped whole that the code system does not have. */
function unknownCode(engine: CheckerEngine, c: Code): boolean {
  const cs = c.system === undefined ? undefined : engine.shipped.get(c.system);
  return cs !== undefined && !knownCode(cs, c.code);
}

type ValidateCode = ReturnType<typeof createValidator>;

/** The terminology engine over the loaded packages' code systems and value sets, built once. */
function terminologyOf(engine: CheckerEngine): ValidateCode {
  const cache = engine.cache<'engine', ValidateCode>('terminology');
  let known = cache.get('engine');
  if (!known) {
    const resources = engine.registry.packages.flatMap((p) => [...p.codeSystems, ...p.valueSets]);
    known = createValidator(createTerminologyStore(resources));
    cache.set('engine', known);
  }
  return known;
}

/** A binding's value set the engine cannot read as written: the words, made once. */
interface Broken {
  /** what is wrong and what to do, after the element's id and binding */
  words: string;
  /** membership can still be told (only a supplement is missing): the expansion still judges */
  membershipKnown: boolean;
}

/** Why a value set the packages hold cannot be read as written, judged once per value set; null if it can. */
function brokenOf(engine: CheckerEngine, valueSet: string): Broken | null {
  const cache = engine.cache<string, Broken | null>('broken-value-sets');
  let known = cache.get(valueSet);
  if (known !== undefined) return known;
  const why = terminologyOf(engine).brokenValueSet(valueSet)?.brokenValueSet;
  if (!why) known = null;
  else {
    const url = why.url.split('|')[0];
    const from = engine.registry.packages.find((p) => p.valueSets.some((v) => v.url === url));
    const pkg = from ? `the package ${from.name}#${from.version}` : 'the package that defines it';
    known = {
      words: why.membershipKnown
        ? `the value set ${why.url} ${why.problem}: ${pkg} is incomplete; load the package that defines the supplement, or replace it with a complete version`
        : `the value set ${why.url} ${why.problem}, so no code can be checked against it: fix ${pkg} or replace it with a corrected version`,
      membershipKnown: why.membershipKnown,
    };
  }
  cache.set(valueSet, known);
  return known;
}

/**
 * Whether the terminology engine finds a Coding or CodeableConcept valid in a value set the
 * packages hold, where the flattened expansion does not: a code of a case-insensitive code system
 * in another case, a code system version the value set names. Only ever clears a code, never
 * condemns one (the expansion stays the judge of what is outside).
 */
function validInValueSet(engine: CheckerEngine, valueSet: string, value: unknown): boolean {
  if (!isObject(value)) return false;
  const request: ValidateCodeRequest = { valueSet };
  if (Array.isArray(value.coding)) request.codeableConcept = value as ValidateCodeRequest['codeableConcept'];
  else if (typeof value.system === 'string' && typeof value.code === 'string')
    request.coding = { system: value.system, code: value.code };
  else return false;
  try {
    return terminologyOf(engine)(request).result;
  } catch (e) {
    // a value set the packages do not hold (or missing only a supplement): the expansion's verdict stands
    if (e instanceof TerminologyError) return false;
    throw e;
  }
}

/** The extension that caps an extensible binding with a value set no code may fall outside of. */
const MAX_VALUE_SET = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet';

/**
 * The bindings a CodeableConcept with no code breaks, as the Java validator counts them: the
 * element's own when required or extensible (an extensible one with a maximum value set as that
 * maximum, which requires a code), and each additional binding whose purpose is required or
 * maximum (requires a code) or extensible (asks for one) and which applies everywhere (one with
 * usage contexts applies only where the data matches them, not judged here).
 */
function noCodeBindings(engine: CheckerEngine, bound: BindingOf): NoCodeBinding[] {
  const cache = engine.cache<BindingOf, NoCodeBinding[]>('no-code-bindings');
  let known = cache.get(bound);
  if (known) return known;
  known = [];
  const nameOf = (url: string) =>
    engine.registry.valueSet(url)?.name ??
    engine.digest.valueSets[bare(url)]?.name ??
    engine.digest.boundValueSetNames?.[bare(url)];
  const extensions = Array.isArray(bound.binding.extension) ? bound.binding.extension.filter(isObject) : [];
  const max = extensions.find((e) => e.url === MAX_VALUE_SET);
  const maxUrl = max?.valueCanonical ?? max?.valueUri;
  if (bound.strength === 'required')
    known.push({ strength: 'required', valueSet: bound.valueSet, name: bound.vsName });
  else if (bound.strength === 'extensible')
    known.push(
      typeof maxUrl === 'string'
        ? { strength: 'required', valueSet: maxUrl, name: nameOf(maxUrl), kind: 'maximum' }
        : { strength: 'extensible', valueSet: bound.valueSet, name: bound.vsName },
    );
  for (const ext of extensions) {
    if (ext.url !== ADDITIONAL_BINDING || !Array.isArray(ext.extension)) continue;
    const parts = ext.extension.filter(isObject);
    if (parts.some((part) => part.url === 'usage')) continue;
    const purpose = parts.find((part) => part.url === 'purpose')?.valueCode;
    const valueSet = parts.find((part) => part.url === 'valueSet')?.valueCanonical;
    if (typeof valueSet !== 'string') continue;
    const strength =
      purpose === 'required' || purpose === 'maximum'
        ? 'required'
        : purpose === 'extensible'
          ? 'extensible'
          : undefined;
    if (strength) known.push({ strength, valueSet, name: nameOf(valueSet), kind: 'additional' });
  }
  cache.set(bound, known);
  return known;
}

/** A CodeableConcept with no code against the bindings it breaks (noCodeBindings). */
function reportNoCode(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  bound: BindingOf,
  value: Record<string, unknown>,
  location: string,
  ctx: Context,
): void {
  // another error here (a pattern the value misses) is the root cause
  if (ctx.sink.hasErrorAt(location)) return;
  for (const binding of noCodeBindings(engine, bound)) {
    // the specification's own binding, kept by the profile: the base walk said it already
    if (ctx.sink.hasKey(noCodeKey(location, binding))) continue;
    engine.report(
      ctx,
      p,
      noCodeRule(binding.strength),
      location,
      `${node.id}: ${noCodeMessage(value, binding)}`,
    );
  }
}

/** A coded value against its element's binding (see the file comment). */
export const bindingCheck: ItemCheck = {
  id: 'binding',
  scope: 'item',
  atRoot: false,
  describe: "a coded value is in the value set its element's binding names, graded by the binding's strength",
  rules: [
    'fhir-profile-binding',
    'fhir-profile-binding-extensible',
    'fhir-profile-binding-preferred',
    'fhir-profile-binding-unchecked',
    'fhir-profile-binding-value-set-broken',
    'fhir-code-missing',
    'fhir-code-missing-extensible',
  ],
  applies: (engine, _p, node) => bindingOf(engine, node) !== null,
  check(engine, p, node, item, ctx) {
    const bound = bindingOf(engine, node);
    if (!bound) return undefined;
    if (!ctx.sink.layers.has('bindings')) return undefined;
    const codings = codingsOf(item.value);
    if (
      isObject(item.value) &&
      (item.type ?? node.types[0]) === 'CodeableConcept' &&
      hasNoCoding(item.value)
    ) {
      reportNoCode(engine, p, node, bound, item.value, item.loc, ctx);
      return undefined;
    }
    // a made-up code of a code system shipped whole is its own error (codes.ts), the root cause
    if (codings.length === 0 || codings.some((c) => unknownCode(engine, c))) return undefined;
    const { binding, strength, vsName } = bound;
    const systems = codings.map((c) => c.system ?? '');
    const broken = brokenOf(engine, bound.valueSet);
    if (broken) {
      engine.report(
        ctx,
        p,
        'fhir-profile-binding-value-set-broken',
        item.loc,
        broken.membershipKnown
          ? `${node.id}: ${broken.words}`
          : `${node.id}: the ${strength} binding to ${vsName} is not checked: ${broken.words}`,
        undefined,
        undefined,
        // codes said not checked, unless the expansion still checks them below
        broken.membershipKnown ? undefined : systems,
      );
      if (!broken.membershipKnown) return undefined;
    }
    const expansion = engine.expand(bound.valueSet);
    if (!expansion.ok) {
      bound.unchecked ??= `${node.id}: the ${strength} binding to ${vsName} is not checked: ${expansion.reason}`;
      engine.report(
        ctx,
        p,
        'fhir-profile-binding-unchecked',
        item.loc,
        bound.unchecked,
        undefined,
        undefined,
        systems,
      );
      return undefined;
    }
    if (codings.some((c) => inExpansion(expansion.codes, c))) return undefined;
    if (validInValueSet(engine, bound.valueSet, item.value)) return undefined;
    if (ctx.sink.hasErrorAt(item.loc)) return undefined;
    if (strength !== 'required') {
      for (const alternative of acceptedAlternatives(binding)) {
        const other = engine.expand(alternative);
        if (!other.ok) {
          // the guide allows another value set here that does not expand offline: say so, never guess
          engine.report(
            ctx,
            p,
            'fhir-profile-binding-unchecked',
            item.loc,
            `${node.id}: the code is not in ${vsName}, and the ${strength} binding's additional value set ${engine.registry.valueSet(alternative)?.name ?? bare(alternative)} is not checked: ${other.reason}`,
            undefined,
            undefined,
            systems,
          );
          return undefined;
        }
        if (codings.some((c) => inExpansion(other.codes, c))) return undefined;
      }
    }
    const grade = BINDING_GRADES[strength];
    if (!grade) return undefined;
    engine.report(
      ctx,
      p,
      grade.rule,
      item.loc,
      `${node.id}: the code is not in the value set ${vsName}${grade.words}`,
      codings[0]?.code,
    );
    return undefined;
  },
};
