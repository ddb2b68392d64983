/**
 * Codes of a code system a loaded package ships whole, wherever they appear in the resource,
 * profiled or not: a made-up one is an error on its Coding (or Quantity), named by its element
 * path in the resource it belongs to; an element already in error is left alone.
 */

import type { IssueSink } from '../../../fhir/index.ts';
import { knownCode } from '../codeSystems.ts';
import { isObject } from '../items.ts';
import type { CheckerEngine, ResourceCheck } from '../types.ts';

function checkCodes(engine: CheckerEngine, value: unknown, loc: string, path: string, sink: IssueSink): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkCodes(engine, value[i], `${loc}[${i}]`, path, sink);
    return;
  }
  if (!isObject(value)) return;
  const { system, code } = value;
  if (typeof system === 'string' && typeof code === 'string') {
    const cs = engine.shipped.get(system);
    if (cs && !knownCode(cs, code) && !sink.hasErrorAt(loc) && !sink.hasErrorAt(`${loc}.code`))
      sink.report(
        'fhir-code-unknown',
        loc,
        `${path}: the code is not in the code system ${cs.name} (${system}), which ${cs.shippedBy} ships whole`,
        code,
      );
  }
  for (const key in value) {
    const child = value[key];
    if (child === null || typeof child !== 'object' || key.charCodeAt(0) === 95 /* _ */) continue;
    const inner = Array.isArray(child) ? child : [child];
    // a resource inside (a Bundle entry, a contained one) names its elements from its own type
    const first = inner[0];
    const childPath =
      isObject(first) && typeof first.resourceType === 'string' ? first.resourceType : `${path}.${key}`;
    checkCodes(engine, child, `${loc}.${key}`, childPath, sink);
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
      checkCodes(engine, resource, location, String(resource.resourceType), ctx.sink);
  },
};
