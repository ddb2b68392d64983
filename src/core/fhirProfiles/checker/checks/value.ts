/** Fixed and pattern values: a value equals what the profile fixes, or holds its pattern. */

import { describeExpected, jsonEqual, matchesPattern } from '../../values.ts';
import type { ItemCheck } from '../types.ts';

/** A value against its element's fixed value or pattern. */
export const valueCheck: ItemCheck = {
  id: 'fixed-pattern',
  scope: 'item',
  atRoot: false,
  describe: 'a value equals the value the profile fixes, or holds the pattern it requires',
  rules: ['fhir-profile-value'],
  applies: (_engine, _p, node) => node.fixed !== undefined || node.pattern !== undefined,
  check(engine, p, node, item, ctx) {
    if (item.value === undefined) return undefined;
    if (node.fixed !== undefined && !jsonEqual(item.value, node.fixed)) {
      engine.report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must be ${describeExpected(node.fixed)}, as the profile fixes it`,
        item.value,
      );
    } else if (node.pattern !== undefined && !matchesPattern(item.value, node.pattern)) {
      engine.report(
        ctx,
        p,
        'fhir-profile-value',
        item.loc,
        `${node.id}: must hold ${describeExpected(node.pattern)}, as the profile requires`,
        item.value,
      );
    }
    return undefined;
  },
};
