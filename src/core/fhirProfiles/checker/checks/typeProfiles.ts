/**
 * Type profiles: a value is checked against the profiles its element's type names (a datatype
 * profile, an extension's definition, a Bundle entry's resource profile), as if it were checked
 * alone, with messages saying through which element it was reached.
 *
 * A type that names several profiles allows a value conforming to any one of them, as in the
 * HL7 Java validator: the value is checked against each in a scratch sink, and against the first
 * it conforms to for real (its warnings and notes). When it conforms to none, one error names the
 * profiles tried, and the value's errors against the closest (fewest errors) are its root cause.
 * When one of the profiles cannot be applied offline, a value conforming to none of the others is
 * said to be not checked rather than accused.
 */

import type { FhirIssue } from '../../../fhir/index.ts';
import type { CompiledProfile, ElementNode } from '../../compile.ts';
import { isObject } from '../items.ts';
import type { CheckerEngine, Context, Item, ItemCheck } from '../types.ts';

/**
 * Per element, its types that name profiles, with those profiles once loaded (each type's made
 * on its first item of that type: per element, not per item). Empty for most elements.
 */
interface TypeProfiles {
  types: { code: string; urls: readonly string[]; loaded?: CompiledProfile[] }[];
}

/** Types whose values may be of any resource type. */
const ANY_RESOURCE: ReadonlySet<string> = new Set(['Resource', 'DomainResource']);

function typeProfilesOf(engine: CheckerEngine, node: ElementNode): TypeProfiles {
  const tables = engine.cache<ElementNode, TypeProfiles>('type-profiles');
  let table = tables.get(node);
  if (!table) {
    table = { types: [] };
    for (const type of node.def.type ?? [])
      if (type.profile?.length) table.types.push({ code: type.code, urls: type.profile });
    tables.set(node, table);
  }
  return table;
}

/** A value against the profiles its type names. */
export const typeProfilesCheck: ItemCheck = {
  id: 'type-profiles',
  scope: 'item',
  atRoot: false,
  describe: 'a value conforms to the profiles its type names (datatype, extension or resource profiles)',
  rules: ['fhir-profile-type', 'fhir-profile-not-checked'],
  applies: (engine, _p, node) => typeProfilesOf(engine, node).types.length > 0,
  check(engine, p, node, item, ctx) {
    const { types } = typeProfilesOf(engine, node);
    for (const type of types) {
      if (item.type !== undefined && type.code !== item.type) continue;
      const resourceType =
        isObject(item.value) && typeof item.value.resourceType === 'string'
          ? item.value.resourceType
          : undefined;
      // `Resource` (Bundle.entry.resource, Parameters.parameter.resource) takes any resource type
      if (resourceType !== undefined && resourceType !== type.code && !ANY_RESOURCE.has(type.code)) continue;
      type.loaded ??= type.urls.map(engine.profile).filter((x): x is CompiledProfile => x !== null);
      // of a `Resource` type's profiles, those for the value's own resource type
      const loaded =
        resourceType === undefined ? type.loaded : type.loaded.filter((pr) => pr.sd.type === resourceType);
      if (loaded.length === 0) continue; // unresolved: named in the registry's `unresolved`
      const via = `, ${node.sliceName !== undefined ? `slice '${node.sliceName}'` : node.id} of ${p.label}`;
      const target =
        (loaded.length === 1 && type.loaded.length === type.urls.length) || !isObject(item.value)
          ? loaded[0]
          : anyOf(engine, p, node, type, loaded, item, ctx);
      if (!target) continue;
      if (isObject(item.value) && typeof item.value.resourceType === 'string')
        engine.checkResource(target, item.value, item.loc, { ...ctx, resource: item.value, via });
      else engine.checkItem(target, target.root, item, { ...ctx, via });
    }
    return undefined;
  },
};

/**
 * Of a type's several profiles, the first the value conforms to; undefined when it conforms to
 * none (said here: an error naming the profiles tried, or a note when one could not be applied).
 */
function anyOf(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  type: TypeProfiles['types'][number],
  loaded: readonly CompiledProfile[],
  item: Item,
  ctx: Context,
): CompiledProfile | undefined {
  const value = item.value as Record<string, unknown>;
  let closest: { profile: CompiledProfile; errors: FhirIssue[] } | undefined;
  for (const candidate of loaded) {
    const errors = engine.errorsAgainst(candidate, value, ctx);
    if (errors.length === 0) return candidate;
    if (!closest || errors.length < closest.errors.length) closest = { profile: candidate, errors };
  }
  const tried = loaded.map((pr) => pr.label).join(', ');
  const where =
    node.sliceName !== undefined ? `${node.id.split(':')[0]}, slice '${node.sliceName}'` : node.id;
  const notApplied = type.urls.filter((url) => engine.profile(url) === null);
  if (notApplied.length > 0) {
    const why = notApplied.map((url) => `${url} (${engine.unusable.get(url) ?? 'not loaded'})`).join(', ');
    engine.report(
      ctx,
      p,
      'fhir-profile-not-checked',
      item.loc,
      `${where}: the value conforms to none of the profiles its type allows that could be applied (tried: ${tried}); it is not checked against the others: ${why}`,
    );
    return undefined;
  }
  if (!closest) return undefined;
  const cause = engine.explain(
    closest.errors,
    item.loc,
    `, the closest of the profiles ${where} allows`,
    ctx,
  );
  engine.report(
    ctx,
    p,
    'fhir-profile-type',
    item.loc,
    `${where}: the value conforms to none of the ${type.urls.length} profiles its type allows (tried: ${tried}); its errors against ${closest.profile.label}, the closest, are reported where they are`,
    undefined,
    cause,
  );
  return undefined;
}
