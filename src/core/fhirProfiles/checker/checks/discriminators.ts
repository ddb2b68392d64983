/**
 * Slice discriminators: which values a discriminator path reaches below a value (`resolve()`
 * within the Bundle or the contained resources, `extension('url')`, `ofType(T)`), which element
 * of a slice it names, and whether a value meets a discriminator (value, pattern — fixed on the
 * element, on its children, or a required value set —, exists, type, profile). Undefined
 * wherever the answer cannot be told offline.
 */

import type { CompiledProfile, ElementNode } from '../../compile.ts';
import type { Discriminator } from '../../types.ts';
import { jsonEqual, matchesPattern } from '../../values.ts';
import { codingsOf, inExpansion } from '../codeSystems.ts';
import {
  bare,
  CORE_SD,
  childItems,
  impliedValue,
  isObject,
  itemType,
  OF_TYPE,
  resolveReference,
  splitPath,
  typeSliceOf,
} from '../items.ts';
import type { CheckerEngine, Context, Item } from '../types.ts';

/** Values at a discriminator path below an item; undefined when the path cannot be evaluated offline. */
export function valuesAt(item: Item, path: string, ctx: Context): Item[] | undefined {
  let current: Item[] = [item];
  for (const segment of splitPath(path)) {
    if (segment === '$this' || segment === '') continue;
    if (segment === 'resolve()') {
      const next: Item[] = [];
      for (const it of current) {
        const ref = isObject(it.value) ? it.value.reference : undefined;
        if (typeof ref !== 'string') continue;
        const target = resolveReference(ref, ctx);
        if (!target) return undefined;
        next.push({ value: target, loc: it.loc });
      }
      current = next;
      continue;
    }
    const ext = /^extension\('([^']*)'\)$/.exec(segment);
    if (ext) {
      current = current.flatMap((it) =>
        childItems(it, 'extension').filter((e) => isObject(e.value) && e.value.url === ext[1]),
      );
      continue;
    }
    const ofType = OF_TYPE.exec(segment);
    if (ofType) {
      const type = ofType[1] as string;
      current = current.filter((it) => {
        const actual = itemType(it);
        // an element that is not a choice has the one type its definition gives: kept
        return actual === undefined || actual === type;
      });
      continue;
    }
    if (segment.includes('(')) return undefined;
    current = current.flatMap((it) => {
      const direct = childItems(it, segment);
      return direct.length > 0 || !isObject(it.value) ? direct : childItems(it, `${segment}[x]`);
    });
  }
  return current;
}

/** The element of a slice at a discriminator path (`$this`, `resolve()` stay on the slice itself). */
export function elementAt(engine: CheckerEngine, slice: ElementNode, path: string): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  const segments = splitPath(path);
  for (const [i, segment] of segments.entries()) {
    if (!node) return undefined;
    if (segment === '$this' || segment === '') continue;
    if (segment === 'resolve()') {
      // a path that goes on past resolve() reads the target's elements: its target profile's
      if (i < segments.length - 1) {
        const urls: string[] = (node.def.type ?? []).flatMap((t) => t.targetProfile ?? []);
        const target: CompiledProfile | undefined = urls
          .map(engine.profile)
          .find((x): x is CompiledProfile => x !== null);
        node = target?.root;
      }
      continue;
    }
    const ext = /^extension\('([^']*)'\)$/.exec(segment);
    if (ext) {
      const holder: ElementNode | undefined = node.children.find((c) => c.name === 'extension');
      const found: ElementNode | undefined = holder?.slices.find((s) =>
        s.def.type?.some((t) => t.profile?.some((pr) => bare(pr) === ext[1])),
      );
      // a snapshot need not unfold an extension slice: its definition's elements then
      node = found && found.children.length === 0 ? (engine.profile(ext[1] as string)?.root ?? found) : found;
      continue;
    }
    const ofType = OF_TYPE.exec(segment);
    if (ofType) {
      node = typeSliceOf(node, ofType[1] as string);
      continue;
    }
    const name = segment;
    node = node.children.find((c) => c.name === name || c.name === `${name}[x]`);
  }
  return node;
}

/**
 * What a `profile` discriminator asks for at `target`: the loaded profiles, and the base types
 * it names (`…/StructureDefinition/Condition`: a value of that type conforms, the base layers
 * judge the rest); undefined when a profile it names is not loaded.
 */
export function discriminatorProfiles(
  engine: CheckerEngine,
  d: Discriminator,
  target: ElementNode,
): { profiles: CompiledProfile[]; baseTypes: string[] } | undefined {
  const urls = d.path.includes('resolve()')
    ? (target.def.type ?? []).flatMap((t) => t.targetProfile ?? [])
    : (target.def.type ?? []).flatMap((t) => t.profile ?? []);
  if (urls.length === 0) return undefined;
  const profiles: CompiledProfile[] = [];
  const baseTypes: string[] = [];
  for (const url of urls) {
    const loaded = engine.profile(url);
    if (loaded) profiles.push(loaded);
    else if (engine.baseTypeSds.has(bare(url))) baseTypes.push(bare(url).slice(CORE_SD.length));
    else return undefined;
  }
  return { profiles, baseTypes };
}

