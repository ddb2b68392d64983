/**
 * The invariants layer: the error-severity FHIRPath invariants of the base specification (from the
 * digest), evaluated with FHIRPath.js on the resource and on the elements the typed walk found at
 * each invariant's path (a datatype's, such as qty-3, on every element of that type) — never with `descendants()`, which is slow (a few hundred to a thousand
 * resources/s, tests/bench/RESULTS.md). Invariants a layer checks natively (per-1 in the walk,
 * nativeInvariants.ts) are not here.
 *
 * Semantics are the Java validator's: an invariant holds only when its result is `true`; an
 * empty result fails. An expression FHIRPath.js cannot compile or evaluate is skipped, never
 * reported: a broken tool must not accuse the data. Expressions of the simple kind (con-5's
 * `coding.where(…).empty() or clinicalStatus.empty()`, tim-5's `period >= 0`: simpleInvariant.ts)
 * are answered on the JSON, as FHIRPath.js answers them at a small part of its cost; what that
 * reader cannot tell goes to FHIRPath.js.
 *
 * An invariant that fails where a base layer already found an error it follows from — the element
 * is an empty object, or a child the expression reads is missing though required, or is itself an
 * invalid value (que-1 on a Questionnaire item without its required `type`) — is still reported,
 * and names that error as its cause (`FhirIssue.causedBy`): reports fold it under that root cause
 * and the OperationOutcome says it follows from it, as for profile findings. An error deeper
 * inside that child (anywhere in a Bundle's entry, a contained resource) is not its cause: the
 * invariant stays a problem of its own.
 *
 * FHIRPath.js itself (fhirPathEngine.ts, 240 kB gzip) is loaded apart: most resources need none
 * of it (every invariant that could apply is certainly true, {@link trueWhenAbsent}), so a
 * session validates them while it loads, and only a resource that needs it waits
 * ({@link MissingFhirPathError}).
 */
import type { FhirDigest, InvariantDigest } from './digest.ts';
import { type FhirIssue, type IssueSink, issueKey } from './issues.ts';
import {
  compileSimpleInvariant,
  type SimpleInvariant,
  type TypeElements,
  UNKNOWN,
} from './simpleInvariant.ts';
import type { InvariantNode } from './walk.ts';

/** Evaluates the FHIRPath invariants of one resource (optional: see the header). */
export interface InvariantChecker {
  /** element paths with invariants, by resource type (the walk collects those elements) */
  paths(resourceType: string): ReadonlySet<string> | undefined;
  /** evaluates the resource-level invariants and those of the collected elements */
  check(
    resource: Record<string, unknown>,
    resourceType: string,
    location: string,
    nodes: readonly InvariantNode[],
    sink: IssueSink,
  ): void;
}

/** A compiled FHIRPath expression. */
export type CompiledFhirPath = (resource: unknown, env?: Record<string, unknown>) => unknown[];

/** Compiles FHIRPath (FHIRPath.js with the R4 model: fhirPathEngine.ts); undefined when it cannot. */
export interface FhirPathEngine {
  compile(base: string, expression: string): CompiledFhirPath | undefined;
}

/** Thrown when a resource needs FHIRPath and the engine is not loaded yet; the session loads it and retries. */
export class MissingFhirPathError extends Error {
  override name = 'MissingFhirPathError';
  constructor() {
    super('FHIRPath is not loaded yet');
  }
}

interface Prepared {
  invariant: InvariantDigest;
  /** compiled on first need; null when FHIRPath.js could not compile it */
  run?: CompiledFhirPath | null;
  /** sets of elements whose joint absence makes the expression true (see {@link trueWhenAbsent}) */
  shortcuts: Shortcut[][];
  /** elements any of which, present, makes the expression true (see {@link trueWhenPresent}) */
  present: string[];
  /** the child elements the expression reads (made when it first fails: {@link elementsRead}) */
  reads?: ReadonlySet<string>;
  /** the expression answered on the JSON (simpleInvariant.ts), made on first need; null when not of that kind */
  simple?: SimpleInvariant | null;
}

/**
 * The child elements an expression reads from its node: the names that start a path (not after a
 * `.`, `%` or `$`, outside string literals). Keywords such as `and` come along; no element has
 * their names, so they match nothing.
 */
export function elementsRead(expression: string): ReadonlySet<string> {
  const text = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const names = new Set<string>();
  for (const match of text.matchAll(/(^|[^.%$\w])([a-z][A-Za-z0-9]*)/g)) names.add(match[2] as string);
  return names;
}

/** Per sink, its base errors by place, indexed as far as `seen` (the sink only ever appends). */
interface CauseIndex {
  seen: number;
  /** `location` → the first error there; `parent` NUL `child` → the first error at that child itself */
  at: Map<string, string>;
}
const causeIndexes = new WeakMap<IssueSink, CauseIndex>();

