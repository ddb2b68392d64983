/**
 * Snapshot generation: a profile's differential applied to its base's snapshot, for packages that
 * ship differentials only. The design (docs/decisions/0031-profile-snapshots-and-slicing.md):
 *
 * - elements are matched by id (`Patient.identifier:mrn.system`), the id carrying slice names;
 * - a differential slice that is not in the working snapshot yet is made from the element it
 *   slices: a copy of it as the base defines it, with its children as constrained so far (not
 *   its slices), re-identified under the slice, after the last slice already there;
 * - an element below a datatype the base does not unfold (`Patient.identifier.system` when the
 *   base stops at `Patient.identifier`) unfolds that element from its type's snapshot (the type's
 *   profile when the element names one);
 * - the differential's properties replace the base's, except constraints, which add up.
 *
 * Applying the same differential again to a snapshot it made changes nothing (property-tested).
 */
import type { ElementDefinition, StructureDefinition } from './types.ts';

/** A snapshot that cannot be generated offline (its base not loaded, an element matching nothing). */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

type StructureResolver = (canonical: string) => StructureDefinition | undefined;

const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';
const MAX_DEPTH = 12;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function idOf(element: ElementDefinition): string {
  return element.id ?? element.path;
}

/** Whether `id` is `root` or below it (children `root.x`, slices `root:s`, re-slices `root/s`). */
function within(id: string, root: string): boolean {
  if (id === root) return true;
  if (!id.startsWith(root)) return false;
  const next = id[root.length];
  return next === '.' || next === ':' || next === '/';
}

/** The id the element a slice slices has: `a.b` for `a.b:s`, `a.b:s` for `a.b:s/t`. */
function holderOf(id: string, sliceName: string): string | undefined {
  const slash = sliceName.lastIndexOf('/');
  const suffix = slash < 0 ? `:${sliceName}` : `/${sliceName.slice(slash + 1)}`;
  return id.endsWith(suffix) ? id.slice(0, id.length - suffix.length) : undefined;
}

/** Re-identifies a copied element: replaces the leading `fromId`/`fromPath` with the new ones. */
function rebase(element: ElementDefinition, fromId: string, toId: string, fromPath: string, toPath: string) {
  const copy = clone(element);
  copy.id = toId + idOf(element).slice(fromId.length);
  copy.path = toPath + element.path.slice(fromPath.length);
  return copy;
}

function merge(target: ElementDefinition, diff: ElementDefinition): void {
  for (const [key, value] of Object.entries(diff)) {
    if (key === 'id' || key === 'path') continue;
    if (key === 'constraint' && Array.isArray(value)) {
      const existing = target.constraint ?? [];
      const keys = new Set(existing.map((c) => c.key));
      target.constraint = [...existing, ...clone(value).filter((c: { key: string }) => !keys.has(c.key))];
      continue;
    }
    if (key.startsWith('fixed') || key.startsWith('pattern')) {
      // one fixed[x] / pattern[x]: a new one replaces the base's of another type
      for (const k of Object.keys(target))
        if (k.startsWith(key.startsWith('fixed') ? 'fixed' : 'pattern')) delete target[k];
    }
    target[key] = clone(value);
  }
}

/** The snapshot of `sd`'s base (generated when the base has none). */
function baseSnapshot(
  sd: StructureDefinition,
  resolve: StructureResolver,
  depth: number,
): ElementDefinition[] {
  if (!sd.baseDefinition) throw new SnapshotError(`${sd.url} names no base definition`);
  const base = resolve(sd.baseDefinition);
  if (!base) throw new SnapshotError(`the base ${sd.baseDefinition} of ${sd.url} is not loaded`);
  if (base.snapshot?.element?.length) return base.snapshot.element;
  return generateElements(base, resolve, depth + 1);
}

/** The elements of a type's snapshot, for unfolding an element of that type. */
function typeSnapshot(
  element: ElementDefinition,
  resolve: StructureResolver,
  depth: number,
): ElementDefinition[] {
  const type = element.type?.[0];
  if (!type || (element.type?.length ?? 0) > 1) {
    throw new SnapshotError(`${idOf(element)} has no single type to unfold`);
  }
  const url = type.profile?.[0] ?? `${CORE_SD}${type.code}`;
  const sd = resolve(url) ?? resolve(`${CORE_SD}${type.code}`);
  if (!sd) throw new SnapshotError(`the type ${url} of ${idOf(element)} is not loaded`);
  if (sd.snapshot?.element?.length) return sd.snapshot.element;
  return generateElements(sd, resolve, depth + 1);
}