/** Whether a value meets what a `profile` discriminator asks for. */
export function meetsProfiles(
  engine: CheckerEngine,
  wanted: { profiles: CompiledProfile[]; baseTypes: string[] },
  value: Record<string, unknown>,
  ctx: Context,
): boolean {
  const type = typeof value.resourceType === 'string' ? value.resourceType : undefined;
  if (wanted.baseTypes.some((t) => type === undefined || t === type)) return true;
  return wanted.profiles.some((pr) => engine.conforms(pr, value, ctx));
}

/**
 * The value a `value` or `pattern` discriminator asks for when the profile fixes it on the slice
 * or an element between the slice and the path's end, not on the element the path names
 * (`fixedContactPoint: { use: 'home' }` on a telecom slice discriminated by `use`): the part of
 * that fixed value or pattern at the rest of the path. Undefined when nothing on the way fixes it,
 * the path is not plain element names, or it runs through a list of more than one value.
 */
export function valueAbove(
  slice: ElementNode,
  path: string,
): { fixed?: unknown; pattern?: unknown } | undefined {
  const segments = splitPath(path).filter((s) => s !== '$this' && s !== '');
  if (segments.some((s) => !/^[A-Za-z][A-Za-z0-9]*$/.test(s))) return undefined;
  let node: ElementNode | undefined = slice;
  for (const [i, segment] of segments.entries()) {
    if (!node) return undefined;
    const held = node.fixed !== undefined ? 'fixed' : node.pattern !== undefined ? 'pattern' : undefined;
    if (held) {
      const part = partAt(node[held], segments.slice(i));
      return part === undefined ? undefined : { [held]: part };
    }
    node = node.children.find((c) => c.name === segment);
  }
  return undefined;
}

/** Whether `values` hold what the slice fixes above the discriminator's element ({@link valueAbove}). */
function meetsAbove(slice: ElementNode, path: string, values: readonly Item[]): boolean | undefined {
  const above = valueAbove(slice, path);
  if (above?.fixed !== undefined) return values.some((v) => jsonEqual(v.value, above.fixed));
  if (above?.pattern !== undefined) return values.some((v) => matchesPattern(v.value, above.pattern));
  return undefined;
}

/** The part of a JSON value at `names` (a list of one value is read through); undefined if absent. */
function partAt(value: unknown, names: readonly string[]): unknown {
  let current = value;
  for (const name of names) {
    if (Array.isArray(current)) {
      if (current.length !== 1) return undefined;
      current = current[0];
    }
    if (!isObject(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** Whether an item meets a discriminator of a slice: undefined when that cannot be told offline. */
export function meets(
  engine: CheckerEngine,
  d: Discriminator,
  slice: ElementNode,
  item: Item,
  ctx: Context,
): boolean | undefined {
  const values = valuesAt(item, d.path, ctx);
  if (values === undefined) return undefined;
  // an extension slice is told by the URL of the extension its type names (snapshots need not unfold it)
  const extensionUrl = slice.types.includes('Extension') ? slice.def.type?.[0]?.profile?.[0] : undefined;
  if (d.path === 'url' && (d.type === 'value' || d.type === 'pattern') && extensionUrl)
    return values.some((v) => v.value === bare(extensionUrl));
  const target = elementAt(engine, slice, d.path);
  // a snapshot need not unfold a slice whose own value fixes what its children hold
  if (!target)
    return d.type === 'value' || d.type === 'pattern' ? meetsAbove(slice, d.path, values) : undefined;
  switch (d.type) {
    case 'value':
    case 'pattern': {
      if (target.fixed !== undefined) return values.some((v) => jsonEqual(v.value, target.fixed));
      if (target.pattern !== undefined) return values.some((v) => matchesPattern(v.value, target.pattern));
      const implied = impliedValue(target);
      if (implied !== undefined) return values.some((v) => matchesPattern(v.value, implied));
      const above = meetsAbove(slice, d.path, values);
      if (above !== undefined) return above;
      const binding = target.def.binding;
      if (binding?.strength === 'required' && binding.valueSet) {
        const expansion = engine.expand(binding.valueSet);
        if (!expansion.ok) return undefined;
        return values.some((v) => codingsOf(v.value).some((c) => inExpansion(expansion.codes, c)));
      }
      return undefined;
    }
    case 'exists':
      if (target.min > 0) return values.length > 0;
      if (target.max === 0) return values.length === 0;
      return undefined;
    case 'type': {
      const viaReference = d.path.includes('resolve()');
      const expected = viaReference
        ? (target.def.type ?? [])
            .flatMap((t) => t.targetProfile ?? [])
            .map(
              (url) =>
                engine.registry.structureDefinition(url)?.type ??
                (bare(url).startsWith(CORE_SD) ? bare(url).slice(CORE_SD.length) : undefined),
            )
        : target.types;
      if (expected.some((t) => t === undefined)) return undefined;
      return values.some((v) => {
        const actual =
          isObject(v.value) && typeof v.value.resourceType === 'string' ? v.value.resourceType : v.type;
        return actual !== undefined && expected.includes(actual);
      });
    }
    case 'profile': {
      const wanted = discriminatorProfiles(engine, d, target);
      if (!wanted) return undefined;
      return values.some(
        (v) => isObject(v.value) && meetsProfiles(engine, wanted, v.value as Record<string, unknown>, ctx),
      );
    }
    default:
      return undefined;
  }
}
