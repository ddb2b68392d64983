/**
 * A profile (a StructureDefinition that constrains an R4 type) names, in each element of its
 * differential, an element its type has: a path the type lacks (`Observation.valueBla`) or one that
 * disagrees with the element's id constrains nothing, so the profile silently checks less than its
 * author meant, and the HL7 snapshot generator refuses it. Judged on R4's own types (the digest),
 * whatever the profile's base: a profile's paths are its type's paths.
 *
 * Constraints: an element after a choice (`value[x].code`) or inside a nested resource is not
 * judged (its type depends on the constraint); neither is a logical model or a type R4 lacks.
 */
import type { FhirDigest, TypeDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';
import { childType, hasChoice } from './typePaths.ts';

const RULE = 'fhir-definition-path';

/**
 * Whether `path` names an element of R4's types: true, false, or undefined when it cannot be told
 * here (see the constraints above).
 */
export function pathInTypes(digest: FhirDigest, path: string): boolean | undefined {
  const [root, ...segments] = path.split('.');
  let owner: TypeDigest | undefined = digest.types[root as string];
  if (!owner) return undefined;
  for (const [i, segment] of segments.entries()) {
    if (!owner) return undefined;
    if (segment.endsWith('[x]')) {
      if (!hasChoice(owner, segment.slice(0, -3))) return false;
      // what follows a choice depends on the type the profile constrains it to
      return i === segments.length - 1 ? true : undefined;
    }
    const element = owner.elements[segment];
    if (element?.type === 'Resource') return undefined;
    // a choice named by its stem without [x] is not a path of the differential
    if (!element && hasChoice(owner, segment)) return false;
    const next = childType(digest, owner, segment);
    if (next === null) return false;
    // a primitive's value is not an element of the digest
    if (next === undefined && !element) return undefined;
    owner = next;
  }
  return true;
}

/** An element id without its slice names (`Observation.component:systolic.code` → `Observation.component.code`). */
const idPath = (id: string) => id.replace(/:[^.]*/g, '');

/** The differential of a profile of an R4 type: each element's path is its type's, and its id's. */
export function checkDifferentialPaths(
  sd: Record<string, unknown>,
  at: string,
  sink: IssueSink,
  digest: FhirDigest,
): void {
  if (sd.derivation !== 'constraint' || typeof sd.type !== 'string' || !digest.types[sd.type]) return;
  const differential = sd.differential;
  if (typeof differential !== 'object' || differential === null) return;
  const elements = (differential as Record<string, unknown>).element;
  if (!Array.isArray(elements)) return;
  elements.forEach((element: unknown, i) => {
    if (typeof element !== 'object' || element === null) return;
    const { path, id } = element as Record<string, unknown>;
    if (typeof path !== 'string') return;
    const where = `${at}.differential.element[${i}]`;
    if (path !== sd.type && !path.startsWith(`${sd.type}.`))
      sink.report(
        RULE,
        `${where}.path`,
        `The element's path ${path} is not within the profile's type ${sd.type}: it constrains nothing`,
        path,
      );
    else if (pathInTypes(digest, path) === false)
      sink.report(
        RULE,
        `${where}.path`,
        `${sd.type} has no element ${path}: the profile constrains nothing there (a choice is named with [x], or by one of its types)`,
        path,
      );
    else if (
      typeof id === 'string' &&
      id.includes('.') &&
      idPath(id) !== path &&
      !choiceRenamed(idPath(id), path)
    )
      sink.report(
        RULE,
        `${where}.id`,
        `The element's id ${id} names another element than its path ${path}: the id is the path with slice names`,
        id,
      );
  });
}

/** Whether an id and a path differ only as a choice named by `[x]` and by one of its types. */
function choiceRenamed(a: string, b: string): boolean {
  const [choice, typed] = a.includes('[x]') ? [a, b] : [b, a];
  const at = choice.indexOf('[x]');
  if (at < 0 || choice.slice(0, at) !== typed.slice(0, at)) return false;
  const rest = choice.slice(at + 3);
  const typedRest = typed.slice(at);
  const end = rest === '' ? typedRest.length : typedRest.indexOf(rest);
  return end > 0 && /^[A-Z]/.test(typedRest) && typedRest.slice(end) === rest;
}
