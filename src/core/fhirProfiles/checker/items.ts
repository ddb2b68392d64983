/**
 * Reading a resource's JSON the way a profile's elements name it: the values of an element (a
 * choice's carrying their type), discriminator paths, and references resolved inside the Bundle
 * or among the contained resources. Pure functions.
 */

import type { ElementNode } from '../compile.ts';
import type { Discriminator } from '../types.ts';
import { typeFromSuffix } from '../values.ts';
import type { Context, Item } from './types.ts';

export const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A canonical URL without its `|version` (a slice, not a split: this runs for every coded element). */
export const bare = (canonical: string): string => {
  const bar = canonical.indexOf('|');
  return bar < 0 ? canonical : canonical.slice(0, bar);
};

/** `Type/id` at the end of a reference, with an optional version: the type it names. */
export const TYPED_REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export const OF_TYPE = /^ofType\((?:FHIR\.)?([A-Za-z][A-Za-z0-9]*)\)$/;

/** The type a value holds, when the data says it: a choice's JSON name, or a resource's resourceType. */
export function itemType(item: Item): string | undefined {
  if (item.type !== undefined) return item.type;
  return isObject(item.value) && typeof item.value.resourceType === 'string'
    ? item.value.resourceType
    : undefined;
}

/**
 * The element for one type of a choice (`value[x]` → its slice `valueQuantity`, or the choice
 * itself when it allows that type); undefined when the element cannot hold the type.
 */
export function typeSliceOf(node: ElementNode, type: string): ElementNode | undefined {
  if (node.name.endsWith('[x]')) {
    const sliceName = `${node.name.slice(0, -3)}${type[0]?.toUpperCase() ?? ''}${type.slice(1)}`;
    const slice = node.slices.find((s) => s.sliceName === sliceName);
    if (slice) return slice;
  }
  return node.types.length === 0 || node.types.includes(type) ? node : undefined;
}

export const BY_TYPE: readonly Discriminator[] = [{ type: 'type', path: '$this' }];

/**
 * The discriminator a snapshot leaves implicit: the type slices of a choice (`value[x]:valueQuantity`)
 * are told apart by type, with or without a slicing written on the choice.
 */
export function implicitDiscriminators(node: ElementNode): readonly Discriminator[] {
  return node.name.endsWith('[x]') && node.slices.every((s) => typeSliceOf(node, s.types[0] ?? '') === s)
    ? BY_TYPE
    : [];
}

