/**
 * R4's types walked by element path, over the digest: the one reading of what a path's segments
 * name that the checks of a profile's paths share (its differential's paths, its discriminators),
 * so the elements every element has, a choice, a primitive's `value` and a nested resource are
 * read alike by both.
 *
 * Constraint: what cannot be told offline stays undefined (a nested resource's type depends on
 * the data, a choice's on the type a profile constrains it to); a caller passes it, never misfires.
 */
import type { FhirDigest, TypeDigest } from './digest.ts';

/** Elements every element has (Element), and every backbone element (BackboneElement). */
export const ELEMENT_CHILDREN: ReadonlySet<string> = new Set(['id', 'extension', 'modifierExtension']);

/**
 * The type of the element `name` of `owner`: null when `owner` has no such element, undefined when
 * its type cannot be told here (a nested resource, a choice named by its stem, a primitive's
 * `value`). An element every element has is read as Element reads it (`id` a string, the
 * extensions Extension).
 */
export function childType(
  digest: FhirDigest,
  owner: TypeDigest,
  name: string,
): TypeDigest | null | undefined {
  const element = owner.elements[name];
  if (element) return element.type === 'Resource' ? undefined : digest.types[element.type];
  // a choice named by its stem (FHIRPath's `value` on an extension): its type is the value's
  if (Object.values(owner.elements).some((e) => e.choice === name)) return undefined;
  if (owner.kind === 'primitive' && name === 'value') return undefined;
  if (ELEMENT_CHILDREN.has(name)) return name === 'id' ? digest.types.string : digest.types.Extension;
  return null;
}

/** Whether `owner` has a choice element named `stem[x]`. */
export function hasChoice(owner: TypeDigest, stem: string): boolean {
  return Object.values(owner.elements).some((e) => e.choice === stem);
}

/** The R4 type at an element path (`AuditEvent.agent.extension` → Extension); undefined if not told. */
export function typeAtPath(digest: FhirDigest, path: string): TypeDigest | undefined {
  const [root, ...segments] = path.split('.');
  let owner: TypeDigest | undefined = digest.types[root as string];
  for (const segment of segments) {
    if (!owner || segment.endsWith('[x]')) return undefined;
    owner = childType(digest, owner, segment) ?? undefined;
  }
  return owner;
}
