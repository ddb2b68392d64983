/**
 * Codes of a code system a loaded package ships whole, wherever they appear in the resource,
 * profiled or not: a made-up one is an error on its Coding (or Quantity), named by its element
 * path in the resource it belongs to; an element already in error is left alone.
 */

import type { IssueSink } from '../../../fhir/index.ts';
import { knownCode } from '../codeSystems.ts';
import { elementPathOf, isObject, locationOf, type Trail } from '../items.ts';
import type { CheckerEngine, ResourceCheck } from '../types.ts';

/**
 * Scans a value for codes of shipped code systems. Where the scan is is kept as the keys and
 * indexes from the resource down (`trail`); the location and the element path (from `pathRoot`,
 * the innermost resource's type, at step `pathFrom`) are made from them only for a code to report:
 * most of a resource holds none, and this runs on every key of every resource.
 */
function checkCodes(
  engine: CheckerEngine,
  value: unknown,
  trail: Trail,
  pathRoot: string,
  pathFrom: number,
  sink: IssueSink,
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      trail.steps.push(i);
      checkCodes(engine, value[i], trail, pathRoot, pathFrom, sink);
      trail.steps.pop();
    }
    return;
  }
  if (!isObject(value)) return;
  const { system, code } = value;
  if (typeof system === 'string' && typeof code === 'string') {
    const cs = engine.shipped.get(system);
    if (cs && !knownCode(cs, code)) {
      const loc = locationOf(trail);
      if (!sink.hasErrorAt(loc) && !sink.hasErrorAt(`${loc}.code`))
        sink.report(
          'fhir-code-unknown',
          loc,
          `${elementPathOf(trail, pathRoot, pathFrom)}: the code is not in the code system ${cs.name} (${system}), which ${cs.shippedBy} ships whole`,
          code,
        );
    }
  }
  for (const key in value) {
    const child = value[key];
    if (child === null || typeof child !== 'object' || key.charCodeAt(0) === 95 /* _ */) continue;
    // a resource inside (a Bundle entry, a contained one) names its elements from its own type
    const first = Array.isArray(child) ? child[0] : child;
    trail.steps.push(key);
    if (isObject(first) && typeof first.resourceType === 'string')
      checkCodes(engine, child, trail, first.resourceType, trail.steps.length, sink);
    else checkCodes(engine, child, trail, pathRoot, pathFrom, sink);
    trail.steps.pop();
  }
}

/** Every code of a shipped code system in the resource (see the file comment). */
export const codesCheck: ResourceCheck = {
  id: 'shipped-codes',
  scope: 'resource',
  describe: 'every code of a code system a loaded package ships whole is one of its concepts',
  rules: ['fhir-code-unknown'],
  check(engine, resource, location, ctx) {
    if (engine.shipped.size > 0 && ctx.sink.layers.has('bindings'))
      checkCodes(engine, resource, { root: location, steps: [] }, String(resource.resourceType), 0, ctx.sink);
  },
};
