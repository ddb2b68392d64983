/**
 * Which invariants (constraints) the validator runs, computed from the definitions it is built
 * from and the digest it validates with — never from a hand-kept list. For each constraint of
 * the R4 base StructureDefinitions (Element, Resource, DomainResource, every datatype with its
 * nested elements, every resource type the validator covers) and of loaded profiles: evaluated by
 * its FHIRPath, checked natively by a layer (as the HL7 Java validator does for some), or not run,
 * with the reason.
 */
import type { FhirDigest } from './digest.ts';
import type { FhirPathEngine } from './invariants.ts';
import { NATIVE_INVARIANTS, NOT_IN_R4, UNCHECKED_INVARIANTS, UNCHECKED_TEXT } from './nativeInvariants.ts';

/** The parts of a StructureDefinition the table reads. */
export interface CoverageDefinition {
  url?: string;
  type: string;
  kind: string;
  derivation?: string;
  abstract?: boolean;
  snapshot?: { element: CoverageElement[] };
  differential?: { element: CoverageElement[] };
}

interface CoverageElement {
  path: string;
  constraint?: { key: string; severity: string; human?: string; expression?: string; source?: string }[];
}

/** How one constraint is checked. */
type InvariantStatus = 'fhirpath' | 'native' | 'not-run';

export interface InvariantCoverageRow {
  key: string;
  severity: string;
  /** the definition that declares it: a type name for the base, a canonical URL for a profile */
  source: string;
  /** the element paths it applies to */
  paths: string[];
  status: InvariantStatus;
  /** where it is checked natively, or why it is not run (empty for FHIRPath) */
  reason: string;
}

export interface InvariantCoverageTable {
  executed: number;
  total: number;
  rows: InvariantCoverageRow[];
}

export interface InvariantCoverage {
  base: InvariantCoverageTable;
  profiles: InvariantCoverageTable;
  /** keys of earlier FHIR versions that R4 removed (dom-1), with why they are not checked: counted nowhere */
  notInR4: { key: string; reason: string }[];
}

interface InvariantCoverageInput {
  /** the base StructureDefinitions the digest was built from (profiles-types and profiles-resources) */
  definitions: readonly CoverageDefinition[];
  digest: FhirDigest;
  /** when given, an expression it cannot compile counts as not run (the layer skips it) */
  engine?: FhirPathEngine;
  /** loaded profiles (derivation constraint), whose own constraints the profile checker runs */
  profiles?: readonly CoverageDefinition[];
}

/** Reasons a constraint is not run, shared by the table and its tests. */
export const NOT_RUN = {
  warning: 'a warning (best practice): the base checks run error invariants only',
  noExpression: 'has no FHIRPath expression, only text',
  notInDigest: 'not in the validation digest, so no layer evaluates it',
  primitive: 'on a primitive element, which the walk does not hand to the invariants layer',
  compile: 'FHIRPath.js cannot compile its expression, so it is skipped rather than guessed',
  regex:
    'its regular expression is not valid in the Unicode mode FHIRPath.js runs it in, so it is skipped rather than guessed',
} as const;

const BASE_ABSTRACT = new Set(['Resource', 'DomainResource']);
/** Base definitions the digest has no type entry for (the profile checker treats them as base too). */
const BASE_TYPES = new Set(['Element', 'BackboneElement', 'Resource', 'DomainResource', 'Extension', 'Base']);
const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** The base definitions the validator covers: the digest builder's choice, plus the abstract roots. */
function baseDefinitions(
  definitions: readonly CoverageDefinition[],
  digest: FhirDigest,
): CoverageDefinition[] {
  const resourceTypes = new Set(digest.resourceTypes);
  return definitions.filter(
    (sd) =>
      sd.derivation !== 'constraint' &&
      (sd.kind === 'complex-type' ||
        sd.kind === 'primitive-type' ||
        (sd.kind === 'resource' && (resourceTypes.has(sd.type) || BASE_ABSTRACT.has(sd.type)))),
  );
}

