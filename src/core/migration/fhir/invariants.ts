/**
 * The invariants layer: the error-severity FHIRPath invariants of the base specification
 * (from the digest), evaluated with FHIRPath.js on the resource and on the elements the typed
 * walk found at each invariant's path — never with `descendants()`, which costs 400–1.2k
 * resources/s (fhir-notes.md). Datatype invariants that the walk evaluates natively (per-1) are
 * not here.
 *
 * Semantics are the Java validator's: an invariant holds only when its result is `true`; an
 * empty result fails. An expression FHIRPath.js cannot compile or evaluate is skipped, never
 * reported: a broken tool must not accuse the data.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { FhirDigest, InvariantDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';
import type { InvariantChecker } from './validator.ts';
import type { InvariantNode } from './walk.ts';

type Compiled = (resource: unknown, env?: Record<string, unknown>) => unknown[];

interface Prepared {
  invariant: InvariantDigest;
  /** undefined when FHIRPath.js could not compile it */
  run?: Compiled;
  /** the element it needs present to mean anything ("contained" for dom-2): skipped when absent */
  needs?: string;
}

/** The first element an expression navigates, when it only looks below that element. */
function leadingElement(expression: string): string | undefined {
  const match = /^([a-z][A-Za-z0-9]*)\.[a-zA-Z]/.exec(expression);
  return match && /^contained\./.test(expression) ? match[1] : undefined;
}

/** Creates the FHIRPath invariant checker over a digest (expressions compiled on first use). */
export function createInvariantChecker(digest: FhirDigest): InvariantChecker {
  const byType = new Map<string, Map<string, Prepared[]>>();
  const prepare = (resourceType: string): Map<string, Prepared[]> => {
    let byPath = byType.get(resourceType);
    if (byPath) return byPath;
    byPath = new Map();
    for (const invariant of digest.invariants[resourceType] ?? []) {
      const prepared: Prepared = { invariant };
      try {
        prepared.run = fhirpath.compile(
          { base: invariant.path, expression: invariant.expression },
          r4,
          // trace() would print resource content to the console (STYLE.md 7): swallow it
          { traceFn: () => {} },
        ) as unknown as Compiled;
      } catch {
        // left unchecked (see the header)
      }
      const needs = leadingElement(invariant.expression);
      if (needs) prepared.needs = needs;
      byPath.set(invariant.path, [...(byPath.get(invariant.path) ?? []), prepared]);
    }
    byType.set(resourceType, byPath);
    return byPath;
  };
  const pathSets = new Map<string, ReadonlySet<string> | undefined>();

  const evaluate = (
    prepared: Prepared,
    node: Record<string, unknown>,
    resource: Record<string, unknown>,
    location: string,
    sink: IssueSink,
  ) => {
    const { run, invariant, needs } = prepared;
    if (!run || (needs && node[needs] === undefined)) return;
    let result: unknown[];
    try {
      result = run(node, { resource, rootResource: resource });
    } catch {
      return;
    }
    if (result.length === 1 && result[0] === true) return;
    sink.report(
      'fhir-invariant',
      location,
      `${invariant.key}: ${invariant.human}`,
      undefined,
      `invariant|${invariant.key}|${location}`,
    );
  };

  return {
    paths(resourceType) {
      if (!pathSets.has(resourceType)) {
        const paths = [...prepare(resourceType).keys()].filter((p) => p !== resourceType);
        pathSets.set(resourceType, paths.length > 0 ? new Set(paths) : undefined);
      }
      return pathSets.get(resourceType);
    },
    check(resource, resourceType, location, nodes: readonly InvariantNode[], sink) {
      const byPath = prepare(resourceType);
      for (const prepared of byPath.get(resourceType) ?? [])
        evaluate(prepared, resource, resource, location, sink);
      for (const found of nodes) {
        for (const prepared of byPath.get(found.path) ?? [])
          evaluate(prepared, found.node, resource, found.location, sink);
      }
    },
  };
}
