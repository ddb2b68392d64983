/**
 * Additional bindings: a profile may bind an element to further value sets beside its own binding,
 * each with a purpose, through the tools extension or R5's binding.additional carried into R4 as a
 * cross-version extension (both read alike: the same parts `purpose`, `valueSet`, `usage`). A code
 * is checked against each one whose purpose makes it a conformance rule, as the HL7 Java validator
 * grades them: `required` and `maximum` as a required binding (an error), `extensible` as an
 * extensible one (a warning). The other purposes (`candidate`, `current`, `preferred`, `minimum`,
 * `ui`, `starter`, `component`) describe intent and are not graded; the element's own binding
 * check (binding.ts) reads them as value sets an extensible or preferred binding also accepts.
 *
 * This runs whatever the element's own binding says, an `example` one included: an additional
 * binding is a rule of its own. One with a usage context applies only where the data matches it,
 * which is not judged here, so it is said not checked (once per location and value set). A code this check cannot judge offline (the value
 * set is not loaded) is said not checked, never guessed; a wrong display is the element's own
 * binding check's to say, and a made-up code of a shipped code system the code check's.
 */

import { verdictOf } from '../../../fhir/index.ts';
import type { ElementNode } from '../../compile.ts';
import { codingsOf, knownCode } from '../codeSystems.ts';
import { isObject } from '../items.ts';
import type { CheckerEngine, ItemCheck } from '../types.ts';
import { answerOf } from './binding.ts';

/**
 * The extensions that name an additional binding: the tools extension, and R5's
 * `ElementDefinition.binding.additional` as an R4 profile carries it.
 */
export const ADDITIONAL_BINDING_URLS: ReadonlySet<string> = new Set([
  'http://hl7.org/fhir/tools/StructureDefinition/additional-binding',
  'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.binding.additional',
]);

/** One additional binding of an element, as its extension states it. */
export interface AdditionalBinding {
  purpose: string;
  valueSet: string;
  /** whether it carries a usage context (it applies only where the data matches one) */
  inUse: boolean;
}

/** The additional bindings a binding's extensions state (those naming a purpose and a value set). */
export function additionalBindingsOf(
  binding: Readonly<Record<string, unknown>> | undefined,
): AdditionalBinding[] {
  const out: AdditionalBinding[] = [];
  for (const ext of Array.isArray(binding?.extension) ? binding.extension : []) {
    if (!isObject(ext) || typeof ext.url !== 'string' || !ADDITIONAL_BINDING_URLS.has(ext.url)) continue;
    if (!Array.isArray(ext.extension)) continue;
    const parts = ext.extension.filter(isObject);
    const purpose = parts.find((part) => part.url === 'purpose')?.valueCode;
    const valueSetPart = parts.find((part) => part.url === 'valueSet');
    const valueSet = valueSetPart?.valueCanonical ?? valueSetPart?.valueUri;
    if (typeof purpose !== 'string' || typeof valueSet !== 'string') continue;
    out.push({ purpose, valueSet, inUse: parts.some((part) => part.url === 'usage') });
  }
  return out;
}

/** How a code outside an additional binding's value set is graded, by purpose (see the file comment). */
const GRADES: Readonly<Record<string, { rule: string; words: string }>> = {
  required: { rule: 'fhir-profile-binding', words: 'which an additional binding requires' },
  maximum: {
    rule: 'fhir-profile-binding',
    words: 'which an additional binding sets as the most any code may come from',
  },
  extensible: {
    rule: 'fhir-profile-binding-extensible',
    words: 'which an additional binding names as extensible: use one of its codes unless none fits',
  },
};

/**
 * The additional bindings of an element whose purpose this check grades (those with a usage
 * context included, to say they are not checked), worked out once per element.
 */
function gradedOf(engine: CheckerEngine, node: ElementNode): AdditionalBinding[] {
  const cache = engine.cache<ElementNode, AdditionalBinding[]>('additional-bindings');
  let known = cache.get(node);
  if (!known) {
    known = additionalBindingsOf(node.def.binding).filter((b) => b.purpose in GRADES);
    cache.set(node, known);
  }
  return known;
}

/** The name a value set is shown by: its own, else its URL. */
function nameOf(engine: CheckerEngine, valueSet: string): string {
  const bareUrl = valueSet.split('|')[0] ?? valueSet;
  return engine.registry.valueSet(valueSet)?.name ?? engine.digest.valueSets[bareUrl]?.name ?? bareUrl;
}

/** A coded value against the additional bindings of its element (see the file comment). */
export const additionalBindingsCheck: ItemCheck = {
  id: 'additional-bindings',
  scope: 'item',
  atRoot: false,
  describe:
    'a coded value is in the value set of each additional binding whose purpose is required, maximum or extensible',
  rules: ['fhir-profile-binding', 'fhir-profile-binding-extensible', 'fhir-profile-binding-unchecked'],
  applies: (engine, _p, node) => gradedOf(engine, node).length > 0,
  check(engine, p, node, item, ctx) {
    if (!ctx.sink.layers.has('bindings')) return undefined;
    const codings = codingsOf(item.value);
    if (codings.length === 0) return undefined;
    // a made-up code of a code system shipped whole is its own error (codes.ts), the root cause
    const madeUp = codings.some((c) => {
      const cs = c.system === undefined ? undefined : engine.shipped.get(c.system);
      return cs !== undefined && !knownCode(cs, c.code);
    });
    if (madeUp) return undefined;
    const saidInUse = new Set<string>();
    for (const additional of gradedOf(engine, node)) {
      const grade = GRADES[additional.purpose];
      if (!grade) continue;
      const name = nameOf(engine, additional.valueSet);
      if (additional.inUse) {
        if (saidInUse.has(additional.valueSet)) continue;
        saidInUse.add(additional.valueSet);
        engine.report(
          ctx,
          p,
          'fhir-profile-binding-unchecked',
          item.loc,
          `${node.id}: the additional binding (${additional.purpose}) to ${name} is not checked: it applies only where its usage context matches, which is not judged`,
        );
        continue;
      }
      // one verdict for every binding: a coding in the value set beside a translation is a member
      const verdict = verdictOf(answerOf(engine, additional.valueSet, item.value));
      if (verdict.kind === 'member') continue;
      if (verdict.kind === 'undecided') {
        engine.report(
          ctx,
          p,
          'fhir-profile-binding-unchecked',
          item.loc,
          `${node.id}: the additional binding (${additional.purpose}) to ${name} is not checked: ${verdict.why}`,
          undefined,
          undefined,
          codings.map((c) => c.system ?? ''),
        );
        continue;
      }
      // another error here (a pattern the value misses, a wrong code) is the root cause
      if (ctx.sink.hasErrorAt(item.loc)) return undefined;
      engine.report(
        ctx,
        p,
        grade.rule,
        item.loc,
        `${node.id}: the code is not in the value set ${name}, ${grade.words}`,
        codings[0]?.code,
      );
    }
    return undefined;
  },
};