const sourceName = (source: string | undefined, fallback: string): string =>
  source ? source.slice(source.lastIndexOf('/') + 1).split('|')[0] || fallback : fallback;

/** Whether the walk hands the element at `path` to the invariants layer (a resource, a backbone or a complex type). */
function reachable(digest: FhirDigest, path: string): boolean {
  if (!path.includes('.') || digest.types[path]) return true;
  const dot = path.lastIndexOf('.');
  const owner = digest.types[path.slice(0, dot)];
  const segment = path.slice(dot + 1);
  if (!owner) return false;
  const element = owner.elements[segment];
  if (element)
    return digest.types[element.type]?.kind !== 'primitive' && !isPrimitiveName(digest, element.type);
  if (segment.endsWith('[x]')) {
    const choice = segment.slice(0, -3);
    return Object.values(owner.elements).some((e) => e.choice === choice && !isPrimitiveName(digest, e.type));
  }
  return false;
}

/**
 * Whether every literal regular expression of `matches` / `replaceMatches` is valid in the Unicode
 * mode FHIRPath.js compiles them in when it evaluates (an invalid one throws then, and the layer
 * skips the invariant: a compile of the expression does not see it).
 */
function unicodeRegexesValid(expression: string): boolean {
  for (const match of expression.matchAll(/(?:matches|replaceMatches)\('((?:[^'\\]|\\.)*)'/g)) {
    const source = (match[1] as string).replace(/\\(.)/g, '$1');
    try {
      new RegExp(source, 'su');
    } catch {
      return false;
    }
  }
  return true;
}

const isPrimitiveName = (digest: FhirDigest, type: string): boolean =>
  digest.types[type]?.kind === 'primitive' || /^[a-z]/.test(type);

/** The coverage table of the base specification and of loaded profiles. */
export function invariantCoverage(input: InvariantCoverageInput): InvariantCoverage {
  const { digest, engine } = input;
  const inDigest = new Map<string, { path: string; expression: string }[]>();
  for (const list of Object.values(digest.invariants))
    for (const inv of list) {
      const entries = inDigest.get(inv.key) ?? [];
      if (!entries.some((e) => e.path === inv.path))
        entries.push({ path: inv.path, expression: inv.expression });
      inDigest.set(inv.key, entries);
    }
  const compiles = (base: string, expression: string): boolean =>
    !engine || engine.compile(base.replace(/\[x\]/g, ''), expression) !== undefined;
  const regexesValid = (expression: string): boolean => !engine || unicodeRegexesValid(expression);

  // base: one row per key (keys are unique in the specification; a key repeats only where a
  // snapshot inherits it, with the same meaning)
  const base = new Map<string, InvariantCoverageRow>();
  for (const sd of baseDefinitions(input.definitions, digest)) {
    for (const element of sd.snapshot?.element ?? []) {
      for (const c of element.constraint ?? []) {
        const row = base.get(c.key);
        if (row) {
          if (!row.paths.includes(element.path)) row.paths.push(element.path);
          continue;
        }
        base.set(c.key, {
          key: c.key,
          severity: c.severity,
          source: sourceName(c.source, sd.type),
          paths: [element.path],
          status: 'not-run',
          reason: '',
        });
      }
    }
  }
  for (const row of base.values()) {
    const native = NATIVE_INVARIANTS[row.key];
    const unchecked = UNCHECKED_INVARIANTS[row.key];
    const found = inDigest.get(row.key);
    if (native) Object.assign(row, { status: 'native', reason: native });
    else if (unchecked) row.reason = unchecked;
    else if (row.severity !== 'error') row.reason = NOT_RUN.warning;
    else if (!found) row.reason = NOT_RUN.notInDigest;
    else if (!found.every((f) => reachable(digest, f.path))) row.reason = NOT_RUN.primitive;
    else if (!found.every((f) => compiles(f.path, f.expression))) row.reason = NOT_RUN.compile;
    else if (!found.every((f) => regexesValid(f.expression))) row.reason = NOT_RUN.regex;
    else row.status = 'fhirpath';
  }

  const isBaseType = (source: string): boolean => {
    const bare = source.split('|')[0] as string;
    if (!bare.startsWith(CORE_SD)) return false;
    const name = bare.slice(CORE_SD.length);
    return !name.includes('.') && (digest.types[name] !== undefined || BASE_TYPES.has(name));
  };
  // profiles: the constraints a profile adds (those of the base types are the base table's)
  const profiles: InvariantCoverageRow[] = [];
  for (const sd of input.profiles ?? []) {
    const seen = new Set<string>();
    for (const element of sd.snapshot?.element ?? sd.differential?.element ?? []) {
      for (const c of element.constraint ?? []) {
        if (c.source ? isBaseType(c.source) : base.has(c.key)) continue;
        if (seen.has(`${c.key}|${element.path}`)) continue;
        seen.add(`${c.key}|${element.path}`);
        const row: InvariantCoverageRow = {
          key: c.key,
          severity: c.severity,
          source: sd.url ?? sd.type,
          paths: [element.path],
          status: 'fhirpath',
          reason: '',
        };
        if (!c.expression) Object.assign(row, { status: 'not-run', reason: NOT_RUN.noExpression });
        else if (!compiles(element.path, c.expression))
          Object.assign(row, { status: 'not-run', reason: NOT_RUN.compile });
        else if (!regexesValid(c.expression))
          Object.assign(row, { status: 'not-run', reason: NOT_RUN.regex });
        profiles.push(row);
      }
    }
  }

  const table = (rows: InvariantCoverageRow[]): InvariantCoverageTable => ({
    executed: rows.filter((r) => r.status !== 'not-run').length,
    total: rows.length,
    rows: rows.sort(
      (a, b) => a.source.localeCompare(b.source) || a.key.localeCompare(b.key, 'en', { numeric: true }),
    ),
  });
  return {
    base: table([...base.values()]),
    profiles: table(profiles),
    notInR4: Object.entries(NOT_IN_R4)
      .filter(([key]) => !base.has(key))
      .map(([key, reason]) => ({ key, reason })),
  };
}