/**
 * Applies differential elements to snapshot elements (the list is changed in place and returned).
 * `resolve` gives the StructureDefinitions of types to unfold.
 */
export function applyDifferential(
  elements: ElementDefinition[],
  differential: readonly ElementDefinition[],
  resolve: StructureResolver,
  depth = 0,
): ElementDefinition[] {
  /** the elements as the base defines them, before this differential */
  const base = clone(elements);
  const indexOf = (id: string) => elements.findIndex((e) => idOf(e) === id);

  const ensure = (id: string, sliceName: string | undefined): number => {
    const found = indexOf(id);
    if (found >= 0) return found;
    const holderId = sliceName === undefined ? undefined : holderOf(id, sliceName);
    if (holderId !== undefined) {
      const holderIndex = ensure(holderId, undefined);
      const holder = elements[holderIndex] as ElementDefinition;
      let end = holderIndex + 1;
      while (end < elements.length && within(idOf(elements[end] as ElementDefinition), holderId)) end++;
      // as the HL7 snapshot generator does: the slice itself starts from the element as the base
      // defines it (the differential's constraints on the sliced element do not pass to its
      // slices), its children from the sliced element's children as constrained so far
      const root = base.find((e) => idOf(e) === holderId) ?? holder;
      const template = [root, ...elements.filter((e) => idOf(e).startsWith(`${holderId}.`))];
      const copies = template.map((e) => rebase(e, holderId, id, holder.path, holder.path));
      const first = copies[0] as ElementDefinition;
      first.sliceName = sliceName;
      delete first.slicing;
      elements.splice(end, 0, ...copies);
      return end;
    }
    const dot = id.lastIndexOf('.');
    if (dot < 0) throw new SnapshotError(`the differential element ${id} matches nothing in the base`);
    const parentId = id.slice(0, dot);
    const parentIndex = ensure(parentId, undefined);
    const parent = elements[parentIndex] as ElementDefinition;
    const hasChildren = elements.some((e) => idOf(e).startsWith(`${parentId}.`));
    if (hasChildren) throw new SnapshotError(`the differential element ${id} matches nothing in the base`);
    const typeElements = typeSnapshot(parent, resolve, depth);
    const typeRoot = typeElements[0] as ElementDefinition;
    const unfolded = typeElements
      .slice(1)
      .map((e) => rebase(e, idOf(typeRoot), parentId, typeRoot.path, parent.path));
    elements.splice(parentIndex + 1, 0, ...unfolded);
    const again = indexOf(id);
    if (again < 0) throw new SnapshotError(`the differential element ${id} matches nothing in the base`);
    return again;
  };

  /**
   * A choice element named by one of its types (`Observation.valueQuantity`), as R4 allows for a
   * choice constrained to that type: the choice element (`Observation.value[x]`) it stands for.
   */
  const choiceNamed = (id: string): string => {
    if (indexOf(id) >= 0) return id;
    const dot = id.lastIndexOf('.');
    const segment = id.slice(dot + 1);
    if (dot < 0 || segment.includes(':')) return id;
    const choice = elements.find((e) => {
      const own = idOf(e);
      if (!own.endsWith('[x]') || own.lastIndexOf('.') !== dot || !own.startsWith(id.slice(0, dot + 1)))
        return false;
      const stem = own.slice(dot + 1, -3);
      return (
        segment.length > stem.length &&
        segment.startsWith(stem) &&
        /[A-Z]/.test(segment[stem.length] as string)
      );
    });
    return choice ? idOf(choice) : id;
  };

  for (const diff of differential) {
    const id = choiceNamed(diff.id ?? diff.path);
    const index = ensure(id, diff.sliceName);
    merge(elements[index] as ElementDefinition, diff);
  }
  return elements;
}

function generateElements(
  sd: StructureDefinition,
  resolve: StructureResolver,
  depth: number,
): ElementDefinition[] {
  if (depth > MAX_DEPTH) throw new SnapshotError(`${sd.url}: its chain of base definitions is too deep`);
  const elements = clone(baseSnapshot(sd, resolve, depth));
  return applyDifferential(elements, sd.differential?.element ?? [], resolve, depth);
}

/** A copy of `sd` with a snapshot made from its differential. Throws {@link SnapshotError}. */
export function generateSnapshot(sd: StructureDefinition, resolve: StructureResolver): StructureDefinition {
  return { ...sd, snapshot: { element: generateElements(sd, resolve, 0) } };
}
