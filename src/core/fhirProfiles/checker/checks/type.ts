/**
 * Types: a choice element's value is of a type the profile still allows (`value[x]` narrowed to
 * Quantity), and a resource in an element is of a type it allows. A value of another type is
 * reported once and checked no further against this element.
 */

import { isObject } from '../items.ts';
import type { ItemCheck } from '../types.ts';

/** A value's type against the types its element allows. */
export const typeCheck: ItemCheck = {
  id: 'type',
  scope: 'item',
  atRoot: false,
  describe: "a choice's value, or a resource in an element, is of a type the profile allows",
  rules: ['fhir-profile-type', 'fhir-profile-extension'],
  // an element that names no type allows any
  applies: (_engine, _p, node) => node.types.length > 0,
  check(engine, p, node, item, ctx) {
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
    engine.report(
      ctx,
      p,
      rule,
      item.loc,
      `${node.id}: a value of type ${actual} is not allowed here; the profile allows ${node.types.join(', ')}`,
    );
    return false;
  },
};
