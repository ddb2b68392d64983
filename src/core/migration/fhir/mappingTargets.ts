/**
 * The target paths of an R4 resource type, for the mapping editor's target list and its
 * "required fields left empty", read from the build-time FHIR digest (src/core/migration/fhir/
 * digest.ts). The editor loads the digest lazily, so the main bundle does not grow with it;
 * validating mapped records against the FHIR layers is the validation engine's job, not this.
 *
 * Paths are written as a mapping writes them: a repeating element gets position `[0]`
 * (`name[0].given[0]`), which the user changes for a second item. Extensions, contained
 * resources and nested resources are left out (a mapping from a CSV does not fill them), and the
 * walk stops at {@link MAX_FHIR_DEPTH} levels and {@link MAX_FHIR_FIELDS} paths.
 */

import type { TargetField } from '../mapping/targetSchema.ts';
import type { FhirDigest } from './digest.ts';

/** Levels of nested datatypes listed (Patient → contact → name → given). */
export const MAX_FHIR_DEPTH = 3;
/** Paths listed at most for one resource type. */
export const MAX_FHIR_FIELDS = 1500;

const SKIPPED = new Set(['extension', 'modifierExtension', 'contained']);

/** The element paths of `resourceType` (empty when the digest does not know it). */
export function listFhirTargetFields(digest: FhirDigest, resourceType: string): TargetField[] {
  const fields: TargetField[] = [];
  const root = digest.types[resourceType];
  if (root?.kind !== 'resource') return fields;
  const visit = (typeName: string, path: string, depth: number) => {
    const type = digest.types[typeName];
    if (!type || depth >= MAX_FHIR_DEPTH) return;
    const required = new Set(type.required.flatMap((r) => (r.names.length === 1 ? r.names : [])));
    for (const [name, element] of Object.entries(type.elements)) {
      if (fields.length >= MAX_FHIR_FIELDS) return;
      if (SKIPPED.has(name) || element.type === 'Resource') continue;
      if (depth > 0 && name === 'id') continue;
      const here = `${path === '' ? '' : `${path}.`}${name}${element.max === undefined || element.max === 1 ? '' : '[0]'}`;
      fields.push({ path: here, required: required.has(name), type: element.type });
      const child = digest.types[element.type];
      if (child && child.kind !== 'primitive') visit(element.type, here, depth + 1);
    }
  };
  visit(resourceType, '', 0);
  return fields;
}

/**
 * The resource's required elements (minimum ≥ 1) that no mapping target fills: a choice group
 * (`medication[x]`) is filled by any of its names. Returned as the path to add (the first name).
 */
export function unmappedFhirRequired(
  digest: FhirDigest,
  resourceType: string,
  targets: readonly string[],
): string[] {
  const type = digest.types[resourceType];
  if (!type) return [];
  const filled = new Set(targets.map((t) => /^[^.[]+/.exec(t)?.[0] ?? t));
  return type.required
    .filter((r) => r.min > 0 && !r.names.some((n) => filled.has(n)))
    .map((r) => {
      const name = r.names[0] as string;
      const element = type.elements[name];
      return element?.max === undefined || element.max === 1 ? name : `${name}[0]`;
    });
}