/** Resource types that are not DomainResources (no text, contained or extensions of their own). */
const NOT_DOMAIN_RESOURCES = new Set(['Bundle', 'Binary', 'Parameters']);

/**
 * The base error invariants that can apply to resources of `resourceTypes` and are not run, in
 * words for a report's "not checked" list: those unchecked on purpose, and those on a primitive
 * element of a type these resources can hold. Computed from the digest, as the table.
 */
export function invariantsNotChecked(digest: FhirDigest, resourceTypes: Iterable<string>): string[] {
  const types = new Set<string>();
  const pending = [...resourceTypes].filter((t) => digest.types[t] !== undefined);
  const met = new Set(pending);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (types.has(name)) continue;
    types.add(name);
    for (const element of Object.values(digest.types[name]?.elements ?? {})) {
      const kind = digest.types[element.type]?.kind;
      if ((kind === 'complex' || kind === 'backbone') && !types.has(element.type)) pending.push(element.type);
    }
  }
  const lines = new Map<string, string>();
  for (const [key, why] of Object.entries(UNCHECKED_INVARIANTS)) {
    const text = UNCHECKED_TEXT[key];
    const applies =
      text?.on === 'DomainResource'
        ? [...met].some((t) => !NOT_DOMAIN_RESOURCES.has(t))
        : met.has(text?.on ?? '');
    if (applies) lines.set(key, `FHIR rule ${key} (${text?.human ?? key}) is not checked: ${why}`);
  }
  for (const name of types) {
    for (const invariant of digest.invariants[name] ?? []) {
      if (lines.has(invariant.key) || reachable(digest, invariant.path)) continue;
      lines.set(
        invariant.key,
        `FHIR rule ${invariant.key} on ${invariant.path} (${invariant.human}) is not checked: ${NOT_RUN.primitive}`,
      );
    }
  }
  return [...lines.keys()].sort().map((key) => lines.get(key) as string);
}
