/**
 * The codes a coded value holds, and the code systems the loaded packages ship whole (a code of
 * such a system that is not among its concepts is made up).
 */

import type { ProfileRegistry } from '../registry.ts';
import type { CodeSystemConcept } from '../types.ts';
import { isObject } from './items.ts';
import type { ShippedCodeSystem } from './types.ts';

export interface Code {
  system?: string;
  code: string;
}

/**
 * The codes a coded value holds: a `code` string, a Coding or a Quantity (`system` and `code`),
 * or every Coding of a CodeableConcept's `coding[]`.
 */
export function codingsOf(value: unknown): Code[] {
  if (typeof value === 'string') return [{ code: value }];
  if (!isObject(value)) return [];
  const list = Array.isArray(value.coding) ? value.coding : [value];
  const codes: Code[] = [];
  for (const c of list) {
    if (isObject(c) && typeof c.code === 'string')
      codes.push(typeof c.system === 'string' ? { system: c.system, code: c.code } : { code: c.code });
  }
  return codes;
}

/**
 * The code systems the loaded packages ship with their full content (`content: complete` and
 * concepts): a code of such a system that is not among its concepts is made up. Every loaded
 * version counts (a code any of them has is known), so a package newer than another never makes a
 * code an error.
 */
export function shippedCodeSystems(registry: ProfileRegistry): Map<string, ShippedCodeSystem> {
  const shipped = new Map<string, ShippedCodeSystem>();
  for (const pkg of registry.packages) {
    for (const cs of pkg.codeSystems) {
      if (cs.content !== 'complete' || !cs.concept?.length || cs.supplements !== undefined) continue;
      const caseSensitive = cs.caseSensitive !== false;
      let entry = shipped.get(cs.url);
      if (!entry) {
        entry = {
          codes: new Set(),
          caseSensitive,
          shippedBy: `${pkg.name}#${pkg.version}`,
          name: cs.name ?? cs.url,
        };
        shipped.set(cs.url, entry);
      } else if (!caseSensitive && entry.caseSensitive) {
        entry.caseSensitive = false;
        entry.codes = new Set([...entry.codes].map((c) => c.toLowerCase()));
      }
      const into = entry;
      const walk = (concepts: readonly CodeSystemConcept[]) => {
        for (const c of concepts) {
          into.codes.add(into.caseSensitive ? c.code : c.code.toLowerCase());
          if (c.concept) walk(c.concept);
        }
      };
      walk(cs.concept);
    }
  }
  return shipped;
}

/** Whether a code is known to a shipped code system. */
export function knownCode(cs: ShippedCodeSystem, code: string): boolean {
  return cs.codes.has(cs.caseSensitive ? code : code.toLowerCase());
}

/** Whether an expanded value set holds a code (a code without a system: in any of its systems). */
export function inExpansion(codes: Map<string, Set<string>>, c: Code): boolean {
  return c.system === undefined
    ? [...codes.values()].some((set) => set.has(c.code))
    : (codes.get(c.system)?.has(c.code) ?? false);
}
