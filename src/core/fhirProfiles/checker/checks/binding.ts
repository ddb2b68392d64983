/**
 * Bindings: a coded value (code, Coding, Quantity, CodeableConcept) of an element with a
 * required, extensible or preferred binding is judged by the one binding check the base walk uses
 * too (src/core/fhir/bindingVerdict.ts), through the terminology engine
 * (src/core/terminology, the `$validate-code` that `preflight fhir tx-suite` scores) over the
 * loaded packages' code systems and value sets and the specification's own: code-system versions,
 * displays, filters (notSelectable and other properties), fragments and supplements. A code
 * outside the value set is graded by strength as the HL7 Java validator grades it; an extensible
 * or preferred binding also accepts the value sets its additional bindings allow. A wrong display
 * is an error of its own whatever the strength, and a concept to review (inactive, deprecated, a
 * display out of use, a code a fragment lacks) a warning, as the engine gives them. What the
 * engine cannot judge offline (a code system or value set not loaded) is said not checked, never
 * guessed; a value set that cannot be read as written (it includes itself, has a filter with no
 * value, names a supplement not loaded) is said broken, naming the package it comes from, and the
 * code is not blamed.
 *
 * A guide adds checks, never removes the specification's: the base walk's warning on an
 * extensible or preferred binding of the specification stands unless the profile's own binding of
 * that element accepts the code (its value set or an additional binding the guide allows), as the
 * Java validator judges the element against the profile's binding.
 */

import {
  type BindingAnswer,
  type BindingCheck,
  createBindingCheck,
  hasNoCoding,
  type NoCodeBinding,
  noCodeKey,
  noCodeMessage,
  noCodeRule,
  specTerminology,
  verdictOf,
} from '../../../fhir/index.ts';
import {
  createTerminologyStore,
  createValidator,
  TerminologyError,
  type ValidateCodeRequest,
  type ValidateCodeResult,
} from '../../../terminology/index.ts';
import type { CompiledProfile, ElementNode } from '../../compile.ts';
import { type Code, codingsOf, inExpansion, knownCode } from '../codeSystems.ts';
import { bare, isObject } from '../items.ts';
import type { CheckerEngine, Context, ItemCheck } from '../types.ts';

/** The FHIR version of the specification's own value sets. */
const R4_VERSION = '4.0.1';

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

