/**
 * Cardinality where the profile narrows the base (a raised minimum, a lowered maximum), and
 * must-support elements that are absent, said as information (a system conforming to the profile
 * must be able to hold them). An extension's cardinality is reported as the extension's rule.
 */

import type { ElementNode } from '../../compile.ts';
import type { ElementCheck } from '../types.ts';

/** An element's number of values against the profile's cardinality (see the file comment). */
export const cardinalityCheck: ElementCheck = {
  id: 'cardinality',
  scope: 'element',
  describe:
    'an element has at least the minimum and at most the maximum the profile narrows; absent must-support noted',
  rules: ['fhir-profile-cardinality', 'fhir-profile-extension', 'fhir-profile-must-support'],
  // the three conditions below without the data's part: a profile that narrows nothing says nothing
  applies: (_engine, p, node) =>
    node.min > node.baseMin ||
    node.max < node.baseMax ||
    (Boolean(node.def.mustSupport) && node.min === 0 && p.sd.kind === 'resource'),
  check(engine, p, node, items, groupLoc, ctx) {
    const cardinality = p.sd.type === 'Extension' ? 'fhir-profile-extension' : 'fhir-profile-cardinality';
    if (items.length < node.min && node.min > node.baseMin && !ctx.sink.hasErrorAt(groupLoc)) {
      engine.report(
        ctx,
        p,
        cardinality,
        groupLoc,
        `${node.id}: requires at least ${node.min}, found ${items.length}`,
      );
    } else if (items.length > node.max && node.max < node.baseMax) {
      engine.report(
        ctx,
        p,
        cardinality,
        groupLoc,
        `${node.id}: allows at most ${node.max}, found ${items.length}`,
      );
    } else if (
      items.length === 0 &&
      node.def.mustSupport &&
      node.min === 0 &&
      p.sd.kind === 'resource' &&
      !ctx.implied
    ) {
      // each must-support element's note, made once
      const texts = engine.cache<ElementNode, string>('must-support-texts');
      let text = texts.get(node);
      if (text === undefined) {
        text = `${node.id}: must-support and absent, which is allowed: a system conforming to the profile must be able to hold it when the data has it`;
        texts.set(node, text);
      }
      engine.report(ctx, p, 'fhir-profile-must-support', groupLoc, text);
    }
  },
};
