/**
 * Type profiles: a value is checked against the profiles its element's type names (a datatype
 * profile, an extension's definition, a Bundle entry's resource profile), as if it were checked
 * alone, with messages saying through which element it was reached.
 */

import type { CompiledProfile, ElementNode } from '../../compile.ts';
import { isObject } from '../items.ts';
import type { CheckerEngine, ItemCheck } from '../types.ts';

/**
 * Per element, its types that name profiles, with those profiles once loaded (each type's made
 * on its first item of that type: per element, not per item). Empty for most elements.
 */
interface TypeProfiles {
  types: { code: string; urls: readonly string[]; loaded?: CompiledProfile[] }[];
}

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
  rules: [],
  applies: (engine, _p, node) => typeProfilesOf(engine, node).types.length > 0,
  check(engine, p, node, item, ctx) {
    const { types } = typeProfilesOf(engine, node);
    for (const type of types) {
      if (item.type !== undefined && type.code !== item.type) continue;
      if (
        isObject(item.value) &&
        typeof item.value.resourceType === 'string' &&
        item.value.resourceType !== type.code
      )
        continue;
      type.loaded ??= type.urls.map(engine.profile).filter((x): x is CompiledProfile => x !== null);
      const loaded = type.loaded;
      if (loaded.length === 0) continue; // unresolved: named in the registry's `unresolved`
      const via = `, ${node.sliceName !== undefined ? `slice '${node.sliceName}'` : node.id} of ${p.label}`;
      const target = loaded[0] as CompiledProfile;
      if (isObject(item.value) && typeof item.value.resourceType === 'string')
        engine.checkResource(target, item.value, item.loc, { ...ctx, resource: item.value, via });
      else engine.checkItem(target, target.root, item, { ...ctx, via });
    }
    return undefined;
  },
};
