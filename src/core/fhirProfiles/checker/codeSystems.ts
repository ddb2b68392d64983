/**
 * The codes a coded value holds, and the code systems the loaded packages ship whole (a code of
 * such a system that is not among its concepts is made up).
 */

import type { HeldCodes } from '../../fhir/index.ts';
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
          displays: new Map(),
        };
        shipped.set(cs.url, entry);
      } else if (!caseSensitive && entry.caseSensitive) {
        entry.caseSensitive = false;
        entry.codes = new Set([...entry.codes].map((c) => c.toLowerCase()));
        entry.displays = new Map([...entry.displays].map(([c, d]) => [c.toLowerCase(), d]));
      }
      const into = entry;
      const walk = (concepts: readonly CodeSystemConcept[]) => {
        for (const c of concepts) {
          const key = into.caseSensitive ? c.code : c.code.toLowerCase();
          into.codes.add(key);
          // every loaded version's displays count: a display any of them gives is not wrong
          const displays = into.displays.get(key) ?? [];
          for (const d of [c.display, ...(c.designation ?? []).map((x) => x.value)])
            if (typeof d === 'string' && d !== '' && !displays.includes(d)) displays.push(d);
          into.displays.set(key, displays);
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

/**
 * The code systems the loaded packages ship whole, as the base validator's display check asks
 * them: undefined for a system none ships, null for a code it lacks, else its displays.
 */
export function heldCodesOf(shipped: ReadonlyMap<string, ShippedCodeSystem>): Pick<HeldCodes, 'lookup'> {
  return {
    lookup(system, code) {
      const cs = shipped.get(system);
      if (!cs) return undefined;
      const key = cs.caseSensitive ? code : code.toLowerCase();
      if (!cs.codes.has(key)) return null;
      return { name: cs.name, displays: cs.displays.get(key) ?? [] };
    },
  };
}
