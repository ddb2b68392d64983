/**
 * Slicing: each value of a sliced element is assigned to the first slice whose discriminators
 * (discriminators.ts) it meets; then slice cardinality, closed and ordered slicing, re-slicing,
 * and each value checked against its slice. A slice whose discriminator cannot be evaluated
 * offline (a profile that is not loaded, a reference outside the Bundle) is reported once as not
 * checked, and then neither its cardinality nor the closed-ness of its slicing accuses the data.
 *
 * One defect, one root cause: when a slice is short (or a value matches none of a closed slicing)
 * because a value breaks the slice's profile, that value's own errors against the profile are
 * reported where the value is, and the slice's message carries `causedBy` naming the first.
 */

import type { FhirIssue } from '../../../fhir/index.ts';
import type { CompiledProfile, ElementNode } from '../../compile.ts';
import type { Discriminator } from '../../types.ts';
import { implicitDiscriminators, isObject } from '../items.ts';
import type { CheckerEngine, Context, ElementCheck, Item } from '../types.ts';
import { discriminatorProfiles, elementAt, meets, meetsProfiles, valuesAt } from './discriminators.ts';

/**
 * Why an item is not in a slice whose other discriminators it meets: for each value at a
 * `profile` discriminator's path that conforms to none of the profiles, its errors against the
 * profile for its type (checked in a scratch sink) and where the value is. Empty when the item
 * misses the slice for another reason.
 */
export function profileMisses(
  engine: CheckerEngine,
  slice: ElementNode,
  discriminators: readonly Discriminator[],
  item: Item,
  ctx: Context,
): { errors: FhirIssue[]; at: string }[] {
  const byProfile = discriminators.filter((d) => d.type === 'profile');
  if (byProfile.length === 0) return [];
  for (const d of discriminators)
    if (d.type !== 'profile' && meets(engine, d, slice, item, ctx) !== true) return [];
  const misses: { errors: FhirIssue[]; at: string }[] = [];
  for (const d of byProfile) {
    const target = elementAt(engine, slice, d.path);
    const wanted = target ? discriminatorProfiles(engine, d, target) : undefined;
    const values = valuesAt(item, d.path, ctx);
    if (!wanted || !values) return [];
    const { profiles } = wanted;
    for (const v of values) {
      if (!isObject(v.value)) continue;
      const value = v.value;
      if (meetsProfiles(engine, wanted, value, ctx)) continue;
      // a resource of another type than every profile asked for is simply not of the slice (it
      // may belong to another, or to the open rest): only one of the profile's type is a near miss
      const own =
        typeof value.resourceType === 'string'
          ? profiles.find((pr) => pr.sd.type === value.resourceType)
          : profiles[0];
      if (!own) continue;
      misses.push({ errors: engine.errorsAgainst(own, value, ctx), at: ctx.locations?.get(value) ?? v.loc });
    }
  }
  return misses;
}

/** The root cause of a slice's shortfall among the values no slice took: their defects, reported. */
export function explainMisses(
  engine: CheckerEngine,
  p: CompiledProfile,
  slice: ElementNode,
  discriminators: readonly Discriminator[],
  items: readonly Item[],
  ctx: Context,
): string | undefined {
  let cause: string | undefined;
  for (const item of items)
    for (const miss of profileMisses(engine, slice, discriminators, item, ctx)) {
      const root = engine.explain(miss.errors, miss.at, `, slice '${slice.sliceName}' of ${p.label}`, ctx);
      cause ??= root;
    }
  return cause;
}

export function applySlicing(
  engine: CheckerEngine,
  p: CompiledProfile,
  node: ElementNode,
  items: Item[],
  groupLoc: string,
  ctx: Context,
): void {
  const discriminators = node.slicing?.discriminator ?? implicitDiscriminators(node);
  const matched = node.slices.map((): Item[] => []);
  const unknown = node.slices.map(() => false);
  const unmatched: Item[] = [];
  let last = -1;
  for (const item of items) {
    let found = -1;
    for (let s = 0; s < node.slices.length && found < 0; s++) {
      const slice = node.slices[s] as ElementNode;
      let result: boolean | undefined = discriminators.length > 0;
      if (discriminators.length === 0) result = undefined;
      for (const d of discriminators) {
        const r = meets(engine, d, slice, item, ctx);
        if (r === false) {
          result = false;
          break;
        }
        if (r === undefined) result = undefined;
      }
      if (result === undefined) unknown[s] = true;
      else if (result) found = s;
    }
    if (found >= 0) {
      (matched[found] as Item[]).push(item);
      if (node.slicing?.ordered && found < last)
        engine.report(
          ctx,
          p,
          'fhir-profile-slice',
          item.loc,
          `${node.id}: slice '${node.slices[found]?.sliceName}' comes after a later slice; the profile orders them`,
        );
      last = Math.max(last, found);
    } else unmatched.push(item);
  }
  node.slices.forEach((slice, s) => {
    const got = matched[s] as Item[];
    if (unknown[s] && got.length < slice.min) {
      engine.report(
        ctx,
        p,
        'fhir-profile-not-checked',
        groupLoc,
        `${node.id}: slice '${slice.sliceName}' is not checked: its discriminator needs what is not loaded or not in this file`,
      );
    } else if (got.length < slice.min) {
      const needs = slice.min === slice.max ? `${slice.min}` : `at least ${slice.min}`;
      engine.report(
        ctx,
        p,
        'fhir-profile-slice',
        groupLoc,
        `${node.id}: slice '${slice.sliceName}' requires ${needs}, found ${got.length}`,
        undefined,
        explainMisses(engine, p, slice, discriminators, unmatched, ctx),
      );
    } else if (got.length > slice.max) {
      engine.report(
        ctx,
        p,
        'fhir-profile-slice',
        groupLoc,
        `${node.id}: slice '${slice.sliceName}' allows at most ${slice.max}, found ${got.length}`,
      );
    }
    if (slice.slices.length > 0) applySlicing(engine, p, slice, got, groupLoc, ctx);
    for (const item of got) engine.checkItem(p, slice, item, ctx);
  });
  if (node.slicing?.rules === 'closed' && !unknown.some(Boolean)) {
    for (const item of unmatched) {
      let cause: string | undefined;
      for (const slice of node.slices) {
        cause = explainMisses(engine, p, slice, discriminators, [item], ctx);
        if (cause !== undefined) break;
      }
      engine.report(
        ctx,
        p,
        'fhir-profile-slice',
        item.loc,
        `${node.id}: matches none of the slices of the profile's closed slicing (${node.slices.map((s) => `'${s.sliceName}'`).join(', ')})`,
        undefined,
        cause,
      );
    }
  }
}

/** A sliced element's values against its slices (see the file comment). */
export const slicingCheck: ElementCheck = {
  id: 'slicing',
  scope: 'element',
  describe:
    'each value in the first slice whose discriminators it meets; slice cardinality, closed and ordered slicing',
  rules: ['fhir-profile-slice', 'fhir-profile-not-checked'],
  applies: (_engine, _p, node) => node.slices.length > 0,
  check(engine, p, node, items, groupLoc, ctx) {
    if (node.slices.length > 0) applySlicing(engine, p, node, items, groupLoc, ctx);
  },
};