/** `X.child` or `X.child[n]` → [X, child]; undefined for a location with no parent. */
const LAST_STEP = /^(.+)\.([A-Za-z0-9]+)(?:\[\d+\])?$/;

/**
 * The key of the error an invariant failing at `location` follows from: an error of another rule
 * at the node itself (an empty object), or exactly at a child the expression reads — the child
 * missing though required (`item[0].type`), or its own value invalid (`item[0].type[2]`);
 * undefined when there is none. Never an error deeper down: a bad `gender` inside a Bundle's
 * entry is no cause of bdl-11 reading `entry`, and fixing it would leave the invariant failing.
 * The sink's errors are indexed by their place and their parent when an invariant first fails,
 * then as they come, so a resource with many errors and many failing invariants is read once.
 */
function causeOf(sink: IssueSink, location: string, reads: ReadonlySet<string>): string | undefined {
  let index = causeIndexes.get(sink);
  if (!index) {
    index = { seen: 0, at: new Map() };
    causeIndexes.set(sink, index);
  }
  for (; index.seen < sink.issues.length; index.seen++) {
    const issue = sink.issues[index.seen] as FhirIssue;
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    if (issue.rule === 'fhir-invariant') continue;
    const key = issueKey(issue);
    const where = issue.location;
    if (!index.at.has(where)) index.at.set(where, key);
    const step = LAST_STEP.exec(where);
    if (step) {
      const atChild = `${step[1]}\u0000${step[2]}`;
      if (!index.at.has(atChild)) index.at.set(atChild, key);
    }
  }
  const here = index.at.get(location);
  if (here !== undefined) return here;
  for (const name of reads) {
    const atChild = index.at.get(`${location}\u0000${name}`);
    if (atChild !== undefined) return atChild;
  }
  return undefined;
}

/** Splits an expression at a top-level binary operator (outside parentheses and quotes). */
function splitTopLevel(expression: string, operator: 'or' | 'and' | 'implies'): string[] {
  const parts: string[] = [];
  const token = ` ${operator} `;
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === "'") quote = false;
    } else if (ch === "'") quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && expression.startsWith(token, i)) {
      parts.push(expression.slice(start, i));
      start = i + token.length;
      i += token.length - 1;
    }
  }
  parts.push(expression.slice(start));
  return parts.map((p) => p.trim());
}

/** `X.a.where(…).empty()` (one path, no top-level operator) → X; otherwise undefined. */
function emptyPathHead(part: string): string | undefined {
  let text = part;
  while (text.startsWith('(') && text.endsWith(')') && splitTopLevel(text.slice(1, -1), 'or').length === 1)
    text = text.slice(1, -1).trim();
  if (
    !text.endsWith('.empty()') ||
    splitTopLevel(text, 'or').length > 1 ||
    splitTopLevel(text, 'and').length > 1
  )
    return undefined;
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === ' ') return undefined; // an operator at the top: not one path
  }
  return /^([a-z][A-Za-z0-9]*)\b/.exec(text)?.[1];
}

/**
 * Sets of elements whose joint absence makes `expression` true, so it need not be evaluated
 * (FHIRPath evaluation is the costly part of this layer, and most resources lack those elements).
 * Only shapes whose truth is certain: a top-level disjunct `X.….empty()` (or a conjunction of
 * such, as dom-4), and `X.exists() implies …`; an empty path stays empty through any navigation
 * and `where`, and `true or …` is true in FHIRPath's three-valued logic.
 */
export function trueWhenAbsent(expression: string): string[][] {
  const shortcuts: string[][] = [];
  for (const disjunct of splitTopLevel(expression, 'or')) {
    const head = emptyPathHead(disjunct);
    if (head) {
      shortcuts.push([head]);
      continue;
    }
    const heads = splitTopLevel(disjunct, 'and').map(emptyPathHead);
    if (heads.length > 1 && heads.every((h) => h !== undefined)) shortcuts.push(heads as string[]);
  }
  const implication = splitTopLevel(expression, 'implies');
  const premise =
    implication.length === 2 ? /^([a-z][A-Za-z0-9]*)\.exists\(\)$/.exec(implication[0] as string) : null;
  if (premise?.[1]) shortcuts.push([premise[1]]);
  return shortcuts;
}

/**
 * Elements whose presence makes `expression` true: a top-level disjunct `x.exists()` (qty-3's
 * `code.empty() or system.exists()`: a coded quantity with its system, as nearly every one is).
 */
export function trueWhenPresent(expression: string): string[] {
  const names: string[] = [];
  for (const disjunct of splitTopLevel(expression, 'or')) {
    const name = /^([a-z][A-Za-z0-9]*)\.exists\(\)$/.exec(disjunct)?.[1];
    if (name) names.push(name);
  }
  return splitTopLevel(expression, 'or').length > 1 ? names : [];
}

/** Whether `node` holds a value for `name` itself (not null, not an empty list): `name.exists()` is true. */
function holds(node: Record<string, unknown>, names: readonly string[]): boolean {
  for (const name of names) {
    const value = node[name];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) return true;
  }
  return false;
}