/** Splits a discriminator path at dots outside parentheses and quotes. */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (quote) {
      if (ch === "'") quote = false;
    } else if (ch === "'") quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '.' && depth === 0) {
      parts.push(path.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(path.slice(start));
  return parts;
}

/**
 * Where a scan of a whole resource is, as the keys and indexes from the resource down (pushed and
 * popped as it goes): a location is made of them only when one is needed.
 */
export interface Trail {
  /** the resource's location */
  readonly root: string;
  readonly steps: (string | number)[];
}

/** The location a trail is at (`Observation.code.coding[0]`). */
export function locationOf(trail: Trail): string {
  let loc = trail.root;
  for (const step of trail.steps) loc += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return loc;
}

/** The element path a trail is at: the keys from step `from` on, after `root` (a resource's type). */
export function elementPathOf(trail: Trail, root: string, from: number): string {
  let path = root;
  for (let i = from; i < trail.steps.length; i++) {
    const step = trail.steps[i];
    if (typeof step === 'string') path += `.${step}`;
  }
  return path;
}

/** The values of one child element of an item (a choice's values carry their type). */
export function childItems(parent: Item, name: string): Item[] {
  const holder = isObject(parent.value) ? parent.value : isObject(parent.ext) ? parent.ext : undefined;
  if (!holder) return [];
  // a primitive's id and extensions live in its `_name` object; its other "children" do not exist
  if (!isObject(parent.value) && name !== 'id' && name !== 'extension') return [];
  if (name.endsWith('[x]')) {
    const base = name.slice(0, -3);
    const out: Item[] = [];
    const seen = new Set<string>();
    for (const rawKey in holder) {
      const key = rawKey.startsWith('_') ? rawKey.slice(1) : rawKey;
      if (seen.has(key) || !key.startsWith(base) || key.length === base.length) continue;
      const next = key[base.length] as string;
      if (next < 'A' || next > 'Z') continue;
      seen.add(key);
      out.push(...itemsOf(holder, key, parent.loc, typeFromSuffix(key.slice(base.length))));
    }
    return out;
  }
  return itemsOf(holder, name, parent.loc);
}

/** One item of an element (a function of its own: itemsOf runs for every element of every resource). */
export function makeItem(v: unknown, e: unknown, at: string, type: string | undefined): Item {
  const item: Item = { value: v, loc: at };
  if (e !== undefined && e !== null) item.ext = e;
  if (type !== undefined) item.type = type;
  return item;
}

export function itemsOf(holder: Record<string, unknown>, key: string, loc: string, type?: string): Item[] {
  const value = holder[key];
  const ext = holder[`_${key}`];
  if (Array.isArray(value) || Array.isArray(ext)) {
    const values = Array.isArray(value) ? value : [];
    const exts = Array.isArray(ext) ? ext : [];
    const out: Item[] = [];
    for (let i = 0; i < Math.max(values.length, exts.length); i++) {
      const v = values[i];
      const e = exts[i];
      if ((v === undefined || v === null) && (e === undefined || e === null)) continue;
      out.push(makeItem(v ?? undefined, e, `${loc}.${key}[${i}]`, type));
    }
    return out;
  }
  if ((value === undefined || value === null) && (ext === undefined || ext === null)) return [];
  return [makeItem(value ?? undefined, ext, `${loc}.${key}`, type)];
}

/**
 * An element path with each choice segment named by the type the data holds
 * (`Observation.effective[x]` at `….effectiveDateTime` → `Observation.effectiveDateTime`): FHIRPath
 * types `$this` from this path, so `$this as dateTime` is empty on the bare choice name. The
 * path's segments after its root are the last segments of the item's location.
 */
export function typedPath(path: string, loc: string): string {
  if (!path.includes('[x]')) return path;
  const segments = path.split('.');
  const at = loc.replace(/\[\d+\]/g, '').split('.');
  const offset = at.length - segments.length;
  return segments
    .map((segment, i) => {
      if (i === 0 || !segment.endsWith('[x]')) return segment;
      const actual = at[offset + i];
      return actual?.startsWith(segment.slice(0, -3)) ? actual : segment.slice(0, -3);
    })
    .join('.');
}

/** Deepest element nesting {@link impliedValue} follows below a discriminator's element. */
export const MAX_IMPLIED_DEPTH = 6;

/**
 * The value a `value` or `pattern` discriminator asks for when the profile fixes it on the
 * element's children rather than on the element (`coding.system` and `coding.code` fixed, not
 * `patternCodeableConcept`): a pattern built from them; undefined when nothing below is fixed.
 */
export function impliedValue(node: ElementNode, depth = 0): unknown {
  if (node.fixed !== undefined) return node.fixed;
  if (node.pattern !== undefined) return node.pattern;
  if (depth >= MAX_IMPLIED_DEPTH) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const child of node.children) {
    if (child.name.endsWith('[x]')) continue;
    const value = impliedValue(child, depth + 1);
    if (value === undefined) continue;
    out ??= {};
    out[child.name] = child.max > 1 ? [value] : value;
  }
  return out;
}

/** The resource a reference points at: a contained one (`#id`), or an entry of the enclosing Bundle. */
export function resolveReference(ref: string, ctx: Context): Record<string, unknown> | undefined {
  if (ref.startsWith('#')) return ctx.contained?.get(ref.slice(1));
  if (!ctx.bundle) return undefined;
  // a version-specific reference resolves to the entry of that resource (the base layer checks the version)
  const unversioned = ref.replace(/\/_history\/[^/]+$/, '');
  return (
    ctx.bundle.get(ref) ??
    ctx.bundle.get(unversioned) ??
    ctx.bundle.get(unversioned.split('/').slice(-2).join('/'))
  );
}
