/**
 * The walk: a resource against a profile, element by element of the profile's snapshot, driven by
 * the resource's own keys (a snapshot element is visited when the data holds it, or when its
 * absence can be reported). At each element the element checks run on its values together, then
 * each value is checked by the item checks and walked into; checks/index.ts holds the table.
 */

import type { CompiledProfile, ElementNode } from '../compile.ts';
import { vitalSignsProfilesOf } from '../vitalSigns.ts';
import { CLAIMED_CHECKS, ELEMENT_CHECKS, ITEM_CHECKS } from './checks/index.ts';
import { bare, childItems, isObject } from './items.ts';
import type { CheckerEngine, Context, ElementCheck, Item, ItemCheck } from './types.ts';

/**
 * An element as the walk runs it, worked out on its first visit: the checks that can say anything
 * of its values (those whose `applies` is false there are left out: most elements of a snapshot
 * narrow nothing), and its children by JSON key (see checkItem).
 */
interface NodePlan {
  /** the item checks that apply, in the table's order (at a profile's root: those that run there) */
  itemChecks: readonly ItemCheck[];
  /** the element checks that apply, in the table's order */
  elementChecks: readonly ElementCheck[];
  byKey: Map<string, ElementNode>;
  choices: { base: string; node: ElementNode }[];
  /** children visited even when absent: a raised minimum, a must-support, slices */
  absent: Set<ElementNode>;
}

/**
 * Plans by element. An element belongs to one compiled profile of one checker's engine (the
 * engine compiles each profile once), so the element alone is the key.
 */
const plans = new WeakMap<ElementNode, NodePlan>();

/** The choice child a JSON key names (`valueQuantity` → `value[x]`), as childItems reads it. */
function choiceOf(choices: NodePlan['choices'], key: string): ElementNode | undefined {
  for (const { base, node } of choices) {
    if (key.length <= base.length || !key.startsWith(base)) continue;
    const next = key.charCodeAt(base.length);
    if (next >= 65 && next <= 90) return node; // A–Z
  }
  return undefined;
}

/** An element's plan (see {@link NodePlan}), made on its first visit. */
function planOf(engine: CheckerEngine, p: CompiledProfile, node: ElementNode): NodePlan {
  let plan = plans.get(node);
  if (plan) return plan;
  const atRoot = node === p.root;
  plan = {
    itemChecks: ITEM_CHECKS.filter(
      (check) => (!atRoot || check.atRoot) && (check.applies?.(engine, p, node) ?? true),
    ),
    elementChecks: ELEMENT_CHECKS.filter((check) => check.applies?.(engine, p, node) ?? true),
    byKey: new Map(),
    choices: [],
    absent: new Set(),
  };
  for (const child of node.children) {
    if (child.max === 0 && child.baseMax === 0) continue;
    if (child.name.endsWith('[x]')) plan.choices.push({ base: child.name.slice(0, -3), node: child });
    else plan.byKey.set(child.name, child);
    if (engine.absentMatters(p, child)) plan.absent.add(child);
  }
  plans.set(node, plan);
  return plan;
}

/** An element's values in a parent value: the element checks, then each value. */
function checkGroup(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  parent: Item,
  ctx: Context,
): void {
  const items = childItems(parent, node.name);
  // most elements of a snapshot are absent from a resource: nothing to say about most of those
  if (items.length === 0 && !engine.absentMatters(p, node)) return;
  const { elementChecks } = planOf(engine, p, node);
  if (elementChecks.length > 0) {
    const groupLoc = `${parent.loc}.${node.locationName}`;
    for (const check of elementChecks) check.check(engine, p, node, items, groupLoc, ctx);
  }
  for (const item of items) checkItem(engine, p, node, item, ctx);
}

/** A value against an element of a profile: the item checks, then its children. */
export function checkItem(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  item: Item,
  ctx: Context,
): void {
  const plan = planOf(engine, p, node);
  for (const check of plan.itemChecks) if (check.check(engine, p, node, item, ctx) === false) return;
  if (node.children.length === 0) return;
  // driven by the item's own keys: a child element is visited when the item holds it, or when
  // its absence can be reported (most of a snapshot's elements are absent from a resource)
  const { byKey, choices, absent } = plan;
  const holder = isObject(item.value) ? item.value : isObject(item.ext) ? item.ext : undefined;
  let present: Set<ElementNode> | undefined;
  if (holder) {
    for (const rawKey in holder) {
      const key = rawKey.charCodeAt(0) === 95 ? rawKey.slice(1) : rawKey; // "_name"
      const child = byKey.get(key) ?? (choices.length > 0 ? choiceOf(choices, key) : undefined);
      if (!child) continue;
      present ??= new Set();
      present.add(child);
    }
  }
  if (!present && absent.size === 0) return;
  const inner = node !== p.root && holder === item.value ? resourceContext(node, item, ctx) : ctx;
  for (const child of node.children)
    if (present?.has(child) || absent.has(child)) checkGroup(engine, p, child, item, inner);
}

/**
 * The context of the elements inside a resource nested in another (contained, a Bundle entry's, a
 * Parameters value): FHIRPath's %resource is that resource, and %rootResource the resource holding
 * it when it is contained, as the FHIR specification defines them (a Bundle entry is its own root).
 * The nested resource itself, as a value of the outer element, keeps the outer context.
 */
function resourceContext(node: ElementNode, item: Item, ctx: Context): Context {
  const value = item.value as Record<string, unknown>;
  if (typeof value.resourceType !== 'string') return ctx;
  const inner: Context = { ...ctx, resource: value, resourcePath: node.path };
  if (node.name === 'contained') inner.rootResource = ctx.rootResource ?? ctx.resource;
  else delete inner.rootResource;
  return inner;
}