/** An element a shortcut looks at; `choice` when it may appear as `valueQuantity` and the like. */
interface Shortcut {
  name: string;
  underscored: string;
  choice: boolean;
}

/** Whether element `name` is present in `node`: as itself, as `_name`, or as a choice (`valueQuantity`). */
function present(node: Record<string, unknown>, element: Shortcut): boolean {
  if (node[element.name] !== undefined || node[element.underscored] !== undefined) return true;
  if (!element.choice) return false;
  const { name } = element;
  for (const key in node) {
    if (key.length > name.length && key.startsWith(name)) {
      const next = key.charCodeAt(name.length);
      if (next >= 65 && next <= 90) return true; // an upper-case letter: a choice type suffix
    }
  }
  return false;
}

/** Whether some shortcut's elements are all absent from `node` (plain loops: this runs per resource). */
function certainlyTrue(shortcuts: readonly Shortcut[][], node: Record<string, unknown>): boolean {
  for (const elements of shortcuts) {
    let absent = true;
    for (const element of elements) {
      if (present(node, element)) {
        absent = false;
        break;
      }
    }
    if (absent) return true;
  }
  return false;
}

/** Creates the FHIRPath invariant checker over a digest (expressions compiled on first use). */
export function createInvariantChecker(
  digest: FhirDigest,
  engine: () => FhirPathEngine | undefined,
): InvariantChecker {
  const byType = new Map<string, Map<string, Prepared[]>>();
  // a datatype's invariants (`Quantity`, `Timing.repeat`) hold in every resource type: the walk
  // hands over each element of that type, as it does a resource's backbone elements
  const datatypeInvariants = Object.entries(digest.invariants).flatMap(([name, list]) =>
    digest.types[name]?.kind === 'complex' ? list : [],
  );
  const prepare = (resourceType: string): Map<string, Prepared[]> => {
    let byPath = byType.get(resourceType);
    if (byPath) return byPath;
    byPath = new Map();
    for (const invariant of [...(digest.invariants[resourceType] ?? []), ...datatypeInvariants]) {
      // an element the digest knows by its own name is not a choice: a direct lookup does
      const elements = digest.types[invariant.path]?.elements;
      const shortcuts = trueWhenAbsent(invariant.expression).map((names) =>
        names.map((name) => ({ name, underscored: `_${name}`, choice: elements?.[name] === undefined })),
      );
      const prepared: Prepared = { invariant, shortcuts, present: trueWhenPresent(invariant.expression) };
      byPath.set(invariant.path, [...(byPath.get(invariant.path) ?? []), prepared]);
    }
    byType.set(resourceType, byPath);
    return byPath;
  };
  const pathSets = new Map<string, ReadonlySet<string> | undefined>();
  const typeElements: TypeElements = (typeName) => digest.types[typeName]?.elements;

  const evaluate = (
    prepared: Prepared,
    node: Record<string, unknown>,
    resource: Record<string, unknown>,
    location: string,
    sink: IssueSink,
  ) => {
    const { invariant, shortcuts, present } = prepared;
    if (certainlyTrue(shortcuts, node) || holds(node, present)) return;
    if (prepared.simple === undefined)
      prepared.simple = compileSimpleInvariant(invariant.expression, typeElements) ?? null;
    // the invariant's path is the node's type in the digest (a resource, a datatype, a backbone's path)
    const answer = prepared.simple === null ? UNKNOWN : prepared.simple(node, invariant.path, resource);
    if (answer === true) return;
    if (answer !== UNKNOWN) fail(prepared, location, sink);
    else runFhirPath(prepared, node, resource, location, sink);
  };

  /** Evaluates with FHIRPath.js what the JSON reader could not answer. */
  const runFhirPath = (
    prepared: Prepared,
    node: Record<string, unknown>,
    resource: Record<string, unknown>,
    location: string,
    sink: IssueSink,
  ) => {
    const { invariant } = prepared;
    if (prepared.run === undefined) {
      const loaded = engine();
      if (!loaded) throw new MissingFhirPathError();
      prepared.run = loaded.compile(invariant.path, invariant.expression) ?? null;
    }
    const run = prepared.run;
    if (run === null) return; // left unchecked (see the header)
    let result: unknown[];
    try {
      result = run(node, { resource, rootResource: resource });
    } catch {
      return;
    }
    if (result.length === 1 && result[0] === true) return;
    fail(prepared, location, sink);
  };

  const fail = (prepared: Prepared, location: string, sink: IssueSink) => {
    const { invariant } = prepared;
    prepared.reads ??= elementsRead(invariant.expression);
    sink.report(
      'fhir-invariant',
      location,
      `${invariant.key}: ${invariant.human}`,
      undefined,
      `invariant|${invariant.key}|${location}`,
      causeOf(sink, location, prepared.reads),
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
