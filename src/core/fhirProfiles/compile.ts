/**
 * A profile's snapshot as a tree the checker walks: each element with its children (by path) and
 * its slices (by slice name, re-slices under their slice), cardinality as numbers, the
 * profile's fixed and pattern values, and the type codes it allows.
 *
 * Element ids carry the slice names (`Patient.identifier:mrn.system`), so the tree is built from
 * ids; an element without an id (older packages) gets one from its path and the slice names above.
 */
import type { ElementDefinition, Slicing, StructureDefinition } from './types.ts';

/** One element of a compiled profile. */
export interface ElementNode {
  def: ElementDefinition;
  /** the element id, slice names included: what messages name */
  id: string;
  path: string;
  /** the last path segment: a JSON name, or `value[x]` for a choice */
  name: string;
  /** `name` without its `[x]`: how locations name the element (`Observation.value`), made once */
  locationName: string;
  sliceName?: string;
  min: number;
  /** Infinity for `*` */
  max: number;
  baseMin: number;
  baseMax: number;
  types: string[];
  /** fixed[x] value (exact match) */
  fixed?: unknown;
  /** pattern[x] value (the instance must contain it) */
  pattern?: unknown;
  slicing?: Slicing;
  children: ElementNode[];
  slices: ElementNode[];
}

/** A profile ready to check instances against. */
export interface CompiledProfile {
  sd: StructureDefinition;
  /** how messages name the profile: its id (`Patient-uv-ips`), else its name */
  label: string;
  root: ElementNode;
}

function parseMax(max: string | undefined): number {
  if (max === undefined || max === '*') return Number.POSITIVE_INFINITY;
  const n = Number.parseInt(max, 10);
  return Number.isFinite(n) ? n : Number.POSITIVE_INFINITY;
}

function valueWithPrefix(def: ElementDefinition, prefix: string): unknown {
  for (const key in def) {
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key[prefix.length] as string))
      return def[key];
  }
  return undefined;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function makeNode(def: ElementDefinition, id: string): ElementNode {
  const node: ElementNode = {
    def,
    id,
    path: def.path,
    name: lastSegment(def.path),
    locationName: lastSegment(def.path).replace('[x]', ''),
    min: def.min ?? 0,
    max: parseMax(def.max),
    baseMin: def.base?.min ?? def.min ?? 0,
    baseMax: parseMax(def.base?.max ?? def.max),
    types: (def.type ?? []).map((t) => t.code),
    children: [],
    slices: [],
  };
  if (def.sliceName !== undefined) node.sliceName = def.sliceName;
  if (def.slicing) node.slicing = def.slicing;
  const fixed = valueWithPrefix(def, 'fixed');
  if (fixed !== undefined) node.fixed = fixed;
  const pattern = valueWithPrefix(def, 'pattern');
  if (pattern !== undefined) node.pattern = pattern;
  return node;
}

/** The id an element has, or would have: its path with the slice names of its ancestors. */
function elementId(def: ElementDefinition, parentIds: Map<string, string>): string {
  if (def.id) return def.id;
  const parentPath = def.path.slice(0, def.path.lastIndexOf('.'));
  const parentId = parentIds.get(parentPath) ?? parentPath;
  const own = lastSegment(def.path);
  return def.path.includes('.') ? `${parentId}.${own}${def.sliceName ? `:${def.sliceName}` : ''}` : def.path;
}

/** Thrown when a StructureDefinition has no snapshot to compile (generate one first). */
class NoSnapshotError extends Error {
  override name = 'NoSnapshotError';
  constructor(readonly url: string) {
    super(`${url} has no snapshot`);
  }
}

/** Compiles a StructureDefinition's snapshot. */
export function compileProfile(sd: StructureDefinition): CompiledProfile {
  const elements = sd.snapshot?.element;
  if (!elements || elements.length === 0) throw new NoSnapshotError(sd.url);
  const byId = new Map<string, ElementNode>();
  /** latest id seen per path, for elements without ids */
  const lastIdOfPath = new Map<string, string>();
  let root: ElementNode | undefined;
  for (const def of elements) {
    const id = elementId(def, lastIdOfPath);
    lastIdOfPath.set(def.path, id);
    const node = makeNode(def, id);
    byId.set(id, node);
    if (!root) {
      root = node;
      continue;
    }
    const holderId = def.sliceName === undefined ? undefined : sliceHolderId(id, def.sliceName);
    const holder = holderId === undefined ? undefined : byId.get(holderId);
    if (holder) {
      holder.slices.push(node);
      continue;
    }
    const parent = byId.get(id.slice(0, id.lastIndexOf('.')));
    (parent ?? root).children.push(node);
  }
  return { sd, label: sd.id ?? sd.name ?? sd.url, root: root as ElementNode };
}

/**
 * The id of the element a slice slices: `a.b` for the slice `a.b:s`, `a.b:s` for the re-slice
 * `a.b:s/t`; undefined when the id does not end with the slice name (not a slice entry itself).
 */
function sliceHolderId(id: string, sliceName: string): string | undefined {
  const slash = sliceName.lastIndexOf('/');
  const suffix = slash < 0 ? `:${sliceName}` : `/${sliceName.slice(slash + 1)}`;
  return id.endsWith(suffix) ? id.slice(0, id.length - suffix.length) : undefined;
}
