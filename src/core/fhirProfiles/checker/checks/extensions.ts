/**
 * Extensions: every extension in a resource whose definition a loaded package holds is checked
 * against that definition, wherever it is (profiled or not), including whether it is a modifier
 * (only a modifier may be a modifierExtension, and a modifier only that); a resource inside (a
 * Bundle entry, a contained one) is checked as itself.
 */

import { isObject, locationOf, type Trail } from '../items.ts';
import type { CheckerEngine, Context, ResourceCheck } from '../types.ts';

/**
 * Checks the extensions in a value. Where the scan is is kept as the keys and indexes from the
 * resource down (`trail`), made into a location only for an extension a package defines: this
 * runs on every key of every resource.
 */
function checkExtensions(engine: CheckerEngine, value: unknown, trail: Trail, ctx: Context): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      trail.steps.push(i);
      checkExtensions(engine, value[i], trail, ctx);
      trail.steps.pop();
    }
    return;
  }
  if (!isObject(value)) return;
  for (const key in value) {
    const child = value[key];
    if (key === 'contained' || (isObject(child) && typeof child.resourceType === 'string')) continue;
    trail.steps.push(key);
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
      child.forEach((ext, i) => {
        if (!isObject(ext) || typeof ext.url !== 'string') return;
        const sd = engine.registry.structureDefinition(ext.url);
        if (sd?.type !== 'Extension') return;
        const p = engine.profile(ext.url);
        if (!p) return;
        const loc = `${locationOf(trail)}[${i}]`;
        // a modifier changes the meaning of what holds it, so it may only sit where a reader must
        // understand it (modifierExtension), and a regular extension never there
        const modifier = p.root.def.isModifier === true;
        if (modifier !== (key === 'modifierExtension'))
          engine.report(
            ctx,
            p,
            'fhir-profile-extension',
            loc,
            modifier
              ? `The extension ${ext.url} is a modifier extension (it changes what the record means), so it must be given as a modifierExtension, not an extension`
              : `The extension ${ext.url} is a regular extension, so it must not be given as a modifierExtension (a reader would refuse the record as one it cannot understand)`,
            ext.url,
          );
        engine.checkItem(p, p.root, { value: ext, loc }, { ...ctx, via: '' });
      });
    }
    checkExtensions(engine, child, trail, ctx);
    trail.steps.pop();
  }
}

/** Every extension a loaded package defines, against its definition. */
export const extensionsCheck: ResourceCheck = {
  id: 'extensions',
  scope: 'claimed',
  describe: 'every extension a loaded package defines, wherever it is, against its definition',
  rules: ['fhir-profile-extension'],
  check(engine, resource, location, ctx) {
    checkExtensions(engine, resource, { root: location, steps: [] }, { ...ctx, resource });
  },
};
