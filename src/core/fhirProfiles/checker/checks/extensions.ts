/**
 * Extensions: every extension in a resource whose definition a loaded package holds is checked
 * against that definition, wherever it is (profiled or not); a resource inside (a Bundle entry, a
 * contained one) is checked as itself.
 */

import { isObject } from '../items.ts';
import type { CheckerEngine, Context, ResourceCheck } from '../types.ts';

function checkExtensions(engine: CheckerEngine, value: unknown, loc: string, ctx: Context): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      checkExtensions(engine, v, `${loc}[${i}]`, ctx);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const key in value) {
    const child = value[key];
    if (key === 'contained' || (isObject(child) && typeof child.resourceType === 'string')) continue;
    const at = `${loc}.${key}`;
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
      child.forEach((ext, i) => {
        if (!isObject(ext) || typeof ext.url !== 'string') return;
        const sd = engine.registry.structureDefinition(ext.url);
        if (sd?.type !== 'Extension') return;
        const p = engine.profile(ext.url);
        if (p) engine.checkItem(p, p.root, { value: ext, loc: `${at}[${i}]` }, { ...ctx, via: '' });
      });
    }
    checkExtensions(engine, child, at, ctx);
  }
}

/** Every extension a loaded package defines, against its definition. */
export const extensionsCheck: ResourceCheck = {
  id: 'extensions',
  scope: 'claimed',
  describe: 'every extension a loaded package defines, wherever it is, against its definition',
  rules: [],
  check(engine, resource, location, ctx) {
    checkExtensions(engine, resource, location, { ...ctx, resource });
  },
};
