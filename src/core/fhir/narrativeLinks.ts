/**
 * Links inside a narrative (`<a href="#name">`) point at something the resource defines, as the
 * HL7 Java validator checks them: an element's or a resource's `id` anywhere in the resource, or
 * an anchor in one of its narratives (an XHTML `id` attribute, or `<a name="…">`); and a resource
 * present as `Type_id` (`#Practitioner_p1`), the anchor the FHIR IG publisher renders for each
 * resource of a Bundle or a contained one, which published examples link to. A link that
 * nothing answers leads a reader nowhere; generated narratives that name anchors their contained
 * resources never got are the usual cause. The narratives read are the resource's own, its
 * contained resources' and, in a Bundle, its entries' (and theirs): a link in a Bundle may point
 * anywhere in the Bundle, one elsewhere anywhere in its top-level resource, which is as wide as
 * the Java validator looks or wider, so the check can miss, never misfire.
 *
 * Cost: only narratives are scanned for links, and the resource is walked for its ids only when one
 * holds a link to a fragment (most narratives hold none).
 */

/** A link in a narrative to a fragment of the same document: the fragment's name. */
const FRAGMENT_LINK = /<a\s[^>]*?\bhref\s*=\s*(["'])#([^"']+)\1/g;
/** An anchor a fragment link can name: an `id` attribute, or a `name` one on an `<a>`. */
const ANCHOR = /<(?:[A-Za-z][A-Za-z0-9]*\s[^>]*?\bid|a\s[^>]*?\bname)\s*=\s*(["'])([^"']*)\1/g;

/** A narrative link that nothing in the resource answers. */
export interface UnresolvedLink {
  /** where the narrative is (`Bundle.entry[1].resource.text.div`) */
  location: string;
  /** the fragment the link names, without its `#` */
  fragment: string;
}

import { isObject, type Json } from './jsonObjects.ts';

/**
 * The narratives of a resource, its contained resources and a Bundle's entries, with where each is;
 * and each of those resources' `Type_id` anchor name.
 */
function narrativesOf(
  resource: Json,
  at: string,
  into: { div: string; location: string }[],
  names: string[],
): void {
  if (typeof resource.resourceType === 'string' && typeof resource.id === 'string')
    names.push(`${resource.resourceType}_${resource.id}`);
  const text = resource.text;
  if (isObject(text) && typeof text.div === 'string')
    into.push({ div: text.div, location: `${at}.text.div` });
  if (Array.isArray(resource.contained))
    resource.contained.forEach((c, i) => {
      if (isObject(c)) narrativesOf(c, `${at}.contained[${i}]`, into, names);
    });
  if (resource.resourceType === 'Bundle' && Array.isArray(resource.entry))
    resource.entry.forEach((e, i) => {
      if (isObject(e) && isObject(e.resource))
        narrativesOf(e.resource, `${at}.entry[${i}].resource`, into, names);
    });
}

/** Every `id` value anywhere below `value` (elements' and resources' alike). */
function collectIds(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into);
    return;
  }
  if (!isObject(value)) return;
  for (const key in value) {
    const child = value[key];
    if (key === 'id' && typeof child === 'string') into.add(child);
    else if (typeof child === 'object' && child !== null) collectIds(child, into);
  }
}

/** The narrative links of a top-level resource (a Bundle's entries included) that nothing answers. */
export function unresolvedNarrativeLinks(resource: Json, at: string): UnresolvedLink[] {
  const narratives: { div: string; location: string }[] = [];
  const names: string[] = [];
  narrativesOf(resource, at, narratives, names);
  const linking = narratives.filter((n) => n.div.includes('#'));
  if (linking.length === 0) return [];
  let targets: Set<string> | undefined;
  const out: UnresolvedLink[] = [];
  for (const { div, location } of linking) {
    for (const link of div.matchAll(FRAGMENT_LINK)) {
      const fragment = link[2] as string;
      if (!targets) {
        targets = new Set<string>(names);
        collectIds(resource, targets);
        for (const n of narratives)
          for (const anchor of n.div.matchAll(ANCHOR)) targets.add(anchor[2] as string);
      }
      if (!targets.has(fragment)) out.push({ location, fragment });
    }
  }
  return out;
}
