/**
 * A profile's slicing tells values apart by its discriminators, each a path from the sliced
 * element. A path the sliced element's type lacks (`type` on an extension, whose elements are
 * `url` and `value[x]`) tells nothing apart: every value then matches every slice or none, and the
 * HL7 Java validator errs on such a profile. Judged on R4's own types (the digest), from the
 * element's own type when the differential gives one, else from its path in the profile's type.
 *
 * Constraints: only paths of plain element names are judged, and only as far as a type is known:
 * a function (`resolve()`, `extension('…')`, `ofType(…)`), a choice (`value[x]`) or a nested
 * resource ends the judgement there, which passes (the check can miss, never misfire); so does a
 * logical model or a type R4 lacks.
 */
import type { FhirDigest, TypeDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';
import { isObject, type Json } from './jsonObjects.ts';
import { childType, typeAtPath } from './typePaths.ts';

const RULE = 'fhir-definition-discriminator';

/**
 * Whether a discriminator path names elements `owner` has: true, false, or undefined when it
 * cannot be told here (see the constraints above).
 */
export function discriminatorPathValid(
  digest: FhirDigest,
  owner: TypeDigest,
  path: string,
): boolean | undefined {
  let current: TypeDigest | undefined = owner;
  for (const segment of path.split('.')) {
    if (segment === '$this') continue;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(segment)) return undefined;
    if (!current) return undefined;
    const next = childType(digest, current, segment);
    if (next === null) return false;
    current = next;
  }
  return true;
}

/** The sliced element's type: its own in the differential when it names one R4 type, else its path's. */
function slicedType(digest: FhirDigest, element: Json, path: string): TypeDigest | undefined {
  const types = Array.isArray(element.type) ? element.type.filter(isObject) : [];
  if (types.length === 1 && typeof types[0]?.code === 'string') return digest.types[types[0].code];
  if (types.length > 1) return undefined;
  return typeAtPath(digest, path);
}

/** The discriminators of a profile's differential: each path names elements of its sliced element. */
export function checkDiscriminatorPaths(sd: Json, at: string, sink: IssueSink, digest: FhirDigest): void {
  if (sd.derivation !== 'constraint' || typeof sd.type !== 'string' || !digest.types[sd.type]) return;
  const elements = isObject(sd.differential) ? sd.differential.element : undefined;
  if (!Array.isArray(elements)) return;
  elements.forEach((element: unknown, i) => {
    if (!isObject(element) || typeof element.path !== 'string' || !isObject(element.slicing)) return;
    const discriminators = element.slicing.discriminator;
    if (!Array.isArray(discriminators)) return;
    const owner = slicedType(digest, element, element.path);
    if (!owner) return;
    discriminators.forEach((d: unknown, j) => {
      if (!isObject(d) || typeof d.path !== 'string') return;
      if (discriminatorPathValid(digest, owner, d.path) !== false) return;
      sink.report(
        RULE,
        `${at}.differential.element[${i}].slicing.discriminator[${j}].path`,
        `The discriminator path is not an element of ${element.path} (of its type), so it tells no value apart: name an element the sliced values have`,
        d.path,
      );
    });
  });
}
