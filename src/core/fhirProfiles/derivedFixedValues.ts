/**
 * A profile validated as a resource, against the profile it derives from: an element its base
 * fixes to one value (`fixed[x]`) cannot be fixed to another in the derived profile, as no value
 * then meets both — a derived extension that fixes its own `url` where its base fixed the base's
 * can never be used. The HL7 Java validator reports it as a value that differs from the fixed one.
 *
 * Constraints: the base is judged when a loaded package defines it (or the R4 base built in holds
 * it), with its snapshot generated when it ships none; a profile whose base cannot be had or
 * unfolded is not judged, and says so once (information, naming `baseDefinition`) when its
 * differential fixes a value, the only case where there was something to compare.
 */
import type { IssueSink } from '../fhir/index.ts';
import type { ProfileRegistry } from './registry.ts';
import { generateSnapshot, SnapshotError } from './snapshot.ts';
import type { ElementDefinition, StructureDefinition } from './types.ts';

/** The `fixed[x]` key of an element definition and its value, if it has one. */
function fixedOf(element: Record<string, unknown>): [string, unknown] | undefined {
  for (const key in element) if (key.startsWith('fixed') && key.length > 5) return [key, element[key]];
  return undefined;
}

/** Compares JSON values by content (key order aside). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The snapshot elements of `canonical` by id, or undefined when it cannot be had. */
function baseElements(
  registry: ProfileRegistry,
  canonical: string,
): Map<string, ElementDefinition> | undefined {
  let sd: StructureDefinition | undefined = registry.snapshotBase(canonical);
  if (!sd) return undefined;
  try {
    if (!sd.snapshot?.element?.length) sd = generateSnapshot(sd, registry.snapshotBase);
  } catch (error) {
    if (error instanceof SnapshotError) return undefined;
    throw error;
  }
  return new Map((sd.snapshot?.element ?? []).map((e) => [e.id ?? e.path, e]));
}

/**
 * Makes the check of a StructureDefinition resource's differential fixed values against its base's
 * snapshot; the bases' snapshots are kept for the checker's life.
 */
export function derivedFixedValuesCheck(
  registry: ProfileRegistry,
): (sd: Record<string, unknown>, location: string, sink: IssueSink) => void {
  const bases = new Map<string, Map<string, ElementDefinition> | undefined>();
  return (sd, location, sink) => {
    if (sd.derivation !== 'constraint' || typeof sd.baseDefinition !== 'string') return;
    const elements = (sd.differential as { element?: unknown } | undefined)?.element;
    if (!Array.isArray(elements)) return;
    const baseUrl = sd.baseDefinition;
    if (!bases.has(baseUrl)) bases.set(baseUrl, baseElements(registry, baseUrl));
    const base = bases.get(baseUrl);
    if (!base) {
      const fixesAValue = elements.some(
        (e) => typeof e === 'object' && e !== null && fixedOf(e) !== undefined,
      );
      if (fixesAValue)
        sink.report(
          'fhir-profile-not-checked',
          `${location}.baseDefinition`,
          `The values this profile fixes are not checked against its base ${baseUrl}, which is not in the loaded packages or could not be unfolded: load the package that defines the base to check them`,
          baseUrl,
        );
      return;
    }
    elements.forEach((element: unknown, i) => {
      if (typeof element !== 'object' || element === null) return;
      const own = element as Record<string, unknown>;
      const fixed = fixedOf(own);
      const id = typeof own.id === 'string' ? own.id : own.path;
      if (!fixed || typeof id !== 'string') return;
      const inherited = base.get(id);
      const baseFixed = inherited ? fixedOf(inherited as Record<string, unknown>) : undefined;
      if (!baseFixed || sameJson(fixed[1], baseFixed[1])) return;
      sink.report(
        'fhir-profile-value',
        `${location}.differential.element[${i}].${fixed[0]}`,
        `The profile fixes ${id} to another value than its base ${baseUrl} fixes it to, so no value can meet both: keep the base's value, or derive from a profile that does not fix it`,
        typeof fixed[1] === 'string' ? fixed[1] : undefined,
      );
    });
  };
}
