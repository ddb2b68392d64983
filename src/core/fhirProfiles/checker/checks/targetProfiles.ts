/**
 * Reference targets: a reference points at a resource of a type the element's target profiles
 * allow (by the type of the resource it resolves to in the Bundle or among the contained
 * resources, else by the `Type/id` it names), even where the base element allows any type; and a
 * target resolved inside the Bundle conforms to one of the target profiles of loaded packages.
 * When it does not, its own errors against the first target profile are reported where the
 * target is, and the reference's message names the first of them as its cause. A resolved target
 * whose element allows only target profiles no loaded package defines is an error, as the HL7 Java
 * validator has it (the profile names what cannot be found, so nothing can conform): the message
 * says which package to load.
 */

import type { CompiledProfile, ElementNode } from '../../compile.ts';
import { bare, CORE_SD, isObject, resolveReference, TYPED_REFERENCE } from '../items.ts';
import type { CheckerEngine, ItemCheck } from '../types.ts';

/** Per element, the target profiles of its Reference type and the resource type each names (made once). */
function targetsOf(
  engine: CheckerEngine,
  node: ElementNode,
): { targets: string[]; allowed: (string | undefined)[] } {
  const tables = engine.cache<ElementNode, { targets: string[]; allowed: (string | undefined)[] }>('targets');
  let table = tables.get(node);
  if (!table) {
    const targets = (node.def.type ?? [])
      .filter((t) => t.code === 'Reference')
      .flatMap((t) => t.targetProfile ?? []);
    const allowed = targets.map(
      (url) =>
        engine.registry.structureDefinition(url)?.type ??
        (bare(url).startsWith(CORE_SD) ? bare(url).slice(CORE_SD.length) : undefined),
    );
    table = { targets, allowed };
    tables.set(node, table);
  }
  return table;
}

/** A reference against its element's target profiles (see the file comment). */
export const targetProfilesCheck: ItemCheck = {
  id: 'target-profiles',
  scope: 'item',
  atRoot: false,
  describe:
    "a reference's target is of a type the profile allows and, inside the Bundle, conforms to a target profile",
  rules: ['fhir-profile-type'],
  applies: (engine, _p, node) => targetsOf(engine, node).targets.length > 0,
  check(engine, p, node, item, ctx) {
    if (!isObject(item.value)) return undefined;
    const ref = typeof item.value.reference === 'string' ? item.value.reference : undefined;
    const declared = typeof item.value.type === 'string' ? item.value.type : undefined;
    if (ref === undefined && declared === undefined) return undefined;
    const { targets, allowed } = targetsOf(engine, node);
    if (targets.length === 0) return undefined;
    const refused = (type: string | undefined): type is string =>
      type !== undefined &&
      engine.resourceTypes.has(type) &&
      allowed.every((t) => t !== undefined && t !== 'Resource' && t !== type);
    // Reference.type names the target's type (a logical reference may carry nothing else)
    const declaredType = declared?.startsWith(CORE_SD) ? declared.slice(CORE_SD.length) : declared;
    if (refused(declaredType) && !ctx.sink.hasErrorAt(`${item.loc}.type`)) {
      engine.report(
        ctx,
        p,
        'fhir-profile-type',
        `${item.loc}.type`,
        `${node.id}: the reference's type is ${declaredType}; the profile allows only ${[...new Set(allowed)].join(', ')}`,
      );
      return undefined;
    }
    if (ref === undefined) return undefined;
    const target = resolveReference(ref, ctx);
    const actual =
      typeof target?.resourceType === 'string' ? target.resourceType : TYPED_REFERENCE.exec(ref)?.[1];
    const at = `${item.loc}.reference`;
    if (refused(actual) && !ctx.sink.hasErrorAt(at)) {
      engine.report(
        ctx,
        p,
        'fhir-profile-type',
        at,
        `${node.id}: the reference is to a ${actual}; the profile allows only ${[...new Set(allowed)].join(', ')}`,
      );
      return undefined;
    }
    if (!target) return undefined; // unresolved: the references layer's finding
    const urls = targets.filter((url) => !engine.baseTypeSds.has(bare(url)));
    if (urls.length === 0) return undefined;
    // no target profile is a base type or defined by a loaded package: no target can be shown to conform
    if (
      urls.length === targets.length &&
      urls.every((url) => engine.registry.structureDefinition(url) === undefined)
    ) {
      if (!ctx.sink.hasErrorAt(at))
        engine.report(
          ctx,
          p,
          'fhir-profile-type',
          at,
          `${node.id}: the referenced resource must conform to ${urls.map(bare).join(' or ')}, which no loaded package defines, so it cannot conform: load the package that defines it`,
        );
      return undefined;
    }
    const candidates = urls
      .map(engine.profile)
      .filter((x): x is CompiledProfile => x !== null && x.sd.type === target.resourceType);
    // a target of a type no loaded target profile is for: its type is allowed by a base type above
    if (candidates.length === 0) return undefined;
    // a target that claims one of them is checked against it as itself: its defects are named there
    const meta = target.meta;
    const claimed = isObject(meta) && Array.isArray(meta.profile) ? meta.profile : [];
    if (candidates.some((c) => claimed.includes(c.sd.url))) return undefined;
    if (candidates.some((c) => engine.conforms(c, target, ctx))) return undefined;
    // why: the target's own defects against the first target profile, where the target is
    const where = ctx.locations?.get(target);
    const cause =
      where === undefined
        ? undefined
        : engine.explain(
            engine.errorsAgainst(candidates[0] as CompiledProfile, target, ctx),
            where,
            `, the target of ${node.id} in ${p.label}`,
            ctx,
          );
    engine.report(
      ctx,
      p,
      'fhir-profile-type',
      at,
      `${node.id}: the referenced resource does not conform to ${candidates.map((c) => c.label).join(' or ')}, as the profile requires`,
      undefined,
      cause,
    );
    return undefined;
  },
};
