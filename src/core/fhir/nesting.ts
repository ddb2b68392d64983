/**
 * The nesting limit of one FHIR JSON value. The structure layer (ajv), the typed walk, FHIRPath
 * and the resource view are recursive, so a resource nested thousands of levels deep (an
 * extension inside an extension, 5,000 times) would exhaust the call stack and stop a whole run.
 * Such a resource is refused before any layer sees it, with one fatal issue that says where the
 * runaway branch starts; the other resources of the run are checked as usual.
 *
 * The check is iterative (an explicit stack), so it cannot overflow itself, and it looks only at
 * objects and lists, so a resource of ordinary depth costs one pass over its containers.
 */
import { type FhirIssue, fhirIssue } from './issues.ts';

/**
 * Deepest nesting of objects and lists accepted in one value: the resource's own object is
 * level 1. Real resources stay far below it (a Questionnaire with items ten levels deep is about
 * 25). Jackson, the JSON parser of Java FHIR servers, refuses more than 1,000 levels by default;
 * half of that leaves stack to spare for every recursive layer in every browser's worker.
 */
export const MAX_JSON_NESTING = 500;

/**
 * Whether `value` nests objects and lists more than `max` levels deep. Cheap: one pass over the
 * containers, no strings built.
 */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    if (Array.isArray(node)) {
      for (const item of node) {
        if (item !== null && typeof item === 'object') {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in node) {
        const item = (node as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** One step of the path to a node: its key or list position, and the step before it. */
interface Step {
  node: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Step | undefined;
}

/**
 * The location where the branch that nests deeper than `max` starts, as a FHIRPath-style location
 * under `root`: the element of the innermost resource on the way (`Patient.extension[0]`,
 * `Bundle.entry[3].resource.contained[0].extension[1]`), not the thousands of steps below it.
 * Undefined when `value` is not that deep.
 */
export function tooDeepLocation(value: unknown, root: string, max = MAX_JSON_NESTING): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Step[] = [{ node: value, depth: 1, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if (step.depth > max) return locationOf(step, root);
    const { node } = step;
    if (node === null || typeof node !== 'object') continue;
    // pushed in reverse, so the first branch of a node is explored first
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string | number;
      const item = (node as Record<string | number, unknown>)[key];
      if (item !== null && typeof item === 'object')
        stack.push({ node: item, depth: step.depth + 1, key, parent: step });
    }
  }
  return undefined;
}

/** The location of the element, under the innermost resource on the way to `deep`, that holds it. */
function locationOf(deep: Step, root: string): string {
  const path: Step[] = [];
  for (let step: Step | undefined = deep; step?.parent; step = step.parent) path.unshift(step);
  // the last step that enters a nested resource (an object with a resourceType), if any
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const node = (path[i] as Step).node;
    if (!Array.isArray(node) && typeof (node as Record<string, unknown>).resourceType === 'string')
      start = i + 1;
  }
  let location = root;
  for (let i = 0; i < path.length; i++) {
    const { key } = path[i] as Step;
    location += typeof key === 'number' ? `[${key}]` : `.${key}`;
    // stop after the element's name below the innermost resource, and its list position if any
    if (i >= start && typeof key === 'string') {
      const next = path[i + 1];
      if (next && typeof next.key === 'number') location += `[${next.key}]`;
      return location;
    }
  }
  return location;
}

/** The one issue of a resource that nests too deep to be checked, located at {@link tooDeepLocation}. */
export function tooDeepIssue(location: string, max = MAX_JSON_NESTING): FhirIssue {
  return fhirIssue(
    'fhir-too-deep',
    location,
    `Objects and lists here are nested more than ${max.toLocaleString('en-US')} levels deep, which no FHIR resource needs (often an extension or item that holds itself again and again), so this resource was not checked further. Correct how the export builds this element, then validate again`,
  );
}
