/**
 * dom-3: "If the resource is contained in another resource, it SHALL be referred to from elsewhere
 * in the resource or SHALL refer to the containing resource", checked in code as the HL7 Java
 * validator checks it rather than by its FHIRPath, which asks every element of the resource for
 * each contained one.
 *
 * One pass over the container collects every `#id` it holds: a Reference's `reference`, and the
 * canonical, uri and url values the FHIRPath also reads (any string that starts with `#`: a text
 * that happens to is read as a reference too, so the check can miss, never misfire). A link from
 * the narrative (`href="#id"`, `src="#id"`) counts as well: R5 says so of dom-3, and R4 resources
 * that point to a contained resource only from their text are common and not wrong. A contained
 * resource that refers to its container (`#`) needs no reference. One without an id cannot be
 * referred to and is left to the rules on ids.
 */

/** dom-3 in the specification's words. */
export const DOM_3_TEXT =
  'If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource';

/** A narrative link to a fragment: the id it names. */
const NARRATIVE_LINK = /\b(?:href|src)\s*=\s*["']#([^"']+)["']/g;

function collect(value: unknown, key: string, into: Set<string>): void {
  if (typeof value === 'string') {
    if (key === 'div') for (const m of value.matchAll(NARRATIVE_LINK)) into.add(`#${m[1]}`);
    else if (value.startsWith('#')) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, key, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) collect(v, k, into);
  }
}

/** Whether a contained resource refers to its container (a reference that is `#` alone). */
function refersToContainer(value: unknown): boolean {
  if (value === '#') return true;
  if (Array.isArray(value)) return value.some(refersToContainer);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(refersToContainer);
  return false;
}

/** The indexes in `contained` of the resources nothing refers to and that refer to nothing (dom-3). */
export function orphanContained(resource: Record<string, unknown>): { index: number; id: string }[] {
  const contained = resource.contained;
  if (!Array.isArray(contained) || contained.length === 0) return [];
  const referred = new Set<string>();
  collect(resource, '', referred);
  const orphans: { index: number; id: string }[] = [];
  contained.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) return;
    const id = (item as Record<string, unknown>).id;
    if (typeof id !== 'string' || id === '') return;
    if (referred.has(`#${id}`) || refersToContainer(item)) return;
    orphans.push({ index, id });
  });
  return orphans;
}