/** The base walk's rule for a code outside a binding of the specification, by strength. */
const BASE_RULES: Readonly<Record<string, string>> = {
  required: 'fhir-code-not-in-value-set',
  extensible: 'fhir-code-not-in-value-set-extensible',
  preferred: 'fhir-code-not-in-value-set-preferred',
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

/**
 * The terminology engine over the loaded packages' code systems and value sets and the
 * specification's own (a package's definition of a URL is read before the specification's), built once.
 */
function terminologyOf(engine: CheckerEngine): ValidateCode {
  const cache = engine.cache<'engine', ValidateCode>('terminology');
  let known = cache.get('engine');
  if (!known) {
    const resources = [
      ...engine.registry.packages.flatMap((p) => [...p.codeSystems, ...p.valueSets]),
      ...(engine.registry.specificationValueSets ?? []),
    ];
    const packaged = new Set(resources.map((r) => r.url));
    // the specification's value sets are those of R4 4.0.1, which profiles name with that version;
    // those of its weaker bindings only are older copies of the HL7 terminology's, by which a
    // guide's bindings are not judged (a guide is validated with newer ones)
    const spec = specTerminology(engine.digest)
      .filter((r) => !packaged.has(r.url) && engine.digest.valueSets[r.url]?.weakerOnly !== true)
      .map((r) => (r.resourceType === 'ValueSet' ? { ...r, version: R4_VERSION } : r));
    known = createValidator(createTerminologyStore([...resources, ...spec]));
    cache.set('engine', known);
  }
  return known;
}

/** A binding's value set the engine cannot read as written: the issue's words, made once. */
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
 * `$validate-code` of a coded value against a value set, by the one binding check the base walk
 * uses too (createBindingCheck), over the loaded packages' terminology and the specification's. A
 * string when the engine cannot answer (the value set is not held): why.
 */
export function answerOf(engine: CheckerEngine, valueSet: string, value: unknown): BindingAnswer {
  return bindingCheckOf(engine).answer(valueSet, value);
}

/** The binding check over the profile checker's terminology, made once per engine. */
function bindingCheckOf(engine: CheckerEngine): BindingCheck {
  const cache = engine.cache<'check', BindingCheck>('binding-check');
  let known = cache.get('check');
  if (!known) {
    const packaged = packagedSystems(engine);
    const held = engine.digest.heldCodeSystems ?? {};
    known = createBindingCheck({
      validate: terminologyOf(engine),
      systemOfCode: (valueSet, code) => {
        const expansion = engine.expand(valueSet);
        if (!expansion.ok) return { unexpanded: expansion.reason };
        return [...expansion.codes].find(([, codes]) => codes.has(code))?.[0];
      },
      // the specification's code systems are held without their version (decision 0278)
      unversioned: (system) => Object.hasOwn(held, system) && !packaged.has(system),
      withDisplay: true,
    });
    cache.set('check', known);
  }
  return known;
}

/**
 * `$validate-code` of a coding against its code system alone (a coding no binding covers), for a
 * system a loaded package holds (a code system or a supplement); undefined for any other system,
 * which the specification's check of every coding judges.
 */
export function codeSystemAnswer(
  engine: CheckerEngine,
  coding: Record<string, unknown>,
): ValidateCodeResult | undefined {
  const system = typeof coding.system === 'string' ? coding.system : undefined;
  if (system === undefined || !packagedSystems(engine).has(system)) return undefined;
  const answers = engine.cache<string, ValidateCodeResult | undefined>('code-system-answers');
  const key = JSON.stringify(coding);
  if (answers.has(key)) return answers.get(key);
  let answer: ValidateCodeResult | undefined;
  try {
    // a display a loaded supplement adds is a correct one: no value set here says which are in force
    const useSupplements = supplementsOf(engine, system);
    answer = terminologyOf(engine)({
      codeSystem: system,
      coding: coding as ValidateCodeRequest['coding'],
      ...(useSupplements.length > 0 ? { useSupplements } : {}),
    });
  } catch (error) {
    if (!(error instanceof TerminologyError)) throw error;
  }
  if (answers.size >= MAX_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

/** The loaded supplements of a code system, as `url|version`. */
function supplementsOf(engine: CheckerEngine, system: string): string[] {
  return engine.registry.packages.flatMap((p) =>
    p.codeSystems
      .filter(
        (cs) =>
          cs.content === 'supplement' &&
          typeof cs.supplements === 'string' &&
          cs.supplements.split('|')[0] === system,
      )
      .map((cs) => (cs.version === undefined ? cs.url : `${cs.url}|${cs.version}`)),
  );
}

/** The URLs of the code systems and supplements the loaded packages hold, made once. */
function packagedSystems(engine: CheckerEngine): ReadonlySet<string> {
  const cache = engine.cache<'urls', ReadonlySet<string>>('packaged-systems');
  let urls = cache.get('urls');
  if (!urls) {
    urls = new Set(engine.registry.packages.flatMap((p) => p.codeSystems.map((cs) => cs.url)));
    cache.set('urls', urls);
  }
  return urls;
}

/** Answers kept per run: enough for the distinct codes of an export, bounded for memory. */
const MAX_ANSWERS = 20_000;

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

/** Whether a profile's binding of an element is the specification's own (the same value set). */
function keepsBaseBinding(engine: CheckerEngine, node: ElementNode, bound: BindingOf): boolean {
  const path = node.def.base?.path ?? node.def.path;
  const dot = path.lastIndexOf('.');
  const element = engine.digest.types[path.slice(0, dot)]?.elements[path.slice(dot + 1).replace('[x]', '')];
  return element?.valueSet !== undefined && element.valueSet === bare(bound.valueSet);
}

/**
 * A code the profile's own binding of an element accepts (its value set, or an additional binding
 * the guide allows): the specification's extensible or preferred binding of the same element is
 * answered by the profile, as the HL7 Java validator judges the element against the profile's
 * binding. A required binding of the specification is never answered this way.
 */
function answeredBase(ctx: Context, location: string): void {
  ctx.sink.withdraw(BASE_RULES.extensible as string, location);
  ctx.sink.withdraw(BASE_RULES.preferred as string, location);
}

/**
 * Membership alone, from the offline expansion, for a value set the engine refuses only for a
 * supplement that is not loaded (the supplement adds displays, not codes).
 */
function byExpansion(
  engine: CheckerEngine,
  valueSet: string,
  codings: readonly Code[],
): ValidateCodeResult | string {
  const expansion = engine.expand(valueSet);
  if (!expansion.ok) return expansion.reason;
  const member = codings.some((c) => inExpansion(expansion.codes, c));
  if (member) return { result: true, issues: [] };
  return {
    result: false,
    issues: [{ severity: 'error', code: 'code-invalid', type: 'not-in-vs', text: 'not in the value set' }],
  };
}

/**
 * Why a value set cannot be checked: the offline expansion's reason when it has one (a package to
 * load), else the engine's.
 */
function notExpanded(engine: CheckerEngine, valueSet: string, refused: string): string {
  const expansion = engine.expand(valueSet);
  return expansion.ok ? refused : expansion.reason;
}

/** The warnings the engine gives on a code it judges (a deprecated or inactive concept, a display out of use). */
const WARNING_TYPES: ReadonlySet<string> = new Set(['code-comment', 'display-comment', 'invalid-code']);

function reportWarnings(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  answer: ValidateCodeResult,
  location: string,
  ctx: Context,
): void {
  for (const issue of answer.issues) {
    if (issue.severity !== 'warning' || !WARNING_TYPES.has(issue.type)) continue;
    const at = displayLocation(location, issue.expression);
    // said already by the check of every coding (the same engine): one defect, said once
    if (ctx.sink.hasKey(`fhir-code-review|${at}`)) continue;
    engine.report(ctx, p, 'fhir-code-review', at, `${node.id}: ${issue.text}`);
  }
}

/**
 * Where an engine issue sits in the resource: its expression (`Coding.display`,
 * `CodeableConcept.coding[1].code`) placed under the element's location.
 */
function displayLocation(location: string, expression: string | undefined): string {
  if (expression === undefined) return location;
  const inConcept = /^CodeableConcept(\.coding\[\d+\])(\.(?:display|code|version|system))?$/.exec(expression);
  if (inConcept) return `${location}${inConcept[1]}${inConcept[2] ?? ''}`;
  const inCoding = /^(?:Coding|code)(\.(?:display|code|version|system))?$/.exec(expression);
  if (inCoding) return `${location}${inCoding[1] ?? ''}`;
  return location;
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
    'fhir-code-display-wrong',
    'fhir-code-review',
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
    const verdict = verdictOf(
      broken ? byExpansion(engine, bound.valueSet, codings) : answerOf(engine, bound.valueSet, item.value),
    );
    if (verdict.kind === 'undecided') {
      // a weaker binding of a profile applied by code (vital signs), whose value set Preflight does
      // not ship: not said for every vital sign; the base layers' notes on the element stand
      if (ctx.implied && strength !== 'required') return undefined;
      engine.report(
        ctx,
        p,
        'fhir-profile-binding-unchecked',
        item.loc,
        `${node.id}: the ${strength} binding to ${vsName} is not checked: ${notExpanded(engine, bound.valueSet, verdict.why)}`,
        undefined,
        undefined,
        systems,
      );
      return undefined;
    }
    const { answer } = verdict;
    if (answer) {
      reportWarnings(engine, p, node, answer, item.loc, ctx);
      // a wrong display is the coding's own error, whatever the binding's strength
      for (const issue of answer.issues) {
        if (issue.type !== 'invalid-display' || issue.severity !== 'error') continue;
        const at = displayLocation(item.loc, issue.expression);
        if (!ctx.sink.hasKey(`fhir-code-display-wrong|${at}`))
          engine.report(ctx, p, 'fhir-code-display-wrong', at, `${node.id}: ${issue.text}`);
      }
    }
    if (verdict.kind === 'member') {
      answeredBase(ctx, item.loc);
      return undefined;
    }
    if (ctx.sink.hasErrorAt(item.loc)) return undefined;
    if (strength !== 'required') {
      for (const alternative of acceptedAlternatives(binding)) {
        const other = verdictOf(answerOf(engine, alternative, item.value));
        if (other.kind === 'member') {
          answeredBase(ctx, item.loc);
          return undefined;
        }
        if (other.kind === 'undecided') {
          // the guide allows another value set here that cannot be checked offline: say so, never guess
          engine.report(
            ctx,
            p,
            'fhir-profile-binding-unchecked',
            item.loc,
            `${node.id}: the code is not in ${vsName}, and the ${strength} binding's additional value set ${engine.registry.valueSet(alternative)?.name ?? bare(alternative)} is not checked: ${notExpanded(engine, alternative, other.why)}`,
            undefined,
            undefined,
            systems,
          );
          return undefined;
        }
      }
    }
    const grade = BINDING_GRADES[strength];
    if (!grade) return undefined;
    // the specification's own binding kept by the profile, at the same strength: the base walk said it
    if (keepsBaseBinding(engine, node, bound) && ctx.sink.hasKey(`${BASE_RULES[strength]}|${item.loc}`))
      return undefined;
    // a code system or value set not held, yet a verdict: the value set lists codes, and not this one
    engine.report(
      ctx,
      p,
      grade.rule,
      item.loc,
      verdict.notListed
        ? `${node.id}: the code is not in the value set ${vsName}${grade.words}`
        : `${node.id}: the code is not valid in the value set ${vsName}${grade.words}: ${verdict.reasons.map((i) => i.text).join('; ')}`,
      codings[0]?.code,
    );
    return undefined;
  },
};