/** A resource against a profile for its type (once per profile and sink). */
export function checkResource(
  engine: CheckerEngine,
  p: CompiledProfile,
  resource: Record<string, unknown>,
  location: string,
  ctx: Context,
): void {
  const done = ctx.checked.get(resource) ?? new Set<string>();
  if (done.has(p.sd.url)) return;
  done.add(p.sd.url);
  ctx.checked.set(resource, done);
  // `#id` references resolve among the resource's own contained resources (a contained
  // resource's, among its container's); a resource reached through a slice's profile has its own
  const own = Array.isArray(resource.contained)
    ? engine.containedOf(resource.contained)
    : ctx.contained && [...ctx.contained.values()].includes(resource)
      ? ctx.contained
      : undefined;
  const inner: Context = own === ctx.contained ? ctx : { ...ctx };
  if (own) inner.contained = own;
  else delete inner.contained;
  if (resource.resourceType !== p.sd.type) {
    engine.report(
      inner,
      p,
      'fhir-profile-type',
      location,
      // the type is named only when it is an R4 type: a resourceType is data until known
      `${p.sd.type}: the resource is ${engine.resourceTypes.has(resource.resourceType as string) ? `a ${String(resource.resourceType)}` : 'of another type'}, and the profile is for ${p.sd.type}`,
    );
    return;
  }
  checkItem(engine, p, p.root, { value: resource, loc: location }, inner);
}

/** A Bundle's entries by full URL and `Type/id`, and where each is. */
export function bundleOf(
  entries: readonly unknown[],
  location: string,
): { bundle: Map<string, Record<string, unknown>>; locations: Map<object, string> } {
  const bundle = new Map<string, Record<string, unknown>>();
  const locations = new Map<object, string>();
  entries.forEach((entry, i) => {
    if (!isObject(entry) || !isObject(entry.resource)) return;
    const r = entry.resource;
    locations.set(r, `${location}.entry[${i}].resource`);
    if (typeof entry.fullUrl === 'string') bundle.set(entry.fullUrl, r);
    if (typeof r.resourceType === 'string' && typeof r.id === 'string')
      bundle.set(`${r.resourceType}/${r.id}`, r);
  });
  return { bundle, locations };
}

/**
 * The resource against its own profiles (those it claims, those applied to its type, R4's vital
 * signs by its code), then its Bundle entries and contained resources; `profilesOnly` leaves out
 * the checks of a loaded package's extensions (no package loaded).
 */
export function checkClaimed(
  engine: CheckerEngine,
  resource: Record<string, unknown>,
  location: string,
  outer: Context,
  profilesOnly = false,
): void {
  const ctx: Context = Array.isArray(resource.contained)
    ? { ...outer, contained: engine.containedOf(resource.contained) }
    : outer;
  const meta = resource.meta;
  const claimed =
    isObject(meta) && Array.isArray(meta.profile)
      ? meta.profile.filter((u): u is string => typeof u === 'string')
      : [];
  const type = resource.resourceType;
  claimed.forEach((url, i) => {
    const bar = url.indexOf('|');
    const loaded = bar < 0 ? undefined : engine.registry.structureDefinition(url)?.version;
    if (loaded === undefined || loaded === url.slice(bar + 1)) return;
    const issue = ctx.sink.report(
      'fhir-profile-version',
      `${location}.meta.profile[${i}]`,
      `${String(type)}: the resource claims version ${url.slice(bar + 1)} of the profile ${bare(url)}; the loaded package has version ${loaded}, and the resource was checked against that: load version ${url.slice(bar + 1)} to check it as claimed`,
      url,
    );
    if (issue) issue.profile = `${bare(url)}|${loaded}`;
  });
  // R4's vital-signs profiles by the Observation's code, as the Java validator applies them
  const byCode = vitalSignsProfilesOf(resource).filter(
    (url) => !claimed.includes(url) && engine.registry.structureDefinition(url) !== undefined,
  );
  for (const url of [...claimed, ...engine.extraProfiles, ...byCode]) {
    const p = engine.profile(url);
    const why = engine.unusable.get(url);
    // one the user applies to every resource of its type (`--profile`, a global one) is said there too
    const applies = claimed.includes(url) || engine.registry.structureDefinition(url)?.type === type;
    if (why !== undefined && applies) {
      const text = `${String(type)}: the profile ${bare(url)} is loaded but cannot be applied: ${why}`;
      const issue = ctx.sink.report(
        'fhir-profile-not-checked',
        location,
        text,
        undefined,
        `not-applied|${location}|${url}`,
      );
      if (issue) issue.profile = url;
    }
    if (!p || (p.sd.type !== type && !claimed.includes(url))) continue;
    const implied = byCode.includes(url) && !engine.extraProfiles.includes(url);
    checkResource(engine, p, resource, location, {
      ...ctx,
      resource,
      via: '',
      ...(implied ? { implied } : {}),
    });
  }
  if (!profilesOnly) for (const check of CLAIMED_CHECKS) check.check(engine, resource, location, ctx);
  if (type === 'Bundle' && Array.isArray(resource.entry)) {
    const inner: Context = { ...ctx, ...bundleOf(resource.entry, location) };
    resource.entry.forEach((entry, i) => {
      if (isObject(entry) && isObject(entry.resource))
        checkClaimed(engine, entry.resource, `${location}.entry[${i}].resource`, inner, profilesOnly);
    });
  }
  if (Array.isArray(resource.contained)) {
    const inContainer: Context = { ...ctx, rootResource: ctx.rootResource ?? resource };
    resource.contained.forEach((c, i) => {
      if (isObject(c)) checkClaimed(engine, c, `${location}.contained[${i}]`, inContainer, profilesOnly);
    });
  }
}
